import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Linter } from '../../src/core/linter';
import { MAX_TAINT_DEPTH, PythonEngine } from '../../src/core/python/engine';
import { allRules } from '../../src/rules';
import type { FileResult } from '../../src/core/types';

/**
 * Deep nesting (issue 9): the Python engine's recursive passes must never overflow the stack.
 * Chains the analyses fold iteratively (`a + b - c ...`, 20,000 terms) are analysed in full;
 * other nesting beyond MAX_TAINT_DEPTH skips the taint analysis with a clear `too-large`
 * problem, and the syntactic rules still run.
 */

const host = { readFile: () => undefined };
const HEADER = 'import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n@mcp.tool()\ndef run(cmd: str) -> str:\n';
const DEPTH = 2_000;

/** Expressions nested `n` levels around `v`. */
const SHAPES: Record<string, (n: number, v: string) => string> = {
  parens: (n, v) => `${'('.repeat(n)}${v}${')'.repeat(n)}`,
  lists: (n, v) => `${'['.repeat(n)}${v}${']'.repeat(n)}`,
  tuples: (n, v) => `${'('.repeat(n)}${v},${'),'.repeat(n - 1)})`,
  dicts: (n, v) => `${'{"a": '.repeat(n)}${v}${'}'.repeat(n)}`,
  calls: (n, v) => `${'str('.repeat(n)}${v}${')'.repeat(n)}`,
  attributes: (n, v) => `${v}${'.b'.repeat(n)}`,
  subscripts: (n, v) => `${v}${'[0]'.repeat(n)}`,
  methodChain: (n, v) => `${v}${'.strip()'.repeat(n)}`,
  conditionals: (n, v) => `${`${v} if v else `.repeat(n)}""`,
  booleans: (n, v) => `a${` or ${v}`.repeat(n)}`,
  lambdas: (n, v) => `${'lambda: '.repeat(n)}${v}`,
  awaits: (n, v) => `${'await '.repeat(n)}${v}`,
};

let linter: Linter;
before(async () => {
  linter = await Linter.create({ rules: allRules, engines: [new PythonEngine()] });
});

function lint(text: string, file = '/virtual/deep.py'): FileResult {
  return linter.lintText(file, text, { host });
}

function problems(r: FileResult): string[] {
  return r.problems.map((p) => `${p.kind}: ${p.message}`);
}

describe('deeply nested Python', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    test(`${DEPTH} levels of ${name} in a tool handler: a too-large problem, no stack overflow`, () => {
      const r = lint(`${HEADER}    x = ${make(DEPTH, 'cmd')}\n    return os.popen(x).read()\n`);
      const ps = problems(r);
      assert.ok(!ps.some((p) => p.startsWith('internal-error')), ps.join('\n'));
      assert.ok(
        ps.some((p) => /^too-large: taint analysis skipped: the code nests \d+ levels deep, more than the 400 it analyses$/.test(p)),
        ps.join('\n'),
      );
    });
  }

  for (const op of ['+', '%']) {
    test(`a 20,000-term '${op}' chain is analysed in full`, () => {
      const r = lint(`${HEADER}    c = "echo "${` ${op} cmd`.repeat(20_000)}\n    return os.popen(c).read()\n`);
      assert.deepEqual(problems(r), []);
      assert.deepEqual(r.findings.map((f) => f.ruleId), ['no-command-injection']);
    });
  }

  test('nesting just under the limit, through seven helper calls, is analysed without overflow', () => {
    // Calls nest two tree levels per call: 190 calls are about 380 levels, in every helper.
    let text = `${HEADER}    return h0(cmd)\n`;
    for (let i = 0; i < 7; i++) text += `def h${i}(x):\n    os.system(${SHAPES.calls!(190, 'x')})\n    return h${i + 1}(${SHAPES.calls!(190, 'x')})\n`;
    text += 'def h7(x):\n    return x\n';
    const r = lint(text);
    assert.deepEqual(problems(r), []);
    assert.ok(r.findings.filter((f) => f.ruleId === 'no-command-injection').length >= 6);
    assert.ok(MAX_TAINT_DEPTH > 380);
  });

  test('editing a deep file stays fast and matches a fresh analysis', async () => {
    const fresh = await Linter.create({ rules: allRules, engines: [new PythonEngine()] });
    const file = '/virtual/deep-edit.py';
    let text = `${HEADER}    c = "a"${' - cmd'.repeat(20_000)}\n    return os.popen(c).read()\n`;
    lint(text, file);
    for (const at of [text.indexOf('cmd - cmd'), text.length - 40, 10]) {
      text = `${text.slice(0, at)}x${text.slice(at)}`;
      const started = process.cpuUsage();
      const r = lint(text, file);
      const cpu = process.cpuUsage(started);
      // tree-sitter's changed-range diff is quadratic in depth (16 s here): deep trees skip it.
      assert.ok((cpu.user + cpu.system) / 1000 < 5_000, `edit at ${at} took ${(cpu.user + cpu.system) / 1000} ms of CPU`);
      const { elapsedMs: _a, ...got } = r;
      const { elapsedMs: _b, ...want } = fresh.lintText(`${file}`, text, { host });
      assert.deepEqual(got, want);
    }
  });
});

test('a parse cancelled at the deadline does not leak into the next file the parser reads', async () => {
  // Printable noise keeps tree-sitter's error recovery busy for seconds; a 50 ms budget cancels it.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let noise = '';
  while (noise.length < 256 * 1024) noise += rnd() < 0.03 ? '\n' : String.fromCharCode(32 + Math.floor(rnd() * 95));
  const linter = await Linter.create({ rules: allRules, engines: [new PythonEngine()], fileBudgetMs: 50 });
  const cancelled = linter.lintText('/proj/noise.py', noise);
  assert.deepEqual(cancelled.problems.map((p) => p.kind), ['timeout']);
  const small = "import subprocess\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n\n@mcp.tool()\ndef run(cmd: str) -> str:\n    return subprocess.check_output(cmd, shell=True).decode()\n";
  const next = linter.lintText('/proj/small.py', small);
  assert.deepEqual(next.problems, []);
  assert.deepEqual(next.findings.map((f) => f.ruleId), ['no-command-injection']);
  for (const f of next.findings) assert.ok(f.location.endLine <= small.split('\n').length);
});
