/**
 * Short fuzz run of both analyzers (issue 9): the special cases (5 MB minified file, deep
 * nesting, NUL bytes, UTF-16/Latin-1/lone surrogates, ...) then mutated and truncated fixtures,
 * random bytes and token soup, with a fixed seed. Longer runs: `npm run fuzz -- --seed N --cases M`.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { CPU_BUDGET_MS } from './run';
import { KNOWN_FAILURES, knownFor } from './known';
import { runFuzz } from './run';

const SEED = 20_261_121;
const CASES = 1_500;

test(`fuzz: ${CASES} cases (seed ${SEED}) finish without crash, hang or out-of-range location`, { timeout: 240_000 }, async () => {
  const report = await runFuzz({
    seed: SEED,
    cases: CASES,
    // Generous on a shared 2-core machine: this catches pathologies (quadratic blow-ups,
    // loops), not noise. `npm run fuzz` reports every case over the 2 s file budget.
    allowanceMs: 15_000,
    allowanceMsPerKb: 4,
    // Every file within the linter's per-file budget, measured in CPU time (not inflated by
    // other work on the machine): the guards refuse what the parsers cannot do in time.
    cpuBudgetMs: CPU_BUDGET_MS,
    hangMs: 30_000,
    outDir: path.resolve(__dirname, '../../test-results/fuzz'),
  });
  assert.equal(report.ran, CASES);
  const unexpected: string[] = [];
  const failedKinds = new Set<string>();
  for (const f of report.failures) {
    failedKinds.add(f.kind);
    const real = f.errors.filter((e) => !e.startsWith('input saved to') && !knownFor(f.kind, e));
    if (real.length > 0) unexpected.push(`case ${f.index} ${f.kind} (${f.name}, ${f.length} chars): ${f.errors.join('; ')}`);
  }
  assert.deepEqual(unexpected, [], `unexpected fuzz failures (replay one with: npm run fuzz -- --seed ${SEED} --case N)`);
  const fixed = KNOWN_FAILURES.flatMap((k) => (k.mustFail ?? []).filter((kind) => !failedKinds.has(kind)));
  assert.deepEqual(fixed, [], 'these known failures no longer fail: remove them from test/fuzz/known.ts');
});
