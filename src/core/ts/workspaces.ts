import * as nodePath from 'node:path';
import ts from 'typescript';
import { localModuleCandidates } from './module-cache';

/** A file's text, or undefined when it is missing. */
export type ReadText = (file: string) => string | undefined;
/** The names of a folder's entries, or undefined when it is no readable folder. */
export type ListDir = (dir: string) => readonly string[] | undefined;

/** Folders looked through, from a file upwards, for the monorepo's root package.json. */
const MAX_UP = 8;
/** Member folders read per workspace: a root whose patterns name more is read up to this many. */
const MAX_MEMBERS = 500;
/** Output folders whose files a package's entry points name; its sources are in `src/` beside them. */
const BUILD_DIR = /^(?:\.\/)?(?:dist|build|lib|out|esm|cjs|es)(?:\/(?:esm|cjs|src|node|browser))?\//;
/** Conditions of an `exports` entry, in the order a source is likeliest behind them. */
const CONDITIONS = ['source', 'development', 'import', 'module', 'node', 'require', 'default', 'types'];

interface PackageJson {
  readonly name?: unknown;
  readonly workspaces?: unknown;
  readonly exports?: unknown;
  readonly source?: unknown;
  readonly module?: unknown;
  readonly main?: unknown;
  readonly types?: unknown;
  readonly typings?: unknown;
}

/** One monorepo: its member packages by name. */
interface Workspace {
  readonly packages: ReadonlyMap<string, { readonly dir: string; readonly json: PackageJson }>;
}

/**
 * Workspaces read, by root package.json, with what they were read from: the root's texts and
 * the listings of the folders its patterns name. An editor analyses on every keystroke; this
 * keeps a big monorepo's member package.json files from being read again each time (a new
 * or removed member changes a listing, an edited root its text).
 */
const readWorkspaces = new Map<string, { readonly key: string; readonly ws: Workspace }>();
const MAX_READ_WORKSPACES = 16;

/**
 * The packages of the monorepo a file is in (npm, Yarn and Bun `workspaces` in the root
 * package.json, pnpm's pnpm-workspace.yaml), as the files their names import: `import {
 * requestIdAttr } from '@mongodb-js/mcp-core'` in one package names a file of another as surely
 * as a relative specifier does, but only a `node_modules` link, which a checkout does not have,
 * would tell the analysis where. The entry file is the package's TypeScript source behind its
 * `exports`, `main` or `types` (`./dist/index.js` -> `src/index.ts`), as the project's build
 * compiles it. Read through the caller's functions, once per folder for the life of the
 * object (one analysis).
 */
export class WorkspacePackages {
  private readonly byDir = new Map<string, Workspace | null>();

  constructor(
    private readonly read: ReadText,
    private readonly list: ListDir,
  ) {}

  /** The file a package specifier names when the package is a member of `fromFile`'s monorepo; undefined otherwise. */
  resolve(fromFile: string, spec: string): string | undefined {
    const name = packageName(spec);
    if (name === undefined) return undefined;
    const member = this.workspaceOf(nodePath.dirname(fromFile), 0)?.packages.get(name);
    if (!member) return undefined;
    return this.entryFile(member.dir, member.json, spec.slice(name.length));
  }

  private workspaceOf(dir: string, up: number): Workspace | undefined {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known ?? undefined;
    let ws: Workspace | undefined;
    const patterns = this.patternsAt(dir);
    if (patterns) ws = this.workspaceAt(dir, patterns);
    else if (up < MAX_UP && nodePath.dirname(dir) !== dir) ws = this.workspaceOf(nodePath.dirname(dir), up + 1);
    this.byDir.set(dir, ws ?? null);
    return ws;
  }

  /** The member patterns of a root in `dir` (`packages/*`), or undefined when `dir` is no monorepo root. */
  private patternsAt(dir: string): { readonly list: readonly string[]; readonly key: string } | undefined {
    const pkgText = this.read(nodePath.join(dir, 'package.json'));
    // Most package.json files on the way up are no roots: their text says so without a parse
    // (an extension's manifest is tens of kilobytes, read on every analysis).
    const pkg = pkgText === undefined || !pkgText.includes('"workspaces"') ? undefined : parseJson(pkgText);
    const field = pkg?.workspaces;
    const fromPkg = Array.isArray(field) ? field : field && typeof field === 'object' ? (field as { packages?: unknown }).packages : undefined;
    if (Array.isArray(fromPkg)) return { list: fromPkg.filter((p): p is string => typeof p === 'string'), key: pkgText! };
    const yaml = this.read(nodePath.join(dir, 'pnpm-workspace.yaml'));
    if (yaml === undefined) return undefined;
    return { list: pnpmPackages(yaml), key: yaml };
  }

  private workspaceAt(root: string, patterns: { readonly list: readonly string[]; readonly key: string }): Workspace {
    // The member folders, from the listings of the folders the patterns name.
    const folders: string[] = [];
    const listings: string[] = [];
    for (const raw of patterns.list) {
      if (raw.startsWith('!')) continue;
      const pattern = raw.replace(/^\.\//, '').replace(/\/+$/, '');
      const star = pattern.indexOf('*');
      if (star < 0) {
        folders.push(nodePath.join(root, pattern));
        continue;
      }
      // `packages/*` and `packages/**` (read one level down, where members almost always are).
      const parent = pattern.slice(0, star).replace(/\/+$/, '');
      if (pattern.slice(star).replace(/\*+/, '') !== '') continue;
      const dir = nodePath.join(root, parent);
      const names = this.list(dir) ?? [];
      listings.push(`${dir}\u0000${names.join('\u0000')}`);
      for (const n of names) if (!n.startsWith('.') && n !== 'node_modules') folders.push(nodePath.join(dir, n));
    }
    const key = `${patterns.key}\u0001${listings.join('\u0001')}`;
    const rootFile = nodePath.join(root, 'package.json');
    const cached = readWorkspaces.get(rootFile);
    if (cached && cached.key === key) return cached.ws;
    const packages = new Map<string, { dir: string; json: PackageJson }>();
    for (const dir of folders.slice(0, MAX_MEMBERS)) {
      const text = this.read(nodePath.join(dir, 'package.json'));
      const json = text === undefined ? undefined : parseJson(text);
      if (json && typeof json.name === 'string' && !packages.has(json.name)) packages.set(json.name, { dir, json });
    }
    const ws: Workspace = { packages };
    if (readWorkspaces.size >= MAX_READ_WORKSPACES) readWorkspaces.clear();
    readWorkspaces.set(rootFile, { key, ws });
    return ws;
  }

  /** The source file behind the entry point `sub` (`''` or `/sub/path`) of the package in `dir`. */
  private entryFile(dir: string, json: PackageJson, sub: string): string | undefined {
    const targets: string[] = [];
    const exportsField = json.exports;
    if (sub === '') {
      const main = typeof exportsField === 'string' || Array.isArray(exportsField) ? exportsField : isConditions(exportsField) ? exportsField : (exportsField as Record<string, unknown> | undefined)?.['.'];
      pushTarget(targets, main);
      for (const f of [json.source, json.module, json.main, json.types, json.typings]) if (typeof f === 'string') targets.push(f);
      targets.push('./src/index', './index');
    } else {
      if (exportsField && typeof exportsField === 'object' && !Array.isArray(exportsField)) pushTarget(targets, (exportsField as Record<string, unknown>)[`.${sub}`]);
      targets.push(`./src${sub}`, `.${sub}`);
    }
    const anchor = nodePath.join(dir, 'package.json');
    for (const t of targets) {
      for (const stem of sourceStems(t)) {
        for (const c of localModuleCandidates(anchor, stem)) if (!c.endsWith('.d.ts') && this.read(c) !== undefined) return c;
      }
    }
    return undefined;
  }
}

/** `@scope/name` or `name` of a package specifier (`@scope/name/sub`); undefined for paths, URLs and Node built-ins. */
function packageName(spec: string): string | undefined {
  if (spec === '' || spec.startsWith('.') || spec.startsWith('/') || spec.includes(':') || spec.includes('\\')) return undefined;
  const parts = spec.split('/');
  if (spec.startsWith('@')) return parts.length >= 2 && parts[1] !== '' ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0];
}

/** Whether an `exports` value is a conditions object (`{ import, require }`), not a map of subpaths (`{ '.': ... }`). */
function isConditions(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => !k.startsWith('.'));
}

/** The paths an `exports` entry names, likeliest source first. */
function pushTarget(out: string[], v: unknown): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) pushTarget(out, x);
  else if (isConditions(v)) for (const c of CONDITIONS) if (c in v) pushTarget(out, v[c]);
}

/** Relative stems (no extension) a package path may be compiled from: `./dist/index.js` -> `./src/index`, then itself. */
function sourceStems(target: string): string[] {
  if (target.includes('*')) return [];
  const rel = `./${target.replace(/^\.\//, '')}`;
  const stem = rel.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?[jt]sx?$/, '');
  const src = BUILD_DIR.test(rel) ? stem.replace(BUILD_DIR, './src/') : undefined;
  return src && src !== stem ? [src, stem] : [stem];
}

/** package.json as an object, or undefined when it is not one. */
function parseJson(text: string): PackageJson | undefined {
  const parsed = ts.parseConfigFileTextToJson('package.json', text).config as unknown;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PackageJson) : undefined;
}

/** The `packages:` list of a pnpm-workspace.yaml (block list of plain or quoted strings). */
function pnpmPackages(yaml: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages || /^\s*(?:#.*)?$/.test(line)) continue;
    const item = /^\s+-\s*(?:'([^']*)'|"([^"]*)"|([^#\s]+))/.exec(line);
    if (!item) {
      if (/^\S/.test(line)) inPackages = false;
      continue;
    }
    out.push(item[1] ?? item[2] ?? item[3]!);
  }
  return out;
}
