import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The extension's API (what `activate` returns), activating it if needed. */
export async function wardenApi(): Promise<import('../../../src/extension/api').WardenApi> {
  const ext = vscode.extensions.getExtension('mcp-warden.mcp-warden');
  assert.ok(ext, 'extension mcp-warden.mcp-warden is not installed');
  return ext.isActive ? ext.exports : ext.activate();
}

/** Absolute path inside the copied fixture workspace. */
export function fixture(...parts: string[]): string {
  const ws = process.env.MCPW_TEST_WORKSPACE;
  assert.ok(ws, 'MCPW_TEST_WORKSPACE is not set');
  return path.join(ws, ...parts);
}

export function wardenDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'MCP Warden');
}

/**
 * Resolves with the MCP Warden diagnostics of `uri` as soon as `accept` holds for them: checks
 * now, then on every onDidChangeDiagnostics event for that URI (no polling, no sleeps).
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = wardenDiagnostics(uri);
      if (!accept(ds)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what} on ${path.basename(uri.fsPath)}; have: ${JSON.stringify(wardenDiagnostics(uri).map((d) => [d.code, d.range.start.line, d.message]))}`));
    }, timeoutMs);
    check();
  });
}

/** The rule id of a diagnostic (`code` is `{ value, target }` when it links to docs). */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

export async function openFile(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

/** Waits for `event` to fire with a value accepted by `accept`. */
export function nextEvent<T>(event: vscode.Event<T>, accept: (v: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('timed out waiting for an event'));
    }, timeoutMs);
    const sub = event((v) => {
      if (!accept(v)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}
