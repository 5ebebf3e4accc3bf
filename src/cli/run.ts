import type { SkippedPath } from './files';
import type { FileProblem, FileResult, Finding, Rule } from '../core';

/** Everything one `lint` run produced, handed to the output formats. */
export interface LintRun {
  /** Folder that relative paths in the output are relative to (the working directory). */
  readonly baseDir: string;
  readonly rules: readonly Rule[];
  readonly results: readonly FileResult[];
  /** Files that could not be analysed at all (unreadable, binary, too large). */
  readonly unreadable: readonly FileProblem[];
  /** Texts of the analysed files, for formats that resolve fix edits to lines. */
  readonly texts: ReadonlyMap<string, string>;
  /** Findings dropped because the baseline accepts them. */
  readonly baselined: number;
  /**
   * Paths met in the walk and not linted, with the reason (links out of the scanned folders,
   * second paths to one file, special files, undecodable names). Informational only.
   */
  readonly skipped?: readonly SkippedPath[];
}

export function allFindings(run: LintRun): Finding[] {
  return run.results.flatMap((r) => r.findings);
}

export function allProblems(run: LintRun): FileProblem[] {
  return [...run.unreadable, ...run.results.flatMap((r) => r.problems)];
}

/** Findings that make `lint` exit 1: severity warning or error. */
export function failingFindings(run: LintRun): Finding[] {
  return allFindings(run).filter((f) => f.severity === 'error' || f.severity === 'warning');
}
