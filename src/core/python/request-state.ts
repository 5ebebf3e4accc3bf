import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { AnalysisHost } from '../engine';
import type { TaintKind } from '../rule';
import { type AnalysisCache, Analyzer, DeadlineExceeded, type RequestState } from './analyzer';
import { buildMcpModel } from './mcp-model';
import type { ModuleLoader } from './modules';
import { mergeVals, type Val } from './values';

/**
 * A store into a request's state in a file's text: `scope["state"]["k"] = ...` (ASGI
 * middleware) or `request.state.k = ...` (Starlette's BaseHTTPMiddleware). Files without one
 * are not analysed for the index.
 */
const STATE_WRITE = /\[\s*(['"])state\1\s*\]\s*\[[^\]\n]+\]\s*=(?!=)|\.state\.[A-Za-z_]\w*\s*=(?!=)/;
/** Folders never searched for middleware: environments, caches, VCS data and tests. */
const SKIPPED_DIRS = new Set(['.git', '.hg', '.venv', 'venv', 'env', '.tox', '.nox', 'node_modules', '__pycache__', 'site-packages', 'build', 'dist', 'tests', 'test']);
/** At most this many Python files are read per project when looking for middleware. */
const MAX_FILES = 2000;
const MAX_DEPTH = 8;
/** How long a listing of a project's files is trusted before it is made again (an editor adds files). */
const LISTING_TTL_MS = 10_000;

interface RootEntry {
  listedAt: number;
  /** Every Python file the last listing found. */
  files: ReadonlySet<string>;
  /** The files holding a store into a request's state, with the text they were read with. */
  candidates: Map<string, string>;
  state: RequestState | undefined;
}

export interface RequestStateDeps {
  readonly host: AnalysisHost;
  readonly loader: ModuleLoader;
  readonly kinds: ReadonlySet<TaintKind>;
  readonly deadline: number;
  readonly cache: AnalysisCache;
}

/**
 * What the middleware of a Python project stores in each request's state, for the handlers
 * that read it back (`request.state.k`, `getattr(request.state, "k")`) in other modules the
 * middleware's module never imports (mcp-atlassian's CVE-2026-27826: an ASGI middleware keeps
 * request headers in `scope["state"]`, and a tool builds its Confluence client on the URL one
 * of them names). The project is the top-level package holding the analysed file (the folder
 * itself for a file outside any package); its files with a store into a request's state are
 * analysed as HTTP handlers (./analyzer.ts `collectState`), once per version of their texts.
 *
 * Cost: the first analysis in a project reads its Python files once; later ones re-read only
 * the files that store into a request's state, the analysed file, and (every LISTING_TTL_MS)
 * the files a new listing finds. A store added to another file by a program other than the
 * editor is seen once that file is analysed.
 */
export class RequestStateIndex {
  private readonly roots = new Map<string, RootEntry>();

  /** The request state of the project holding `file` (whose text is `text`), or undefined when none of its files stores any. */
  stateFor(file: string, text: string, deps: RequestStateDeps): RequestState | undefined {
    const { host } = deps;
    if (!host.readDir) return undefined;
    const { root, recursive } = projectRoot(file, host);
    const now = Date.now();
    const entry = this.roots.get(root);
    const listed = !entry || now - entry.listedAt > LISTING_TTL_MS;
    const files = listed ? new Set(pythonFiles(root, recursive, host)) : entry.files;
    const candidates = new Map<string, string>();
    const consider = (f: string, t: string | undefined) => {
      if (t !== undefined && STATE_WRITE.test(t)) candidates.set(f, t);
    };
    for (const f of entry?.candidates.keys() ?? []) if (f !== file && files.has(f)) consider(f, read(host, f));
    if (listed) for (const f of files) if (f !== file && !entry?.files.has(f)) consider(f, read(host, f));
    if (files.has(file)) consider(file, text);
    if (entry && sameTexts(entry.candidates, candidates)) {
      if (listed) {
        entry.listedAt = now;
        entry.files = files;
      }
      return entry.state;
    }
    const state = candidates.size > 0 ? collect(candidates, deps) : undefined;
    if (this.roots.size >= 64) this.roots.clear();
    this.roots.set(root, { listedAt: listed ? now : entry!.listedAt, files, candidates, state });
    return state;
  }
}

/** Runs the HTTP handlers of each candidate module and gathers what they store in the request's state. */
function collect(candidates: ReadonlyMap<string, string>, deps: RequestStateDeps): RequestState | undefined {
  const values = new Map<string, Val>();
  const hash = createHash('sha1');
  for (const [file, text] of [...candidates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(file).update('\0').update(text).update('\0');
    const module = deps.loader.load(file);
    if (!module) continue;
    const found = new Map<string, Val>();
    // Only the HTTP handlers run: the module's MCP handlers are analysed when it is linted.
    const mcp = { ...buildMcpModel(module.source, module.imports), registrations: [], tools: [], lowLevelHandlers: [], importedHandlers: [] };
    try {
      new Analyzer({ main: module, mcp, loader: deps.loader, kinds: deps.kinds, deadline: deps.deadline, cache: deps.cache, collectState: found }).run();
    } catch (err) {
      // Out of time or too deep: what the module stores stays unknown (nothing is read back).
      if (err instanceof DeadlineExceeded || err instanceof RangeError) continue;
      throw err;
    }
    for (const [k, v] of found) values.set(k, mergeVals(values.get(k), v));
  }
  return values.size > 0 ? { version: hash.digest('hex').slice(0, 16), values } : undefined;
}

/** The top-level package folder holding `file` (searched recursively), or the file's own folder. */
function projectRoot(file: string, host: AnalysisHost): { root: string; recursive: boolean } {
  let dir = path.dirname(file);
  if (read(host, path.join(dir, '__init__.py')) === undefined) return { root: dir, recursive: false };
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir || read(host, path.join(parent, '__init__.py')) === undefined) return { root: dir, recursive: true };
    dir = parent;
  }
}

function pythonFiles(root: string, recursive: boolean, host: AnalysisHost): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    const names = host.readDir?.(dir);
    if (!names) return;
    for (const name of [...names].sort()) {
      if (out.length >= MAX_FILES) return;
      const full = path.join(dir, name);
      if (name.endsWith('.py')) out.push(full);
      else if (recursive && depth < MAX_DEPTH && !name.includes('.') && !SKIPPED_DIRS.has(name)) visit(full, depth + 1);
    }
  };
  visit(root, 0);
  return out;
}

function read(host: AnalysisHost, file: string): string | undefined {
  try {
    return host.readFile(file);
  } catch {
    return undefined;
  }
}

function sameTexts(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [f, t] of a) if (b.get(f) !== t) return false;
  return true;
}
