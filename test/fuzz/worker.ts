/**
 * Worker thread of the fuzz runner: lints cases [from, to) and posts one message per case, so
 * that the main thread can stop a case that hangs (terminate the worker) and go on.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createLinter, type Linter } from '../../src/core';
import { resultErrors } from './check';
import { loadSeeds, makeCase, specialCases } from './generate';

export interface WorkerInput {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  /** Run only these indices (replay), instead of from..to. */
  readonly only?: readonly number[];
  readonly fullSize: boolean;
}

export type WorkerMessage =
  | { type: 'start'; index: number; kind: string; name: string; length: number }
  | { type: 'done'; index: number; ms: number; cpuMs: number; errors: string[]; findings: number; problems: string[] }
  | { type: 'end' };

/**
 * This thread's CPU time in ms (Linux: /proc/thread-self), else the process's. The process's
 * also counts the garbage collector's helper threads, which on a loaded 2-core VM put a case
 * that runs to its deadline (Python printable noise: ~2.0 s on this thread) past the budget.
 */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  }
}

/** The engines fetch imported local modules through the host; fuzz files have no neighbours. */
const noFiles = { readFile: () => undefined };

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  const port = parentPort!;
  const linter: Linter = await createLinter();
  const seeds = loadSeeds();
  const specials = specialCases(input.fullSize);
  const indices = input.only ?? Array.from({ length: Math.max(0, input.to - input.from) }, (_, k) => input.from + k);
  for (const index of indices) {
    const c = makeCase(input.seed, index, seeds, specials);
    const file = `/fuzz/${index}/${c.name}`;
    port.postMessage({ type: 'start', index, kind: c.kind, name: c.name, length: c.text.length } satisfies WorkerMessage);
    const t0 = performance.now();
    // CPU time, unlike wall time, is not inflated by other work on a shared machine.
    const cpu0 = threadCpuMs();
    let errors: string[];
    let findings = 0;
    let problems: string[] = [];
    try {
      const result = linter.lintText(file, c.text, { host: noFiles });
      errors = resultErrors(file, c.text, result);
      findings = result.findings.length;
      problems = result.problems.map((p) => p.kind);
      if (c.expect && !problems.includes(c.expect)) {
        errors.push(`expected a '${c.expect}' problem, got ${problems.length ? problems.join(', ') : 'none'}`);
      }
    } catch (err) {
      errors = [`exception escaped lintText: ${(err as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(err)}`];
    }
    const ms = performance.now() - t0;
    const cpuMs = threadCpuMs() - cpu0;
    port.postMessage({ type: 'done', index, ms, cpuMs, errors, findings, problems } satisfies WorkerMessage);
  }
  port.postMessage({ type: 'end' } satisfies WorkerMessage);
}

void main();
