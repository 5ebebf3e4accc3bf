import { DEFAULT_FILE_BUDGET_MS } from '../../src/core/linter';
/**
 * Runs fuzz cases in a worker thread with a watchdog: a case that does not return within
 * `hangMs` is recorded as a hang, the worker is terminated and a new one continues with the
 * next case. Failing inputs are written to `outDir` so that they can be replayed and attached
 * to a bug report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadSeeds, makeCase, specialCases } from './generate';
import type { WorkerInput, WorkerMessage } from './worker';

export interface FuzzOptions {
  readonly seed: number;
  /** Number of cases, special cases included (they come first). */
  readonly cases: number;
  /** Replay only these case indices. */
  readonly only?: readonly number[];
  /** Full-size special cases (5 MB minified file, depth 5,000+); false for smoke runs. */
  readonly fullSize?: boolean;
  /** A case slower than this plus `allowanceMsPerKb` per KiB of input is a failure ("slow"). */
  readonly allowanceMs: number;
  /** Extra allowance per KiB: big inputs take longer to parse, and the parse is not interruptible. */
  readonly allowanceMsPerKb?: number;
  /** A case whose linting thread uses more CPU time than this fails (fuzz runs use CPU_BUDGET_MS) ("over budget"); CPU time, unlike wall time, does not grow with other load. */
  readonly cpuBudgetMs?: number;
  /** A case with no answer after twice its allowance, and at least this long, is a hang: the worker is terminated. */
  readonly hangMs: number;
  /** Where failing inputs are written; nothing is written when undefined. */
  readonly outDir?: string;
  readonly onCase?: (c: CaseOutcome) => void;
}

export interface CaseOutcome {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly length: number;
  readonly ms: number;
  /** CPU time of the case (undefined when it did not finish). */
  readonly cpuMs?: number;
  readonly errors: readonly string[];
  readonly findings: number;
  readonly problems: readonly string[];
}

export interface FuzzReport {
  readonly seed: number;
  readonly ran: number;
  readonly failures: readonly CaseOutcome[];
  readonly slowest: readonly CaseOutcome[];
  readonly totalMs: number;
}

const WORKER = path.join(__dirname, 'worker-entry.cjs');

function dump(outDir: string, seed: number, c: { index: number; name: string }, text: string): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `seed${seed}-case${c.index}-${path.basename(c.name)}`);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs the cases and resolves with every failure; never rejects for a failing case. */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const fullSize = opts.fullSize ?? true;
  const pending = opts.only ? [...opts.only] : Array.from({ length: opts.cases }, (_, i) => i);
  const outcomes: CaseOutcome[] = [];
  const allowance = (length: number) => opts.allowanceMs + ((opts.allowanceMsPerKb ?? 0) * length) / 1024;
  let seedsForDump: ReturnType<typeof loadSeeds> | undefined;
  const record = (o: CaseOutcome) => {
    let errors = o.errors;
    if (errors.length > 0 && opts.outDir && o.kind !== 'startup') {
      seedsForDump ??= loadSeeds();
      const c = makeCase(opts.seed, o.index, seedsForDump, specialCases(fullSize));
      errors = [...errors, `input saved to ${dump(opts.outDir, opts.seed, c, c.text)}`];
    }
    const final = { ...o, errors };
    outcomes.push(final);
    opts.onCase?.(final);
  };

  while (pending.length > 0) {
    const batch = pending.splice(0, pending.length);
    await new Promise<void>((resolve) => {
      const input: WorkerInput = { seed: opts.seed, from: 0, to: 0, only: batch, fullSize };
      // A 1 MiB stack, like the main thread of the CLI and the language server (V8's default there).
      const worker = new Worker(WORKER, { workerData: input, resourceLimits: { stackSizeMb: 1 } });
      let current: Extract<WorkerMessage, { type: 'start' }> | undefined;
      let startedAt = 0;
      const done = new Set<number>();
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearInterval(watchdog);
        // Cases the worker never reached go back to the queue.
        for (const i of batch) if (!done.has(i) && i !== current?.index) pending.push(i);
        pending.sort((a, b) => a - b);
        resolve();
      };
      const watchdog = setInterval(() => {
        if (current && Date.now() - startedAt > Math.max(opts.hangMs, 2 * allowance(current.length))) {
          const c = current;
          done.add(c.index);
          record({ index: c.index, kind: c.kind, name: c.name, length: c.length, ms: Date.now() - startedAt, errors: [`hang: no result after ${Date.now() - startedAt} ms (worker terminated)`], findings: 0, problems: [] });
          current = undefined;
          void worker.terminate().then(finish, finish);
        }
      }, 250);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'start') {
          current = m;
          startedAt = Date.now();
        } else if (m.type === 'done') {
          const c = current!;
          done.add(m.index);
          const errors = [...m.errors];
          if (m.ms > allowance(c.length)) errors.push(`slow: ${Math.round(m.ms)} ms, over the ${Math.round(allowance(c.length))} ms allowance`);
          if (opts.cpuBudgetMs !== undefined && m.cpuMs > opts.cpuBudgetMs) errors.push(`over budget: ${Math.round(m.cpuMs)} ms of CPU time, over the ${opts.cpuBudgetMs} ms budget`);
          record({ index: m.index, kind: c.kind, name: c.name, length: c.length, ms: m.ms, cpuMs: m.cpuMs, errors, findings: m.findings, problems: m.problems });
          current = undefined;
        } else {
          void worker.terminate().then(finish, finish);
        }
      });
      worker.on('error', (err) => {
        // An error that kills the worker (e.g. a stack overflow outside any try) is a crash of the case it was on.
        if (current) {
          const c = current;
          done.add(c.index);
          record({ index: c.index, kind: c.kind, name: c.name, length: c.length, ms: Date.now() - startedAt, errors: [`worker died: ${err.message}`], findings: 0, problems: [] });
          current = undefined;
        } else if (done.size === 0) {
          // The worker could not even start: do not loop forever on the same batch.
          for (const i of batch) done.add(i);
          record({ index: batch[0] ?? -1, kind: 'startup', name: '-', length: 0, ms: 0, errors: [`worker failed to start: ${err.message}`], findings: 0, problems: [] });
        }
      });
      worker.on('exit', finish);
    });
  }
  outcomes.sort((a, b) => a.index - b.index);
  return {
    seed: opts.seed,
    ran: outcomes.length,
    failures: outcomes.filter((o) => o.errors.length > 0),
    slowest: [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5),
    totalMs: Date.now() - started,
  };
}

/**
 * The CPU time a case may use on the linting thread: the per-file budget, plus a quarter for
 * what an analysis that stops at its (wall-clock) deadline still spends on returning (a
 * cancelled tree-sitter parse overshoots by up to ~0.2 s). A case over this did not stop at its
 * deadline.
 */
export const CPU_BUDGET_MS = Math.round(DEFAULT_FILE_BUDGET_MS * 1.25);
