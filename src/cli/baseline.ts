import * as fs from 'node:fs';
import type { Finding } from '../core';
import { UsageError } from './errors';
import { displayPath } from './formats/paths';

/**
 * A committed file of accepted findings, matched by rule, path and fingerprint. Paths are
 * relative to the baseline file's own folder, so the same baseline works whatever folder the
 * CLI runs from; fingerprints ignore line numbers, so edits elsewhere keep entries valid.
 */
export interface Baseline {
  readonly version: 1;
  readonly findings: readonly { readonly ruleId: string; readonly file: string; readonly fingerprint: string; readonly message?: string }[];
}

function key(ruleId: string, file: string, fingerprint: string): string {
  return `${ruleId}\0${file}\0${fingerprint}`;
}

/** Reads a baseline; throws UsageError when it is missing or not a version-1 baseline. */
export function readBaseline(file: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `baseline file not found: ${file}` : `cannot read baseline ${file}: ${(err as Error).message}`);
  }
  const b = parsed as Partial<Baseline>;
  if (b === null || typeof b !== 'object' || b.version !== 1 || !Array.isArray(b.findings)) {
    throw new UsageError(`${file} is not an mcp-warden baseline (version 1)`);
  }
  const out = new Set<string>();
  for (const f of b.findings) {
    if (!f || typeof f.ruleId !== 'string' || typeof f.file !== 'string' || typeof f.fingerprint !== 'string') {
      throw new UsageError(`${file}: every baseline entry needs string 'ruleId', 'file' and 'fingerprint'`);
    }
    out.add(key(f.ruleId, f.file, f.fingerprint));
  }
  return out;
}

/** Whether the baseline (paths relative to `baseDir`, its folder) accepts this finding. */
export function isBaselined(accepted: ReadonlySet<string>, baseDir: string, f: Finding): boolean {
  return accepted.has(key(f.ruleId, displayPath(baseDir, f.location.file), f.fingerprint));
}

/** Writes findings as a baseline, sorted so that regenerating it gives small, reviewable diffs. */
export function writeBaseline(file: string, baseDir: string, findings: readonly Finding[]): void {
  const sorted = [...findings].sort(
    (a, b) =>
      displayPath(baseDir, a.location.file).localeCompare(displayPath(baseDir, b.location.file)) ||
      a.location.span.start - b.location.span.start ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const doc: Baseline = {
    version: 1,
    findings: sorted.map((f) => ({
      ruleId: f.ruleId,
      file: displayPath(baseDir, f.location.file),
      fingerprint: f.fingerprint,
      message: f.message,
    })),
  };
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}
