import * as path from 'node:path';
import type { AnalysisHost } from '../engine';
import { copyTree, definitionOf, walk, type PyNode, type PySource } from './ast';
import { enumClassesOf } from './mcp-model';
import { ImportTable, type ImportBinding } from './names';
import type { TreeSitterParser } from './parser';

const MISSING_TTL_MS = 5_000;

/** One analysed Python module: its tree, imports and top-level definitions. */
export interface ModuleInfo {
  readonly source: PySource;
  readonly imports: ImportTable;
  /** Top-level functions by name (decorated ones included). */
  readonly functions: ReadonlyMap<string, PyNode>;
  /** Top-level classes by name. */
  readonly classes: ReadonlyMap<string, PyNode>;
  /** Right-hand side of the last top-level assignment to each name. */
  readonly globals: ReadonlyMap<string, PyNode>;
  readonly enums: ReadonlySet<string>;
}

/** Indexes a parsed module. */
export function indexModule(source: PySource, imports = new ImportTable(source.root)): ModuleInfo {
  const functions = new Map<string, PyNode>();
  const classes = new Map<string, PyNode>();
  const globals = new Map<string, PyNode>();
  const visitTop = (stmts: readonly PyNode[]) => {
    for (const stmt of stmts) {
      const def = definitionOf(stmt);
      if (def?.type === 'function_definition') {
        const name = def.child('name')?.text;
        if (name) functions.set(name, def);
      } else if (def?.type === 'class_definition') {
        const name = def.child('name')?.text;
        if (name) classes.set(name, def);
      } else if (stmt.type === 'expression_statement') {
        for (const expr of stmt.namedChildren) {
          let a: PyNode | undefined = expr;
          // `A = B = value` binds both names.
          while (a?.type === 'assignment') {
            const left = a.child('left');
            const right = a.child('right');
            if (left?.type === 'identifier' && right) globals.set(left.text, right.type === 'assignment' ? innermostRight(right) : right);
            a = right;
          }
        }
      } else if (stmt.type === 'if_statement' || stmt.type === 'try_statement' || stmt.type === 'ERROR') {
        // `try: import x / except ImportError`, `if TYPE_CHECKING:` and recovered regions.
        const blocks: PyNode[] = [];
        walk(stmt, (n) => {
          if (n === stmt) return true;
          if (n.type === 'block') {
            blocks.push(n);
            return false;
          }
          return n.type.endsWith('_clause') || n.type === 'ERROR';
        });
        if (stmt.type === 'ERROR') visitTop(stmt.namedChildren);
        for (const b of blocks) visitTop(b.namedChildren);
      }
    }
  };
  visitTop(source.root.namedChildren);
  return { source, imports, functions, classes, globals, enums: enumClassesOf(source.root) };
}

function innermostRight(a: PyNode): PyNode {
  let n = a;
  while (n.type === 'assignment' && n.child('right')) n = n.child('right')!;
  return n;
}

/** What an imported name refers to in a local module. */
export interface ResolvedImport {
  readonly module: ModuleInfo;
  /** The member inside the module, or undefined when the binding is the module itself. */
  readonly member?: string;
}

/**
 * Loads the project's own Python modules through the AnalysisHost, relative to the importing
 * file (`from .helpers import run`, `import helpers`, `from pkg.util import run`). Parses each
 * file at most once per text; third-party and standard-library modules are simply not found.
 */
export class ModuleLoader {
  private readonly cache = new Map<string, { text: string; module: ModuleInfo } | null>();

  constructor(
    private readonly parser: TreeSitterParser,
    private readonly host: AnalysisHost,
    /** Shared across analyses (keyed by path and text) so editing one file does not re-parse its imports. */
    private readonly shared: Map<string, { text: string; module: ModuleInfo }>,
    /**
     * Paths found missing, with the time they were probed: module names are tried in several
     * places, and a workspace scan would otherwise probe the same absent files for every file.
     * Entries expire quickly so a file created in the editor is picked up.
     */
    private readonly missing: Map<string, number> = new Map(),
  ) {}

  /** The module at an absolute file path, if it exists and parses. */
  load(file: string): ModuleInfo | undefined {
    if (this.cache.has(file)) return this.cache.get(file)?.module;
    const missingSince = this.missing.get(file);
    if (missingSince !== undefined && Date.now() - missingSince < MISSING_TTL_MS) {
      this.cache.set(file, null);
      return undefined;
    }
    let text: string | undefined;
    try {
      text = this.host.readFile(file);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      this.cache.set(file, null);
      if (this.missing.size > 10_000) this.missing.clear();
      this.missing.set(file, Date.now());
      return undefined;
    }
    const hit = this.shared.get(file);
    if (hit && hit.text === text) {
      this.cache.set(file, hit);
      return hit.module;
    }
    const tree = this.parser.parse(text);
    if (!tree) {
      this.cache.set(file, null);
      return undefined;
    }
    try {
      const module = indexModule(copyTree(file, text, tree));
      const entry = { text, module };
      this.cache.set(file, entry);
      if (this.shared.size > 256) this.shared.clear();
      this.shared.set(file, entry);
      return module;
    } finally {
      tree.delete();
    }
  }

  /** The line map of a file this loader has loaded. */
  linesOf(file: string): PySource['lines'] | undefined {
    return this.cache.get(file)?.module.source.lines;
  }

  /** Candidate files for a dotted module name imported from `fromFile`. */
  private candidates(fromFile: string, module: string): string[] {
    const level = /^\.*/.exec(module)![0].length;
    const rest = module.slice(level).split('.').filter(Boolean);
    const bases: string[] = [];
    if (level > 0) {
      let dir = path.dirname(fromFile);
      for (let i = 1; i < level; i++) dir = path.dirname(dir);
      bases.push(dir);
    } else {
      // Absolute imports of the project's own modules: the file's directory and a few package roots above it.
      let dir = path.dirname(fromFile);
      for (let i = 0; i < 4; i++) {
        bases.push(dir);
        const up = path.dirname(dir);
        if (up === dir) break;
        dir = up;
      }
    }
    const out: string[] = [];
    for (const base of bases) {
      const p = path.join(base, ...rest);
      if (rest.length === 0) out.push(path.join(p, '__init__.py'));
      else out.push(`${p}.py`, path.join(p, '__init__.py'));
    }
    return out;
  }

  /** Loads the first existing candidate of a module name. */
  loadModule(fromFile: string, module: string): ModuleInfo | undefined {
    for (const c of this.candidates(fromFile, module)) {
      const m = this.load(c);
      if (m) return m;
    }
    return undefined;
  }

  /** Resolves an import binding to a local module and member. */
  resolveBinding(fromFile: string, binding: ImportBinding, depth = 0): ResolvedImport | undefined {
    if (binding.member === undefined) {
      // `import helpers` / `import pkg.helpers as h`: the binding is the module.
      const module = this.loadModule(fromFile, binding.qualified);
      return module ? { module } : undefined;
    }
    const module = this.loadModule(fromFile, binding.module);
    if (module && (module.functions.has(binding.member) || module.classes.has(binding.member) || module.globals.has(binding.member))) {
      return { module, member: binding.member };
    }
    // `from . import helpers` / `from pkg import helpers`: a submodule.
    const sep = binding.module.endsWith('.') ? '' : '.';
    const sub = this.loadModule(fromFile, `${binding.module}${sep}${binding.member}`);
    if (sub) return { module: sub };
    // Re-exported by the package (`from .impl import run` in __init__.py).
    if (module) {
      const inner = module.imports.bindings.get(binding.member);
      if (inner && inner !== binding && depth < 4) return this.resolveBinding(module.source.file, inner, depth + 1);
    }
    return undefined;
  }
}
