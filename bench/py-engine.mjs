// Speed of the Python engine on generated 1,000- and 5,000-line FastMCP servers
// (bench/gen-server.mjs), measured on an esbuild bundle like the shipped one, per phase:
// a fresh tree-sitter parse and copy into plain nodes, the incremental parse + copy the engine
// does per keystroke (from the previous version), imports + MCP model (this one also builds
// the file's type index, which the later phases then share), taint analysis, each rule's
// Python check, and the full Linter.lintText the language server makes per keystroke, without
// and with the fix builders. Each run inserts one character into a different tool docstring,
// like typing. Median and p95 after warm-up, wall and process CPU time (the honest number on a
// shared, loaded machine).
//
//   node bench/py-engine.mjs [--runs N] [--sizes 1000,5000] [--json]
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generatePy } from './gen-server.mjs';
import { bundleSources } from './tools.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '.work');
mkdirSync(outDir, { recursive: true });
const lib = await bundleSources('py-engine-bundle', `
      export { PythonEngine } from './src/core/python/engine';
      export { loadPythonParser } from './src/core/python/parser';
      export { copyTree } from './src/core/python/ast';
      export { parseText, textChange } from './src/core/python/incremental';
      export { ImportTable } from './src/core/python/names';
      export { buildMcpModel } from './src/core/python/mcp-model';
      export { indexModule, ModuleLoader } from './src/core/python/modules';
      export { Analyzer, AnalysisCache } from './src/core/python/analyzer';
      export { Linter } from './src/core/linter';
      export { allRules } from './src/rules';
    `);

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('--runs') ?? 200);
const SIZES = (arg('--sizes') ?? '1000,5000').split(',').map(Number);
const WARMUP = 30;
// No imported local modules in the generated server: a host that finds none keeps the file
// system out of the numbers (the linter's own default host probes the disk, cached for 5 s).
const host = { readFile: () => undefined };
const parser = await lib.loadPythonParser();
const engine = new lib.PythonEngine();
const linter = await lib.Linter.create({ rules: lib.allRules, engines: [engine] });
const withoutFixes = lib.allRules.map((r) => (r.taint ? { ...r, taint: { kinds: r.taint.kinds, message: r.taint.message } } : r));
const linterNoFix = await lib.Linter.create({ rules: withoutFixes, engines: [new lib.PythonEngine()] });
const pyRules = lib.allRules.filter((r) => r.meta.languages.includes('python'));
const kinds = new Set(pyRules.flatMap((r) => r.taint?.kinds ?? []));

function stats(xs) {
  xs.sort((a, b) => a - b);
  const at = (q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  return { median: at(0.5), p95: at(0.95), max: xs[xs.length - 1] };
}

/** Runs `prepare(i)` untimed, then times `fn(prepared, i)`. */
function measure(runs, fn, prepare = (i) => i) {
  const times = [];
  const cpu = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const input = prepare(i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(input, i);
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i >= WARMUP) {
      times.push(dt);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  return { ...stats(times), cpu: stats(cpu) };
}

const results = [];
for (const lines of SIZES) {
  const runs = lines > 2000 ? Math.max(20, Math.round(RUNS / 5)) : RUNS;
  const base = generatePy(lines, 1);
  const points = [];
  for (const m of base.matchAll(/"""(?=[A-Z])/g)) points.push(m.index + 3);
  const variant = (i) => {
    const at = points[i % points.length];
    return `${base.slice(0, at)}${String.fromCharCode(97 + (i % 26))}${base.slice(at)}`;
  };
  const file = path.join(outDir, `server-${lines}.py`);
  const phases = {};
  phases['parse (fresh)'] = measure(runs, (t) => parser.parse(t).delete(), variant);
  phases['copy into PyNodes'] = measure(runs, ({ t, tree }) => lib.copyTree(file, t, tree), (i) => {
    const t = variant(i);
    return { t, tree: parser.parse(t) };
  });
  // What the engine does per keystroke: re-parse from the previous tree, copy what changed.
  let doc = lib.parseText(parser, file, base);
  phases['parse + copy, incremental'] = measure(runs, (t) => {
    doc = lib.parseText(parser, file, t, doc);
  }, variant);
  doc.tree.delete();
  // Trees of the copy phase are left to the GC of the WASM heap: delete them now.
  const prepared = (i) => {
    const t = variant(i);
    const tree = parser.parse(t);
    const ast = lib.copyTree(file, t, tree);
    tree.delete();
    return { t, ast };
  };
  phases['imports + MCP model'] = measure(runs, ({ ast }) => lib.buildMcpModel(ast, new lib.ImportTable(ast.root)), prepared);
  const modelled = (i) => {
    const p = prepared(i);
    const imports = new lib.ImportTable(p.ast.root);
    return { ...p, imports, mcp: lib.buildMcpModel(p.ast, imports) };
  };
  phases['taint (index + analyzer)'] = measure(
    runs,
    ({ ast, imports, mcp }) => {
      const loader = new lib.ModuleLoader(parser, host, new Map());
      new lib.Analyzer({ main: lib.indexModule(ast, imports), mcp, loader, kinds, deadline: performance.now() + 60_000, cache: new lib.AnalysisCache() }).run();
    },
    modelled,
  );
  for (const rule of pyRules) {
    const check = rule.check?.python;
    if (!check) continue;
    phases[`check ${rule.meta.id}`] = measure(
      runs,
      ({ t, ast, imports, mcp }) => check({ file, text: t, language: 'python', lines: ast.lines, tree: undefined, ast, parsed: ast, imports, mcp, report: () => {} }),
      modelled,
    );
  }
  phases['lintText, all rules, no fixes'] = measure(runs, (t) => linterNoFix.lintText(file, t, { host }), variant);
  phases['lintText (all rules + fixes)'] = measure(runs, (t) => linter.lintText(file, t, { host }), variant);
  const findings = linter.lintText(file, base, { host }).findings.length;
  results.push({ lines: base.split('\n').length, runs, findings, phases });
}

const load = os.loadavg()[0];
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ runs: RUNS, warmup: WARMUP, node: process.version, cpus: os.cpus().length, load1: load, results }, null, 2)}\n`);
} else {
  const f = (x) => `${x.toFixed(2)} ms`;
  console.log(`Python engine (esbuild bundle), ${RUNS} runs after ${WARMUP} warm-up runs, node ${process.version}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)}`);
  for (const r of results) {
    console.log(`\n${r.lines} lines, ${r.findings} findings, ${r.runs} runs`);
    for (const [label, m] of Object.entries(r.phases)) {
      console.log(
        `  ${label.padEnd(40)} wall median ${f(m.median).padStart(10)} p95 ${f(m.p95).padStart(10)}   cpu median ${f(m.cpu.median).padStart(10)} p95 ${f(m.cpu.p95).padStart(10)}`,
      );
    }
  }
}
