import * as nodePath from 'node:path';
import ts from 'typescript';
import { LineMap } from '../text';
import { parseRisk } from './parse-guard';
import { setParents } from './walk';

/** An imported local module, parsed for the taint analysis of the files that import it. */
export interface ParsedModule {
  readonly sf: ts.SourceFile;
  readonly lines: LineMap;
}

/** The parser's script kind for a file name (JSX is only parsed in .tsx/.jsx files). */
export function scriptKindOf(file: string): ts.ScriptKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * How both parsers of the TypeScript engine (./engine.ts `parseTs` and `parseModule`) read
 * files: JSDoc comments are left unparsed, since no rule or analysis reads them (a seventh of
 * the parser's time on the benchmark corpus of MCP servers; every result stayed the same).
 * Both use the same options because the trees are shared between the two caches.
 */
export const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

/**
 * The files a local import specifier (`./helpers/x.js`, `../util`) may name, in the order they
 * are tried: the path as written, the TypeScript sources of a compiled name, then an index file.
 */
export function localModuleCandidates(fromFile: string, spec: string): string[] {
  const base = nodePath.resolve(nodePath.dirname(fromFile), spec);
  const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
  const files = [`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${stem}.js`, `${stem}.mjs`, `${stem}.cjs`, nodePath.join(base, 'index.ts'), nodePath.join(base, 'index.js')];
  // A specifier without a script extension names a directory or an extensionless file, not a module to read as is.
  return /\.[cm]?[jt]sx?$/.test(base) ? [base, ...files] : files;
}

/** Parses an imported module; undefined when the parser could hang on it (treated as unknown code). */
export function parseModule(file: string, text: string): ParsedModule | undefined {
  if (parseRisk(text)) return undefined;
  // Parents set by the flat-tree walk, as ./engine.ts `parseTs` does (one walk instead of two).
  const sf = ts.createSourceFile(file, text, PARSE_OPTIONS, false, scriptKindOf(file));
  setParents(sf);
  return { sf, lines: new LineMap(text) };
}

/**
 * Parses of imported local modules, kept across analyses and keyed by path and exact text.
 * A server's entry file imports the same tool modules on every keystroke, and in a workspace
 * scan every file importing a shared module parsed it again: on real servers (an index.ts
 * importing twenty modules three levels deep) that was most of a 300-400 ms analysis. The
 * trees are never handed to the incremental parser, so they stay valid while cached. Bounded
 * by the total size of the cached texts (least recently used first out). Every tree held was
 * parsed from a text that passed `parseRisk` (here, or by the engine before `adopt`), which
 * the engine relies on to skip that scan for a text `peek` finds.
 */
export class ModuleCache {
  private readonly entries = new Map<string, { readonly text: string; readonly parsed: ParsedModule | undefined }>();
  private chars = 0;

  constructor(private readonly maxChars = 4_000_000) {}

  /** The cached tree of `file` when it was parsed from exactly `text`. */
  peek(file: string, text: string): ts.SourceFile | undefined {
    const hit = this.entries.get(file);
    return hit && hit.text === text ? hit.parsed?.sf : undefined;
  }

  /**
   * Shares the tree the engine parsed for the file it analyses, so that the same file imported
   * by the next one is not parsed again (in a workspace scan that was a third of all parsing).
   */
  adopt(file: string, text: string, sf: ts.SourceFile): void {
    if (this.peek(file, text) === sf) return;
    this.drop(file);
    let lines: LineMap | undefined;
    this.remember(file, text, {
      sf,
      get lines() {
        return (lines ??= new LineMap(text));
      },
    });
  }

  /** Forgets `file` if its cached tree is `sf`: the incremental parser is about to reuse that tree's nodes. */
  release(file: string, sf: ts.SourceFile): void {
    if (this.entries.get(file)?.parsed?.sf === sf) this.drop(file);
  }

  private drop(file: string): void {
    const hit = this.entries.get(file);
    if (!hit) return;
    this.entries.delete(file);
    this.chars -= hit.text.length;
  }

  parse(file: string, text: string): ParsedModule | undefined {
    const hit = this.entries.get(file);
    if (hit) {
      this.entries.delete(file);
      this.chars -= hit.text.length;
      if (hit.text === text) {
        this.remember(file, hit.text, hit.parsed);
        return hit.parsed;
      }
    }
    const parsed = parseModule(file, text);
    this.remember(file, text, parsed);
    return parsed;
  }

  private remember(file: string, text: string, parsed: ParsedModule | undefined): void {
    // A module bigger than the whole budget is parsed each time rather than evicting everything.
    if (text.length > this.maxChars) return;
    this.entries.set(file, { text, parsed });
    this.chars += text.length;
    for (const [key, entry] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(key);
      this.chars -= entry.text.length;
    }
  }
}
