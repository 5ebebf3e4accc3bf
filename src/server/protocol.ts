/**
 * Custom messages between the extension (client) and the language server, beside standard LSP.
 * Shared by both sides; imports neither vscode nor the server runtime.
 */

/** Client -> server request: analyse every lintable file of the workspace folders. */
export const SCAN_WORKSPACE = 'mcpWarden/scanWorkspace';

/** Server -> client notification while a workspace scan runs. */
export const SCAN_PROGRESS = 'mcpWarden/scanProgress';

/** Client -> server notification: flaws the harness proved, so diagnostics can say so. */
export const HARNESS_RESULTS = 'mcpWarden/harnessResults';

/** Server -> client notification: finding counts for the status bar. */
export const COUNTS = 'mcpWarden/counts';

export interface ScanProgressParams {
  readonly done: number;
  readonly total: number;
}

export interface ScanResult {
  readonly files: number;
  readonly findings: number;
  readonly elapsedMs: number;
  readonly cancelled: boolean;
}

/** A check the harness confirmed, tied to the tool's registration line when known. */
export interface ConfirmedFlaw {
  readonly check: string;
  readonly tool: string | null;
  readonly param: string | null;
  /** Absolute path of the file that registers the tool. */
  readonly file: string;
  /** 1-based line of the tool's registration. */
  readonly line: number;
}

/** A tool registration the harness located in the source (to tell tools of one file apart). */
export interface ToolSite {
  readonly tool: string;
  readonly file: string;
  readonly line: number;
}

export interface HarnessResultsParams {
  readonly confirmed: readonly ConfirmedFlaw[];
  readonly tools: readonly ToolSite[];
}

export interface CountsParams {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Files with at least one finding. */
  readonly files: number;
}

/** Client-side command the "show documentation" code action runs. */
export const SHOW_DOCUMENTATION_COMMAND = 'mcpWarden.showRuleDocumentation';
