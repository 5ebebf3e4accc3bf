// Recall and precision of every rule, per language, over the annotated fixture corpus
// (test/fixtures/rules/**): `ruleid` lines are positives, `ok` lines negatives; `todoruleid`
// counts as a miss and `todook` as a false positive; a finding on an unannotated line is a
// false positive. Usage: node bench/recall-precision.mjs [--json]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

// The engine is TypeScript source: re-run under tsx when started with plain node.
if (!process.env.MCP_WARDEN_BENCH_CHILD) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, MCP_WARDEN_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const { createLinter } = await import(pathToFileURL(path.join(root, 'src/core/index.ts')).href);
const { parseAnnotations, fixtureFiles } = await import(pathToFileURL(path.join(root, 'test/support/annotations.ts')).href);

const linter = await createLinter();
const fixturesRoot = path.join(root, 'test', 'fixtures', 'rules');
const stats = new Map(); // "rule\0language" -> counts
const bucket = (rule, language) => {
  const key = `${rule}\0${language}`;
  if (!stats.has(key)) stats.set(key, { rule, language, tp: 0, fn: 0, fp: 0, tn: 0, knownMiss: 0, knownFp: 0 });
  return stats.get(key);
};

let files = 0;
for (const file of fixtureFiles(fixturesRoot)) {
  const text = fs.readFileSync(file, 'utf8');
  const result = linter.lintText(file, text);
  const language = result.language === 'python' ? 'python' : 'ts/js';
  files++;
  let annotations;
  try {
    annotations = parseAnnotations(text);
  } catch {
    continue;
  }
  const found = new Set(result.findings.map((f) => `${f.ruleId}@${f.location.startLine}`));
  const claimed = new Set();
  for (const a of annotations) {
    const key = `${a.ruleId}@${a.targetLine}`;
    const hit = found.has(key);
    const b = bucket(a.ruleId, language);
    claimed.add(key);
    if (a.kind === 'ruleid') hit ? b.tp++ : b.fn++;
    else if (a.kind === 'ok') hit ? b.fp++ : b.tn++;
    else if (a.kind === 'todoruleid') {
      b.fn++;
      b.knownMiss++;
    } else if (a.kind === 'todook') {
      b.fp++;
      b.knownFp++;
    }
  }
  for (const f of result.findings) {
    const key = `${f.ruleId}@${f.location.startLine}`;
    if (!claimed.has(key)) {
      bucket(f.ruleId, language).fp++;
      claimed.add(key);
    }
  }
}

const rows = [...stats.values()].sort((a, b) => a.rule.localeCompare(b.rule) || a.language.localeCompare(b.language));
const pct = (n, d) => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
if (process.argv.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ files, rows: rows.map((r) => ({ ...r, recall: r.tp / (r.tp + r.fn || 1), precision: r.tp / (r.tp + r.fp || 1) })) }, null, 2)}\n`);
} else {
  const w = Math.max(4, ...rows.map((r) => r.rule.length));
  console.log(`${files} fixture files`);
  console.log(`${'rule'.padEnd(w)}  lang    TP  FN  FP  TN  recall  precision  (known misses / known FPs)`);
  let tp = 0;
  let fn = 0;
  let fp = 0;
  for (const r of rows) {
    tp += r.tp;
    fn += r.fn;
    fp += r.fp;
    console.log(
      `${r.rule.padEnd(w)}  ${r.language.padEnd(6)} ${String(r.tp).padStart(3)} ${String(r.fn).padStart(3)} ${String(r.fp).padStart(3)} ${String(r.tn).padStart(3)}  ${pct(r.tp, r.tp + r.fn)}  ${pct(r.tp, r.tp + r.fp)}     (${r.knownMiss} / ${r.knownFp})`,
    );
  }
  console.log(`${'all'.padEnd(w)}  ${''.padEnd(6)} ${String(tp).padStart(3)} ${String(fn).padStart(3)} ${String(fp).padStart(3)}       ${pct(tp, tp + fn)}  ${pct(tp, tp + fp)}`);
}
