import { CODE_SINKS, codeHits } from './code';
import { commandHits, PROGRAM_SINKS, SHELL_COMMAND_SINKS, STDIO_TRANSPORT_SINKS } from './command';
import { MAIL_SINKS, PATH_SINKS, pathHits, RESPONSE_FILE_METHODS } from './path';
import { SQL_METHODS_BY_RECEIVER_NAME, SQL_SINKS, sqlHits } from './sql';
import { SSRF_SINKS, ssrfHits } from './ssrf';
import type { CallView, SinkHit } from './types';

export type { ArgView, CallView, Ref, SinkEntry, SinkHit } from './types';

/** Modules that appear in some sink table (calls into other modules are not sinks). */
export const SINK_MODULES: ReadonlySet<string> = new Set(
  [...SHELL_COMMAND_SINKS, ...PROGRAM_SINKS, ...STDIO_TRANSPORT_SINKS, ...SQL_SINKS, ...PATH_SINKS, ...MAIL_SINKS, ...SSRF_SINKS, ...CODE_SINKS].flatMap((e) => e.modules).concat(['simple-git']),
);

const NAME_BASED_METHODS: ReadonlySet<string> = new Set([...SQL_METHODS_BY_RECEIVER_NAME.flatMap((r) => [...r.methods]), ...RESPONSE_FILE_METHODS, 'goto']);

/**
 * Cheap pre-filter: whether a call can be a sink at all, from its callee's module or (for
 * receivers of unknown origin) its method name.
 */
export function maySink(module: string | undefined, method: string | undefined, hasReceiver: boolean): boolean {
  if (module !== undefined && SINK_MODULES.has(module)) return true;
  return hasReceiver && method !== undefined && NAME_BASED_METHODS.has(method);
}

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
