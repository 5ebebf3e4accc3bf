// Child process of bench/throughput.mjs: lints the files listed in a JSON file with one tool
// in-process and prints analysis-only time and counts (wall and CPU) as JSON, so that the
// parent can take this process's peak RSS from /usr/bin/time.
//
//   node bench/inprocess.mjs warden|eslint LIST.json [PASSES]
//
// The first pass is a cold one, like a workspace scan in a fresh process. With PASSES > 1 the
// same files are linted again, each pass by a new linter (no cache of an earlier pass is
// kept: each file is read, parsed and analysed afresh), in a process whose JIT has warmed up:
// the rate a long-lived process (the editor's language server) or a much larger corpus
// reaches. Each pass must report the same findings; the process exits 1 when one does not.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createEslintSecurity, createWarden } from './tools.mjs';

const [which, listFile, passArg] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8'));
const passCount = Math.max(1, Number(passArg) || 1);

async function pass() {
  const tool = which === 'eslint' ? await createEslintSecurity() : await createWarden();
  let findings = 0;
  let parseErrors = 0;
  let otherProblems = 0;
  const byRule = {};
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const f of files) {
    const r = tool.lint(f, readFileSync(f, 'utf8'));
    findings += r.findings;
    for (const id of r.ruleIds) byRule[id] = (byRule[id] ?? 0) + 1;
    for (const p of r.problems) {
      if (p.kind === 'parse-error') parseErrors++;
      else otherProblems++;
    }
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, findings, parseErrors, otherProblems, byRule };
}

const passes = [];
for (let i = 0; i < passCount; i++) passes.push(await pass());
const first = passes[0];
const same = passes.every((p) => p.findings === first.findings && JSON.stringify(p.byRule) === JSON.stringify(first.byRule));
process.stdout.write(
  `${JSON.stringify({
    analysisSec: first.wall,
    analysisCpuSec: first.cpu,
    passes: passes.map((p) => ({ wall: p.wall, cpu: p.cpu, findings: p.findings })),
    findings: first.findings,
    parseErrors: first.parseErrors,
    otherProblems: first.otherProblems,
    byRule: first.byRule,
  })}\n`,
);
if (!same) {
  process.stderr.write(`passes reported different findings: ${passes.map((p) => p.findings).join(', ')}\n`);
  process.exitCode = 1;
}
