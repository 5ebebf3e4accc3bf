import * as fs from 'node:fs';

/** True while `pid` is a live process; a zombie counts as gone (shared with the harness tests). */
export { isRunning as isAlive } from '../harness/helpers';

/** Pids a fixture server wrote to its pid file (itself first, then its children). */
export function pidsIn(file: string): number[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as number[];
  } catch {
    return [];
  }
}
