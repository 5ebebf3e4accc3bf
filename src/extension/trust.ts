import * as vscode from 'vscode';

/** Why the harness needs trust, shown whenever it is refused. */
export const TRUST_EXPLANATION =
  'MCP Warden: the security harness starts this project\'s MCP server, which runs code from the workspace. Trust the workspace to run it; linting works without trust.';

/**
 * True when the workspace is trusted. Otherwise explains why the harness is unavailable and
 * offers to open the Workspace Trust editor, and answers false.
 */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(TRUST_EXPLANATION, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
