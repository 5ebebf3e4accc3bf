/**
 * What a fuzz case must satisfy: the analysis returns (no exception escapes), no engine
 * crashed ('internal-error'), it stays within its time allowance, and everything it reports
 * points inside the text it was given.
 */
import type { FileResult, Location } from '../../src/core';

function locationErrors(what: string, loc: Location, textLength: number): string[] {
  const errs: string[] = [];
  const { start, end } = loc.span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > textLength) {
    errs.push(`${what}: span ${start}..${end} is outside 0..${textLength}`);
  }
  if (!(loc.startLine >= 1) || !(loc.startColumn >= 1) || loc.endLine < loc.startLine) {
    errs.push(`${what}: bad line/column ${loc.startLine}:${loc.startColumn}-${loc.endLine}:${loc.endColumn}`);
  }
  return errs;
}

/** Broken invariants of one result, as one-line descriptions (empty when all hold). */
export function resultErrors(file: string, text: string, result: FileResult): string[] {
  const errs: string[] = [];
  for (const p of result.problems) {
    if (p.kind === 'internal-error') errs.push(`internal-error: ${p.message}`);
    if (p.location) errs.push(...locationErrors(`problem ${p.kind}`, p.location, text.length));
  }
  for (const f of result.findings) {
    const id = `finding ${f.ruleId}`;
    if (!f.message || typeof f.message !== 'string') errs.push(`${id}: empty message`);
    if (!f.fingerprint) errs.push(`${id}: no fingerprint`);
    if (f.location.file !== file) errs.push(`${id}: location in another file ${f.location.file}`);
    errs.push(...locationErrors(id, f.location, text.length));
    for (const step of f.flow) {
      if (step.location.file === file) errs.push(...locationErrors(`${id} flow step '${step.message}'`, step.location, text.length));
    }
    for (const fix of f.fixes) {
      for (const e of fix.edits) {
        if (e.file === file && (e.span.start < 0 || e.span.end < e.span.start || e.span.end > text.length)) {
          errs.push(`${id} fix '${fix.title}': edit ${e.span.start}..${e.span.end} outside the text`);
        }
      }
    }
  }
  return errs;
}
