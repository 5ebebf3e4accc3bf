/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { fixture, openFile, ruleOf, waitForDiagnostics, wardenApi } from '../helpers';

describe('untrusted workspace', () => {
  it('activates in limited mode', async () => {
    const api = await wardenApi();
    await api.ready;
    assert.equal(vscode.workspace.isTrusted, false);
    console.log(`MCPW-METRIC untrustedActivationMs=${api.activationMs}`);
  });

  it('still lints', async () => {
    const uri = vscode.Uri.file(fixture('untrusted', 'server.py'));
    await openFile(uri.fsPath);
    const ds = await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === 'no-command-injection'));
    assert.equal(ds[0]!.source, 'MCP Warden');
  });

  it('refuses every harness command without starting anything', async () => {
    const api = await wardenApi();
    assert.equal(await vscode.commands.executeCommand('mcpWarden.runHarness'), undefined);
    assert.equal(await vscode.commands.executeCommand('mcpWarden.runHarnessOnServer', 'untrusted-server'), undefined);
    assert.equal(await vscode.commands.executeCommand('mcpWarden.updateToolLock', 'untrusted-server'), undefined);
    const direct = await api.harness.runRequest(new vscode.TestRunRequest(), undefined);
    assert.deepEqual(direct.errors, ['workspace is not trusted']);
    assert.equal(api.harness.states.size, 0);
    assert.equal(fs.existsSync(fixture('untrusted', 'harness-ran.txt')), false, 'no server process ran');
  });

  it('does not read harness servers from workspace settings (restricted configuration)', () => {
    const servers = vscode.workspace.getConfiguration('mcpWarden.harness').get<unknown[]>('servers');
    assert.deepEqual(servers, []);
    const written = fs.readFileSync(fixture('untrusted', '.vscode', 'settings.json'), 'utf8');
    assert.match(written, /"mcpWarden\.harness\.servers"/, 'the workspace does set it');
  });
});
