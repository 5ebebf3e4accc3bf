/**
 * The Python twin of hardcoded-secret-precheck.test.ts: no-hardcoded-secret visits every slot of
 * a Python file only when a look at its strings (`mayReportPy`) finds one that may be reported.
 * With the contexts the engine itself builds, the rule's check and the plain walk must report
 * the same things in the same order on every Python fixture, example and generated server, on
 * one small file per slot form and value, and on mutated copies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintPython, random, repositoryInputs } from './inputs';
import type { PyContext } from '../../src/core/python/engine';
import { isTestFile } from '../../src/core/mcp/secrets';
import { createRule, type Report } from '../../src/core/rule';
import { pyTestHooks } from '../../src/rules/no-hardcoded-secret';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';

const VALUES = [
  'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5c',
  'sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3',
  'AKIAIOSFODNN7EXAMPLF',
  // The shortest known format (16 characters).
  'xoxb-1234567890a',
  'Bearer aZ9kLm2Qx7pR4tWv8yB3',
  'Token aZ9kLm2Qx7pR',
  'aZ9$kLm2Qx7!pR4tWv8y',
  'aZ9kLm2Qx7pR',
  'aZ9kLm2Qx7p',
  '  aZ9kLm2Qx7pR4tWv8yB3  ',
  'application/json',
  'your-api-key-here',
  'Run a diagnostic for one invoice.',
];

/** Every way a slot holds a literal (`@`; `@1 @2`: split in two adjacent strings; `#`: inside an f-string), one per file. */
const SLOTS = [
  'token = @',
  'token = @1 @2',
  'token = (@)',
  'token = os.getenv("T", @)',
  'token = os.environ.get("T", @)',
  'token = os.environ.get("T") or @',
  'r = requests.get(u, auth=("user", @))',
  'c = Client(api_key=@)',
  'headers = {"Authorization": @}',
  'h = {"x-api-key": @1 @2, "accept": "application/json"}',
  'def f(password=@):\n    return password',
  'def f(password: str = @):\n    return password',
  'if token == @:\n    pass',
  'if @ != cfg.client_secret:\n    pass',
  'cfg.password = @',
  'cfg["api_key"] = @',
  'send(@)',
  'x = f"#{y}"',
  'print(@)',
];

/** Python's spelling of a value in double quotes. */
const quoted = (v: string): string => JSON.stringify(v);

function mutate(text: string, seed: number): string {
  const next = random(seed);
  return text
    .replace(/"[^"\\\n]*"/g, (m) => (next() < 0.3 ? quoted(VALUES[Math.floor(next() * VALUES.length)]!) : m))
    .replace(/\b[A-Za-z_]\w*\b/g, (w) => (next() < 0.05 ? ['token', 'api_key', 'password', 'Authorization', 'client_secret', 'token_count', 'value'][Math.floor(next() * 7)]! : w));
}

let reported = 0;
let compared = 0;

function differential(ctx: PyContext): void {
  // Test files are skipped before either runs.
  if (isTestFile(ctx.file)) return;
  const fast: Report[] = [];
  const plain: Report[] = [];
  pyTestHooks.checkPy({ ...ctx, report: (r) => fast.push(r) });
  pyTestHooks.checkPyWalk({ ...ctx, report: (r) => plain.push(r) });
  assert.deepEqual(fast, plain, `${ctx.file}: the pre-checked rule reports differently`);
  reported += plain.length;
  compared++;
}

const probeRule = createRule({
  meta: { id: 'precheck-differential', description: 'Require the pre-check to agree', cwe: [], severity: 'warning', precision: 'high', languages: ['python'] },
  check: { python: differential },
});

test('no-hardcoded-secret (Python) reports the same with and without its pre-check (fixtures, examples, slots, generated servers, mutations)', async () => {
  const inputs = repositoryInputs('py');
  inputs.push(['server_1000.py', generatePy(1000)]);
  SLOTS.forEach((slot, i) =>
    VALUES.forEach((v, k) => {
      const half = Math.floor(v.length / 2);
      inputs.push([`slot_${i}_${k}.py`, `import os\n${slot.replace('@1 @2', `${quoted(v.slice(0, half))} ${quoted(v.slice(half))}`).replace('#', quoted(v).slice(1, -1)).replace('@', quoted(v))}\n`]);
    }),
  );
  await lintPython(probeRule, inputs, mutate);
  assert.ok(reported > 200, `only ${reported} reports in ${compared} files`);
});
