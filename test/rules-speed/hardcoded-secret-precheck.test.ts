/**
 * no-hardcoded-secret visits every slot of a TS/JS file only when a look at its literals
 * (`mayReport`) finds one that may be reported. A pre-check that says no where the walk reports
 * would hide a finding: the rule's check and the plain walk must report the same things, in the
 * same order, on every TS/JS fixture, example and generated server, and on mutated copies that
 * plant credentials, credential-shaped values and secret names.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { random, repositoryInputs } from './inputs';
import { isTestFile } from '../../src/core/mcp/secrets';
import type { Report } from '../../src/core/rule';
import { LineMap } from '../../src/core/text';
import { parseTs, type TsContext } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
import { testHooks } from '../../src/rules/no-hardcoded-secret';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';

/** Values that are credentials (known formats, high entropy, behind an auth scheme) and some that only look long. */
const VALUES = [
  'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5c',
  'sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3',
  'xoxb-1234567890-abcdefghij',
  'AKIAIOSFODNN7EXAMPLF',
  'Bearer aZ9kLm2Qx7pR4tWv8yB3',
  'Basic dXNlcjpwQHNzdzByZCExMjM=',
  'aZ9$kLm2Qx7!pR4tWv8y',
  'Qm9vX2Jhcl8xMjM0NTY3',
  '  aZ9kLm2Qx7pR4tWv8yB3  ',
  'application/json',
  'node:child_process',
  'your-api-key-here',
  'sync_invoice_42',
  'Run a diagnostic for one invoice.',
  'aZ9kLm2Qx7pR',
  'aZ9kLm2Qx7p',
  'Token aZ9kLm2Qx7pR',
];

/**
 * Every way a slot holds a literal (`V`), one per file: the pre-check clears or keeps a whole
 * file, so a slot it overlooks shows only in a file where nothing else is reported.
 */
const SLOTS = [
  'const token = V;',
  'const token = process.env.T || V;',
  'const token = process.env.T ?? (V);',
  'const apiKey = (V as string);',
  'const apiKey = <string>V;',
  'const apiKey = V!;',
  'const apiKey = V satisfies string;',
  'let password: string; password = V;',
  'cfg.password = V;',
  "cfg['apiKey'] = V;",
  'if (token === V) {}',
  'if (V !== cfg.clientSecret) {}',
  'headers.set(\'Authorization\', V);',
  'res.setHeader(\'x-api-key\', process.env.K ?? V);',
  'const h = { Authorization: V };',
  "const h = { 'x-api-key': V, accept: 'application/json' };",
  'class C { secret = V; }',
  'function f(password = V) { return password; }',
  'send(V);',
  'import x from V;',
];

/** Names that hold secrets, that describe them, and others. */
const NAMES = ['token', 'apiKey', 'password', 'Authorization', 'clientSecret', 'GITHUB_TOKEN', 'tokenCount', 'authUrl', 'value', 'accept', 'x'];

/** The text with some string literals replaced by planted values and some identifiers renamed. */
function mutate(text: string, seed: number): string {
  const next = random(seed);
  return text
    .replace(/'[^'\\\n]*'/g, (m) => (next() < 0.3 ? `'${VALUES[Math.floor(next() * VALUES.length)]}'` : m))
    .replace(/"[^"\\\n]*"/g, (m) => (next() < 0.3 ? `"${VALUES[Math.floor(next() * VALUES.length)]}"` : m))
    .replace(/\b[A-Za-z_]\w*\b/g, (w) => (next() < 0.05 ? NAMES[Math.floor(next() * NAMES.length)]! : w));
}

function reportsOf(check: (ctx: TsContext) => void, file: string, text: string): Report[] {
  const sf = parseTs(file, text);
  const out: Report[] = [];
  const ctx = { file, text, language: 'typescript', lines: new LineMap(text), sourceFile: sf, mcp: buildMcpModel(sf), report: (r: Report) => out.push(r) } as TsContext;
  check(ctx);
  return out;
}

test('no-hardcoded-secret reports the same with and without its pre-check (fixtures, examples, generated servers, mutations)', () => {
  const inputs = repositoryInputs('ts');
  inputs.push(['server-1000.ts', generateTs(1000)]);
  SLOTS.forEach((slot, i) => VALUES.forEach((v, k) => inputs.push([`slot-${i}-${k}.ts`, slot.replace('V', `'${v}'`)])));
  let reported = 0;
  let cleared = 0;
  const compare = (file: string, text: string): void => {
    // Test files are skipped before either runs.
    if (isTestFile(file)) return;
    const plain = reportsOf(testHooks.checkTsWalk, file, text);
    const fast = reportsOf(testHooks.checkTs, file, text);
    assert.deepEqual(fast, plain, `${file}: the pre-checked rule reports differently`);
    reported += plain.length;
    // The pre-check only pays off where it clears a file: make sure the inputs include such files.
    if (plain.length === 0) cleared++;
  };
  for (const [file, text] of inputs) compare(file, text);
  for (let i = 0; i < inputs.length; i++) {
    const [file, text] = inputs[i]!;
    if (text.length > 60_000) continue;
    for (const seed of [i + 1, i + 1000]) compare(file, mutate(text, seed));
  }
  assert.ok(reported > 200, `only ${reported} reports`);
  assert.ok(cleared > 50, `only ${cleared} files without reports`);
});
