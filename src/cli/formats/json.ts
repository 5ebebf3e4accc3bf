import type { Finding, FlowStep, Location } from '../../core';
import { allProblems, type LintRun } from '../run';
import { displayPath } from './paths';
import { TOOL_VERSION } from '../version';

/** Machine output: a stable JSON document with relative paths and 1-based positions. */
export function formatJson(run: LintRun): string {
  const rel = (file: string) => displayPath(run.baseDir, file);
  const loc = (l: Location) => ({
    file: rel(l.file),
    startLine: l.startLine,
    startColumn: l.startColumn,
    endLine: l.endLine,
    endColumn: l.endColumn,
  });
  const step = (s: FlowStep) => ({ ...loc(s.location), message: s.message });
  const finding = (f: Finding) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    cwe: f.cwe.map((n) => `CWE-${n}`),
    location: loc(f.location),
    flow: f.flow.map(step),
    fixes: f.fixes.map((x) => ({
      kind: x.kind,
      title: x.title,
      preferred: x.preferred === true,
      edits: x.edits.map((e) => ({ file: rel(e.file), start: e.span.start, end: e.span.end, text: e.text })),
    })),
    fingerprint: f.fingerprint,
    ...(f.properties ? { properties: f.properties } : {}),
  });
  const doc = {
    tool: { name: 'mcp-warden', version: TOOL_VERSION },
    files: run.results.map((r) => ({ file: rel(r.file), language: r.language, findings: r.findings.map(finding) })),
    problems: allProblems(run).map((p) => ({
      file: rel(p.file),
      kind: p.kind,
      message: p.message,
      ...(p.location ? { line: p.location.startLine, column: p.location.startColumn } : {}),
    })),
    // Only when there are any, so that reports of runs without skipped paths keep their bytes.
    ...(run.skipped && run.skipped.length > 0 ? { skipped: run.skipped.map((s) => ({ file: rel(s.file), reason: s.reason })) } : {}),
    summary: {
      files: run.results.length,
      findings: run.results.reduce((n, r) => n + r.findings.length, 0),
      baselined: run.baselined,
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
