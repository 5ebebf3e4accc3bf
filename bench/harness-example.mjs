// Harness wall time (issue 7): a full `mcp-warden harness` run on examples/typescript-server
// (stdio, discovered from its package.json, TypeScript run with tsx), and on generated stdio
// servers with 10 and 30 tools at concurrency 1 and 4, to show that concurrency makes the run
// time grow sub-linearly with the number of tools. Uses the built CLI (dist/cli.js).
//
//   node bench/harness-example.mjs [--runs N]      writes bench/harness-results.json
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const cli = join(root, 'dist', 'cli.js');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first.');
  process.exit(2);
}

/** A stdio server on the SDK with `n` tools: mostly safe, every fifth one injectable. */
function generateServer(n) {
  const dir = join(here, '.work', 'harness');
  mkdirSync(dir, { recursive: true });
  const tools = [];
  for (let i = 0; i < n; i++) {
    tools.push(
      i % 5 === 0
        ? `server.registerTool('lookup_${i}', { description: 'Look up an item.', inputSchema: { name: z.string() } }, async ({ name }) => {
  try { return text((await sh('echo item ' + name)).stdout); } catch (e) { return { ...text(e.message), isError: true }; }
});`
        : `server.registerTool('describe_${i}', { description: 'Describe an item.', inputSchema: { name: z.string().max(100), verbose: z.boolean().optional() } }, async ({ name }) => {
  return text((await run('echo', ['item', '--', name])).stdout);
});`,
    );
  }
  const file = join(dir, `server-${n}.mjs`);
  writeFileSync(
    file,
    `import { exec, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
const sh = promisify(exec);
const run = promisify(execFile);
const text = (t) => ({ content: [{ type: 'text', text: t }] });
const server = new McpServer({ name: 'bench-${n}', version: '1.0.0' });
${tools.join('\n')}
await server.connect(new StdioServerTransport());
`,
  );
  return file;
}

/**
 * CPU time of reaped children (the CLI and, through it, the servers and their shells), from
 * /proc/self/stat: on a shared machine wall time depends on the neighbours, CPU time does not.
 */
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

function timeRun(args, cwd) {
  const cpu0 = childCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'harness', '--format', 'json', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpuMs = childCpuMs() - cpu0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`harness exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return { ms, cpuMs, checks: report.summary.checks, confirmed: report.summary.confirmed, exitCode: r.status };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(label, args, cwd) {
  const samples = [];
  const cpu = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = timeRun(args, cwd);
    samples.push(last.ms);
    cpu.push(last.cpuMs);
  }
  const row = { label, medianMs: Math.round(median(samples)), samplesMs: samples.map(Math.round), medianCpuMs: Math.round(median(cpu)), checks: last.checks, confirmed: last.confirmed };
  console.log(`${label.padEnd(44)} ${String(row.medianMs).padStart(6)} ms wall ${String(row.medianCpuMs).padStart(6)} ms CPU  (${row.checks} checks, ${row.confirmed} confirmed)`);
  return row;
}

const example = join(root, 'examples', 'typescript-server');
console.log(`load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
// --plant-next-to-root: the full run, including the sibling and symlink probes that need a canary
// next to the example's notes folder (the default plants only inside the run's temp folder).
const rows = [measure('examples/typescript-server (stdio, tsx)', ['--plant-next-to-root'], example)];
for (const n of [10, 30]) {
  const file = generateServer(n);
  for (const c of [1, 4]) rows.push(measure(`${n}-tool server, concurrency ${c}`, ['--concurrency', String(c), '--', process.execPath, file], root));
}
// The machine's load matters as much as the harness: record it with the numbers.
const out = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverage1m: Number(loadavg()[0].toFixed(2)), runs, rows };
writeFileSync(join(here, 'harness-results.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote ${join('bench', 'harness-results.json')}`);
