/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { fixture, openFile, ruleOf, waitForDiagnostics, wardenApi, wardenDiagnostics } from '../helpers';

const hasRule = (id: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => ruleOf(d) === id);

/** Resolves with the diagnostics of the next publication for `uri`, whatever they are. */
function nextPublication(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      sub.dispose();
      resolve(wardenDiagnostics(uri));
    });
  });
}

describe('diagnostics', () => {
  before(async () => {
    await (await wardenApi()).ready;
  });

  it('reports command injection in a TypeScript tool handler, linked to the rule and the taint path', async () => {
    const file = fixture('ts-server', 'src', 'exec.ts');
    const uri = vscode.Uri.file(file);
    const t0 = performance.now();
    await openFile(file);
    const ds = await waitForDiagnostics(uri, hasRule('no-command-injection'));
    console.log(`MCPW-METRIC firstDiagnosticsMs=${Math.round(performance.now() - t0)}`);
    const d = ds.find((x) => ruleOf(x) === 'no-command-injection')!;
    assert.equal(d.source, 'MCP Warden');
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.toString(), 'https://github.com/mcp-warden/mcp-warden/blob/main/docs/rules/no-command-injection.md');
    assert.equal(d.range.start.line, 7, 'the exec call is on line 8');
    assert.match(d.message, /'dir'/);
    // ts-server/.vscode/settings.json lowers the rule to a warning for this folder only.
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.relatedInformation && d.relatedInformation.length >= 2, 'the taint path is attached');
    assert.equal(d.relatedInformation[0]!.location.uri.toString(), uri.toString());
    assert.ok(d.relatedInformation[0]!.location.range.start.line < d.range.start.line, 'the path starts at the tool argument');
  });

  it('reports Python in the second root folder with that folder\'s severity', async () => {
    const file = fixture('py-server', 'server.py');
    const uri = vscode.Uri.file(file);
    const t0 = performance.now();
    await openFile(file);
    const ds = await waitForDiagnostics(uri, hasRule('no-command-injection'));
    console.log(`MCPW-METRIC pythonDiagnosticsMs=${Math.round(performance.now() - t0)}`);
    const d = ds.find((x) => ruleOf(x) === 'no-command-injection')!;
    assert.equal(d.range.start.line, 11);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error, 'py-server has no override: the rule default applies');
  });

  it('measures the time from opening a file to its diagnostics once the parsers are loaded', async () => {
    const file = fixture('ts-server', 'src', 'rename-me.ts');
    const uri = vscode.Uri.file(file);
    const t0 = performance.now();
    await openFile(file);
    await waitForDiagnostics(uri, hasRule('no-command-injection'));
    console.log(`MCPW-METRIC warmDiagnosticsMs=${Math.round(performance.now() - t0)}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('leaves files matched by mcpWarden.exclude alone', async () => {
    const uri = vscode.Uri.file(fixture('ts-server', 'excluded', 'generated.ts'));
    const published = nextPublication(uri);
    await openFile(uri.fsPath);
    assert.deepEqual(await published, []);
  });

  it('follows edits: a new flaw appears, moves with inserted lines and disappears when removed', async () => {
    const file = fixture('ts-server', 'src', 'edit.ts');
    const uri = vscode.Uri.file(file);
    const first = nextPublication(uri);
    const editor = await openFile(file);
    assert.deepEqual(await first, [], 'the file starts clean');

    await editor.edit((b) => b.replace(new vscode.Range(7, 0, 7, editor.document.lineAt(7).text.length), '  exec(`ping ${target}`);'));
    let ds = await waitForDiagnostics(uri, hasRule('no-command-injection'), 'the typed flaw');
    assert.equal(ds[0]!.range.start.line, 7);

    await editor.edit((b) => b.insert(new vscode.Position(6, 0), '// one\n// two\n'));
    ds = await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === 'no-command-injection' && d.range.start.line === 9), 'the moved flaw');

    await editor.edit((b) => b.replace(new vscode.Range(9, 0, 9, editor.document.lineAt(9).text.length), "  exec('uptime');"));
    await waitForDiagnostics(uri, (x) => x.length === 0, 'the cleared flaw');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('moves diagnostics with a renamed file', async () => {
    const oldUri = vscode.Uri.file(fixture('ts-server', 'src', 'rename-me.ts'));
    const newUri = vscode.Uri.file(fixture('ts-server', 'src', 'renamed.ts'));
    await openFile(oldUri.fsPath);
    await waitForDiagnostics(oldUri, hasRule('no-command-injection'));
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(oldUri, newUri);
    const cleared = waitForDiagnostics(oldUri, (x) => x.length === 0, 'diagnostics of the old name to go');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await openFile(newUri.fsPath);
    await waitForDiagnostics(newUri, hasRule('no-command-injection'), 'diagnostics under the new name');
    await cleared;
  });
});
