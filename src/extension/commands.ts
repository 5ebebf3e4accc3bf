import * as vscode from 'vscode';
import type { ScanResult } from '../server/protocol';
import type { WardenClient } from './client';
import { showRuleDocumentation } from './docs';
import { currentTargets, type HarnessController, type HarnessRunSummary } from './harness/controller';
import { runHarnessProcess } from './harness/process';
import type { ReportPanel } from './harness/reportPanel';
import type { HarnessTarget } from './harness/servers';
import { requireTrust } from './trust';

export interface CommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly client: WardenClient;
  readonly harness: HarnessController;
  readonly report: ReportPanel;
  readonly log: vscode.LogOutputChannel;
  readonly cli: string;
}

/** Asks which server to attack; `name` (from a test or a keybinding argument) skips the question. */
async function pickTarget(name: unknown): Promise<HarnessTarget | undefined> {
  const targets = currentTargets();
  if (typeof name === 'string') return targets.find((t) => t.label === name);
  if (targets.length === 0) {
    void vscode.window.showInformationMessage('MCP Warden: open a folder with an MCP server to run the harness.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    targets.map((t) => ({ label: t.label, detail: t.detail, target: t })),
    { title: 'MCP Warden: Run Harness on Server', placeHolder: 'Server to attack (from .vscode/mcp.json, settings or discovery)' },
  );
  return pick?.target;
}

async function scanWorkspace(deps: CommandDeps): Promise<ScanResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'MCP Warden: scanning the workspace', cancellable: true },
    async (progress, token) => {
      let last = 0;
      const result = await deps.client.scanWorkspace((p) => {
        const pct = p.total ? (p.done / p.total) * 100 : 100;
        progress.report({ message: `${p.done}/${p.total} files`, increment: pct - last });
        last = pct;
      }, token);
      deps.log.info(`scan: ${result.files} file(s), ${result.findings} finding(s), ${result.elapsedMs} ms`);
      return result;
    },
  );
}

async function updateToolLock(deps: CommandDeps, name: unknown): Promise<number | undefined> {
  if (!requireTrust()) return undefined;
  const target = await pickTarget(name);
  if (!target) return undefined;
  const code = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `MCP Warden: updating the tool lock of ${target.label}`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const sep = target.args.indexOf('--');
      const args = sep >= 0 ? [...target.args.slice(0, sep), '--update-lock', ...target.args.slice(sep)] : [...target.args, '--update-lock'];
      const r = await runHarnessProcess({
        cli: deps.cli,
        args,
        cwd: target.folder,
        onEvent: () => undefined,
        onStderr: (line) => deps.log.debug(`harness: ${line}`),
        signal: abort.signal,
      });
      sub.dispose();
      if (r.exitCode === 2 || r.exitCode === null) {
        deps.log.error(`tool lock: ${r.stderrTail.trim()}`);
        void vscode.window.showErrorMessage(`MCP Warden: could not update the tool lock of ${target.label}. See the MCP Warden output.`);
      } else {
        void vscode.window.showInformationMessage(`MCP Warden: wrote mcp-warden.lock.json for ${target.label}.`);
      }
      return r.exitCode ?? undefined;
    },
  );
  return code;
}

/** Registers every command; each returns its result so tests can assert on it. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, fn);
  return [
    reg('mcpWarden.scanWorkspace', () => scanWorkspace(deps)),
    reg('mcpWarden.runHarness', () => deps.harness.runAll()),
    reg('mcpWarden.runHarnessOnServer', async (name?: unknown): Promise<HarnessRunSummary | undefined> => {
      if (!requireTrust()) return undefined;
      const target = await pickTarget(name);
      return target ? deps.harness.runTarget(target) : undefined;
    }),
    reg('mcpWarden.showHarnessReport', () => deps.report.show(deps.harness.reports) && undefined),
    reg('mcpWarden.updateToolLock', (name?: unknown) => updateToolLock(deps, name)),
    reg('mcpWarden.showRuleDocumentation', (ruleId: unknown) => showRuleDocumentation(deps.context, ruleId)),
    reg('mcpWarden.showOutput', () => deps.log.show()),
  ];
}
