import * as fs from 'node:fs';

/** True while `pid` is a live process; a zombie (killed, not yet reaped by init) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // /proc entry gone between the two calls, or no /proc (not Linux): trust kill(0).
    return process.platform !== 'linux';
  }
}

/** Pids a fixture server wrote to its pid file (itself first, then its children). */
export function pidsIn(file: string): number[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as number[];
  } catch {
    return [];
  }
}
