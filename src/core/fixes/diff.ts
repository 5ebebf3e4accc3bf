import type { TextEdit } from '../types';

/** Lines with their terminators, so joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Above this many lines × lines in the changed region, one edit covers it (no LCS table). */
const MAX_CELLS = 4_000_000;

/**
 * Minimal edits turning `before` into `after`: changed lines are found with a longest common
 * subsequence over the region between the common head and tail, and each changed hunk is
 * trimmed to the characters that differ. Lets a fix builder compute a whole new text (e.g.
 * after removing imports the rewrite left unused) and still hand editors small, precise edits.
 */
export function diffEdits(file: string, before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const offsets: number[] = [0];
  for (const l of a) offsets.push(offsets[offsets.length - 1]! + l.length);
  const hunks: { aStart: number; aEnd: number; text: string }[] = [];
  if (am.length * bm.length > MAX_CELLS) {
    hunks.push({ aStart: head, aEnd: a.length - tail, text: bm.join('') });
  } else {
    // lcs[i][j] = LCS length of am[i..] and bm[j..].
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] = am[i] === bm[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    let open: { aStart: number; aEnd: number; text: string } | undefined;
    const flush = () => {
      if (open) hunks.push(open);
      open = undefined;
    };
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        flush();
        i++;
        j++;
      } else if (j < bm.length && (i === am.length || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
        open ??= { aStart: head + i, aEnd: head + i, text: '' };
        open.text += bm[j];
        j++;
      } else {
        open ??= { aStart: head + i, aEnd: head + i, text: '' };
        open.aEnd = head + i + 1;
        i++;
      }
    }
    flush();
  }
  return hunks.map((h) => {
    let start = offsets[h.aStart]!;
    let end = offsets[h.aEnd]!;
    let text = h.text;
    // Trim the characters both sides share, so a changed word is a small edit.
    let p = 0;
    while (p < text.length && start + p < end && before[start + p] === text[p]) p++;
    start += p;
    text = text.slice(p);
    let s = 0;
    while (s < text.length && end - s > start && before[end - 1 - s] === text[text.length - 1 - s]) s++;
    end -= s;
    text = text.slice(0, text.length - s);
    return { file, span: { start, end }, text };
  });
}
