import { Linter } from '../../src/core';
import type { FileResult } from '../../src/core/types';
import { TsEngine } from '../../src/core/ts/engine';
import { allRules } from '../../src/rules';

// Shared by the taint replay cache tests: what is compared, and the two kinds of linter.

/** What a user sees of a result: two analyses agree when these strings are equal. */
export const comparable = (r: FileResult): string => JSON.stringify({ findings: r.findings, problems: r.problems });

/** A linter with every rule on one TypeScript engine (reach the engine for its cache statistics). */
export async function tsLinter(): Promise<{ linter: Linter; engine: TsEngine }> {
  const engine = new TsEngine();
  return { linter: await Linter.create({ rules: allRules, engines: [engine] }), engine };
}

/** A linter that has analysed nothing yet: its analysis of a text is the reference. */
export const freshLinter = async (): Promise<Linter> => (await tsLinter()).linter;
