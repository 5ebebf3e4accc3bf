import { dottedName, nodesOfTypes, unparen, type PyNode } from './ast';

/** One name bound by an import statement. */
export interface ImportBinding {
  /** Local name (`sp` in `import subprocess as sp`). */
  readonly local: string;
  /** Fully qualified target (`subprocess`, `os.path.join`, `.helpers.run`). */
  readonly qualified: string;
  /** Leading dots of a relative import (0 for absolute). */
  readonly level: number;
  /** Module part (`.helpers` / `helpers`) and imported member (`run`), if `from ... import`. */
  readonly module: string;
  readonly member?: string;
  readonly node: PyNode;
}

/**
 * Import bindings of a module: every `import` / `from ... import` anywhere in the file
 * (imports inside functions are common in MCP servers). `bindings` holds one per name for the
 * whole file: the last module-level import of it (as at runtime), or else the first import of
 * it inside a function. An import inside a function binds a name of that function only
 * (gtm-mcp imports 42 different functions as `_impl`, one per tool function): `qualifyAt`
 * resolves a name by the functions around its use first.
 */
export class ImportTable {
  readonly bindings = new Map<string, ImportBinding>();
  /** Imports inside function bodies, by the innermost function holding them. */
  private readonly scoped = new Map<PyNode, Map<string, ImportBinding>>();

  constructor(root: PyNode) {
    // Import statements in the file's order: from the type index for a whole file, else by a walk.
    let statements: readonly PyNode[];
    if (root === root.source.root) statements = nodesOfTypes(root.source, ['import_statement', 'import_from_statement']);
    else {
      const found: PyNode[] = [];
      const stack = [root];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.type === 'import_statement' || n.type === 'import_from_statement') found.push(n);
        else for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i]!.named) stack.push(n.children[i]!);
      }
      statements = found;
    }
    const fileWide = new Map<string, ImportBinding>();
    const inFunctions = new Map<string, ImportBinding>();
    for (const n of statements) {
      const found = n.type === 'import_statement' ? importBindings(n) : fromBindings(n);
      const fn = n.ancestor('function_definition');
      if (!fn) {
        for (const b of found) fileWide.set(b.local, b);
        continue;
      }
      let own = this.scoped.get(fn);
      if (!own) this.scoped.set(fn, (own = new Map()));
      for (const b of found) {
        own.set(b.local, b);
        if (!inFunctions.has(b.local)) inFunctions.set(b.local, b);
      }
    }
    for (const [k, b] of inFunctions) if (!fileWide.has(k)) this.bindings.set(k, b);
    for (const [k, b] of fileWide) this.bindings.set(k, b);
  }

  /** The binding of `head` where `at` is: an import in a function around it, or the file's. */
  bindingAt(head: string, at: PyNode): ImportBinding | undefined {
    if (this.scoped.size > 0) {
      for (let p = at.parent; p; p = p.parent) {
        if (p.type !== 'function_definition') continue;
        const b = this.scoped.get(p)?.get(head);
        if (b) return b;
      }
    }
    return this.bindings.get(head);
  }

  /** `qualifyName` for a name used at `at`, through the imports of the functions around it first. */
  qualifyAt(dotted: string, at: PyNode): string {
    if (this.scoped.size > 0) {
      const dot = dotted.indexOf('.');
      const head = dot < 0 ? dotted : dotted.slice(0, dot);
      const binding = this.bindingAt(head, at);
      if (binding && binding !== this.bindings.get(head)) return dot < 0 ? binding.qualified : `${binding.qualified}${dotted.slice(dot)}`;
    }
    return this.qualifyName(dotted);
  }

  /**
   * Qualified name of an identifier/attribute chain through the imports (`sp.run` ->
   * `subprocess.run`); names that are not imported come back unchanged.
   */
  qualify(node: PyNode | undefined): string | undefined {
    const dotted = dottedName(node ? unparen(node) : undefined);
    if (!dotted) return undefined;
    return this.qualifyName(dotted);
  }

  qualifyName(dotted: string): string {
    let q = this.qualified.get(dotted);
    if (q === undefined) {
      const dot = dotted.indexOf('.');
      const head = dot < 0 ? dotted : dotted.slice(0, dot);
      const binding = this.bindings.get(head);
      q = !binding ? dotted : dot < 0 ? binding.qualified : `${binding.qualified}${dotted.slice(dot)}`;
      this.qualified.set(dotted, q);
    }
    return q;
  }

  /**
   * Answers of qualifyName (the bindings are complete once constructed): the model and the
   * taint analysis qualify every call's callee, mostly the same few names (`subprocess.run`),
   * and each answer through a binding was a new string.
   */
  private readonly qualified = new Map<string, string>();

  /** Whether any import statement names this module or one below it (`sqlite3`, `mcp.server`). */
  importsModule(prefix: string): boolean {
    for (const b of this.bindings.values()) {
      if (b.qualified === prefix || b.qualified.startsWith(`${prefix}.`) || b.module === prefix) return true;
    }
    return false;
  }
}

/** The names an `import` statement binds. */
function importBindings(n: PyNode): ImportBinding[] {
  const out: ImportBinding[] = [];
  for (const c of n.childrenOf('name')) {
    if (c.type === 'dotted_name') {
      // `import os.path` binds `os`, which resolves to `os`.
      const first = c.namedChildren[0]?.text;
      if (first) out.push({ local: first, qualified: first, level: 0, module: first, node: n });
      out.push({ local: c.text, qualified: c.text, level: 0, module: c.text, node: n });
    } else if (c.type === 'aliased_import') {
      const target = c.child('name')?.text;
      const alias = c.child('alias')?.text;
      if (target && alias) out.push({ local: alias, qualified: target, level: 0, module: target, node: n });
    }
  }
  return out;
}

/** The names a `from ... import` statement binds. */
function fromBindings(n: PyNode): ImportBinding[] {
  const modNode = n.child('module_name');
  if (!modNode) return [];
  const module = modNode.text.replace(/\s+/g, '');
  const level = /^\.+/.exec(module)?.[0].length ?? 0;
  const out: ImportBinding[] = [];
  for (const c of n.childrenOf('name')) {
    let member: string | undefined;
    let local: string | undefined;
    if (c.type === 'dotted_name') member = local = c.text;
    else if (c.type === 'aliased_import') {
      member = c.child('name')?.text;
      local = c.child('alias')?.text;
    }
    if (!member || !local) continue;
    const sep = module.endsWith('.') ? '' : '.';
    out.push({ local, qualified: `${module}${sep}${member}`, level, module, member, node: n });
  }
  return out;
}
