import type { Location, Span } from './types';

/**
 * Maps UTF-16 offsets to 1-based line/column pairs and back. Built once per file text;
 * lookups are binary searches, so resolving thousands of locations stays cheap.
 */
export class LineMap {
  private readonly lineStarts: Int32Array;

  constructor(readonly text: string) {
    // Two passes (count, then fill) so that the starts live in one typed array outside the
    // garbage-collected heap: the map is made anew on every keystroke.
    let count = 1;
    forEachLineStart(text, () => count++);
    const starts = new Int32Array(count);
    let k = 1;
    forEachLineStart(text, (at) => {
      starts[k++] = at;
    });
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo]! + 1 };
  }

  /** Offset of a 1-based line and column (clamped into the text). */
  offset(line: number, column: number): number {
    const idx = Math.max(0, Math.min(line - 1, this.lineStarts.length - 1));
    return Math.min(this.lineStarts[idx]! + Math.max(0, column - 1), this.text.length);
  }

  /** Offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.offset(line, 1);
  }

  /** Text of a 1-based line without its line break. */
  lineText(line: number): string {
    const idx = line - 1;
    if (idx < 0 || idx >= this.lineStarts.length) return '';
    const start = this.lineStarts[idx]!;
    const next = idx + 1 < this.lineStarts.length ? this.lineStarts[idx + 1]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }

  location(file: string, span: Span): Location {
    const s = this.position(span.start);
    const e = this.position(span.end);
    return { file, span, startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  }
}

/** Calls `f` with the offset of every line start after the first: after '\n', '\r\n' and a lone '\r'. */
function forEachLineStart(text: string, f: (at: number) => void): void {
  // indexOf runs natively; most files have no '\r' at all, which costs one search.
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf !== -1 || cr !== -1) {
    if (cr === -1 || (lf !== -1 && lf < cr)) {
      f(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    } else {
      const next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      f(next);
      if (lf !== -1 && lf < next) lf = text.indexOf('\n', next);
      cr = text.indexOf('\r', next);
    }
  }
}

/**
 * How much two texts share at their start and at their end (the end not overlapping the
 * start): what an edit left alone. Whole chunks are compared first (string comparison is a
 * native memory compare; each slice is a small object on the heap), then characters.
 */
export function commonEnds(before: string, after: string): { readonly prefix: number; readonly suffix: number } {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  for (const chunk of CHUNKS) {
    while (prefix + chunk <= max && before.slice(prefix, prefix + chunk) === after.slice(prefix, prefix + chunk)) prefix += chunk;
  }
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  for (const chunk of CHUNKS) {
    while (suffix + chunk <= max - prefix && before.slice(before.length - suffix - chunk, before.length - suffix) === after.slice(after.length - suffix - chunk, after.length - suffix)) suffix += chunk;
  }
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** Chunk sizes for `commonEnds`, largest first: few slices to compare, few characters left. */
const CHUNKS = [4096, 256, 16];

/**
 * A copy of `s` that does not keep the string it was cut from alive. V8 makes a slice of 13 or
 * more characters a view of its parent (`text.slice(a, b)`, a TypeScript identifier's text, a
 * tree-sitter node's text): a long-lived cache keyed by such a slice holds the whole file it
 * came from, one file version per key when the key changes as the user types (a description
 * being edited pinned a copy of the file per keystroke, up to the cache's size). Flattening
 * `s + ' '` copies the characters; the slice of that copy holds only the copy.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : `${s} `.slice(0, -1);
}
