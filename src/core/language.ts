import * as path from 'node:path';
import type { Language } from './types';

const BY_EXTENSION: Readonly<Record<string, Language>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyw': 'python',
};

/** File extensions the linter reads when walking directories. */
export const LINTABLE_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);

/** The language of a file by its name, or undefined when the linter does not read it. */
export function languageOf(file: string): Language | undefined {
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.d.ts') || base.endsWith('.d.mts') || base.endsWith('.d.cts')) return undefined;
  return BY_EXTENSION[path.extname(base)];
}

/** VS Code language ids the editor analyses, mapped to ours. */
export const VSCODE_LANGUAGE_IDS: Readonly<Record<string, Language>> = {
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  python: 'python',
};
