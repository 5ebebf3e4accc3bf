import type { FileResult } from '../../src/core/types';

/** A result as a user sees it (no timing), one JSON line per field so a difference names its line. */
export function comparable(r: FileResult): string {
  const { elapsedMs: _elapsed, ...rest } = r;
  return JSON.stringify(rest, null, 1);
}

/** How `typingEdit` picks its edits. */
export interface TypingEdits {
  readonly snippets: readonly string[];
  /** Where replays happen (definitions): most edits land within `reach` characters after one. */
  readonly anchors: RegExp;
  readonly reach: number;
  /** Below `insert` a snippet is inserted, below `remove` a few characters are deleted, else a line moves. */
  readonly insert: number;
  readonly remove: number;
}

/** A typing-like edit of a Python file: insert a snippet, delete a few characters, or move a line. */
export function typingEdit(text: string, rnd: () => number, o: TypingEdits): string {
  const anchors: number[] = [];
  for (const m of text.matchAll(o.anchors)) anchors.push(m.index!);
  let at = Math.floor(rnd() * (text.length + 1));
  if (anchors.length > 0 && rnd() < 0.8) at = Math.min(text.length, anchors[Math.floor(rnd() * anchors.length)]! + Math.floor(rnd() * o.reach));
  const r = rnd();
  if (r < o.insert) return text.slice(0, at) + o.snippets[Math.floor(rnd() * o.snippets.length)] + text.slice(at);
  if (r < o.remove) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 12)));
  // A line cut and pasted elsewhere (a helper moved, a statement moved between functions).
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end < 0 ? text.length : end + 1);
  const rest = text.slice(0, start) + text.slice(start + line.length);
  const to = Math.floor(rnd() * (rest.length + 1));
  return rest.slice(0, to) + line + rest.slice(to);
}
