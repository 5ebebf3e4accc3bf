import * as net from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { DeadlineError, delay, ProcessTransport, raceTimeout, ServerProcess, serverEnvironment, withDeadline } from './process';
import type { ServerSpec } from './types';
import { token, type RunWorkspace } from './workspace';
import { HARNESS_VERSION as TOOL_VERSION } from './version';

/** What one tools/call came back with, flattened to text for the oracles. */
export interface CallOutcome {
  /** 'result': a CallToolResult; 'error': a JSON-RPC error; 'timeout'; 'dead': the server is gone. */
  readonly kind: 'result' | 'error' | 'timeout' | 'dead';
  readonly isError: boolean;
  readonly text: string;
  readonly ms: number;
}

/** Text the oracles look at is capped; a canary is never that deep in a response. */
const MAX_TEXT = 256 * 1024;

function flatten(result: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = Array.isArray(result.content) ? (result.content as Record<string, unknown>[]) : [];
  for (const c of content) {
    if (typeof c.text === 'string') parts.push(c.text);
    else if (c.resource && typeof (c.resource as Record<string, unknown>).text === 'string') parts.push((c.resource as { text: string }).text);
    else parts.push(`[${String(c.type)}]`);
  }
  if (result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  const text = parts.join('\n');
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

export interface LaunchOptions {
  readonly workspace: RunWorkspace;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly startTimeoutMs: number;
  /** Environment variables to remove (fail-open check). */
  readonly dropEnv?: readonly string[];
  readonly signal?: AbortSignal;
}

/** A free loopback port, for servers started with '{port}' in their URL. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Thrown when a server cannot be started or does not answer initialize. */
export class StartError extends Error {}

/**
 * A running (or reachable) server with an SDK client connected to it. For HTTP servers the
 * harness launched, `process` is the server; `url` is the endpoint with '{port}' resolved.
 */
export class Session {
  readonly client: Client;
  tools: Tool[] = [];
  /** tools/call requests sent and not answered yet: the suspects when the server dies. */
  readonly inflight = new Set<string>();
  /** The requests in flight when the server died. */
  inflightAtDeath: string[] = [];
  /** tools/call requests this session answered: a server that never answered one is not restarted. */
  answered = 0;
  private constructor(
    readonly spec: ServerSpec,
    readonly transport: Transport,
    readonly process: ServerProcess | undefined,
    readonly url: URL | undefined,
    readonly env: Record<string, string> | undefined,
  ) {
    this.client = new Client({ name: 'mcp-warden-harness', version: TOOL_VERSION }, { capabilities: {} });
    // Taken when the leader exits, before the transport closes and rejects what was in flight.
    void process?.leaderGone.then(() => {
      this.inflightAtDeath = [...this.inflight];
    });
  }

  /** Starts the server process (when there is one) without connecting an MCP client. */
  static async launch(spec: ServerSpec, opts: LaunchOptions): Promise<{ process?: ServerProcess; url?: URL; env?: Record<string, string> }> {
    let url: URL | undefined;
    let port: number | undefined;
    if (spec.url) {
      if (spec.url.includes('{port}')) port = await freePort();
      url = new URL(spec.url.replace('{port}', String(port ?? '')));
      if (!isLoopback(url.hostname)) throw new StartError(`'${url.hostname}' is not a loopback address; the harness only talks to 127.0.0.1, ::1 and localhost`);
    }
    if (!spec.command) return { url };
    // A run past its deadline (or cancelled) starts nothing more: its teardown may already be over.
    if (opts.signal?.aborted || opts.workspace.closed) throw new StartError('the run was cancelled or ran out of time before the server started');
    const extra: Record<string, string> = { ...(spec.env ?? {}) };
    if (port !== undefined) extra.PORT = String(port);
    // One marker per process, so killing a restarted server never takes the first one along.
    const marker = `${opts.workspace.marker}-${token(4)}`;
    const env = serverEnvironment(opts.env, { home: opts.workspace.home, tmp: opts.workspace.tmp }, marker, extra, opts.dropEnv);
    const proc = new ServerProcess(spec.command, spec.args ?? [], { cwd: spec.cwd ?? opts.cwd, env }, marker);
    opts.workspace.processes.add(proc);
    if (spec.transport === 'http' && url) {
      // Drain stdout so a chatty HTTP server never blocks on a full pipe.
      proc.child.stdout?.resume();
      const deadline = Date.now() + opts.startTimeoutMs;
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const p = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      // Poll the port: the only readiness signal a generic HTTP server gives.
      while (!(await tcpOpen(host, p))) {
        if (proc.hasExited) throw new StartError(`the server ${proc.exitDescription} before listening on ${url.host}${tailOf(proc.stderr)}`);
        if (Date.now() > deadline || opts.signal?.aborted) {
          await proc.kill();
          throw new StartError(`the server did not listen on ${url.host} within ${opts.startTimeoutMs} ms${tailOf(proc.stderr)}`);
        }
        await delay(50);
      }
    }
    return { process: proc, url, env };
  }

  /** Launches (when needed) and connects: initialize, then tools/list. */
  static async open(spec: ServerSpec, opts: LaunchOptions): Promise<Session> {
    const launched = await Session.launch(spec, opts);
    let transport: Transport;
    if (spec.transport === 'stdio') {
      if (!launched.process) throw new StartError('a stdio server needs a command');
      transport = new ProcessTransport(launched.process);
    } else {
      if (!launched.url) throw new StartError('an HTTP server needs a URL');
      transport = new StreamableHTTPClientTransport(launched.url, { requestInit: { headers: { ...(spec.headers ?? {}) } } });
    }
    const session = new Session(spec, transport, launched.process, launched.url, launched.env);
    session.client.onerror = () => {
      // Transport errors surface as failed requests; nothing to do here.
    };
    try {
      // The SDK bounds the initialize request but then awaits the 'notifications/initialized'
      // send with no timeout (an HTTP server that never answers that POST hangs it forever).
      await withDeadline(
        session.client.connect(transport, { timeout: opts.startTimeoutMs, signal: opts.signal }),
        opts.startTimeoutMs + 500,
        `the initialize handshake did not complete within ${opts.startTimeoutMs} ms (initialize was answered, 'notifications/initialized' never was)`,
        opts.signal,
      );
    } catch (err) {
      // A server that exits at once breaks the pipe before its exit is known: name the exit.
      if (launched.process && !launched.process.hasExited && brokenPipe(err)) await raceTimeout(launched.process.leaderGone, 1000);
      let why = launched.process?.hasExited ? `the server ${launched.process.exitDescription}` : err instanceof DeadlineError ? err.message : errorText(err);
      if (spec.transport === 'http' && /\b401\b/.test(why) && !Object.keys(spec.headers ?? {}).some((h) => /authorization|token|key/i.test(h))) {
        why += "; the server wants credentials: pass them with --header 'Authorization: Bearer ...'";
      }
      await session.close();
      throw new StartError(`initialize failed: ${why}${tailOf(launched.process?.stderr ?? '')}`);
    }
    return session;
  }

  /** tools/list, following pagination. */
  async listTools(timeoutMs: number, signal?: AbortSignal): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs, signal });
      tools.push(...res.tools);
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    this.tools = tools;
    return tools;
  }

  /** Resolves when a dead server's leftovers are swept and its stderr drained (the evidence). */
  async settled(): Promise<void> {
    if (this.process?.hasExited) await raceTimeout(this.process.exited, 5000);
  }

  get alive(): boolean {
    return !this.process || !this.process.hasExited;
  }

  /** tools/call that never throws. */
  async call(name: string, args: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<CallOutcome> {
    const started = Date.now();
    if (!this.alive) return { kind: 'dead', isError: true, text: `server ${this.process!.exitDescription}`, ms: 0 };
    const shown = JSON.stringify({ name, arguments: args });
    const entry = shown.length > 1500 ? `${shown.slice(0, 1500)}…` : shown;
    this.inflight.add(entry);
    try {
      return await this.callOnce(name, args, timeoutMs, started, signal);
    } finally {
      this.inflight.delete(entry);
    }
  }

  private async callOnce(name: string, args: Record<string, unknown>, timeoutMs: number, started: number, signal?: AbortSignal): Promise<CallOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        // The plain result schema: a tool's outputSchema is not what is under test here.
        const res = await this.client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, {
          timeout: timeoutMs,
          signal,
        });
        this.answered++;
        return { kind: 'result', isError: res.isError === true, text: flatten(res as Record<string, unknown>), ms: Date.now() - started };
      } catch (err) {
        // A rate-limited HTTP server is doing its job; back off briefly instead of reading 429 as a refusal.
        if ((err as { code?: number }).code === 429 && attempt < 3 && !signal?.aborted) {
          await delay(400 * (attempt + 1));
          continue;
        }
        return await this.failure(err, started);
      }
    }
  }

  private async failure(err: unknown, started: number): Promise<CallOutcome> {
    {
      // A write to a server that just died fails (EPIPE) before its exit is known: an error of
      // the transport, not an answer. Wait briefly for the exit, so the call counts as 'dead'.
      if (this.process && this.alive && this.transport instanceof ProcessTransport && brokenPipe(err)) {
        await raceTimeout(this.process.leaderGone, 1000);
      }
      const ms = Date.now() - started;
      if (!this.alive) return { kind: 'dead', isError: true, text: `server ${this.process!.exitDescription}`, ms };
      const text = errorText(err);
      if (/timed out|timeout/i.test(text) && (err as { code?: number }).code === -32001) return { kind: 'timeout', isError: true, text, ms };
      return { kind: 'error', isError: true, text, ms };
    }
  }

  /** A ping that never throws: true when the server answered. */
  async ping(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (!this.alive || signal?.aborted) return false;
    try {
      await this.client.ping({ timeout: timeoutMs, ...(signal ? { signal } : {}) });
      return true;
    } catch (err) {
      // A server without ping support (or a rate limiter) still answers, and so is alive.
      const code = (err as { code?: number }).code;
      return code === -32601 || code === 429;
    }
  }

  /** Closes the client and kills the server's process tree. */
  async close(): Promise<void> {
    try {
      await raceTimeout(this.client.close(), 1000);
    } catch {
      // Closing a broken transport can fail; the kill below is what matters.
    }
    await this.process?.kill();
  }
}

/** An error of a stdio pipe the server broke (closed stdin, EPIPE, closed connection), not an answer. */
function brokenPipe(err: unknown): boolean {
  return err instanceof McpError ? err.code === ErrorCode.ConnectionClosed : /closed its stdin|^server |\bEPIPE\b/.test(errorText(err));
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function tailOf(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return '';
  // The error line names the cause; stack frames and runtime banners around it do not.
  const errors = lines.filter((l) => /^(?:[\w.]*(?:Error|Exception)\b|fatal\b|error\b)/i.test(l));
  const picked = errors.length > 0 ? errors[errors.length - 1]! : lines.slice(-3).join(' | ');
  return ` (stderr: ${picked.length > 300 ? `${picked.slice(0, 300)}…` : picked})`;
}

/** How many times one server is restarted after dying mid-run. */
export const MAX_RESTARTS = 3;

/**
 * The current session of one server, replaced by a fresh one when the server dies, so one
 * crashing tool does not end the testing of the others. Restarts are serialised and bounded.
 */
export class SessionHolder {
  restarts = 0;
  /** Set once a death of this server has been reported (later ones repeat the same story). */
  crashReported = false;
  /**
   * After a death with several requests in flight, calls go one at a time, so the next death
   * names its cause.
   */
  serial = false;
  /** A dead session whose cause was ambiguous, reported at the end unless a later death names it. */
  unattributed: Session | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Every session this server had, oldest first (stdout pollution is collected from all). */
  readonly all: Session[];
  private restarting: Promise<Session | undefined> | undefined;

  constructor(
    public current: Session,
    private readonly spec: ServerSpec,
    private readonly launch: LaunchOptions,
    private readonly callTimeoutMs: number,
  ) {
    this.all = [current];
  }

  /** Runs `fn` after every call queued before it (used in serial mode). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A live session replacing `dead`, or undefined when no more restarts are allowed or it fails. */
  async replace(dead: Session): Promise<Session | undefined> {
    if (this.current !== dead) return this.current;
    if (this.restarting) return this.restarting;
    // A server that died before answering a single call would only die again.
    if (this.restarts >= MAX_RESTARTS || dead.answered === 0 || this.launch.signal?.aborted) return undefined;
    this.restarts++;
    this.restarting = (async () => {
      await dead.close();
      const next = await Session.open(this.spec, this.launch);
      // Tracked before tools/list: a restarted server that dies right after initialize is still
      // closed (and its escaped children killed) at the end of the run.
      this.all.push(next);
      try {
        await next.listTools(this.callTimeoutMs, this.launch.signal);
      } catch (err) {
        await next.close();
        throw err;
      }
      this.current = next;
      return next;
    })()
      .catch(() => undefined)
      .finally(() => {
        this.restarting = undefined;
      });
    return this.restarting;
  }

  async close(): Promise<void> {
    await this.restarting;
    await Promise.all(this.all.map((s) => s.close()));
  }
}
