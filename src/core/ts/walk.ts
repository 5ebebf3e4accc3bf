import * as ts from 'typescript';
import { detach } from '../text';

/**
 * A source file's nodes in pre-order (the order `ts.forEachChild` visits them), with the index
 * just past each node's subtree. Built once per parse, without recursion, and shared by every
 * rule's walk: the rules used to walk the whole tree a dozen times through `forEachChild`,
 * which was a fifth of a lint pass, and recursed deeply enough on long chains to overflow.
 */
interface FlatTree {
  readonly nodes: readonly ts.Node[];
  /** `kinds[i]`: the SyntaxKind of node i, for walks that look at a few kinds only. */
  readonly kinds: Uint16Array;
  /** `starts[i]`: node i's `pos`, non-decreasing in pre-order, to find a node by binary search. */
  readonly starts: Int32Array;
  /** `ends[i]`: index of the first node after node i's subtree. */
  readonly ends: Int32Array;
  /** Index of a node, built on the first walk that starts below the root. */
  indexOf?: Map<ts.Node, number>;
  /** Per mask, the indices of the nodes it selects (ascending), built on the mask's first walk. */
  selected?: Map<KindMask, Int32Array>;
  /** Node indices grouped by kind (ascending within a kind), built on the first `walkTsKinds`. */
  byKind?: { readonly order: Int32Array; readonly offsets: Int32Array };
  /** The top-level statements' segments in order, for the next version's `flatten` (`succeed`). */
  readonly segs: readonly Segment[];
}

const flatTrees = new WeakMap<ts.SourceFile, FlatTree>();

/** One top-level statement's subtree in pre-order, with subtree sizes: the part of a flat tree it owns. */
interface Segment {
  readonly nodes: readonly ts.Node[];
  readonly kinds: Uint16Array;
  /** `sizes[i]`: how many nodes node i's subtree holds, itself included. */
  readonly sizes: Int32Array;
  /**
   * `rel[i]`: node i's `pos` minus the statement's. A reused statement moved as a whole (the
   * incremental parser shifts every node of it by the same amount), so these stay true.
   */
  readonly rel: Int32Array;
}

/**
 * Segments by statement node. The incremental parser hands the statements an edit did not touch
 * to the next tree as they are (same objects, same subtrees, positions moved), so a file being
 * edited flattens only the statements that changed.
 */
const segments = new WeakMap<ts.Node, Segment>();

/**
 * A statement's segment, built on first use. The walk also sets every node's `parent` (the
 * engine parses without TypeScript's own parent pass, see `parseTs`; the incremental parser
 * sets them itself and they are set again to the same nodes here).
 */
function segmentOf(root: ts.Node): Segment {
  let seg = segments.get(root);
  if (seg) return seg;
  const count = preorder(root);
  const { nodes, parents } = scratch;
  // Children follow their parent in pre-order, so subtree sizes accumulate back to front.
  const sizes = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) sizes[parents[i]!]! += sizes[i]!;
  const kinds = new Uint16Array(count);
  const rel = new Int32Array(count);
  const base = root.pos;
  for (let i = 0; i < count; i++) {
    const n = nodes[i]!;
    kinds[i] = n.kind;
    rel[i] = n.pos - base;
  }
  const built: Segment = { nodes: nodes.slice(0, count) as ts.Node[], kinds, sizes, rel };
  release(count);
  segments.set(root, built);
  return built;
}

/**
 * Lists `root`'s subtree in pre-order into `scratch.nodes`, each node's parent's index into
 * `scratch.parents` (-1 for the root), and returns how many there are; sets every node's
 * `parent` on the way. The caller copies what it needs, then calls `release`.
 */
function preorder(root: ts.Node): number {
  // Scratch stacks shared by every call (no caller re-enters): they only grow, so a cold
  // parse of a big file does not allocate and re-grow four arrays per statement.
  const { work, workParent, nodes, parents } = scratch;
  let top = 0;
  let count = 0;
  work[top] = root;
  workParent[top++] = -1;
  let parent: ts.Node = root;
  let current = -1;
  const push = (c: ts.Node): undefined => {
    (c as { parent: ts.Node }).parent = parent;
    work[top] = c;
    workParent[top++] = current;
    return undefined;
  };
  // Child lists by index: without this callback `forEachChild` runs a `for...of` per list,
  // and its iterator was a sixth of what the walk allocated on a cold lint.
  const pushAll = (list: ts.NodeArray<ts.Node>): undefined => {
    for (let k = 0; k < list.length; k++) push(list[k]!);
    return undefined;
  };
  while (top > 0) {
    const n = work[--top]!;
    current = count;
    nodes[count] = n;
    parents[count++] = workParent[top]!;
    const mark = top;
    parent = n;
    if ((n as { jsDoc?: readonly ts.Node[] }).jsDoc) setJsDocParents(n);
    ts.forEachChild(n, push, pushAll);
    // forEachChild pushed the children in order (all with the same parent); the stack must
    // pop the first one first.
    for (let a = mark, b = top - 1; a < b; a++, b--) {
      const t = work[a]!;
      work[a] = work[b]!;
      work[b] = t;
    }
  }
  return count;
}

/** Clears the scratch stacks after `preorder` listed `count` nodes: they must not keep the tree alive. */
function release(count: number): void {
  scratch.nodes.fill(undefined, 0, count);
  scratch.work.fill(undefined, 0, Math.min(scratch.work.length, count + 1));
}

/** `preorder`'s stacks: pending nodes with their parents' indices, and the nodes listed so far. */
const scratch = {
  work: [] as (ts.Node | undefined)[],
  workParent: [] as number[],
  nodes: [] as (ts.Node | undefined)[],
  parents: [] as number[],
};

/**
 * JSDoc nodes hang off the node they document, outside `forEachChild`: their parents are set
 * as TypeScript's own parent pass sets them (the engine parses without JSDoc, so there are
 * rarely any).
 */
function setJsDocParents(owner: ts.Node): void {
  for (const doc of (owner as { jsDoc?: readonly ts.Node[] }).jsDoc ?? []) {
    (doc as { parent: ts.Node }).parent = owner;
    const work: ts.Node[] = [doc];
    while (work.length > 0) {
      const n = work.pop()!;
      ts.forEachChild(n, (c) => {
        (c as { parent: ts.Node }).parent = n;
        work.push(c);
        return undefined;
      });
    }
  }
}

/**
 * Sets the parent of every node of a tree parsed without them (`setParentNodes` false), as a
 * side effect of building its flat node array, which every lint builds anyway: one walk of
 * the tree instead of two, and none of the compiler's per-node work-queue allocation.
 */
export function setParents(sf: ts.SourceFile): void {
  flatTreeOf(sf);
}

/**
 * After an incremental parse: cuts the statements the parser made anew loose from the file
 * version they were parsed from. A literal's `text` and an identifier's `escapedText` are V8
 * slices of the whole file, so a tree edited at many places kept one copy of the file alive per
 * version a statement was last parsed from (on the benchmark's 1,000-line server, 50 copies of
 * it at any time, each promoted by the garbage collector; a 5,000-line file being edited all
 * over would hold hundreds). Their statements' segments are built here, which the first walk of
 * the tree does anyway, and their texts are replaced by copies (`detach` leaves short ones,
 * which V8 copies already). Nodes reused inside a new statement are copied too. A statement
 * without a segment counts as new: on the first edit after a cold parse (`flattenWhole` builds
 * none) that is every statement, once.
 */
export function detachNewTexts(sf: ts.SourceFile): void {
  for (const st of sf.statements) {
    if (segments.has(st)) continue;
    (st as { parent: ts.Node }).parent = sf;
    for (const n of segmentOf(st).nodes) {
      const node = n as { kind: ts.SyntaxKind; text?: unknown; rawText?: unknown; escapedText?: unknown };
      if (node.kind === ts.SyntaxKind.Identifier || node.kind === ts.SyntaxKind.PrivateIdentifier) {
        if (typeof node.escapedText === 'string') node.escapedText = detach(node.escapedText);
      } else if (node.kind >= ts.SyntaxKind.FirstLiteralToken && node.kind <= ts.SyntaxKind.LastTemplateToken) {
        if (typeof node.text === 'string') node.text = detach(node.text);
        if (typeof node.rawText === 'string') node.rawText = detach(node.rawText);
      }
    }
  }
}

/**
 * The flat trees of the last versions of edited files, by the tree that succeeded each
 * (`succeed`), for `flatten` to reuse.
 */
const predecessors = new WeakMap<ts.SourceFile, FlatTree>();

/**
 * Hands the flat tree of `before` to `after`, its incremental re-parse: typing in a string or a
 * name keeps the number of nodes, so the new tree's arrays are the old ones overwritten, and
 * when every node's kind is the same too (the usual keystroke) the per-kind index and the
 * masks' selections stay as they are (they hold node indices, which depend on kinds only).
 * That was a twentieth of an edit's time and most of what the walk allocated per keystroke.
 * `before` loses its flat tree: walked again, it builds a new one rather than see `after`'s.
 */
export function succeed(before: ts.SourceFile, after: ts.SourceFile): void {
  const flat = flatTrees.get(before);
  if (!flat || before === after) return;
  flatTrees.delete(before);
  predecessors.set(after, flat);
}

function flatten(sf: ts.SourceFile): FlatTree {
  const old = predecessors.get(sf);
  if (!old) return flattenWhole(sf);
  predecessors.delete(sf);
  const segs: Segment[] = [];
  ts.forEachChild(sf, (c) => {
    (c as { parent: ts.Node }).parent = sf;
    segs.push(segmentOf(c));
    return undefined;
  });
  let total = 1;
  for (const seg of segs) total += seg.nodes.length;
  const reuse = old.nodes.length === total ? old : undefined;
  const nodes = (reuse?.nodes as ts.Node[] | undefined) ?? new Array<ts.Node>(total);
  const ends = reuse?.ends ?? new Int32Array(total);
  const kinds = reuse?.kinds ?? new Uint16Array(total);
  const starts = reuse?.starts ?? new Int32Array(total);
  let sameKinds = reuse !== undefined;
  nodes[0] = sf;
  kinds[0] = sf.kind;
  starts[0] = sf.pos;
  ends[0] = total;
  let o = 1;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k]!;
    const { nodes: sn, sizes, kinds: sk, rel } = seg;
    const base = sn[0]!.pos;
    if (reuse?.segs[k] === seg && reuse.nodes[o] === sn[0]) {
      // The same statement at the same index: its nodes, kinds and ends are in place; only
      // its positions may have moved (a statement after the edit).
      if (starts[o] !== base) for (let j = 0; j < sn.length; j++) starts[o + j] = base + rel[j]!;
      o += sn.length;
      continue;
    }
    if (sameKinds) {
      for (let j = 0; j < sk.length; j++) {
        if (kinds[o + j] !== sk[j]) {
          sameKinds = false;
          break;
        }
      }
    }
    kinds.set(sk, o);
    for (let j = 0; j < sn.length; j++) {
      nodes[o + j] = sn[j]!;
      starts[o + j] = base + rel[j]!;
      ends[o + j] = o + j + sizes[j]!;
    }
    o += sn.length;
  }
  const flat: FlatTree = { nodes, ends, kinds, starts, segs };
  if (sameKinds) {
    if (old.byKind) flat.byKind = old.byKind;
    if (old.selected) flat.selected = old.selected;
  }
  return flat;
}

/**
 * The flat tree of a tree with no last version to take over (every file of a workspace scan,
 * and a file's first parse in the editor): one walk of the whole tree straight into the flat
 * arrays, without per-statement segments, which only a next version would reuse (a tenth of
 * the cold walk's time and most of its allocation). The first edit of the file builds the
 * segments (`detachNewTexts`, `flatten`).
 */
function flattenWhole(sf: ts.SourceFile): FlatTree {
  const total = preorder(sf);
  const { nodes: listed, parents } = scratch;
  const ends = new Int32Array(total).fill(1);
  // Subtree sizes first, accumulated back to front (children follow their parent), then ends.
  for (let i = total - 1; i > 0; i--) ends[parents[i]!]! += ends[i]!;
  const kinds = new Uint16Array(total);
  const starts = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    const n = listed[i]!;
    kinds[i] = n.kind;
    starts[i] = n.pos;
    ends[i]! += i;
  }
  const nodes = listed.slice(0, total) as ts.Node[];
  release(total);
  return { nodes, ends, kinds, starts, segs: NO_SEGMENTS };
}

const NO_SEGMENTS: readonly Segment[] = [];

function flatTreeOf(sf: ts.SourceFile): FlatTree {
  let flat = flatTrees.get(sf);
  if (!flat) {
    flat = flatten(sf);
    flatTrees.set(sf, flat);
  }
  return flat;
}

/** Pre-order walk; return false from `visit` to skip a subtree. Iterative: safe on deep trees. */
export function walkTs(node: ts.Node, visit: (n: ts.Node) => boolean | void): void {
  const located = locate(node);
  if (!located) {
    walkDetached(node, visit);
    return;
  }
  const { nodes, ends } = located.flat;
  const stop = ends[located.from]!;
  for (let i = located.from; i < stop; ) {
    i = visit(nodes[i]!) === false ? ends[i]! : i + 1;
  }
}

/** A set of SyntaxKinds as a lookup table, for `walkTsKinds`. */
export type KindMask = Uint8Array;

/** The lookup table for `walkTsKinds`; build it once, at module level. */
export function kindMask(...kinds: ts.SyntaxKind[]): KindMask {
  const mask = new Uint8Array(Math.max(...kinds) + 1);
  for (const k of kinds) mask[k] = 1;
  return mask;
}

/**
 * Pre-order walk that calls `visit` only for nodes of the given kinds (every other node is
 * passed over without a call, which is most of them); return false to skip a subtree.
 */
export function walkTsKinds(node: ts.Node, mask: KindMask, visit: (n: ts.Node) => boolean | void): void {
  const located = locate(node);
  if (!located) {
    walkDetached(node, (n) => (mask[n.kind] === 1 ? visit(n) : undefined));
    return;
  }
  const { flat, from } = located;
  const { nodes, ends } = flat;
  // The nodes a mask selects are listed once per parse; every later walk with that mask (rules
  // call some per handler or per declaration) visits only them.
  flat.selected ??= new Map();
  let picked = flat.selected.get(mask);
  if (!picked) {
    picked = select(flat, mask);
    flat.selected.set(mask, picked);
  }
  const stop = ends[from]!;
  let k = firstAtLeast(picked, from);
  while (k < picked.length) {
    const i = picked[k]!;
    if (i >= stop) break;
    if (visit(nodes[i]!) === false) k = firstAtLeast(picked, ends[i]!, k + 1);
    else k++;
  }
}

/**
 * The indices of the nodes whose kind is in `mask`, ascending. The nodes are grouped by kind
 * once per parse (a counting sort), so each mask costs the nodes it selects, not a pass over
 * the whole tree: a lint asks for a dozen masks.
 */
function select(flat: FlatTree, mask: KindMask): Int32Array {
  const { order, offsets } = (flat.byKind ??= groupByKind(flat.kinds));
  const ranges: number[] = [];
  let count = 0;
  const last = Math.min(mask.length, offsets.length - 1);
  for (let k = 0; k < last; k++) {
    if (mask[k] !== 1 || offsets[k + 1] === offsets[k]) continue;
    ranges.push(k);
    count += offsets[k + 1]! - offsets[k]!;
  }
  if (ranges.length === 1) return order.subarray(offsets[ranges[0]!]!, offsets[ranges[0]! + 1]!);
  const out = new Int32Array(count);
  if (count * ranges.length > flat.kinds.length) {
    // Common kinds (identifiers): one pass over the kinds is cheaper than merging.
    const { kinds } = flat;
    for (let i = 0, j = 0; i < kinds.length; i++) if (mask[kinds[i]!] === 1) out[j++] = i;
    return out;
  }
  // Each kind's run is ascending: merge them, taking the smallest head each time (few kinds).
  const heads = ranges.map((k) => offsets[k]!);
  const stops = ranges.map((k) => offsets[k + 1]!);
  for (let j = 0; j < count; j++) {
    let best = -1;
    for (let r = 0; r < heads.length; r++) {
      if (heads[r]! < stops[r]! && (best < 0 || order[heads[r]!]! < order[heads[best]!]!)) best = r;
    }
    out[j] = order[heads[best]!++]!;
  }
  return out;
}

function groupByKind(kinds: Uint16Array): { order: Int32Array; offsets: Int32Array } {
  let max = 0;
  for (let i = 0; i < kinds.length; i++) if (kinds[i]! > max) max = kinds[i]!;
  const offsets = new Int32Array(max + 2);
  for (let i = 0; i < kinds.length; i++) offsets[kinds[i]! + 1]!++;
  for (let k = 1; k < offsets.length; k++) offsets[k]! += offsets[k - 1]!;
  const fill = offsets.slice(0, max + 1);
  const order = new Int32Array(kinds.length);
  for (let i = 0; i < kinds.length; i++) order[fill[kinds[i]!]!++] = i;
  return { order, offsets };
}

/** The first position in an ascending list whose value is at least `value` (binary search from `lo`). */
function firstAtLeast(list: Int32Array, value: number, lo = 0): number {
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The node of `kind` spanning exactly [pos, end) in `sf`, found by binary search on `pos`. */
export function nodeAt(sf: ts.SourceFile, pos: number, end: number, kind: ts.SyntaxKind): ts.Node | undefined {
  const { starts, nodes, kinds } = flatTreeOf(sf);
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < nodes.length && starts[i] === pos; i++) if (kinds[i] === kind && nodes[i]!.end === end) return nodes[i];
  return undefined;
}

/** Index of a node in its flat tree: binary search on `pos`, then the few nodes sharing it. */
function indexOfNode(flat: FlatTree, node: ts.Node): number | undefined {
  const { starts, nodes } = flat;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < node.pos) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < nodes.length && starts[i] === node.pos; i++) if (nodes[i] === node) return i;
  // Positions out of pre-order (never seen, but cheap to survive): look it up the slow way.
  flat.indexOf ??= new Map(flat.nodes.map((n, i) => [n, i]));
  return flat.indexOf.get(node);
}

/** The flat tree holding `node` and its index there; undefined for a node outside its file's tree. */
function locate(node: ts.Node): { flat: FlatTree; from: number } | undefined {
  const sf = node.kind === ts.SyntaxKind.SourceFile ? (node as ts.SourceFile) : node.getSourceFile();
  if (!sf) return undefined;
  const flat = flatTreeOf(sf);
  if (node === sf) return { flat, from: 0 };
  const from = indexOfNode(flat, node);
  // A synthesised node, or one from an older parse, is walked on its own.
  return from === undefined ? undefined : { flat, from };
}

function walkDetached(node: ts.Node, visit: (n: ts.Node) => boolean | void): void {
  const work: ts.Node[] = [node];
  const kids: ts.Node[] = [];
  const collect = (c: ts.Node): undefined => {
    kids.push(c);
    return undefined;
  };
  while (work.length > 0) {
    const n = work.pop()!;
    if (visit(n) === false) continue;
    kids.length = 0;
    ts.forEachChild(n, collect);
    for (let k = kids.length - 1; k >= 0; k--) work.push(kids[k]!);
  }
}
