import * as path from 'node:path';
import type { CheckEvent, HarnessReport } from './events';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ReportPage {
  readonly nonce: string;
  /** `webview.cspSource`: the only origin styles and scripts may come from. */
  readonly cspSource: string;
  readonly styleUri: string;
  readonly scriptUri: string;
}

const ORDER: Readonly<Record<string, number>> = { failed: 0, error: 1, passed: 2, skipped: 3 };

function checkRow(r: Omit<CheckEvent, 'type'>, cwd: string | undefined): string {
  const where = [r.tool, r.param].filter(Boolean).join(' / ') || 'server';
  const source = r.source
    ? `<a href="#" class="source" data-file="${escapeHtml(r.source.file)}" data-line="${r.source.line}">${escapeHtml(
        `${cwd ? path.relative(cwd, r.source.file) || r.source.file : r.source.file}:${r.source.line}`,
      )}</a>`
    : '';
  const evidence = r.evidence
    ? `<details class="evidence"><summary>Evidence</summary><h4>Request</h4><pre>${escapeHtml(r.evidence.request)}</pre><h4>Response</h4><pre>${escapeHtml(r.evidence.response)}</pre></details>`
    : '';
  const badge = r.status === 'failed' && r.confirmed ? '<span class="badge confirmed">confirmed</span>' : '';
  return `<tr class="status-${escapeHtml(r.status)}"><td class="status">${escapeHtml(r.status)}${badge}</td><td><code>${escapeHtml(r.check)}</code></td><td>${escapeHtml(where)}</td><td>${escapeHtml(r.message)}${evidence}</td><td>${source}</td></tr>`;
}

/**
 * The harness report page. Everything from the run (names, messages, evidence) is escaped: a
 * hostile server controls its tool names and responses. The CSP allows only this webview's own
 * style and the one nonce'd script; nothing remote.
 */
export function renderReport(reports: readonly HarnessReport[], page: ReportPage): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `script-src 'nonce-${page.nonce}'`,
    `img-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
  ].join('; ');
  const sections: string[] = [];
  let failed = 0;
  let confirmed = 0;
  let checks = 0;
  for (const report of reports) {
    for (const server of report.servers) {
      const results = [...server.results].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9));
      checks += results.length;
      failed += results.filter((r) => r.status === 'failed').length;
      confirmed += results.filter((r) => r.status === 'failed' && r.confirmed).length;
      const status = server.status && server.status !== 'ok' ? ` <span class="badge">${escapeHtml(server.status)}</span>` : '';
      const error = server.error ? `<p class="error">${escapeHtml(server.error)}</p>` : '';
      const rows = results.map((r) => checkRow(r, report.cwd)).join('');
      sections.push(
        `<section><h2>${escapeHtml(server.name)}${status}</h2>${error}<table><thead><tr><th>Status</th><th>Check</th><th>Tool / parameter</th><th>Result</th><th>Source</th></tr></thead><tbody>${rows}</tbody></table></section>`,
      );
    }
  }
  const summary = reports.length
    ? `<p class="summary">${checks} checks, ${failed} failed (${confirmed} confirmed by the server's own behaviour).</p>`
    : '<p class="summary">No harness run yet. Run "MCP Warden: Run Security Harness" from the command palette.</p>';
  const filter = reports.length
    ? '<p class="filters"><label><input type="checkbox" id="only-failed"> Show only failures</label></p>'
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>MCP Warden harness report</title>
</head>
<body>
<h1>MCP Warden harness report</h1>
${summary}
${filter}
${sections.join('\n')}
<script nonce="${page.nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}
