import { copyTree, type PyNode, type PySource } from '../python/ast';
import type { TreeSitterTree } from '../python/parser';
import type { Span, TextEdit } from '../types';
import type { FileStyle } from './style';

/** What a fix needs to know about the Python file it edits (a subset of the Python engine's context). */
export interface PyFixFile {
  readonly file: string;
  readonly text: string;
  /** The file's tree-sitter tree, copied into plain nodes on first use when `parsed` is absent. */
  readonly tree: TreeSitterTree;
  /**
   * The plain-node copy of `tree` (the Python engine's context carries it). The builders read
   * only plain nodes: every read on a tree-sitter node crosses into WASM and allocates a wrapper,
   * which cost about half of a 1,000-line server's analysis with fixes.
   */
  readonly parsed?: PySource;
}

const copies = new WeakMap<TreeSitterTree, PySource>();

/** The plain-node copy of a fix file's tree: `parsed` when given, else copied once per tree. */
export function pyFixSource(f: PyFixFile): PySource {
  if (f.parsed) return f.parsed;
  let source = copies.get(f.tree);
  if (!source) copies.set(f.tree, (source = copyTree(f.file, f.text, f.tree)));
  return source;
}

/**
 * Maps tree-sitter node positions to span offsets. web-tree-sitter parses a JS string as
 * UTF-16, so `startIndex`/`endIndex` (and the plain nodes' `start`/`end` copied from them)
 * already count UTF-16 code units (measured: in `a = "é😀"\nb = run(x)` the call starts at
 * index 14, its UTF-16 offset, not byte 17). Kept as one class so every conversion goes
 * through a single place.
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
  span(node: PyNode): Span {
    return { start: node.start, end: node.end };
  }
}

/**
 * The smallest named node covering a UTF-16 span (the sink call, the comparison, ...): what
 * tree-sitter's `namedDescendantForIndex(start, max(start, end - 1))` finds, widened to its
 * nearest ancestor covering the whole span. The descent is tree-sitter's: into the first
 * child reaching the range's end (and past its start, or up to it for an empty child) that
 * starts at or before the range's start; the last named node passed is the answer.
 * test/python/fix-source.test.ts checks it against tree-sitter node for node.
 */
export function pyNodeAtSpan(from: PySource | TreeSitterTree, offsets: PyOffsets, span: Span): PyNode | undefined {
  const source = 'root' in from ? from : pyFixSource({ file: '', text: offsets.text, tree: from });
  const start = offsets.toByte(span.start);
  const end = offsets.toByte(span.end);
  const rangeEnd = Math.max(start, end - 1);
  let node: PyNode = source.root;
  let found: PyNode | null = node;
  descend: for (;;) {
    for (const c of node.children) {
      if (c.end < rangeEnd) continue;
      if (c.start === c.end ? c.end < start : c.end <= start) continue;
      if (start < c.start) break;
      node = c;
      if (c.named) found = c;
      continue descend;
    }
    break;
  }
  while (found && (found.start > start || found.end < end)) found = found.parent;
  return found ?? undefined;
}

/** Result of asking for an imported name: how to refer to it, and the edits that import it. */
export interface PyImportResult {
  readonly ref: string;
  readonly edits: readonly TextEdit[];
}

/** The top-level import statements of a file, in order. */
function topLevelImports(source: PySource): PyNode[] {
  const out: PyNode[] = [];
  for (const node of source.root.namedChildren) {
    const type = node.type;
    if (type === 'import_statement' || type === 'import_from_statement' || type === 'future_import_statement') out.push(node);
  }
  return out;
}

/** `(name, alias)` pairs of `import a.b as c` / `from m import x as y` children. */
function importedNames(stmt: PyNode): { name: string; alias: string; node: PyNode }[] {
  const out: { name: string; alias: string; node: PyNode }[] = [];
  for (const n of stmt.childrenOf('name')) {
    if (n.type === 'aliased_import') {
      const name = n.child('name')?.text ?? '';
      out.push({ name, alias: n.child('alias')?.text ?? name, node: n });
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
  const imports = topLevelImports(pyFixSource(f));
  let fromTarget: PyNode | undefined;
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
      const from = stmt.child('module_name')?.text;
      if (from !== mod) continue;
      if (stmt.namedChildren.some((c) => c.type === 'wildcard_import')) continue;
      for (const { name, alias } of importedNames(stmt)) if (name === attr) return { ref: alias, edits: [] };
      fromTarget ??= stmt;
    }
  }
  if (fromTarget && attr) {
    const names = fromTarget.childrenOf('name');
    const last = names[names.length - 1]!;
    const at = offsets.toChar(last.end);
    return { ref: attr, edits: [{ file: f.file, span: { start: at, end: at }, text: `, ${attr}` }] };
  }
  return { ref: attr ? `${mod}.${attr}` : mod, edits: [insertPyTopLevel(f, offsets, `import ${mod}`, style)] };
}

/** End offset (UTF-16) of the last top-level import, if the file has one. */
export function pyLastImportEnd(f: PyFixFile, offsets: PyOffsets): number | undefined {
  const imports = topLevelImports(pyFixSource(f));
  const last = imports[imports.length - 1];
  return last ? offsets.toChar(last.end) : undefined;
}

/**
 * An edit inserting a top-level import line: after the last top-level import, else after the
 * module docstring, else at the top below leading comments (shebang, coding line, licence).
 */
export function insertPyTopLevel(f: PyFixFile, offsets: PyOffsets, line: string, style: FileStyle): TextEdit {
  const after = pyLastImportEnd(f, offsets);
  if (after !== undefined) return { file: f.file, span: { start: after, end: after }, text: `${style.eol}${line}` };
  const first = firstStatement(pyFixSource(f));
  if (first && isDocstring(first)) {
    const at = offsets.toChar(first.end);
    return { file: f.file, span: { start: at, end: at }, text: `${style.eol}${style.eol}${line}` };
  }
  const at = first ? offsets.toChar(first.start) : f.text.length;
  return { file: f.file, span: { start: at, end: at }, text: `${line}${style.eol}${first ? style.eol : ''}` };
}

/**
 * An edit inserting a top-level helper definition after the imports (two blank lines either
 * side, as PEP 8 asks); callers check `pyTopLevelNames` first so it is inserted once.
 */
export function insertPyTopLevelDefinition(f: PyFixFile, offsets: PyOffsets, block: string, style: FileStyle): TextEdit {
  const after = pyLastImportEnd(f, offsets);
  const first = firstStatement(pyFixSource(f));
  const at = after ?? (first && isDocstring(first) ? offsets.toChar(first.end) : undefined);
  if (at !== undefined) {
    return { file: f.file, span: { start: at, end: at }, text: `${style.eol}${style.eol}${style.eol}${block}` };
  }
  const start = first ? offsets.toChar(first.start) : f.text.length;
  return { file: f.file, span: { start, end: start }, text: `${block}${style.eol}${style.eol}${style.eol}` };
}

function firstStatement(source: PySource): PyNode | undefined {
  for (const node of source.root.namedChildren) if (node.type !== 'comment') return node;
  return undefined;
}

function isDocstring(n: PyNode): boolean {
  return n.type === 'expression_statement' && n.namedChildren.length === 1 && n.namedChildren[0]?.type === 'string';
}

const topLevelNamesBySource = new WeakMap<PySource, ReadonlySet<string>>();

/**
 * Names bound at the top level of a module: functions, classes, imports and simple assignments.
 * Read once per file version (a file with many findings asks once per fix): the set is shared.
 */
export function pyTopLevelNames(f: PyFixFile): ReadonlySet<string> {
  const source = pyFixSource(f);
  let names = topLevelNamesBySource.get(source);
  if (!names) topLevelNamesBySource.set(source, (names = readTopLevelNames(source)));
  return names;
}

function readTopLevelNames(source: PySource): Set<string> {
  const out = new Set<string>();
  for (const c of source.root.namedChildren) {
    const def = c.type === 'decorated_definition' ? c.child('definition') : c;
    if (def && (def.type === 'function_definition' || def.type === 'class_definition')) {
      const n = def.child('name')?.text;
      if (n) out.add(n);
    } else if (c.type === 'import_statement' || c.type === 'import_from_statement') {
      for (const { alias } of importedNames(c)) out.add(alias);
    } else if (c.type === 'expression_statement') {
      const a = c.namedChildren[0];
      if (a?.type === 'assignment' && a.child('left')?.type === 'identifier') out.add(a.child('left')!.text);
    }
  }
  return out;
}
