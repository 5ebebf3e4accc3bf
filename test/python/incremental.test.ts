import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { Linter } from '../../src/core/linter';
import { walk, type PyNode } from '../../src/core/python/ast';
import { PythonEngine } from '../../src/core/python/engine';
import { parseText, textChange, textEdits, type ParsedText } from '../../src/core/python/incremental';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';
import { loadPythonParser, type TreeSitterParser } from '../../src/core/python/parser';
import { allRules } from '../../src/rules';
import type { FileResult } from '../../src/core/types';
import { prng } from '../fuzz/generate';

/**
 * Incremental analysis (issue 9): re-parsing from the previous tree and reusing the previous
 * copy's unchanged subtrees must give exactly what a fresh analysis gives, after any edit,
 * including edits that break the syntax and edits that repair it again.
 */

const fixtureRoot = path.join(__dirname, '..', 'fixtures');
const seeds = collect(fixtureRoot).sort();
const host = { readFile: () => undefined };

function collect(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...collect(p));
    else if (e.name.endsWith('.py')) out.push(p);
  }
  return out;
}

/** A stable number for a name (FNV-1a). */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Snippets typed into the file: tokens that open and close brackets and strings, indentation, code. */
const SNIPPETS = ['(', ')', '[', ']', '{', '}', ':', '"', "'", '"""', '\n', '\n    ', '    ', 'x', ' + cmd', 'os.system(cmd)', 'é😀', '#', '\\', 'def ', 'f"{', ',', '\n@mcp.tool()\ndef t(cmd: str):\n    return eval(cmd)\n'];

/** One random edit: insert a snippet, delete a range, duplicate a line or undo a previous edit. */
function edit(text: string, rand: () => number, history: string[]): string {
  const at = Math.floor(rand() * (text.length + 1));
  const r = rand();
  if (r < 0.45) return text.slice(0, at) + SNIPPETS[Math.floor(rand() * SNIPPETS.length)]! + text.slice(at);
  if (r < 0.75) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 40)));
  if (r < 0.85) {
    const start = text.lastIndexOf('\n', at - 1) + 1;
    const end = text.indexOf('\n', at);
    const line = text.slice(start, end < 0 ? text.length : end + 1);
    return text.slice(0, start) + line + text.slice(start);
  }
  // Back to an earlier version: errors introduced since then disappear again.
  return history.length > 0 ? history[Math.floor(rand() * history.length)]! : text;
}

/** Everything of a node that the analyses read, children included, as one string. */
function shape(root: PyNode): string {
  const parts: string[] = [];
  const stack: PyNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.source !== root.source) parts.push('!source');
    for (const c of n.children) if (c.parent !== n) parts.push('!parent');
    parts.push(`${n.type}|${n.named ? 1 : 0}|${n.field ?? ''}|${n.start}|${n.end}|${n.missing ? 1 : 0}|${n.children.length}`);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return parts.join('\n');
}

/** Like assert.equal on two long multi-line strings, but reports the first differing line. */
function assertSameLines(actual: string, expected: string, message: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < a.length && a[i] === e[i]) i++;
  assert.fail(`${message}: line ${i + 1} is '${a[i]}', expected '${e[i]}' (after '${a[i - 1]}')`);
}

function comparable(r: FileResult): unknown {
  const { elapsedMs: _elapsed, ...rest } = r;
  return rest;
}

let parser: TreeSitterParser;
before(async () => {
  parser = await loadPythonParser();
});

describe('textChange', () => {
  test('common prefix and suffix, and nothing for equal texts', () => {
    assert.equal(textChange('abc', 'abc'), undefined);
    assert.deepEqual(textChange('abcdef', 'abXYdef'), { start: 2, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(textChange('aaa', 'aaaa'), { start: 3, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(textChange('abc', ''), { start: 0, oldEnd: 3, newEnd: 0 });
  });
  test('never splits a surrogate pair', () => {
    // '😀' is \ud83d\ude00 and '😁' is \ud83d\ude01: same high half.
    const c = textChange('a😀b', 'a😁b')!;
    assert.deepEqual(c, { start: 1, oldEnd: 3, newEnd: 3 });
    const d = textChange('a\ud83d\ude00', 'a\ud83c\ude00')!;
    assert.deepEqual(d, { start: 1, oldEnd: 3, newEnd: 3 });
  });
});

/** Checks that each edit turns the text before it into the text it leaves, and returns the last. */
function applyEdits(before: string, edits: ReturnType<typeof textEdits>): string {
  let text = before;
  for (const { change, text: after } of edits) {
    assert.equal(text.slice(0, change.start) + after.slice(change.start, change.newEnd) + text.slice(change.oldEnd), after);
    text = after;
  }
  return text;
}

/**
 * Two edits at once, far apart, as the editor's analysis sees typing that moved between two
 * places (the benchmark: the last letter undone in one tool's description, one typed into the
 * next): a snippet typed at one place and something typed or deleted at another.
 */
function twoPlaces(text: string, rand: () => number): string {
  const a = Math.floor(rand() * (text.length + 1));
  const b = Math.floor(rand() * (text.length + 1));
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const snippet = () => SNIPPETS[Math.floor(rand() * SNIPPETS.length)]!;
  const typed = rand() < 0.5;
  const second = typed ? snippet() : '';
  const cut = typed ? 0 : Math.min(1 + Math.floor(rand() * 6), text.length - hi);
  return text.slice(0, lo) + snippet() + text.slice(lo, hi) + second + text.slice(hi + cut);
}

describe('textEdits', () => {
  test('two far-apart changes are two edits that compose to the new text, each after the last; others one', () => {
    const base: string = generatePy(1000);
    const docs = [...base.matchAll(/"""(?=[A-Z])/g)].map((m) => m.index! + 3);
    const typed = (i: number) => `${base.slice(0, docs[i]!)}${String.fromCharCode(97 + (i % 26))}${base.slice(docs[i]!)}`;
    for (let i = 1; i + 1 < docs.length; i++) {
      const edits = textEdits(typed(i), typed(i + 1));
      assert.equal(edits.length, 2, `tool ${i}`);
      assert.deepEqual(edits[0]!.change, { start: docs[i]!, oldEnd: docs[i]! + 1, newEnd: docs[i]! });
      assert.deepEqual(edits[1]!.change, { start: docs[i + 1]!, oldEnd: docs[i + 1]!, newEnd: docs[i + 1]! + 1 });
      assert.equal(applyEdits(typed(i), edits), typed(i + 1));
    }
    assert.deepEqual(textEdits(base, base), []);
    assert.equal(textEdits(base, typed(3)).length, 1, 'one change');
    const rand = prng(5);
    let split = 0;
    for (let k = 0; k < 300; k++) {
      const a = k % 2 ? base : twoPlaces(base, rand);
      const b = twoPlaces(a, rand);
      const edits = textEdits(a, b);
      assert.equal(applyEdits(a, edits), b, `case ${k}`);
      if (edits.length === 2) {
        split++;
        assert.ok(edits[1]!.change.start > edits[0]!.change.newEnd, `case ${k}: the second edit starts after the first`);
      }
    }
    assert.ok(split > 100, `${split} of 300 split`);
  });
});

describe('incremental parse and copy', () => {
  /** Asserts that an incremental parse of `text`, its copy included, equals a fresh parse; true when the text has a syntax error. */
  const assertSameAsFresh = (inc: ParsedText, file: string, text: string, where: string): boolean => {
    const fresh = parseText(parser, file, text);
    try {
      assert.equal(inc.tree.rootNode.toString(), fresh.tree.rootNode.toString(), `${where}: tree`);
      assertSameLines(shape(inc.source.root), shape(fresh.source.root), `${where}: copy`);
      assert.equal(inc.source.depth, fresh.source.depth, `${where}: depth`);
      assert.equal(inc.source.hasError, fresh.source.hasError, `${where}: hasError`);
      assert.equal(inc.source.text, text);
      return fresh.source.hasError;
    } finally {
      fresh.tree.delete();
    }
  };
  test('after random edits to every Python fixture, the tree and its copy equal a fresh parse', () => {
    let edits = 0;
    let broken = 0;
    for (const file of seeds) {
      // Seeded by the file's name, not its place in the list: a fixture added elsewhere leaves
      // every other file's edits as they were. tree-sitter's incremental parse of a broken file
      // can differ from a fresh one on its own (a '\\' typed into servers/python_stdio.py at the
      // tenth edit of the index-seeded sequence did, with one correct edit on a fresh tree).
      const rand = prng(seedOf(path.relative(fixtureRoot, file)));
      let text = fs.readFileSync(file, 'utf8');
      const history = [text];
      let inc: ParsedText = parseText(parser, file, text);
      try {
        for (let k = 0; k < 12; k++) {
          text = edit(text, rand, history);
          history.push(text);
          inc = parseText(parser, file, text, inc);
          edits++;
          if (assertSameAsFresh(inc, file, text, `${path.relative(fixtureRoot, file)} after edit ${k + 1}`)) broken++;
        }
      } finally {
        inc.tree.delete();
      }
    }
    // The edits must exercise both states, or the comparison proves little.
    assert.ok(broken > edits / 10 && broken < edits - edits / 10, `${broken} of ${edits} edits left a syntax error`);
  });

  test('edits at two places at once: the two-edit re-parse and its copy equal a fresh parse', () => {
    const files = [...seeds.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })), { file: '/virtual/generated.py', text: generatePy(1000) as string }];
    let edits = 0;
    let split = 0;
    let broken = 0;
    for (const [i, { file, text: original }] of files.entries()) {
      const rand = prng(3000 + i);
      let text = original;
      let inc: ParsedText = parseText(parser, file, text);
      try {
        for (let k = 0; k < 10; k++) {
          // Mostly one edit of the original, which undoes the last one where this one is not
          // (the benchmark's pattern; errors come and go), else two more edits of this version.
          const r = rand();
          const next = r < 0.6 ? edit(original, rand, []) : r < 0.8 ? twoPlaces(original, rand) : twoPlaces(text, rand);
          if (textEdits(text, next).length === 2) split++;
          text = next;
          inc = parseText(parser, file, text, inc);
          edits++;
          if (assertSameAsFresh(inc, file, text, `${path.relative(fixtureRoot, file)} after edit ${k + 1}`)) broken++;
        }
      } finally {
        inc.tree.delete();
      }
    }
    assert.ok(split > edits / 2, `${split} of ${edits} edits went as two`);
    assert.ok(broken > edits / 10 && broken < edits - edits / 10, `${broken} of ${edits} edits left a syntax error`);
  });

  test('an edit undone in one function and made in another re-copies only around the two', () => {
    const fns = Array.from({ length: 50 }, (_, i) => `def f${i}(x):\n    """Doc ${i}."""\n    return x + ${i}\n`).join('\n');
    const at = (n: number) => fns.indexOf(`Doc ${n}.`) + 3;
    const typed = (n: number) => `${fns.slice(0, at(n))}Z${fns.slice(at(n))}`;
    const first = parseText(parser, '/virtual/a.py', typed(10));
    const before = first.source.root.namedChildren.slice();
    const starts = before.map((n) => n.start);
    const next = parseText(parser, '/virtual/a.py', typed(30), first);
    try {
      const after = next.source.root.namedChildren;
      assert.equal(after.length, 50);
      assert.equal(after.filter((n, i) => n === before[i]).length, 48, 'every function but the two edited ones is reused');
      assert.equal(after[20], before[20], 'a function between the two edits is reused');
      assert.equal(after[20]!.start, starts[20]! - 1, 'and moved by the first edit only');
      assert.equal(after[40]!.start, starts[40]!, 'nodes after both edits are moved by both');
      assert.equal(after[20]!.text, 'def f20(x):\n    """Doc 20."""\n    return x + 20');
    } finally {
      next.tree.delete();
    }
  });

  test('unchanged statements keep their nodes: an edit in one function re-copies only around it', () => {
    const fns = Array.from({ length: 50 }, (_, i) => `def f${i}(x):\n    """Doc ${i}."""\n    return x + ${i}\n`).join('\n');
    const first = parseText(parser, '/virtual/a.py', fns);
    const before = first.source.root.namedChildren.slice();
    const starts = before.map((n) => n.start);
    const at = fns.indexOf('Doc 25') + 3;
    const next = parseText(parser, '/virtual/a.py', `${fns.slice(0, at)}Z${fns.slice(at)}`, first);
    try {
      const after = next.source.root.namedChildren;
      assert.equal(after.length, 50);
      const kept = after.filter((n, i) => n === before[i]).length;
      assert.equal(kept, 49, 'every function but the edited one is reused');
      assert.equal(after[26]!.start, starts[26]! + 1, 'nodes after the edit are shifted');
      assert.equal(after[24]!.start, starts[24]!, 'nodes before the edit stay');
      assert.equal(after[26]!.text, 'def f26(x):\n    """Doc 26."""\n    return x + 26');
    } finally {
      next.tree.delete();
    }
  });

  test('walk over the pre-order index visits what a stack walk visits, skips included, version after version', () => {
    const stackWalk = (node: PyNode, visit: (n: PyNode) => boolean): void => {
      const stack = [node];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (!visit(n)) continue;
        for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
      }
    };
    // Skip the subtrees of calls and of every seventh node: answers that depend on the node only.
    const skip = (n: PyNode) => n.type === 'call' || (n.start * 31 + n.end) % 7 === 0;
    const file = seeds.find((f) => f.endsWith('fastmcp_shell.py'))!;
    let text = fs.readFileSync(file, 'utf8');
    let doc = parseText(parser, file, text);
    const rand = prng(99);
    try {
      for (let k = 0; k < 6; k++) {
        for (const from of [doc.source.root, ...doc.source.root.namedChildren.slice(0, 5)]) {
          const a: PyNode[] = [];
          const b: PyNode[] = [];
          walk(from, (n) => (a.push(n), !skip(n)));
          stackWalk(from, (n) => (b.push(n), !skip(n)));
          assert.ok(a.length === b.length && a.every((n, i) => n === b[i]), `edit ${k}: walk from ${from.type}`);
        }
        text = edit(text, rand, []);
        doc = parseText(parser, file, text, doc);
      }
    } finally {
      doc.tree.delete();
    }
  });

  test('a parse of another file is refused', () => {
    const a = parseText(parser, '/virtual/a.py', 'x = 1\n');
    try {
      assert.throws(() => parseText(parser, '/virtual/b.py', 'x = 2\n', a), /a parse of/);
    } finally {
      a.tree.delete();
    }
  });
});

describe('incremental analysis', () => {
  let incremental: Linter;
  let freshEngine: PythonEngine;
  let fresh: Linter;
  before(async () => {
    incremental = await Linter.create({ rules: allRules, engines: [new PythonEngine()] });
    freshEngine = new PythonEngine();
    fresh = await Linter.create({ rules: allRules, engines: [freshEngine] });
  });

  const check = (file: string, text: string, where: string) => {
    freshEngine.forget();
    const want = comparable(fresh.lintText(file, text, { host }));
    assert.deepEqual(comparable(incremental.lintText(file, text, { host })), want, where);
  };

  test('findings after random edits equal a fresh analysis, switching between two files', () => {
    const files = seeds.filter((f) => f.includes(`${path.sep}rules${path.sep}`));
    let findings = 0;
    for (let i = 0; i + 1 < files.length; i += 2) {
      const rand = prng(7 + i);
      const texts = [fs.readFileSync(files[i]!, 'utf8'), fs.readFileSync(files[i + 1]!, 'utf8')];
      const history: string[][] = [[texts[0]!], [texts[1]!]];
      for (let k = 0; k < 10; k++) {
        // Mostly the same file, sometimes the other one: each keeps its own previous parse.
        const which = rand() < 0.7 ? k % 2 : 1 - (k % 2);
        texts[which] = edit(texts[which]!, rand, history[which]!);
        history[which]!.push(texts[which]!);
        check(files[which]!, texts[which]!, `${path.relative(fixtureRoot, files[which]!)} after edit ${k + 1}`);
        findings += incremental.lintText(files[which]!, texts[which]!, { host }).findings.length;
      }
    }
    assert.ok(findings > 100, `the edited files must keep producing findings (${findings})`);
  });

  test('a syntax error typed and removed again gives the findings of the original', () => {
    const file = path.join(fixtureRoot, 'rules', 'no-command-injection', 'fastmcp_shell.py');
    const text = fs.readFileSync(file, 'utf8');
    const original = comparable(incremental.lintText(file, text, { host }));
    const at = text.indexOf('def ');
    for (const bad of ['(', '"""', 'def (', '[{']) {
      const broken = `${text.slice(0, at)}${bad}${text.slice(at)}`;
      check(file, broken, `with '${bad}' inserted`);
      assert.deepEqual(comparable(incremental.lintText(file, text, { host })), original, `after removing '${bad}'`);
    }
  });

  test('without fixes, the same findings, only without the data-flow fixes', () => {
    let withFixes = 0;
    for (const file of seeds.filter((f) => f.includes(`${path.sep}rules${path.sep}`))) {
      const text = fs.readFileSync(file, 'utf8');
      const full = incremental.lintText(file, text, { host });
      const lean = incremental.lintText(file, text, { host, fixes: false });
      if (!full.findings.some((f) => f.properties?.['taintKind'] && f.fixes.length > 0)) continue;
      withFixes++;
      const strip = (r: FileResult) => r.findings.map((f) => ({ ...f, fixes: f.properties?.['taintKind'] ? [] : f.fixes }));
      assert.deepEqual(strip(lean), strip(full), path.basename(file));
      assert.ok(lean.findings.filter((f) => f.properties?.['taintKind']).every((f) => f.fixes.length === 0));
    }
    assert.ok(withFixes >= 5, `compared ${withFixes} files with fixes`);
  });

  test('the same path with unrelated text is parsed right (no stale tree)', () => {
    const file = '/virtual/switch.py';
    const a = 'import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("a")\n@mcp.tool()\ndef run(cmd: str) -> str:\n    return os.popen(cmd).read()\n';
    const b = 'x = [1, 2, 3]\n';
    for (const text of [a, b, a, '', a]) check(file, text, JSON.stringify(text.slice(0, 20)));
  });
});
