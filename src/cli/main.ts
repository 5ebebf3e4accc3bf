import { isMainThread, workerData } from 'node:worker_threads';
import type * as HarnessCommand from './harness';
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { LINT_USAGE, runLint, type CliIo } from './lint';
import { LINT_WORKER_TAG } from './pool';
import { TOOL_VERSION } from './version';
import { runLintWorker } from './worker';

const USAGE = `Usage: mcp-warden <command> [options]

Commands:
  lint [PATH...]      lint MCP server sources (TypeScript, JavaScript, Python)
  harness             start an MCP server and replay attacks against it

Run 'mcp-warden <command> --help' for a command's options.
  --version           print the version`;

/** Node's parseArgs errors name the flag; keep only that line. */
function usageMessage(err: unknown): string | undefined {
  if (err instanceof UsageError) return err.message;
  const code = (err as { code?: string } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    return (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
  }
  return undefined;
}

/**
 * `mcp-warden harness`, loaded when it runs. The build bundles it apart (dist/cli-harness.js,
 * esbuild.mjs), so that a `lint` run neither reads nor starts its MCP SDK, zod, ajv and HTTP
 * code (issue 9). That bundle has its own copy of UsageError: its usage errors are rethrown as
 * this one's, to be reported like lint's.
 */
async function runHarness(argv: readonly string[], io: CliIo): Promise<number> {
  const harness = require('./harness') as typeof HarnessCommand;
  try {
    return await harness.runHarnessCommand(argv, io);
  } catch (err) {
    if (err instanceof harness.UsageError) throw new UsageError(err.message);
    throw err;
  }
}

/** Runs the CLI and returns its exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return await runLint(rest, io);
      case 'harness':
        return await runHarness(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${TOOL_VERSION}\n`);
        return EXIT_OK;
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${USAGE}\n\n${LINT_USAGE}\n`);
        return EXIT_OK;
      case undefined:
        io.stderr.write(`${USAGE}\n`);
        return EXIT_USAGE;
      default:
        throw new UsageError(`unknown command '${command}' (expected lint or harness)`);
    }
  } catch (err) {
    const usage = usageMessage(err);
    if (usage !== undefined) {
      io.stderr.write(`mcp-warden: ${usage}\n`);
      return EXIT_USAGE;
    }
    // Internal errors: one line by default, the stack only when asked for.
    const e = err as Error;
    io.stderr.write(`mcp-warden: internal error: ${e?.message ?? String(err)}\n`);
    if (io.env.MCP_WARDEN_DEBUG) io.stderr.write(`${e?.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}

/**
 * Ends a finished `lint` run at once rather than when the event loop runs dry: before that,
 * Node waits for V8's background tasks, among them the optimising compiler's queue of
 * functions that will not run again, which took about 30 ms of CPU (a ninth) of linting one
 * file (issue 9). 'exit' listeners still run (the code cache is written in one). Only once
 * the report is out: standard output and error are synchronous for files, and for pipes and
 * terminals on Linux; where they are not and output is still queued, the run ends as before.
 * The harness command always ends as before: its servers' teardown runs on the event loop.
 */
function exitWhenWritten(command: string | undefined, code: number): void {
  if (command !== 'lint') return;
  if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) return;
  process.exit(code);
}

/** Runs the command line of this process and sets its exit code. */
export function cliEntry(): void {
  const argv = process.argv.slice(2);
  main(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
    (code) => {
      process.exitCode = code;
      exitWhenWritten(argv[0], code);
    },
    () => {
      process.exitCode = EXIT_USAGE;
    },
  );
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[LINT_WORKER_TAG] === true) {
  // This module is also the body of `lint --jobs` worker threads (src/cli/pool.ts).
  void runLintWorker();
} else if (require.main === module) {
  cliEntry();
}
