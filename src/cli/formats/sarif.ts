import { pathToFileURL } from 'node:url';
import type { Finding, FlowStep, Location, Rule, Severity, TextEdit } from '../../core';
// From its own module, not the core's index: the harness command's bundle (esbuild.mjs) uses
// this file's SARIF helpers and must not pull in the linter with it.
import { LineMap } from '../../core/text';
import { allProblems, type LintRun } from '../run';
import { TOOL_VERSION } from '../version';
import { displayPath } from './paths';

/** The uriBaseId every relative artifact location refers to. */
export const SRCROOT = 'SRCROOT';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const INFORMATION_URI = 'https://github.com/mcp-warden/mcp-warden';

/** GitHub code scanning ranks security alerts by this CVSS-like score. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { error: '8.8', warning: '5.9', note: '3.1' };

type Json = Record<string, unknown>;

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** A `reportingDescriptor` for a rule: helpUri, CWE tags, precision, default level. */
export function sarifRule(rule: Rule): Json {
  return {
    id: rule.meta.id,
    name: pascalCase(rule.meta.id),
    shortDescription: { text: rule.meta.description },
    fullDescription: { text: rule.meta.description },
    helpUri: rule.docsUrl,
    help: { text: `${rule.meta.description}. See ${rule.docsUrl}` },
    defaultConfiguration: { level: rule.meta.severity },
    properties: {
      tags: ['security', ...rule.meta.cwe.map((n) => `external/cwe/cwe-${n}`), ...(rule.meta.tags ?? [])],
      precision: rule.meta.precision,
      'problem.severity': rule.meta.severity === 'note' ? 'recommendation' : rule.meta.severity,
      'security-severity': SECURITY_SEVERITY[rule.meta.severity],
    },
  };
}

/** Turns absolute paths into artifact locations relative to SRCROOT where possible. */
export class ArtifactLocator {
  constructor(readonly baseDir: string) {}

  artifact(file: string): Json {
    const shown = displayPath(this.baseDir, file);
    if (shown.startsWith('/')) return { uri: pathToFileURL(file).toString() };
    return { uri: encodeURI(shown), uriBaseId: SRCROOT };
  }

  originalUriBaseIds(): Json {
    const uri = pathToFileURL(this.baseDir).toString();
    return { [SRCROOT]: { uri: uri.endsWith('/') ? uri : `${uri}/` } };
  }

  physicalLocation(loc: Location): Json {
    return {
      artifactLocation: this.artifact(loc.file),
      region: {
        startLine: loc.startLine,
        startColumn: loc.startColumn,
        endLine: loc.endLine,
        endColumn: loc.endColumn,
      },
    };
  }
}

function codeFlow(locator: ArtifactLocator, flow: readonly FlowStep[]): Json {
  return {
    threadFlows: [
      {
        locations: flow.map((step, index) => ({
          location: { physicalLocation: locator.physicalLocation(step.location), message: { text: step.message } },
          executionOrder: index,
        })),
      },
    ],
  };
}

function sarifFixes(locator: ArtifactLocator, f: Finding, texts: ReadonlyMap<string, string>): Json[] {
  const fixes: Json[] = [];
  for (const fix of f.fixes) {
    const byFile = new Map<string, TextEdit[]>();
    for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    const changes: Json[] = [];
    for (const [file, edits] of byFile) {
      const text = texts.get(file);
      if (text === undefined) continue;
      const lines = new LineMap(text);
      changes.push({
        artifactLocation: locator.artifact(file),
        replacements: edits.map((e) => {
          const s = lines.position(e.span.start);
          const end = lines.position(e.span.end);
          return {
            deletedRegion: {
              startLine: s.line,
              startColumn: s.column,
              endLine: end.line,
              endColumn: end.column,
              charOffset: e.span.start,
              charLength: e.span.end - e.span.start,
            },
            insertedContent: { text: e.text },
          };
        }),
      });
    }
    if (changes.length > 0) {
      fixes.push({
        description: { text: fix.title },
        artifactChanges: changes,
        properties: { kind: fix.kind, preferred: fix.preferred === true },
      });
    }
  }
  return fixes;
}

/** The `tool.driver` object shared by lint and harness runs. */
export function sarifDriver(rules: readonly Json[]): Json {
  return {
    name: 'MCP Warden',
    informationUri: INFORMATION_URI,
    version: TOOL_VERSION,
    semanticVersion: TOOL_VERSION,
    rules,
  };
}

/** Wraps runs into a SARIF 2.1.0 log. */
export function sarifLog(runs: readonly Json[]): Json {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs };
}

/** A SARIF 2.1.0 log of one lint run. */
export function buildLintSarif(run: LintRun): Json {
  const locator = new ArtifactLocator(run.baseDir);
  const ruleIndex = new Map(run.rules.map((r, i) => [r.meta.id, i]));
  const results: Json[] = [];
  for (const fileResult of run.results) {
    for (const f of fileResult.findings) {
      const result: Json = {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
        level: f.severity,
        message: { text: f.message },
        locations: [{ physicalLocation: locator.physicalLocation(f.location) }],
        partialFingerprints: { 'mcpWarden/v1': f.fingerprint },
      };
      if (f.flow.length > 0) result.codeFlows = [codeFlow(locator, f.flow)];
      const fixes = sarifFixes(locator, f, run.texts);
      if (fixes.length > 0) result.fixes = fixes;
      if (f.properties) result.properties = f.properties;
      if ((result.ruleIndex as number) < 0) delete result.ruleIndex;
      results.push(result);
    }
  }
  const notifications = allProblems(run).map((p) => ({
    level: p.kind === 'parse-error' || p.kind === 'timeout' ? 'warning' : 'error',
    message: { text: `${p.kind}: ${p.message}` },
    locations: [{ physicalLocation: p.location ? locator.physicalLocation(p.location) : { artifactLocation: locator.artifact(p.file) } }],
  }));
  // Skipped paths are notes: the run is still complete for everything it was asked to read.
  for (const s of run.skipped ?? []) {
    notifications.push({
      level: 'note',
      message: { text: `skipped: ${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: locator.artifact(s.file) } }],
    });
  }
  return sarifLog([
    {
      tool: { driver: sarifDriver(run.rules.map(sarifRule)) },
      originalUriBaseIds: locator.originalUriBaseIds(),
      invocations: [
        {
          executionSuccessful: run.unreadable.length === 0,
          toolExecutionNotifications: notifications,
        },
      ],
      results,
      columnKind: 'utf16CodeUnits',
    },
  ]);
}

/** Serialised SARIF for `--format sarif`. */
export function formatSarif(run: LintRun): string {
  return `${JSON.stringify(buildLintSarif(run), null, 2)}\n`;
}
