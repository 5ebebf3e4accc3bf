// The parse guard's incremental rescan (GuardScan in src/core/ts/parse-guard.ts) scans only
// near an edit and takes the rest from the last version's scan. It must give exactly what a
// full scan of the new text gives: depth, where it is deepest, async depth and the refusal.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { GuardScan, parseRisk, scanNesting } from '../../src/core/ts/parse-guard';
import { prng } from '../fuzz/generate';
import { tsFiles } from '../support/source-files';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'typescript-server', 'src');

/** Text that moves the scanner's state: brackets, quotes, comments, templates, chains, async parentheses, JSX. */
const SNIPPETS = ['x', '(', ')', '{', '}', '[', ']', '`', '${', "'", '"', '/*', '*/', '//', '/', '\n', ';', ',', '=', '=>', '?', ':', '!', '<', '>', '</', 'async (', 'else', 'class ', 'extends ', ' + a', '\\'];

function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.55) {
    let ins = '';
    for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) ins += SNIPPETS[Math.floor(rnd() * SNIPPETS.length)];
    return text.slice(0, at) + ins + text.slice(at);
  }
  if (r < 0.9) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 8)));
  // A deep stretch, so that the deepest point moves and refusals come and go.
  const depth = 20 + Math.floor(rnd() * 300);
  return `${text.slice(0, at)}${'('.repeat(depth)}1${')'.repeat(depth)}${text.slice(at)}`;
}

function check(label: string, text: string, scan: GuardScan): void {
  assert.deepEqual(scan.nesting, scanNesting(text), label);
  assert.equal(scan.risk, parseRisk(text), label);
}

test('a rescan after each of a sequence of edits equals a full scan of the new text', () => {
  const files = [...tsFiles(path.join(FIXTURES, 'rules')), ...tsFiles(EXAMPLES)].filter((f) => fs.statSync(f).size > 1500);
  assert.ok(files.length > 20, `${files.length} files`);
  const texts = files.map((f) => [path.relative(FIXTURES, f), fs.readFileSync(f, 'utf8')] as const);
  texts.push(['generated 300', generateTs(300, 3)], ['generated 1000', generateTs(1000, 1)]);
  let steps = 0;
  for (const [n, [name, original]] of texts.entries()) {
    const rnd = prng(3000 + n);
    let text = original;
    let scan = GuardScan.of(text);
    check(`${name} start`, text, scan);
    for (let step = 0; step < 25; step++) {
      text = edit(text, rnd);
      scan = GuardScan.of(text, scan);
      check(`${name} seed ${3000 + n} step ${step}`, text, scan);
      steps++;
    }
  }
  assert.ok(steps > 500, `${steps} steps`);
});

test('a rescan of an unchanged text, and of texts with no line to resume at, equals a full scan', () => {
  const text = generateTs(200, 2);
  const scan = GuardScan.of(text);
  check('same text', text, GuardScan.of(text, scan));
  // One line, no marks: every rescan is a full scan.
  const line = `const x = ${'[1, (2 + 3), { a: 4 }], '.repeat(2000)}0;`;
  let s = GuardScan.of(line);
  for (const at of [5, line.length >> 1, line.length - 3]) {
    const next = `${line.slice(0, at)}(((${line.slice(at)}`;
    s = GuardScan.of(next, s);
    check(`one line, edit at ${at}`, next, s);
  }
  // An edit that opens a template changes everything after it; closing it again restores it.
  const opened = `${text.slice(0, 100)}\`${text.slice(100)}`;
  const o = GuardScan.of(opened, scan);
  check('opened template', opened, o);
  check('closed again', text, GuardScan.of(text, o));
});

test('a refusal that an edit brings and the next edit takes away is the full scan\'s', () => {
  const text = generateTs(300, 1);
  const at = text.indexOf('server.registerTool', text.length >> 1);
  const deep = `${text.slice(0, at)}const deep = ${'('.repeat(400)}1${')'.repeat(400)};\n${text.slice(at)}`;
  let scan = GuardScan.of(text);
  scan = GuardScan.of(deep, scan);
  assert.match(scan.risk ?? '', /nests 400 levels deep at line/);
  check('deep', deep, scan);
  scan = GuardScan.of(text, scan);
  assert.equal(scan.risk, undefined);
  check('shallow again', text, scan);
  const asyncs = `${text.slice(0, at)}f(${'async ('.repeat(12)}${')'.repeat(12)});\n${text.slice(at)}`;
  scan = GuardScan.of(asyncs, scan);
  assert.match(scan.risk ?? '', /12 nested 'async \(' levels/);
  check('async', asyncs, scan);
});

test('edits at and around each mark (where a rescan starts or resumes) equal a full scan', () => {
  // A rescan starts at the last mark at least 8 characters before the edit and resumes at the
  // first point at least 8 after it whose state the last scan had: edits within a few
  // characters of a mark, of every kind of token, probe those margins and the mark's flags.
  const tokens = ['(', ')', '{', '}', '`', '${', "'", '/*', '*/', '//', '/', '\n', '\r\n', '\r', '\u2028', ';', '=>', '<', '>', '</', '/>', 'async', 'async (', 'else', 'class', 'x', '\\', 'return', '', '\n\n'];
  const texts = [generateTs(300, 2), generateTs(200, 4).replace(/\n/g, '\r\n'), generateTs(150, 5).replace(/\n/g, '\u2028')];
  let checks = 0;
  for (const [t, text] of texts.entries()) {
    const rnd = prng(7000 + t);
    const scan = GuardScan.of(text);
    const marks = (scan as unknown as { segs: { pos: number[] } }).segs.pos;
    assert.ok(marks.length > 3, `${marks.length} marks`);
    for (const mark of marks.slice(1)) {
      for (let off = -10; off <= 10; off++) {
        const at = Math.max(0, Math.min(text.length, mark + off));
        const removed = rnd() < 0.4 ? 1 + Math.floor(rnd() * 3) : 0;
        const next = text.slice(0, at) + tokens[Math.floor(rnd() * tokens.length)] + text.slice(at + removed);
        const rescan = GuardScan.of(next, scan);
        check(`text ${t} mark ${mark} offset ${off}`, next, rescan);
        // And the edit undone, from the rescan.
        check(`text ${t} mark ${mark} offset ${off} undone`, text, GuardScan.of(text, rescan));
        checks += 2;
      }
    }
  }
  assert.ok(checks > 500, `${checks} checks`);
});

test('a rescan from the scan of any other text, and deepest points that tie, equal a full scan', () => {
  const a = generateTs(200, 2);
  const b = generateTs(120, 6);
  const deep = `${'('.repeat(40)}1${')'.repeat(40)};\n`;
  // The same deepest point at two places (statements that end with ';', so no chain is
  // pending before either): the first one is where the text is deepest.
  const flat = Array.from({ length: 300 }, (_, i) => `const v${i} = f(${i});\n`).join('');
  const mid = flat.indexOf('const v150');
  const once = `${flat}${deep}`;
  const twice = `${flat.slice(0, mid)}${deep}${once.slice(mid)}`;
  const pairs: Array<[string, string]> = [
    [a, b], [b, a], [a, a + b], [a + b, b], [a, ''], ['', a], [a, a.replace(/\n/g, '\r\n')], [a.replace(/\n/g, '\r\n'), a],
    [a, once], [once, twice], [twice, once], [twice, twice.replace(deep, deep.replace('1', '2'))],
  ];
  for (const [i, [before, after]] of pairs.entries()) check(`pair ${i}`, after, GuardScan.of(after, GuardScan.of(before)));
  assert.equal(GuardScan.of(twice, GuardScan.of(once)).nesting.offset, mid + 39);
  assert.equal(GuardScan.of(once, GuardScan.of(twice)).nesting.offset, flat.length + 39);
});
