import type { SyntaxNode, TreeSitterTree } from '../python/parser';
import type { Span, TextEdit } from '../types';
import type { FileStyle } from './style';

/** What a fix needs to know about the Python file it edits (a subset of the Python engine's context). */
export interface PyFixFile {
  readonly file: string;
  readonly text: string;
  readonly tree: TreeSitterTree;
}

/**
 * Maps tree-sitter node positions to span offsets. web-tree-sitter parses a JS string as
 * UTF-16, so `startIndex`/`endIndex` already count UTF-16 code units (measured: in
 * `a = "é😀"\nb = run(x)` the call starts at index 14, its UTF-16 offset, not byte 17).
 * Kept as one class so every conversion goes through a single place.
 */
export class PyOffsets {
  constructor(readonly text: string) {}

  /** tree-sitter index of a span offset. */
  toByte(offset: number): number {
    return offset;
  }

  /** Span offset of a tree-sitter index. */
  toChar(index: number): number {
    return index;
  }

  /** A node's range as a span. */
  span(node: SyntaxNode): Span {
    return { start: node.startIndex, end: node.endIndex };
  }
}

/** The smallest named node covering a UTF-16 span (the sink call, the comparison, ...). */
export function pyNodeAtSpan(tree: TreeSitterTree, offsets: PyOffsets, span: Span): SyntaxNode | undefined {
  const start = offsets.toByte(span.start);
  const end = offsets.toByte(span.end);
  let node: SyntaxNode | null = tree.rootNode.namedDescendantForIndex(start, Math.max(start, end - 1));
  while (node && (node.startIndex > start || node.endIndex < end)) node = node.parent;
  // Prefer the outermost node with exactly this range (a call rather than its expression_statement is
  // inner; we want the call, which is the innermost exact match).
  return node ?? undefined;
}

/** Result of asking for an imported name: how to refer to it, and the edits that import it. */
export interface PyImportResult {
  readonly ref: string;
  readonly edits: readonly TextEdit[];
}

/**
 * The top-level statements of a tree with their types, read once per tree: every node read
 * crosses into WASM, and a file with many findings builds many fixes against the same tree.
 */
const topLevelByTree = new WeakMap<TreeSitterTree, readonly { readonly node: SyntaxNode; readonly type: string }[]>();

function topLevel(tree: TreeSitterTree): readonly { readonly node: SyntaxNode; readonly type: string }[] {
  let out = topLevelByTree.get(tree);
  if (!out) {
    out = tree.rootNode.namedChildren.filter((c): c is SyntaxNode => !!c).map((node) => ({ node, type: node.type }));
    topLevelByTree.set(tree, out);
  }
  return out;
}

function topLevelImports(tree: TreeSitterTree): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const { node, type } of topLevel(tree)) {
    if (type === 'import_statement' || type === 'import_from_statement' || type === 'future_import_statement') out.push(node);
  }
  return out;
}

/** `(name, alias)` pairs of `import a.b as c` / `from m import x as y` children. */
function importedNames(stmt: SyntaxNode): { name: string; alias: string; node: SyntaxNode }[] {
  const out: { name: string; alias: string; node: SyntaxNode }[] = [];
  for (const n of stmt.childrenForFieldName('name')) {
    if (!n) continue;
    if (n.type === 'aliased_import') {
      const name = n.childForFieldName('name')?.text ?? '';
      out.push({ name, alias: n.childForFieldName('alias')?.text ?? name, node: n });
    } else {
      out.push({ name: n.text, alias: n.text.split('.')[0]!, node: n });
    }
  }
  return out;
}

/**
 * Makes `module.attr` (or the module itself when `attr` is omitted) available in a Python file
 * and says how to refer to it. Reuses `from module import attr [as x]` and `import module [as m]`;
 * merges `attr` into an existing `from module import ...` (not into a parenthesised list's
 * comment lines, not into `*`); otherwise adds `import module` after the last top-level import
 * (or after the module docstring and leading comments). Never duplicates an import.
 */
export function ensurePyImport(f: PyFixFile, offsets: PyOffsets, mod: string, attr: string | undefined, style: FileStyle): PyImportResult {
  const imports = topLevelImports(f.tree);
  let fromTarget: SyntaxNode | undefined;
  for (const stmt of imports) {
    if (stmt.type === 'import_statement') {
      for (const { name, alias, node } of importedNames(stmt)) {
        // `import os.path` binds `os`, which reaches `os.path` too.
        if (name === mod && node.type === 'aliased_import') return { ref: attr ? `${alias}.${attr}` : alias, edits: [] };
        if (name === mod || (node.type !== 'aliased_import' && name.startsWith(`${mod}.`))) {
          return { ref: attr ? `${mod}.${attr}` : mod, edits: [] };
        }
      }
    } else if (stmt.type === 'import_from_statement' && attr) {
      const from = stmt.childForFieldName('module_name')?.text;
      if (from !== mod) continue;
      if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) continue;
      for (const { name, alias } of importedNames(stmt)) if (name === attr) return { ref: alias, edits: [] };
      fromTarget ??= stmt;
    }
  }
  if (fromTarget && attr) {
    const names = fromTarget.childrenForFieldName('name').filter((n): n is SyntaxNode => !!n);
    const last = names[names.length - 1]!;
    const at = offsets.toChar(last.endIndex);
    return { ref: attr, edits: [{ file: f.file, span: { start: at, end: at }, text: `, ${attr}` }] };
  }
  return { ref: attr ? `${mod}.${attr}` : mod, edits: [insertPyTopLevel(f, offsets, `import ${mod}`, style)] };
}

/** End offset (UTF-16) of the last top-level import, if the file has one. */
export function pyLastImportEnd(f: PyFixFile, offsets: PyOffsets): number | undefined {
  const imports = topLevelImports(f.tree);
  const last = imports[imports.length - 1];
  return last ? offsets.toChar(last.endIndex) : undefined;
}

/**
 * An edit inserting a top-level import line: after the last top-level import, else after the
 * module docstring, else at the top below leading comments (shebang, coding line, licence).
 */
export function insertPyTopLevel(f: PyFixFile, offsets: PyOffsets, line: string, style: FileStyle): TextEdit {
  const after = pyLastImportEnd(f, offsets);
  if (after !== undefined) return { file: f.file, span: { start: after, end: after }, text: `${style.eol}${line}` };
  const first = firstStatement(f.tree);
  if (first && isDocstring(first)) {
    const at = offsets.toChar(first.endIndex);
    return { file: f.file, span: { start: at, end: at }, text: `${style.eol}${style.eol}${line}` };
  }
  const at = first ? offsets.toChar(first.startIndex) : f.text.length;
  return { file: f.file, span: { start: at, end: at }, text: `${line}${style.eol}${first ? style.eol : ''}` };
}

/**
 * An edit inserting a top-level helper definition after the imports (two blank lines either
 * side, as PEP 8 asks); callers check `pyTopLevelNames` first so it is inserted once.
 */
export function insertPyTopLevelDefinition(f: PyFixFile, offsets: PyOffsets, block: string, style: FileStyle): TextEdit {
  const after = pyLastImportEnd(f, offsets);
  const first = firstStatement(f.tree);
  const at = after ?? (first && isDocstring(first) ? offsets.toChar(first.endIndex) : undefined);
  if (at !== undefined) {
    return { file: f.file, span: { start: at, end: at }, text: `${style.eol}${style.eol}${style.eol}${block}` };
  }
  const start = first ? offsets.toChar(first.startIndex) : f.text.length;
  return { file: f.file, span: { start, end: start }, text: `${block}${style.eol}${style.eol}${style.eol}` };
}

function firstStatement(tree: TreeSitterTree): SyntaxNode | undefined {
  for (const { node, type } of topLevel(tree)) if (type !== 'comment') return node;
  return undefined;
}

function isDocstring(n: SyntaxNode): boolean {
  return n.type === 'expression_statement' && n.namedChildren.length === 1 && n.namedChildren[0]?.type === 'string';
}

const topLevelNamesByTree = new WeakMap<TreeSitterTree, ReadonlySet<string>>();

/** Names bound at the top level of a module: functions, classes, imports and simple assignments. */
export function pyTopLevelNames(tree: TreeSitterTree): Set<string> {
  let names = topLevelNamesByTree.get(tree);
  if (!names) topLevelNamesByTree.set(tree, (names = readTopLevelNames(tree)));
  return new Set(names);
}

function readTopLevelNames(tree: TreeSitterTree): Set<string> {
  const out = new Set<string>();
  for (const { node: c } of topLevel(tree)) {
    const def = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
    if (def && (def.type === 'function_definition' || def.type === 'class_definition')) {
      const n = def.childForFieldName('name')?.text;
      if (n) out.add(n);
    } else if (c.type === 'import_statement' || c.type === 'import_from_statement') {
      for (const { alias } of importedNames(c)) out.add(alias);
    } else if (c.type === 'expression_statement') {
      const a = c.namedChildren[0];
      if (a?.type === 'assignment' && a.childForFieldName('left')?.type === 'identifier') out.add(a.childForFieldName('left')!.text);
    }
  }
  return out;
}
