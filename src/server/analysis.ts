import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ignore from 'ignore';
import { collectFiles } from '../cli/files';
import { languageOf, loadConfig, VSCODE_LANGUAGE_IDS, type Finding, type Language, type WardenConfig } from '../core';
import { AnalysisIsolate } from './isolate';
import { mergeConfig, type ServerSettings } from './settings';

/** The analysis of one document or file, as the server keeps it. */
export interface Analysis {
  readonly uri: string;
  readonly file: string;
  /** Document version analysed; undefined for text read from disk. */
  readonly version: number | undefined;
  readonly language: Language;
  readonly findings: readonly Finding[];
  readonly elapsedMs: number;
  /** The findings carry the data-flow rules' fixes (the analysis was asked for them). */
  readonly withFixes: boolean;
}

export interface AnalysisCacheOptions {
  /** The settings of the workspace folder holding `file`, and that folder's path. */
  settingsFor(file: string): Promise<{ settings: ServerSettings; root: string | undefined }>;
  /** Text of an open document, so imported modules are read as the editor shows them. */
  readOpen(file: string): string | undefined;
  log(message: string): void;
  /** Hard limit on one analysis (default: DEFAULT_ANALYSIS_TIMEOUT_MS or MCP_WARDEN_ANALYSIS_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** Whether `file` matches gitignore-style `patterns` relative to `base`. */
export function matches(patterns: readonly string[], base: string, file: string): boolean {
  if (patterns.length === 0) return false;
  const rel = path.relative(base, file).split(path.sep).join('/');
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return ignore().add([...patterns]).ignores(rel);
}

/**
 * Turns texts into findings: resolves the project configuration (`.mcp-warden.json` with the
 * editor's `mcpWarden.rules` on top), honours `mcpWarden.exclude`, and has the analysis run in
 * a worker thread with a hard timeout (./isolate.ts), which keeps one linter per distinct
 * configuration (creating one loads the parsers) for as long as it lives.
 */
export class AnalysisCache {
  private readonly configs = new Map<string, WardenConfig>();
  private readonly isolate: AnalysisIsolate;

  constructor(private readonly options: AnalysisCacheOptions) {
    this.isolate = new AnalysisIsolate({ log: options.log, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  }

  /** Forgets configurations and linters (settings or `.mcp-warden.json` changed). */
  reset(): void {
    this.configs.clear();
    this.isolate.reset();
  }

  /** The document at `uri` was closed: imports of it read the saved file again. */
  closed(uri: string): void {
    if (uri.startsWith('file:')) this.isolate.close(fileURLToPath(uri));
  }

  /** Stops the analysis worker. */
  dispose(): void {
    this.isolate.dispose();
  }

  /** Text of a file: the open document's, else the saved one; undefined if unreadable. */
  readText(file: string): string | undefined {
    const open = this.options.readOpen(file);
    if (open !== undefined) return open;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private fileConfig(dir: string): WardenConfig {
    let c = this.configs.get(dir);
    if (!c) {
      try {
        c = loadConfig(dir);
      } catch (err) {
        this.options.log(`ignoring invalid configuration: ${(err as Error).message}`);
        c = { rules: {}, ignore: [] };
      }
      this.configs.set(dir, c);
    }
    return c;
  }

  private excluded(file: string, settings: ServerSettings, root: string | undefined, config: WardenConfig): boolean {
    if (root && matches(settings.exclude, root, file)) return true;
    return config.root !== undefined && matches(config.ignore, config.root, file);
  }

  /**
   * Analyses `text` as the content of `uri`. Undefined when the file is not ours to analyse
   * (not a file URI, unsupported language, MCP Warden disabled for its folder, or excluded).
   */
  async analyse(uri: string, text: string, version: number | undefined, languageId: string | undefined, opts: { fixes?: boolean } = {}): Promise<Analysis | undefined> {
    if (!uri.startsWith('file:')) return undefined;
    const file = fileURLToPath(uri);
    const language = (languageId ? VSCODE_LANGUAGE_IDS[languageId] : undefined) ?? languageOf(file);
    if (!language) return undefined;
    const { settings, root } = await this.options.settingsFor(file);
    if (!settings.enable) return undefined;
    const config = mergeConfig(this.fileConfig(path.dirname(file)), settings);
    if (this.excluded(file, settings, root, config)) return undefined;
    const fixes = opts.fixes ?? true;
    const result = await this.isolate.analyse({ file, text, language, config, open: version !== undefined, fixes });
    // A failed analysis (logged by the isolate) leaves the file without diagnostics, not stale ones.
    if (!result.ok) return { uri, file, version, language, findings: [], elapsedMs: 0, withFixes: true };
    for (const p of result.problems) {
      if (p.kind !== 'parse-error') this.options.log(`${file}: ${p.kind}: ${p.message}`);
    }
    return { uri, file, version, language, findings: result.findings, elapsedMs: result.elapsedMs, withFixes: fixes };
  }

  /** Lintable files under a workspace folder, minus ignored and excluded ones. */
  async listFiles(root: string): Promise<string[]> {
    const { settings } = await this.options.settingsFor(path.join(root, '_'));
    const config = mergeConfig(this.fileConfig(root), settings);
    let files: string[];
    try {
      files = collectFiles([root], root, config.root ? { extraIgnore: config.ignore, extraRoot: config.root } : {});
    } catch (err) {
      this.options.log(`cannot list ${root}: ${(err as Error).message}`);
      return [];
    }
    return files.filter((f) => !matches(settings.exclude, root, f));
  }
}
