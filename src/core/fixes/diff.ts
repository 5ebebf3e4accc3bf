import type { TextEdit } from '../types';

/** Lines with their terminators, so joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** How far ahead (in lines) to look for the point where two texts agree again. */
const LOOKAHEAD = 200;

/**
 * Minimal edits turning `before` into `after`: lines are matched greedily (after a difference,
 * the nearest line both texts share again resynchronises them), which is
 * linear for the small, scattered changes fixes make; each changed hunk is then trimmed to the
 * characters that differ. Lets a fix builder compute a whole new text (e.g. after removing
 * imports the rewrite left unused) and still hand editors small, precise edits.
 */
export function diffEdits(file: string, before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  const offsets: number[] = [0];
  for (const l of a) offsets.push(offsets[offsets.length - 1]! + l.length);
  const hunks: { aStart: number; aEnd: number; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    // Nearest resynchronisation point by total distance.
    let best: [number, number] | undefined;
    for (let d = 1; d <= 2 * LOOKAHEAD && !best; d++) {
      for (let di = Math.max(0, d - LOOKAHEAD); di <= Math.min(d, LOOKAHEAD); di++) {
        const ii = i + di;
        const jj = j + (d - di);
        if (ii < a.length && jj < b.length && a[ii] === b[jj]) {
          best = [ii, jj];
          break;
        }
      }
    }
    const [ni, nj] = best ?? [a.length, b.length];
    hunks.push({ aStart: i, aEnd: ni, text: b.slice(j, nj).join('') });
    i = ni;
    j = nj;
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
