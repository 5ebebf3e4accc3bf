import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { docsUrl, type Finding, type Location, type Severity } from '../core';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/** LSP ranges are 0-based; our locations are 1-based. */
export function toRange(loc: Location) {
  return {
    start: { line: loc.startLine - 1, character: loc.startColumn - 1 },
    end: { line: loc.endLine - 1, character: loc.endColumn - 1 },
  };
}

/** A finding as an LSP diagnostic: `code` is the rule id and links to its doc page. */
export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: toRange(f.location),
    severity: SEVERITY[f.severity],
    source: 'MCP Warden',
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    message: f.message,
    relatedInformation: f.flow.map((step) => ({
      location: { uri: pathToFileURL(step.location.file).toString(), range: toRange(step.location) },
      message: step.message,
    })),
    data: { fingerprint: f.fingerprint },
  };
}
