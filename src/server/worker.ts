import { parentPort } from 'node:worker_threads';
import { createLinter, readDirNames, type FileProblem, type Finding, type Language, type Linter, type WardenConfig } from '../core';
import { DiskTexts } from './disk-texts';

/** Marks the analysis worker thread of the language server (checked by the server's entry point). */
export const ANALYSIS_WORKER_TAG = 'mcpWardenAnalysisWorker';

/** One analysis: what the server asks the isolate for, and what the isolate sends the worker. */
export interface AnalysisRequest {
  readonly file: string;
  readonly text: string;
  readonly language: Language;
  readonly config: WardenConfig;
  /** Whether `text` is an open document's (kept to answer imports of `file`) or read from disk. */
  readonly open: boolean;
  /** Build the data-flow rules' fixes (code actions need them, diagnostics do not). */
  readonly fixes: boolean;
}

/** Main thread -> worker. */
export type WorkerRequest =
  | (AnalysisRequest & { readonly type: 'analyse'; readonly id: number })
  /** An open document's text (sent to a new worker for the documents already open). */
  | { readonly type: 'open'; readonly file: string; readonly text: string }
  /** The document was closed: imports of it read the disk again. */
  | { readonly type: 'close'; readonly file: string }
  /** Configuration changed: drop the linters (and their per-document state). */
  | { readonly type: 'reset' };

/** Worker -> main thread. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly id: number }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly findings: readonly Finding[];
      readonly problems: readonly FileProblem[];
      readonly elapsedMs: number;
    }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** One linter per distinct configuration; the key ignores where the configuration came from. */
export function configKey(config: WardenConfig): string {
  return JSON.stringify([Object.entries(config.rules).sort(), config.maxFileBytes ?? null, config.analyzeMinified ?? false]);
}

/**
 * Body of the language server's analysis worker thread. It lives as long as it behaves, so
 * the linters it creates (parsers loaded, and whatever state the engines keep between versions
 * of a document) serve every analysis; the main thread replaces it when it hangs or dies.
 * Requests are answered in order, one at a time.
 */
export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) return;
  const linters = new Map<string, Promise<Linter>>();
  /** Texts of open documents, so that an import of one reads what the editor shows. */
  const openTexts = new Map<string, string>();
  const disk = new DiskTexts();
  const host = {
    readFile(file: string): string | undefined {
      return openTexts.get(file) ?? disk.read(file);
    },
    readDir: readDirNames,
  };
  const fault = testFaults(process.env.MCP_WARDEN_TEST_ANALYSIS_FAULT);
  const linterFor = (config: WardenConfig): Promise<Linter> => {
    const key = configKey(config);
    let l = linters.get(key);
    if (!l) {
      l = createLinter(config);
      // A failed parser load is retried next time, not cached.
      l.catch(() => linters.delete(key));
      linters.set(key, l);
    }
    return l;
  };
  // Requests are chained so that each one runs alone, in arrival order.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (req: WorkerRequest) => {
    if (req.type === 'open') {
      openTexts.set(req.file, req.text);
      return;
    }
    if (req.type === 'close') {
      openTexts.delete(req.file);
      return;
    }
    if (req.type === 'reset') {
      linters.clear();
      return;
    }
    if (req.open) openTexts.set(req.file, req.text);
    queue = queue.then(async () => {
      let reply: WorkerReply;
      try {
        const linter = await linterFor(req.config);
        port.postMessage({ type: 'started', id: req.id } satisfies WorkerReply);
        const faulty = fault(req.file);
        if (faulty) await faulty;
        const result = linter.lintText(req.file, req.text, { language: req.language, host, fixes: req.fixes });
        reply = { type: 'done', id: req.id, findings: result.findings, problems: result.problems, elapsedMs: result.elapsedMs };
      } catch (err) {
        reply = { type: 'failed', id: req.id, message: (err as Error)?.stack ?? String(err) };
      }
      port.postMessage(reply);
    });
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
}

/**
 * For the server's tests only: MCP_WARDEN_TEST_ANALYSIS_FAULT=crash:<name> makes the worker
 * die (an uncaught exception), and hang:<name> makes it spin, on a file whose path ends with
 * <name>; several such specs may be separated by commas.
 */
function testFaults(spec: string | undefined): (file: string) => Promise<void> | undefined {
  const faults = (spec ?? '')
    .split(',')
    .map((s) => /^(crash|hang):(.+)$/.exec(s.trim()))
    .filter((m): m is RegExpExecArray => m !== null);
  return (file) => {
    const m = faults.find((f) => file.endsWith(f[2]!));
    if (!m) return undefined;
    if (m[1] === 'crash') {
      return new Promise<void>(() => {
        setImmediate(() => {
          throw new Error('test fault: the analysis worker crashed');
        });
      });
    }
    for (;;);
  };
}
