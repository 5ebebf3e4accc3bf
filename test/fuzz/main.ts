/**
 * `npm run fuzz -- [--seed N] [--cases M] [--case I[,J...]] [--small] [--hang MS]`: a fuzz run
 * of any length (issue 9). Prints every failure with its replay command, the cases over the
 * linter's 2 s per-file budget and the slowest cases; exits 1 on a failure that is not a known
 * one (test/fuzz/known.ts). Failing inputs are saved under test-results/fuzz/.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FILE_BUDGET_MS } from '../../src/core/linter';
import { CPU_BUDGET_MS } from './run';
import { knownFor } from './known';
import { runFuzz } from './run';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
      cases: { type: 'string', default: '5000' },
      case: { type: 'string' },
      small: { type: 'boolean', default: false },
      hang: { type: 'string', default: '30000' },
      allowance: { type: 'string', default: '15000' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const seed = Number(values.seed);
  const only = values.case?.split(',').map(Number);
  const cases = Number(values.cases);
  if (!Number.isInteger(seed) || !Number.isInteger(cases) || (only && only.some((n) => !Number.isInteger(n)))) {
    process.stderr.write('usage: npm run fuzz -- [--seed N] [--cases M] [--case I[,J...]] [--small] [--hang MS]\n');
    return 2;
  }
  process.stdout.write(`fuzz: seed ${seed}, ${only ? `cases ${only.join(',')}` : `${cases} cases`}${values.small ? ' (small special cases)' : ''}\n`);
  let n = 0;
  let unexpected = 0;
  let known = 0;
  const overBudget: string[] = [];
  const report = await runFuzz({
    seed,
    cases,
    ...(only ? { only } : {}),
    fullSize: !values.small,
    allowanceMs: Number(values.allowance),
    allowanceMsPerKb: 4,
    cpuBudgetMs: CPU_BUDGET_MS,
    hangMs: Number(values.hang),
    outDir: path.resolve(__dirname, '../../test-results/fuzz'),
    onCase(c) {
      n++;
      if ((c.cpuMs ?? c.ms) > CPU_BUDGET_MS) overBudget.push(`  case ${c.index} ${c.kind}: ${Math.round(c.cpuMs ?? c.ms)} ms CPU, ${Math.round(c.ms)} ms wall (${c.length} chars)`);
      const real = c.errors.filter((e) => !e.startsWith('input saved to') && !knownFor(c.kind, e));
      if (c.errors.length > 0) {
        if (real.length > 0) unexpected++;
        else known++;
        if (real.length > 0 || !values.quiet) {
          process.stdout.write(`${real.length > 0 ? 'FAIL' : 'known'} case ${c.index} ${c.kind} (${c.name}, ${c.length} chars, ${Math.round(c.ms)} ms)\n`);
          for (const e of c.errors) process.stdout.write(`  ${e}\n`);
          process.stdout.write(`  replay: npm run fuzz -- --seed ${seed} --case ${c.index}${values.small ? ' --small' : ''}\n`);
        }
      }
      if (!values.quiet && n % 500 === 0) process.stdout.write(`  ... ${n} cases\n`);
    },
  });
  process.stdout.write(`\n${report.ran} cases in ${(report.totalMs / 1000).toFixed(1)} s: ${unexpected} unexpected failures, ${known} known\n`);
  if (overBudget.length > 0) {
    process.stdout.write(`${overBudget.length} cases over the ${CPU_BUDGET_MS} ms CPU allowance (per-file budget ${DEFAULT_FILE_BUDGET_MS} ms):\n${overBudget.slice(0, 20).join('\n')}\n`);
  }
  process.stdout.write(`slowest:\n${report.slowest.map((c) => `  case ${c.index} ${c.kind}: ${Math.round(c.ms)} ms wall, ${Math.round(c.cpuMs ?? NaN)} ms CPU`).join('\n')}\n`);
  return unexpected > 0 ? 1 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});
