import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileResult } from '../../src/core';

/**
 * Fixture annotations (semgrep-rules style). A comment line `// ruleid: <id>[, <id>...]`
 * (`#` in Python) says the next code line must be reported by those rules; `ok:` that it must
 * not; `todoruleid:` marks a known miss (must NOT be reported, so fixing the gap turns the test
 * red until the annotation becomes `ruleid:`); `todook:` marks a known false positive (must be
 * reported). Several annotation lines may stack above one code line.
 */
export type AnnotationKind = 'ruleid' | 'ok' | 'todoruleid' | 'todook';

export interface Annotation {
  readonly kind: AnnotationKind;
  readonly ruleId: string;
  /** 1-based line of the annotation comment. */
  readonly commentLine: number;
  /** 1-based line it applies to. */
  readonly targetLine: number;
}

const ANNOTATION = /^\s*(?:\/\/|#|\/\*|\*)\s*(ruleid|ok|todoruleid|todook)\s*:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?:\*\/)?\s*$/;
const COMMENT_ONLY = /^\s*(?:\/\/|#|\/\*|\*)/;

export function parseAnnotations(text: string): Annotation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Annotation[] = [];
  let pending: { kind: AnnotationKind; ruleId: string; commentLine: number }[] = [];
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (m) {
      for (const id of m[2]!.split(',')) pending.push({ kind: m[1] as AnnotationKind, ruleId: id.trim(), commentLine: i + 1 });
      return;
    }
    if (pending.length > 0 && line.trim() !== '' && !COMMENT_ONLY.test(line)) {
      for (const p of pending) out.push({ ...p, targetLine: i + 1 });
      pending = [];
    }
  });
  if (pending.length > 0) throw new Error(`annotation on line ${pending[0]!.commentLine} has no code line after it`);
  return out;
}

/** Marker that lets a fixture contain deliberate syntax errors. */
export const ALLOW_PARSE_ERRORS = 'mcp-warden-fixture: allow-parse-errors';

/**
 * Compares a lint result with the file's annotations and returns every mismatch as a
 * readable line (empty when the fixture passes). Strict: a finding on a line without a
 * matching `ruleid`/`todook` annotation is a mismatch.
 */
export function checkAnnotations(text: string, result: FileResult, displayName: string): string[] {
  const annotations = parseAnnotations(text);
  const errors: string[] = [];
  const found = new Map<string, string>(); // "rule@line" -> message
  for (const f of result.findings) found.set(`${f.ruleId}@${f.location.startLine}`, f.message);
  const expected = new Set<string>();
  for (const a of annotations) {
    const key = `${a.ruleId}@${a.targetLine}`;
    const hit = found.has(key);
    const where = `${displayName}:${a.targetLine}`;
    switch (a.kind) {
      case 'ruleid':
        expected.add(key);
        if (!hit) errors.push(`${where}: expected a '${a.ruleId}' finding (ruleid on line ${a.commentLine}), got none`);
        break;
      case 'todook':
        expected.add(key);
        if (!hit) errors.push(`${where}: known false positive of '${a.ruleId}' is gone: change 'todook' to 'ok' on line ${a.commentLine}`);
        break;
      case 'ok':
        if (hit) errors.push(`${where}: unexpected '${a.ruleId}' finding on an 'ok' line: ${found.get(key)}`);
        break;
      case 'todoruleid':
        if (hit) errors.push(`${where}: known miss of '${a.ruleId}' is now found: change 'todoruleid' to 'ruleid' on line ${a.commentLine}`);
        break;
    }
  }
  for (const [key, message] of found) {
    if (expected.has(key)) continue;
    if (annotations.some((a) => `${a.ruleId}@${a.targetLine}` === key)) continue; // already reported above
    const [ruleId, line] = key.split('@');
    errors.push(`${displayName}:${line}: unannotated '${ruleId}' finding: ${message}`);
  }
  if (!text.includes(ALLOW_PARSE_ERRORS)) {
    for (const p of result.problems) {
      errors.push(`${displayName}${p.location ? `:${p.location.startLine}` : ''}: ${p.kind}: ${p.message}`);
    }
  }
  return errors;
}

/** Every fixture input below `dir` (golden `*.fixed.*` outputs excluded). */
export function fixtureFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...fixtureFiles(p));
    else if (/\.(?:[cm]?[jt]sx?|py)$/.test(entry.name) && !/\.fixed\.[a-z]+$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}
