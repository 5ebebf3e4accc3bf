import type { CheckResult, HarnessEvent, HarnessReport, SourceLine } from '../../harness';
import { displayPath } from './paths';

function relSource(baseDir: string, s: SourceLine | undefined): SourceLine | undefined {
  return s ? { file: displayPath(baseDir, s.file), line: s.line } : undefined;
}

function relResult<T extends CheckResult>(baseDir: string, r: T): T {
  return r.source ? { ...r, source: relSource(baseDir, r.source) } : r;
}

/** The report with source paths relative to the run's folder, as `--format json` prints it. */
export function harnessJsonReport(report: HarnessReport): HarnessReport {
  return {
    ...report,
    servers: report.servers.map((s) => ({
      ...s,
      tools: s.tools.map((t) => (t.source ? { ...t, source: relSource(report.cwd, t.source) } : t)),
      ...(s.location ? { location: relSource(report.cwd, s.location) } : {}),
      results: s.results.map((r) => relResult(report.cwd, r)),
    })),
  };
}

/** `--format json`. */
export function formatHarnessJson(report: HarnessReport): string {
  return `${JSON.stringify(harnessJsonReport(report), null, 2)}\n`;
}

/** One `--events` line; paths relative to `baseDir` like the JSON report. */
export function formatHarnessEvent(e: HarnessEvent, baseDir: string): string {
  if (e.type === 'check') return `${JSON.stringify(relResult(baseDir, e))}\n`;
  if (e.type === 'run-end') return `${JSON.stringify({ ...e, report: harnessJsonReport(e.report) })}\n`;
  return `${JSON.stringify(e)}\n`;
}
