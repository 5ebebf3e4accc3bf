import ts from 'typescript';
import { LineMap } from '../text';
import { parseRisk } from './parse-guard';

/** An imported local module, parsed for the taint analysis of the files that import it. */
export interface ParsedModule {
  readonly sf: ts.SourceFile;
  readonly lines: LineMap;
}

/** Parses an imported module; undefined when the parser could hang on it (treated as unknown code). */
export function parseModule(file: string, text: string): ParsedModule | undefined {
  if (parseRisk(text)) return undefined;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, /\.[cm]?jsx?$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return { sf, lines: new LineMap(text) };
}

/**
 * Parses of imported local modules, kept across analyses and keyed by path and exact text.
 * A server's entry file imports the same tool modules on every keystroke, and in a workspace
 * scan every file importing a shared module parsed it again: on real servers (an index.ts
 * importing twenty modules three levels deep) that was most of a 300-400 ms analysis. The
 * trees are never handed to the incremental parser, so they stay valid while cached. Bounded
 * by the total size of the cached texts (least recently used first out).
 */
export class ModuleCache {
  private readonly entries = new Map<string, { readonly text: string; readonly parsed: ParsedModule | undefined }>();
  private chars = 0;

  constructor(private readonly maxChars = 4_000_000) {}

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
