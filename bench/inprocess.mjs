// Child process of bench/throughput.mjs: lints the files listed in a JSON file with one tool
// in-process (one cold pass, like a workspace scan) and prints analysis-only time and counts
// (wall and CPU) as JSON, so that the parent can take this process's peak RSS from /usr/bin/time.
//
//   node bench/inprocess.mjs warden|eslint LIST.json
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createEslintSecurity, createWarden } from './tools.mjs';

const [which, listFile] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8'));
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
const analysisSec = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const analysisCpuSec = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ analysisSec, analysisCpuSec, findings, parseErrors, otherProblems, byRule })}\n`);
