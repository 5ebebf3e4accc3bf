// Stress loop for the harness's teardown (issue 7): runs the misbehaving-server suites N times
// while busy loops take every core, and after each iteration looks for survivors by PID: every
// orphaned process (parent: init) still carrying a harness marker (MCP_WARDEN_HARNESS_RUN in
// /proc/*/environ) or running a fixture server. A hang is an iteration that does not end within
// --iteration-timeout; its whole process group is killed.
//
//   node scripts/harness-stress.mjs [--iterations 20] [--load 2] [--iteration-timeout 240]
//                                   [--files a.test.ts,b.test.ts]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const iterations = Number(arg('iterations', '20'));
const load = Number(arg('load', '2'));
const iterationTimeoutS = Number(arg('iteration-timeout', '240'));
const files = arg('files', 'test/harness/misbehaving.test.ts,test/harness/teardown.test.ts,test/robustness/harness.test.ts').split(',');
const FIXTURE = /(?:test\/fixtures\/servers|test\/robustness\/servers)\/|node -e setInterval/;

/**
 * Live processes that carry a harness marker or run a fixture server and have been re-parented
 * to init (not zombies): what a finished suite left behind. A process whose parent is alive
 * belongs to a run still going on (someone else's test run, say) and is not counted.
 */
function survivors() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[1] !== '1') continue;
      const env = readFileSync(`/proc/${entry}/environ`);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (env.includes('MCP_WARDEN_HARNESS_RUN=') || FIXTURE.test(cmd)) found.push({ pid: Number(entry), cmd: cmd.slice(0, 160) });
    } catch {
      // Gone, or not readable.
    }
  }
  return found;
}

const before = new Set(survivors().map((p) => p.pid));
if (before.size > 0) console.log(`ignoring ${before.size} marked or fixture processes that were already running: ${[...before].join(' ')}`);
const loops = Array.from({ length: load }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stop = () => loops.forEach((p) => p.kill('SIGKILL'));
process.on('exit', stop);

/**
 * One run of the suites in a process group of its own, so a hung run is killed with all its test
 * files (a SIGKILL of the runner alone would leave them running).
 */
function runSuite() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...files], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.resume();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, iterationTimeoutS * 1000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, error: timedOut ? { code: 'ETIMEDOUT' } : undefined });
    });
  });
}

const summary = { iterations, load, files, failures: 0, hangs: 0, orphans: [], wallS: [] };
for (let i = 1; i <= iterations; i++) {
  const t0 = Date.now();
  const r = await runSuite();
  const s = (Date.now() - t0) / 1000;
  summary.wallS.push(Number(s.toFixed(1)));
  const hung = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
  const failed = !hung && r.status !== 0;
  const orphans = survivors().filter((p) => !before.has(p.pid));
  if (hung) summary.hangs++;
  if (failed) summary.failures++;
  for (const o of orphans) {
    summary.orphans.push({ iteration: i, ...o });
    try {
      process.kill(o.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  const notOk = (r.stdout ?? '').split('\n').filter((l) => /^\s*not ok /.test(l) && !/subtests? failed/.test(l));
  console.log(`iteration ${i}/${iterations}: ${hung ? 'HANG' : failed ? 'FAIL' : 'ok'} in ${s.toFixed(1)} s, load ${loadavg()[0].toFixed(1)}, orphans ${orphans.map((o) => o.pid).join(' ') || 'none'}`);
  for (const l of notOk) console.log(`  ${l.trim()}`);
  if (failed) for (const l of (r.stdout ?? '').split('\n').filter((x) => /error:|took|outlived|actual:/.test(x)).slice(0, 12)) console.log(`    ${l.trim()}`);
  for (const o of orphans) console.log(`  orphan ${o.pid}: ${o.cmd}`);
}
stop();
console.log(JSON.stringify(summary));
process.exit(summary.failures + summary.hangs + summary.orphans.length > 0 ? 1 : 0);
