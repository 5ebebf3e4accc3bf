// Workspace throughput (issue 9): lines per second over the corpus of real MCP servers in
// bench/corpus.json, for MCP Warden's CLI, the ESLint CLI with eslint-plugin-security (TS/JS)
// and Bandit (Python), each as its own process on the same explicit file list, with wall time
// and peak RSS from /usr/bin/time; plus in-process analysis time (no start-up) for the two
// Node tools, and findings per kLOC for every tool. Both Node CLIs run twice: on one thread
// (mcp-warden --jobs 1; ESLint's default) and with their parallel defaults (mcp-warden's default jobs;
// ESLint's --concurrency auto, when the installed ESLint has it, i.e. >= 9.34).
//
//   node bench/throughput.mjs [--repeat N]   (expects dist/cli.js: run `npm run build` first)
//
// With --repeat N each CLI run is repeated N times and the medians of wall time, CPU time and
// peak RSS are reported (the corpus is shared by every run, so the first one warms the page cache).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { CORPUS_DIR, prepareCorpus } from './corpus.mjs';
import { ROOT, WORK } from './tools.mjs';

const TIME = '/usr/bin/time';
/** One tool's run over the corpus is stopped after this long and reported as such. */
const TIMEOUT_MS = 20 * 60_000;

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Runs a command under /usr/bin/time (when present) and returns wall seconds, CPU seconds
 * (user + system: what the run costs when other processes share the cores) and peak RSS in MiB. The tool's own exit code is kept: linters exit 1 when they find something.
 */
function timedOnce(cmd, args, { cwd = ROOT } = {}) {
  const out = join(WORK, 'time.txt');
  rmSync(out, { force: true });
  const haveTime = existsSync(TIME);
  // The 1-minute load average as the run starts: wall times at load 8 on 2 cores mean little.
  const load = loadavg()[0];
  const t0 = performance.now();
  const r = haveTime
    ? spawnSync(TIME, ['-f', '%e %M %U %S', '-o', out, cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, timeout: TIMEOUT_MS })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, timeout: TIMEOUT_MS });
  const wall = (performance.now() - t0) / 1000;
  let rssMiB = NaN;
  let cpu = NaN;
  if (haveTime && existsSync(out)) {
    const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const [, kb, user, sys] = last.split(' ');
    rssMiB = Number(kb) / 1024;
    cpu = Number(user) + Number(sys);
  }
  const stderr = r.signal ? `stopped after ${Math.round(wall)} s (${r.signal}) ${r.stderr ?? ''}` : r.stderr ?? '';
  return { wall, cpu, rssMiB, load, status: r.status, stdout: r.stdout ?? '', stderr };
}

function median(xs) {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length === 0 ? NaN : v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

/** `timedOnce` `repeat` times: medians of wall, CPU and peak RSS; output of the last run. */
function timed(cmd, args, opts = {}, repeat = 1) {
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    const r = timedOnce(cmd, args, opts);
    runs.push(r);
    if (r.status === null) break; // stopped: do not repeat a timeout
  }
  const last = runs[runs.length - 1];
  return { ...last, wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rssMiB: median(runs.map((r) => r.rssMiB)), runs: runs.length, load: median(runs.map((r) => r.load)) };
}

/** Whether the installed ESLint CLI has --concurrency (added in ESLint 9.34). */
export function eslintConcurrency() {
  const bin = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).stdout.trim();
  return { supported: r.status === 0 && r.stdout.includes('--concurrency'), version };
}

/** Counts of each value, most frequent first. */
function tally(values) {
  const m = new Map();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));
}

function sumLines(files) {
  return files.reduce((n, f) => n + f.lines, 0);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Arguments of `node` for the CLI over `paths`, report to `out`: `--jobs` from `jobArgs`. */
function wardenArgs(out, jobArgs, paths) {
  return [join(ROOT, 'dist', 'cli.js'), 'lint', '--format', 'json', '--output', out, ...jobArgs, ...paths];
}

/** Arguments of `node` for the ESLint CLI with eslint-plugin-security over `paths`, report to `out`. */
function eslintArgs(out, extra, paths) {
  return [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--config', join(ROOT, 'bench', 'eslint.config.mjs'), '--no-ignore', ...extra, '--format', 'json', '--output-file', out, ...paths];
}

/**
 * `mcp-warden lint --format json` over the files; findings and problems from its report.
 * `jobs` is the --jobs value, or undefined for the CLI's default (half the cores).
 */
function runWardenCli(files, label, jobs, repeat) {
  const tool = jobs === undefined ? `mcp-warden (CLI, default jobs = ${Math.max(1, Math.min(Math.floor(availableParallelism() / 2), 8))})` : `mcp-warden (CLI, --jobs ${jobs})`;
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return { tool, corpus: label, skipped: 'dist/cli.js missing: run `npm run build`' };
  const out = join(WORK, `warden-${slug(label)}.json`);
  rmSync(out, { force: true });
  const jobArgs = jobs === undefined ? [] : ['--jobs', String(jobs)];
  // Run from the corpus folder so that no .mcp-warden.json of this repository applies.
  const t = timed(process.execPath, wardenArgs(out, jobArgs, files.map((f) => f.path)), { cwd: CORPUS_DIR }, repeat);
  const doc = readJson(out);
  if (!doc) return { tool, corpus: label, skipped: `no report (exit ${t.status}): ${t.stderr.split('\n')[0]}` };
  const findings = doc.files.reduce((n, f) => n + f.findings.length, 0);
  const parseErrors = doc.problems.filter((p) => p.kind === 'parse-error').length;
  const otherProblems = doc.problems.length - parseErrors;
  const byRule = tally(doc.files.flatMap((f) => f.findings.map((x) => x.ruleId)));
  const problemKinds = tally(doc.problems.map((p) => p.kind));
  const command = `node dist/cli.js lint --format json --output FILE ${jobArgs.join(' ')}${jobArgs.length ? ' ' : ''}<${files.length} files> (cwd ${CORPUS_DIR})`;
  return { tool, corpus: label, command, files: files.length, lines: sumLines(files), ...t, findings, parseErrors, otherProblems, byRule, problemKinds };
}

/** The ESLint CLI with eslint-plugin-security; `concurrency` is a --concurrency value or undefined (ESLint's default, one thread). */
function runEslintCli(files, label, concurrency, repeat) {
  const tool = concurrency === undefined ? 'ESLint + security (CLI)' : `ESLint + security (CLI, --concurrency ${concurrency})`;
  const out = join(WORK, `eslint-${slug(label)}.json`);
  rmSync(out, { force: true });
  const extra = concurrency === undefined ? [] : ['--concurrency', String(concurrency)];
  const t = timed(process.execPath, eslintArgs(out, extra, files.map((f) => f.path)), {}, repeat);
  const doc = readJson(out);
  if (!doc) return { tool, corpus: label, skipped: `no report (exit ${t.status}): ${t.stderr.split('\n')[0]}` };
  let findings = 0;
  let parseErrors = 0;
  const ids = [];
  for (const f of doc) {
    for (const m of f.messages) {
      if (m.fatal) parseErrors++;
      // Only the plugin's rules: inline directives for plugins not loaded here (e.g. an
      // 'eslint-disable @typescript-eslint/...' comment) come back as "rule not found" errors.
      else if (m.ruleId?.startsWith('security/')) {
        findings++;
        ids.push(m.ruleId);
      }
    }
  }
  const command = `node node_modules/eslint/bin/eslint.js --config bench/eslint.config.mjs --no-ignore ${extra.join(' ')}${extra.length ? ' ' : ''}--format json --output-file FILE <${files.length} files>`;
  return { tool, corpus: label, command, files: files.length, lines: sumLines(files), ...t, findings, parseErrors, otherProblems: 0, byRule: tally(ids) };
}

function runBandit(files, label, repeat) {
  const bandit = which('bandit');
  if (!bandit) return { tool: 'Bandit', corpus: label, skipped: 'bandit not installed (apt-get install -y bandit)' };
  const out = join(WORK, `bandit-${slug(label)}.json`);
  rmSync(out, { force: true });
  const t = timed(bandit, ['-q', '-f', 'json', '-o', out, ...files.map((f) => f.path)], {}, repeat);
  const doc = readJson(out);
  if (!doc) return { tool: 'Bandit', corpus: label, skipped: `no report (exit ${t.status}): ${t.stderr.split('\n')[0]}` };
  const results = doc.results ?? [];
  const mediumUp = results.filter((r) => r.issue_severity !== 'LOW').length;
  const version = spawnSync(bandit, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  return {
    tool: `Bandit ${version.replace(/^bandit\s*/, '')}`,
    corpus: label,
    files: files.length,
    lines: sumLines(files),
    ...t,
    findings: results.length,
    findingsMediumUp: mediumUp,
    byRule: tally(results.map((x) => `${x.test_id} ${x.test_name}`)),
    parseErrors: (doc.errors ?? []).length,
    otherProblems: 0,
  };
}

/**
 * One cold in-process pass in a child process (bench/inprocess.mjs): analysis-only seconds
 * (no process start-up, no file walking) and that process's peak RSS.
 */
function inProcess(which, files, label) {
  const name = which === 'eslint' ? 'ESLint + security (in-process)' : 'mcp-warden (in-process)';
  const doc = inProcessRun(which, files, label, 1);
  if (doc.skipped) return { tool: name, corpus: label, skipped: doc.skipped };
  return { tool: name, corpus: label, files: files.length, lines: sumLines(files), wall: doc.analysisSec, cpu: doc.analysisCpuSec, rssMiB: doc.rssMiB, findings: doc.findings, parseErrors: doc.parseErrors, otherProblems: doc.otherProblems, byRule: doc.byRule };
}

/** Passes of `steadyState`: the first STEADY_FROM - 1 warm the process up, the rest are measured. */
const STEADY_PASSES = 5;
const STEADY_FROM = 3;

/**
 * The rate once the process is warm: STEADY_PASSES in-process passes over the same files, each
 * by a new linter (nothing cached from an earlier pass), and the median of passes STEADY_FROM
 * and later. A cold run over this corpus spends most of its time before V8 has optimised the
 * hot code (the parser's and the analysis's); this is the rate a long-lived process (the
 * language server scanning a workspace) or a corpus several times this size tends to.
 */
function steadyState(which, files, label) {
  const name = `${which === 'eslint' ? 'ESLint + security' : 'mcp-warden'} (in-process, warm: passes ${STEADY_FROM}-${STEADY_PASSES})`;
  const doc = inProcessRun(which, files, label, STEADY_PASSES);
  if (doc.skipped) return { tool: name, corpus: label, skipped: doc.skipped };
  const warm = doc.passes.slice(STEADY_FROM - 1);
  return { tool: name, corpus: label, steady: true, files: files.length, lines: sumLines(files), wall: median(warm.map((p) => p.wall)), cpu: median(warm.map((p) => p.cpu)), passes: doc.passes, rssMiB: doc.rssMiB, findings: doc.findings, parseErrors: doc.parseErrors, otherProblems: doc.otherProblems, byRule: doc.byRule };
}

/** bench/inprocess.mjs in a child process: its JSON, with the child's peak RSS; or `{ skipped }`. */
function inProcessRun(which, files, label, passes) {
  const list = join(WORK, `list-${which}-${slug(label)}.json`);
  writeFileSync(list, JSON.stringify(files.map((f) => f.path)));
  const t = timed(process.execPath, [join(ROOT, 'bench', 'inprocess.mjs'), which, list, String(passes)]);
  let doc;
  try {
    doc = JSON.parse(t.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return { skipped: `failed (exit ${t.status}): ${t.stderr.split('\n')[0]}` };
  }
  if (t.status !== 0) return { skipped: `failed (exit ${t.status}): ${t.stderr.split('\n')[0]}` };
  return { ...doc, rssMiB: t.rssMiB };
}

/**
 * TypeScript's parser alone over the files, as its own process (bench/parse-floor.mjs): start-up,
 * reading and one parse per file, no analysis. Both Node linters pay this much and more.
 */
function parseFloor(files, label, repeat) {
  const tool = 'TypeScript parser alone (no analysis)';
  const list = join(WORK, `list-floor-${slug(label)}.json`);
  writeFileSync(list, JSON.stringify(files.map((f) => f.path)));
  const t = timed(process.execPath, [join(ROOT, 'bench', 'parse-floor.mjs'), list], {}, repeat);
  let doc;
  try {
    doc = JSON.parse(t.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return { tool, corpus: label, skipped: `failed (exit ${t.status}): ${t.stderr.split('\n')[0]}` };
  }
  return { tool: `${tool}, TypeScript ${doc.typescript}`, corpus: label, floor: true, files: files.length, lines: sumLines(files), ...t, findings: 0, parseErrors: 0, otherProblems: 0 };
}

/**
 * The throughput ratio measured in alternating pairs: `mcp-warden lint --jobs 1` then the ESLint
 * CLI (one thread each), `pairs` times, each pair's ratio of wall times (and of CPU times) taken
 * within the same minute. This VM's speed drifts by tens of percent between minutes; medians of
 * runs made minutes apart (the rows above) carry that drift into their ratio, a pair does not.
 */
export function pairedRatio(files, pairs) {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) return { skipped: 'dist/cli.js missing: run `npm run build` first' };
  const paths = files.map((f) => f.path);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < pairs; i++) {
    const w = timedOnce(process.execPath, wardenArgs(join(WORK, 'paired-warden.json'), ['--jobs', '1'], paths), { cwd: CORPUS_DIR });
    const e = timedOnce(process.execPath, eslintArgs(join(WORK, 'paired-eslint.json'), [], paths));
    if (w.status === null || e.status === null) return { skipped: 'a run was stopped at the time limit' };
    wall.push(e.wall / w.wall);
    cpu.push(e.cpu / w.cpu);
  }
  return { pairs, wall, cpu, medianWall: median(wall), medianCpu: median(cpu) };
}

function slug(label) {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * Runs every tool; returns `{ corpus, rows }` or `{ absent }` when no corpus could be
 * extracted (no mirrors on this machine).
 */
export async function runThroughput({ repeat = 1, pairs = 0 } = {}) {
  mkdirSync(WORK, { recursive: true });
  const corpus = prepareCorpus();
  if (corpus.files.length === 0) {
    const first = corpus.absent[0];
    return {
      absent: first
        ? `no corpus: none of the ${corpus.absent.length} repositories in bench/corpus.json could be extracted (e.g. ${first.repo}: ${first.reason})`
        : 'no corpus: bench/corpus.json lists no repositories',
    };
  }
  const tsjs = corpus.files.filter((f) => f.language !== 'python');
  const py = corpus.files.filter((f) => f.language === 'python');
  const rows = [];
  const eslint = eslintConcurrency();
  rows.push(runWardenCli(tsjs, 'TS/JS', 1, repeat));
  rows.push(runWardenCli(tsjs, 'TS/JS', undefined, repeat));
  rows.push(runEslintCli(tsjs, 'TS/JS', undefined, repeat));
  if (eslint.supported) rows.push(runEslintCli(tsjs, 'TS/JS', 'auto', repeat));
  else rows.push({ tool: 'ESLint + security (CLI, --concurrency auto)', corpus: 'TS/JS', skipped: `ESLint ${eslint.version} has no --concurrency (ESLint >= 9.34)` });
  rows.push(parseFloor(tsjs, 'TS/JS', repeat));
  rows.push(runWardenCli(py, 'Python', 1, repeat));
  rows.push(runWardenCli(py, 'Python', undefined, repeat));
  rows.push(runBandit(py, 'Python', repeat));
  rows.push(inProcess('warden', tsjs, 'TS/JS'));
  rows.push(inProcess('eslint', tsjs, 'TS/JS'));
  rows.push(inProcess('warden', py, 'Python'));
  rows.push(steadyState('warden', tsjs, 'TS/JS'));
  rows.push(steadyState('eslint', tsjs, 'TS/JS'));
  const paired = pairs > 0 ? pairedRatio(tsjs, pairs) : undefined;
  return { corpus, rows, paired };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--repeat');
  const repeat = at > 0 ? Math.max(1, Number(process.argv[at + 1]) || 1) : 1;
  const r = await runThroughput({ repeat, pairs: repeat });
  if (r.absent) {
    console.log(r.absent);
  } else {
    for (const a of r.corpus.absent) console.log(`absent: ${a.repo}: ${a.reason}`);
    console.table(r.rows.map((x) => ({ tool: x.tool, corpus: x.corpus, skipped: x.skipped, lines: x.lines, wall: x.wall, cpu: x.cpu, linesPerSecWall: x.lines / x.wall, linesPerSecCpu: x.lines / x.cpu, rssMiB: x.rssMiB, load: x.load, findings: x.findings, problems: x.parseErrors + (x.otherProblems ?? 0) })));
    for (const x of r.rows) if (x.command) console.log(`${x.tool}: ${x.command}`);
    if (r.paired?.wall) console.log(`alternating pairs (--jobs 1 / ESLint): wall ratios ${r.paired.wall.map((v) => v.toFixed(2)).join(', ')}; CPU ratios ${r.paired.cpu.map((v) => v.toFixed(2)).join(', ')}`);
  }
}
