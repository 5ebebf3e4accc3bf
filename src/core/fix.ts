import type { Finding, TextEdit } from './types';

/**
 * Applies edits to one file's text. Edits are applied in order of position; an edit that
 * overlaps one already taken is skipped (and returned) so the result is always well formed.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; skipped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const taken: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  let lastEnd = -1;
  for (const e of sorted) {
    if (e.span.start < lastEnd || e.span.start > e.span.end || e.span.end > text.length) {
      skipped.push(e);
      continue;
    }
    taken.push(e);
    lastEnd = Math.max(e.span.end, e.span.start + (e.span.start === e.span.end ? 1 : 0));
  }
  let out = '';
  let pos = 0;
  for (const e of taken) {
    out += text.slice(pos, e.span.start) + e.text;
    pos = e.span.end;
  }
  return { text: out + text.slice(pos), skipped };
}

/**
 * The behaviour-preserving edits `--fix` may apply for these findings of one file: for each
 * finding its first proposal of kind `fix` (suggestions are never auto-applied), whole
 * proposals only, skipping any that overlaps an edit already chosen.
 */
export function autoFixEdits(file: string, findings: readonly Finding[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const overlaps = (e: TextEdit) =>
    chosen.some((c) => e.span.start < c.span.end && c.span.start < e.span.end) ||
    chosen.some((c) => c.span.start === c.span.end && e.span.start === e.span.end && c.span.start === e.span.start);
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.kind === 'fix');
    if (!fix) continue;
    const edits = fix.edits.filter((e) => e.file === file);
    if (edits.length !== fix.edits.length || edits.some(overlaps)) continue;
    chosen.push(...edits);
  }
  return chosen;
}
