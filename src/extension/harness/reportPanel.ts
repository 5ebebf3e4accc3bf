import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HarnessReport } from './events';
import { renderReport } from './reportHtml';

/** The harness report webview: one panel, refreshed after every run while open. */
export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private reports: readonly HarnessReport[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Opens (or reveals) the panel showing `reports`. */
  show(reports: readonly HarnessReport[]): vscode.WebviewPanel {
    this.reports = reports;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel('mcpWarden.report', 'MCP Warden Harness Report', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [media],
      });
      this.panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m));
    } else {
      this.panel.reveal();
    }
    this.render();
    return this.panel;
  }

  /** Re-renders an open panel with new reports; does nothing when it is closed. */
  update(reports: readonly HarnessReport[]): void {
    this.reports = reports;
    if (this.panel) this.render();
  }

  /** The HTML currently shown, for tests. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  private render(): void {
    const webview = this.panel!.webview;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    webview.html = renderReport(this.reports, {
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.js')).toString(),
    });
  }

  private onMessage(m: unknown): void {
    const msg = m as { type?: unknown; file?: unknown; line?: unknown };
    if (msg.type !== 'open' || typeof msg.file !== 'string' || typeof msg.line !== 'number') return;
    // Only files the report itself named, i.e. sources the CLI resolved in the project.
    const known = this.reports.some((r) => r.servers.some((s) => s.results.some((c) => c.source?.file === msg.file)));
    if (!known) return;
    const line = Math.max(0, msg.line - 1);
    void vscode.window.showTextDocument(vscode.Uri.file(msg.file), { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
