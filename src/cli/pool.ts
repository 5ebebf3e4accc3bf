import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Linter, WardenConfig } from '../core';
import type { CachingHost } from './host';
import { lintFile, type FileOutcome } from './lint-file';

/** Marks a worker thread started by the pool (checked by the CLI's entry point). */
export const LINT_WORKER_TAG = 'mcpWardenLintWorker';

/** Data a lint worker starts with. */
export interface LintWorkerData {
  readonly [LINT_WORKER_TAG]: true;
  readonly config: WardenConfig;
}

/** A task for a worker, and its answer. */
export interface LintTask {
  readonly id: number;
  readonly file: string;
}
export type LintReply = { readonly ready: true } | { readonly id: number; readonly outcome: FileOutcome };

/**
 * One thread per this much source (floor). On the TS/JS corpus of bench/throughput.mjs
 * (5.6 MiB, 6.4 s of CPU on one thread) two busy threads cost 2.5-4.5 s more CPU than one,
 * while one worker doing everything costs only 0.6 s more (its bundle compile): the rest is
 * each thread warming its own JIT up and the two sharing the cores' caches. A thread must earn
 * that back with its share of the work.
 */
const BYTES_PER_THREAD = 2 * 1024 * 1024;
/** Below this much source in total a run stays on the main thread (fewer than two threads' worth). */
export const MIN_PARALLEL_BYTES = 2 * BYTES_PER_THREAD;
/** The default number of threads never exceeds this (each holds its own parsers and heap). */
const MAX_DEFAULT_JOBS = 8;
/** Tasks queued at each worker, so that it does not wait while the main thread is busy linting. */
const WORKER_QUEUE_DEPTH = 3;
/**
 * A file whose analysis runs this long has escaped the per-file budget (an engine bug): its
 * worker is stopped and replaced, and the file is reported as a timeout.
 */
export const WORKER_STALL_MS = 30_000;
/** The main thread lints files for this long between looks at the workers' answers. */
const MAIN_SLICE_MS = 10;

/**
 * The default of `--jobs`: half the cores this process may use (ESLint's `--concurrency auto`
 * rule), at most MAX_DEFAULT_JOBS. On the 2-vCPU machine of bench/RESULTS.md two threads were
 * slower than one (TS/JS corpus: 6.2 s against 5.3 s wall, 11.4 s against 8.5 s CPU), so a
 * machine that small stays on one thread.
 */
export function defaultJobs(): number {
  return Math.max(1, Math.min(Math.floor(os.availableParallelism() / 2), MAX_DEFAULT_JOBS));
}

/**
 * Starts a worker on this bundle (dist/cli-main.js, which dist/cli.js loads), or, under tsx
 * (tests), on the CLI's entry point with tsx's CommonJS hook registered first: Node 20
 * workers do not inherit tsx's loader from `--import tsx`.
 */
function startWorker(options: WorkerOptions): Worker {
  if (!__filename.endsWith('.ts')) {
    // Through the launcher beside the bundle, so that workers compile it from the code cache too.
    const launcher = path.join(__dirname, 'cli.js');
    return new Worker(path.basename(__filename) === 'cli-main.js' && fs.existsSync(launcher) ? launcher : __filename, options);
  }
  // Not a literal: the bundler must not try to resolve a test-only dependency.
  const api = ['tsx', 'cjs', 'api'].join('/');
  const tsx = createRequire(__filename).resolve(api);
  const source = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(path.join(__dirname, 'main.ts'))});`;
  return new Worker(source, { ...options, eval: true });
}

export interface LintAllOptions {
  readonly linter: Linter;
  readonly host: CachingHost;
  readonly config: WardenConfig;
  /** Threads to use, the main thread included; 1 lints everything on the main thread. */
  readonly jobs: number;
  readonly fix: boolean;
  /** Where workers' stray console output goes (never the report's stream). */
  readonly log: NodeJS.WritableStream;
  readonly stallMs?: number;
  /** Overrides MIN_PARALLEL_BYTES (tests use small inputs on worker threads). */
  readonly minParallelBytes?: number;
  /** Whether the main thread lints too (default true; tests switch it off to load the workers). */
  readonly mainThreadLints?: boolean;
  /** Filled in with how the work was shared (for tests and benchmarks). */
  readonly stats?: PoolStats;
}

/** How a lintAll call shared its files between threads. */
export interface PoolStats {
  workersStarted: number;
  filesOnWorkers: number;
}

/**
 * Lints every file and returns the outcomes in the order of `files`, whatever thread
 * analysed each one, so the report does not depend on the number of threads. Large runs are
 * shared between the main thread and `jobs - 1` worker threads (largest files first to the
 * workers, smallest to the main thread, which stays responsive); a worker that crashes or
 * stalls costs the file it was analysing, and is replaced. `--fix` runs stay on the main
 * thread: fixed files are read back by later files that import them, in a fixed order.
 */
export async function lintAll(files: readonly string[], options: LintAllOptions): Promise<FileOutcome[]> {
  const { linter, host, fix } = options;
  const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
  if (fix || options.jobs <= 1 || files.length <= 1) {
    for (let i = 0; i < files.length; i++) outcomes[i] = lintFile(linter, host, files[i]!, fix);
    return outcomes as FileOutcome[];
  }
  const sizes = files.map((f) => {
    try {
      return fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    } catch {
      return 0;
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const minBytes = options.minParallelBytes ?? MIN_PARALLEL_BYTES;
  const threads = Math.min(options.jobs, files.length, minBytes < MIN_PARALLEL_BYTES ? Infinity : Math.floor(total / BYTES_PER_THREAD));
  if (threads <= 1 || total < minBytes) {
    for (let i = 0; i < files.length; i++) outcomes[i] = lintFile(linter, host, files[i]!, fix);
    return outcomes as FileOutcome[];
  }
  // Largest first: a big file started last would leave the other threads idle at the end.
  const order = files.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const pool = new Pool(files, order, outcomes, options, threads - 1);
  await pool.run();
  return outcomes as FileOutcome[];
}

interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  /** Task ids sent and not answered, oldest (the one being analysed) first. */
  readonly inflight: number[];
  timer?: NodeJS.Timeout;
  lastError?: string;
  stopped?: 'stalled';
}

class Pool {
  private head = 0;
  private tail: number;
  private done = 0;
  private readonly workers = new Set<PoolWorker>();
  /** Tasks handed back by a stopped worker, sent again before new ones. */
  private readonly retry: number[] = [];
  private restarts = 0;
  private finish!: () => void;
  private fail!: (err: unknown) => void;
  private mainScheduled = false;

  constructor(
    private readonly files: readonly string[],
    private readonly order: readonly number[],
    private readonly outcomes: (FileOutcome | undefined)[],
    private readonly options: LintAllOptions,
    private readonly workerCount: number,
  ) {
    this.tail = order.length - 1;
  }

  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
      for (let i = 0; i < this.workerCount; i++) this.spawn();
      this.scheduleMain();
    }).finally(() => {
      for (const w of this.workers) this.stop(w);
    });
  }

  private get remaining(): boolean {
    return this.retry.length > 0 || this.head <= this.tail;
  }

  private record(id: number, outcome: FileOutcome): void {
    if (this.outcomes[id] !== undefined) return;
    this.outcomes[id] = outcome;
    this.done++;
    if (this.done === this.files.length) this.finish();
  }

  private scheduleMain(): void {
    if (this.mainScheduled || !this.remaining) return;
    // Without workers left (none could start), the main thread carries on regardless.
    if (this.options.mainThreadLints === false && this.workers.size > 0) return;
    this.mainScheduled = true;
    setImmediate(() => {
      this.mainScheduled = false;
      try {
        const until = performance.now() + MAIN_SLICE_MS;
        do {
          const id = this.retry.length > 0 ? this.retry.pop()! : this.order[this.tail--]!;
          this.record(id, lintFile(this.options.linter, this.options.host, this.files[id]!, false));
        } while (this.remaining && performance.now() < until);
      } catch (err) {
        this.fail(err);
        return;
      }
      this.scheduleMain();
    });
  }

  private spawn(): void {
    const data: LintWorkerData = { [LINT_WORKER_TAG]: true, config: this.options.config };
    const worker = startWorker({ workerData: data, stdout: true, stderr: true });
    const w: PoolWorker = { worker, ready: false, inflight: [] };
    this.workers.add(w);
    worker.stdout.pipe(this.options.log, { end: false });
    worker.stderr.pipe(this.options.log, { end: false });
    worker.on('message', (msg: LintReply) => {
      if ('ready' in msg) {
        w.ready = true;
        if (this.options.stats) this.options.stats.workersStarted++;
      } else {
        w.inflight.shift();
        if (this.options.stats && this.outcomes[msg.id] === undefined) this.options.stats.filesOnWorkers++;
        this.record(msg.id, msg.outcome);
      }
      this.arm(w);
      this.feed(w);
    });
    worker.on('error', (err) => {
      w.lastError = err.message;
    });
    worker.on('exit', () => this.lost(w));
    this.feed(w);
  }

  private feed(w: PoolWorker): void {
    while (w.inflight.length < WORKER_QUEUE_DEPTH && this.remaining) {
      const id = this.retry.length > 0 ? this.retry.pop()! : this.order[this.head++]!;
      w.inflight.push(id);
      const task: LintTask = { id, file: this.files[id]! };
      w.worker.postMessage(task);
    }
    this.arm(w);
  }

  /** Watches the task a worker is analysing now (start-up time is not counted). */
  private arm(w: PoolWorker): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    if (!w.ready || w.inflight.length === 0) return;
    const id = w.inflight[0]!;
    const stallMs = this.options.stallMs ?? WORKER_STALL_MS;
    w.timer = setTimeout(() => {
      const file = this.files[id]!;
      w.stopped = 'stalled';
      w.inflight.shift();
      this.record(id, { file, problem: { file, kind: 'timeout', message: `analysis did not finish within ${stallMs / 1000} s; its worker thread was stopped` } });
      void w.worker.terminate();
    }, stallMs);
    w.timer.unref();
  }

  private stop(w: PoolWorker): void {
    if (w.timer) clearTimeout(w.timer);
    this.workers.delete(w);
    w.worker.removeAllListeners('exit');
    void w.worker.terminate();
  }

  /** A worker exited while the run goes on: its current file is reported, the rest re-queued. */
  private lost(w: PoolWorker): void {
    if (w.timer) clearTimeout(w.timer);
    this.workers.delete(w);
    if (this.done === this.files.length) return;
    if (w.stopped !== 'stalled' && w.inflight.length > 0) {
      const id = w.inflight.shift()!;
      const file = this.files[id]!;
      if (w.ready) {
        this.record(id, { file, problem: { file, kind: 'internal-error', message: `analysis stopped its worker thread: ${w.lastError ?? 'the thread exited'}` } });
      } else {
        this.retry.push(id);
      }
    }
    this.retry.push(...w.inflight.reverse());
    w.inflight.length = 0;
    // A worker that cannot even start (or keeps dying) is not replaced: the main thread carries on.
    if (this.restarts < this.workerCount * 2 && this.remaining && w.ready) {
      this.restarts++;
      this.spawn();
    }
    this.scheduleMain();
  }
}
