import type { FileProblem, Finding, Severity } from '../../core';
import { allProblems, type LintRun } from '../run';
import { displayPath } from './paths';

export interface TextStyle {
  readonly color: boolean;
}

const CODES = { red: 31, yellow: 33, cyan: 36, gray: 90, bold: 1, underline: 4 } as const;

function paint(style: TextStyle, code: keyof typeof CODES, s: string): string {
  return style.color ? `\u001b[${CODES[code]}m${s}\u001b[0m` : s;
}

const SEVERITY_COLOR: Readonly<Record<Severity, keyof typeof CODES>> = { error: 'red', warning: 'yellow', note: 'cyan' };

/**
 * Human output: findings grouped by file, one line each as `path:line:col severity rule-id message`,
 * followed by files that could not be (fully) analysed and a summary line.
 */
export function formatText(run: LintRun, style: TextStyle): string {
  const lines: string[] = [];
  const problemsByFile = new Map<string, FileProblem[]>();
  for (const p of allProblems(run)) {
    const list = problemsByFile.get(p.file) ?? [];
    list.push(p);
    problemsByFile.set(p.file, list);
  }
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  let filesWithFindings = 0;
  for (const result of run.results) {
    if (result.findings.length === 0) continue;
    filesWithFindings++;
    const shown = displayPath(run.baseDir, result.file);
    lines.push(paint(style, 'underline', shown));
    for (const f of result.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else notes++;
      lines.push(`  ${findingLine(shown, f, style)}`);
    }
    lines.push('');
  }
  if (problemsByFile.size > 0) {
    for (const [file, problems] of problemsByFile) {
      const shown = displayPath(run.baseDir, file);
      for (const p of problems) {
        const where = p.location ? `${shown}:${p.location.startLine}:${p.location.startColumn}` : shown;
        lines.push(`${where} ${paint(style, 'gray', p.kind)} ${p.message}`);
      }
    }
    lines.push('');
  }
  // Paths the walk did not lint (links out of the scanned folders, duplicates, special files).
  if (run.skipped && run.skipped.length > 0) {
    for (const s of run.skipped) lines.push(`${displayPath(run.baseDir, s.file)} ${paint(style, 'gray', 'skipped')} ${s.reason}`);
    lines.push('');
  }
  const total = errors + warnings + notes;
  const scanned = run.results.length;
  const baselined = run.baselined > 0 ? `, ${run.baselined} accepted by the baseline` : '';
  if (total === 0) {
    lines.push(`No problems found in ${scanned} ${scanned === 1 ? 'file' : 'files'}${baselined}.`);
  } else {
    const summary = `${total} ${total === 1 ? 'problem' : 'problems'} (${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, ${notes} ${notes === 1 ? 'note' : 'notes'}) in ${filesWithFindings} of ${scanned} ${scanned === 1 ? 'file' : 'files'}${baselined}.`;
    lines.push(paint(style, 'bold', summary));
  }
  return `${lines.join('\n')}\n`;
}

function findingLine(shown: string, f: Finding, style: TextStyle): string {
  const where = `${shown}:${f.location.startLine}:${f.location.startColumn}`;
  const sev = paint(style, SEVERITY_COLOR[f.severity], f.severity);
  return `${where} ${sev} ${paint(style, 'gray', f.ruleId)} ${f.message}`;
}
