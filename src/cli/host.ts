import * as fs from 'node:fs';
import type { AnalysisHost } from '../core/engine';
import { readDirNames } from '../core/linter';
import { readRegularFile } from './files';

/** Stop caching texts beyond this many UTF-16 code units (about 128 MiB); reads still work. */
const MAX_CACHED_CHARS = 64 * 1024 * 1024;

/**
 * The AnalysisHost of one CLI run (one per worker thread): imported local modules are read
 * once per run instead of once per importing file, and the many candidate paths an import is
 * resolved against (`./x.ts`, `./x.js`, `./x/index.ts`, ...) are probed with a stat that does
 * not throw, once each. Reads never block: a FIFO named like a module reads as missing.
 * The CLI lints a snapshot of the tree, so nothing here expires; `--fix` updates the texts it writes.
 */
export class CachingHost implements AnalysisHost {
  private readonly texts = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, readonly string[] | undefined>();
  private cachedChars = 0;

  readFile(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    let text: string | undefined;
    try {
      // No exception for the common miss (ENOENT); ENOTDIR and the like still throw.
      text = fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? readRegularFile(file) : undefined;
    } catch {
      text = undefined;
    }
    this.remember(file, text);
    return text;
  }

  /** Folder listings, once per run (the monorepo resolution of ../core/ts/workspaces.ts lists member folders). */
  readDir(dir: string): readonly string[] | undefined {
    if (!this.dirs.has(dir)) this.dirs.set(dir, readDirNames(dir));
    return this.dirs.get(dir);
  }

  /** Drops what is known about a file (it was rewritten): the next read goes to the disk. */
  forget(file: string): void {
    const old = this.texts.get(file);
    if (old !== undefined) this.cachedChars -= old.length;
    this.texts.delete(file);
  }

  /** Records a text the CLI read or wrote itself (as decoded UTF-8, byte-order mark included). */
  remember(file: string, text: string | undefined): void {
    this.forget(file);
    if (text !== undefined && this.cachedChars + text.length > MAX_CACHED_CHARS) return;
    this.texts.set(file, text);
    if (text !== undefined) this.cachedChars += text.length;
  }
}
