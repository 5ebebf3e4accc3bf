import { createHash } from 'node:crypto';
import { REQUIREMENTS, requirementDocsUrl, type HarnessReport, type Requirement } from '../../harness';
import { ArtifactLocator, sarifDriver, sarifLog } from './sarif';

type Json = Record<string, unknown>;

const SECURITY_SEVERITY = { error: '8.8', warning: '5.9', note: '3.1' } as const;

/** A `reportingDescriptor` for a harness check, shaped like the lint rules' descriptors. */
export function sarifRequirement(r: Requirement): Json {
  return {
    id: r.id,
    name: r.id.replace(/(^|[.-])([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.behaviour },
    helpUri: requirementDocsUrl(r.id),
    help: { text: `${r.behaviour} Source: ${r.source}.` },
    defaultConfiguration: { level: r.severity },
    properties: {
      tags: ['security', 'harness', ...r.cwe.map((n) => `external/cwe/cwe-${n}`)],
      precision: 'very-high',
      'problem.severity': r.severity === 'note' ? 'recommendation' : r.severity,
      'security-severity': SECURITY_SEVERITY[r.severity],
      transports: r.transports,
    },
  };
}

/** A SARIF 2.1.0 log of a harness run: one result per failed check, at the tool's registration line. */
export function buildHarnessSarif(report: HarnessReport): Json {
  const locator = new ArtifactLocator(report.cwd);
  const index = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));
  const results: Json[] = [];
  for (const s of report.servers) {
    for (const r of s.results) {
      if (r.status !== 'failed') continue;
      const result: Json = {
        ruleId: r.check,
        ruleIndex: index.get(r.check),
        level: r.severity,
        message: { text: r.message },
        partialFingerprints: {
          'mcpWardenHarness/v1': createHash('sha256').update(`${s.name}\0${r.tool ?? ''}\0${r.param ?? ''}\0${r.check}`).digest('hex').slice(0, 32),
        },
        properties: { server: s.name, tool: r.tool, param: r.param, check: r.check, confirmed: r.confirmed, evidence: r.evidence ?? null },
      };
      // Code scanning needs a location: the tool's registration line, else the server's entry file or config.
      const where = r.source ?? s.location;
      if (where) {
        result.locations = [{ physicalLocation: { artifactLocation: locator.artifact(where.file), region: { startLine: where.line } } }];
      }
      results.push(result);
    }
  }
  const notifications = report.servers
    .filter((s) => s.status !== 'ok')
    .map((s) => ({ level: 'error', message: { text: `${s.name}: ${s.error ?? s.status}` } }));
  return sarifLog([
    {
      tool: { driver: sarifDriver(REQUIREMENTS.map(sarifRequirement)) },
      originalUriBaseIds: locator.originalUriBaseIds(),
      invocations: [{ executionSuccessful: report.exitCode !== 2, toolExecutionNotifications: notifications }],
      results,
      columnKind: 'utf16CodeUnits',
    },
  ]);
}

/** `--format sarif`. */
export function formatHarnessSarif(report: HarnessReport): string {
  return `${JSON.stringify(buildHarnessSarif(report), null, 2)}\n`;
}
