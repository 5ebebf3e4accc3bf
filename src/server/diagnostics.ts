import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import { docsUrl, type Finding, type Location, type Severity } from '../core';

/** The `source` of every diagnostic we publish; code actions only look at these. */
export const DIAGNOSTIC_SOURCE = 'MCP Warden';

/** Appended to a diagnostic's message once the harness proved the flaw at runtime. */
export const CONFIRMED_SUFFIX = ' (confirmed by harness)';

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

/** What a diagnostic carries back to the server in code-action requests. */
export interface DiagnosticData {
  readonly fingerprint: string;
  readonly ruleId: string;
}

/**
 * A finding as an LSP diagnostic: `code` is the rule id and links to its doc page; the taint
 * path becomes relatedInformation; `confirmed` marks a flaw the harness proved.
 */
export function toDiagnostic(f: Finding, confirmed = false): Diagnostic {
  const data: DiagnosticData = { fingerprint: f.fingerprint, ruleId: f.ruleId };
  return {
    range: toRange(f.location),
    severity: SEVERITY[f.severity],
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    message: confirmed ? `${f.message}${CONFIRMED_SUFFIX}` : f.message,
    relatedInformation: f.flow.map((step) => ({
      location: { uri: pathToFileURL(step.location.file).toString(), range: toRange(step.location) },
      message: step.message,
    })),
    // An unused suppression is dead text: show it faded like unused code.
    ...(f.ruleId === 'unused-suppression' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data,
  };
}
