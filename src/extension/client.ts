import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { COUNTS, HARNESS_RESULTS, SCAN_PROGRESS, SCAN_WORKSPACE, type CountsParams, type HarnessResultsParams, type ScanProgressParams, type ScanResult } from '../server/protocol';

/** VS Code language ids the language server analyses. */
export const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'] as const;

/** Thin wrapper over the LanguageClient: the server does the analysis (vscode-eslint's split). */
export class WardenClient implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly countsEmitter = new vscode.EventEmitter<CountsParams>();
  /** Finding counts over every analysed file, as the server last reported them. */
  readonly onCounts = this.countsEmitter.event;
  private scanProgress: ((p: ScanProgressParams) => void) | undefined;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    const module = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
      synchronize: {
        fileEvents: [
          vscode.workspace.createFileSystemWatcher('**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,pyw}'),
          vscode.workspace.createFileSystemWatcher('**/.mcp-warden.json'),
        ],
      },
      outputChannel: log,
    };
    this.client = new LanguageClient('mcpWarden', 'MCP Warden', serverOptions, clientOptions);
  }

  private started: Promise<void> | undefined;

  /** Starts the server once; later calls return the same promise. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.client.start();
      this.client.onNotification(COUNTS, (p: CountsParams) => this.countsEmitter.fire(p));
      this.client.onNotification(SCAN_PROGRESS, (p: ScanProgressParams) => this.scanProgress?.(p));
    })();
    return this.started;
  }

  /** Analyses every lintable file of the workspace, reporting progress. */
  async scanWorkspace(progress: (p: ScanProgressParams) => void, token: vscode.CancellationToken): Promise<ScanResult> {
    await this.start();
    this.scanProgress = progress;
    try {
      return await this.client.sendRequest<ScanResult>(SCAN_WORKSPACE, {}, token);
    } finally {
      this.scanProgress = undefined;
    }
  }

  /** Tells the server which flaws the harness proved, so their diagnostics say so. */
  async harnessResults(params: HarnessResultsParams): Promise<void> {
    await this.start();
    await this.client.sendNotification(HARNESS_RESULTS, params);
  }

  dispose(): void {
    this.countsEmitter.dispose();
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}
