import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disableLineEdit, escapeSnippet } from '../../src/server/suppress';

test('inserts a directive above the line, indented like it, with a reason placeholder', () => {
  const text = 'function f() {\n    exec(cmd);\n}\n';
  assert.deepEqual(disableLineEdit(text, 1, 'no-command-injection', 'typescript'), {
    kind: 'insert',
    at: { line: 1, character: 0 },
    text: '    // mcp-warden-disable-next-line no-command-injection -- reason\n',
    snippet: '    // mcp-warden-disable-next-line no-command-injection -- ${1:reason}\n',
  });
});

test('uses # in Python and keeps CRLF line ends', () => {
  const edit = disableLineEdit('def f():\r\n\tos.system(x)\r\n', 1, 'no-command-injection', 'python');
  assert.equal(edit.kind, 'insert');
  assert.equal(edit.kind === 'insert' && edit.text, '\t# mcp-warden-disable-next-line no-command-injection -- reason\r\n');
});

test('appends to a directive already on the line above instead of stacking', () => {
  const text = '  // mcp-warden-disable-next-line no-path-traversal -- reviewed\n  exec(cmd);\n';
  assert.deepEqual(disableLineEdit(text, 1, 'no-command-injection', 'javascript'), {
    kind: 'append',
    at: { line: 0, character: '  // mcp-warden-disable-next-line no-path-traversal'.length },
    text: ', no-command-injection',
  });
  const noReason = '# mcp-warden-disable-next-line a-rule\nx()\n';
  assert.deepEqual(disableLineEdit(noReason, 1, 'b-rule', 'python'), { kind: 'append', at: { line: 0, character: noReason.indexOf('\n') }, text: ', b-rule' });
});

test('does nothing when the rule is already listed; ignores other comment styles and directives', () => {
  assert.deepEqual(disableLineEdit('// mcp-warden-disable-next-line a, b -- why\nx\n', 1, 'b', 'typescript'), { kind: 'present' });
  // A Python-style directive above a TS line is not a TS directive: insert a new one.
  assert.equal(disableLineEdit('# mcp-warden-disable-next-line a -- why\nx\n', 1, 'b', 'typescript').kind, 'insert');
  assert.equal(disableLineEdit('// mcp-warden-disable-line a -- why\nx\n', 1, 'b', 'typescript').kind, 'insert');
  assert.equal(disableLineEdit('exec(x)\n', 0, 'b', 'typescript').kind, 'insert');
});

test('escapes snippet syntax in the text around the placeholder', () => {
  assert.equal(escapeSnippet('a$b}c\\d'), 'a\\$b\\}c\\\\d');
});
