/**
 * Public surface of the analysis engine for the CLI, the language server and tests.
 * Never imports vscode.
 */
import { allRules } from '../rules';
import type { WardenConfig } from './config';
import { createEngines } from './engines';
import { Linter } from './linter';
import type { Language } from './types';

export * from './types';
export type { Rule, RuleMeta, TaintFlow, TaintKind } from './rule';
export { docsUrl } from './rule';
export { Linter, fileSystemHost, readDirNames, type LintTextOptions } from './linter';
export { loadConfig, ConfigError, CONFIG_FILE_NAME, type WardenConfig } from './config';
export { languageOf, LINTABLE_EXTENSIONS, VSCODE_LANGUAGE_IDS } from './language';
export { LineMap } from './text';

/**
 * A linter with every rule and engine, configured by `config`; with `languages`, only the
 * engines for those languages (files of other languages are then not supported).
 */
export function createLinter(config?: WardenConfig, languages?: readonly Language[]): Promise<Linter> {
  return Linter.create({ rules: allRules, engines: createEngines(languages), ...(config ? { config } : {}) });
}
