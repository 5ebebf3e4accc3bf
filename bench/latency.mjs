// On-type latency (issue 9): analyse a 1,000- and a 5,000-line MCP server file after one
// edit, many times, warm, in-process: MCP Warden's Linter.lintText (what the language server
// calls on every change) next to ESLint's Linter.verify with eslint-plugin-security.
// Each run inserts one character into a different tool description, like a keystroke.
//
// The full-pass rows (issue 3: "one pass over a 1,000-line server file after warm-up") lint
// files the linter has never seen, each once: a fresh parse and a whole analysis, nothing kept
// from an earlier version of the file, in a process warmed up on other such files.
//
//   node bench/latency.mjs [--runs N]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generatePy, generateTs, writeGenerated } from './gen-server.mjs';
import { quantile, summarise } from './stats.mjs';
import { createEslintSecurity, createWarden } from './tools.mjs';

/** Offsets just inside each description string: where a user would be typing. */
function editPoints(text, language) {
  const re = language === 'python' ? /"""(?=[A-Z])/g : /description: '/g;
  const out = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index + m[0].length);
  return out.length > 0 ? out : [Math.floor(text.length / 2)];
}

/** Stops sampling a (tool, file) pair after this long: a slow analysis shows in fewer runs, not a stuck benchmark. */
const CAP_MS = 120_000;

/**
 * Lints the `count` inputs `input(i)` gives (`{ file, text }`) with `tool`, timing each: wall
 * and CPU time of the process (all threads, GC included: less disturbed than wall time when
 * other processes share the cores). The first `warmup` are not kept; sampling stops after
 * CAP_MS once five are kept.
 */
function sampleRuns(tool, count, warmup, input) {
  const samples = [];
  const cpuSamples = [];
  let last;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if (performance.now() - started > CAP_MS && samples.length >= 5) break;
    const { file, text } = input(i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = tool.lint(file, text);
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (i >= warmup) {
      samples.push(dt);
      cpuSamples.push((c.user + c.system) / 1000);
    }
  }
  const cpu = summarise(cpuSamples);
  return { ...summarise(samples), p10: quantile(samples, 0.1), cpuMedian: cpu.median, cpuP95: cpu.p95, findings: last.findings, problems: last.problems.length };
}

function measure(tool, file, base, language, runs, warmup) {
  const points = editPoints(base, language);
  return sampleRuns(tool, warmup + runs, warmup, (i) => {
    const at = points[i % points.length];
    return { file, text: `${base.slice(0, at)}${String.fromCharCode(97 + (i % 26))}${base.slice(at)}` };
  });
}

/** Rows: one per (file, tool). */
export async function runLatency({ runs = 200 } = {}) {
  const files = writeGenerated([1000, 5000]);
  // As the language server runs it on each change (no fix builders), and as the CLI does (with them).
  const warden = await createWarden({ fixes: false, name: 'mcp-warden (as the editor runs it)' });
  const wardenFixes = await createWarden({ fixes: true, name: 'mcp-warden (with fixes, as the CLI)' });
  const eslint = await createEslintSecurity();
  const rows = [];
  for (const key of ['typescript-1000', 'typescript-5000', 'python-1000', 'python-5000']) {
    const [language, lines] = key.split('-');
    const file = files[key];
    const base = readFileSync(file, 'utf8');
    // Fewer runs of the big file: each is five times the work, and p95 of 30+ runs is stable enough.
    const n = Number(lines) >= 5000 ? Math.max(20, Math.round(runs / 8)) : runs;
    const warmup = Number(lines) >= 5000 ? 8 : 30;
    rows.push({ file: `${lines} lines ${language === 'python' ? 'Python' : 'TS'}`, tool: warden.name, ...measure(warden, file, base, language, n, warmup) });
    rows.push({ file: `${lines} lines ${language === 'python' ? 'Python' : 'TS'}`, tool: wardenFixes.name, ...measure(wardenFixes, file, base, language, n, warmup) });
    if (language === 'typescript') {
      rows.push({ file: `${lines} lines TS`, tool: eslint.name, ...measure(eslint, file, base, language, n, warmup) });
    }
  }
  return rows;
}

/**
 * Lints `runs` never-seen files once each, after `warmup` others: texts made by the generator
 * with distinct seeds (same templates, other names and constants), each at a path of its own,
 * so neither the incremental parser nor the taint cache has an earlier version of it. The
 * texts are made before the clock starts.
 */
function measureFresh(tool, language, lines, runs, warmup) {
  const gen = language === 'python' ? generatePy : generateTs;
  const ext = language === 'python' ? 'py' : 'ts';
  const texts = Array.from({ length: warmup + runs }, (_, i) => gen(lines, 1000 + i));
  const dir = `/bench/fresh/${tool.name.replace(/\W+/g, '-')}`;
  return sampleRuns(tool, texts.length, warmup, (i) => ({ file: `${dir}/server-${lines}-${i}.${ext}`, text: texts[i] }));
}

/** Rows: one per (language, tool), 1,000-line files, each linted once. */
export async function runFullPass({ runs = 300 } = {}) {
  const warden = await createWarden({ fixes: false, name: 'mcp-warden (as the editor runs it)' });
  const wardenFixes = await createWarden({ fixes: true, name: 'mcp-warden (with fixes, as the CLI)' });
  const eslint = await createEslintSecurity();
  const rows = [];
  for (const language of ['typescript', 'python']) {
    const file = `1000 lines ${language === 'python' ? 'Python' : 'TS'}`;
    for (const tool of language === 'python' ? [warden, wardenFixes] : [warden, wardenFixes, eslint]) {
      // ESLint keeps nothing between files: a fifth of the runs gives as stable a median.
      const n = tool === eslint ? Math.max(20, Math.round(runs / 5)) : runs;
      rows.push({ file, tool: tool.name, ...measureFresh(tool, language, 1000, n, tool === eslint ? 10 : 50) });
    }
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : undefined;
  console.table(await runLatency(runs ? { runs } : {}));
  console.table(await runFullPass(runs ? { runs } : {}));
}
