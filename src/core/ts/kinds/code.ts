import type { CallView, SinkEntry, SinkHit } from './types';
import { findEntry, taintedArgs } from './types';

/** Code injection (CWE-94/95): calls that compile or evaluate a string as code. */
export const CODE_SINKS: readonly SinkEntry[] = [
  { modules: [''], members: ['eval'], args: [0], data: { callee: 'eval' } },
  { modules: [''], members: ['Function'], args: 'all', data: { callee: 'Function' } },
  // A string first argument is compiled like eval; a function argument is not tainted data.
  { modules: [''], members: ['setTimeout', 'setInterval', 'setImmediate', 'execScript'], args: [0], data: { callee: 'timer' } },
  { modules: ['vm'], members: ['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction', 'Script', 'SourceTextModule'], args: [0], data: { callee: 'vm' } },
  { modules: ['vm2', 'isolated-vm'], members: ['run', 'runSync', 'compileScript', 'compileScriptSync', 'evalSync', 'eval'], args: [0], data: { callee: 'vm2' } },
  { modules: ['node-serialize'], members: ['unserialize'], args: [0], data: { callee: 'unserialize' } },
];

export function codeHits(call: CallView): SinkHit[] {
  const entry = findEntry(CODE_SINKS, call.ref);
  if (!entry) return [];
  return taintedArgs(entry, call).map((arg) => ({ kind: 'code', arg, data: { ...entry.data } }));
}
