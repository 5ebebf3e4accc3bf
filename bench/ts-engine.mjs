// Speed of the TypeScript engine on generated 1,000- and 5,000-line MCP servers
// (bench/gen-server.mjs), measured on an esbuild bundle like the shipped one: parse only,
// + MCP model, + taint analysis, and one full lint pass with every rule (what the editor
// runs per keystroke), with and without the rules' fix builders. Median and p95 after
// warm-up. Usage: node bench/ts-engine.mjs [--runs N] [--json]
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateTs } from './gen-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const outDir = path.join(here, '.work');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, 'ts-engine-bundle.cjs');
await esbuild.build({
  stdin: {
    contents: `
      export { parseTs, TsEngine } from './src/core/ts/engine';
      export { buildMcpModel } from './src/core/ts/mcp-model';
      export { analyzeTaint } from './src/core/ts/taint';
      export { LineMap } from './src/core/text';
      export { Linter } from './src/core/linter';
      export { allRules } from './src/rules';
    `,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
  external: ['vscode', 'better-sqlite3'],
});
const lib = createRequire(import.meta.url)(outfile);

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;
const WARMUP = 30;
const host = { readFile: () => undefined };
const kinds = new Set(['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code']);
const linter = await lib.Linter.create({ rules: lib.allRules, engines: [new lib.TsEngine()] });
const withoutFixes = lib.allRules.map((r) => (r.taint ? { ...r, taint: { kinds: r.taint.kinds, message: r.taint.message } } : r));
const linterNoFix = await lib.Linter.create({ rules: withoutFixes, engines: [new lib.TsEngine()] });

function measure(fn) {
  for (let i = 0; i < WARMUP; i++) fn(i);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { median: at(0.5), p95: at(0.95), max: times[times.length - 1] };
}

const results = [];
for (const lines of [1000, 5000]) {
  const text = generateTs(lines, 1);
  // A different trailing comment per run defeats caching keyed on the text, as typing does.
  const variant = (i) => `${text}\n// edit ${i}\n`;
  const file = path.join(outDir, `server-${lines}.ts`);
  const parse = measure((i) => lib.parseTs(file, variant(i)));
  const model = measure((i) => lib.buildMcpModel(lib.parseTs(file, variant(i))));
  const taint = measure((i) => {
    const t = variant(i);
    const sf = lib.parseTs(file, t);
    lib.analyzeTaint(file, sf, new lib.LineMap(t), lib.buildMcpModel(sf), { kinds, deadline: performance.now() + 60_000, host });
  });
  const fullNoFix = measure((i) => linterNoFix.lintText(file, variant(i), { host }));
  const full = measure((i) => linter.lintText(file, variant(i), { host }));
  const findings = linter.lintText(file, text, { host }).findings.length;
  results.push({ lines: text.split('\n').length, findings, parse, model, taint, fullNoFix, full });
}

const load = os.loadavg()[0];
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ runs: RUNS, warmup: WARMUP, node: process.version, cpus: os.cpus().length, load1: load, results }, null, 2)}\n`);
} else {
  const f = (x) => `${x.toFixed(2)} ms`;
  console.log(`TypeScript engine (esbuild bundle), ${RUNS} runs after ${WARMUP} warm-up runs, node ${process.version}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)}`);
  for (const r of results) {
    console.log(`\n${r.lines} lines (${r.findings} findings)`);
    for (const [label, m] of [
      ['parse (createSourceFile)', r.parse],
      ['parse + MCP model', r.model],
      ['parse + model + taint', r.taint],
      ['lint, all rules, no fixes', r.fullNoFix],
      ['lint, all rules + fixes', r.full],
    ]) {
      console.log(`  ${label.padEnd(28)} median ${f(m.median).padStart(10)}   p95 ${f(m.p95).padStart(10)}   max ${f(m.max).padStart(10)}`);
    }
  }
}
