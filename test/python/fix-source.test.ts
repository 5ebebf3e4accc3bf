import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { PyOffsets, pyFixSource, pyNodeAtSpan } from '../../src/core/fixes/py-imports';
import { copyTree, type PyNode } from '../../src/core/python/ast';
import { loadPythonParser, type SyntaxNode, type TreeSitterParser, type TreeSitterTree } from '../../src/core/python/parser';
import type { Span } from '../../src/core/types';
import { prng } from '../fuzz/generate';

const ROOT = join(__dirname, '..', '..');

function pythonFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '__pycache__') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) pythonFiles(p, out);
    else if (name.endsWith('.py')) out.push(p);
  }
  return out;
}

/** What the Python fix builders did before they read plain nodes: tree-sitter's own descent. */
function treeSitterNodeAt(tree: TreeSitterTree, span: Span): SyntaxNode | undefined {
  let node: SyntaxNode | null = tree.rootNode.namedDescendantForIndex(span.start, Math.max(span.start, span.end - 1));
  while (node && (node.startIndex > span.start || node.endIndex < span.end)) node = node.parent;
  return node ?? undefined;
}

const same = (a: PyNode | undefined, b: SyntaxNode | undefined): string | undefined =>
  a === undefined && b === undefined
    ? undefined
    : a && b && a.type === b.type && a.start === b.startIndex && a.end === b.endIndex && a.named === b.isNamed
      ? undefined
      : `${a ? `${a.type}@${a.start}-${a.end}` : 'none'} vs tree-sitter ${b ? `${b.type}@${b.startIndex}-${b.endIndex}` : 'none'}`;

describe('the fix builders read plain nodes exactly as they read tree-sitter nodes', () => {
  let parser: TreeSitterParser;
  before(async () => {
    parser = await loadPythonParser();
  });

  test('pyNodeAtSpan finds the node tree-sitter finds, for every node span and random spans of the fixtures', () => {
    const rand = prng(9);
    let checked = 0;
    for (const file of pythonFiles(join(ROOT, 'test/fixtures')).concat(pythonFiles(join(ROOT, 'examples')))) {
      const text = readFileSync(file, 'utf8');
      const tree = parser.parse(text)!;
      try {
        const source = copyTree(file, text, tree);
        const offsets = new PyOffsets(text);
        const spans: Span[] = [];
        const stack = [source.root];
        while (stack.length > 0) {
          const n = stack.pop()!;
          spans.push(n.span, { start: n.start, end: n.start }, { start: n.end, end: n.end });
          stack.push(...n.children);
        }
        for (let i = 0; i < 200; i++) {
          const a = Math.floor(rand() * (text.length + 1));
          const b = Math.floor(rand() * (text.length + 1));
          spans.push({ start: Math.min(a, b), end: Math.max(a, b) });
        }
        for (const span of spans) {
          const diff = same(pyNodeAtSpan(source, offsets, span), treeSitterNodeAt(tree, span));
          assert.equal(diff, undefined, `${file} ${span.start}-${span.end}: ${diff}`);
          checked++;
        }
      } finally {
        tree.delete();
      }
    }
    assert.ok(checked > 10_000, `only ${checked} spans checked`);
  });

  test('a fix file given only its tree is copied once, and pyNodeAtSpan takes a tree too', () => {
    const text = 'import os\n\ndef f(p):\n    return open(os.path.join("/srv", p))\n';
    const tree = parser.parse(text)!;
    try {
      const f = { file: 'a.py', text, tree };
      const source = pyFixSource(f);
      assert.equal(pyFixSource(f), source);
      assert.equal(pyFixSource({ ...f, parsed: source }), source);
      const start = text.indexOf('open(');
      const node = pyNodeAtSpan(tree, new PyOffsets(text), { start, end: text.lastIndexOf(')') + 1 });
      assert.equal(node?.type, 'call');
      assert.equal(node?.text, 'open(os.path.join("/srv", p))');
    } finally {
      tree.delete();
    }
  });
});
