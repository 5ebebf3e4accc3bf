import { EventEmitter, setMaxListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { destructiveReason, reportCrash, RootFinder, ToolAttack, type PlantPolicy, type ReportInput } from './attacks';
import { failOpen, runHttpChecks } from './http-checks';
import { diffLock, LOCK_FILE, updateLock } from './lock';
import { scanDescription } from './poisoning';
import { installExitHook, raceTimeout } from './process';
import { requirement } from './requirements';
import { toolParams } from './schema';
import { errorText, Session, SessionHolder, StartError } from './session';
import { ToolSourceIndex } from './source';
import type { CheckResult, HarnessEvent, HarnessOptions, HarnessReport, HarnessSummary, ServerReport, ServerSpec, ToolSummary } from './types';
import { isInside, LoopbackListener, RunWorkspace } from './workspace';
import { HARNESS_VERSION as TOOL_VERSION } from './version';
import { ProcessTransport } from './process';

const TOOL_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const INJECTION_FAMILIES = ['cmd.injection', 'cmd.argument-injection', 'code.injection', 'path.traversal', 'sql.injection', 'ssrf.loopback'];

/** Exit codes of the CLI contract for `harness`. */
export const HARNESS_EXIT = { ok: 0, confirmed: 1, couldNotRun: 2 } as const;

/** What the runner knows of one server while it runs: enough to end its report at any moment. */
interface ServerState {
  /** Ends the server's report once (later calls return the first report). */
  end?: (status: ServerReport['status'], error?: string) => ServerReport;
  info?: ServerReport['serverInfo'];
}

/**
 * How long before the run's deadline the runner cancels everything (requests, waits, restarts),
 * so an orderly end (reports, kills) fits inside the timeout.
 */
function graceOf(runTimeoutMs: number): number {
  return Math.min(3000, Math.max(100, Math.floor(runTimeoutMs / 5)));
}

const SCRIPT = /\.(?:[cm]?[jt]sx?|py)$/;

/**
 * A copy of `spec` whose root folders (arguments after the server's script, explicit environment
 * values) point at copies inside the run folder, so the sibling-prefix and symlink canaries can
 * be planted next to them without writing anywhere else. Folders that are not small data folders
 * stay as they are, with the reason in `roots.notCopied`.
 */
function relocateRoots(spec: ServerSpec, ws: RunWorkspace, cwd: string, roots: RootFinder): ServerSpec {
  const base = spec.cwd ?? cwd;
  const args = [...(spec.args ?? [])];
  const scriptAt = args.findIndex((a) => SCRIPT.test(a) && fs.existsSync(path.resolve(base, a)));
  const keepOut = [base, ...args.filter((a) => SCRIPT.test(a)).map((a) => path.resolve(base, a))];
  const copies = new Map<string, string | undefined>();
  const move = (value: string, absoluteOnly: boolean): string => {
    if (absoluteOnly && !path.isAbsolute(value)) return value;
    const dir = path.resolve(base, value);
    if (dir.split(path.sep).filter(Boolean).length < 2 || isInside(dir, ws.dir)) return value;
    try {
      if (!fs.statSync(dir).isDirectory()) return value;
    } catch {
      return value;
    }
    if (!copies.has(dir)) {
      const r = ws.relocate(dir, keepOut);
      if ('copy' in r) {
        roots.relocated.push({ from: dir, to: r.copy });
        roots.consider(r.copy);
      } else {
        roots.notCopied.set(dir, r.skipped);
      }
      copies.set(dir, 'copy' in r ? r.copy : undefined);
    }
    return copies.get(dir) ?? value;
  };
  // Only the server's own arguments: a folder given to the interpreter or launcher (uv --directory)
  // is its project, not a root.
  if (scriptAt >= 0) {
    for (let i = scriptAt + 1; i < args.length; i++) {
      const a = args[i]!;
      const eq = /^(--?[\w-]+=)(.+)$/.exec(a);
      if (eq) args[i] = eq[1]! + move(eq[2]!, false);
      else if (!a.startsWith('-')) args[i] = move(a, false);
    }
  }
  const env = spec.env ? Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, move(v, true)])) : undefined;
  return { ...spec, args, ...(env ? { env } : {}) };
}

/** Runs `jobs` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await job(item);
    }
  });
  await Promise.all(workers);
}

/**
 * One validator per draft for the whole process: building an Ajv instance compiles its
 * meta-schemas (tens of milliseconds of synchronous work), which per tool blocked the event loop
 * for seconds on a server with many tools and timed out requests of concurrent runs.
 */
let validators: { draft7: Ajv; draft2020: Ajv2020 } | undefined;

function compileError(schema: unknown): string | undefined {
  const s = { ...(schema as Record<string, unknown>) };
  const draft = typeof s.$schema === 'string' ? s.$schema : '';
  delete s.$schema;
  validators ??= { draft7: new Ajv({ strict: false }), draft2020: new Ajv2020({ strict: false }) };
  const { draft7, draft2020 } = validators;
  const errors: string[] = [];
  for (const ajv of draft.includes('2020-12') ? [draft2020, draft7] : [draft7, draft2020]) {
    try {
      ajv.compile(s);
      return undefined;
    } catch (err) {
      errors.push(errorText(err));
    } finally {
      // Forget the tool's schema (meta-schemas stay): two tools may use the same $id.
      ajv.removeSchema();
    }
  }
  return errors[0];
}

/** Whether confirmed failures in `results` make the run exit 1. */
function failing(r: CheckResult): boolean {
  return r.status === 'failed' && r.confirmed && r.severity !== 'note';
}

function summarize(servers: readonly ServerReport[]): HarnessSummary {
  const all = servers.flatMap((s) => s.results);
  return {
    checks: all.length,
    passed: all.filter((r) => r.status === 'passed').length,
    failed: all.filter((r) => r.status === 'failed').length,
    confirmed: all.filter((r) => r.status === 'failed' && r.confirmed).length,
    skipped: all.filter((r) => r.status === 'skipped').length,
    errors: all.filter((r) => r.status === 'error').length,
  };
}

/** The exit code of a report: 2 if a server could not run, else 1 if anything was confirmed. */
export function exitCodeOf(servers: readonly ServerReport[]): number {
  if (servers.length === 0 || servers.some((s) => s.status !== 'ok')) return HARNESS_EXIT.couldNotRun;
  return servers.some((s) => s.results.some(failing)) ? HARNESS_EXIT.confirmed : HARNESS_EXIT.ok;
}

/**
 * One harness run over one or more servers. Emits `event` for every HarnessEvent (contract 6)
 * and can be iterated asynchronously; `run()` resolves with the final report and never rejects
 * for server misbehaviour. Cancel with `options.signal`.
 */
export class HarnessRun extends EventEmitter {
  private readonly queue: HarnessEvent[] = [];
  private readonly wake = new Set<() => void>();
  private ended = false;
  private started: Promise<HarnessReport> | undefined;

  constructor(private readonly options: HarnessOptions) {
    super();
  }

  private emitEvent(e: HarnessEvent): void {
    // Work abandoned at the run's deadline may still try to report: run-end is the last event.
    if (this.queue.at(-1)?.type === 'run-end') return;
    this.queue.push(e);
    for (const w of this.wake) w();
    this.wake.clear();
    this.emit('event', e);
  }

  /** Every event of the run in order, ending after run-end. Starts the run if needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<HarnessEvent> {
    void this.run();
    let i = 0;
    for (;;) {
      while (i < this.queue.length) {
        const e = this.queue[i++]!;
        yield e;
        if (e.type === 'run-end') return;
      }
      if (this.ended && i >= this.queue.length) return;
      await new Promise<void>((resolve) => this.wake.add(resolve));
    }
  }

  /** Starts the run (once) and resolves with its report. */
  run(): Promise<HarnessReport> {
    this.started ??= this.execute().finally(() => {
      this.ended = true;
      for (const w of this.wake) w();
    });
    return this.started;
  }

  private async execute(): Promise<HarnessReport> {
    installExitHook();
    const o = this.options;
    const startedAt = new Date();
    const controller = new AbortController();
    // Every in-flight request listens on the run's signal.
    setMaxListeners(0, controller.signal);
    const onAbort = () => controller.abort(o.signal?.reason);
    if (o.signal?.aborted) controller.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const runTimeoutMs = o.runTimeoutMs ?? 120_000;
    const outOfTime = new Error(`the run did not finish within its timeout of ${runTimeoutMs} ms`);
    // First cancel everything that listens to the signal, a little before the deadline...
    const softTimer = setTimeout(() => controller.abort(outOfTime), runTimeoutMs - graceOf(runTimeoutMs));
    // ...then, at the deadline, stop waiting for whatever did not listen: the run ends regardless.
    let hardTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => (hardTimer = setTimeout(() => resolve(undefined), runTimeoutMs)));
    const ws = new RunWorkspace();
    const listener = new LoopbackListener();
    const sources = new ToolSourceIndex([o.cwd]);
    const reports: ServerReport[] = [];
    this.emitEvent({ type: 'run-start', servers: o.servers.map((s) => s.name) });
    try {
      await listener.start();
      for (const spec of o.servers) {
        const state: ServerState = {};
        const work = this.runServer(spec, state, ws, listener, sources, controller.signal);
        const done = await Promise.race([work, deadline]);
        if (done) {
          reports.push(done);
          continue;
        }
        // Something did not honour the signal: kill every process of the run and end its report
        // with what it has. The stale work finds the signal aborted and the workspace closed.
        void work.catch(() => undefined);
        controller.abort(outOfTime);
        await this.teardown(ws);
        reports.push(state.end!('aborted', `${outOfTime.message}; its processes were killed`));
        for (const rest of o.servers.slice(o.servers.indexOf(spec) + 1)) {
          this.emitEvent({ type: 'server-start', server: rest.name, transport: rest.transport });
          this.emitEvent({ type: 'server-end', server: rest.name, status: 'aborted', error: outOfTime.message, durationMs: 0 });
          reports.push({ name: rest.name, transport: rest.transport, status: 'aborted', error: outOfTime.message, tools: [], results: [], durationMs: 0 });
        }
        break;
      }
    } finally {
      clearTimeout(softTimer);
      clearTimeout(hardTimer);
      o.signal?.removeEventListener('abort', onAbort);
      await listener.stop();
      await this.teardown(ws);
      ws.cleanup();
    }
    const exitCode = exitCodeOf(reports);
    const report: HarnessReport = {
      tool: { name: 'mcp-warden', version: TOOL_VERSION },
      cwd: o.cwd,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      exitCode,
      servers: reports,
      summary: summarize(reports),
    };
    this.emitEvent({ type: 'run-end', exitCode, report });
    return report;
  }

  /** Kills every process the run started (SIGKILL, no grace) and starts nothing more. */
  private async teardown(ws: RunWorkspace): Promise<void> {
    ws.closed = true;
    await raceTimeout(Promise.all([...ws.processes].map((p) => p.kill(0))), 3000);
  }

  private async runServer(spec: ServerSpec, state: ServerState, ws: RunWorkspace, listener: LoopbackListener, sources: ToolSourceIndex, signal: AbortSignal): Promise<ServerReport> {
    const o = this.options;
    const started = Date.now();
    const callTimeoutMs = o.callTimeoutMs ?? 5000;
    const startTimeoutMs = o.startTimeoutMs ?? 15_000;
    const results: CheckResult[] = [];
    const tools: ToolSummary[] = [];
    // The entry file of the server, then its folder: where its tools are most likely registered.
    const prefer = [spec.command ?? '', ...(spec.args ?? [])]
      .map((a) => path.resolve(spec.cwd ?? o.cwd, a))
      .filter((f) => /\.(?:[cm]?[jt]sx?|py)$/.test(f) && fs.existsSync(f))
      .flatMap((f) => [f, path.dirname(f)]);
    const findSource = (tool: string) => sources.find(tool, prefer);
    let ended: ServerReport | undefined;
    const report = (r: ReportInput): void => {
      // After the run's deadline ended this report, late results of the stale work are dropped.
      if (ended) return;
      const req = requirement(r.check);
      const result: CheckResult = {
        server: spec.name,
        tool: r.tool,
        param: r.param,
        check: r.check,
        status: r.status,
        confirmed: r.status === 'failed' && r.confirmed === true,
        severity: req.severity,
        message: r.message,
        ...(r.evidence ? { evidence: r.evidence } : {}),
      };
      if (r.tool) {
        const src = findSource(r.tool);
        if (src) result.source = src;
      }
      results.push(result);
      this.emitEvent({ type: 'check', ...result });
    };
    const end = (status: ServerReport['status'], error?: string, serverInfo = state.info): ServerReport => {
      if (ended) return ended;
      const durationMs = Date.now() - started;
      this.emitEvent({ type: 'server-end', server: spec.name, status, ...(error ? { error } : {}), durationMs });
      const entry = prefer[0] ?? spec.configFile;
      const location = entry ? { file: entry, line: 1 } : undefined;
      ended = { name: spec.name, transport: spec.transport, status, ...(error ? { error } : {}), ...(serverInfo ? { serverInfo } : {}), tools: [...tools], results: [...results], ...(location ? { location } : {}), durationMs };
      return ended;
    };
    state.end = end;
    const policy: PlantPolicy = o.plantNextToRoot === false ? 'off' : o.plantOutsideTempDir ? 'anywhere' : 'run-dir';
    const roots = new RootFinder(ws, policy);

    this.emitEvent({ type: 'server-start', server: spec.name, transport: spec.transport });
    if (signal.aborted) return end('aborted', `not started: ${errorText(signal.reason ?? 'cancelled')}`);
    if (spec.unsupported) {
      report({ tool: null, param: null, check: 'protocol.initialize', status: 'error', message: `Not run: ${spec.unsupported}.` });
      return end('not-started', spec.unsupported);
    }
    const launch = { workspace: ws, env: o.env ?? process.env, cwd: spec.cwd ?? o.cwd, startTimeoutMs, signal };
    // By default the server runs on copies of the root folders it is given, so the canaries
    // planted next to a root stay inside the run folder.
    const runSpec = policy === 'run-dir' ? relocateRoots(spec, ws, o.cwd, roots) : spec;
    let session: Session;
    try {
      session = await Session.open(runSpec, launch);
    } catch (err) {
      const message = err instanceof StartError ? err.message : `could not start: ${errorText(err)}`;
      report({ tool: null, param: null, check: 'protocol.initialize', status: 'error', message: `${message}.`.replace(/\.\.$/, '.') });
      return end(signal.aborted ? 'aborted' : 'not-started', message);
    }
    const sessions = new SessionHolder(session, runSpec, launch, callTimeoutMs);
    const serverInfo = session.client.getServerVersion();
    const info = serverInfo ? { name: serverInfo.name, version: serverInfo.version } : undefined;
    state.info = info;
    try {
      report({ tool: null, param: null, check: 'protocol.initialize', status: 'passed', message: `initialize answered (${info ? `${info.name} ${info.version}` : 'no serverInfo'}).` });
      let list: Tool[];
      try {
        list = await session.listTools(callTimeoutMs, signal);
        report({ tool: null, param: null, check: 'protocol.tools-list', status: 'passed', message: `tools/list returned ${list.length} tool${list.length === 1 ? '' : 's'}.` });
      } catch (err) {
        report({ tool: null, param: null, check: 'protocol.tools-list', status: 'error', message: `tools/list failed: ${errorText(err)}.` });
        return end(signal.aborted ? 'aborted' : 'not-started', `tools/list failed: ${errorText(err)}`, info);
      }

      if (o.tools?.length) {
        const missing = o.tools.filter((n) => !list.some((t) => t.name === n));
        if (missing.length > 0) {
          const message = `the server has no tool named ${missing.map((n) => `'${n}'`).join(', ')}`;
          report({ tool: null, param: null, check: 'protocol.tools-list', status: 'error', message: `Not run: ${message}.` });
          return end('not-started', message, info);
        }
        list = list.filter((t) => o.tools!.includes(t.name));
      }
      await this.staticToolChecks(list, report);
      if (!o.tools?.length) this.lockCheck(spec, list, report);

      for (const a of runSpec.args ?? []) roots.consider(a.startsWith('/') ? a : `${spec.cwd ?? o.cwd}/${a}`);
      for (const v of Object.values(runSpec.env ?? {})) roots.consider(v);
      for (const t of list) {
        const words = `${t.description ?? ''} ${JSON.stringify(t.inputSchema)}`;
        roots.learn(words);
        roots.learnWords(words, spec.cwd ?? o.cwd);
      }
      const ctx = { sessions, ws, listener, callTimeoutMs, signal, roots, report };
      const attackable: Tool[] = [];
      for (const t of list) {
        const params = toolParams(t.inputSchema).map((p) => p.name);
        const why = o.includeDestructive ? undefined : destructiveReason(t);
        const src = findSource(t.name);
        tools.push({ name: t.name, description: t.description ?? '', params, ...(why ? { skipped: `not attacked: ${why}` } : {}), ...(src ? { source: src } : {}) });
        this.emitEvent({ type: 'tool', server: spec.name, tool: t.name, params, ...(why ? { skipped: `not attacked: ${why}` } : {}) });
        if (why) {
          for (const f of INJECTION_FAMILIES) report({ tool: t.name, param: null, check: f, status: 'skipped', message: `Tool '${t.name}' was not attacked because ${why} (use --include-destructive).` });
        } else {
          attackable.push(t);
        }
      }
      const httpCtx = { spec: runSpec, session, launch, callTimeoutMs, burstSize: o.burstSize ?? 100, report, signal };
      // The fail-open restart is a second server process: start it while the first is attacked.
      const failOpenDone =
        spec.transport === 'http'
          ? failOpen(httpCtx).catch((err: unknown) => report({ tool: null, param: null, check: 'http.auth.fail-open', status: 'error', message: `Not run: ${errorText(err)}.` }))
          : Promise.resolve();
      await pool(attackable, o.concurrency ?? 4, async (t) => {
        if (signal.aborted) return;
        await new ToolAttack(ctx, t).run();
      });
      if (spec.transport === 'http' && !signal.aborted) await runHttpChecks({ ...httpCtx, session: sessions.current });
      await failOpenDone;
      const transports = sessions.all.map((x) => x.transport).filter((t): t is ProcessTransport => t instanceof ProcessTransport);
      if (transports.length > 0) this.pollutionCheck(transports, report);
      if (signal.aborted) return end('aborted', errorText(signal.reason ?? 'cancelled'), info);
      if (sessions.unattributed) reportCrash({ report, sessions }, sessions.unattributed);
      const last = sessions.current;
      const alive = await last.ping(callTimeoutMs, signal);
      if (signal.aborted) return end('aborted', errorText(signal.reason ?? 'cancelled'), info);
      if (!alive && last.process?.hasExited) {
        await last.settled();
        reportCrash({ report, sessions }, last);
      } else if (!alive) {
        report({ tool: null, param: null, check: 'server.survives', status: 'failed', confirmed: true, message: 'The server stopped answering ping during the run.', evidence: { request: 'ping', response: 'no answer' } });
      } else if (!sessions.crashReported) {
        report({ tool: null, param: null, check: 'server.survives', status: 'passed', message: 'The server answered ping after the run.' });
      }
      return end('ok', undefined, info);
    } catch (err) {
      return end(signal.aborted ? 'aborted' : 'not-started', `internal error: ${errorText(err)}`, info);
    } finally {
      await sessions.close();
    }
  }

  private async staticToolChecks(list: readonly Tool[], report: (r: ReportInput) => void): Promise<void> {
    const seen = new Set<string>();
    for (const t of list) {
      // Compiling a schema takes milliseconds: between tools, let the timers and answers of
      // other runs in the process through (a server may list hundreds of tools).
      await new Promise((resolve) => setImmediate(resolve));
      const dup = seen.has(t.name);
      seen.add(t.name);
      const badName = !TOOL_NAME.test(t.name);
      report({
        tool: t.name,
        param: null,
        check: 'protocol.tool-name',
        status: badName || dup ? 'failed' : 'passed',
        confirmed: badName || dup,
        message: dup ? `Two tools are named '${t.name}'.` : badName ? `Tool name '${t.name}' does not match '^[A-Za-z0-9._-]{1,128}$'.` : `Tool name '${t.name}' is valid.`,
        ...(badName || dup ? { evidence: { request: 'tools/list', response: JSON.stringify(t.name) } } : {}),
      });
      const schema = t.inputSchema as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const problem =
        schema.type !== 'object'
          ? `has type ${JSON.stringify(schema.type)} instead of 'object'`
          : required.find((r) => !(r in props))
            ? `requires '${required.find((r) => !(r in props))}', which it does not declare`
            : compileError(schema);
      report({
        tool: t.name,
        param: null,
        check: 'protocol.tool-schema',
        status: problem ? 'failed' : 'passed',
        confirmed: !!problem,
        message: problem ? `The inputSchema of tool '${t.name}' ${problem}.` : `The inputSchema of tool '${t.name}' is a valid object schema.`,
        ...(problem ? { evidence: { request: 'tools/list', response: JSON.stringify(t.inputSchema).slice(0, 1000) } } : {}),
      });
      const texts = [t.description ?? '', ...Object.values(props).map((p) => String((p as { description?: unknown })?.description ?? ''))];
      const hits = texts.flatMap(scanDescription);
      report({
        tool: t.name,
        param: null,
        check: 'protocol.description-poisoning',
        status: hits.length > 0 ? 'failed' : 'passed',
        confirmed: hits.length > 0,
        message:
          hits.length > 0
            ? `The live description of tool '${t.name}' holds ${[...new Set(hits.map((h) => h.kind))].join(', ')} phrasing.`
            : `The live description of tool '${t.name}' holds no poisoning phrases.`,
        ...(hits.length > 0 ? { evidence: { request: 'tools/list', response: hits.map((h) => `${h.kind}: ${h.excerpt}`).join('\n') } } : {}),
      });
    }
  }

  private lockCheck(spec: ServerSpec, list: readonly Tool[], report: (r: ReportInput) => void): void {
    const o = this.options;
    if (o.updateLock) {
      const file = updateLock(o.cwd, spec.name, list);
      report({ tool: null, param: null, check: 'protocol.lock-drift', status: 'passed', message: `Recorded ${list.length} tools in '${file}'.` });
      return;
    }
    const diff = diffLock(o.cwd, spec.name, list);
    if (diff.status === 'drift') {
      report({
        tool: null,
        param: null,
        check: 'protocol.lock-drift',
        status: 'failed',
        confirmed: true,
        message: `The live tools differ from ${LOCK_FILE} in ${diff.changes.length} place${diff.changes.length === 1 ? '' : 's'}.`,
        evidence: { request: 'tools/list', response: diff.changes.join('\n') },
      });
    } else if (diff.status === 'no-lock' || diff.status === 'no-entry') {
      report({
        tool: null,
        param: null,
        check: 'protocol.lock-drift',
        status: 'skipped',
        message: diff.status === 'no-lock' ? `No ${LOCK_FILE} in the project (write one with --update-lock).` : `${LOCK_FILE} has no entry for server '${spec.name}'.`,
      });
    } else {
      report({ tool: null, param: null, check: 'protocol.lock-drift', status: 'passed', message: `The live tools match ${LOCK_FILE}.` });
    }
  }

  private pollutionCheck(all: readonly ProcessTransport[], report: (r: ReportInput) => void): void {
    const t = { pollutionCount: all.reduce((n, x) => n + x.pollutionCount, 0), pollution: all.flatMap((x) => x.pollution).slice(0, 5) };
    if (t.pollutionCount === 0) {
      report({ tool: null, param: null, check: 'stdio.stdout-pollution', status: 'passed', message: 'Every stdout line was a JSON-RPC message.' });
      return;
    }
    report({
      tool: null,
      param: null,
      check: 'stdio.stdout-pollution',
      status: 'failed',
      confirmed: true,
      message: `The server wrote ${t.pollutionCount} line${t.pollutionCount === 1 ? '' : 's'} to stdout that ${t.pollutionCount === 1 ? 'is' : 'are'} not JSON-RPC.`,
      evidence: { request: 'stdout', response: t.pollution.join('\n') },
    });
  }
}

/** Runs the harness and resolves with the report; `onEvent` sees every event. */
export async function runHarness(options: HarnessOptions, onEvent?: (e: HarnessEvent) => void): Promise<HarnessReport> {
  const run = new HarnessRun(options);
  if (onEvent) run.on('event', onEvent);
  return run.run();
}
