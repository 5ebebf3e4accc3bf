// Speed of the TypeScript engine on generated 1,000- and 5,000-line MCP servers
// (bench/gen-server.mjs), measured on an esbuild bundle like the shipped one: parse only,
// + MCP model, + taint analysis, and one full lint pass with every rule (what the editor
// runs per keystroke: the same linter sees each version of the file), with and without the
// rules' fix builders, and the first lint of a file the engine has not seen (the CLI's case). Median and p95 after
// warm-up, as wall time and as process CPU time (the honest number on a shared, loaded
// machine). Usage: node bench/ts-engine.mjs [--runs N] [--sizes 1000,5000] [--json]
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateTs } from './gen-server.mjs';
import { bundleSources } from './tools.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '.work');
mkdirSync(outDir, { recursive: true });
const lib = await bundleSources('ts-engine-bundle', `
      export { parseTs, TsEngine } from './src/core/ts/engine';
      export { buildMcpModel } from './src/core/ts/mcp-model';
      export { analyzeTaint } from './src/core/ts/taint';
      export { LineMap } from './src/core/text';
      export { Linter } from './src/core/linter';
      export { allRules } from './src/rules';
    `);

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;
const sizesArg = process.argv.indexOf('--sizes');
const SIZES = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [1000, 5000];
const WARMUP = 30;
const host = { readFile: () => undefined };
const kinds = new Set(['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code']);
const linter = await lib.Linter.create({ rules: lib.allRules, engines: [new lib.TsEngine()] });
const withoutFixes = lib.allRules.map((r) => (r.taint ? { ...r, taint: { kinds: r.taint.kinds, message: r.taint.message } } : r));
const linterNoFix = await lib.Linter.create({ rules: withoutFixes, engines: [new lib.TsEngine()] });

function measure(fn, runs = RUNS) {
  for (let i = 0; i < WARMUP; i++) fn(i);
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const stats = (xs) => {
    xs.sort((a, b) => a - b);
    const at = (q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
    return { median: at(0.5), p95: at(0.95), max: xs[xs.length - 1] };
  };
  // CPU time is what the analysis costs; wall time also counts waiting for a busy CPU.
  return { ...stats(times), cpu: stats(cpu) };
}

const results = [];
for (const lines of SIZES) {
  // Big files get fewer runs: the point there is graceful degradation, not the tail.
  const runs = lines > 2000 ? Math.max(10, Math.round(RUNS / 5)) : RUNS;
  const text = generateTs(lines, 1);
  // A different trailing comment per run defeats caching keyed on the text, as typing does.
  const variant = (i) => `${text}\n// edit ${i}\n`;
  const file = path.join(outDir, `server-${lines}.ts`);
  const parse = measure((i) => lib.parseTs(file, variant(i)), runs);
  const model = measure((i) => lib.buildMcpModel(lib.parseTs(file, variant(i))), runs);
  const taint = measure((i) => {
    const t = variant(i);
    const sf = lib.parseTs(file, t);
    lib.analyzeTaint(file, sf, new lib.LineMap(t), lib.buildMcpModel(sf), { kinds, deadline: performance.now() + 60_000, host });
  }, runs);
  // The editor's case: the same linter analyses each new version of the file (incremental
  // parse, replay of unchanged registration statements).
  const fullNoFix = measure((i) => linterNoFix.lintText(file, variant(i), { host }), runs);
  const full = measure((i) => linter.lintText(file, variant(i), { host }), runs);
  // A file the engine has not seen before (the CLI's case): a full parse and a full analysis.
  const coldEngines = Array.from({ length: runs + WARMUP }, () => new lib.TsEngine());
  const coldLinters = await Promise.all(coldEngines.map((e) => lib.Linter.create({ rules: withoutFixes, engines: [e] })));
  let nextCold = 0;
  const coldNoFix = measure((i) => coldLinters[nextCold++].lintText(file, variant(i), { host }), runs);
  const findings = linter.lintText(file, text, { host }).findings.length;
  results.push({ lines: text.split('\n').length, runs, findings, parse, model, taint, fullNoFix, full, coldNoFix });
}

const load = os.loadavg()[0];
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ runs: RUNS, warmup: WARMUP, node: process.version, cpus: os.cpus().length, load1: load, results }, null, 2)}\n`);
} else {
  const f = (x) => `${x.toFixed(2)} ms`;
  console.log(`TypeScript engine (esbuild bundle), ${RUNS} runs after ${WARMUP} warm-up runs, node ${process.version}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)}`);
  for (const r of results) {
    console.log(`\n${r.lines} lines, ${r.findings} findings, ${r.runs} runs`);
    for (const [label, m] of [
      ['parse (createSourceFile)', r.parse],
      ['parse + MCP model', r.model],
      ['parse + model + taint', r.taint],
      ['lint, all rules, no fixes', r.fullNoFix],
      ['lint, all rules + fixes', r.full],
      ['first lint of the file, no fixes', r.coldNoFix],
    ]) {
      console.log(
        `  ${label.padEnd(34)} wall median ${f(m.median).padStart(10)} p95 ${f(m.p95).padStart(10)}   cpu median ${f(m.cpu.median).padStart(10)} p95 ${f(m.cpu.p95).padStart(10)}`,
      );
    }
  }
}
