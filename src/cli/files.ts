import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOf, type FileProblem } from '../core';
import { UsageError } from './errors';
import { displayPath } from './formats/paths';

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
  const text = readRegularFile(path.join(dir, '.gitignore'));
  return typeof text === 'string' ? ignore().add(text) : undefined;
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

/** A path the walk met and did not lint, with the reason (informational: no effect on the exit code). */
export interface SkippedPath {
  readonly file: string;
  readonly reason: string;
}

export interface CollectedInputs {
  /** Files to lint, absolute, sorted by code unit, one per real file. */
  readonly files: string[];
  /** Paths named on the command line that are not regular files (FIFOs, sockets, devices). */
  readonly problems: FileProblem[];
  /** Symbolic links not followed, duplicates, special files and undecodable names met in walks. */
  readonly skipped: SkippedPath[];
}

/** A name for the kind of a non-regular, non-directory file. */
function specialKind(stat: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);
}

interface Candidate {
  readonly file: string;
  readonly real: string;
  /** Reached through a symbolic link (a real path wins over a link to it). */
  readonly viaLink: boolean;
}

/** A symbolic link to a folder, followed after every real folder has been walked. */
interface PendingDirLink {
  readonly abs: string;
  readonly real: string;
  readonly scopes: IgnoreScope[];
}

/**
 * Walks one input folder. Real folders are walked first; symbolic links to folders are
 * followed afterwards (so each folder is listed under its real path when that is scanned too),
 * only when they point inside a scanned root, and at most once per real folder (no loops).
 */
class Walker {
  readonly candidates: Candidate[] = [];
  readonly skipped: SkippedPath[] = [];
  private readonly visitedDirs = new Set<string>();
  private readonly pendingLinks: PendingDirLink[] = [];

  constructor(
    private readonly roots: readonly string[],
    /** Folder the paths in reasons are shown relative to (the working directory). */
    private readonly cwd: string,
  ) {}

  walkRoot(abs: string, real: string, scopes: IgnoreScope[]): void {
    this.walkDir(abs, real, scopes, false);
  }

  /** After every root: links found while following links join the queue; the visited set ends every cycle. */
  followLinks(): void {
    while (this.pendingLinks.length > 0) {
      const link = this.pendingLinks.shift()!;
      if (this.visitedDirs.has(link.real)) {
        this.skipped.push({ file: link.abs, reason: `symbolic link to the folder '${link.real === path.resolve(this.cwd) ? '.' : displayPath(this.cwd, link.real)}', which is scanned already` });
        continue;
      }
      this.walkDir(link.abs, link.real, link.scopes, true);
    }
  }

  private insideRoots(real: string): boolean {
    return this.roots.some((r) => isInside(r, real));
  }

  private walkDir(dir: string, realDir: string, scopes: IgnoreScope[], viaLink: boolean): void {
    if (this.visitedDirs.has(realDir)) return;
    this.visitedDirs.add(realDir);
    const own = readIgnoreFile(dir);
    const here = own ? [...scopes, { dir, ig: own }] : scopes;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      // Files may hide in there: say so instead of reporting a clean run in silence.
      const code = (err as NodeJS.ErrnoException).code;
      this.skipped.push({ file: dir, reason: `cannot list the folder${code ? ` (${code})` : ''}` });
      return;
    }
    // A name that is not valid UTF-8 decodes with U+FFFD: only then are the raw bytes checked.
    const undecodable = entries.some((e) => e.name.includes('\ufffd')) ? undecodableNames(dir) : undefined;
    // `dir` is absolute and normalised: joining by hand saves a normalisation per entry.
    const prefix = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
    const realPrefix = realDir.endsWith(path.sep) ? realDir : `${realDir}${path.sep}`;
    for (const entry of entries) {
      const name = entry.name;
      const abs = `${prefix}${name}`;
      if (undecodable?.has(name)) {
        // Node's string paths cannot name this entry: reading it would open some other path.
        if (entry.isDirectory() || languageOf(name)) {
          this.skipped.push({ file: abs, reason: 'the name is not valid UTF-8, so it cannot be read by name; rename it to lint it' });
        }
        continue;
      }
      if (entry.isDirectory()) {
        if (SKIPPED_DIRECTORIES.has(name) || isIgnored(here, abs, true)) continue;
        this.walkDir(abs, `${realPrefix}${name}`, here, viaLink);
      } else if (entry.isFile()) {
        if (languageOf(name) && !isIgnored(here, abs, false)) this.candidates.push({ file: abs, real: `${realPrefix}${name}`, viaLink });
      } else if (entry.isSymbolicLink()) {
        this.link(abs, name, here);
      } else if (languageOf(name) && !isIgnored(here, abs, false)) {
        this.skipped.push({ file: abs, reason: `${specialKind(entry)}, not a regular file` });
      }
    }
  }

  private link(abs: string, name: string, scopes: IgnoreScope[]): void {
    let real: string;
    let stat: fs.Stats;
    try {
      real = fs.realpathSync(abs);
      stat = fs.statSync(real);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (languageOf(name) && !isIgnored(scopes, abs, false)) {
        this.skipped.push({ file: abs, reason: code === 'ELOOP' ? 'symbolic link loop' : `broken symbolic link${code ? ` (${code})` : ''}` });
      }
      return;
    }
    if (stat.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(name) || isIgnored(scopes, abs, true)) return;
      if (!this.insideRoots(real)) {
        this.skipped.push({ file: abs, reason: `symbolic link to '${real}', outside the scanned folders, not followed` });
        return;
      }
      this.pendingLinks.push({ abs, real, scopes });
      return;
    }
    if (!languageOf(name) || isIgnored(scopes, abs, false)) return;
    if (!stat.isFile()) {
      this.skipped.push({ file: abs, reason: `symbolic link to ${specialKind(stat)}, not a regular file` });
    } else if (!this.insideRoots(real)) {
      this.skipped.push({ file: abs, reason: `symbolic link to '${real}', outside the scanned folders, not followed` });
    } else {
      this.candidates.push({ file: abs, real, viaLink: true });
    }
  }
}

/** Names (as Node decodes them) of the entries of `dir` whose bytes are not valid UTF-8. */
function undecodableNames(dir: string): Set<string> {
  const out = new Set<string>();
  try {
    for (const raw of fs.readdirSync(dir, { encoding: 'buffer' })) {
      const name = raw.toString('utf8');
      if (!Buffer.from(name, 'utf8').equals(raw)) out.add(name);
    }
  } catch {
    // Listed a moment ago: if it is gone now, so are its entries.
  }
  return out;
}

function realpathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * `realpathOr` for a file named on the command line, with the real paths of folders kept in
 * `dirs`: a file that is not a symbolic link is its folder's real path and its name. Files named
 * one by one (a shell glob, an editor's list) share a few folders, and realpathSync checks
 * every component of every path with its own lstat (a tenth of a second for 800 files).
 */
function realFileOr(abs: string, dirs: Map<string, string>): string {
  try {
    if (fs.lstatSync(abs).isSymbolicLink()) return realpathOr(abs);
    const dir = path.dirname(abs);
    let real = dirs.get(dir);
    if (real === undefined) {
      real = fs.realpathSync(dir);
      dirs.set(dir, real);
    }
    return path.join(real, path.basename(abs));
  } catch {
    return realpathOr(abs);
  }
}

/**
 * Expands the CLI's path arguments into the files to lint. Files named explicitly are always
 * taken (a named FIFO, socket or device becomes a per-file problem, never an open that could
 * block); directories are walked for TS/JS/Python files, honouring .gitignore files (their own
 * and their ancestors' up to the repository root) and skipping SKIPPED_DIRECTORIES. Symbolic
 * links are followed when they point inside one of the scanned folders, and every real file
 * is linted once, under its real path when that is scanned too; the rest is listed in
 * `skipped`. Throws UsageError for a path that does not exist.
 */
export function collectInputs(inputs: readonly string[], cwd: string, options: CollectOptions = {}): CollectedInputs {
  const base: IgnoreScope[] = [];
  if (options.extraIgnore?.length && options.extraRoot) {
    base.push({ dir: options.extraRoot, ig: ignore().add([...options.extraIgnore]) });
  }
  const problems: FileProblem[] = [];
  const explicit: Candidate[] = [];
  const dirs: { abs: string; real: string }[] = [];
  const realDirs = new Map<string, string>();
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${input}`);
    }
    if (stat.isFile()) explicit.push({ file: abs, real: realFileOr(abs, realDirs), viaLink: false });
    else if (stat.isDirectory()) dirs.push({ abs, real: realpathOr(abs) });
    else problems.push({ file: abs, kind: 'unreadable', message: `${specialKind(stat)}, not a regular file` });
  }
  const walker = new Walker(
    dirs.map((d) => d.real),
    cwd,
  );
  for (const d of dirs) {
    // A folder named on the command line is walked even when a .gitignore above it ignores the
    // folder itself (a checkout inside an ignored `vendor/`, a home folder whose .gitignore says
    // `*`): that file would ignore everything below it, and the run would report a clean scan of
    // nothing. Its other patterns go with it; the folder's own .gitignore files still count.
    const ancestors = ancestorScopes(d.abs).filter((s) => !isIgnored([s], d.abs, true));
    walker.walkRoot(d.abs, d.real, [...base, ...ancestors]);
  }
  walker.followLinks();

  // One path per real file: a named file first, then a real path, then the first link.
  const chosen = new Map<string, Candidate>();
  const skipped = [...walker.skipped];
  const rank = (c: Candidate, named: boolean) => (named ? 0 : c.viaLink ? 2 : 1);
  const all = [...explicit.map((c) => ({ c, named: true })), ...walker.candidates.map((c) => ({ c, named: false }))];
  const best = new Map<string, { c: Candidate; r: number }>();
  for (const { c, named } of all) {
    const r = rank(c, named);
    const prev = best.get(c.real);
    if (!prev || r < prev.r || (r === prev.r && c.file < prev.c.file)) best.set(c.real, { c, r });
  }
  const seen = new Set<string>();
  for (const { c } of all) {
    const winner = best.get(c.real)!.c;
    chosen.set(c.real, winner);
    if (c.file !== winner.file && !seen.has(c.file)) {
      seen.add(c.file);
      skipped.push({ file: c.file, reason: `same file as '${displayPath(cwd, winner.file)}', linted once under that path` });
    }
  }
  const files = [...new Set([...chosen.values()].map((c) => c.file))].sort();
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems, skipped };
}

/** The files `collectInputs` would lint (for callers that do not report skipped paths). */
export function collectFiles(inputs: readonly string[], cwd: string, options: CollectOptions = {}): string[] {
  return collectInputs(inputs, cwd, options).files;
}

export type ReadResult =
  | { readonly ok: true; readonly text: string; /** The file started with a UTF-8 byte-order mark (stripped from `text`). */ readonly bom?: true }
  | { readonly ok: false; readonly kind: 'unreadable' | 'binary' | 'too-large'; readonly message: string; readonly code?: string };

/** Files above this size are reported, not parsed (minified bundles, generated code). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Opened without blocking, so that a FIFO without a writer cannot stall the run. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file's bytes: a FIFO, socket or device is refused after a non-blocking
 * open, never read. Returns the bytes, or a reason (with the errno code) why not.
 */
function readRegularBytes(file: string, maxBytes: number): Buffer | { reason: string; code?: string; tooLarge?: boolean } {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reason: `cannot read file${code ? ` (${code})` : ''}`, ...(code ? { code } : {}) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { reason: `${specialKind(stat)}, not a regular file` };
    if (stat.size > maxBytes) return { reason: `file is larger than ${maxBytes / 1024 / 1024} MiB`, tooLarge: true };
    // The size can change between fstat and read: read until a short read (end of file), within
    // the limit. One byte more than the size makes the usual case a single read.
    const chunks: Buffer[] = [];
    let total = 0;
    let buf = Buffer.allocUnsafe(stat.size + 1);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n > 0) chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) return { reason: `file is larger than ${maxBytes / 1024 / 1024} MiB`, tooLarge: true };
      if (n < buf.length) break;
      buf = Buffer.allocUnsafe(64 * 1024);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reason: `cannot read file${code ? ` (${code})` : ''}`, ...(code ? { code } : {}) };
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular file's text as UTF-8 (no BOM handling), or undefined: never blocks, never throws. */
export function readRegularFile(file: string, maxBytes = MAX_FILE_BYTES): string | undefined {
  const r = readRegularBytes(file, maxBytes);
  return Buffer.isBuffer(r) ? r.toString('utf8') : undefined;
}

/** Reads a source file as UTF-8, refusing binary, oversized and non-regular files with a reason. */
export function readSourceFile(file: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  const r = readRegularBytes(file, maxBytes);
  if (!Buffer.isBuffer(r)) {
    return { ok: false, kind: r.tooLarge ? 'too-large' : 'unreadable', message: r.reason, ...(r.code ? { code: r.code } : {}) };
  }
  if (r.subarray(0, 8192).includes(0)) {
    return { ok: false, kind: 'binary', message: 'binary file (contains NUL bytes)' };
  }
  const text = r.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? { ok: true, text: text.slice(1), bom: true } : { ok: true, text };
}
