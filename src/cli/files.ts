import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOf } from '../core';
import { UsageError } from './errors';

/** Folders never walked into: dependencies, build output, virtualenvs, caches, VCS data. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  '.venv',
  'venv',
  '__pycache__',
  '.git',
  '.hg',
  '.svn',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.vscode-test',
  'coverage',
]);

interface IgnoreScope {
  readonly dir: string;
  readonly ig: Ignore;
}

function readIgnoreFile(dir: string): Ignore | undefined {
  const file = path.join(dir, '.gitignore');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return ignore().add(text);
}

function isIgnored(scopes: readonly IgnoreScope[], abs: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const rel = path.relative(scope.dir, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (scope.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** .gitignore files of the folders above `dir`, up to the repository root (the folder with .git). */
function ancestorScopes(dir: string): IgnoreScope[] {
  const chain: string[] = [];
  let cur = path.resolve(dir);
  for (;;) {
    chain.unshift(cur);
    if (fs.existsSync(path.join(cur, '.git'))) break;
    const parent = path.dirname(cur);
    if (parent === cur) return [];
    cur = parent;
  }
  const scopes: IgnoreScope[] = [];
  for (const d of chain.slice(0, -1)) {
    const ig = readIgnoreFile(d);
    if (ig) scopes.push({ dir: d, ig });
  }
  return scopes;
}

export interface CollectOptions {
  /** Extra gitignore-style patterns relative to `extraRoot` (from .mcp-warden.json). */
  readonly extraIgnore?: readonly string[];
  readonly extraRoot?: string;
}

/**
 * Expands the CLI's path arguments into the files to lint: files named explicitly are
 * always taken; directories are walked for TS/JS/Python files, honouring .gitignore files
 * (their own and their ancestors' up to the repository root) and skipping SKIPPED_DIRECTORIES.
 * Throws UsageError for a path that does not exist.
 */
export function collectFiles(inputs: readonly string[], cwd: string, options: CollectOptions = {}): string[] {
  const out = new Set<string>();
  const base: IgnoreScope[] = [];
  if (options.extraIgnore?.length && options.extraRoot) {
    base.push({ dir: options.extraRoot, ig: ignore().add([...options.extraIgnore]) });
  }
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${input}`);
    }
    if (stat.isFile()) {
      out.add(abs);
      continue;
    }
    if (!stat.isDirectory()) throw new UsageError(`not a file or directory: ${input}`);
    walk(abs, [...base, ...ancestorScopes(abs)], out);
  }
  return [...out].sort();
}

function walk(dir: string, scopes: IgnoreScope[], out: Set<string>): void {
  const own = readIgnoreFile(dir);
  const here = own ? [...scopes, { dir, ig: own }] : scopes;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folder: nothing to lint in it
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(here, abs, true)) continue;
      walk(abs, here, out);
    } else if (entry.isFile() && languageOf(entry.name) && !isIgnored(here, abs, false)) {
      out.add(abs);
    }
  }
}

export type ReadResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly kind: 'unreadable' | 'binary' | 'too-large'; readonly message: string };

/** Files above this size are reported, not parsed (minified bundles, generated code). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Reads a source file as UTF-8, refusing binary and oversized files with a reason. */
export function readSourceFile(file: string): ReadResult {
  let buf: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) {
      return { ok: false, kind: 'too-large', message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    }
    buf = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, kind: 'unreadable', message: `cannot read file${code ? ` (${code})` : ''}` };
  }
  if (buf.subarray(0, 8192).includes(0)) {
    return { ok: false, kind: 'binary', message: 'binary file (contains NUL bytes)' };
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}
