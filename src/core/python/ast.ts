import { detach, LineMap } from '../text';
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
/**
 * The children of every leaf: one shared, frozen empty list instead of an array per leaf (most
 * nodes are leaves). Fewer objects to allocate, and the whole-file walks, which are bound by
 * memory reads, find a leaf's children without loading another object.
 */
const NO_CHILDREN: PyNode[] = Object.freeze([]) as unknown as PyNode[];

export class PyNode {
  parent: PyNode | null = null;
  /** In document order; leaves share one frozen empty list (see copyTree). */
  readonly children: PyNode[] = NO_CHILDREN;

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
    /** The holder of the file's current version: shared by its nodes, so re-pointing them all is one write. */
    private readonly doc: { source: PySource },
  ) {}

  /**
   * Levels below this node (0 for a leaf), and the same without chain links of `a + b + c`
   * (see PySource.depth): kept per node so a reused subtree needs no walk to be measured.
   */
  height = 0;
  chainHeight = 0;
  /** Nodes in this subtree, itself included. */
  size = 1;
  /** Position in its file version's pre-order array (see walk); rewritten per version. */
  pos = -1;

  /**
   * Memoised answers of pure functions of this subtree (callArgs, dottedName, stringValue,
   * functionParams): a reused subtree is unchanged, so they stay valid across versions.
   */
  memo: NodeMemo | undefined = undefined;

  /** The parsed file this node belongs to (its latest version: see copyTree). */
  get source(): PySource {
    return this.doc.source;
  }

  get text(): string {
    return this.doc.source.text.slice(this.start, this.end);
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  /** The first child under a field name. */
  child(field: string): PyNode | undefined {
    const kids = this.children;
    for (let i = 0; i < kids.length; i++) if (kids[i]!.field === field) return kids[i];
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

/** See PyNode.memo. `null` stands for a computed undefined. */
interface NodeMemo {
  args?: CallArgs;
  dotted?: string | null;
  str?: string | null;
  params?: readonly PyParam[];
  decorators?: readonly PyNode[];
}

function memoOf(n: PyNode): NodeMemo {
  return (n.memo ??= {});
}

/** One parsed Python file: its text, line map and copied tree. */
export interface PySource {
  readonly file: string;
  readonly text: string;
  readonly lines: LineMap;
  root: PyNode;
  /** Whether tree-sitter had to recover from syntax errors somewhere in the file. */
  readonly hasError: boolean;
  /**
   * Deepest nesting of the tree (root = 0). The left operand of a `binary_operator` that is
   * itself a `binary_operator` does not count: the analyses fold such chains iteratively, so
   * a 20,000-term `a + b + ...` stays shallow while 20,000 nested parentheses do not.
   */
  readonly depth: number;
  /** Deepest nesting of the tree as tree-sitter has it (every level counts). */
  readonly treeDepth: number;
}

/** A text change in UTF-16 offsets: `[start, oldEnd)` of the old text became `[start, newEnd)`. */
export interface TextChange {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/**
 * What an incremental copy may reuse: the copy of the previous version of the same file, the
 * edits between the two texts, and tree-sitter's changed ranges between the edited old tree and
 * the new one (`oldTree.getChangedRanges(newTree)`, new-text offsets).
 */
export interface CopyReuse {
  readonly previous: PySource;
  /**
   * In the order they were made, each in the coordinates of the text the edits before it left
   * (as tree-sitter's `edit` takes them), each starting after the last one's new text ends.
   */
  readonly changes: readonly TextChange[];
  readonly changedRanges: readonly { readonly startIndex: number; readonly endIndex: number }[];
}

/**
 * Copies a tree-sitter tree into {@link PyNode}s with one cursor walk (no recursion: deep
 * files are fine). Each cursor read is a call into WASM, so per node only the type id, field
 * id and the two offsets are read; names come from per-language tables built once.
 *
 * With `reuse`, subtrees that the edits left alone are taken over from the previous copy
 * instead of being read again through the cursor: a node is reused when it lies wholly
 * outside the edited text (not even touching it) and outside every changed range, and the
 * previous copy has a node of the same type and field at the same (shifted) place under the
 * corresponding parent. Reused nodes are re-pointed at the new source and shifted by the
 * length difference of the edits before them, so the previous copy is consumed: it must not
 * be used again.
 */
export function copyTree(file: string, text: string, tree: TreeSitterTree, reuse?: CopyReuse, lineMap?: LineMap): PySource {
  const lines = lineMap?.text === text ? lineMap : new LineMap(text);
  const rootTs: SyntaxNode = tree.rootNode;
  const hasError = rootTs.hasError;
  const source: PySource = { file, text, lines, root: undefined as unknown as PyNode, hasError, depth: 0, treeDepth: 0 };
  // The previous version's nodes are taken over with their holder, re-pointed here at once.
  const doc = reuse ? docOf(reuse.previous.root) : { source };
  doc.source = source;
  const names = languageTables(tree);
  const cursor = tree.walk();
  const changes = reuse?.changes ?? [];
  for (let i = 1; i < changes.length; i++) {
    if (changes[i]!.start <= changes[i - 1]!.newEnd) throw new Error('copyTree: edits out of order or touching');
  }
  const changed = reuse?.changedRanges ?? [];
  /** Reused subtrees that moved, and by how much (the length difference of the edits before them). */
  const shifted: PyNode[] = [];
  const shifts: number[] = [];
  /**
   * An offset of the new text in the previous one, or -1 inside (or touching) an edit. The
   * edits' new texts are where the new text has them: each later edit starts after them.
   */
  const oldOffset = (at: number): number => {
    let shift = 0;
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      if (at < c.start) break;
      if (at <= c.newEnd) return -1;
      shift += c.newEnd - c.oldEnd;
    }
    return at - shift;
  };
  /** The previous copy's counterpart of a new node (same type and field, start mapped back), if any. */
  const counterpart = (oldParent: PyNode | null, start: number, end: number, type: string, field: string | null, exact: boolean): PyNode | undefined => {
    if (!oldParent || changes.length === 0) return undefined;
    const oldStart = oldOffset(start);
    if (oldStart < 0) return undefined;
    const oldEnd = exact ? oldOffset(end) : 0;
    if (oldEnd < 0) return undefined;
    const kids = oldParent.children;
    // Children are ordered by start: binary search for the first at or after oldStart.
    let lo = 0;
    let hi = kids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kids[mid]!.start < oldStart) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < kids.length && kids[i]!.start === oldStart; i++) {
      const k = kids[i]!;
      if (k.type === type && k.field === field && (!exact || k.end === oldEnd)) return k;
    }
    return undefined;
  };
  /** Whether a new node lies wholly outside the edits (not touching them) and every changed range. */
  const untouched = (start: number, end: number): boolean => {
    if (changes.length === 0) return false;
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      if (!(end < c.start || start > c.newEnd)) return false;
    }
    for (const r of changed) if (start <= r.endIndex && end >= r.startIndex) return false;
    return true;
  };
  try {
    const root = new PyNode(cursor.nodeType, true, cursor.startIndex, cursor.endIndex, null, false, doc);
    source.root = root;
    // The cursor's path from the root: our node at each level, and the previous copy's
    // matching node (null inside subtrees new to this version).
    const path: PyNode[] = [root];
    const olds: (PyNode | null)[] = [reuse ? reuse.previous.root : null];
    /** Whether the cursor's node was reused: its subtree is already there, do not descend. */
    let skip = false;
    const visit = (): void => {
      const parent = path[path.length - 1]!;
      const oldParent = olds[olds.length - 1]!;
      const typeId = cursor.nodeTypeId;
      const fieldId = cursor.currentFieldId;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const type = names.type(typeId);
      const field = fieldId ? names.field(fieldId) : null;
      if (oldParent && untouched(start, end)) {
        const old = counterpart(oldParent, start, end, type, field, true);
        if (old) {
          old.parent = parent;
          adopt(parent, old);
          if (start !== old.start) {
            shifted.push(old);
            shifts.push(start - old.start);
          }
          path.push(old);
          olds.push(null);
          skip = true;
          return;
        }
      }
      const node = new PyNode(
        type,
        names.named(typeId),
        start,
        end,
        field,
        // Only a tree with errors can hold parser-inserted (missing) nodes.
        hasError ? cursor.nodeIsMissing : false,
        doc,
      );
      node.parent = parent;
      adopt(parent, node);
      path.push(node);
      olds.push(counterpart(oldParent, start, end, type, field, false) ?? null);
      skip = false;
    };
    /** Leaves the cursor's node: its children are final, so its heights are too. */
    const finish = (): void => {
      const n = path.pop()!;
      olds.pop();
      if (skip) return;
      let height = 0;
      let chainHeight = 0;
      let size = 1;
      // Indexed: an iterator per node was a tenth of what the copy allocated.
      const kids = n.children;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        size += c.size;
        if (c.height + 1 > height) height = c.height + 1;
        // Chain links of `a + b + c` do not count towards the depth (see PySource.depth).
        const h = c.chainHeight + (c.type === 'binary_operator' && c.field === 'left' && n.type === 'binary_operator' ? 0 : 1);
        if (h > chainHeight) chainHeight = h;
      }
      n.height = height;
      n.chainHeight = chainHeight;
      n.size = size;
    };
    // Depth-first: descend, else finish the node and go to its next sibling, else climb.
    for (;;) {
      if (!skip && cursor.gotoFirstChild()) {
        visit();
        continue;
      }
      let done = false;
      for (;;) {
        finish();
        if (cursor.gotoNextSibling()) {
          visit();
          break;
        }
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
        // Back at the parent, which the loop finishes next (its subtree was not skipped).
        skip = false;
      }
      if (done) break;
    }
  } finally {
    cursor.delete();
  }
  // Shift the reused subtrees that come after an edit.
  if (shifted.length > 0) {
    const stack: PyNode[] = [];
    for (let t = 0; t < shifted.length; t++) {
      const delta = shifts[t]!;
      stack.push(shifted[t]!);
      while (stack.length > 0) {
        const n = stack.pop()! as { start: number; end: number; children: PyNode[] };
        n.start += delta;
        n.end += delta;
        const kids = n.children;
        for (let k = 0; k < kids.length; k++) stack.push(kids[k]!);
      }
    }
  }
  (source as { depth: number }).depth = source.root.chainHeight;
  (source as { treeDepth: number }).treeDepth = source.root.height;
  return source;
}

/** Appends a child, giving the parent a list of its own on its first child. */
function adopt(parent: PyNode, child: PyNode): void {
  if (parent.children === NO_CHILDREN) (parent as { children: PyNode[] }).children = [child];
  else parent.children.push(child);
}

/** The version holder shared by a copy's nodes. */
function docOf(node: PyNode): { source: PySource } {
  return (node as unknown as { doc: { source: PySource } }).doc;
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
    type: (id) => (types[id] ??= internalized(language.nodeTypeForId(id) ?? 'ERROR')),
    named: (id) => (named[id] ??= language.nodeTypeIsNamed(id)),
    field: (id) => {
      if (fields[id] === undefined) {
        const name = language.fieldNameForId(id);
        fields[id] = name === null ? null : internalized(name);
      }
      return fields[id]!;
    },
  };
  tablesByLanguage.set(language, tables);
  return tables;
}

/**
 * The engine's own copy of a string, the one V8 keeps for property names and literals. The
 * runtime decodes names from WASM memory into new strings, and every `n.type === 'call'` or
 * `c.field === 'function'` of the analyses then compared characters; between two such copies a
 * comparison is one pointer check (a 1,000-line analysis compares a few hundred thousand times).
 */
function internalized(name: string): string {
  return Object.keys({ [name]: true })[0]!;
}

/** Calls `visit` on every node below `node` (pre-order); returning false skips a subtree. */
export function walk(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  // Over the file's pre-order array when the node is in it: no stack, and a skipped subtree is
  // one jump (`size`). The rules walk the whole file several times per analysis.
  const order = indexOf(node.source).order;
  const from = node.pos;
  if (order[from] === node) {
    const to = from + node.size;
    for (let i = from; i < to; ) {
      const n = order[i]!;
      i = visit(n) === false ? i + n.size : i + 1;
    }
    return;
  }
  const stack: PyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

/**
 * What `walk(node, (n) => (types.includes(n.type) ? visit(n) : true))` does, without a call
 * per node: `visit` sees the nodes of these types below `node` (itself included) in pre-order;
 * returning false skips a subtree. The rules' whole-file visits each look for a few types.
 */
export function walkTypes(node: PyNode, types: readonly string[], visit: (n: PyNode) => boolean | void): void {
  const index = indexOf(node.source);
  const { order, types: kinds } = index;
  const from = node.pos;
  if (order[from] !== node) {
    walk(node, (n) => (types.includes(n.type) ? visit(n) : true));
    return;
  }
  if (types.every((t) => INDEXED.has(t))) {
    walkLists(index, node, [...new Set(types)], visit);
    return;
  }
  // Over the index's type column: the nodes themselves lie all over the heap, and reading every
  // node's type cost a cache miss per node; only the nodes visited are read.
  const to = from + node.size;
  for (let i = from; i < to; ) {
    const kind = kinds[i];
    let wanted = false;
    for (let t = 0; t < types.length; t++) {
      if (types[t] === kind) {
        wanted = true;
        break;
      }
    }
    i = wanted && visit(order[i]!) === false ? i + order[i]!.size : i + 1;
  }
}

/**
 * walkTypes over the index's lists of the types (all listed during the index walk): merged in
 * pre-order, so only the nodes of those types are read, not a type per node of the file.
 */
function walkLists(index: FileIndex, node: PyNode, types: readonly string[], visit: (n: PyNode) => boolean | void): void {
  const from = node.pos;
  const to = from + node.size;
  const lists = types.map((t) => index.byType.get(t)!);
  // Each list's first node at or after `from` (lists are in pre-order, as `pos` is).
  const at = lists.map((list) => firstAt(list, from));
  let skipTo = from;
  for (;;) {
    let best = -1;
    let bestPos = to;
    for (let k = 0; k < lists.length; k++) {
      const n = lists[k]![at[k]!];
      if (n !== undefined && n.pos < bestPos) {
        best = k;
        bestPos = n.pos;
      }
    }
    if (best < 0) return;
    const n = lists[best]![at[best]!++]!;
    if (bestPos < skipTo) continue;
    if (visit(n) === false) skipTo = bestPos + n.size;
  }
}

/** A file version's nodes in pre-order, and by type (filled per type on first use). */
interface FileIndex {
  readonly order: readonly PyNode[];
  /** The type of each node of `order`, at the same position. */
  readonly types: readonly string[];
  readonly byType: Map<string, readonly PyNode[]>;
}

const fileIndexes = new WeakMap<PySource, FileIndex>();
/**
 * The last index built for each file, by the version holder its versions share (see copyTree):
 * the next version's index takes over its two arrays instead of allocating them again (for a
 * 1,000-line file, 300 KB per keystroke that the collector then had to handle). The version
 * it indexed was consumed by the copy of the next one (copyTree) and is not indexed again.
 */
const lastIndexes = new WeakMap<object, { source: PySource; index: FileIndex; lists: PyNode[][] }>();
const NO_NODES: readonly PyNode[] = [];

/**
 * The types the model, the analyzer and the rules ask nodesOfType for on every analysis: their
 * lists are filled during the index walk. Any other type is listed on first use with one pass
 * over the pre-order array. Listing every type of the file (about 100) cost a tenth of an
 * on-type analysis, most of it allocation the next scavenge then had to copy.
 */
const INDEXED_TYPES: readonly string[] = [
  'identifier',
  'call',
  'function_definition',
  'class_definition',
  'import_statement',
  'import_from_statement',
  // The types of the rules' whole-file walkTypes visits.
  'string',
  'keyword_argument',
  'assignment',
  'pair',
  'default_parameter',
  'typed_default_parameter',
  'comparison_operator',
];
const INDEXED: ReadonlySet<string> = new Set(INDEXED_TYPES);

/** A type's position in INDEXED_TYPES, or -1 (a switch: types are internalized strings). */
function indexedSlot(type: string): number {
  switch (type) {
    case 'identifier':
      return 0;
    case 'call':
      return 1;
    case 'function_definition':
      return 2;
    case 'class_definition':
      return 3;
    case 'import_statement':
      return 4;
    case 'import_from_statement':
      return 5;
    case 'string':
      return 6;
    case 'keyword_argument':
      return 7;
    case 'assignment':
      return 8;
    case 'pair':
      return 9;
    case 'default_parameter':
      return 10;
    case 'typed_default_parameter':
      return 11;
    case 'comparison_operator':
      return 12;
    default:
      return -1;
  }
}

/** Builds a file version's index on first use (one walk, which also numbers the nodes: PyNode.pos). */
function indexOf(source: PySource): FileIndex {
  let index = fileIndexes.get(source);
  if (index) return index;
  const root = source.root;
  const doc = docOf(root);
  const last = lastIndexes.get(doc);
  let order: PyNode[];
  let types: string[];
  /** The lists of INDEXED_TYPES, in that order; taken over like `order` (below). */
  let lists: PyNode[][];
  if (last && last.source !== source) {
    fileIndexes.delete(last.source);
    order = last.index.order as PyNode[];
    types = last.index.types as string[];
    // The type lists too: grown by push every version, the identifiers' alone (a third of the
    // nodes) came to about 100 KB per keystroke of a 1,000-line file. They are overwritten in
    // place and cut to length; nothing keeps a list of a consumed version.
    lists = last.lists;
    if (!reindex(last.source.root, root, order, types, lists)) {
      order.length = root.size;
      types.length = root.size;
      numberFrom(root, order, types, lists, 0, 0, root.size);
    }
  } else {
    // Sized up front: the walk fills every slot (size counts the nodes of the subtree).
    order = new Array<PyNode>(root.size);
    types = new Array<string>(root.size);
    lists = INDEXED_TYPES.map(() => []);
    numberFrom(root, order, types, lists, 0, 0, root.size);
  }
  const byType = new Map<string, readonly PyNode[]>(INDEXED_TYPES.map((t, i) => [t, lists[i]!]));
  fileIndexes.set(source, (index = { order, types, byType }));
  lastIndexes.set(doc, { source, index, lists });
  return index;
}

/**
 * Numbers `order[from, to)` in pre-order, its first nodes already in place, and appends the
 * nodes of the indexed types to the lists at `listed` (-1: their current lengths), cutting
 * each list after them. Pre-order without a stack: a node's parent has already put it in
 * place, and it puts its children after itself, each one its subtree's size after the previous.
 */
function numberFrom(root: PyNode, order: PyNode[], types: string[], lists: PyNode[][], from: number, listed: number, to: number): void {
  const counts = lists.map((l) => (listed < 0 ? l.length : listed));
  order[0] = root;
  for (let at = from; at < to; at++) {
    const n = order[at]!;
    n.pos = at;
    const type = n.type;
    types[at] = type;
    const slot = indexedSlot(type);
    if (slot >= 0) lists[slot]![counts[slot]!++] = n;
    const kids = n.children;
    let next = at + 1;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      order[next] = c;
      next += c.size;
    }
  }
  for (let k = 0; k < lists.length; k++) lists[k]!.length = counts[k]!;
}

/**
 * Updates the last version's index in place for the new version, when both share leading
 * and trailing top-level statements (the same nodes: copyTree passes unchanged statements on
 * whole). Those keep their slots and list entries, the trailing ones moved by the change in
 * node count (one memory move, and `pos` rewritten); only the statements in between are
 * walked. A keystroke in a 1,000-line file walked its 13,000 nodes, a tenth of the analysis.
 * Returns false, leaving everything as it was, when there is nothing shared to keep.
 */
function reindex(oldRoot: PyNode, root: PyNode, order: PyNode[], types: string[], lists: PyNode[][]): boolean {
  const oldKids = oldRoot.children;
  const kids = root.children;
  if (oldRoot === root || oldKids === kids || order[0] !== oldRoot || order.length !== oldRoot.size) return false;
  // Leading statements kept: the same node at the same slot as before.
  let head = 0;
  let headEnd = 1;
  while (head < kids.length && head < oldKids.length && kids[head] === oldKids[head] && kids[head]!.pos === headEnd) headEnd += kids[head++]!.size;
  // Trailing statements kept, not overlapping the leading ones on either side.
  let tail = 0;
  let tailSize = 0;
  for (;;) {
    const k = kids.length - 1 - tail;
    const o = oldKids.length - 1 - tail;
    if (k < head || o < head) break;
    const c = kids[k]!;
    if (c !== oldKids[o] || c.pos !== oldRoot.size - tailSize - c.size) break;
    tailSize += c.size;
    tail++;
  }
  if (head === 0 && tail === 0) return false;
  const oldSize = oldRoot.size;
  const size = root.size;
  const oldTail = oldSize - tailSize;
  const newTail = size - tailSize;
  // Each list's entries from the kept statements: those before headEnd and from oldTail on
  // (the lists are in pre-order, by the old numbering, which nothing has rewritten yet).
  const heads: number[] = [];
  const tails: number[] = [];
  for (const list of lists) {
    heads.push(firstAt(list, headEnd));
    tails.push(firstAt(list, oldTail));
  }
  // The trailing slots move to their new place (grown by push, not by length: an array
  // stretched by its length holds holes, and reads of it check for them from then on).
  while (order.length < size) order.push(root);
  while (types.length < size) types.push('');
  moveWithin(order, newTail, oldTail, oldSize);
  moveWithin(types, newTail, oldTail, oldSize);
  order.length = size;
  types.length = size;
  // The statements in between, walked, their nodes listed apart and then put between each
  // list's kept head and its kept tail (moved in place).
  let next = headEnd;
  for (let i = head; i < kids.length - tail; i++) {
    order[next] = kids[i]!;
    next += kids[i]!.size;
  }
  const middle: PyNode[][] = INDEXED_TYPES.map(() => []);
  numberFrom(root, order, types, middle, headEnd, 0, newTail);
  root.pos = 0;
  types[0] = root.type;
  if (newTail !== oldTail) for (let at = newTail; at < size; at++) order[at]!.pos = at;
  for (let k = 0; k < lists.length; k++) {
    const list = lists[k]!;
    const added = middle[k]!;
    const from = heads[k]!;
    const oldLength = list.length;
    const length = from + added.length + (oldLength - tails[k]!);
    while (list.length < length) list.push(added[0]!);
    moveWithin(list, from + added.length, tails[k]!, oldLength);
    for (let i = 0; i < added.length; i++) list[from + i] = added[i]!;
    list.length = length;
  }
  return true;
}

/**
 * `array.copyWithin(to, from, end)` as a loop: V8's copyWithin is generic runtime code that
 * checks each slot for holes and took most of reindex's time.
 */
function moveWithin<T>(array: T[], to: number, from: number, end: number): void {
  if (to < from) for (let i = from; i < end; i++) array[to + i - from] = array[i]!;
  else if (to > from) for (let i = end - 1; i >= from; i--) array[to + i - from] = array[i]!;
}

/** The first index of a pre-order list whose node is numbered `pos` or later. */
function firstAt(list: readonly PyNode[], pos: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.pos < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every node of a type in a file, in document order. The first call walks the tree once and
 * lists the common types (INDEXED_TYPES), so the model and the rules, which each look for a few
 * types (calls, function definitions, imports), stop walking the whole tree each. The lists
 * are shared.
 */
export function nodesOfType(source: PySource, type: string): readonly PyNode[] {
  const index = indexOf(source);
  let list = index.byType.get(type);
  if (!list) {
    const found = index.order.filter((n) => n.type === type);
    list = found.length > 0 ? found : NO_NODES;
    index.byType.set(type, list);
  }
  return list;
}

/**
 * The identifiers inside a node, in document order, from the file's type index (a binary
 * search instead of a walk). Identifiers are leaves, so those within the node's range are
 * exactly those below it.
 */
export function identifiersIn(node: PyNode): readonly PyNode[] {
  const all = nodesOfType(node.source, 'identifier');
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.start < node.start) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < all.length && all[end]!.end <= node.end && all[end]!.start < node.end) end++;
  return all.slice(lo, end);
}

/** Nodes of several types in document order (merged by start; nodes of different types never share one here). */
export function nodesOfTypes(source: PySource, types: readonly string[]): PyNode[] {
  const lists = types.map((t) => nodesOfType(source, t));
  const out: PyNode[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const n = lists[i]![at[i]!];
      if (n && (best < 0 || n.start < lists[best]![at[best]!]!.start)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!++]!);
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
  const m = memoOf(node);
  if (m.str === undefined) {
    const value = computeStringValue(node);
    m.str = value === undefined ? null : detach(value);
  }
  return m.str ?? undefined;
}

function computeStringValue(node: PyNode): string | undefined {
  const n = unparen(node);
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of n.namedChildren) {
      // Comments between the parts (`r"^a"  # new style` on each line) are the parser's extras.
      if (part.type === 'comment') continue;
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

/** The character an escape sequence (`\n`, `\x41`, `\u00e9`) stands for; unknown escapes stay as written. */
export function decodeEscape(esc: string): string {
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
  const m = memoOf(node);
  if (m.dotted === undefined) {
    const name = computeDottedName(node);
    m.dotted = name === undefined ? null : detach(name);
  }
  return m.dotted ?? undefined;
}

/** Iterative: `a.b.c...` chains can be thousands long. */
function computeDottedName(node: PyNode): string | undefined {
  const attrs: string[] = [];
  let n = unparen(node);
  while (n.type === 'attribute') {
    const attr = n.child('attribute');
    const obj = n.child('object');
    if (!attr || !obj) return undefined;
    attrs.push(attr.text);
    n = unparen(obj);
  }
  if (n.type !== 'identifier') return undefined;
  let out = n.text;
  // A parser-inserted (empty) name: `.attr` alone is no dotted name.
  if (!out && attrs.length > 0) return undefined;
  for (let i = attrs.length - 1; i >= 0; i--) out += `.${attrs[i]}`;
  return out;
}

/** Positional and keyword arguments of a call. */
export interface CallArgs {
  readonly positional: PyNode[];
  readonly keywords: Map<string, PyNode>;
  /** `*xs` / `**kw` splats (values unknown). */
  readonly splats: PyNode[];
}

/** Positional, keyword and splat arguments of a call (memoised: do not modify the result). */
export function callArgs(call: PyNode): CallArgs {
  const m = memoOf(call);
  return (m.args ??= computeCallArgs(call));
}

function computeCallArgs(call: PyNode): CallArgs {
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
          // Memoised on a node that later versions reuse: the key must not hold this version's text.
          if (name && value) keywords.set(detach(name), value);
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

/** Parameters of a function definition (memoised: do not modify the result). */
export function functionParams(def: PyNode): PyParam[] {
  const m = memoOf(def);
  return (m.params ??= computeFunctionParams(def)) as PyParam[];
}

function computeFunctionParams(def: PyNode): PyParam[] {
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

/** The method of a class with that name, if the class body defines one. */
export function methodOf(cls: PyNode, name: string): PyNode | undefined {
  const body = cls.child('body');
  for (const stmt of body?.namedChildren ?? []) {
    const def = stmt.type === 'decorated_definition' ? stmt.child('definition') : stmt;
    if (def?.type === 'function_definition' && def.child('name')?.text === name) return def;
  }
  return undefined;
}

/** The function definition of a `decorated_definition`, or the node itself. */
export function definitionOf(node: PyNode): PyNode | undefined {
  if (node.type === 'function_definition' || node.type === 'class_definition') return node;
  if (node.type === 'decorated_definition') return node.child('definition');
  return undefined;
}

/**
 * Decorator expressions (without `@`) of a definition, if it is decorated (memoised on the
 * `decorated_definition`: the model asks for every function of the file on every analysis).
 */
export function decoratorsOf(def: PyNode): readonly PyNode[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return NO_NODES;
  const m = memoOf(parent);
  return (m.decorators ??= computeDecorators(parent));
}

function computeDecorators(decorated: PyNode): readonly PyNode[] {
  const out: PyNode[] = [];
  for (const c of decorated.children) {
    if (c.type !== 'decorator') continue;
    const expr = c.namedChildren.find((e) => e.type !== 'comment');
    if (expr) out.push(expr);
  }
  return out.length > 0 ? out : NO_NODES;
}

/** `{}`, `[]`, `dict()`, `list()`: a module table to be filled later. */
export function isEmptyContainer(rhs: PyNode): boolean {
  const n = unparen(rhs);
  if (n.type === 'dictionary' || n.type === 'list') return n.namedChildren.every((c) => c.type === 'comment');
  return n.type === 'call' && /^(?:dict|list)$/.test(n.child('function')?.text ?? '') && callArgs(n).positional.length === 0;
}

/** The value an expression statement stores into the table `name` (`name[k] = v`, `name.append(v)`, `name.setdefault(k, v)`). */
export function storedInto(e: PyNode, name: string): PyNode | undefined {
  if (e.type === 'assignment') {
    const left = e.child('left');
    return left?.type === 'subscript' && left.child('value')?.text === name ? (e.child('right') ?? undefined) : undefined;
  }
  if (e.type !== 'call') return undefined;
  const fn = e.child('function');
  if (fn?.type !== 'attribute' || fn.child('object')?.text !== name) return undefined;
  const m = fn.child('attribute')?.text;
  const pos = callArgs(e).positional;
  return m === 'append' || m === 'add' ? pos[0] : m === 'setdefault' ? pos[1] : undefined;
}

/** The identifiers naming `name` in a module (from the file's type index). */
export function moduleNameUses(source: PySource, name: string): PyNode[] {
  return nodesOfType(source, 'identifier').filter((n) => n.text === name);
}

/**
 * Where an identifier naming a table is stored into: `name[k] = v` (with the literal key, if
 * any), `name.append(v)` / `name.add(v)`, `name.setdefault(k, v)`.
 */
export function storeSite(id: PyNode): { value: PyNode; key?: string } | undefined {
  const parent = id.parent;
  if (parent?.type === 'subscript' && parent.child('value') === id) {
    const a = parent.parent;
    const value = a?.type === 'assignment' && a.child('left') === parent ? a.child('right') : undefined;
    if (!value) return undefined;
    const key = stringValue(parent.child('subscript'));
    return { value, ...(key !== undefined ? { key } : {}) };
  }
  const call = parent?.type === 'attribute' && parent.child('object') === id ? parent.parent : undefined;
  if (call?.type !== 'call' || call.child('function') !== parent) return undefined;
  const value = storedInto(call, id.text);
  return value ? { value } : undefined;
}

/** A module's top-level `def name` (the last one, decorated or not). */
export function topLevelFunction(root: PyNode, name: string): PyNode | undefined {
  let found: PyNode | undefined;
  for (const stmt of root.namedChildren) {
    const def = definitionOf(stmt);
    if (def?.type === 'function_definition' && def.child('name')?.text === name) found = def;
  }
  return found;
}

/** The function a node is in, if any. */
export function enclosingFunction(node: PyNode): PyNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
  return undefined;
}
