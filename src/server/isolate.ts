import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { FileProblem, Finding } from '../core';
import { ANALYSIS_WORKER_TAG, type AnalysisRequest, type WorkerReply, type WorkerRequest } from './worker';

/**
 * An analysis that runs longer than this has escaped the per-file budget and the parse guards
 * (an engine bug, or an input nobody foresaw): the worker is stopped and replaced. The
 * budget is 2 s and files over 1 MiB are refused, so 10 s is several times the slowest
 * legitimate analysis on a busy machine. MCP_WARDEN_ANALYSIS_TIMEOUT_MS overrides it.
 */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 10_000;
/**
 * A file whose analysis hung or crashed before gets this share of the timeout until one of its
 * analyses succeeds: each edit of a pathological file would otherwise hold the queue (every
 * other document's diagnostics) for the full timeout again. 10 s / 2.5 = 4 s, twice the budget.
 */
const SUSPECT_TIMEOUT_SHARE = 0.4;
/** Starting a worker loads the bundle and the parsers; this bounds it, and a linter's creation. */
const START_TIMEOUT_MS = 60_000;

/** One analysis request (see AnalysisRequest in ./worker). */
export type IsolatedRequest = AnalysisRequest;

export type IsolatedResult =
  | { readonly ok: true; readonly findings: readonly Finding[]; readonly problems: readonly FileProblem[]; readonly elapsedMs: number }
  /** The analysis hung, crashed its worker or threw; `message` says which, for the log. */
  | { readonly ok: false; readonly message: string };

export interface IsolateOptions {
  readonly log: (message: string) => void;
  readonly timeoutMs?: number;
}

interface Entry {
  readonly id: number;
  req: IsolatedRequest;
  readonly resolvers: Array<(r: IsolatedResult) => void>;
}

/**
 * Starts a worker thread on this bundle (dist/server.js), or, under tsx (tests), on the
 * server's entry point with tsx's CommonJS hook registered first: Node 20 workers do not
 * inherit tsx's loader from `--import tsx`.
 */
function startWorker(options: WorkerOptions): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(__filename, options);
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  const source = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(path.join(__dirname, 'main.ts'))});`;
  return new Worker(source, { ...options, eval: true });
}

/**
 * Runs analyses in a worker thread, one at a time, with a hard timeout, so that no input can
 * block the language server: on a timeout or a crash the worker is terminated and a new one
 * takes the remaining queue, the failed file gets an empty result and a log line, the
 * same text of that file is not tried again, and its next texts get a shorter timeout until one
 * succeeds. A queued, not yet started analysis of an open
 * document is replaced by a newer one of the same document: both callers get the newer result.
 */
export class AnalysisIsolate {
  private worker: Worker | undefined;
  private readonly queue: Entry[] = [];
  private current: Entry | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly timeoutMs: number;
  /** The text of each file whose analysis failed: it would fail again. */
  private readonly failed = new Map<string, string>();
  /** Files whose last analysis failed: they get a shorter timeout. */
  private readonly suspects = new Set<string>();
  /** Open documents' latest texts, for imports; a new worker gets them all. */
  private readonly openTexts = new Map<string, string>();
  private disposed = false;
  /** Workers started, for the log and the tests. */
  restarts = -1;

  constructor(private readonly options: IsolateOptions) {
    const fromEnv = Number(process.env.MCP_WARDEN_ANALYSIS_TIMEOUT_MS);
    this.timeoutMs = options.timeoutMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_ANALYSIS_TIMEOUT_MS);
  }

  analyse(req: IsolatedRequest): Promise<IsolatedResult> {
    if (this.disposed) return Promise.resolve({ ok: false, message: 'the language server is shutting down' });
    if (this.failed.get(req.file) === req.text) {
      return Promise.resolve({ ok: false, message: 'not analysed again: this text failed before' });
    }
    if (req.open) this.openTexts.set(req.file, req.text);
    return new Promise((resolve) => {
      if (req.open) {
        // A newer text takes the queued one's place if it asks for at least as much (fixes).
        const queued = this.queue.find((e) => e.req.open && e.req.file === req.file && (req.fixes || !e.req.fixes));
        if (queued) {
          queued.req = req;
          queued.resolvers.push(resolve);
          return;
        }
      }
      this.queue.push({ id: this.nextId++, req, resolvers: [resolve] });
      this.pump();
    });
  }

  /** The document was closed: imports of it read the saved file again. */
  close(file: string): void {
    this.openTexts.delete(file);
    this.post({ type: 'close', file });
  }

  /** Configuration changed: the worker drops its linters; failed texts are tried again. */
  reset(): void {
    this.failed.clear();
    this.post({ type: 'reset' });
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    for (const e of [...this.queue.splice(0), ...(this.current ? [this.current] : [])]) this.settle(e, { ok: false, message: 'the language server is shutting down' });
    this.current = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private post(msg: WorkerRequest): void {
    this.worker?.postMessage(msg);
  }

  private settle(e: Entry, r: IsolatedResult): void {
    for (const resolve of e.resolvers) resolve(r);
  }

  private spawn(): Worker {
    this.restarts++;
    const worker = startWorker({
      workerData: { [ANALYSIS_WORKER_TAG]: true },
      // A runaway allocation kills the worker, not the server.
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
      stdout: true,
      stderr: true,
    });
    // The server's stdout may be the LSP channel: the worker's stray output goes to the log.
    worker.stdout.setEncoding('utf8').on('data', (d: string) => this.options.log(`analysis worker: ${d.trimEnd()}`));
    worker.stderr.setEncoding('utf8').on('data', (d: string) => this.options.log(`analysis worker: ${d.trimEnd()}`));
    worker.on('message', (m: WorkerReply) => this.onMessage(worker, m));
    worker.on('error', (err) => this.onDeath(worker, `crashed: ${err.message}`));
    worker.on('exit', (code) => this.onDeath(worker, `exited with code ${code}`));
    for (const [file, text] of this.openTexts) worker.postMessage({ type: 'open', file, text } satisfies WorkerRequest);
    return worker;
  }

  private pump(): void {
    if (this.disposed || this.current || this.queue.length === 0) return;
    this.worker ??= this.spawn();
    const e = this.queue.shift()!;
    this.current = e;
    this.arm(START_TIMEOUT_MS, e);
    const { file, text, language, config, open, fixes } = e.req;
    this.post({ type: 'analyse', id: e.id, file, text, language, config, open, fixes });
  }

  private arm(ms: number, e: Entry): void {
    this.clearTimer();
    const started = Date.now();
    this.timer = setTimeout(() => this.fail(e, `timed out after ${Date.now() - started} ms`), ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onMessage(worker: Worker, m: WorkerReply): void {
    if (worker !== this.worker) return;
    const e = this.current;
    if (m.type === 'ready' || !e || m.id !== e.id) return;
    if (m.type === 'started') {
      this.arm(this.suspects.has(e.req.file) ? Math.round(this.timeoutMs * SUSPECT_TIMEOUT_SHARE) : this.timeoutMs, e);
      return;
    }
    this.clearTimer();
    this.current = undefined;
    if (m.type === 'done') {
      this.suspects.delete(e.req.file);
      this.settle(e, { ok: true, findings: m.findings, problems: m.problems, elapsedMs: m.elapsedMs });
    } else {
      // An exception the linter did not contain: this file fails, the worker is still sound.
      this.options.log(`analysis of ${e.req.file} failed: ${m.message}`);
      this.failed.set(e.req.file, e.req.text);
      this.settle(e, { ok: false, message: `failed: ${m.message.split('\n')[0]}` });
    }
    this.pump();
  }

  /** The analysis in flight hung: stop its worker; the next analysis starts a new one. */
  private fail(e: Entry, why: string): void {
    if (this.current !== e) return;
    const worker = this.worker;
    this.worker = undefined;
    this.current = undefined;
    this.clearTimer();
    this.failed.set(e.req.file, e.req.text);
    this.suspects.add(e.req.file);
    this.options.log(`analysis of ${e.req.file} ${why}; the analysis worker was stopped and is restarted for the next file`);
    this.settle(e, { ok: false, message: why });
    void worker?.terminate();
    this.pump();
  }

  private onDeath(worker: Worker, why: string): void {
    if (worker !== this.worker || this.disposed) return;
    this.worker = undefined;
    this.clearTimer();
    const e = this.current;
    this.current = undefined;
    if (e) {
      this.failed.set(e.req.file, e.req.text);
      this.suspects.add(e.req.file);
      this.options.log(`the analysis worker ${why} while analysing ${e.req.file}; it is restarted for the next file`);
      this.settle(e, { ok: false, message: `the analysis worker ${why}` });
    } else {
      this.options.log(`the analysis worker ${why}; it is restarted for the next file`);
    }
    void worker.terminate();
    this.pump();
  }
}
