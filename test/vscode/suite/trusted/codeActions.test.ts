/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixture, nextEvent, openFile, ruleOf, waitForDiagnostics, wardenApi } from '../helpers';

/** MCP Warden's actions for a diagnostic (the TypeScript extension may add its own, which are left out). */
async function actionsFor(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  let all: vscode.CodeAction[] = [];
  // tsserver answers 'Canceled' while it loads the project; that fails the whole request.
  for (let attempt = 0; ; attempt++) {
    try {
      all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      break;
    } catch (err) {
      if (attempt >= 4 || !/Canceled/.test(String(err))) throw err;
    }
  }
  const rule = ruleOf(d)!;
  const docs = all.find((a) => a.command?.command === 'mcpWarden.showRuleDocumentation' && a.command.arguments?.[0] === rule);
  assert.ok(docs, `no MCP Warden actions among: ${all.map((a) => a.title).join(' | ')}`);
  // The server lists fixes, then the disable action, then documentation.
  const disable = all.findIndex((a) => a.title === `Disable ${rule} for this line`);
  const end = all.indexOf(docs);
  const start = all.slice(0, disable >= 0 ? disable : end).findIndex((a) => a.kind?.value === 'quickfix' && a.edit !== undefined && !/tsserver|import/i.test(a.title));
  return all.slice(start >= 0 ? start : disable >= 0 ? disable : end, end + 1);
}

async function flaw(file: string, rule = 'no-command-injection'): Promise<{ uri: vscode.Uri; editor: vscode.TextEditor; d: vscode.Diagnostic }> {
  const uri = vscode.Uri.file(file);
  const editor = await openFile(file);
  const ds = await waitForDiagnostics(uri, (x) => x.some((d) => ruleOf(d) === rule));
  return { uri, editor, d: ds.find((x) => ruleOf(x) === rule)! };
}

describe('code actions', () => {
  before(async () => {
    await (await wardenApi()).ready;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('offers the fixes, a disable-for-this-line action and the documentation, at most one preferred', async () => {
    const { uri, d } = await flaw(fixture('ts-server', 'src', 'exec.ts'));
    const actions = await actionsFor(uri, d);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Disable no-command-injection for this line'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for no-command-injection'), titles.join(' | '));
    assert.ok(actions.every((a) => a.kind?.value === 'quickfix'));
    assert.ok(actions.length >= 3, 'at least one fix besides disable and documentation');
    assert.ok(actions.filter((a) => a.isPreferred).length <= 1);
    const docs = actions.find((a) => a.title.startsWith('Show documentation'))!;
    assert.equal(docs.command?.command, 'mcpWarden.showRuleDocumentation');
    assert.deepEqual(docs.command?.arguments, ['no-command-injection']);
  });

  it('applies the rule\'s preferred fix and the finding goes away', async () => {
    const { uri, editor, d } = await flaw(fixture('ts-server', 'src', 'exec.ts'));
    const fixes = (await actionsFor(uri, d)).filter((a) => a.edit && !a.title.startsWith('Disable'));
    assert.ok(fixes.length > 0, 'the rule offers a fix for exec with a template string');
    const fix = fixes.find((a) => a.isPreferred) ?? fixes[0]!;
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.doesNotMatch(editor.document.getText(), /exec\(`ls \$\{dir\}`\)/, 'the shell string is gone');
    await waitForDiagnostics(uri, (x) => !x.some((y) => ruleOf(y) === 'no-command-injection' && y.range.start.line === d.range.start.line), 'the fixed finding to go');
  });

  it('disables the rule for a line with a reason placeholder, indented like the line', async () => {
    const { uri, editor, d } = await flaw(fixture('ts-server', 'src', 'exec.ts'));
    const action = (await actionsFor(uri, d)).find((a) => a.title === 'Disable no-command-injection for this line')!;
    assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
    assert.equal(editor.document.lineAt(7).text, '  // mcp-warden-disable-next-line no-command-injection -- reason');
    assert.equal(editor.document.lineAt(8).text, '  exec(`ls ${dir}`);');
    await waitForDiagnostics(uri, (x) => !x.some((y) => ruleOf(y) === 'no-command-injection'), 'the suppressed finding to go');
  });

  it('appends the rule to the directive already above the line instead of stacking a second one', async () => {
    const { uri, editor, d } = await flaw(fixture('ts-server', 'src', 'suppressed.ts'));
    const action = (await actionsFor(uri, d)).find((a) => a.title === 'Disable no-command-injection for this line')!;
    assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
    assert.equal(editor.document.lineAt(8).text, '    // mcp-warden-disable-next-line no-path-traversal, no-command-injection -- reviewed: no file access here');
    assert.equal(editor.document.lineAt(9).text, '    exec(`cat ${name}`);');
  });

  it('uses a # comment in Python', async () => {
    const { uri, editor, d } = await flaw(fixture('py-server', 'server.py'));
    const action = (await actionsFor(uri, d)).find((a) => a.title === 'Disable no-command-injection for this line')!;
    assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
    assert.equal(editor.document.lineAt(11).text, '        # mcp-warden-disable-next-line no-command-injection -- reason');
  });

  it('opens the rule documentation bundled with the extension', async () => {
    const ext = vscode.extensions.getExtension('mcp-warden.mcp-warden')!;
    const pages = fs.readdirSync(path.join(ext.extensionPath, 'docs', 'rules')).filter((f) => f.endsWith('.md'));
    const rule = pages.includes('no-command-injection.md') ? 'no-command-injection' : pages[0]!.replace(/\.md$/, '');
    const labels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    const opened = nextEvent(vscode.window.tabGroups.onDidChangeTabs, () => labels().some((l) => l.includes(rule)));
    await vscode.commands.executeCommand('mcpWarden.showRuleDocumentation', rule);
    if (!labels().some((l) => l.includes(rule))) await opened;
  });
});
