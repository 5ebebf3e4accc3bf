import type { Linter } from '../../src/core';
import { applyEdits } from '../../src/core/fix';
import type { FixProposal } from '../../src/core/types';

/** The proposal the lightbulb marks preferred (else the first). */
export function preferredFix(fixes: readonly FixProposal[]): FixProposal | undefined {
  return fixes.find((f) => f.preferred) ?? fixes[0];
}

/**
 * Applies fixes the way a user clicking through the lightbulb does: lint, apply the preferred
 * proposal of the first finding that has one, lint again, until no finding offers a fix
 * (suggestions included). Returns the final text and the ids of the rules whose fixes ran.
 */
export function applyAllFixes(linter: Linter, file: string, text: string, maxSteps = 60): { text: string; rules: Set<string>; steps: number } {
  const rules = new Set<string>();
  let steps = 0;
  const tried = new Set<string>();
  for (; steps < maxSteps; steps++) {
    const findings = linter.lintText(file, text).findings;
    const next = findings.find((f) => preferredFix(f.fixes) && !tried.has(`${f.fingerprint}\0${text.length}`));
    if (!next) break;
    tried.add(`${next.fingerprint}\0${text.length}`);
    const fix = preferredFix(next.fixes)!;
    const out = applyEdits(text, fix.edits);
    if (out.skipped.length > 0) throw new Error(`fix '${fix.title}' has overlapping edits`);
    rules.add(next.ruleId);
    text = out.text;
  }
  return { text, rules, steps };
}
