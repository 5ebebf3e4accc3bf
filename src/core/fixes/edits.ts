import type { TextEdit } from '../types';

/**
 * Joins insertions at the same offset into one edit, in the order given (e.g. a new import and a
 * helper function both going after the last import), so the proposal applies in one piece:
 * editors and `applyEdits` reject two insertions at one point.
 */
export function mergeInsertions(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = e.span.start === e.span.end ? out.find((o) => o.file === e.file && o.span.start === e.span.start && o.span.end === e.span.end) : undefined;
    if (same) {
      out[out.indexOf(same)] = { ...same, text: same.text + e.text };
    } else if (!out.some((o) => o.file === e.file && o.span.start === e.span.start && o.span.end === e.span.end && o.text === e.text)) {
      out.push(e);
    }
  }
  return out;
}
