import type * as vscode from 'vscode';
import type { WardenApi } from './api';
import { startExtension } from './extension';

let stop: (() => Promise<void>) | undefined;

/** Starts MCP Warden; the returned API exists for the integration tests. */
export async function activate(context: vscode.ExtensionContext): Promise<WardenApi> {
  const api = await startExtension(context);
  stop = () => api.stop();
  return api;
}

/** Stops the language server (VS Code awaits the returned promise). */
export async function deactivate(): Promise<void> {
  await stop?.();
}
