import { performance } from 'node:perf_hooks';
import type { LineMap } from '../text';
import { copyTree, type PySource, type TextChange } from './ast';
import type { TreeSitterParser, TreeSitterTree } from './parser';

/** One parsed version of a file's text: the tree-sitter tree and its plain-node copy. */
export interface ParsedText {
  readonly file: string;
  readonly text: string;
  readonly tree: TreeSitterTree;
  readonly source: PySource;
}

/**
 * The single edit turning `before` into `after` (their common prefix and suffix kept), or
 * undefined when the texts are equal. Offsets are UTF-16 code units; the boundaries never
 * split a surrogate pair, so the edit stays valid for any encoding the parser might use.
 */
export function textChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  // Whole chunks first: comparing two substrings is one memory compare, not a call per character
  // (a keystroke in a 1,000-line file: 33,000 characters on either side of it).
  while (start + CHUNK <= max && before.substring(start, start + CHUNK) === after.substring(start, start + CHUNK)) start += CHUNK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Back off the low half of a pair whose high half is shared.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && before.substring(oldEnd - CHUNK, oldEnd) === after.substring(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  if (oldEnd < before.length && isLowSurrogate(before.charCodeAt(oldEnd)) && oldEnd > start) {
    oldEnd++;
    newEnd++;
  }
  return { start, oldEnd, newEnd };
}

const CHUNK = 256;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Row and column of an offset as tree-sitter's edit wants them (rows split at '\n'; columns in code units). */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Trees deeper than this are not diffed against their previous version (see parseText). Real
 * code stays far below: the deepest of 649 files of popular MCP servers is 31 levels deep.
 */
export const MAX_REUSE_DEPTH = 100;

/**
 * Parses `text` and copies its tree. With the previous version of the same file, tree-sitter
 * re-parses incrementally (the old tree is edited, then passed to `parse`) and the copy takes
 * over the unchanged subtrees of the previous copy (see copyTree). The previous version is
 * consumed either way: its tree is deleted and its nodes now belong to the result, except
 * when the text did not change, where the previous version itself is returned. `lines`, the
 * caller's line map of `text` if it has one, saves building another.
 */
export function parseText(parser: TreeSitterParser, file: string, text: string, previous?: ParsedText, lines?: LineMap, deadline?: number): ParsedText {
  if (previous && previous.file !== file) throw new Error(`parseText: a parse of '${previous.file}' passed for '${file}'`);
  if (!previous) return fresh(parser, file, text, lines, deadline);
  const change = textChange(previous.text, text);
  if (!change) return previous;
  let tree: TreeSitterTree | null = null;
  try {
    previous.tree.edit({
      startIndex: change.start,
      oldEndIndex: change.oldEnd,
      newEndIndex: change.newEnd,
      startPosition: pointAt(previous.text, change.start),
      oldEndPosition: pointAt(previous.text, change.oldEnd),
      newEndPosition: pointAt(text, change.newEnd),
    });
    tree = parseWithin(parser, text, previous.tree, deadline);
    if (!tree) throw deadline !== undefined && performance.now() > deadline ? new ParseCancelled() : new Error('tree-sitter returned no tree');
    // tree-sitter's changed-range walk is quadratic in the depth of the old tree (an edit in
    // a 20,000-term chain took 16 s): deep trees are copied afresh (still parsed incrementally).
    const source =
      previous.source.treeDepth <= MAX_REUSE_DEPTH
        ? copyTree(file, text, tree, { previous: previous.source, change, changedRanges: previous.tree.getChangedRanges(tree) }, lines)
        : copyTree(file, text, tree, undefined, lines);
    return { file, text, tree, source };
  } catch (err) {
    tree?.delete();
    throw err;
  } finally {
    previous.tree.delete();
  }
}

/**
 * tree-sitter's error recovery can spend seconds on a few hundred kilobytes of noise (256 KB of
 * printable garbage: ~3 s of CPU); the progress callback lets the per-file deadline stop it.
 */
export function parseWithin(parser: TreeSitterParser, text: string, old: TreeSitterTree | null, deadline: number | undefined): TreeSitterTree | null {
  const tree = parser.parse(text, old, deadline === undefined ? undefined : { progressCallback: () => performance.now() > deadline });
  // A cancelled parser resumes the cancelled document on its next parse unless it is reset.
  if (!tree) parser.reset();
  return tree;
}

/** The parse was cancelled at the per-file deadline. */
export class ParseCancelled extends Error {
  constructor() {
    super('parsing stopped: the per-file time budget ran out');
  }
}

function fresh(parser: TreeSitterParser, file: string, text: string, lines?: LineMap, deadline?: number): ParsedText {
  const tree = parseWithin(parser, text, null, deadline);
  if (!tree) throw deadline !== undefined && performance.now() > deadline ? new ParseCancelled() : new Error('tree-sitter returned no tree');
  try {
    return { file, text, tree, source: copyTree(file, text, tree, undefined, lines) };
  } catch (err) {
    tree.delete();
    throw err;
  }
}
