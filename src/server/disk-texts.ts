import * as fs from 'node:fs';

/** Texts kept up to this many UTF-16 code units in all (about 64 MiB); past it, reads still work. */
const MAX_KEPT_CHARS = 32 * 1024 * 1024;

/**
 * Texts of files on disk for the language server's analyses, kept while a file's size and
 * modification time stay the same. Every analysis of a file reads the local modules it imports
 * (and their tsconfig and package.json files): a server importing a 3.5 MB bundle
 * (chrome-devtools-mcp) read it from disk again on every keystroke, a third of each analysis.
 * The stat that decides is one a read makes anyway (a missing file is answered by it, without
 * an exception).
 */
export class DiskTexts {
  private readonly kept = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly text: string }>();
  private chars = 0;

  /** The file's text, or undefined when it is missing, not a regular file, or unreadable. */
  read(file: string): string | undefined {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (!stat?.isFile()) {
      this.drop(file);
      return undefined;
    }
    const hit = this.kept.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.text;
    this.drop(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    if (this.chars + text.length <= MAX_KEPT_CHARS) {
      this.kept.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, text });
      this.chars += text.length;
    }
    return text;
  }

  private drop(file: string): void {
    const hit = this.kept.get(file);
    if (!hit) return;
    this.kept.delete(file);
    this.chars -= hit.text.length;
  }
}
