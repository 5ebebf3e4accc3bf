import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { kindMask, walkTs, walkTsKinds } from '../../src/core/mcp/lang/ts';
import { ParseCache, parseTs } from '../../src/core/ts/engine';
import { PARSE_OPTIONS, parseModule, scriptKindOf } from '../../src/core/ts/module-cache';
import { nodeAt, setParents } from '../../src/core/ts/walk';
import { prng } from '../fuzz/generate';
import { tsFiles } from '../support/source-files';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';

// walkTs/walkTsKinds run over a flat pre-order array built once per parse. They must visit
// exactly what a recursive ts.forEachChild walk visits, from any starting node, with the
// same subtree skipping, also on trees produced by the incremental parser.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

/** The reference walk; `skip` decides which subtrees are not entered. */
function recursive(node: ts.Node, skip: (n: ts.Node) => boolean, out: ts.Node[] = []): ts.Node[] {
  out.push(node);
  if (!skip(node)) ts.forEachChild(node, (c) => void recursive(c, skip, out));
  return out;
}

function allNodes(sf: ts.SourceFile): ts.Node[] {
  return recursive(sf, () => false);
}

const SKIP_FUNCTIONS = (n: ts.Node) => ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n);

function check(sf: ts.SourceFile, label: string): void {
  const nodes = allNodes(sf);
  const mask = kindMask(ts.SyntaxKind.CallExpression, ts.SyntaxKind.Identifier, ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.FunctionDeclaration);
  // Every 7th node as a start, plus the root: enough to cover every kind of position.
  for (const [i, start] of nodes.entries()) {
    if (i % 7 !== 0) continue;
    const seen: ts.Node[] = [];
    walkTs(start, (n) => void seen.push(n));
    assert.deepEqual(seen, recursive(start, () => false), `${label}: walkTs from node ${i}`);
    const pruned: ts.Node[] = [];
    walkTs(start, (n) => {
      pruned.push(n);
      return !SKIP_FUNCTIONS(n);
    });
    assert.deepEqual(pruned, recursive(start, SKIP_FUNCTIONS), `${label}: walkTs with skips from node ${i}`);
    const kinds: ts.Node[] = [];
    walkTsKinds(start, mask, (n) => {
      kinds.push(n);
      return !SKIP_FUNCTIONS(n);
    });
    // A skipped subtree's root is still visited when the mask includes it, as in the reference.
    const expected = recursive(start, SKIP_FUNCTIONS).filter((n) => mask[n.kind] === 1);
    assert.deepEqual(kinds, expected, `${label}: walkTsKinds from node ${i}`);
  }
}

test('flat walks visit exactly what a recursive forEachChild walk visits, from any node', () => {
  const files = tsFiles(FIXTURES);
  assert.ok(files.length > 20);
  for (const file of files) check(parseTs(file, fs.readFileSync(file, 'utf8')), path.basename(file));
});

test('flat walks stay exact on incrementally re-parsed trees and on broken code', () => {
  const file = tsFiles(path.join(FIXTURES, 'no-command-injection'))[0]!;
  const text = fs.readFileSync(file, 'utf8');
  const cache = new ParseCache();
  cache.parse(file, text);
  const at = Math.floor(text.length / 2);
  check(cache.parse(file, `${text.slice(0, at)}\nconst broken = (a, => {{ \`\${\n${text.slice(at)}`), 'edited');
  check(parseTs('/x/deep.ts', `const v = ${'f('.repeat(300)}1${')'.repeat(300)};`), 'deep');
});

test('a tree re-parsed from an edit reuses the last flat tree only where that is exact (walk.ts succeed)', () => {
  // Typing in a string or a name keeps every kind (the per-kind index and selections are
  // kept), a literal of another kind keeps the count (arrays reused, index rebuilt), new code
  // changes both. Each version is walked with masks selected on earlier versions.
  const random = prng(20261121);
  const masks = [
    kindMask(ts.SyntaxKind.CallExpression),
    kindMask(ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.Identifier),
    kindMask(ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.PropertyAccessExpression),
    kindMask(ts.SyntaxKind.StringLiteral),
    kindMask(ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.ObjectLiteralExpression),
  ];
  const file = '/x/server.ts';
  let text: string = generateTs(300, 5);
  const cache = new ParseCache();
  const edits: ((t: string) => string)[] = [
    (t) => insertAt(t, /description: '/g, 'q'),
    (t) => insertAt(t, /\btarget\b/g, 'X'),
    (t) => replaceAt(t, /'([a-z]+)'/g, '42'),
    (t) => replaceAt(t, /\b\d+\b/g, `'n${Math.floor(random() * 99)}'`),
    (t) => insertAt(t, /\n\n/g, '\nconst added = call(1, two, [3]);\n'),
    (t) => replaceAt(t, /\n\n/g, '\n'),
  ];
  function insertAt(t: string, re: RegExp, what: string): string {
    const hits = [...t.matchAll(re)];
    const m = hits[Math.floor(random() * hits.length)];
    if (!m) return t;
    const at = m.index + m[0].length;
    return `${t.slice(0, at)}${what}${t.slice(at)}`;
  }
  function replaceAt(t: string, re: RegExp, what: string): string {
    const hits = [...t.matchAll(re)];
    const m = hits[Math.floor(random() * hits.length)];
    return m ? `${t.slice(0, m.index)}${what}${t.slice(m.index + m[0].length)}` : t;
  }
  const visit = (sf: ts.SourceFile, mask: Uint8Array): string[] => {
    const out: string[] = [];
    walkTsKinds(sf, mask, (n) => void out.push(`${n.kind}@${n.pos}-${n.end}`));
    return out;
  };
  let sf = cache.parse(file, text);
  for (const mask of masks) visit(sf, mask);
  for (let step = 0; step < 60; step++) {
    text = edits[Math.floor(random() * edits.length)]!(text);
    sf = cache.parse(file, text);
    const fresh = parseTs(file, text);
    for (const mask of masks) assert.deepEqual(visit(sf, mask), visit(fresh, mask), `step ${step}: walkTsKinds`);
    if (step % 10 === 0) check(sf, `step ${step}`);
    const nodes = allNodes(sf);
    for (let i = 0; i < nodes.length; i += 13) {
      const n = nodes[i]!;
      const found = nodeAt(sf, n.pos, n.end, n.kind)!;
      assert.ok(found, `step ${step}: nodeAt ${ts.SyntaxKind[n.kind]}`);
      assert.equal(`${found.pos}-${found.end}-${found.kind}`, `${n.pos}-${n.end}-${n.kind}`);
    }
  }
});

test('a walk over a long left-deep chain does not overflow the stack', () => {
  const sf = parseTs('/x/chain.ts', `const s = ${Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' + ')};`);
  let count = 0;
  walkTs(sf, () => void count++);
  assert.ok(count > 40_000);
});

test('nodeAt finds every node by its range and kind (the first in pre-order of equal ones)', () => {
  for (const file of tsFiles(FIXTURES)) {
    const sf = parseTs(file, fs.readFileSync(file, 'utf8'));
    const nodes = allNodes(sf);
    const first = new Map<string, ts.Node>();
    for (const n of nodes) {
      const key = `${n.pos}:${n.end}:${n.kind}`;
      if (!first.has(key)) first.set(key, n);
      assert.equal(nodeAt(sf, n.pos, n.end, n.kind), first.get(key), `${path.basename(file)} ${ts.SyntaxKind[n.kind]} ${key}`);
    }
    assert.equal(nodeAt(sf, 0, sf.end + 1, ts.SyntaxKind.Block), undefined);
  }
});

/** Every node's parent, as the pre-order index of the parent (-1 for the root). */
function parentIndices(sf: ts.SourceFile): string {
  const nodes = withJsDoc(sf);
  const index = new Map(nodes.map((n, i) => [n as ts.Node, i]));
  return nodes.map((n) => `${n.kind}<${n.parent ? index.get(n.parent) ?? 'outside' : -1}`).join(' ');
}

/** Pre-order with each node's JSDoc subtrees (outside forEachChild) before its children. */
function withJsDoc(n: ts.Node, out: ts.Node[] = []): ts.Node[] {
  out.push(n);
  for (const d of (n as { jsDoc?: ts.Node[] }).jsDoc ?? []) withJsDoc(d, out);
  ts.forEachChild(n, (c) => void withJsDoc(c, out));
  return out;
}

test('parseTs sets every parent the compiler\'s own parent pass sets, on fixtures, examples and odd code', () => {
  const files = [...tsFiles(path.join(__dirname, '..', 'fixtures')), ...tsFiles(path.join(__dirname, '..', '..', 'examples'))];
  assert.ok(files.length > 50, `${files.length} files`);
  const odd = [
    '/** @param {string} a */\nfunction f(a) { return a; }',
    'const x = <div a={1}>{y}</div>;',
    'class A<T> extends B<T> implements C { @dec() m(@p q: string) {} }',
    'const s = `a${`b${c}`}`; label: for (;;) { break label; }',
    'f(((( ',
    'export = x; import y = require("y"); declare module "m" { export type Z = { [k in K]?: Z } }',
  ];
  const cases: Array<[string, string]> = [...files.map((f) => [f, fs.readFileSync(f, 'utf8')] as [string, string]), ...odd.map((t, i) => [`odd${i}.tsx`, t] as [string, string])];
  for (const [file, text] of cases) {
    const ours = parseTs(file, text);
    // With JSDoc parsed too (a JavaScript file's types are in it): the parents of its nodes.
    const jsdoc = ts.createSourceFile(file, text, { ...PARSE_OPTIONS, jsDocParsingMode: ts.JSDocParsingMode.ParseAll }, false, scriptKindOf(file));
    setParents(jsdoc);
    assert.equal(parentIndices(jsdoc), parentIndices(ts.createSourceFile(file, text, { ...PARSE_OPTIONS, jsDocParsingMode: ts.JSDocParsingMode.ParseAll }, true, scriptKindOf(file))), `${file} with JSDoc`);
    const theirs = ts.createSourceFile(file, text, PARSE_OPTIONS, true, scriptKindOf(file));
    assert.equal(parentIndices(ours), parentIndices(theirs), file);
  }
});

test('incrementally re-parsed trees and imported modules\' trees have the parents a fresh parse with the compiler\'s parent pass has', () => {
  const files = tsFiles(FIXTURES).filter((f) => fs.statSync(f).size > 1500);
  assert.ok(files.length > 10, `${files.length} files`);
  // Typing-like edits, including ones that add or remove JSDoc, decorators and function bodies.
  const snippets = ['/** @param {string} a */\n', '@dec\n', 'function g() {\n', '}\n', '(', ')', '{', '`${', "'", '\n', 'x', '/*'];
  let compared = 0;
  for (const [n, file] of files.entries()) {
    let seed = 500 + n;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const cache = new ParseCache();
    let text = fs.readFileSync(file, 'utf8');
    cache.parse(file, text);
    for (let step = 0; step < 6; step++) {
      const at = Math.floor(rnd() * (text.length + 1));
      text = rnd() < 0.6 ? text.slice(0, at) + snippets[Math.floor(rnd() * snippets.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 5));
      const sf = cache.parse(file, text);
      const theirs = ts.createSourceFile(file, text, PARSE_OPTIONS, true, scriptKindOf(file));
      assert.equal(parentIndices(sf), parentIndices(theirs), `${path.basename(file)} step ${step}`);
      // A node's getSourceFile() follows parents: every node must lead to the new tree.
      for (const node of withJsDoc(sf)) assert.equal(node.getSourceFile(), sf, `${path.basename(file)} step ${step} ${ts.SyntaxKind[node.kind]}`);
      compared++;
    }
    const mod = parseModule(file, text);
    if (mod) assert.equal(parentIndices(mod.sf), parentIndices(ts.createSourceFile(file, text, PARSE_OPTIONS, true, scriptKindOf(file))), `${path.basename(file)} module`);
  }
  assert.ok(compared > 60, `${compared} re-parses`);
});
