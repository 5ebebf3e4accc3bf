import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { nodesOfType, walkTypes, type PyNode } from '../../src/core/python/ast';
import { parseText, type ParsedText } from '../../src/core/python/incremental';
import { loadPythonParser, type TreeSitterParser } from '../../src/core/python/parser';
import { prng } from '../fuzz/generate';
import { pyFiles } from '../support/source-files';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';

// walkTypes answers from the index's per-type lists when it has them all, else from its type
// column; either way it must visit what a plain walk filtering by type visits, skips included,
// from the root or from any node, version after version of an edited file (the index reuses the
// previous version's arrays).

const FIXTURES = path.join(__dirname, '..', 'fixtures');


/** The reference: a stack walk, filtering by type, skipping the subtree when visit says false. */
function plain(node: PyNode, types: readonly string[], visit: (n: PyNode) => boolean): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (types.includes(n.type) && !visit(n)) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

const TYPE_SETS: readonly (readonly string[])[] = [
  ['assignment', 'keyword_argument', 'pair', 'default_parameter', 'typed_default_parameter', 'comparison_operator', 'string'],
  ['identifier', 'string', 'keyword_argument'],
  ['function_definition', 'assignment', 'pair'],
  ['string', 'string', 'call'],
  ['call', 'attribute'],
  ['block'],
];

let parser: TreeSitterParser;
before(async () => {
  parser = await loadPythonParser();
});

test('walkTypes visits what a filtering walk visits, with skips, from any node, across edits', () => {
  let compared = 0;
  for (const [i, file] of pyFiles(FIXTURES).entries()) {
    const rnd = prng(300 + i);
    let text = fs.readFileSync(file, 'utf8');
    let doc: ParsedText = parseText(parser, file, text);
    try {
      for (let step = 0; step < 4; step++) {
        const root = doc.source.root;
        const starts = [root, ...nodesOfType(doc.source, 'function_definition').slice(0, 3), ...root.namedChildren.slice(0, 2)];
        for (const from of starts) {
          for (const types of TYPE_SETS) {
            // Skip the subtrees of some nodes: answers that depend on the node only.
            const skip = (n: PyNode) => (n.start * 7 + n.end) % 5 === 0;
            const a: PyNode[] = [];
            const b: PyNode[] = [];
            walkTypes(from, types, (n) => (a.push(n), !skip(n)));
            plain(from, types, (n) => (b.push(n), !skip(n)));
            assert.ok(a.length === b.length && a.every((n, k) => n === b[k]), `${path.relative(FIXTURES, file)} step ${step}: ${types.join(',')} from ${from.type}`);
            compared++;
          }
        }
        const at = Math.floor(rnd() * (text.length + 1));
        text = `${text.slice(0, at)}${['x = "s"\n', 'f(a=1)', '\n', '{"k": v}'][step]}${text.slice(at)}`;
        doc = parseText(parser, file, text, doc);
      }
    } finally {
      doc.tree.delete();
    }
  }
  assert.ok(compared > 1000, `${compared} walks compared`);
});

/** The types the index lists while numbering the nodes (ast.ts INDEXED_TYPES), and one it lists on demand. */
const LISTED = ['identifier', 'call', 'function_definition', 'class_definition', 'import_statement', 'import_from_statement', 'string', 'keyword_argument', 'assignment', 'pair', 'default_parameter', 'typed_default_parameter', 'comparison_operator', 'attribute'];

/** The on-type bench's edit (bench/latency.mjs): a letter typed into the n-th tool description of the original. */
function benchEdit(original: string, n: number): string {
  const points = [...original.matchAll(/"""(?=[A-Z])/g)].map((m) => m.index! + 3);
  const at = points[(n * 7) % points.length]!;
  return `${original.slice(0, at)}${String.fromCharCode(97 + n)}${original.slice(at)}`;
}

test('nodesOfType lists what a filtering walk finds, version after version (the lists are rewritten in place)', () => {
  const inputs: [string, string][] = pyFiles(FIXTURES).map((f) => [f, fs.readFileSync(f, 'utf8')]);
  inputs.push(['/virtual/generated.py', generatePy(1000) as string]);
  let compared = 0;
  for (const [i, [file, original]] of inputs.entries()) {
    const rnd = prng(700 + i);
    let text = original;
    let doc: ParsedText = parseText(parser, file, text);
    try {
      for (let step = 0; step < 8; step++) {
        for (const type of LISTED) {
          const expected: PyNode[] = [];
          plain(doc.source.root, [type], (n) => (expected.push(n), true));
          const listed = nodesOfType(doc.source, type);
          assert.ok(listed.length === expected.length && listed.every((n, k) => n === expected[k]), `${path.basename(file)} step ${step}: ${type}`);
          compared++;
        }
        // Every node numbered with its pre-order position (walk and walkTypes rely on it).
        let numbered = 0;
        const stack = [doc.source.root];
        while (stack.length > 0) {
          const n = stack.pop()!;
          assert.equal(n.pos, numbered++, `${path.basename(file)} step ${step}: ${n.type} at ${n.start} numbered`);
          for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]!);
        }
        // Insertions, deletions (lists shrink), and a letter typed into the text and taken out again.
        const at = Math.floor(rnd() * (text.length + 1));
        const r = rnd();
        if (r < 0.4) text = `${text.slice(0, at)}${['x = "s"\n', 'f(a=1, b=g(c))', '\n', '{"k": v}', 'import os\n'][step % 5]}${text.slice(at)}`;
        else if (r < 0.8) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 400)));
        else text = step % 2 === 0 ? original : `${original.slice(0, at)}q${original.slice(at)}`;
        if (file.endsWith('generated.py') && step % 3 === 2) text = benchEdit(original, step);
        doc = parseText(parser, file, text, doc);
      }
    } finally {
      doc.tree.delete();
    }
  }
  assert.ok(compared > 1000, `${compared} lists compared`);
});
