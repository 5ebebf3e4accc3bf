import * as fs from 'node:fs';
import type { Finding } from '../core';
import { UsageError } from './errors';
import { displayPath } from './formats/paths';

/** A committed file of accepted findings, matched by rule, relative path and fingerprint. */
export interface Baseline {
  readonly version: 1;
  readonly findings: readonly { readonly ruleId: string; readonly file: string; readonly fingerprint: string; readonly message?: string }[];
}

function key(ruleId: string, file: string, fingerprint: string): string {
  return `${ruleId}\0${file}\0${fingerprint}`;
}

export function readBaseline(file: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `baseline file not found: ${file}` : `cannot read baseline ${file}: ${(err as Error).message}`);
  }
  const b = parsed as Partial<Baseline>;
  if (b.version !== 1 || !Array.isArray(b.findings)) throw new UsageError(`${file} is not an mcp-warden baseline (version 1)`);
  return new Set(b.findings.map((f) => key(f.ruleId, f.file, f.fingerprint)));
}

export function isBaselined(accepted: ReadonlySet<string>, baseDir: string, f: Finding): boolean {
  return accepted.has(key(f.ruleId, displayPath(baseDir, f.location.file), f.fingerprint));
}

export function writeBaseline(file: string, baseDir: string, findings: readonly Finding[]): void {
  const doc: Baseline = {
    version: 1,
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      file: displayPath(baseDir, f.location.file),
      fingerprint: f.fingerprint,
      message: f.message,
    })),
  };
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}
