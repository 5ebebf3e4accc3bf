import type { CheckSeverity, HarnessTransport } from './requirements';

/** One server the harness starts (stdio, or HTTP with an optional launch command) or reaches by URL. */
export interface ServerSpec {
  readonly name: string;
  readonly transport: HarnessTransport;
  /** Program to start (stdio servers; HTTP servers the harness launches itself). */
  readonly command?: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** Variables added to the server's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Streamable HTTP endpoint; '{port}' is replaced by a free loopback port also passed as PORT. */
  readonly url?: string;
  /** Headers sent on every HTTP request (e.g. Authorization). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Names of environment variables holding the server's secret (for the fail-open check). */
  readonly secretEnv?: readonly string[];
  /** The configuration file that declares the server (mcp.json, package.json, pyproject.toml). */
  readonly configFile?: string;
  /** Why the harness cannot run this server (reported as not started). */
  readonly unsupported?: string;
  /** Where the spec came from, for messages. */
  readonly origin: string;
}

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'error';

/** The request and the response excerpt that prove (or explain) a result. */
export interface Evidence {
  readonly request: string;
  readonly response: string;
}

export interface SourceLine {
  readonly file: string;
  readonly line: number;
}

/** Outcome of one check on one server, tool or parameter. */
export interface CheckResult {
  readonly server: string;
  readonly tool: string | null;
  readonly param: string | null;
  readonly check: string;
  readonly status: CheckStatus;
  /** True only when the failure was proven by the server's own behaviour. */
  readonly confirmed: boolean;
  readonly severity: CheckSeverity;
  readonly message: string;
  readonly evidence?: Evidence;
  source?: SourceLine;
}

export interface ToolSummary {
  readonly name: string;
  readonly description: string;
  readonly params: readonly string[];
  /** Why the tool was not attacked, when it was not. */
  readonly skipped?: string;
  readonly source?: SourceLine;
}

export interface ServerReport {
  readonly name: string;
  readonly transport: HarnessTransport;
  /** 'ok': ran; 'not-started': could not start or initialize; 'aborted': cancelled or out of time. */
  readonly status: 'ok' | 'not-started' | 'aborted';
  readonly error?: string;
  readonly serverInfo?: { readonly name: string; readonly version: string };
  readonly tools: readonly ToolSummary[];
  readonly results: readonly CheckResult[];
  /** Where server-level results point: the entry script, else the configuration file. */
  readonly location?: SourceLine;
  readonly durationMs: number;
}

export interface HarnessSummary {
  readonly checks: number;
  readonly passed: number;
  readonly failed: number;
  readonly confirmed: number;
  readonly skipped: number;
  readonly errors: number;
}

/** The whole report: what `--format json` prints and the last `--events` line carries. */
export interface HarnessReport {
  readonly tool: { readonly name: 'mcp-warden'; readonly version: string };
  readonly cwd: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly exitCode: number;
  readonly servers: readonly ServerReport[];
  readonly summary: HarnessSummary;
}

/** Events of contract 6, in order: run-start, (server-start, tool*, check*, server-end)*, run-end. */
export type HarnessEvent =
  | { readonly type: 'run-start'; readonly servers: readonly string[] }
  | { readonly type: 'server-start'; readonly server: string; readonly transport: HarnessTransport }
  | { readonly type: 'tool'; readonly server: string; readonly tool: string; readonly params: readonly string[]; readonly skipped?: string }
  | ({ readonly type: 'check' } & CheckResult)
  | {
      readonly type: 'server-end';
      readonly server: string;
      readonly status: ServerReport['status'];
      readonly error?: string;
      readonly durationMs: number;
    }
  | { readonly type: 'run-end'; readonly exitCode: number; readonly report: HarnessReport };

export interface HarnessOptions {
  readonly servers: readonly ServerSpec[];
  /** Project folder: source-line lookup, lock file, relative paths. */
  readonly cwd: string;
  /** Timeout of one request in milliseconds (default 5000). */
  readonly callTimeoutMs?: number;
  /** Timeout of the whole run in milliseconds (default 120000). */
  readonly runTimeoutMs?: number;
  /** Timeout for a server to start and answer initialize (default 15000). */
  readonly startTimeoutMs?: number;
  /** Tools attacked at the same time on one server (default 4). */
  readonly concurrency?: number;
  /** Only these tools get per-tool checks (all tools when absent). */
  readonly tools?: readonly string[];
  /** Attack tools whose names or descriptions say they delete, write, send or pay. */
  readonly includeDestructive?: boolean;
  /** Write mcp-warden.lock.json from the live tool list instead of diffing it. */
  readonly updateLock?: boolean;
  /**
   * Plant the sibling-prefix and symlink canaries next to a server root (default true). By default
   * only next to roots inside the run's temp folder: copies of small data folders the server is
   * given as arguments or environment values.
   */
  readonly plantNextToRoot?: boolean;
  /**
   * Also plant them next to roots outside the run's temp folder (default false): the only writes
   * the harness makes outside it, new random names removed at the end of the run.
   */
  readonly plantOutsideTempDir?: boolean;
  /** Number of requests of the rate-limit burst (default 100). */
  readonly burstSize?: number;
  readonly signal?: AbortSignal;
  /** Environment the servers inherit (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}
