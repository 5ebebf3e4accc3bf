// Python analyzer throughput next to Bandit (issue 4), on the same files:
//  - the Python files of the pinned corpus of real MCP servers (bench/corpus.json, extracted
//    from local mirrors by bench/corpus.mjs; skipped with a message when absent), and
//  - the annotated Python fixtures of the four core rules (test/fixtures/rules/*), where each
//    `# ruleid:` / `# ok:` line says what a tool should report, so hits can be scored.
// MCP Warden runs in-process (warm, all rules, like the editor) and as the CLI process; Bandit
// runs as its own process (its only mode). Nothing is installed: without `bandit` on PATH the
// Bandit columns are skipped with a message (Debian: apt-get install -y bandit).
//
//   node bench/python-throughput.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { countLines, prepareCorpus } from './corpus.mjs';
import { loadWardenCore, ROOT, WORK } from './tools.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const CORE_RULES = ['no-command-injection', 'no-sql-string-building', 'no-path-traversal', 'no-timing-unsafe-compare'];

/** Bandit test ids by the vulnerability kind of our core rules (Bandit has no path-traversal or timing test). */
const BANDIT_KIND = {
  B602: 'command', B603: 'command', B604: 'command', B605: 'command', B606: 'command', B607: 'command', B609: 'command',
  B608: 'sql', B610: 'sql', B611: 'sql',
};
const RULE_KIND = { 'no-command-injection': 'command', 'no-sql-string-building': 'sql', 'no-path-traversal': 'path', 'no-timing-unsafe-compare': 'timing' };

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function pyFilesUnder(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) pyFilesUnder(p, out);
    else if (e.name.endsWith('.py') && !e.name.includes('.fixed.')) out.push(p);
  }
  return out;
}

function fileSet(label, paths) {
  const files = paths.map((p) => {
    const text = readFileSync(p, 'utf8');
    return { path: p, text, lines: countLines(text) };
  });
  return { label, files, lines: files.reduce((n, f) => n + f.lines, 0) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Warm in-process runs of the full linter over the set: cold first pass, then the median of `runs`. */
async function wardenInProcess(set) {
  const core = await loadWardenCore();
  const linter = await core.createLinter();
  const pass = () => {
    const results = [];
    const t0 = performance.now();
    for (const f of set.files) results.push(linter.lintText(f.path, f.text));
    return { sec: (performance.now() - t0) / 1000, results };
  };
  const cold = pass();
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(pass().sec);
  const byRule = {};
  const problems = {};
  const hits = new Set();
  for (const r of cold.results) {
    for (const f of r.findings) {
      byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
      if (RULE_KIND[f.ruleId]) hits.add(`${r.file}:${f.location.startLine}:${RULE_KIND[f.ruleId]}`);
    }
    for (const p of r.problems) problems[p.kind] = (problems[p.kind] ?? 0) + 1;
  }
  const slowest = cold.results.reduce((a, b) => (b.elapsedMs > a.elapsedMs ? b : a), { elapsedMs: 0, file: '' });
  return { coldSec: cold.sec, warmSec: median(warm), byRule, problems, hits, slowest };
}

/** The CLI as a process on the same file list (includes Node start-up and WASM load). */
function wardenCli(set) {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return { skipped: 'dist/cli.js missing: run `node esbuild.mjs` first' };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', ...set.files.map((f) => f.path)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sec = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) return { skipped: `exit ${r.status}: ${r.stderr.split('\n')[0]}` };
  return { sec };
}

function bandit(set) {
  const exe = which('bandit');
  if (!exe) return { skipped: 'bandit is not installed (Debian: apt-get update && apt-get install -y bandit); Bandit columns skipped' };
  mkdirSync(WORK, { recursive: true });
  const out = join(WORK, `python-bandit-${set.label}.json`);
  const t0 = performance.now();
  const r = spawnSync(exe, ['-q', '-f', 'json', '-o', out, ...set.files.map((f) => f.path)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sec = (performance.now() - t0) / 1000;
  if (!existsSync(out)) return { skipped: `bandit wrote no report (exit ${r.status}): ${r.stderr.split('\n')[0]}` };
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  const version = spawnSync(exe, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].replace(/^bandit\s*/, '');
  const byTest = {};
  const hits = new Set();
  for (const i of doc.results) {
    byTest[i.test_id] = (byTest[i.test_id] ?? 0) + 1;
    const kind = BANDIT_KIND[i.test_id];
    // Bandit reports a multi-line call on any of its lines: count every line it spans.
    if (kind) for (const line of i.line_range ?? [i.line_number]) hits.add(`${i.filename}:${line}:${kind}`);
  }
  return { sec, version, total: doc.results.length, byTest, hits, errors: doc.errors?.length ?? 0 };
}

/** Scores hits against `# ruleid:` / `# ok:` annotations of the four core rules. */
function score(set, hits) {
  const out = {};
  for (const kind of ['command', 'sql', 'path', 'timing']) out[kind] = { expected: 0, found: 0, okLines: 0, falsePositives: 0 };
  for (const f of set.files) {
    const lines = f.text.split(/\r?\n/);
    let pending = [];
    lines.forEach((line, i) => {
      const m = /^\s*#\s*(ruleid|ok)\s*:\s*([a-z-]+)/.exec(line);
      if (m) {
        if (RULE_KIND[m[2]]) pending.push({ kind: m[1], rule: m[2] });
        return;
      }
      if (pending.length === 0 || line.trim() === '' || /^\s*#/.test(line)) return;
      for (const p of pending) {
        const k = RULE_KIND[p.rule];
        const hit = hits.has(`${f.path}:${i + 1}:${k}`);
        if (p.kind === 'ruleid') {
          out[k].expected++;
          if (hit) out[k].found++;
        } else {
          out[k].okLines++;
          if (hit) out[k].falsePositives++;
        }
      }
      pending = [];
    });
  }
  return out;
}

function fmtRate(lines, sec) {
  return sec ? `${Math.round(lines / sec).toLocaleString('en-US')} lines/s (${sec.toFixed(2)} s)` : 'n/a';
}

const sets = [];
const corpus = prepareCorpus();
const corpusPy = corpus.files.filter((f) => f.language === 'python').map((f) => f.path);
if (corpusPy.length > 0) sets.push(fileSet('corpus', corpusPy));
else console.log(`corpus: no Python files (${corpus.absent.map((a) => `${a.repo}: ${a.reason}`).join('; ') || 'empty'}); skipped`);
const fixtureDir = join(ROOT, 'test', 'fixtures', 'rules');
sets.push(fileSet('fixtures', CORE_RULES.flatMap((r) => (existsSync(join(fixtureDir, r)) ? pyFilesUnder(join(fixtureDir, r)) : []))));

const report = { date: new Date().toISOString(), node: process.version, runs, sets: [] };
for (const set of sets) {
  console.log(`\n== ${set.label}: ${set.files.length} Python files, ${set.lines.toLocaleString('en-US')} lines`);
  const w = await wardenInProcess(set);
  const c = wardenCli(set);
  const b = bandit(set);
  console.log(`mcp-warden in-process  cold ${fmtRate(set.lines, w.coldSec)}, warm median ${fmtRate(set.lines, w.warmSec)}`);
  console.log(`  slowest file: ${w.slowest.file.replace(`${ROOT}/`, '')} (${w.slowest.elapsedMs.toFixed(0)} ms); problems ${JSON.stringify(w.problems)}`);
  console.log(`mcp-warden CLI process ${c.skipped ?? fmtRate(set.lines, c.sec)}`);
  console.log(`Bandit ${b.version ?? ''} process ${b.skipped ?? fmtRate(set.lines, b.sec)}`);
  console.log(`findings: mcp-warden ${JSON.stringify(w.byRule)}`);
  if (!b.skipped) console.log(`findings: Bandit (${b.total} total) ${JSON.stringify(b.byTest)}`);
  const entry = { label: set.label, files: set.files.length, lines: set.lines, warden: { ...w, hits: w.hits.size }, cli: c, bandit: b.skipped ? b : { ...b, hits: b.hits.size } };
  if (set.label === 'fixtures') {
    const ws = score(set, w.hits);
    console.log('annotated lines (found/expected on ruleid lines, false positives/ok lines):');
    const bs = b.skipped ? undefined : score(set, b.hits);
    for (const k of Object.keys(ws)) {
      const bw = bs ? `   Bandit ${bs[k].found}/${bs[k].expected}, ${bs[k].falsePositives}/${bs[k].okLines}` : '';
      console.log(`  ${k.padEnd(8)} mcp-warden ${ws[k].found}/${ws[k].expected}, ${ws[k].falsePositives}/${ws[k].okLines}${bw}`);
    }
    entry.scores = { warden: ws, ...(bs ? { bandit: bs } : {}) };
  }
  report.sets.push(entry);
}
mkdirSync(WORK, { recursive: true });
writeFileSync(join(WORK, 'python-throughput.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten: ${join(WORK, 'python-throughput.json').replace(`${ROOT}/`, '')}`);
