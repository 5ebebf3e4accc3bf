/**
 * The Python twin of hardcoded-secret-precheck.test.ts: no-hardcoded-secret visits every slot of
 * a Python file only when a look at its strings (`mayReportPy`) finds one that may be reported.
 * With the contexts the engine itself builds, the rule's check and the plain walk must report
 * the same things in the same order on every Python fixture, example and generated server, on
 * one small file per slot form and value, and on mutated copies.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngines } from '../../src/core/engines';
import { Linter } from '../../src/core/linter';
import type { PyContext } from '../../src/core/python/engine';
import { isTestFile } from '../../src/core/mcp/secrets';
import { createRule, type Report } from '../../src/core/rule';
import { pyTestHooks } from '../../src/rules/no-hardcoded-secret';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.py')) out.push(path);
  }
  return out;
}

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

/** Every way a slot holds a literal (`V`; `V1 V2` is the value split in two adjacent strings), one per file. */
const SLOTS = [
  'token = V',
  'token = V1 V2',
  'token = (V)',
  'token = os.getenv("T", V)',
  'token = os.environ.get("T", V)',
  'token = os.environ.get("T") or V',
  'r = requests.get(u, auth=("user", V))',
  'c = Client(api_key=V)',
  'headers = {"Authorization": V}',
  'h = {"x-api-key": V1 V2, "accept": "application/json"}',
  'def f(password=V):\n    return password',
  'def f(password: str = V):\n    return password',
  'if token == V:\n    pass',
  'if V != cfg.client_secret:\n    pass',
  'cfg.password = V',
  'cfg["api_key"] = V',
  'send(V)',
  'x = f"V{y}"',
  'print(V)',
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
  const linter = await Linter.create({ rules: [probeRule], engines: createEngines(['python']) });
  const files = [...sources(join(ROOT, 'test', 'fixtures')), ...sources(join(ROOT, 'examples'))];
  const inputs: [string, string][] = files.map((f) => [f, readFileSync(f, 'utf8')]);
  inputs.push(['server_1000.py', generatePy(1000)]);
  SLOTS.forEach((slot, i) =>
    VALUES.forEach((v, k) => {
      const half = Math.floor(v.length / 2);
      inputs.push([`slot_${i}_${k}.py`, `import os\n${slot.replace('V1 V2', `${quoted(v.slice(0, half))} ${quoted(v.slice(half))}`).replace('V', quoted(v)).replace('f"' + v, `f"${v}`)}\n`]);
    }),
  );
  const lint = (file: string, text: string): void => {
    const { problems } = linter.lintText(file, text, { fixes: false });
    const failed = problems.find((p) => p.kind === 'internal-error');
    if (failed) assert.fail(failed.message);
  };
  for (const [file, text] of inputs) lint(file, text);
  for (let i = 0; i < inputs.length; i++) {
    const [file, text] = inputs[i]!;
    if (text.length > 60_000) continue;
    lint(`${file}.m${i}.py`, mutate(text, i + 1));
  }
  assert.ok(reported > 200, `only ${reported} reports in ${compared} files`);
});
