import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  argumentProbes,
  codeProbes,
  commandProbes,
  pathProbes,
  SQL_ERROR,
  sqlPairs,
  sqlQuoteBreaks,
  sqlUnionProbes,
  type Probe,
} from './payloads';
import { sampleObject, toolParams, wrongTypeValue, type ParamInfo } from './schema';
import { MAX_MESSAGE_BYTES } from './process';
import type { CallOutcome, Session, SessionHolder } from './session';
import type { CheckStatus, Evidence } from './types';
import { isInside, token, type LoopbackListener, type RunWorkspace } from './workspace';

/** What a check reports; the runner adds server, severity and source. */
export interface ReportInput {
  readonly tool: string | null;
  readonly param: string | null;
  readonly check: string;
  readonly status: CheckStatus;
  readonly confirmed?: boolean;
  readonly message: string;
  readonly evidence?: Evidence;
}

const OVERSIZE = /response larger than \d+ bytes was dropped by the harness/;

/** Shared by every tool of one server. */
export interface AttackContext {
  readonly sessions: SessionHolder;
  readonly ws: RunWorkspace;
  readonly listener: LoopbackListener;
  readonly callTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly roots: RootFinder;
  readonly report: (r: ReportInput) => void;
}

const DESTRUCTIVE_NAME = new Set(['delete', 'del', 'drop', 'remove', 'rm', 'write', 'send', 'pay', 'payment', 'transfer', 'destroy', 'truncate', 'purge', 'wipe', 'erase', 'kill', 'unlink', 'rmdir', 'email', 'post', 'publish', 'charge', 'refund', 'withdraw', 'overwrite']);
const DESTRUCTIVE_TEXT = /^\s*(?:permanently\s+)?(?:delete|drop|remove|write|send|pay|transfer|destroy|truncate|purge|wipe|erase|overwrite|publish|charge)s?\b|\b(?:permanently|irreversibl[ey])\b/i;

/** Why a tool must not be attacked without --include-destructive, or undefined when it may be. */
export function destructiveReason(tool: Pick<Tool, 'name' | 'description' | 'annotations'>): string | undefined {
  const words = tool.name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const hit = words.find((w) => DESTRUCTIVE_NAME.has(w));
  if (hit) return `its name says '${hit}'`;
  const m = DESTRUCTIVE_TEXT.exec(tool.description ?? '');
  if (m) return `its description says '${m[0].trim()}'`;
  if (tool.annotations?.destructiveHint === true && tool.annotations?.readOnlyHint !== true) return 'it is annotated destructiveHint';
  return undefined;
}

function clip(s: string, max = 600): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
}

/** The part of a response around the proving text. */
function excerptAround(text: string, needle: string): string {
  const i = needle ? text.indexOf(needle) : -1;
  if (i < 0) return clip(text);
  const start = Math.max(0, i - 200);
  const end = Math.min(text.length, i + needle.length + 200);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

function requestText(tool: string, args: Record<string, unknown>): string {
  return clip(JSON.stringify({ method: 'tools/call', params: { name: tool, arguments: args } }), 2000);
}

function escapeForJson(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** Response text with the sent value (and its JSON-escaped form) blanked, for differentials. */
function normalize(text: string, value: string): string {
  let t = text;
  for (const v of [value, escapeForJson(value)]) if (v) t = t.split(v).join('\u0000');
  return t.trim();
}

/** Where the sibling-prefix and symlink canaries may be planted. */
export type PlantPolicy =
  /** Nowhere (--no-plant). */
  | 'off'
  /** Only next to roots inside the run's temp folder (copies of roots named at launch): the default. */
  | 'run-dir'
  /** Also next to roots outside it (--plant-next-to-root): the only writes outside the run folder. */
  | 'anywhere';

/**
 * Root discovery for the sibling-prefix and symlink probes: absolute folders the server names in
 * its arguments, environment, descriptions and answers. Planting happens once per root, and
 * only where the policy allows: payloads never write outside the run's temp folder unless asked.
 */
export class RootFinder {
  private readonly candidates = new Set<string>();
  private readonly planted = new Map<string, ReturnType<RunWorkspace['plantNextTo']>>();
  /** Roots the server was started with a copy of, original first: named in notes. */
  readonly relocated: Array<{ from: string; to: string }> = [];
  /** Roots named at launch that were not copied, with the reason. */
  readonly notCopied = new Map<string, string>();

  constructor(
    private readonly ws: RunWorkspace,
    private readonly policy: PlantPolicy,
  ) {}

  /** Remembers absolute folders mentioned in `text`. */
  learn(text: string): void {
    for (const m of text.matchAll(/(?:^|[\s'"`(:=])(\/[A-Za-z0-9._\-/]+)/g)) {
      const p = path.normalize(m[1]!).replace(/\/+$/, '');
      this.consider(p);
    }
  }

  consider(p: string): void {
    if (this.candidates.size >= 8 || this.candidates.has(p)) return;
    if (/-mcpw[0-9a-f]{6}$/.test(p)) return; // a sibling the harness planted
    if (p.split('/').filter(Boolean).length < 2) return; // never '/', '/tmp', '/home'
    // The run folder holds the canaries themselves; only the root copies in it are roots.
    if (isInside(p, this.ws.dir) && !(isInside(p, this.ws.roots) && path.relative(this.ws.roots, p).split(path.sep).length >= 2)) return;
    if (/^\/(?:usr|bin|sbin|etc|proc|sys|dev|lib|lib64|var\/lib|opt\/homebrew)(?:\/|$)/.test(p)) return;
    try {
      if (fs.statSync(p).isDirectory()) this.candidates.add(p);
    } catch {
      // Not a folder.
    }
  }

  /**
   * Folders of the project the server's own words point at: a description saying "the notes
   * folder" next to a 'notes' directory in the server's working folder.
   */
  learnWords(text: string, cwd: string): void {
    for (const w of new Set(text.toLowerCase().match(/[a-z][a-z0-9_-]{2,30}/g) ?? [])) this.consider(path.join(cwd, w));
  }

  /** Planted files for every known root the policy allows (planting new roots on first use). */
  plants(): Array<{ root: string; sibling?: { file: string; content: string }; symlink?: { file: string } }> {
    if (this.policy === 'off') return [];
    const out = [];
    for (const root of this.candidates) {
      if (this.policy === 'run-dir' && !isInside(root, this.ws.roots)) continue;
      if (!this.planted.has(root)) this.planted.set(root, this.ws.plantNextTo(root));
      out.push({ root, ...this.planted.get(root)! });
    }
    return out;
  }

  /** Known roots outside the run folder that the policy kept the canaries away from. */
  unplantable(): string[] {
    if (this.policy !== 'run-dir') return [];
    return [...this.candidates].filter((r) => !isInside(r, this.ws.roots));
  }
}

/**
 * Reports the death of a session's server once, with the requests in flight when it died and
 * the end of its stderr as evidence.
 */
export function reportCrash(ctx: Pick<AttackContext, 'report' | 'sessions'>, session: Session): void {
  if (ctx.sessions.crashReported) return;
  ctx.sessions.crashReported = true;
  const suspects = session.inflightAtDeath;
  ctx.report({
    tool: null,
    param: null,
    check: 'server.survives',
    status: 'failed',
    confirmed: true,
    message:
      suspects.length === 0
        ? `The server ${session.process?.exitDescription ?? 'stopped'} between requests.`
        : `The server ${session.process?.exitDescription ?? 'stopped'} while answering ${suspects.length === 1 ? 'a tools/call request' : `one of ${suspects.length} tools/call requests`}.`,
    evidence: {
      request: suspects.map((r) => `tools/call ${r}`).join('\n') || 'tools/call',
      response: (session.process?.stderr ?? '').trim().slice(-1500) || 'no output on stderr',
    },
  });
}

/** Why the probing of one tool stopped early. */
class ToolStopped extends Error {}

/** Runs every protocol-free check of one tool: injection per free-form parameter, then input validation. */
export class ToolAttack {
  private readonly params: ParamInfo[];
  private readonly baseline: Record<string, unknown>;
  private consecutiveTimeouts = 0;
  /** Set when a call of this tool was the only request in flight when the server died. */
  private killedServer = false;

  constructor(
    private readonly ctx: AttackContext,
    private readonly tool: Tool,
  ) {
    this.params = toolParams(tool.inputSchema);
    this.baseline = sampleObject(tool.inputSchema, ctx.listener.url(`b${token(3)}`));
  }

  private async call(args: Record<string, unknown>): Promise<CallOutcome> {
    if (this.ctx.signal.aborted) throw new ToolStopped('the run was cancelled');
    const holder = this.ctx.sessions;
    let session = holder.current;
    const send = () => {
      session = holder.current;
      return session.call(this.tool.name, args, this.ctx.callTimeoutMs, this.ctx.signal);
    };
    const out = holder.serial ? await holder.exclusive(send) : await send();
    if (out.kind === 'dead') {
      // The stderr tail is the evidence: wait until it has drained.
      await session.settled();
      const suspects = session.inflightAtDeath;
      const mine = suspects.length === 1 && suspects[0]!.startsWith(`{"name":${JSON.stringify(this.tool.name)},`);
      if (mine) this.killedServer = true;
      if (mine) reportCrash(this.ctx, session);
      else if (suspects.length > 1) holder.unattributed ??= session;
      holder.serial = true;
      const next = await holder.replace(session);
      if (!next) {
        reportCrash(this.ctx, holder.unattributed ?? session);
        throw new ToolStopped(`the server ${session.process?.exitDescription ?? 'stopped'} and was not restarted again`);
      }
      // Carry on against the restarted server, unless this tool is what killed it.
      if (mine) throw new ToolStopped(`a call of tool '${this.tool.name}' killed the server`);
      return out;
    }
    // Each oversize answer costs seconds of piping; one is enough to stop probing this tool.
    if (out.kind === 'error' && OVERSIZE.test(out.text)) throw new ToolStopped(`its answer exceeded ${MAX_MESSAGE_BYTES} bytes`);
    if (out.kind === 'timeout') {
      if (++this.consecutiveTimeouts >= 2) throw new ToolStopped(`two calls in a row got no answer within ${this.ctx.callTimeoutMs} ms`);
    } else {
      this.consecutiveTimeouts = 0;
    }
    this.ctx.roots.learn(out.text);
    return out;
  }

  /** Arguments with `param` set to exactly `value` (validation probes). */
  private argsRaw(param: string, value: unknown): Record<string, unknown> {
    return { ...this.baseline, [param]: value };
  }

  private argsWith(param: string, value: unknown): Record<string, unknown> {
    // Payloads for an array of free-form strings go in as its only item.
    const inArray = typeof value === 'string' && this.params.find((p) => p.name === param)?.inArray === true;
    return { ...this.baseline, [param]: inArray ? [value] : value };
  }

  async run(): Promise<void> {
    const name = this.tool.name;
    const free = this.params.filter((p) => p.freeForm);
    const families = ['cmd.injection', 'cmd.argument-injection', 'code.injection', 'path.traversal', 'sql.injection', 'ssrf.loopback'];
    let control: CallOutcome;
    try {
      control = await this.call(this.baseline);
      if (control.kind === 'timeout') {
        throw new ToolStopped(`the control call got no answer within ${this.ctx.callTimeoutMs} ms`);
      }
    } catch (err) {
      const why = (err as Error).message;
      for (const p of free) for (const f of families) this.ctx.report({ tool: name, param: p.name, check: f, status: 'error', message: `Not run: ${why}.` });
      for (const c of ['input.wrong-type', 'input.oversize', 'input.unknown-field']) this.ctx.report({ tool: name, param: null, check: c, status: 'error', message: `Not run: ${why}.` });
      return;
    }
    for (const p of free) {
      let stoppedBy: string | undefined;
      let paramControl: CallOutcome | undefined;
      for (const family of families) {
        if (stoppedBy) {
          this.ctx.report({ tool: name, param: p.name, check: family, status: 'error', message: `Not run: ${stoppedBy}.` });
          continue;
        }
        try {
          // One control call per parameter: every family compares against the same answer.
          paramControl ??= await this.call(this.argsWith(p.name, this.controlValue(p)));
          await this.family(family, p, paramControl);
        } catch (err) {
          if (!(err instanceof ToolStopped)) throw err;
          stoppedBy = err.message;
          this.ctx.report({ tool: name, param: p.name, check: family, status: 'error', message: `Stopped: ${stoppedBy}.` });
        }
      }
      if (stoppedBy) {
        for (const c of ['input.wrong-type', 'input.oversize', 'input.unknown-field']) this.ctx.report({ tool: name, param: null, check: c, status: 'error', message: `Not run: ${stoppedBy}.` });
        return;
      }
    }
    for (const check of ['input.wrong-type', 'input.oversize', 'input.unknown-field'] as const) {
      try {
        await this.validation(check);
      } catch (err) {
        if (!(err instanceof ToolStopped)) throw err;
        this.ctx.report({ tool: name, param: null, check, status: 'error', message: `Stopped: ${err.message}.` });
      }
    }
  }

  /**
   * The neutral value every probe of a parameter builds on. 'localhost': a tool that treats it as
   * a host name (ping, DNS, fetch) stays on the loopback interface.
   */
  private controlValue(p: ParamInfo): string {
    const max = typeof p.schema.maxLength === 'number' ? p.schema.maxLength : Infinity;
    return 'localhost'.slice(0, Math.max(1, Math.min(9, max)));
  }

  private async family(family: string, p: ParamInfo, control: CallOutcome): Promise<void> {
    const base = this.controlValue(p);
    switch (family) {
      case 'cmd.injection':
        await this.probeAll(family, p, control, commandProbes(base, () => this.ctx.ws.markerPath()));
        return;
      case 'cmd.argument-injection':
        await this.probeAll(family, p, control, argumentProbes(() => this.ctx.ws.markerPath()));
        return;
      case 'code.injection':
        await this.probeAll(family, p, control, codeProbes());
        return;
      case 'path.traversal':
        return this.pathTraversal(p, control);
      case 'sql.injection':
        return this.sql(p, base, control);
      case 'ssrf.loopback':
        return this.ssrf(p);
    }
  }

  /** Sends probes until one's oracle fires; reports one result for the family. */
  private async probeAll(family: string, p: ParamInfo, control: CallOutcome, probes: Probe[], extraNote = '', sentBefore = 0): Promise<boolean> {
    const fileProbes: Array<{ probe: Probe; args: Record<string, unknown>; out: CallOutcome }> = [];
    for (const probe of probes) {
      const args = this.argsWith(p.name, probe.value);
      const out = await this.call(args);
      const proof = this.proven(probe, out, control);
      if (proof) {
        this.confirm(family, p, probe, args, proof);
        return true;
      }
      if (probe.oracle.kind === 'file') fileProbes.push({ probe, args, out });
    }
    // Commands started in the background may create their marker after the answer.
    for (const f of fileProbes) {
      if (f.probe.oracle.kind === 'file' && fs.existsSync(f.probe.oracle.path)) {
        this.confirm(family, p, f.probe, f.args, `marker file '${f.probe.oracle.path}' was created; response: ${clip(f.out.text, 300)}`);
        return true;
      }
    }
    this.ctx.report({
      tool: this.tool.name,
      param: p.name,
      check: family,
      status: 'passed',
      message: `${probes.length + sentBefore} probes of '${p.name}' proved nothing${extraNote}.`,
    });
    return false;
  }

  private proven(probe: Probe, out: CallOutcome, control: CallOutcome): string | undefined {
    const o = probe.oracle;
    if (o.kind === 'output') {
      // Never proof when the value itself or the control answer already holds the text.
      if (!o.text || probe.value.includes(o.text) || control.text.includes(o.text)) return undefined;
      return out.text.includes(o.text) ? excerptAround(out.text, o.text) : undefined;
    }
    if (o.kind === 'file') return fs.existsSync(o.path) ? `marker file '${o.path}' was created; response: ${clip(out.text, 300)}` : undefined;
    return this.ctx.listener.hit(o.id);
  }

  private confirm(family: string, p: ParamInfo, probe: Probe, args: Record<string, unknown>, response: string): void {
    const t = this.tool.name;
    const how = `${probe.label}${probe.oracle.kind === 'file' ? ', proven by a marker file' : ''}`;
    const message =
      family === 'cmd.injection'
        ? `Tool '${t}' ran a shell command injected into '${p.name}' (${how}).`
        : family === 'cmd.argument-injection'
          ? `Tool '${t}' passed '${p.name}' to a program that parsed it as an option (${how}).`
          : family === 'code.injection'
            ? `Tool '${t}' evaluated code given in '${p.name}' (${how}).`
            : family === 'path.traversal'
              ? `Tool '${t}' returned a canary file from outside its root for '${p.name}' (${how}).`
              : `Tool '${t}' was exploited through '${p.name}' (${how}).`;
    this.reportProven(family, p, message, args, response);
  }

  /** A confirmed failure of `check` on parameter `p`, with the request that proved it. */
  private reportProven(check: string, p: ParamInfo, message: string, args: Record<string, unknown>, response: string): void {
    this.ctx.report({
      tool: this.tool.name,
      param: p.name,
      check,
      status: 'failed',
      confirmed: true,
      message,
      evidence: { request: requestText(this.tool.name, args), response },
    });
  }

  private async pathTraversal(p: ParamInfo, control: CallOutcome): Promise<void> {
    const probes = pathProbes(this.ctx.ws.canaryFile, this.ctx.ws.canaryContent);
    // Errors of these first probes often name the root; learn it before planting next to it.
    for (const probe of probes) {
      const args = this.argsWith(p.name, probe.value);
      const out = await this.call(args);
      const proof = this.proven(probe, out, control);
      if (proof) return this.confirm('path.traversal', p, probe, args, proof);
    }
    const planted: Probe[] = [];
    for (const plant of this.ctx.roots.plants()) {
      if (plant.sibling) {
        const rel = `../${path.basename(plant.root)}${plant.sibling.file.slice(plant.root.length)}`;
        const oracle = { kind: 'output' as const, text: plant.sibling.content };
        planted.push({ label: `sibling directory sharing the root prefix ('${path.basename(plant.root)}-…')`, value: rel, oracle });
        planted.push({ label: `absolute path into a sibling directory sharing the root prefix`, value: plant.sibling.file, oracle });
      }
      if (plant.symlink) {
        const oracle = { kind: 'output' as const, text: this.ctx.ws.canaryContent };
        planted.push({ label: 'symlink inside the root pointing outside it', value: plant.symlink.file.slice(plant.root.length + 1), oracle });
        planted.push({ label: 'absolute path through a symlink inside the root', value: plant.symlink.file, oracle });
      }
    }
    await this.probeAll('path.traversal', p, control, planted, this.plantNote(planted.length > 0), probes.length);
  }

  /** Why the sibling and symlink probes did (not) run, for the path.traversal message. */
  private plantNote(planted: boolean): string {
    const roots = this.ctx.roots;
    const copies = roots.relocated.map((r) => `'${r.from}'`).join(', ');
    const copied = copies ? `; the server ran on a copy of ${copies} in the run's temp folder` : '';
    if (planted) return copied;
    const outside = roots.unplantable();
    if (outside.length > 0) {
      const named = outside.slice(0, 3).map((r) => `'${r}'${roots.notCopied.has(r) ? ` (not copied: ${roots.notCopied.get(r)!.replace(`'${r}' `, '')})` : ''}`);
      return `; the sibling-prefix and symlink probes were skipped: ${named.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside the run's temp folder, where payloads never write (--plant-next-to-root allows it)${copied}`;
    }
    return ` (no root found to plant the sibling and symlink canaries next to)${copied}`;
  }

  private async sql(p: ParamInfo, base: string, control: CallOutcome): Promise<void> {
    const family = 'sql.injection';
    for (const probe of sqlQuoteBreaks(base)) {
      const args = this.argsWith(p.name, probe.value);
      const out = await this.call(args);
      const m = SQL_ERROR.exec(out.text);
      if (m && !SQL_ERROR.test(control.text) && !SQL_ERROR.test(probe.value)) {
        this.reportProven(
          family,
          p,
          `A ${probe.label.replace(/^./, (c) => c.toLowerCase())} in '${p.name}' of tool '${this.tool.name}' produced database error text.`,
          args,
          excerptAround(out.text, m[0]),
        );
        return;
      }
    }
    const nc = normalize(control.text, base);
    for (const pair of sqlPairs(base)) {
      const ta = this.argsWith(p.name, pair.truthy);
      const rt = await this.call(ta);
      const rf = await this.call(this.argsWith(p.name, pair.falsy));
      const nt = normalize(rt.text, pair.truthy);
      const nf = normalize(rf.text, pair.falsy);
      if (rt.kind !== 'result' || rt.isError || nt === nf || nf !== nc || rt.text.length <= rf.text.length) continue;
      // A server whose answer changes by itself (timestamps, random ids) proves nothing.
      const again = await this.call(this.argsWith(p.name, base));
      if (normalize(again.text, base) !== nc) continue;
      this.reportProven(
        family,
        p,
        `A ${pair.label} in '${p.name}' of tool '${this.tool.name}' returned more than the control and its false twin.`,
        ta,
        `true: ${clip(rt.text, 400)}\nfalse (${JSON.stringify(pair.falsy)}): ${clip(rf.text, 200)}\ncontrol (${JSON.stringify(base)}): ${clip(control.text, 200)}`,
      );
      return;
    }
    await this.probeAll(family, p, control, sqlUnionProbes(base));
  }

  private async ssrf(p: ParamInfo): Promise<void> {
    const id = token(5);
    const probe: Probe = { label: 'loopback URL', value: this.ctx.listener.url(id), oracle: { kind: 'listener', id } };
    const args = this.argsWith(p.name, probe.value);
    const out = await this.call(args);
    // Some servers fetch after answering; give them a moment, bounded.
    const hit = this.ctx.listener.hit(id) ?? (await this.ctx.listener.waitFor(id, out.kind === 'result' ? 250 : 50));
    if (hit) {
      this.reportProven(
        'ssrf.loopback',
        p,
        `Tool '${this.tool.name}' fetched the harness's loopback URL given in '${p.name}'.`,
        args,
        `listener received: ${hit}; tool answered: ${clip(out.text, 300)}`,
      );
      return;
    }
    this.ctx.report({ tool: this.tool.name, param: p.name, check: 'ssrf.loopback', status: 'passed', message: `The loopback URL in '${p.name}' was not fetched.` });
  }

  private async validation(check: 'input.wrong-type' | 'input.oversize' | 'input.unknown-field'): Promise<void> {
    const name = this.tool.name;
    const refused = (o: CallOutcome) => o.kind === 'error' || o.isError;
    if (check === 'input.wrong-type') {
      const typed = this.params.filter((p) => wrongTypeValue(p) !== undefined);
      if (typed.length === 0) {
        this.ctx.report({ tool: name, param: null, check, status: 'skipped', message: `Tool '${name}' declares no typed parameters.` });
        return;
      }
      for (const p of typed) {
        const args = this.argsRaw(p.name, wrongTypeValue(p));
        const out = await this.call(args);
        if (!refused(out) && out.kind === 'result') {
          this.reportProven(check, p, `Tool '${name}' accepted a ${typeof wrongTypeValue(p)} for its ${p.type} parameter '${p.name}'.`, args, clip(out.text));
          return;
        }
      }
      this.ctx.report({ tool: name, param: null, check, status: 'passed', message: `Tool '${name}' refused wrong types for ${typed.length} parameter${typed.length === 1 ? '' : 's'}.` });
      return;
    }
    if (check === 'input.oversize') {
      const p = this.params.find((x) => x.type === 'string');
      if (!p) {
        this.ctx.report({ tool: name, param: null, check, status: 'skipped', message: `Tool '${name}' has no string parameter.` });
        return;
      }
      const declared = typeof p.schema.maxLength === 'number' ? p.schema.maxLength : undefined;
      const size = Math.max(1024 * 1024, (declared ?? 0) + 1);
      const args = this.argsRaw(p.name, 'A'.repeat(size));
      const shown = { ...args, [p.name]: `<${size} × 'A'>` };
      const before = this.killedServer;
      let out: CallOutcome | undefined;
      try {
        out = await this.call(args);
      } catch (err) {
        // Only a death this call caused is proof; any other stop is reported as such.
        if (!(err instanceof ToolStopped) || this.killedServer === before) throw err;
      }
      if (this.killedServer !== before || !out) {
        this.reportProven(check, p, `Tool '${name}' stopped the server when '${p.name}' held ${size} characters.`, shown, 'no answer; the server died while handling this call alone');
        return;
      }
      if (out.kind === 'dead') {
        this.ctx.report({ tool: name, param: p.name, check, status: 'error', message: `Not run: the server died while other calls were in flight (${out.text}).` });
        return;
      }
      if (!(await this.ctx.sessions.current.ping(this.ctx.callTimeoutMs, this.ctx.signal))) {
        if (this.ctx.signal.aborted) throw new ToolStopped('the run was cancelled');
        this.reportProven(check, p, `Tool '${name}' stopped the server when '${p.name}' held ${size} characters.`, shown, `${clip(out.text)}\nthen no answer to ping; the server is gone or unresponsive`);
        return;
      }
      if (declared !== undefined && !refused(out)) {
        this.reportProven(check, p, `Tool '${name}' accepted ${size} characters in '${p.name}' although its schema sets maxLength ${declared}.`, shown, clip(out.text));
        return;
      }
      this.ctx.report({
        tool: name,
        param: p.name,
        check,
        status: 'passed',
        message: declared !== undefined ? `Tool '${name}' refused ${size} characters in '${p.name}'.` : `Tool '${name}' survived ${size} characters in '${p.name}' (its schema sets no maxLength).`,
      });
      return;
    }
    const schema = (this.tool.inputSchema ?? {}) as Record<string, unknown>;
    if (schema.additionalProperties !== false) {
      this.ctx.report({ tool: name, param: null, check, status: 'skipped', message: `The schema of tool '${name}' allows additional properties.` });
      return;
    }
    const args = { ...this.baseline, [`mcpw_unknown_${token(2)}`]: 'x' };
    const out = await this.call(args);
    if (!refused(out) && out.kind === 'result') {
      this.ctx.report({
        tool: name,
        param: null,
        check,
        status: 'failed',
        confirmed: true,
        message: `Tool '${name}' accepted an argument its schema forbids with 'additionalProperties: false'.`,
        evidence: { request: requestText(name, args), response: clip(out.text) },
      });
      return;
    }
    this.ctx.report({ tool: name, param: null, check, status: 'passed', message: `Tool '${name}' refused an undeclared argument.` });
  }
}
