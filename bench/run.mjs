// `npm run bench` (issue 9): on-type latency, workspace throughput against ESLint +
// eslint-plugin-security and Bandit, harness wall time (bench/harness-*.mjs), VSIX size and the
// activation time the VS Code tests recorded, all in one run on one machine, printed as one
// table. The table and the machine also go to bench/.work/results.{md,json}; bench/RESULTS.md
// holds a recorded run.
//
//   npm run bench [-- --quick] [--skip-throughput] [--skip-harness] [--skip-package]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFullPass, runLatency } from './latency.mjs';
import { runLspLatency } from './lsp-latency.mjs';
import { fmtInt, fmtMs, machine, table } from './stats.mjs';
import { runThroughput } from './throughput.mjs';
import { ROOT, WORK } from './tools.mjs';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
mkdirSync(WORK, { recursive: true });

const startedAt = new Date();
const box = machine();
const rows = [];
const notes = [];
const goals = [];
const say = (m) => process.stderr.write(`bench: ${m}\n`);

// 1. On-type latency.
say('on-type latency ...');
const latency = await runLatency({ runs: quick ? 60 : 240 });
for (const r of latency) {
  rows.push(['on-type latency (warm, one edit)', r.file, r.tool, `median ${fmtMs(r.median)} ms, p95 ${fmtMs(r.p95)} ms (${r.runs} runs)`, `CPU median ${fmtMs(r.cpuMedian)} ms, p95 ${fmtMs(r.cpuP95)} ms`, '', `${r.findings} findings${r.problems ? `, ${r.problems} problems` : ''}`]);
}
for (const lang of ['TS', 'Python']) {
  // The goal is the editor's per-change analysis; the CLI's (with fix builders) is reported beside it.
  const w = latency.find((r) => r.file === `1000 lines ${lang}` && r.tool.startsWith('mcp-warden (as the editor'));
  const e = latency.find((r) => r.file === `1000 lines ${lang}` && !r.tool.startsWith('mcp-warden'));
  if (w) goals.push(`on-type p95, 1,000-line ${lang} file, as the editor runs it: ${fmtMs(w.p95)} ms wall, ${fmtMs(w.cpuP95)} ms CPU (goal <= 15 ms: ${w.p95 <= 15 ? 'met' : w.cpuP95 <= 15 ? 'met in CPU time only' : 'NOT met'})${e ? `; ESLint + security p95 ${fmtMs(e.p95)} ms wall, ${fmtMs(e.cpuP95)} ms CPU` : ''}`);
}

// 1a. A full pass over a file never seen before (issue 3), in a warm process.
say('full pass, never-seen files ...');
const fullPass = await runFullPass({ runs: quick ? 60 : 300 });
for (const r of fullPass) {
  rows.push(['full pass (warm process, new file)', r.file, r.tool, `median ${fmtMs(r.median)} ms, p95 ${fmtMs(r.p95)} ms (${r.runs} files)`, `CPU median ${fmtMs(r.cpuMedian)} ms, p95 ${fmtMs(r.cpuP95)} ms`, '', `p10 ${fmtMs(r.p10)} ms; ${r.findings} findings${r.problems ? `, ${r.problems} problems` : ''}`]);
}
{
  const w = fullPass.find((r) => r.file === '1000 lines TS' && r.tool.startsWith('mcp-warden (as the editor'));
  const e = fullPass.find((r) => r.file === '1000 lines TS' && !r.tool.startsWith('mcp-warden'));
  if (w) goals.push(`full pass over a never-seen 1,000-line TS file, warm process (issue 3: well under 15 ms): median ${fmtMs(w.median)} ms, p10 ${fmtMs(w.p10)} ms, p95 ${fmtMs(w.p95)} ms${e ? `; ESLint + security median ${fmtMs(e.median)} ms` : ''}`);
}

// 1b. The same through the language server, as the editor sees it.
say('on-type latency through the language server ...');
const lsp = await runLspLatency({ runs: quick ? 10 : 40 });
if (lsp.skipped) {
  rows.push(['on-type latency (language server)', '1000 lines TS', 'mcp-warden', 'skipped', '', '', lsp.skipped]);
} else {
  rows.push([
    'on-type latency (language server)',
    `${lsp.lines} lines TS`,
    'mcp-warden',
    `median ${fmtMs(lsp.median)} ms, p95 ${fmtMs(lsp.p95)} ms (${lsp.runs} runs)`,
    '',
    '',
    `didChange -> publishDiagnostics, includes the ${lsp.debounceMs ?? '?'} ms typing debounce; ${lsp.findings} diagnostics`,
  ]);
}

// 2. Workspace throughput.
let throughput;
if (!args.has('--skip-throughput')) {
  say('workspace throughput (corpus) ...');
  // Three runs of every CLI (medians) unless --quick: one run is at the mercy of the other load.
  throughput = await runThroughput({ repeat: quick ? 1 : 3, pairs: quick ? 1 : 5 });
  if (throughput.absent) {
    notes.push(`Workspace throughput skipped: ${throughput.absent}. Fetch the repositories in bench/corpus.json into ${process.env.MCP_WARDEN_MIRROR || '/work/.mirror'}/<owner>+<name>/repo (bare git) and re-run.`);
  } else {
    for (const a of throughput.corpus.absent) notes.push(`corpus repository missing: ${a.repo} (${a.reason})`);
    for (const r of throughput.rows) {
      if (r.skipped) {
        rows.push(['workspace throughput', r.corpus, r.tool, 'skipped', '', '', r.skipped]);
        continue;
      }
      if (r.floor) {
        rows.push(['workspace throughput', `${r.corpus}: ${fmtInt(r.files)} files, ${fmtInt(r.lines)} lines`, r.tool, `${r.wall.toFixed(2)} s wall, ${Number.isFinite(r.cpu) ? r.cpu.toFixed(2) : 'n/a'} s CPU${r.runs > 1 ? ` (median of ${r.runs})` : ''}`, `${fmtInt(r.lines / r.wall)} lines/s wall, ${Number.isFinite(r.cpu) ? fmtInt(r.lines / r.cpu) : 'n/a'} lines/s CPU`, Number.isFinite(r.rssMiB) ? `${Math.round(r.rssMiB)} MiB` : 'n/a', 'reference: start-up, reading and one parse per file, nothing else (bench/parse-floor.mjs)']);
        continue;
      }
      const perK = (r.findings / r.lines) * 1000;
      const extra = r.findingsMediumUp !== undefined ? ` (${(r.findingsMediumUp / r.lines * 1000).toFixed(2)} medium+)` : '';
      const parse = r.parseErrors ? `, ${r.parseErrors} parse errors` : '';
      const other = r.otherProblems ? `, ${r.otherProblems} other problems` : '';
      rows.push([
        'workspace throughput',
        `${r.corpus}: ${fmtInt(r.files)} files, ${fmtInt(r.lines)} lines`,
        r.tool,
        `${r.wall.toFixed(2)} s wall, ${Number.isFinite(r.cpu) ? r.cpu.toFixed(2) : 'n/a'} s CPU${r.runs > 1 ? ` (median of ${r.runs})` : ''}${Number.isFinite(r.load) ? `, load ${r.load.toFixed(1)}` : ''}`,
        `${fmtInt(r.lines / r.wall)} lines/s wall, ${Number.isFinite(r.cpu) ? fmtInt(r.lines / r.cpu) : 'n/a'} lines/s CPU`,
        Number.isFinite(r.rssMiB) ? `${Math.round(r.rssMiB)} MiB` : 'n/a',
        `${r.findings} findings = ${perK.toFixed(2)}/kLOC${extra}${parse}${other}`,
      ]);
    }
    for (const r of throughput.rows) {
      if (r.skipped || r.floor || !r.byRule || r.tool.includes('in-process')) continue;
      const top = Object.entries(r.byRule).slice(0, 6).map(([id, n]) => `${id} ${n}`).join(', ');
      notes.push(`${r.tool} on ${r.corpus}, findings by rule: ${top || 'none'}${r.problemKinds && Object.keys(r.problemKinds).length ? `; problems: ${Object.entries(r.problemKinds).map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`);
    }
    const rate = (tool, corpus, key) => {
      const r = throughput.rows.find((x) => x.tool === tool && x.corpus === corpus && !x.skipped);
      return r ? r.lines / r[key] : NaN;
    };
    const ratio = (a, b, corpus, key) => rate(a, corpus, key) / rate(b, corpus, key);
    const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');
    const wardenOne = 'mcp-warden (CLI, --jobs 1)';
    const wardenAll = throughput.rows.find((r) => r.tool.startsWith('mcp-warden (CLI, default jobs'))?.tool ?? '';
    const eslintOne = 'ESLint + security (CLI)';
    const eslintAll = 'ESLint + security (CLI, --concurrency auto)';
    // Like against like: one thread each; each tool's defaults; each tool's parallel default; analysis only.
    const pairs = [
      ['one thread each', wardenOne, eslintOne],
      ['defaults', wardenAll, eslintOne],
      ['parallel defaults each (half the cores)', wardenAll, eslintAll],
      ['in-process analysis', 'mcp-warden (in-process)', 'ESLint + security (in-process)'],
    ];
    // The rate once warm (bench/throughput.mjs steadyState): both tools, same passes.
    const steady = throughput.rows.filter((r) => r.steady && !r.skipped && r.corpus === 'TS/JS');
    const steadyWarden = steady.find((r) => r.tool.startsWith('mcp-warden'));
    const steadyEslint = steady.find((r) => r.tool.startsWith('ESLint'));
    if (steadyWarden && steadyEslint) pairs.push(['in-process once warm (same process, new linter each pass, median of the later passes)', steadyWarden.tool, steadyEslint.tool]);
    for (const r of steady) notes.push(`${r.tool} on ${r.corpus}, seconds per pass (each by a new linter, the first one cold): ${r.passes.map((p) => p.wall.toFixed(2)).join(', ')} wall; ${r.passes.map((p) => p.cpu.toFixed(2)).join(', ')} CPU`);
    const all = [];
    const parts = pairs.map(([name, a, b]) => {
      const w = ratio(a, b, 'TS/JS', 'wall');
      const c = ratio(a, b, 'TS/JS', 'cpu');
      all.push(w, c);
      return `${name} ${x(w)} wall, ${x(c)} CPU`;
    });
    const pr = throughput.paired;
    if (pr?.wall) {
      const range = (v) => `${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)}`;
      parts.push(`one thread each in ${pr.pairs} alternating pairs (same minute) ${x(pr.medianWall)} wall (${range(pr.wall)}), ${x(pr.medianCpu)} CPU (${range(pr.cpu)})`);
      all.push(pr.medianWall, pr.medianCpu);
    } else if (pr?.skipped) notes.push(`alternating pairs skipped: ${pr.skipped}`);
    // The ceiling: TypeScript's parser alone, which both linters run first, against ESLint.
    const floorRow = throughput.rows.find((r) => r.floor && !r.skipped);
    if (floorRow) {
      const eslintRow = throughput.rows.find((r) => r.tool === eslintOne && !r.skipped);
      const wardenRow = throughput.rows.find((r) => r.tool === wardenOne && !r.skipped);
      if (eslintRow && wardenRow) parts.push(`TypeScript's parser alone ${x(eslintRow.wall / floorRow.wall)} ESLint's wall time (the most a linter on that parser could reach; mcp-warden --jobs 1 takes ${x(wardenRow.wall / floorRow.wall)} the parser's time)`);
    }
    const finite = all.filter(Number.isFinite);
    goals.push(`throughput vs eslint-plugin-security (TS/JS): ${parts.join('; ')} (goal >= 5x: ${finite.length && finite.every((v) => v >= 5) ? 'met' : finite.some((v) => v >= 5) ? 'met in some set-ups only' : 'NOT met'})`);
    const banditRow = throughput.rows.find((r) => r.tool.startsWith('Bandit') && !r.skipped);
    if (banditRow) {
      const dW = ratio(wardenAll, banditRow.tool, 'Python', 'wall');
      goals.push(`throughput vs Bandit (Python, both CLIs): --jobs 1 ${x(rate(wardenOne, 'Python', 'wall') / rate(banditRow.tool, 'Python', 'wall'))} wall, ${x(rate(wardenOne, 'Python', 'cpu') / rate(banditRow.tool, 'Python', 'cpu'))} CPU; default jobs ${x(dW)} wall`);
    }
  }
}

// 3. Harness wall time: the harness engineer's scripts, when present.
if (!args.has('--skip-harness')) {
  const scripts = readdirSync(join(ROOT, 'bench')).filter((f) => /^harness-.*\.mjs$/.test(f)).sort();
  if (scripts.length === 0) notes.push('Harness wall time: no bench/harness-*.mjs yet.');
  for (const s of scripts) {
    say(`${s} ...`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bench', s), '--runs', quick ? '1' : '3'], { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
    const resultFile = join(ROOT, 'bench', 'harness-results.json');
    let parsed;
    try {
      const doc = JSON.parse(readFileSync(resultFile, 'utf8'));
      if (new Date(doc.date).getTime() >= t0 - 1000) parsed = doc;
    } catch {
      parsed = undefined;
    }
    if (r.status !== 0 || !parsed) {
      rows.push(['harness wall time', s, 'mcp-warden harness', 'failed', '', '', `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`]);
      continue;
    }
    for (const h of parsed.rows) {
      rows.push(['harness wall time', h.label, 'mcp-warden harness', `median ${fmtInt(h.medianMs)} ms (${h.samplesMs.length} runs)`, '', '', `${h.checks} checks, ${h.confirmed} confirmed`]);
    }
  }
}

// 4. Extension: VSIX size, and the activation time the VS Code test run printed.
if (!args.has('--skip-package')) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (!pkg.scripts?.package) {
    notes.push('VSIX size: no `npm run package` script yet.');
  } else {
    say('npm run package ...');
    const vsix = join(WORK, 'mcp-warden.vsix');
    const r = spawnSync('npm', ['run', 'package', '--', '-o', vsix], { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60_000 });
    if (r.status === 0 && existsSync(vsix)) {
      const listing = spawnSync('unzip', ['-l', vsix], { encoding: 'utf8' });
      const files = listing.status === 0 ? listing.stdout.trim().split('\n').pop()?.trim().split(/\s+/)[1] : undefined;
      rows.push(['extension', 'VSIX (npm run package)', 'mcp-warden', '', '', '', `${(statSync(vsix).size / 1024).toFixed(0)} KiB${files ? `, ${files} files` : ''}`]);
    } else {
      rows.push(['extension', 'VSIX (npm run package)', 'mcp-warden', 'failed', '', '', `exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-1)[0] ?? ''}`]);
    }
  }
  // Rebuild the development bundle that `npm run package` replaced with the minified one.
  spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
}
{
  const dir = join(ROOT, 'test-results', 'vscode');
  const metrics = [];
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.log'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/MCPW-METRIC (\w+)=(-?\d+(?:\.\d+)?)/g)) metrics.push({ name: m[1], value: Number(m[2]), file: f, at: statSync(join(dir, f)).mtime });
    }
  }
  const act = metrics.filter((m) => /activation/i.test(m.name));
  if (act.length === 0) notes.push('Activation time: no MCPW-METRIC lines in test-results/vscode/*.log (run `npm test` with the VS Code suite first).');
  for (const m of act) rows.push(['extension', `${m.name} (VS Code test run ${m.at.toISOString().slice(0, 16)}Z)`, 'mcp-warden', `${m.value} ms`, '', '', `from test-results/vscode/${m.file}`]);
}

const endBox = machine();
const header = ['Benchmark', 'Input', 'Tool', 'Time', 'Rate', 'Peak RSS', 'Findings / notes'];
const md = [
  `Run ${startedAt.toISOString()} (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s${quick ? ', --quick' : ''}): ${box.cores} x ${box.cpu}, ${box.memoryGiB} GiB, node ${box.node}, ${box.platform}; load average ${box.loadavg} at start, ${endBox.loadavg} at end.`,
  '',
  table(header, rows),
  '',
  ...goals.map((g) => `- ${g}`),
  ...notes.map((n) => `- ${n}`),
  '',
].join('\n');
process.stdout.write(`\n${md}`);
writeFileSync(join(WORK, 'results.md'), md);
writeFileSync(join(WORK, 'results.json'), `${JSON.stringify({ startedAt, machine: box, endLoad: endBox.loadavg, latency, throughput: throughput?.rows, rows, goals, notes }, null, 2)}\n`);
