import { performance } from 'node:perf_hooks';
import { ParseCancelled, parseWithin } from './incremental';
import type { TreeSitterParser } from './parser';

/**
 * Error recovery for files that are mid-edit. tree-sitter recovers well from local mistakes,
 * but an unclosed bracket swallows everything after it into one ERROR node, losing every
 * later function. For such files, this splits the text into top-level statements (lines that
 * start at column 0), re-parses each one alone, and blanks out those that do not parse,
 * keeping every offset and line break, so the rest is analysed at its real position.
 */
export function blankBrokenStatements(text: string, parser: TreeSitterParser, memo?: BrokenMemo, deadline?: number): string | undefined {
  const chunks = topLevelChunks(text);
  if (chunks.length < 2) return undefined;
  let out = '';
  let changed = false;
  // Past the per-file deadline the re-parses stop (the caller reports the timeout).
  for (const c of chunks) {
    const chunk = text.slice(c.start, c.end);
    let broken = memo?.get(chunk);
    if (broken === undefined) {
      if (deadline !== undefined && performance.now() > deadline) throw new ParseCancelled();
      const tree = parseWithin(parser, chunk, null, deadline);
      if (!tree && deadline !== undefined && performance.now() > deadline) throw new ParseCancelled();
      broken = !tree || tree.rootNode.hasError;
      tree?.delete();
      memo?.set(chunk, broken);
    }
    if (broken) {
      // Same length in UTF-16 code units, line breaks kept: spans and line numbers stay valid.
      out += chunk.replace(/[^\r\n]/g, ' ');
      changed = true;
    } else out += chunk;
  }
  return changed ? out : undefined;
}

/**
 * Whether a statement's text parses, by text: while a file is edited, all its statements but
 * one are the same from one keystroke to the next, and parsing each alone again would cost a
 * full parse of the file per keystroke. Bounded: cleared when it grows past `limit` entries.
 */
export class BrokenMemo {
  private readonly map = new Map<string, boolean>();

  constructor(private readonly limit = 5_000) {}

  get(chunk: string): boolean | undefined {
    return this.map.get(chunk);
  }

  set(chunk: string, broken: boolean): void {
    if (chunk.length > 65_536) return;
    if (this.map.size >= this.limit) this.map.clear();
    // A slice keeps the whole file text alive; the key gets its own copy (concatenating then
    // slicing makes V8 flatten into a new string of the chunk's size).
    this.map.set(`${chunk} `.slice(0, -1), broken);
  }
}

interface Chunk {
  readonly start: number;
  readonly end: number;
}

/** Lines that continue the previous top-level statement although they start at column 0. */
const CONTINUATION = /^(?:else\b|elif\b|except\b|finally\b|case\b|[)\]}]|#|$)/;

function topLevelChunks(text: string): Chunk[] {
  const starts: number[] = [0];
  let lineStart = 0;
  let pendingDecorator = false;
  while (lineStart < text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const line = text.slice(lineStart, lineEnd).replace(/\r?\n$/, '');
    const topLevel = line.length > 0 && !/^\s/.test(line) && !CONTINUATION.test(line);
    if (topLevel && lineStart > 0 && !pendingDecorator) starts.push(lineStart);
    if (topLevel) pendingDecorator = line.startsWith('@');
    lineStart = lineEnd;
  }
  return starts.map((s, i) => ({ start: s, end: starts[i + 1] ?? text.length }));
}
