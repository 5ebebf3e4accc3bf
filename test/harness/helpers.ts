import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runHarness, type CheckResult, type HarnessOptions, type HarnessReport, type ServerSpec } from '../../src/harness';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'servers');
export const REPO = path.join(__dirname, '..', '..');

/** A temp folder with a data root (holding names.txt) that the fixture servers read from. */
export function makeProject(): { dir: string; root: string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-harness-test-')));
  const root = path.join(dir, 'data');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'names.txt'), 'carol\nalice\nbob\n');
  return { dir, root, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function nodeServer(name: string, file: string, args: string[] = [], extra: Partial<ServerSpec> = {}): ServerSpec {
  return { name, transport: 'stdio', command: process.execPath, args: [path.join(FIXTURES, file), ...args], origin: 'test', ...extra };
}

export async function harness(servers: ServerSpec[], cwd: string, extra: Partial<HarnessOptions> = {}): Promise<HarnessReport> {
  return runHarness({ servers, cwd, callTimeoutMs: 4000, startTimeoutMs: 10_000, ...extra });
}

export function results(report: HarnessReport): CheckResult[] {
  return report.servers.flatMap((s) => s.results);
}

export function confirmed(report: HarnessReport): CheckResult[] {
  return results(report).filter((r) => r.status === 'failed' && r.confirmed);
}

/** One line per confirmed failure, for readable assertion messages. */
export function describeConfirmed(report: HarnessReport): string {
  return confirmed(report)
    .map((r) => `${r.check} ${r.tool ?? '-'}/${r.param ?? '-'}: ${r.message}`)
    .join('\n');
}

/** True while `pid` is a live (non-zombie) process. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * Busy-loop processes, one per core (at most `max`), so a test runs on a machine whose CPUs are
 * all taken, as under CI or a loaded workstation. Returns the function that stops them.
 */
export function cpuLoad(max = 2): () => void {
  const n = Math.max(1, Math.min(max, os.availableParallelism()));
  const loops = Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => {
    for (const p of loops) p.kill('SIGKILL');
  };
}
