import * as vscode from 'vscode';
import type { CountsParams } from '../server/protocol';

/** A status bar item with MCP Warden's finding counts; clicking it opens the Problems view. */
export class WardenStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mcpWarden.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'MCP Warden';
    this.item.command = 'workbench.actions.view.problems';
    this.update({ errors: 0, warnings: 0, infos: 0, files: 0 });
    this.item.show();
  }

  update(c: CountsParams): void {
    const total = c.errors + c.warnings + c.infos;
    this.item.text = total === 0 ? '$(shield) MCP Warden' : `$(shield) ${c.errors} $(warning) ${c.warnings}${c.infos ? ` $(info) ${c.infos}` : ''}`;
    this.item.tooltip =
      total === 0
        ? 'MCP Warden: no security findings in the analysed files. Click to open the Problems view.'
        : `MCP Warden: ${c.errors} error(s), ${c.warnings} warning(s), ${c.infos} note(s) in ${c.files} file(s). Click to open the Problems view.`;
    this.item.backgroundColor = c.errors > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** Current text, for tests. */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
