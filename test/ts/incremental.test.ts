import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { createLinter } from '../../src/core';
import type { FileResult } from '../../src/core/types';
import { changeRange, editSteps, ParseCache, parseTs } from '../../src/core/ts/engine';
import { ModuleCache } from '../../src/core/ts/module-cache';
import { GuardScan, parseRisk } from '../../src/core/ts/parse-guard';
import { prng } from '../fuzz/generate';
import { tsFiles } from '../support/source-files';

// The engine re-parses the next version of a file incrementally (ParseCache). These tests
// hold it to one promise: whatever the edits, the tree and the findings are exactly what a
// fresh parse of the same text gives.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'typescript-server', 'src');

const SNIPPETS = ['x', ')', '(', '{', '}', '`', "'", '"', '/*', '*/', '//', '\n', ';', ' + cmd', '${', 'async (', '=> ', 'exec(', '<T>', 'if (a) {', '\n}\n'];

/** One random typing-like edit: insert a snippet, delete a few characters, or move a line. */
function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.5) return text.slice(0, at) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + text.slice(at);
  if (r < 0.85) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 6)));
  const lines = text.split('\n');
  const i = Math.floor(rnd() * lines.length);
  const [line] = lines.splice(i, 1);
  lines.splice(Math.floor(rnd() * (lines.length + 1)), 0, line ?? '');
  return lines.join('\n');
}

/** A flag the compiler uses as a cache (set lazily, so it differs between otherwise equal trees). */
const IGNORED_FLAGS = ts.NodeFlags.HasAggregatedChildData;
/**
 * The source file's 'possibly contains import() / import.meta' hints: `ts.updateSourceFile`
 * keeps them once any earlier version had them (TypeScript's PermanentlySetIncrementalFlags,
 * on purpose: they only make a program look for more imports). Nothing here reads them.
 */
const STICKY_ROOT_FLAGS = (1 << 22) | (1 << 23); // internal: NodeFlags.PossiblyContainsDynamicImport | PossiblyContainsImportMeta

/**
 * Kind, span and flags of every node, and the syntax errors (the engine reports the first):
 * two trees with the same dump are the same parse.
 */
/**
 * The parser's context flags (in an `await`/`yield`/decorator/no-`in` context) and its
 * this-node-has-an-error mark. On a modifier token that TypeScript's incremental parser reuses
 * (`private readonly x` of a constructor parameter, `declare` before a broken declaration) it can
 * keep the old ones while a fresh parse of the broken code around it sets them; the errors
 * themselves are compared, and nothing in the engine reads these flags.
 */
const CONTEXT_FLAGS = ts.NodeFlags.DisallowInContext | ts.NodeFlags.YieldContext | ts.NodeFlags.DecoratorContext | ts.NodeFlags.AwaitContext | ts.NodeFlags.ThisNodeHasError;

function dump(sf: ts.SourceFile): string {
  const out: string[] = [];
  const visit = (n: ts.Node, depth: number): void => {
    const ignored = IGNORED_FLAGS | (n === sf ? STICKY_ROOT_FLAGS : 0) | (ts.isModifier(n) ? CONTEXT_FLAGS : 0);
    out.push(`${depth}:${ts.SyntaxKind[n.kind]}:${n.pos}-${n.end}:${n.flags & ~ignored}`);
    ts.forEachChild(n, (c) => visit(c, depth + 1));
  };
  visit(sf, 0);
  const errors = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  for (const d of errors) out.push(`error ${d.start}:${d.length}:${d.code}`);
  return out.join('\n');
}

const comparable = (r: FileResult) =>
  JSON.stringify({ findings: r.findings.map((f) => ({ ...f, fingerprint: undefined })), problems: r.problems });

test('changeRange is the common prefix and suffix left out', () => {
  const r = changeRange('const a = 1;', 'const abc = 1;');
  assert.deepEqual([r.span.start, r.span.length, r.newLength], [7, 0, 2]);
  const d = changeRange('aaaa', 'aa');
  assert.equal(d.span.start + d.span.length, 4);
  assert.equal(d.newLength, 0);
  const same = changeRange('abc', 'abc');
  assert.deepEqual([same.span.length, same.newLength], [0, 0]);
});

test('changeRange agrees with a character-by-character comparison, across its chunk boundaries', () => {
  const rnd = prng(42);
  const naive = (a: string, b: string) => {
    const max = Math.min(a.length, b.length);
    let s = 0;
    while (s < max && a[s] === b[s]) s++;
    let t = 0;
    while (t < max - s && a[a.length - 1 - t] === b[b.length - 1 - t]) t++;
    return [s, a.length - s - t, b.length - s - t];
  };
  for (let i = 0; i < 300; i++) {
    const len = Math.floor(rnd() * 1500);
    const a = Array.from({ length: len }, () => 'ab\n'[Math.floor(rnd() * 3)]).join('');
    const at = Math.floor(rnd() * (len + 1));
    const del = Math.floor(rnd() * 600);
    const ins = 'ab'.repeat(Math.floor(rnd() * 300));
    const b = a.slice(0, at) + ins + a.slice(at + del);
    const r = changeRange(a, b);
    assert.deepEqual([r.span.start, r.span.length, r.newLength], naive(a, b), `case ${i}`);
  }
});

/** Applies steps the way ParseCache does, checking each range against the text it edits. */
function applySteps(before: string, steps: ReturnType<typeof editSteps>): string {
  let text = before;
  for (const { text: next, range } of steps) {
    const { start, length } = range.span;
    assert.equal(text.slice(0, start), next.slice(0, start));
    assert.equal(text.slice(start + length), next.slice(start + range.newLength));
    text = next;
  }
  return text;
}

test('editSteps splits two far-apart edits into two small ranges that compose to the new text', () => {
  const body = Array.from({ length: 200 }, (_, i) => `const v${i} = f(${i});`).join('\n');
  const before = `let a = 1;\n${body}\nlet b = 2;\n`;
  const after = `let ax = 1;\n${body}\nlet  = 2;\n`; // typed at the top, deleted at the bottom
  const steps = editSteps(before, after);
  assert.equal(steps.length, 2);
  assert.ok(steps.every((s) => s.range.span.length + s.range.newLength <= 2), JSON.stringify(steps.map((s) => s.range)));
  assert.equal(applySteps(before, steps), after);
  // One nearby edit, or a large change with no small first edit, stays one range.
  assert.equal(editSteps(before, before.replace('let b', 'let bb')).length, 1);
  assert.equal(editSteps(before, after.split('').reverse().join('')).length, 1);
});

test('editSteps always composes to the new text, split or not', () => {
  const rnd = prng(99);
  for (let i = 0; i < 400; i++) {
    const len = 2000 + Math.floor(rnd() * 4000);
    const a = Array.from({ length: len }, () => 'ab \n'[Math.floor(rnd() * 4)]).join('');
    let b = a;
    for (let e = 0, edits = 1 + Math.floor(rnd() * 3); e < edits; e++) {
      const at = Math.floor(rnd() * (b.length + 1));
      b = b.slice(0, at) + 'ab'.slice(0, Math.floor(rnd() * 3)) + b.slice(Math.min(b.length, at + Math.floor(rnd() * 3)));
    }
    assert.equal(applySteps(a, editSteps(a, b)), b, `case ${i}`);
  }
});

test('two edits far apart between analyses re-parse incrementally to the same tree as a fresh parse', () => {
  const files = [...tsFiles(FIXTURES), ...tsFiles(EXAMPLES)].filter((f) => fs.statSync(f).size > 3000);
  assert.ok(files.length > 5);
  let split = 0;
  let keptBetween = 0;
  let allBetween = 0;
  for (const [n, file] of files.entries()) {
    const rnd = prng(2000 + n);
    const cache = new ParseCache();
    let text = fs.readFileSync(file, 'utf8');
    let previous = cache.parse(file, text);
    for (let step = 0; step < 8; step++) {
      // One edit near the start and one near the end, as one change between two analyses.
      const cut = Math.floor(text.length / 2);
      const next = edit(text.slice(0, cut), rnd) + edit(text.slice(cut), rnd);
      const steps = editSteps(text, next);
      text = next;
      const incremental = cache.parse(file, text);
      assert.equal(dump(incremental), dump(parseTs(file, text)), `${path.relative(FIXTURES, file)} seed ${2000 + n} step ${step}`);
      if (steps.length === 2) {
        split++;
        // Statements between the two edits are mostly the old nodes, not parsed again (an edit
        // that opens a comment or a template changes what follows it).
        const from = steps[0]!.range.span.start + steps[0]!.range.newLength;
        const to = steps[1]!.range.span.start;
        const between = incremental.statements.filter((st) => st.pos > from && st.end < to);
        keptBetween += between.filter((st) => previous.statements.includes(st)).length;
        allBetween += between.length;
      }
      previous = incremental;
    }
  }
  assert.ok(split > 10, `split ${split} changes into two steps`);
  assert.ok(allBetween > 20 && keptBetween > allBetween / 2, `kept ${keptBetween} of ${allBetween} statements between two edits`);
});

test('incremental re-parses after random edits give the same tree as a fresh parse', () => {
  const files = [...tsFiles(FIXTURES), ...tsFiles(EXAMPLES)];
  assert.ok(files.length > 20);
  let compared = 0;
  let reused = 0;
  for (const [n, file] of files.entries()) {
    const rnd = prng(1000 + n);
    const cache = new ParseCache();
    let text = fs.readFileSync(file, 'utf8');
    let previous = cache.parse(file, text);
    for (let step = 0; step < 12; step++) {
      text = edit(text, rnd);
      const incremental = cache.parse(file, text);
      if (incremental.statements.some((s) => previous.statements.includes(s))) reused++;
      assert.equal(dump(incremental), dump(parseTs(file, text)), `${path.relative(FIXTURES, file)} seed ${1000 + n} step ${step}`);
      previous = incremental;
      compared++;
    }
  }
  // The cache must actually be incremental, not a fresh parse every time.
  assert.ok(reused > compared / 2, `reused old statements in ${reused} of ${compared} re-parses`);
});

test('findings after a sequence of edits equal a fresh analysis, also when switching files', async () => {
  const files = tsFiles(path.join(FIXTURES, 'no-command-injection')).concat(tsFiles(path.join(FIXTURES, 'no-path-traversal')));
  const editing = await createLinter();
  const rnd = prng(7);
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  for (let step = 0; step < 60; step++) {
    // Alternate between files the way an editor with several open documents does.
    const file = files[Math.floor(rnd() * files.length)]!;
    const text = rnd() < 0.2 ? fs.readFileSync(file, 'utf8') : edit(texts.get(file)!, rnd);
    texts.set(file, text);
    const fresh = await createLinter();
    assert.equal(comparable(editing.lintText(file, text)), comparable(fresh.lintText(file, text)), `step ${step} ${path.basename(file)}`);
  }
});

/** A server whose tool passes its argument to a helper module (HELPER, at ./helper). */
const INDEX = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { z } from 'zod';",
  "import { run } from './helper';",
  "const server = new McpServer({ name: 'x', version: '1' });",
  "server.tool('git', { args: z.string() }, async ({ args }) => {",
  '  run(args);',
  "  return { content: [{ type: 'text', text: 'ok' }] };",
  '});',
  '',
].join('\n');
const HELPER = "import { exec } from 'node:child_process';\nexport function run(command: string) {\n  exec(`git ${command}`);\n}\n";

test('a file edited in the editor and imported by another is never seen stale or half-updated', async () => {
  const disk = new Map<string, string>([
    ['/proj/src/helper.ts', HELPER],
    ['/proj/src/index.ts', INDEX],
  ]);
  const host = { readFile: (f: string) => disk.get(f) };
  const editing = await createLinter();
  const both = async () => {
    const fresh = await createLinter();
    for (const f of ['/proj/src/helper.ts', '/proj/src/index.ts']) {
      assert.equal(comparable(editing.lintText(f, disk.get(f)!, { host })), comparable(fresh.lintText(f, disk.get(f)!, { host })), f);
    }
    return editing.lintText('/proj/src/index.ts', disk.get('/proj/src/index.ts')!, { host }).findings.map((f) => f.ruleId);
  };
  assert.deepEqual(await both(), ['no-command-injection']);
  // Typing in the helper (incremental re-parses of the tree the index's analysis also used).
  let helper = disk.get('/proj/src/helper.ts')!;
  for (const [from, to] of [['exec(`git ${command}`)', "execFile('git', [command])"], ['{ exec }', '{ execFile }']] as const) {
    helper = helper.replace(from, to);
    disk.set('/proj/src/helper.ts', helper);
    editing.lintText('/proj/src/helper.ts', helper, { host });
  }
  // 'git <user value>' through execFile is still argument injection, not command injection.
  assert.deepEqual(await both(), ['no-command-injection']);
  helper = helper.replace("execFile('git', [command])", "execFile('git', ['--', command])");
  disk.set('/proj/src/helper.ts', helper);
  editing.lintText('/proj/src/helper.ts', helper, { host });
  assert.deepEqual(await both(), []);
});

test('unsaved edits of an imported file do not disturb the saved version other files import', async () => {
  const saved = HELPER;
  const index = INDEX;
  const host = { readFile: (f: string) => (f === '/proj/src/helper.ts' ? saved : f === '/proj/src/index.ts' ? index : undefined) };
  const editing = await createLinter();
  const expected = comparable((await createLinter()).lintText('/proj/src/index.ts', index, { host }));
  editing.lintText('/proj/src/helper.ts', saved, { host });
  assert.equal(comparable(editing.lintText('/proj/src/index.ts', index, { host })), expected);
  // The buffer differs from the disk: the incremental parser repositions the shared tree's nodes.
  let buffer = saved;
  for (let i = 0; i < 3; i++) {
    buffer = `// a comment typed above, line ${i}\n${buffer}`;
    editing.lintText('/proj/src/helper.ts', buffer, { host });
    assert.equal(comparable(editing.lintText('/proj/src/index.ts', index, { host })), expected, `after unsaved edit ${i}`);
  }
});

test('the incremental parser never repositions a tree the module cache still hands out', () => {
  const file = '/proj/src/helper.ts';
  const saved = HELPER;
  const modules = new ModuleCache();
  const parses = new ParseCache(8, modules);
  const first = parses.parse(file, saved);
  modules.adopt(file, saved, first);
  assert.equal(modules.parse(file, saved)?.sf, first, 'the adopted tree is shared');
  parses.parse(file, `// typed\n${saved}`);
  const cached = modules.parse(file, saved)!.sf;
  assert.equal(dump(cached), dump(parseTs(file, saved)));
});

test('syntax errors that the incremental parser drops with a reused node are the fresh parse\'s', async () => {
  // Shrunk from random edits of corpus files: each pair is a version and the next one; the
  // second re-parse reuses a node whose error TypeScript reported on a token it then discarded
  // ('...' of a spread) or after the node was finished ('=' after a block).
  const pairs: Array<[string, string]> = [
    ['f({\u00a7...a});\nconst x = 1;\n', 'f({\u00a7...a});\nconst x = 12;\n'],
    ['return{\ud83d...(d&{})}; {_ ', 'return{\ud83d...(d&{})}; {_'],
    ['e={...n...s,e:z().e("")}\nt{r', 'e={...n...s,e:z().e("")}\nt{'],
    ['t{}=', '=t{}='],
    ['const m = await import("x");\nconst u = import.meta.url;\nconst b = 2;\n', 'const m = 0;\nconst u = 1;\nconst b = 2;\n'],
  ];
  for (const [before, after] of pairs) {
    const cache = new ParseCache();
    cache.parse('/x/a.ts', before);
    assert.equal(dump(cache.parse('/x/a.ts', after)), dump(parseTs('/x/a.ts', after)), JSON.stringify(after));
  }
  // Two far-apart edits, the error between them: the second step must not lose it either.
  const body = Array.from({ length: 150 }, (_, i) => `const v${i} = f(${i});`).join('\n');
  const before = `let a = 1;\n${body}\nconst o = g({\u00a7...rest});\n${body}\nlet b = 2;\n`;
  const after = before.replace('let a = 1', 'let ab = 1').replace('let b = 2', 'let b = 23');
  assert.equal(editSteps(before, after).length, 2);
  const cache = new ParseCache();
  cache.parse('/x/b.ts', before);
  assert.equal(dump(cache.parse('/x/b.ts', after)), dump(parseTs('/x/b.ts', after)));
  // As the user sees it: the same parse-error problem as a fresh analysis.
  const text = "import { exec } from 'node:child_process';\nconst o = f({\u00a7...a});\nexport const x = 1;\n";
  const edited = text.replace('x = 1', 'x = 12');
  const editing = await createLinter();
  editing.lintText('/x/c.ts', text);
  const result = editing.lintText('/x/c.ts', edited);
  assert.equal(comparable(result), comparable((await createLinter()).lintText('/x/c.ts', edited)));
  assert.equal(result.problems[0]?.message, 'Invalid character.');
});

test('a two-step re-parse whose intermediate text the parse guard would refuse is a fresh parse', () => {
  // The first edit uncovers what the second removes: code commented out between them. Neither
  // version may be refused, but the text between the two steps holds 12 nested 'async ('
  // levels, which make TypeScript's parser take exponential time (19 levels took 9 s).
  const filler = Array.from({ length: 120 }, (_, i) => `const v${i} = f(${i});`).join('\n');
  const nest = `g(${'async ('.repeat(12)}${')'.repeat(12)});\n`;
  const head = 'const h0 = 0;\nconst h1 = 1;\n';
  const tail = 'const t0 = 0;\nconst t1 = 1;\nconst t2 = 2;\n';
  const before = `${head}/*\n${filler}\n${nest}*/\n${tail}`;
  const after = `${head}\n${filler}\n${tail}`;
  const steps = editSteps(before, after);
  assert.equal(steps.length, 2);
  assert.match(parseRisk(steps[0]!.text) ?? '', /12 nested 'async \(' levels/);
  assert.equal(parseRisk(before), undefined);
  assert.equal(parseRisk(after), undefined);
  const cache = new ParseCache();
  const first = cache.parse('/x/a.ts', before);
  const next = cache.parse('/x/a.ts', after);
  assert.equal(dump(next), dump(parseTs('/x/a.ts', after)));
  assert.ok(!next.statements.some((st) => first.statements.includes(st)), 'parsed afresh, not through the intermediate text');
  // The engine hands over its scan of the new text: the in-between text is rescanned from it.
  const guarded = new ParseCache();
  const guardedFirst = guarded.parse('/x/g.ts', before, GuardScan.of(before));
  const guardedNext = guarded.parse('/x/g.ts', after, GuardScan.of(after, GuardScan.of(before)));
  assert.equal(dump(guardedNext), dump(parseTs('/x/g.ts', after)));
  assert.ok(!guardedNext.statements.some((st) => guardedFirst.statements.includes(st)), 'parsed afresh with a guard scan given');
  // The same two steps without the nesting are still applied incrementally.
  const plain = before.replace(nest, 'g(1);\n');
  assert.equal(editSteps(plain, after).length, 2);
  const again = new ParseCache();
  const plainFirst = again.parse('/x/b.ts', plain);
  const reparsed = again.parse('/x/b.ts', after);
  assert.equal(dump(reparsed), dump(parseTs('/x/b.ts', after)));
  assert.ok(reparsed.statements.some((st) => plainFirst.statements.includes(st)), 'incremental');
});

test('lintText without fixes reports the same findings, only without the data-flow fixes', async () => {
  const linter = await createLinter();
  let withFixes = 0;
  for (const file of tsFiles(path.join(FIXTURES, 'no-command-injection'))) {
    const text = fs.readFileSync(file, 'utf8');
    const full = linter.lintText(file, text);
    const lean = linter.lintText(file, text, { fixes: false });
    if (!full.findings.some((f) => f.fixes.length > 0)) continue;
    withFixes++;
    const strip = (r: FileResult) => r.findings.map((f) => ({ ...f, fixes: f.properties?.['taintKind'] ? [] : f.fixes }));
    assert.deepEqual(strip(lean), strip(full), path.basename(file));
    assert.ok(lean.findings.filter((f) => f.properties?.['taintKind']).every((f) => f.fixes.length === 0));
  }
  assert.ok(withFixes >= 3, `compared ${withFixes} files with fixes`);
});
