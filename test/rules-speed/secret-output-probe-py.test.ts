/**
 * The Python no-secret-in-tool-output check searches a handler's output for leaks only when a
 * cheap probe of the expression (`mayLeakPy`) says it may hold one. A probe that says no where
 * the search finds a leak would hide a finding: every named node of every Python fixture,
 * example and generated server, and of mutated copies that plant the names the search reacts
 * to, is checked both ways, with the contexts the engine itself builds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintPython, random, repositoryInputs } from './inputs';
import { walk, type PyNode } from '../../src/core/python/ast';
import type { PyContext } from '../../src/core/python/engine';
import { createRule } from '../../src/core/rule';
import { isSecretName, mayBeSecretName, SECRET_NAME_PIECES, SECRET_PAIRS, SECRET_WORDS } from '../../src/core/mcp/secrets';
import { pyTestHooks } from '../../src/rules/no-secret-in-tool-output';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';

/** Names the leak search reacts to, and some it must not (`token_count`, `flags`). */
const PLANTED = ['token', 'api_key', 'environ', 'headers', '__traceback__', 'password', 'secret', 'request', 'os', 'AUTH_TOKEN', 'token_count', 'flags', 'format_exc', 'tb', 'getenv', 'Bearer_Key', 'PAT', 'format_tb', 'format_stack', 'format_exception', 'traceback'];

/**
 * The text with some identifiers renamed to planted names, some member reads written as
 * subscripts with a string key (`config["token"]`), and some strings replaced by secret names.
 */
function mutate(text: string, seed: number): string {
  const next = random(seed);
  return text
    .replace(/\b[A-Za-z_]\w*\b/g, (w) => (next() < 0.08 ? PLANTED[Math.floor(next() * PLANTED.length)]! : w))
    .replace(/\.([A-Za-z_]\w*)\b/g, (m, name: string) => (next() < 0.2 ? `["${name}"]` : m))
    .replace(/"[a-z_]+"/g, (m) => (next() < 0.2 ? `"${PLANTED[Math.floor(next() * PLANTED.length)]}"` : m));
}

let compared = 0;
let leaking = 0;

/** Compares the probe with the search on every named node of the file, without and with the file's assignments as locals. */
function differential(ctx: PyContext): void {
  const all = new Map<string, PyNode>();
  walk(ctx.ast.root, (n) => {
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier' && n.child('right')) all.set(n.child('left')!.text, n.child('right')!);
  });
  for (const locals of [new Map<string, PyNode>(), all]) {
    const names = [...locals.keys()];
    walk(ctx.ast.root, (n) => {
      if (!n.named || n.type === 'module') return;
      compared++;
      const found = pyTestHooks.pyLeaks(ctx, n, locals).length > 0;
      if (!found) return;
      leaking++;
      if (!pyTestHooks.mayLeakPy(ctx, n, names)) assert.fail(`${ctx.file}: probe says no leak in '${n.text.slice(0, 120)}' at ${n.start}`);
    });
  }
}

const probeRule = createRule({
  meta: { id: 'probe-differential', description: 'Require the probe to agree', cwe: [], severity: 'warning', precision: 'high', languages: ['python'] },
  check: { python: differential },
});

test('the Python output probe says yes wherever the leak search finds a leak (fixtures, examples, generated servers, mutations)', async () => {
  const inputs = repositoryInputs('py');
  inputs.push(['server_300.py', generatePy(300)]);
  // Every traceback spelling (dotted, aliased module, imported and renamed function).
  const forms = ['traceback.format_exc()', 'traceback.format_exception(e)', 'traceback.format_tb(e.__traceback__)', 'traceback.format_stack()', 'tb.format_tb(x)', 'tb.format_stack()', 'format_exc()', 'format_exception(e)', 'fe()', 'fs()', 'tb.format_exc', 'other.format_tb(x)'];
  // The same names bound to other modules: the search also tests the callee as written.
  const imports = [
    ['import traceback', 'import traceback as tb', 'from traceback import format_exc, format_exception', 'from traceback import format_tb as fe, format_stack as fs'],
    ['import os as traceback', 'import os as tb', 'from mylib import format_exc, format_exception', 'from mylib import fe, fs'],
  ];
  imports.forEach((lines, k) => {
    const handlers = forms.map((f, i) => `@mcp.tool()\ndef t${i}(x: str) -> str:\n    try:\n        return x\n    except Exception as e:\n        return "failed: " + str(${f})\n`);
    inputs.push([`tracebacks${k}.py`, [...lines, 'from mcp.server.fastmcp import FastMCP', 'mcp = FastMCP("t")', '', ...handlers].join('\n')]);
  });
  await lintPython(probeRule, inputs, mutate);
  // The inputs hold many leaks: the test exercised the search, not only the probe.
  assert.ok(leaking > 100, `only ${leaking} leaking expressions of ${compared}`);
});

test('every secret word and pair holds one of the pieces the name pre-check looks for', () => {
  for (const w of [...SECRET_WORDS, ...SECRET_PAIRS]) {
    assert.ok(SECRET_NAME_PIECES.some((p) => w.split(' ').some((s) => s.includes(p)) || w.includes(p)), `'${w}' holds no piece`);
    for (const part of w.split(' ')) {
      if (SECRET_WORDS.has(part)) assert.ok(SECRET_NAME_PIECES.some((p) => part.includes(p)));
    }
  }
});

test('the name pre-check says yes for every strict secret name (words, pairs, cases, separators, random names)', () => {
  const words = [...SECRET_WORDS, ...[...SECRET_PAIRS].flatMap((p) => p.split(' ')), 'count', 'url', 'is', 'max', 'key', 'x', 'id', 'ß', 'K', 'ſecret'];
  const next = random(7);
  const seps = ['', '_', '-', '.', ' ', '$', 'é'];
  const cases = [(s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s[0]!.toUpperCase() + s.slice(1)];
  let secret = 0;
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + Math.floor(next() * 3);
    let name = '';
    for (let k = 0; k < n; k++) {
      const w = words[Math.floor(next() * words.length)]!;
      name += (k > 0 ? seps[Math.floor(next() * seps.length)]! : '') + cases[Math.floor(next() * cases.length)]!(w);
    }
    const padded = `(${name})`;
    if (isSecretName(name, { strict: true })) {
      secret++;
      assert.ok(mayBeSecretName(padded, 1, padded.length - 1), `pre-check says no for '${name}'`);
    }
    // The range is honoured: nothing outside it counts.
    if (!mayBeSecretName(name, 0, name.length)) assert.equal(mayBeSecretName(`token${name}key`, 5, 5 + name.length), false);
  }
  assert.ok(secret > 1000, `only ${secret} secret names`);
});
