import { parentPort, workerData } from 'node:worker_threads';
import { createLinter } from '../core';
import { CachingHost } from './host';
import { lintFile, type FileOutcome } from './lint-file';
import type { LintReply, LintTask, LintWorkerData } from './pool';

/**
 * Body of a lint worker thread: one linter and one file cache for the whole run, with the
 * main thread's configuration; answers each task with the file's outcome, in order.
 */
export async function runLintWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const { config } = workerData as LintWorkerData;
  const linter = await createLinter(config);
  const host = new CachingHost();
  const fault = testFault(process.env.MCP_WARDEN_TEST_WORKER_FAULT);
  port.on('message', (task: LintTask) => {
    let outcome: FileOutcome;
    try {
      if (fault && task.file.endsWith(fault.file)) fault.act();
      outcome = lintFile(linter, host, task.file, false);
    } catch (err) {
      // lintText already contains engine errors; this is the reading and bookkeeping around it.
      outcome = { file: task.file, problem: { file: task.file, kind: 'internal-error', message: `analysis failed: ${(err as Error).message}` } };
    }
    const reply: LintReply = { id: task.id, outcome };
    port.postMessage(reply);
  });
  const ready: LintReply = { ready: true };
  port.postMessage(ready);
}

/**
 * For the CLI's tests only: MCP_WARDEN_TEST_WORKER_FAULT=crash:<name> makes the worker die,
 * and hang:<name> makes it spin, when it is given a file whose path ends with <name>.
 */
function testFault(spec: string | undefined): { file: string; act: () => void } | undefined {
  const m = /^(crash|hang):(.+)$/.exec(spec ?? '');
  if (!m) return undefined;
  const act =
    m[1] === 'crash'
      ? () => {
          process.exit(70);
        }
      : () => {
          for (;;);
        };
  return { file: m[2]!, act };
}
