/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScanResult } from '../../../../src/server/protocol';
import { fixture, ruleOf, waitForDiagnostics, wardenApi, wardenDiagnostics } from '../helpers';

describe('workspace scan', () => {
  it('analyses unopened files of every root folder, skipping excluded ones, and updates the status bar', async () => {
    const api = await wardenApi();
    await api.ready;
    const result = await vscode.commands.executeCommand<ScanResult>('mcpWarden.scanWorkspace');
    assert.equal(result.cancelled, false);
    assert.ok(result.files >= 6, `scanned ${result.files} files`);
    const unopened = vscode.Uri.file(fixture('ts-server', 'src', 'scanned-only.js'));
    const ds = await waitForDiagnostics(unopened, (x) => x.some((d) => ruleOf(d) === 'no-command-injection'));
    assert.equal(ds[0]!.range.start.line, 8);
    assert.deepEqual(wardenDiagnostics(vscode.Uri.file(fixture('ts-server', 'excluded', 'generated.ts'))), []);
    console.log(`MCPW-METRIC scanFiles=${result.files} scanMs=${result.elapsedMs}`);
    assert.match(api.statusBar.text, /\$\(shield\) \d+ \$\(warning\) \d+/);
  });

  it('re-analyses open files when mcpWarden.rules or mcpWarden.enable change', async () => {
    const uri = vscode.Uri.file(fixture('py-server', 'server.py'));
    await vscode.window.showTextDocument(uri);
    await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === 'no-command-injection' && d.severity === vscode.DiagnosticSeverity.Error));
    const folder = vscode.workspace.getWorkspaceFolder(uri)!;
    const config = vscode.workspace.getConfiguration('mcpWarden', folder.uri);
    await config.update('rules', { 'no-command-injection': 'note' }, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === 'no-command-injection' && d.severity === vscode.DiagnosticSeverity.Information));
      await config.update('rules', { 'no-command-injection': 'off' }, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(uri, (x) => !x.some((d) => ruleOf(d) === 'no-command-injection'));
      await config.update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === 'no-command-injection'));
      await config.update('enable', false, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(uri, (x) => x.length === 0, 'mcpWarden.enable = false to clear the file');
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await config.update('enable', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === 'no-command-injection' && d.severity === vscode.DiagnosticSeverity.Error));
  });
});
