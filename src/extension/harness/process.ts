import { spawn } from 'node:child_process';
import { LineSplitter, parseEvent, type HarnessEvent, type HarnessReport } from './events';

export interface HarnessProcessOptions {
  /** Absolute path of the bundled CLI (dist/cli.js). */
  readonly cli: string;
  /** Arguments after `harness`; `--events` is added. */
  readonly args: readonly string[];
  readonly cwd: string;
  /** Run node: the extension host's own executable in node mode. */
  readonly execPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onEvent: (event: HarnessEvent) => void;
  readonly onStderr?: (line: string) => void;
  /** Aborting sends SIGTERM to the CLI's process group, then SIGKILL after a grace period. */
  readonly signal?: AbortSignal;
  /** Kills the run after this long (the CLI has its own run timeout; this is the backstop). */
  readonly timeoutMs?: number;
}

export interface HarnessProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly report?: HarnessReport;
  readonly cancelled: boolean;
  readonly timedOut: boolean;
  /** The last lines of stderr, for the error message of a run that could not start. */
  readonly stderrTail: string;
}

/** Grace between SIGTERM and SIGKILL: the CLI needs a moment to kill its servers' trees. */
const KILL_GRACE_MS = 4_000;

/**
 * Runs `node <cli> harness --events ...` (contract 6) and streams its events. The CLI runs in its
 * own process group so cancellation reaches everything it started even if it misbehaves.
 */
export function runHarnessProcess(o: HarnessProcessOptions): Promise<HarnessProcessResult> {
  return new Promise((resolve) => {
    const execPath = o.execPath ?? process.execPath;
    const child = spawn(execPath, [o.cli, 'harness', '--events', ...o.args], {
      cwd: o.cwd,
      // The extension host may be Electron: make it behave as plain node.
      env: { ...(o.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    let report: HarnessReport | undefined;
    let cancelled = false;
    let timedOut = false;
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    const out = new LineSplitter();
    const err = new LineSplitter();

    const signalGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        if (process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    const runTimer =
      o.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, o.timeoutMs)
        : undefined;

    const handleLine = (line: string) => {
      const event = parseEvent(line);
      if (!event) return;
      if (event.type === 'run-end') report = event.report;
      try {
        o.onEvent(event);
      } catch {
        // A consumer bug must not stop the stream.
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => out.push(chunk).forEach(handleLine));
    child.stderr.on('data', (chunk: string) => {
      for (const line of err.push(chunk)) {
        stderrTail = (stderrTail + line + '\n').slice(-4000);
        o.onStderr?.(line);
      }
    });
    let finished = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      out.flush().forEach(handleLine);
      for (const line of err.flush()) {
        stderrTail = (stderrTail + line + '\n').slice(-4000);
        o.onStderr?.(line);
      }
      if (killTimer) clearTimeout(killTimer);
      if (runTimer) clearTimeout(runTimer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode, signal, ...(report ? { report } : {}), cancelled, timedOut, stderrTail });
    };
    child.on('error', (e) => {
      stderrTail += `${e.message}\n`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}
