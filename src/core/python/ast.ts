import { LineMap } from '../text';
import type { Span } from '../types';
import type { SyntaxNode, TreeSitterTree } from './parser';

/**
 * A plain-JavaScript copy of a tree-sitter Python tree.
 *
 * Every property read on a tree-sitter node crosses into WASM and allocates a fresh wrapper,
 * so identity comparisons fail and repeated walks are slow. The engine copies the tree once
 * per file (one cursor walk) and analyses the copy: nodes are stable objects usable as map
 * keys, `text` is a slice of the source, and the copy outlives `tree.delete()`.
 *
 * Offsets: the @vscode/tree-sitter-wasm runtime parses JavaScript strings as UTF-16, so its
 * `startIndex`/`endIndex` are already UTF-16 code units, the unit of {@link Span}
 * (test/python/offsets.test.ts pins this down with non-ASCII text).
 */
export class PyNode {
  parent: PyNode | null = null;
  readonly children: PyNode[] = [];

  constructor(
    /** tree-sitter node type (`call`, `identifier`, or the token itself for anonymous nodes such as `==`). */
    readonly type: string,
    readonly named: boolean,
    readonly start: number,
    readonly end: number,
    /** Field name under the parent (`function`, `arguments`, `left`, ...), or null. */
    readonly field: string | null,
    /** A zero-width node the parser inserted to recover from an error. */
    readonly missing: boolean,
    readonly source: PySource,
  ) {}

  get text(): string {
    return this.source.text.slice(this.start, this.end);
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  /** The first child under a field name. */
  child(field: string): PyNode | undefined {
    for (const c of this.children) if (c.field === field) return c;
    return undefined;
  }

  /** All children under a field name. */
  childrenOf(field: string): PyNode[] {
    return this.children.filter((c) => c.field === field);
  }

  /** Named children (cached: the tree is immutable once copied). */
  get namedChildren(): PyNode[] {
    return (this.named_ ??= this.children.filter((c) => c.named));
  }
  private named_: PyNode[] | undefined;

  /** The first named child of a type. */
  firstOfType(type: string): PyNode | undefined {
    for (const c of this.children) if (c.type === type) return c;
    return undefined;
  }

  /** Nearest ancestor (not self) of one of the types. */
  ancestor(...types: string[]): PyNode | undefined {
    for (let p = this.parent; p; p = p.parent) if (types.includes(p.type)) return p;
    return undefined;
  }

  /** Whether `other` lies within this node's range. */
  contains(other: PyNode | Span): boolean {
    return other.start >= this.start && other.end <= this.end;
  }
}

/** One parsed Python file: its text, line map and copied tree. */
export interface PySource {
  readonly file: string;
  readonly text: string;
  readonly lines: LineMap;
  root: PyNode;
  /** Whether tree-sitter had to recover from syntax errors somewhere in the file. */
  readonly hasError: boolean;
}

/**
 * Copies a tree-sitter tree into {@link PyNode}s with one cursor walk (no recursion: deep
 * files are fine). Each cursor read is a call into WASM, so per node only the type id, field
 * id and the two offsets are read; names come from per-language tables built once.
 */
export function copyTree(file: string, text: string, tree: TreeSitterTree): PySource {
  const lines = new LineMap(text);
  const rootTs: SyntaxNode = tree.rootNode;
  const hasError = rootTs.hasError;
  const source: PySource = { file, text, lines, root: undefined as unknown as PyNode, hasError };
  const names = languageTables(tree);
  const cursor = tree.walk();
  try {
    const root = new PyNode(cursor.nodeType, true, cursor.startIndex, cursor.endIndex, null, false, source);
    source.root = root;
    let current = root;
    const add = (parent: PyNode): PyNode => {
      const typeId = cursor.nodeTypeId;
      const fieldId = cursor.currentFieldId;
      const node = new PyNode(
        names.type(typeId),
        names.named(typeId),
        cursor.startIndex,
        cursor.endIndex,
        fieldId ? names.field(fieldId) : null,
        // Only a tree with errors can hold parser-inserted (missing) nodes.
        hasError ? cursor.nodeIsMissing : false,
        source,
      );
      node.parent = parent;
      parent.children.push(node);
      return node;
    };
    // Depth-first: descend, else next sibling, else climb until a sibling exists.
    for (;;) {
      if (cursor.gotoFirstChild()) {
        current = add(current);
        continue;
      }
      for (;;) {
        if (cursor.gotoNextSibling()) {
          current = add(current.parent!);
          break;
        }
        if (!cursor.gotoParent()) return source;
        current = current.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}

interface LanguageTables {
  type(id: number): string;
  named(id: number): boolean;
  field(id: number): string | null;
}

const tablesByLanguage = new WeakMap<object, LanguageTables>();

/** Type and field names by id, cached per language (ids are stable for a loaded grammar). */
function languageTables(tree: TreeSitterTree): LanguageTables {
  const language = tree.language;
  const hit = tablesByLanguage.get(language);
  if (hit) return hit;
  const types: (string | undefined)[] = [];
  const named: (boolean | undefined)[] = [];
  const fields: (string | null | undefined)[] = [];
  const tables: LanguageTables = {
    type: (id) => (types[id] ??= language.nodeTypeForId(id) ?? 'ERROR'),
    named: (id) => (named[id] ??= language.nodeTypeIsNamed(id)),
    field: (id) => (fields[id] === undefined ? (fields[id] = language.fieldNameForId(id)) : fields[id]!),
  };
  tablesByLanguage.set(language, tables);
  return tables;
}

/** Calls `visit` on every node below `node` (pre-order); returning false skips a subtree. */
export function walk(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  const stack: PyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

/** The smallest named node covering exactly `span`, if any (for fix builders handed a flow's span). */
export function nodeAtSpan(root: PyNode, span: Span): PyNode | undefined {
  let found: PyNode | undefined;
  walk(root, (n) => {
    if (n.start > span.start || n.end < span.end) return false;
    if (n.named && n.start === span.start && n.end === span.end) found = n;
    return true;
  });
  return found;
}

/** Unwraps `( expr )`. */
export function unparen(node: PyNode): PyNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = n.namedChildren.find((c) => c.type !== 'comment');
    if (!inner) break;
    n = inner;
  }
  return n;
}

/**
 * The value of a plain string literal (no interpolation), with the common escapes decoded;
 * undefined for f-strings with placeholders and non-strings. Adjacent literals concatenate.
 */
export function stringValue(node: PyNode | undefined): string | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of n.namedChildren) {
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== 'string') return undefined;
  const prefix = n.children[0]?.text.toLowerCase() ?? '';
  const raw = prefix.includes('r');
  let out = '';
  for (const c of n.children) {
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += raw ? c.text : decodeEscape(c.text);
  }
  return out;
}

function decodeEscape(esc: string): string {
  switch (esc[1]) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    case '\\':
    case "'":
    case '"':
      return esc[1];
    case 'x':
    case 'u':
    case 'U':
      return String.fromCodePoint(parseInt(esc.slice(2), 16) || 0);
    default:
      return esc;
  }
}

/** Whether a string node is an f-string (has an `f` prefix). */
export function isFString(node: PyNode): boolean {
  return node.type === 'string' && /f/i.test(node.children[0]?.text ?? '');
}

/** Dotted name of an identifier/attribute chain (`os.path.join`), or undefined for anything else. */
export function dottedName(node: PyNode | undefined): string | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = dottedName(n.child('object'));
    const attr = n.child('attribute');
    return obj && attr ? `${obj}.${attr.text}` : undefined;
  }
  return undefined;
}

/** Positional and keyword arguments of a call. */
export interface CallArgs {
  readonly positional: PyNode[];
  readonly keywords: Map<string, PyNode>;
  /** `*xs` / `**kw` splats (values unknown). */
  readonly splats: PyNode[];
}

export function callArgs(call: PyNode): CallArgs {
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  const splats: PyNode[] = [];
  const list = call.child('arguments');
  if (list) {
    if (list.type === 'generator_expression') positional.push(list);
    else {
      for (const a of list.namedChildren) {
        if (a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const name = a.child('name')?.text;
          const value = a.child('value');
          if (name && value) keywords.set(name, value);
        } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splats.push(a);
        else positional.push(a);
      }
    }
  }
  return { positional, keywords, splats };
}

/** The first statement of a function/class body when it is a string literal (the docstring). */
export function docstring(def: PyNode): PyNode | undefined {
  const body = def.child('body');
  const first = body?.namedChildren.find((c) => c.type !== 'comment');
  if (first?.type !== 'expression_statement') return undefined;
  const expr = first.namedChildren[0];
  return expr && (expr.type === 'string' || expr.type === 'concatenated_string') && stringValue(expr) !== undefined
    ? expr
    : undefined;
}

/** Parameters of a function definition, flattened. */
export interface PyParam {
  readonly name: string;
  /** The name identifier. */
  readonly node: PyNode;
  /** The whole parameter (with annotation and default). */
  readonly decl: PyNode;
  readonly annotation?: PyNode;
  readonly defaultValue?: PyNode;
  readonly splat?: 'list' | 'dict';
}

export function functionParams(def: PyNode): PyParam[] {
  const out: PyParam[] = [];
  const params = def.child('parameters');
  if (!params) return out;
  for (const p of params.namedChildren) {
    switch (p.type) {
      case 'identifier':
        out.push({ name: p.text, node: p, decl: p });
        break;
      case 'typed_parameter': {
        const inner = p.namedChildren.find((c) => c.field === null);
        const type = p.child('type');
        if (inner?.type === 'identifier') out.push({ name: inner.text, node: inner, decl: p, ...(type ? { annotation: type } : {}) });
        else if (inner?.type === 'list_splat_pattern' || inner?.type === 'dictionary_splat_pattern') {
          const id = inner.namedChildren[0];
          if (id) out.push({ name: id.text, node: id, decl: p, splat: inner.type === 'list_splat_pattern' ? 'list' : 'dict' });
        }
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = p.child('name');
        const type = p.child('type');
        const value = p.child('value');
        if (name)
          out.push({
            name: name.text,
            node: name,
            decl: p,
            ...(type ? { annotation: type } : {}),
            ...(value ? { defaultValue: value } : {}),
          });
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const id = p.namedChildren[0];
        if (id) out.push({ name: id.text, node: id, decl: p, splat: p.type === 'list_splat_pattern' ? 'list' : 'dict' });
        break;
      }
    }
  }
  return out;
}

/** The function definition of a `decorated_definition`, or the node itself. */
export function definitionOf(node: PyNode): PyNode | undefined {
  if (node.type === 'function_definition' || node.type === 'class_definition') return node;
  if (node.type === 'decorated_definition') return node.child('definition');
  return undefined;
}

/** Decorator expressions (without `@`) of a definition, if it is decorated. */
export function decoratorsOf(def: PyNode): PyNode[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.children.filter((c) => c.type === 'decorator').map((d) => d.namedChildren.find((c) => c.type !== 'comment')!).filter(Boolean);
}
