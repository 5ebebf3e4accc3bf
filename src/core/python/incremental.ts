import { performance } from 'node:perf_hooks';
import type { LineMap } from '../text';
import { copyTree, type PySource, type TextChange } from './ast';
import type { TreeSitterParser, TreeSitterTree } from './parser';
import { editSteps, type EditStep } from '../ts/engine';

/** One parsed version of a file's text: the tree-sitter tree and its plain-node copy. */
export interface ParsedText {
  readonly file: string;
  readonly text: string;
  readonly tree: TreeSitterTree;
  readonly source: PySource;
  /** For an incremental parse: the text it was parsed from, and the edits from there (textEdits). */
  readonly edited?: { readonly from: string; readonly changes: readonly TextChange[] };
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

/** An offset with its row and column as tree-sitter's edit wants them (rows split at '\n'; columns in code units). */
interface Point {
  readonly offset: number;
  readonly row: number;
  readonly column: number;
}

/** The point of offset `to` in `text`, counted on from `from`, a point of `text` at or before it. */
function pointFrom(text: string, from: Point, to: number): Point {
  let row = from.row;
  let lineStart = from.offset - from.column;
  for (let i = text.indexOf('\n', from.offset); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { offset: to, row, column: to - lineStart };
}

/** One edit of a text: the change, and the text it leaves. */
export interface TextEdit {
  readonly change: TextChange;
  readonly text: string;
}

/**
 * A change of at least this many characters (removed plus inserted) is tried as two edits. Both
 * go to one re-parse, so a second edit costs little; the benchmark's change (a letter typed in
 * one tool's description, the last one undone in the next tool's: 300 to 1,500 characters apart)
 * re-parsed and copied the code between as new.
 */
const SPLIT_AT = 128;

/**
 * The edits turning `before` into `after`, in the order tree-sitter's `edit` takes them (each in
 * the coordinates of the text the edits before it left): none for equal texts; one, their
 * common prefix and suffix left out; or two when the text changed in two places far apart (the
 * TypeScript engine's editSteps), so that the re-parse and the copy keep every node between
 * them. The second edit then starts after the first one's new text ends, not touching it.
 */
export function textEdits(before: string, after: string): TextEdit[] {
  const whole = textChange(before, after);
  if (!whole) return [];
  if (whole.oldEnd + whole.newEnd - 2 * whole.start >= SPLIT_AT) {
    const steps = editSteps(before, after, SPLIT_AT);
    if (steps.length === 2) {
      const middle = steps[0]!.text;
      const first = changeOf(steps[0]!.range);
      const second = changeOf(steps[1]!.range);
      // Like textChange's, the edits must not split a surrogate pair (rare: else one edit).
      if (second.start > first.newEnd && !splitsPair(before, first.start, first.oldEnd) && !splitsPair(middle, first.start, first.newEnd) && !splitsPair(middle, second.start, second.oldEnd) && !splitsPair(after, second.start, second.newEnd)) {
        return [
          { change: first, text: middle },
          { change: second, text: after },
        ];
      }
    }
  }
  return [{ change: whole, text: after }];
}

function changeOf(range: EditStep['range']): TextChange {
  const start = range.span.start;
  return { start, oldEnd: start + range.span.length, newEnd: start + range.newLength };
}

/** Whether `[start, end)` of `text` begins or ends between the two halves of a surrogate pair. */
function splitsPair(text: string, start: number, end: number): boolean {
  const inPair = (at: number) => at > 0 && at < text.length && isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at));
  return inPair(start) || inPair(end);
}

/**
 * Trees deeper than this are not diffed against their previous version (see parseText). Real
 * code stays far below: the deepest of 649 files of popular MCP servers is 31 levels deep.
 */
export const MAX_REUSE_DEPTH = 100;

/**
 * Parses `text` and copies its tree. With the previous version of the same file, tree-sitter
 * re-parses incrementally (the old tree is edited, once or twice: see textEdits, then passed
 * to `parse`) and the copy takes over the unchanged subtrees of the previous copy (see
 * copyTree). The previous version is consumed either way: its tree is deleted and its nodes
 * now belong to the result, except when the text did not change, where the previous version
 * itself is returned. `lines`, the caller's line map of `text` if it has one, saves building
 * another.
 */
export function parseText(parser: TreeSitterParser, file: string, text: string, previous?: ParsedText, lines?: LineMap, deadline?: number): ParsedText {
  if (previous && previous.file !== file) throw new Error(`parseText: a parse of '${previous.file}' passed for '${file}'`);
  if (!previous) return fresh(parser, file, text, lines, deadline);
  const edits = textEdits(previous.text, text);
  if (edits.length === 0) return previous;
  let tree: TreeSitterTree | null = null;
  try {
    // Each edit in the coordinates the edits before it left, as tree-sitter takes them; rows
    // and columns counted on from the last edit's (the texts agree up to where an edit starts).
    let before = previous.text;
    let mark: Point = { offset: 0, row: 0, column: 0 };
    for (const { change, text: after } of edits) {
      const start = pointFrom(before, mark, change.start);
      const oldEnd = pointFrom(before, start, change.oldEnd);
      mark = pointFrom(after, start, change.newEnd);
      previous.tree.edit({
        startIndex: change.start,
        oldEndIndex: change.oldEnd,
        newEndIndex: change.newEnd,
        startPosition: { row: start.row, column: start.column },
        oldEndPosition: { row: oldEnd.row, column: oldEnd.column },
        newEndPosition: { row: mark.row, column: mark.column },
      });
      before = after;
    }
    const changes = edits.map((e) => e.change);
    tree = parseWithin(parser, text, previous.tree, deadline);
    if (!tree) throw deadline !== undefined && performance.now() > deadline ? new ParseCancelled() : new Error('tree-sitter returned no tree');
    // tree-sitter's changed-range walk is quadratic in the depth of the old tree (an edit in
    // a 20,000-term chain took 16 s): deep trees are copied afresh (still parsed incrementally).
    const source =
      previous.source.treeDepth <= MAX_REUSE_DEPTH
        ? copyTree(file, text, tree, { previous: previous.source, changes, changedRanges: previous.tree.getChangedRanges(tree) }, lines)
        : copyTree(file, text, tree, undefined, lines);
    return { file, text, tree, source, edited: { from: previous.text, changes } };
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
