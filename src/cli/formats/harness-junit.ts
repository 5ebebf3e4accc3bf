import type { CheckResult, HarnessReport } from '../../harness';

function xml(s: string): string {
  // XML 1.0 forbids most control characters even escaped; drop them.
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function caseName(r: CheckResult): string {
  return r.param ? `${r.check} [${r.param}]` : r.check;
}

/** `--format junit`: testsuite per server, testcase per check (classname server.tool). */
export function formatHarnessJunit(report: HarnessReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = report.servers.flatMap((s) => s.results);
  const count = (st: string) => all.filter((r) => r.status === st).length;
  out.push(
    `<testsuites name="mcp-warden harness" tests="${all.length}" failures="${count('failed')}" errors="${count('error')}" skipped="${count('skipped')}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  );
  for (const s of report.servers) {
    const rs = s.results;
    const n = (st: string) => rs.filter((r) => r.status === st).length;
    out.push(
      `  <testsuite name="${xml(s.name)}" tests="${rs.length}" failures="${n('failed')}" errors="${n('error') + (s.status === 'ok' ? 0 : 1)}" skipped="${n('skipped')}" time="${(s.durationMs / 1000).toFixed(3)}">`,
    );
    if (s.status !== 'ok') {
      out.push(`    <testcase classname="${xml(s.name)}" name="server"><error message="${xml(s.error ?? s.status)}"/></testcase>`);
    }
    for (const r of rs) {
      const classname = xml(r.tool ? `${s.name}.${r.tool}` : s.name);
      const open = `    <testcase classname="${classname}" name="${xml(caseName(r))}"`;
      if (r.status === 'passed') {
        out.push(`${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      if (r.status === 'failed') {
        const body = [r.source ? `at ${r.source.file}:${r.source.line}` : '', r.evidence ? `request:\n${r.evidence.request}\n\nresponse:\n${r.evidence.response}` : '']
          .filter(Boolean)
          .join('\n\n');
        out.push(`      <failure type="${xml(r.check)}" message="${xml(r.message)}">${xml(body)}</failure>`);
      } else if (r.status === 'error') {
        out.push(`      <error type="${xml(r.check)}" message="${xml(r.message)}"/>`);
      } else {
        out.push(`      <skipped message="${xml(r.message)}"/>`);
      }
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
