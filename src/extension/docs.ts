import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { docsUrl } from '../core/rule';

/**
 * Opens a rule's documentation: the page shipped in the extension (docs/rules/<id>.md) in the
 * Markdown preview, so it works offline; the web page when the id has no bundled page.
 */
export async function showRuleDocumentation(context: vscode.ExtensionContext, ruleId: unknown): Promise<void> {
  if (typeof ruleId !== 'string' || !/^[a-z][a-z0-9-]*$/.test(ruleId)) return;
  const local = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
  if (fs.existsSync(local.fsPath)) {
    await vscode.commands.executeCommand('markdown.showPreview', local);
  } else {
    await vscode.env.openExternal(vscode.Uri.parse(docsUrl(ruleId)));
  }
}
