import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DiscoveryError, discoverServers, HarnessRun, type HarnessReport } from '../harness';
import { EXIT_OK, UsageError } from './errors';
import { formatHarnessEvent, formatHarnessJson } from './formats/harness-json';
import { formatHarnessJunit } from './formats/harness-junit';
import { formatHarnessSarif } from './formats/harness-sarif';
import { formatHarnessText } from './formats/harness-text';
import type { CliIo } from './lint';

/** This module's UsageError: in the CLI build, a copy of its own (see main.ts). */
export { UsageError };

export const HARNESS_USAGE = `Usage: mcp-warden harness [options] [-- COMMAND ARG...]

Starts an MCP server and replays injection and authentication attacks against it, reporting
only what the server's own behaviour proves. Servers: the stdio COMMAND after '--'; --url for
Streamable HTTP (with a COMMAND too, the harness starts it; '{port}' in the URL becomes a free
port, also passed as PORT); else --config; else .vscode/mcp.json, .cursor/mcp.json, .mcp.json,
package.json or pyproject.toml in --cwd.

Options:
  --format text|json|sarif|junit  output format (default: text)
  --output FILE                   write the report to FILE instead of standard output
  --cwd DIR                       project folder (default: the current folder)
  --config FILE                   VS Code mcp.json ('servers') or Claude/Cursor ('mcpServers') file
  --server NAME                   run only the server with this name
  --tool NAME                     attack only this tool; repeatable
  --url URL                       Streamable HTTP endpoint (loopback only)
  --header "Name: value"          header for HTTP requests; repeatable; \${env:X} is expanded
  --events                        print newline-delimited JSON events on standard output
  --update-lock                   record the live tools in mcp-warden.lock.json
  --include-destructive           also attack tools that say they delete, write, send or pay
  --no-plant                      do not plant the sibling/symlink canaries at all
  --plant-next-to-root            also plant them next to a server root outside the run's temp
                                  folder (by default only next to copies of small root folders
                                  the server is given, made in that folder)
  --timeout MS                    timeout of one request (default: 5000)
  --start-timeout MS              time a server has to start and answer initialize (default: 15000)
  --run-timeout MS                timeout of the whole run (default: 120000)
  --concurrency N                 tools attacked at once per server (default: 4)
  -h, --help                      show this help

Inputs of a config file (\${input:id}) are read from MCP_WARDEN_INPUT_<ID>.
Exit codes: 0 nothing confirmed, 1 confirmed vulnerabilities, 2 could not run or usage error.`;

const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} expects a positive integer, got '${v}'`);
  return n;
}

function parseHeaders(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header expects "Name: value", got '${h}'`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

function render(format: Format, report: HarnessReport, color: boolean): string {
  switch (format) {
    case 'json':
      return formatHarnessJson(report);
    case 'sarif':
      return formatHarnessSarif(report);
    case 'junit':
      return formatHarnessJunit(report);
    default:
      return formatHarnessText(report, { color });
  }
}

/** `mcp-warden harness`: returns the exit code; throws UsageError for bad invocations. */
export async function runHarnessCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parseArgs({
    args: [...own],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      cwd: { type: 'string' },
      config: { type: 'string' },
      server: { type: 'string' },
      url: { type: 'string' },
      header: { type: 'string', multiple: true, default: [] },
      tool: { type: 'string', multiple: true, default: [] },
      events: { type: 'boolean', default: false },
      'update-lock': { type: 'boolean', default: false },
      'include-destructive': { type: 'boolean', default: false },
      'no-plant': { type: 'boolean', default: false },
      'plant-next-to-root': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'run-timeout': { type: 'string' },
      'start-timeout': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(`${HARNESS_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (put the server command after '--')`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}' (expected text, json, sarif or junit)`);
  if (dash >= 0 && command.length === 0) throw new UsageError("'--' must be followed by the server command");
  const cwd = path.resolve(io.cwd, values.cwd ?? '.');
  if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new UsageError(`--cwd '${values.cwd}' is not a folder`);
  const callTimeoutMs = positiveInt('timeout', values.timeout);
  const runTimeoutMs = positiveInt('run-timeout', values['run-timeout']);
  const startTimeoutMs = positiveInt('start-timeout', values['start-timeout']);
  const concurrency = positiveInt('concurrency', values.concurrency);

  let servers;
  try {
    servers = discoverServers({
      cwd,
      env: io.env,
      ...(values.config ? { config: values.config } : {}),
      ...(values.server ? { server: values.server } : {}),
      ...(values.url ? { url: values.url } : {}),
      headers: parseHeaders(values.header ?? []),
      command,
    });
  } catch (err) {
    if (err instanceof DiscoveryError) throw new UsageError(err.message);
    throw err;
  }

  // Ctrl-C / SIGTERM cancel the run; the runner then kills every server process tree it started.
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    controller.abort(new Error(`cancelled by ${sig}`));
    // A second signal means "now": exiting runs the exit hook, which SIGKILLs the servers.
    if (signals > 1) process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let report: HarnessReport;
  try {
    const run = new HarnessRun({
      servers,
      cwd,
      env: io.env,
      signal: controller.signal,
      includeDestructive: values['include-destructive'],
      updateLock: values['update-lock'],
      plantNextToRoot: !values['no-plant'],
      plantOutsideTempDir: values['plant-next-to-root'],
      ...(values.tool && values.tool.length > 0 ? { tools: values.tool } : {}),
      ...(callTimeoutMs ? { callTimeoutMs } : {}),
      ...(runTimeoutMs ? { runTimeoutMs } : {}),
      ...(startTimeoutMs ? { startTimeoutMs } : {}),
      ...(concurrency ? { concurrency } : {}),
    });
    if (values.events) run.on('event', (e) => io.stdout.write(formatHarnessEvent(e, cwd)));
    report = await run.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const color = values.output === undefined && useColor(io);
  const text = render(format, report, color);
  if (values.output) fs.writeFileSync(path.resolve(io.cwd, values.output), text);
  else if (!values.events) io.stdout.write(text);
  if (controller.signal.aborted) io.stderr.write(`mcp-warden: harness ${String((controller.signal.reason as Error)?.message ?? 'cancelled')}\n`);
  return report.exitCode;
}
