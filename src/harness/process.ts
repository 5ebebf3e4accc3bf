import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Environment variable that marks every process one server started (its value is unique per
 * server process), so children that escaped its process group can be found and killed.
 */
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
  /**
   * Resolves once the leader has exited, every process still carrying this process's marker
   * (children that left the group with setsid) has been killed, and stderr has drained.
   */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Resolves as soon as the leader has exited (or could not be started), before the sweep: the
   * moment requests in flight become suspects and new ones go nowhere.
   */
  readonly leaderGone: Promise<void>;
  private stderrTail = '';
  private spawnError: string | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  /**
   * @param marker unique to this process (not shared with other servers of the run), so the
   *   sweep after its leader exits never reaches a restarted server.
   */
  constructor(
    command: string,
    args: readonly string[],
    options: { cwd: string; env: Record<string, string> },
    readonly marker: string,
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
      this.child.stderr?.once('close', () => resolve());
    });
    let leaderGone!: () => void;
    this.leaderGone = new Promise((resolve) => (leaderGone = resolve));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        leaderGone();
        // The leader is gone: nothing it left behind may outlive it (a child holding its pipes
        // would otherwise keep running until the end of the run, or forever if it is never closed).
        const leader = this.child.pid;
        if (leader !== undefined) signalGroup(leader, 'SIGKILL');
        void sweepMarked(this.marker)
          // What the server printed just before dying is the evidence: let stderr drain first,
          // but not for long (a child that inherited it may have kept it open).
          .then(() => raceTimeout(stderrEnded, 200))
          .then(() => resolve({ code, signal }));
      });
      this.child.once('error', (err) => {
        this.spawnError = err.message;
        this.exitInfo = { code: null, signal: null };
        leaderGone();
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

  /** True once the leader has exited (its leftovers may still be being swept: see `exited`). */
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
   * Kills the process group (SIGTERM, then SIGKILL after `graceMs`), then every process still
   * carrying this process's marker, and resolves when they are gone (or after a bounded wait on
   * a machine too loaded to reap them).
   */
  async kill(graceMs = 500): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && !this.hasExited && graceMs > 0) {
      signalGroup(pid, 'SIGTERM');
      await raceTimeout(this.exited, graceMs);
    }
    if (pid !== undefined && !this.hasExited) signalGroup(pid, 'SIGKILL');
    await sweepMarked(this.marker);
    await raceTimeout(this.exited, 2000);
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    this.child.stdin?.destroy();
    LIVE.delete(this);
  }

  /** Synchronous last resort for process exit: SIGKILL the group and the marked processes. */
  killNow(): void {
    if (this.child.pid !== undefined && !this.hasExited) signalGroup(this.child.pid, 'SIGKILL');
    for (const pid of markedProcesses(this.marker)) signalPid(pid, 'SIGKILL');
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
    signalPid(pid, signal);
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Pids of live processes whose environment carries RUN_MARKER_ENV=marker: from /proc on Linux,
 * else from `ps axeww` (macOS, the BSDs and procps print each process's environment after its command).
 */
export function markedProcesses(marker: string, source: 'auto' | 'proc' | 'ps' = 'auto'): number[] {
  if (process.platform === 'win32') return [];
  const useProc = source === 'proc' || (source === 'auto' && process.platform === 'linux');
  return useProc ? markedFromProc(marker) : markedFromPs(marker);
}

function markedFromProc(marker: string): number[] {
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
      // A zombie's environment reads empty: it is already dead.
      const env = fs.readFileSync(`/proc/${entry}/environ`);
      if (env.includes(needle)) found.push(pid);
    } catch {
      // Not ours, or gone.
    }
  }
  return found;
}

function markedFromPs(marker: string): number[] {
  const out = spawnSync('ps', ['axeww', '-o', 'pid=,command='], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 5000 });
  if (out.status !== 0 || typeof out.stdout !== 'string') return [];
  const needle = new RegExp(`(?:^|\\s)${RUN_MARKER_ENV}=${marker}(?:\\s|$)`);
  const found: number[] = [];
  for (const line of out.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m || !needle.test(m[2]!)) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid) found.push(pid);
  }
  return found;
}

/** True while `pid` exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process carrying `marker` until a scan finds none (a process can fork while it
 * is being killed), then waits until the killed ones are gone: SIGKILL is asynchronous, and on a
 * loaded machine a process can take a while to be scheduled and die. Bounded by `budgetMs`.
 */
export async function sweepMarked(marker: string, budgetMs = 3000): Promise<number[]> {
  const killed = new Set<number>();
  const deadline = Date.now() + budgetMs;
  for (let round = 0; Date.now() < deadline; round++) {
    const pids = markedProcesses(marker);
    if (pids.length === 0) break;
    for (const pid of pids) {
      signalPid(pid, 'SIGKILL');
      killed.add(pid);
    }
    // The scan itself is the wait between rounds, unless it keeps finding the same dying processes.
    if (round > 0) await delay(5);
  }
  while ([...killed].some(pidAlive) && Date.now() < deadline) await delay(5);
  return [...killed];
}

/** Thrown by withDeadline when the deadline passes first. */
export class DeadlineError extends Error {}

/**
 * `p`, or a rejection with DeadlineError(`message`) after `ms`, or with the signal's reason when
 * it aborts: for awaits whose own timeout cannot be trusted (the SDK's connect awaits a
 * notification send with none).
 */
export async function withDeadline<T>(p: Promise<T>, ms: number, message: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(message)), ms);
        onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Resolves when `p` settles or after `ms`, whichever is first, without leaving a timer behind. */
export async function raceTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A bounded wait. The timer keeps the event loop alive on purpose: an unref'd one lets a host
 * process with nothing else pending exit in the middle of a run instead of finishing it.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
    if (this.server.hasExited) throw new Error(`server ${this.server.exitDescription}`);
    if (this.closed || !stdin || stdin.destroyed) throw new Error('the server closed its stdin');
    const data = `${JSON.stringify(message)}\n`;
    if (stdin.write(data)) return;
    // A full pipe: wait for it to drain, but a server that dies (or closes its stdin) never
    // drains it, and an await on this send (the SDK awaits notifications) must not hang.
    await new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        stdin.off('drain', onDrain);
        stdin.off('close', onClose);
        stdin.off('error', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error(this.server.hasExited ? `server ${this.server.exitDescription}` : 'the server closed its stdin'));
      stdin.on('drain', onDrain);
      stdin.on('close', onClose);
      stdin.on('error', onClose);
      void this.server.exited.then(() => settle(new Error(`server ${this.server.exitDescription}`)));
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
