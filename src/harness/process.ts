import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Environment variable that marks every process of one harness run, so escaped children can be found. */
export const RUN_MARKER_ENV = 'MCP_WARDEN_HARNESS_RUN';

/** Variables that locate language tool-chains under the real HOME; kept when HOME is replaced. */
const TOOLCHAIN_HOMES: ReadonlyArray<[string, string]> = [
  ['PYENV_ROOT', '.pyenv'],
  ['UV_CACHE_DIR', '.cache/uv'],
  ['UV_PYTHON_INSTALL_DIR', '.local/share/uv/python'],
  ['NVM_DIR', '.nvm'],
  ['npm_config_cache', '.npm'],
  ['CARGO_HOME', '.cargo'],
  ['RUSTUP_HOME', '.rustup'],
];

/**
 * The environment of a server process: the caller's, with HOME and TMPDIR moved into the run's
 * temp folder (so the server cannot touch the user's dot files), tool-chain roots kept, the run
 * marker set, and the spec's own variables on top.
 */
export function serverEnvironment(
  base: NodeJS.ProcessEnv,
  dirs: { home: string; tmp: string },
  marker: string,
  extra: Readonly<Record<string, string>> = {},
  drop: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  const realHome = base.HOME ?? base.USERPROFILE;
  if (realHome) {
    for (const [name, rel] of TOOLCHAIN_HOMES) {
      if (env[name] === undefined && fs.existsSync(path.join(realHome, rel))) env[name] = path.join(realHome, rel);
    }
  }
  Object.assign(env, { HOME: dirs.home, USERPROFILE: dirs.home, TMPDIR: dirs.tmp, TMP: dirs.tmp, TEMP: dirs.tmp });
  env[RUN_MARKER_ENV] = marker;
  Object.assign(env, extra);
  for (const name of drop) delete env[name];
  return env;
}

/** A server process in its own process group, with bounded buffers of what it printed. */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderrTail = '';
  private spawnError: string | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    command: string,
    args: readonly string[],
    options: { cwd: string; env: Record<string, string> },
    private readonly marker: string,
  ) {
    // detached: the server leads its own process group, so one kill reaches its children too.
    this.child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    LIVE.add(this);
    const stderrEnded = new Promise<void>((resolve) => {
      this.child.stderr?.once('end', () => resolve());
      this.child.stderr?.once('error', () => resolve());
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        // What the server printed just before dying is the evidence: let stderr drain first,
        // but not for long (a child that inherited it may keep it open).
        void Promise.race([stderrEnded, delay(200)]).then(() => {
          this.exitInfo = { code, signal };
          resolve(this.exitInfo);
        });
      });
      this.child.once('error', (err) => {
        this.spawnError = err.message;
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-16_384);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  get exitDescription(): string {
    const e = this.exitInfo;
    if (!e) return 'running';
    if (this.spawnError) return `could not be started (${this.spawnError})`;
    return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  }

  /** The last part of what the server wrote to stderr. */
  get stderr(): string {
    return this.stderrTail;
  }

  /**
   * Kills the process group, then every process still carrying this run's marker (children that
   * left the group with setsid, or were re-parented), and waits for the leader to go.
   */
  async kill(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && !this.hasExited) {
      signalGroup(pid, 'SIGTERM');
      const done = await Promise.race([this.exited.then(() => true), delay(500).then(() => false)]);
      if (!done) signalGroup(pid, 'SIGKILL');
    }
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    killMarked(this.marker);
    await Promise.race([this.exited, delay(1000)]);
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    this.child.stdin?.destroy();
    LIVE.delete(this);
  }

  /** Synchronous last resort for process exit: SIGKILL the group and the marked processes. */
  killNow(): void {
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    killMarked(this.marker);
  }
}

const LIVE = new Set<ServerProcess>();
let exitHookInstalled = false;

/** Makes sure no server outlives the harness, even when the host process exits abruptly. */
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of LIVE) p.killNow();
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Pids of live processes whose environment carries RUN_MARKER_ENV=marker (Linux /proc only). */
export function markedProcesses(marker: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${RUN_MARKER_ENV}=${marker}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`);
      if (env.includes(needle)) found.push(pid);
    } catch {
      // Not ours, or gone.
    }
  }
  return found;
}

function killMarked(marker: string): void {
  for (let round = 0; round < 3; round++) {
    const pids = markedProcesses(marker);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Largest single stdout line we parse; larger responses are answered with a synthetic error. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * An SDK Transport over a ServerProcess's stdio. The SDK's StdioClientTransport cannot put the
 * server in its own process group and drops non-JSON-RPC stdout lines silently; this one records
 * them as evidence and caps the size of a single message.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  /** Non-JSON-RPC lines seen on stdout (first few, truncated), and their total count. */
  readonly pollution: string[] = [];
  pollutionCount = 0;
  /** Bytes of stdout read so far. */
  bytesRead = 0;
  /** Responses dropped for exceeding MAX_MESSAGE_BYTES. */
  oversizeResponses = 0;

  private chunks: Buffer[] = [];
  private buffered = 0;
  private discarding = false;
  private discardTail = '';
  private closed = false;

  constructor(readonly server: ServerProcess) {}

  async start(): Promise<void> {
    const { child } = this.server;
    child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stdin?.on('error', () => {
      // EPIPE when the server died; the exit handler reports it.
    });
    void this.server.exited.then(() => this.finish());
  }

  private onData(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.pushPartial(chunk.subarray(start));
        return;
      }
      this.pushPartial(chunk.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
  }

  private pushPartial(part: Buffer): void {
    if (part.length === 0) return;
    if (this.discarding) {
      this.discardTail = (this.discardTail + part.toString('utf8')).slice(-256);
      return;
    }
    this.chunks.push(part);
    this.buffered += part.length;
    if (this.buffered > MAX_MESSAGE_BYTES) {
      this.discarding = true;
      this.discardTail = Buffer.concat(this.chunks).subarray(-256).toString('utf8');
      this.discardHead = Buffer.concat(this.chunks).subarray(0, 256).toString('utf8');
      this.chunks = [];
      this.buffered = 0;
    }
  }

  private discardHead = '';

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      this.oversizeResponses++;
      // The id sits at the start or the end of the serialised response; answer it with an error
      // so the pending request fails now instead of at its timeout.
      const m = /"id"\s*:\s*(\d+|"[^"]*")/.exec(this.discardTail) ?? /"id"\s*:\s*(\d+|"[^"]*")/.exec(this.discardHead);
      this.discardTail = '';
      this.discardHead = '';
      if (m) {
        const id = JSON.parse(m[1]!) as string | number;
        this.onmessage?.({
          jsonrpc: '2.0',
          id,
          error: { code: -32001, message: `response larger than ${MAX_MESSAGE_BYTES} bytes was dropped by the harness` },
        } as JSONRPCMessage);
      }
      return;
    }
    const line = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.buffered = 0;
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.recordPollution(line);
      return;
    }
    const msg = JSONRPCMessageSchema.safeParse(parsed);
    if (!msg.success) {
      this.recordPollution(line);
      return;
    }
    try {
      this.onmessage?.(msg.data);
    } catch (err) {
      this.onerror?.(err as Error);
    }
  }

  private recordPollution(line: string): void {
    this.pollutionCount++;
    if (this.pollution.length < 5) this.pollution.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.server.child.stdin;
    if (this.closed || !stdin || stdin.destroyed || this.server.hasExited) throw new Error(`server ${this.server.exitDescription}`);
    const data = `${JSON.stringify(message)}\n`;
    await new Promise<void>((resolve) => {
      if (stdin.write(data)) resolve();
      else stdin.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    await this.server.kill();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
