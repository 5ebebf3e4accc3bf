import { codeHits } from './code';
import { commandHits } from './command';
import { pathHits } from './path';
import { sqlHits } from './sql';
import { ssrfHits } from './ssrf';
import type { CallView, SinkHit } from './types';

export type { ArgView, CallView, Ref, SinkEntry, SinkHit } from './types';

/**
 * Every sink hit of one call for the requested kinds, from the per-kind tables
 * (command.ts, sql.ts, path.ts, ssrf.ts, code.ts; timing.ts is about operators, not calls).
 */
export function callHits(call: CallView, want: (kind: string) => boolean): SinkHit[] {
  const out: SinkHit[] = [];
  if (want('command') || want('argument')) out.push(...commandHits(call, want));
  if (want('sql')) out.push(...sqlHits(call));
  if (want('path')) out.push(...pathHits(call));
  if (want('ssrf')) out.push(...ssrfHits(call));
  if (want('code')) out.push(...codeHits(call));
  return out;
}
