import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { WardenApi } from './api';
import { WardenClient } from './client';
import { registerCommands } from './commands';
import { HarnessController } from './harness/controller';
import { ReportPanel } from './harness/reportPanel';
import { WardenStatusBar } from './statusBar';

/**
 * Wires the extension: language client, status bar, harness (Testing view + report), commands.
 * The harness CLI is the bundled dist/cli.js; MCP_WARDEN_HARNESS_CLI replaces it in tests only.
 */
export async function startExtension(context: vscode.ExtensionContext): Promise<WardenApi> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('MCP Warden', { log: true });
  context.subscriptions.push(log);
  const client = new WardenClient(context, log);
  const statusBar = new WardenStatusBar();
  context.subscriptions.push(client, statusBar, client.onCounts((c) => statusBar.update(c)));
  const cli = process.env.MCP_WARDEN_HARNESS_CLI || context.asAbsolutePath('dist/cli.js');
  const harness = new HarnessController(cli, log, client);
  const report = new ReportPanel(context.extensionUri);
  context.subscriptions.push(harness, report, harness.onDidReport((r) => report.update(r)));
  context.subscriptions.push(...registerCommands({ context, client, harness, report, log, cli }));
  // Activation returns at once; the server starts in the background (commands await `ready`).
  const ready = client.start().then(
    () => {
      serverReadyMs = Math.round(performance.now() - started);
      log.info(`language server ready ${serverReadyMs} ms after activation started`);
    },
    (err: unknown) => log.error(`language server failed to start: ${String(err)}`),
  );
  let serverReadyMs = -1;
  const activationMs = Math.round(performance.now() - started);
  log.info(`activated in ${activationMs} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
  return {
    activationMs,
    get serverReadyMs() {
      return serverReadyMs;
    },
    ready,
    harness,
    report,
    statusBar,
    log,
    stop: () => client.stop(),
  };
}
