import type { CheckResult, HarnessReport } from '../../harness';
import { displayPath } from './paths';
import type { TextStyle } from './text';

const CODES = { red: 31, yellow: 33, cyan: 36, gray: 90, bold: 1, green: 32 } as const;

function paint(style: TextStyle, code: keyof typeof CODES, s: string): string {
  return style.color ? `\u001b[${CODES[code]}m${s}\u001b[0m` : s;
}

function indent(s: string, prefix: string): string {
  return s
    .split('\n')
    .slice(0, 12)
    .map((l) => `${prefix}${l.length > 200 ? `${l.slice(0, 200)}…` : l}`)
    .join('\n');
}

function where(r: CheckResult): string {
  return [r.tool, r.param].filter(Boolean).join(' › ') || '(server)';
}

/**
 * Human output: per server, every confirmed failure with its evidence and source line, then
 * checks that could not run, skipped tools, and a summary line.
 */
export function formatHarnessText(report: HarnessReport, style: TextStyle): string {
  const lines: string[] = [];
  for (const s of report.servers) {
    const head = `${s.name} (${s.transport}${s.serverInfo ? `, ${s.serverInfo.name} ${s.serverInfo.version}` : ''})`;
    lines.push(paint(style, 'bold', head));
    if (s.status !== 'ok') lines.push(`  ${paint(style, 'red', s.status === 'aborted' ? 'aborted' : 'could not run')}: ${s.error ?? ''}`);
    for (const r of s.results.filter((x) => x.status === 'failed')) {
      const sev = paint(style, r.severity === 'error' ? 'red' : r.severity === 'warning' ? 'yellow' : 'cyan', r.severity);
      lines.push(`  ${sev} ${paint(style, 'gray', r.check)} ${where(r)}: ${r.message}`);
      if (r.source) lines.push(`      at ${displayPath(report.cwd, r.source.file)}:${r.source.line}`);
      if (r.evidence) {
        lines.push(indent(r.evidence.request, '      > '));
        lines.push(indent(r.evidence.response, '      < '));
      }
    }
    const errors = s.results.filter((x) => x.status === 'error');
    for (const r of errors.slice(0, 20)) lines.push(`  ${paint(style, 'yellow', 'not run')} ${paint(style, 'gray', r.check)} ${where(r)}: ${r.message}`);
    if (errors.length > 20) lines.push(`  … and ${errors.length - 20} more checks that could not run`);
    for (const t of s.tools.filter((x) => x.skipped)) lines.push(`  ${paint(style, 'gray', 'skipped')} ${t.name}: ${t.skipped}`);
    // Said once per server: the path.traversal results of every parameter carry the same note.
    const unplanted = s.results.map((r) => (r.check === 'path.traversal' ? /the sibling-prefix and symlink probes were skipped: [^;]*/.exec(r.message)?.[0] : undefined)).find(Boolean);
    if (unplanted) lines.push(`  ${paint(style, 'gray', 'skipped')} path.traversal: ${unplanted}`);
    const passed = s.results.filter((x) => x.status === 'passed').length;
    lines.push(`  ${s.tools.length} tools, ${s.results.length} checks, ${passed} passed, ${(s.durationMs / 1000).toFixed(1)} s`);
    lines.push('');
  }
  const m = report.summary;
  const summary = `${m.confirmed} confirmed ${m.confirmed === 1 ? 'failure' : 'failures'}, ${m.passed} passed, ${m.skipped} skipped, ${m.errors} not run, in ${(report.durationMs / 1000).toFixed(1)} s.`;
  lines.push(paint(style, m.confirmed > 0 ? 'bold' : 'green', summary));
  return `${lines.join('\n')}\n`;
}
