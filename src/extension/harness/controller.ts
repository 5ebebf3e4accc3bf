import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfirmedFlaw, ToolSite } from '../../server/protocol';
import type { WardenClient } from '../client';
import { requireTrust } from '../trust';
import { resolveReport, resolveSource, type CheckEvent, type CheckStatus, type HarnessEvent, type HarnessReport } from './events';
import { runHarnessProcess } from './process';
import { harnessTargets, type ConfiguredServer, type HarnessTarget } from './servers';

/** What one harness run produced (returned by the commands; tests read it). */
export interface HarnessRunSummary {
  readonly targets: number;
  readonly checks: number;
  readonly failed: number;
  readonly confirmed: number;
  readonly cancelled: boolean;
  /** Targets that could not run, with the reason. */
  readonly errors: readonly string[];
}

interface HarnessSettings {
  readonly timeoutSeconds: number;
  readonly includeDestructive: boolean;
  readonly servers: readonly ConfiguredServer[];
}

function harnessSettings(folder: string | undefined): HarnessSettings {
  const c = vscode.workspace.getConfiguration('mcpWarden.harness', folder ? vscode.Uri.file(folder) : undefined);
  return {
    timeoutSeconds: Math.max(5, c.get<number>('timeoutSeconds', 120)),
    includeDestructive: c.get<boolean>('includeDestructive', false),
    servers: c.get<ConfiguredServer[]>('servers', []),
  };
}

function workspaceFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** Every harness target of the open workspace folders. */
export function currentTargets(): HarnessTarget[] {
  return harnessTargets(workspaceFolders(), (folder) => harnessSettings(folder).servers);
}

const SERVER_PREFIX = 'server:';

/**
 * Runs the harness CLI and shows its results in the Testing view (server > tool > check), each
 * item re-runnable, and tells the language server which flaws were proven.
 */
export class HarnessController implements vscode.Disposable {
  readonly controller: vscode.TestController;
  /** How to re-run each server item (keyed by item id). */
  private readonly targetOf = new Map<string, HarnessTarget>();
  /** Last status per item id, as shown in the Testing view. */
  readonly states = new Map<string, CheckStatus>();
  /** Reports of the last run, one per CLI process. */
  reports: HarnessReport[] = [];
  private readonly confirmedByServer = new Map<string, { confirmed: ConfirmedFlaw[]; tools: ToolSite[] }>();
  private readonly reportEmitter = new vscode.EventEmitter<readonly HarnessReport[]>();
  /** Fires after each run with its reports. */
  readonly onDidReport = this.reportEmitter.event;
  private running: Promise<HarnessRunSummary> | undefined;
  private abort: AbortController | undefined;
  private readonly eventEmitter = new vscode.EventEmitter<HarnessEvent>();
  /** Every event of the CLI as it arrives (sources made absolute). */
  readonly onDidEvent = this.eventEmitter.event;

  constructor(
    private readonly cli: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly client: WardenClient,
  ) {
    this.controller = vscode.tests.createTestController('mcpWarden.harness', 'MCP Warden Harness');
    this.controller.resolveHandler = async (item) => {
      if (!item) this.refreshTargets();
    };
    this.controller.refreshHandler = () => this.refreshTargets();
    this.controller.createRunProfile(
      'Run security harness',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.runRequest(request, token).then(() => undefined),
      true,
    );
  }

  /** Shows every known server as a top-level item, before any run. */
  refreshTargets(): void {
    for (const t of currentTargets()) this.serverItem(t, t.named ? t.label : undefined);
  }

  private serverItem(target: HarnessTarget, name: string | undefined): vscode.TestItem {
    const label = name ?? target.label;
    const id = `${SERVER_PREFIX}${target.folder}::${label}`;
    let item = this.controller.items.get(id);
    if (!item) {
      const mcpJson = path.join(target.folder, '.vscode', 'mcp.json');
      item = this.controller.createTestItem(id, label, target.args.includes(mcpJson) ? vscode.Uri.file(mcpJson) : undefined);
      item.description = path.basename(target.folder);
      this.controller.items.add(item);
    }
    // A discovered server is re-run by name.
    this.targetOf.set(id, target.named || !name ? target : { ...target, label: name, args: [...target.args, '--server', name], named: true });
    return item;
  }

  private child(parent: vscode.TestItem, id: string, label: string, source?: { file: string; line: number }): vscode.TestItem {
    let item = parent.children.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, label, source ? vscode.Uri.file(source.file) : undefined);
      parent.children.add(item);
    }
    if (source && !item.range) {
      const line = Math.max(0, source.line - 1);
      item.range = new vscode.Range(line, 0, line, 0);
    }
    return item;
  }

  /** Cancels the run in progress, as its notification's Cancel button does. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Runs the harness on every target (command palette "Run Security Harness"). */
  runAll(): Promise<HarnessRunSummary | undefined> {
    if (!requireTrust()) return Promise.resolve(undefined);
    return this.runRequest(new vscode.TestRunRequest(undefined, undefined, undefined, false), undefined);
  }

  /** Runs the harness on one target ("Run Harness on Server..."). */
  runTarget(target: HarnessTarget): Promise<HarnessRunSummary | undefined> {
    if (!requireTrust()) return Promise.resolve(undefined);
    const item = this.serverItem(target, target.named ? target.label : undefined);
    return this.runRequest(new vscode.TestRunRequest([item], undefined, undefined, false), undefined);
  }

  /** Test Explorer run handler and the commands' common path. */
  async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken | undefined): Promise<HarnessRunSummary> {
    if (!vscode.workspace.isTrusted) {
      requireTrust();
      return { targets: 0, checks: 0, failed: 0, confirmed: 0, cancelled: false, errors: ['workspace is not trusted'] };
    }
    if (this.running) {
      void vscode.window.showInformationMessage('MCP Warden: a harness run is already in progress.');
      return this.running;
    }
    const running = Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'MCP Warden: running the security harness', cancellable: true },
      (progress, progressToken) => this.execute(request, [token, progressToken], progress),
    ));
    this.running = running;
    try {
      return await running;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Which targets a request runs, and which item ids it covers (undefined: everything). A
   * discovery placeholder (a folder whose servers the CLI finds) covers every server found there.
   */
  private plan(request: vscode.TestRunRequest): {
    targets: HarnessTarget[];
    included: Set<string> | undefined;
    wholeFolders: Set<string>;
    tools: Map<HarnessTarget, Set<string> | undefined>;
  } {
    const wholeFolders = new Set<string>();
    const tools = new Map<HarnessTarget, Set<string> | undefined>();
    if (!request.include?.length) {
      this.refreshTargets();
      return { targets: currentTargets(), included: undefined, wholeFolders, tools };
    }
    const targets = new Map<string, HarnessTarget>();
    const included = new Set<string>();
    for (const item of request.include) {
      const chain: vscode.TestItem[] = [];
      for (let i: vscode.TestItem | undefined = item; i; i = i.parent) chain.unshift(i);
      const top = chain[0]!;
      const target = this.targetOf.get(top.id);
      if (!target) continue;
      targets.set(top.id, target);
      included.add(item.id);
      if (!target.named) wholeFolders.add(target.folder);
      // A tool or one of its checks re-runs that tool only (--tool); server-level items need all.
      const second = chain[1];
      const tool = second && second.id.startsWith(`${top.id}/tool:`) ? second.label : undefined;
      const known = tools.get(target);
      if (tool && (known || !tools.has(target))) tools.set(target, new Set([...(known ?? []), tool]));
      else tools.set(target, undefined);
    }
    return { targets: [...targets.values()], included, wholeFolders, tools };
  }

  private async execute(
    request: vscode.TestRunRequest,
    tokens: ReadonlyArray<vscode.CancellationToken | undefined>,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<HarnessRunSummary> {
    const abort = new AbortController();
    this.abort = abort;
    const subs = tokens.flatMap((t) => (t ? [t.onCancellationRequested(() => abort.abort())] : []));
    const { targets, included, wholeFolders, tools: toolFilter } = this.plan(request);
    const run = this.controller.createTestRun(request, 'MCP Warden harness', true);
    const inScope = (item: vscode.TestItem): boolean => {
      if (!included) return true;
      let top = item;
      for (let i: vscode.TestItem | undefined = item; i; i = i.parent) {
        if (included.has(i.id)) return true;
        top = i;
      }
      const folder = this.targetOf.get(top.id)?.folder;
      return folder !== undefined && wholeFolders.has(folder);
    };
    const reports: HarnessReport[] = [];
    const errors: string[] = [];
    let checks = 0;
    let failed = 0;
    let confirmedCount = 0;
    for (const target of targets) {
      if (abort.signal.aborted) break;
      const settings = harnessSettings(target.folder);
      const only = [...(toolFilter.get(target) ?? [])].flatMap((t) => ['--tool', t]);
      const options = ['--run-timeout', String(settings.timeoutSeconds * 1000), ...(settings.includeDestructive ? ['--include-destructive'] : []), ...only];
      const sep = target.args.indexOf('--');
      const args = sep >= 0 ? [...target.args.slice(0, sep), ...options, ...target.args.slice(sep)] : [...target.args, ...options];
      const serverItems = new Map<string, vscode.TestItem>();
      const itemFor = (server: string) => {
        let item = serverItems.get(server);
        if (!item) {
          item = this.serverItem(target, target.named ? target.label : server);
          serverItems.set(server, item);
        }
        return item;
      };
      const childResults = new Map<vscode.TestItem, CheckStatus[]>();
      const note = (item: vscode.TestItem, status: CheckStatus) => {
        for (let p = item.parent; p; p = p.parent) {
          const list = childResults.get(p) ?? [];
          list.push(status);
          childResults.set(p, list);
        }
      };
      const flaws: ConfirmedFlaw[] = [];
      const tools = new Map<string, ToolSite>();
      progress.report({ message: target.label });
      this.log.info(`harness: ${target.label}: node ${this.cli} harness --events ${args.join(' ')}`);

      const onEvent = (raw: HarnessEvent) => {
        const e = raw.type === 'check' ? { ...raw, source: resolveSource(raw.source, target.folder) } : raw;
        this.eventEmitter.fire(e);
        switch (e.type) {
          case 'server-start': {
            const item = itemFor(e.server);
            if (inScope(item)) run.started(item);
            progress.report({ message: `${e.server}: starting` });
            break;
          }
          case 'tool': {
            const server = itemFor(e.server);
            const tool = this.child(server, `${server.id}/tool:${e.tool}`, e.tool);
            if (e.skipped && inScope(tool)) run.skipped(tool);
            else if (inScope(tool)) run.started(tool);
            progress.report({ message: `${e.server}: ${e.tool}` });
            break;
          }
          case 'check':
            checks++;
            if (e.status === 'failed') failed++;
            if (e.status === 'failed' && e.confirmed) confirmedCount++;
            this.onCheck(e, itemFor(e.server), run, inScope, note, flaws, tools);
            break;
          case 'server-end': {
            const item = itemFor(e.server);
            if (e.status === 'not-started' || e.error) {
              errors.push(`${e.server}: ${e.error ?? e.status}`);
              if (inScope(item)) run.errored(item, new vscode.TestMessage(`The server did not run: ${e.error ?? e.status}`));
            }
            break;
          }
          case 'run-end':
            reports.push(resolveReport(e.report, target.folder));
            break;
          default:
            break;
        }
      };
      const result = await runHarnessProcess({
        cli: this.cli,
        args,
        cwd: target.folder,
        onEvent,
        onStderr: (line) => this.log.debug(`harness: ${line}`),
        signal: abort.signal,
        timeoutMs: settings.timeoutSeconds * 1000 + 15_000,
      });
      if (!result.report && !result.cancelled) {
        const why = result.timedOut
          ? `the run exceeded ${settings.timeoutSeconds} s`
          : `the harness exited with ${result.exitCode ?? result.signal}: ${result.stderrTail.trim().split('\n').slice(-3).join(' ') || 'no output'}`;
        errors.push(`${target.label}: ${why}`);
        this.log.error(`harness: ${target.label}: ${why}`);
        const item = serverItems.values().next().value ?? this.serverItem(target, target.named ? target.label : undefined);
        if (inScope(item)) run.errored(item, new vscode.TestMessage(`The harness could not run: ${why}`));
      }
      // Parents show the worst state of what ran under them.
      for (const [item, list] of childResults) {
        if (!inScope(item)) continue;
        if (list.includes('failed')) run.failed(item, new vscode.TestMessage(`${list.filter((s) => s === 'failed').length} check(s) failed.`));
        else if (list.includes('error')) run.errored(item, new vscode.TestMessage('A check could not complete.'));
        else if (list.includes('passed')) run.passed(item);
        else run.skipped(item);
      }
      const filter = toolFilter.get(target);
      for (const server of serverItems.values()) {
        // A run limited to some tools keeps what earlier runs proved about the others.
        const before = filter ? this.confirmedByServer.get(server.id) : undefined;
        this.confirmedByServer.set(server.id, {
          confirmed: [...(before?.confirmed.filter((f) => !f.tool || !filter!.has(f.tool)) ?? []), ...flaws],
          tools: [...(before?.tools.filter((t) => !filter!.has(t.tool)) ?? []), ...tools.values()],
        });
      }
      // Once discovery has named the folder's servers, its placeholder item has done its job.
      const placeholder = `${SERVER_PREFIX}${target.folder}::${target.label}`;
      if (!target.named && serverItems.size > 0 && ![...serverItems.values()].some((i) => i.id === placeholder)) {
        this.controller.items.delete(placeholder);
      }
    }
    run.end();
    subs.forEach((s) => s.dispose());
    this.abort = undefined;
    this.reports = reports;
    this.reportEmitter.fire(reports);
    const all = [...this.confirmedByServer.values()];
    await this.client.harnessResults({ confirmed: all.flatMap((a) => a.confirmed), tools: all.flatMap((a) => a.tools) });
    const summary = { targets: targets.length, checks, failed, confirmed: confirmedCount, cancelled: abort.signal.aborted, errors };
    this.log.info(`harness: ${checks} check(s), ${failed} failed, ${confirmedCount} confirmed${summary.cancelled ? ' (cancelled)' : ''}`);
    return summary;
  }

  private onCheck(
    e: CheckEvent,
    server: vscode.TestItem,
    run: vscode.TestRun,
    inScope: (item: vscode.TestItem) => boolean,
    note: (item: vscode.TestItem, status: CheckStatus) => void,
    flaws: ConfirmedFlaw[],
    tools: Map<string, ToolSite>,
  ): void {
    const parent = e.tool ? this.child(server, `${server.id}/tool:${e.tool}`, e.tool, e.source) : server;
    const label = e.param ? `${e.check} (${e.param})` : e.check;
    const item = this.child(parent, `${parent.id}/check:${e.check}${e.param ? `#${e.param}` : ''}`, label, e.source);
    this.states.set(item.id, e.status);
    if (e.tool && e.source) tools.set(`${e.source.file}:${e.tool}`, { tool: e.tool, file: e.source.file, line: e.source.line });
    if (e.status === 'failed' && e.confirmed && e.source) {
      flaws.push({ check: e.check, tool: e.tool, param: e.param, file: e.source.file, line: e.source.line });
    }
    if (!inScope(item)) return;
    note(item, e.status);
    switch (e.status) {
      case 'passed':
        run.passed(item);
        break;
      case 'skipped':
        run.skipped(item);
        break;
      case 'failed':
      case 'error': {
        // Plain text, not markdown: the evidence is whatever a possibly hostile server sent.
        const parts = [e.message];
        if (e.evidence) parts.push(`Request:\n${e.evidence.request}`, `Response:\n${e.evidence.response}`);
        const message = new vscode.TestMessage(parts.join('\n\n'));
        if (e.source) message.location = new vscode.Location(vscode.Uri.file(e.source.file), new vscode.Position(Math.max(0, e.source.line - 1), 0));
        if (e.status === 'failed') run.failed(item, message);
        else run.errored(item, message);
        break;
      }
    }
    run.appendOutput(`${e.status.toUpperCase()} ${label}${e.tool ? ` [${e.tool}]` : ''}: ${e.message}\r\n`, undefined, item);
  }

  dispose(): void {
    this.controller.dispose();
    this.reportEmitter.dispose();
    this.eventEmitter.dispose();
  }
}
