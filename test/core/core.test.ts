import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from '../../src/core/config';
import { applyEdits } from '../../src/core/fix';
import { languageOf } from '../../src/core/language';
import { LineMap } from '../../src/core/text';

test('LineMap maps offsets to 1-based positions across LF, CRLF and CR line breaks', () => {
  const m = new LineMap('ab\ncd\r\nef\rgh');
  assert.equal(m.lineCount, 4);
  assert.deepEqual(m.position(0), { line: 1, column: 1 });
  assert.deepEqual(m.position(3), { line: 2, column: 1 });
  assert.deepEqual(m.position(7), { line: 3, column: 1 });
  assert.deepEqual(m.position(10), { line: 4, column: 1 });
  assert.deepEqual(m.position(999), { line: 4, column: 3 });
  assert.equal(m.offset(3, 2), 8);
  assert.equal(m.lineText(2), 'cd');
  assert.equal(m.lineText(9), '');
  const loc = m.location('/f.ts', { start: 4, end: 9 });
  assert.deepEqual([loc.startLine, loc.startColumn, loc.endLine, loc.endColumn], [2, 2, 3, 3]);
});

test('languageOf routes by extension and skips declaration files', () => {
  assert.equal(languageOf('a/b.ts'), 'typescript');
  assert.equal(languageOf('x.TSX'), 'typescript');
  assert.equal(languageOf('x.cjs'), 'javascript');
  assert.equal(languageOf('x.py'), 'python');
  assert.equal(languageOf('x.d.ts'), undefined);
  assert.equal(languageOf('README.md'), undefined);
});

test('config: severities and ignores are validated with one-line reasons', () => {
  const ok = parseConfig({ rules: { 'no-sql-string-building': 'off', x: 'note' }, ignore: ['gen/**'] }, '/p/.mcp-warden.json');
  assert.deepEqual(ok.rules, { 'no-sql-string-building': 'off', x: 'note' });
  assert.equal(ok.root, '/p');
  assert.throws(() => parseConfig({ rules: { a: 'loud' } }, 'c.json'), (e: Error) => e instanceof ConfigError && /must be one of error, warning, note, off/.test(e.message));
  assert.throws(() => parseConfig({ rulez: {} }, 'c.json'), /unknown key 'rulez'/);
  assert.throws(() => parseConfig([], 'c.json'), /expected a JSON object/);
  assert.throws(() => parseConfig({ ignore: [1] }, 'c.json'), /'ignore' must be an array of strings/);
});

test('config is found from a nested folder upwards; a broken file is a ConfigError', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-config-'));
  fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.mcp-warden.json'), JSON.stringify({ rules: { r: 'error' } }));
  assert.deepEqual(loadConfig(path.join(dir, 'a', 'b')).rules, { r: 'error' });
  fs.writeFileSync(path.join(dir, 'a', '.mcp-warden.json'), '{ nope');
  assert.throws(() => loadConfig(path.join(dir, 'a', 'b')), ConfigError);
});

test('applyEdits applies in position order and skips overlapping edits', () => {
  const f = '/f.ts';
  const r = applyEdits('0123456789', [
    { file: f, span: { start: 6, end: 8 }, text: 'X' },
    { file: f, span: { start: 1, end: 3 }, text: 'ab' },
    { file: f, span: { start: 2, end: 4 }, text: 'overlap' },
    { file: f, span: { start: 0, end: 0 }, text: '>' },
  ]);
  assert.equal(r.text, '>0ab345X89');
  assert.equal(r.skipped.length, 1);
  assert.equal(r.skipped[0]!.text, 'overlap');
});
