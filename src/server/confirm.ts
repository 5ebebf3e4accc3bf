import type { Finding } from '../core';
import type { ConfirmedFlaw, ToolSite } from './protocol';

/** Harness check ids (src/harness/requirements.ts) start with the attack kind; this maps a check to the static rule it proves. */
const RULE_BY_CHECK: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cmd\.|command/i, 'no-command-injection'],
  [/^sql\./i, 'no-sql-string-building'],
  [/^path\.|traversal/i, 'no-path-traversal'],
  [/^ssrf\./i, 'no-ssrf'],
  [/^code\./i, 'no-code-injection'],
];

/** The rule a harness check confirms, if any. */
export function ruleForCheck(check: string): string | undefined {
  return RULE_BY_CHECK.find(([re]) => re.test(check))?.[1];
}

/** The first line of a finding's flow (its source) or of the finding itself. */
function anchorLine(f: Finding): number {
  return f.flow[0]?.location.startLine ?? f.location.startLine;
}

/**
 * Fingerprints of `findings` (all of one file) that the harness proved: same rule kind, and the
 * finding belongs to the confirmed tool, i.e. the nearest tool registration at or above the
 * finding's source line is that tool's. A file with a single tool needs no line at all.
 */
export function confirmedFingerprints(
  file: string,
  findings: readonly Finding[],
  confirmed: readonly ConfirmedFlaw[],
  tools: readonly ToolSite[],
): Set<string> {
  const out = new Set<string>();
  const here = confirmed.filter((c) => c.file === file);
  if (here.length === 0) return out;
  const siteLines = [...new Set([...tools.filter((t) => t.file === file).map((t) => t.line), ...here.map((c) => c.line)])].sort(
    (a, b) => a - b,
  );
  const owner = (line: number): number | undefined => {
    let best: number | undefined;
    for (const l of siteLines) if (l <= line) best = l;
    return best;
  };
  for (const f of findings) {
    const toolLine = owner(anchorLine(f));
    for (const c of here) {
      if (ruleForCheck(c.check) !== f.ruleId) continue;
      if (siteLines.length > 1 && toolLine !== c.line) continue;
      out.add(f.fingerprint);
    }
  }
  return out;
}
