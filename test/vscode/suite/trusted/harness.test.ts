/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { HarnessRunSummary } from '../../../../src/extension/harness/controller';
import { fixture, nextEvent, openFile, ruleOf, waitForDiagnostics, wardenApi } from '../helpers';

function find(items: vscode.TestItemCollection, label: string): vscode.TestItem | undefined {
  let found: vscode.TestItem | undefined;
  items.forEach((i) => {
    if (!found && i.label === label) found = i;
  });
  return found;
}

describe('security harness', function () {
  this.timeout(120_000);

  it('runs on a server from .vscode/mcp.json and shows server > tool > check in the Testing view', async () => {
    const api = await wardenApi();
    await api.ready;
    const summary = await vscode.commands.executeCommand<HarnessRunSummary>('mcpWarden.runHarnessOnServer', 'fixture-ts');
    assert.ok(summary, 'the run happened');
    assert.deepEqual(summary.errors, []);
    assert.ok(summary.confirmed >= 1, `confirmed flaws: ${summary.confirmed}`);

    const server = find(api.harness.controller.items, 'fixture-ts');
    assert.ok(server, 'server item');
    const tool = find(server.children, 'list_files');
    assert.ok(tool, 'tool item');
    const check = find(tool.children, 'cmd.injection (dir)');
    assert.ok(check, 'check item');
    assert.equal(api.harness.states.get(check.id), 'failed');
    assert.equal(check.uri?.fsPath, fixture('ts-server', 'server.cjs'), 'the check points at the tool source');
    const echo = find(server.children, 'echo');
    assert.ok(echo);
    assert.equal(api.harness.states.get(find(echo.children, 'cmd.injection (text)')!.id), 'passed');
  });

  it('marks the matching diagnostic "confirmed by harness"', async () => {
    const uri = vscode.Uri.file(fixture('ts-server', 'server.cjs'));
    await openFile(uri.fsPath);
    const ds = await waitForDiagnostics(uri, (x) => x.some((d) => d.message.endsWith('(confirmed by harness)')), 'the confirmed diagnostic');
    const d = ds.find((x) => x.message.endsWith('(confirmed by harness)'))!;
    assert.equal(ruleOf(d), 'no-command-injection');
    assert.equal(d.range.start.line, 11);
  });

  it('shows the report in a webview with a strict CSP and escaped evidence', async () => {
    const api = await wardenApi();
    await vscode.commands.executeCommand('mcpWarden.showHarnessReport');
    const html = api.report.html;
    assert.ok(html, 'the report panel is open');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src [^;]+; script-src 'nonce-[^']+'/);
    assert.match(html, /fixture-ts/);
    assert.match(html, /list_files/);
    assert.doesNotMatch(html, /<script>alert|src="https?:\/\/(?!.*vscode)/, 'no raw markup from the server, no remote resources');
    assert.ok(!/(src|href)="https?:/.test(html.replace(/(src|href)="https?:\/\/[^"]*vscode-cdn[^"]*"/g, '')), 'only webview resources');
  });

  it('re-runs a single tool from the Testing view', async () => {
    const api = await wardenApi();
    const server = find(api.harness.controller.items, 'fixture-ts')!;
    const tool = find(server.children, 'echo')!;
    const attacked = new Set<string>();
    const sub = api.harness.onDidEvent((e) => {
      if (e.type === 'check' && e.tool) attacked.add(e.tool);
    });
    const summary = await api.harness.runRequest(new vscode.TestRunRequest([tool]), undefined);
    sub.dispose();
    assert.deepEqual(summary.errors, []);
    assert.ok(summary.checks > 0);
    assert.deepEqual([...attacked], ['echo'], 'only the chosen tool was attacked (--tool)');
    assert.equal(api.harness.states.get(find(tool.children, 'cmd.injection (text)')!.id), 'passed');
    // What the first run proved about list_files still marks its diagnostic.
    const uri = vscode.Uri.file(fixture('ts-server', 'server.cjs'));
    await waitForDiagnostics(uri, (x) => x.some((d) => d.message.endsWith('(confirmed by harness)')), 'the confirmation to survive');
  });

  it('writes the tool lock file with "Update Tool Lock"', async () => {
    const lock = fixture('ts-server', 'mcp-warden.lock.json');
    assert.equal(fs.existsSync(lock), false);
    const code = await vscode.commands.executeCommand<number | undefined>('mcpWarden.updateToolLock', 'fixture-ts');
    assert.notEqual(code, 2);
    const written = JSON.parse(fs.readFileSync(lock, 'utf8')) as unknown;
    assert.match(JSON.stringify(written), /list_files/);
    fs.rmSync(lock);
  });

  it('cancels a run on a server that never answers, promptly', async () => {
    const api = await wardenApi();
    const started = nextEvent(api.harness.onDidEvent, (e) => e.type === 'server-start');
    const running = vscode.commands.executeCommand<HarnessRunSummary>('mcpWarden.runHarnessOnServer', 'fixture-hang');
    await started;
    const t0 = Date.now();
    // What the progress notification's Cancel button does.
    api.harness.cancel();
    const summary = await running;
    assert.ok(summary?.cancelled, 'the run reports cancellation');
    assert.ok(Date.now() - t0 < 10_000, `stopped in ${Date.now() - t0} ms`);
  });
});
