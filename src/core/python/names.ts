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
 * (imports inside functions are common in MCP servers). Later bindings win, as at runtime.
 */
export class ImportTable {
  readonly bindings = new Map<string, ImportBinding>();

  constructor(root: PyNode) {
    if (root === root.source.root) {
      // The file's import statements from its type index, in the order of the walk below
      // (which meets them last to first).
      const statements = nodesOfTypes(root.source, ['import_statement', 'import_from_statement']);
      for (let i = statements.length - 1; i >= 0; i--) {
        const n = statements[i]!;
        if (n.type === 'import_statement') this.addImport(n);
        else this.addFrom(n);
      }
      return;
    }
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'import_statement') this.addImport(n);
      else if (n.type === 'import_from_statement') this.addFrom(n);
      else for (const c of n.children) if (c.named) stack.push(c);
    }
  }

  private addImport(n: PyNode): void {
    for (const c of n.childrenOf('name')) {
      if (c.type === 'dotted_name') {
        // `import os.path` binds `os`, which resolves to `os`.
        const first = c.namedChildren[0]?.text;
        if (first) this.bindings.set(first, { local: first, qualified: first, level: 0, module: first, node: n });
        this.bindings.set(c.text, { local: c.text, qualified: c.text, level: 0, module: c.text, node: n });
      } else if (c.type === 'aliased_import') {
        const target = c.child('name')?.text;
        const alias = c.child('alias')?.text;
        if (target && alias) this.bindings.set(alias, { local: alias, qualified: target, level: 0, module: target, node: n });
      }
    }
  }

  private addFrom(n: PyNode): void {
    const modNode = n.child('module_name');
    if (!modNode) return;
    const module = modNode.text.replace(/\s+/g, '');
    const level = /^\.+/.exec(module)?.[0].length ?? 0;
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
      this.bindings.set(local, { local, qualified: `${module}${sep}${member}`, level, module, member, node: n });
    }
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
