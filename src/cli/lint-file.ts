import * as fs from 'node:fs';
import type { FileProblem, FileResult, Linter } from '../core';
import { applyEdits, autoFixEdits } from '../core/fix';
import { MAX_FILE_BYTES, readSourceFile } from './files';
import type { CachingHost } from './host';

/** Largest number of --fix passes over one file (fixes can uncover or shift other fixes). */
const MAX_FIX_PASSES = 10;

/**
 * What linting one file produced: a result, a problem when the file could not be read, or a
 * note when it no longer exists (deleted after the walk: nothing is left to lint).
 * `text` is the analysed text, kept only when a finding carries fix edits (the SARIF format
 * resolves their offsets to lines): a run over 20,000 files does not hold every text.
 */
export type FileOutcome =
  | { readonly file: string; readonly result: FileResult; readonly text?: string }
  | { readonly file: string; readonly problem: FileProblem }
  | { readonly file: string; readonly skipped: string };

/**
 * Writes a fixed file back the way it was encoded: a UTF-8 byte-order mark stays (the reader
 * strips it), and in a file that used CRLF throughout, line breaks a fix inserted as a bare LF
 * become CRLF, so --fix never leaves mixed line endings.
 */
export function writeFixed(file: string, original: string, fixed: string): void {
  let out = fixed;
  const crlf = original.includes('\r\n') && !/(^|[^\r])\n/.test(original);
  if (crlf) out = out.replace(/\r?\n/g, '\r\n');
  let bom = false;
  try {
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(3);
    fs.readSync(fd, head, 0, 3, 0);
    fs.closeSync(fd);
    bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } catch {
    // Unreadable now: write without a BOM rather than fail the run.
  }
  fs.writeFileSync(file, bom ? `\ufeff${out}` : out);
}

/** Reads, lints and (with `fix`) fixes one file. Never throws for a bad file. */
export function lintFile(linter: Linter, host: CachingHost, file: string, fix: boolean): FileOutcome {
  if (!linter.supports(file)) {
    return { file, problem: { file, kind: 'unreadable', message: 'not a TypeScript, JavaScript or Python file' } };
  }
  // The linter's own size guard ('maxFileBytes') decides; reading stops only where it would anyway.
  const read = readSourceFile(file, Math.max(MAX_FILE_BYTES, linter.options.config?.maxFileBytes ?? 0));
  if (!read.ok) {
    if (read.code === 'ENOENT') return { file, skipped: 'deleted after the folder was listed' };
    return { file, problem: { file, kind: read.kind, message: read.message } };
  }
  host.remember(file, read.bom ? `\ufeff${read.text}` : read.text);
  let text = read.text;
  let result = linter.lintText(file, text, { host });
  if (fix) {
    const broken = (r: FileResult) => r.problems.some((p) => p.kind === 'parse-error');
    // Like eslint: a file that does not parse is not fixed (the tree the fixes came from is a guess).
    for (let pass = 0; pass < MAX_FIX_PASSES && !broken(result); pass++) {
      const edits = autoFixEdits(file, result.findings);
      if (edits.length === 0) break;
      const next = applyEdits(text, edits).text;
      if (next === text) break;
      const nextResult = linter.lintText(file, next, { host });
      // A fix that breaks the syntax is dropped with its pass, never written.
      if (broken(nextResult)) break;
      text = next;
      result = nextResult;
    }
    if (text !== read.text) {
      writeFixed(file, read.text, text);
      // Files linted later that import this one read the fixed file, as written.
      host.forget(file);
    }
  }
  const hasEdits = result.findings.some((f) => f.fixes.some((x) => x.edits.length > 0));
  return hasEdits ? { file, result, text } : { file, result };
}
