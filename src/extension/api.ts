import type * as vscode from 'vscode';
import type { HarnessController } from './harness/controller';
import type { ReportPanel } from './harness/reportPanel';
import type { WardenStatusBar } from './statusBar';

/** What `activate` returns: lets the integration tests observe the extension from outside. */
export interface WardenApi {
  /** Milliseconds `activate` took (the language server starts in the background). */
  readonly activationMs: number;
  /** Milliseconds from the start of `activate` until the language server answered initialize; -1 before. */
  readonly serverReadyMs: number;
  /** Settles when the language server is up. */
  readonly ready: Promise<void>;
  readonly harness: HarnessController;
  readonly report: ReportPanel;
  readonly statusBar: WardenStatusBar;
  readonly log: vscode.LogOutputChannel;
  /** Stops the language server (deactivate). */
  stop(): Promise<void>;
}
