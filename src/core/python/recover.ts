import { performance } from 'node:perf_hooks';
import { ParseCancelled, parseWithin } from './incremental';
import type { SyntaxNode, TreeSitterParser } from './parser';

/** A statement's first syntax error, in UTF-16 offsets from the statement's start. */
export interface ChunkError {
  readonly start: number;
  readonly end: number;
}

/** What recovery found in a file whose parse has errors. */
export interface Recovery {
  /**
   * The text with the top-level statements that do not parse alone blanked out (same length,
   * line breaks kept); undefined when none was blanked (no statement alone is broken, or the
   * file is a single statement).
   */
  readonly text?: string;
  /**
   * Where the file's first syntax error is (UTF-16 offsets in the file): the first error of the
   * first statement that does not parse alone, or of the whole file parsed afresh when none is
   * broken alone. It depends on the text only, never on the tree the text was parsed
   * incrementally from: tree-sitter's error recovery can wrap the same mistake in another ERROR
   * node when it re-parses an edited tree, and the editor must report what the CLI reports.
   */
  readonly error?: ChunkError;
}

/**
 * Error recovery for files that are mid-edit. tree-sitter recovers well from local mistakes,
 * but an unclosed bracket swallows everything after it into one ERROR node, losing every
 * later function. For such files, this splits the text into top-level statements (lines that
 * start at column 0), re-parses each one alone, and blanks out those that do not parse,
 * keeping every offset and line break, so the rest is analysed at its real position.
 */
export function recoverStatements(text: string, parser: TreeSitterParser, memo?: BrokenMemo, deadline?: number): Recovery {
  const chunks = topLevelChunks(text);
  let out = '';
  let changed = false;
  let error: ChunkError | undefined;
  // Past the per-file deadline the re-parses stop (the caller reports the timeout).
  for (const c of chunks) {
    const chunk = text.slice(c.start, c.end);
    const broken = chunkError(chunk, parser, memo, deadline);
    if (broken) {
      error ??= { start: c.start + broken.start, end: c.start + broken.end };
      // Same length in UTF-16 code units, line breaks kept: spans and line numbers stay valid.
      out += chunk.replace(/[^\r\n]/g, ' ');
      changed = true;
    } else out += chunk;
  }
  // The statements parse alone but not together (or the file is empty of statements).
  error ??= chunks.length === 1 ? undefined : chunkError(text, parser, undefined, deadline) ?? undefined;
  return { text: changed && chunks.length > 1 ? out : undefined, error };
}

/** A fresh parse's first syntax error in `chunk`, null when it parses; memoized by text. */
function chunkError(chunk: string, parser: TreeSitterParser, memo: BrokenMemo | undefined, deadline: number | undefined): ChunkError | null {
  const known = memo?.get(chunk);
  if (known !== undefined) return known;
  if (deadline !== undefined && performance.now() > deadline) throw new ParseCancelled();
  const tree = parseWithin(parser, chunk, null, deadline);
  if (!tree && deadline !== undefined && performance.now() > deadline) throw new ParseCancelled();
  let error: ChunkError | null = null;
  if (!tree) error = { start: 0, end: chunk.length };
  else {
    const bad = firstSyntaxError(tree.rootNode);
    // The runtime's offsets are UTF-16 code units already (engine.ts, charOffset).
    if (bad) error = { start: bad.startIndex, end: bad.endIndex };
    tree.delete();
  }
  memo?.set(chunk, error);
  return error;
}

/** First ERROR or MISSING node in document order, if any (iterative: error trees can be deep). */
export function firstSyntaxError(root: SyntaxNode): SyntaxNode | undefined {
  if (!root.hasError) return undefined;
  let node = root;
  for (;;) {
    if (node.type === 'ERROR' || node.isMissing) return node;
    const next = node.children.find((c): c is SyntaxNode => !!c && (c.hasError || c.isMissing));
    if (!next) return node;
    node = next;
  }
}

/**
 * Where each statement's text fails to parse, by text: while a file is edited, all its
 * statements but one are the same from one keystroke to the next, and parsing each alone again
 * would cost a full parse of the file per keystroke. Bounded: cleared when it grows past
 * `limit` entries.
 */
export class BrokenMemo {
  private readonly map = new Map<string, ChunkError | null>();

  constructor(private readonly limit = 5_000) {}

  get(chunk: string): ChunkError | null | undefined {
    return this.map.get(chunk);
  }

  set(chunk: string, error: ChunkError | null): void {
    if (chunk.length > 65_536) return;
    if (this.map.size >= this.limit) this.map.clear();
    // A slice keeps the whole file text alive; the key gets its own copy (concatenating then
    // slicing makes V8 flatten into a new string of the chunk's size).
    this.map.set(`${chunk} `.slice(0, -1), error);
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
