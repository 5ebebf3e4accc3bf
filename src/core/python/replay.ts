import { detach } from '../text';
import type { Span } from '../types';
import {
  decoratorsOf,
  definitionOf,
  enclosingFunction,
  functionParams,
  isEmptyContainer,
  nodesOfType,
  storeSite,
  unparen,
  type PyNode,
  type TextChange,
} from './ast';
import type { ModuleInfo } from './modules';
import type { RawFlow } from './analyzer';
import type { Step, Val } from './values';

/**
 * Replay of the taint analysis, per entry point, while a file is edited.
 *
 * The analysis runs each entry point (an MCP tool, prompt or resource, a low-level or an HTTP
 * handler) in turn. Typing changes one top-level statement; every other entry point would be
 * analysed again to the same flows, only shifted. An entry point's recorded flows are replayed
 * instead when all of this holds (else it runs):
 *
 * - The module's environment is unchanged: the same top-level statement nodes other than
 *   function definitions (imports, assignments, classes, `if`/`try` blocks: copyTree reuses a
 *   node only when neither the edit nor tree-sitter's changed ranges touch it, so the same node
 *   means the same subtree), the same names of top-level functions, import bindings, enum
 *   classes and taint kinds.
 * - The top-level statements holding the entry point and every function whose body its
 *   analysis ran or consulted (summaries, validators, nested functions, also through the module
 *   constants it read) are the same nodes as when it was recorded.
 * - Its sources (the parameters' values) are the same, positions taken relative to its statement.
 * - The imports it tried to resolve to project modules still resolve to none (re-asked from the
 *   loader, which reads the host: a module file that appeared makes it run).
 * - It was isolated when recorded: no other entry point consulted any function it consulted
 *   (the analysis keeps helper summaries per run, and a summary depends on the call depth at
 *   which it was first made), none of its flows was dropped as a duplicate of another entry
 *   point's, it resolved no import to a project module, and every position in its flows lies in
 *   its own statements (so that shifting them by the edit is exact).
 *
 * After a run that replayed something, the analyzer checks that the composition equals a full
 * run: the entry points that ran consulted no function a replayed one did, no module constant
 * was read while it was being computed (a cycle, whose value depends on which name came
 * first), no flow was found while computing one, and the body runs of all entry points
 * together stayed under the analysis's cap. Otherwise the engine analyses the file again from
 * scratch. Flows of replayed and running entry points go through the same duplicate check in
 * entry order, as in a full run.
 */

/** One entry point's recorded analysis (positions in the text of its record). */
export interface EntryRecord {
  readonly def: PyNode;
  /** Its sources (see sameSources), and where its top-level statement starts. */
  readonly env: ReadonlyMap<string, Val>;
  readonly base: number;
  /** Top-level statements its result depends on: its own and those of every function it consulted. */
  readonly deps: readonly PyNode[];
  /** Functions it consulted (itself included): no other entry point may consult them. */
  readonly touched: readonly PyNode[];
  /** The flows it added, in order. */
  readonly flows: readonly RawFlow[];
  /** Helper bodies it ran (the run's cap counts them). */
  readonly bodyRuns: number;
  /** Local names of the import bindings it asked the loader for (all resolved to none). */
  readonly unresolved: readonly string[];
}

/** What a file's last analysis leaves for the next one. */
export interface AnalysisRecord {
  /** The analysed text (the repaired one when the engine repaired the file). */
  readonly text: string;
  readonly environment: Environment;
  /** Isolated entry points, by definition node. */
  readonly entries: ReadonlyMap<PyNode, EntryRecord>;
}

/** See the module comment: what every entry point's analysis may read of the module as a whole. */
export interface Environment {
  readonly skeleton: readonly PyNode[];
  readonly key: string;
}

/** The environment of an analysed module (kindsKey: the taint kinds asked for). */
export function environmentOf(main: ModuleInfo, kindsKey: string): Environment {
  const skeleton: PyNode[] = [];
  const functions: string[] = [];
  for (const stmt of main.source.root.children) {
    if (definitionOf(stmt)?.type === 'function_definition') functions.push(definitionOf(stmt)!.child('name')?.text ?? '');
    else skeleton.push(stmt);
  }
  const imports: string[] = [];
  for (const [local, b] of main.imports.bindings) imports.push(`${local}\0${b.qualified}\0${b.level}\0${b.module}\0${b.member ?? '\0'}`);
  const key = [kindsKey, functions.join('\0'), imports.join('\n'), [...main.enums].join('\0'), tableUses(main)].join('\u0001');
  return { skeleton, key };
}

/**
 * Where the module's tables may be filled (see the analyzer's registryOf and
 * attributeRegistries), each by the top-level function it is in: uses of a module-level empty
 * table or object of a class of the module inside functions, calls of a function storing its
 * parameter into such a table, and decorators naming a function of the module. A new
 * `TOOLS["x"] = handler` in a `register_all()` no entry point consulted, or a new `@handler`,
 * changes what a dispatch by name may call: the environment changes with it.
 */
function tableUses(main: ModuleInfo): string {
  const out: string[] = [];
  for (const fn of main.functions.values()) {
    for (const d of decoratorsOf(fn)) {
      const head = d.type === 'call' ? d.child('function') : d;
      if (head?.type === 'identifier' && main.functions.has(head.text)) out.push(`${fn.child('name')?.text ?? ''}@${head.text}`);
    }
  }
  const tables = new Set<string>();
  for (const [name, rhs] of main.globals) {
    const r = unparen(rhs);
    if (isEmptyContainer(r) || (r.type === 'call' && main.classes.has(r.child('function')?.text ?? ''))) tables.add(name);
  }
  if (tables.size === 0) return out.join('\0');
  const storers = new Set<string>();
  const uses = (names: ReadonlySet<string>, each?: (id: PyNode, fn: PyNode) => void) => {
    for (const id of nodesOfType(main.source, 'identifier')) {
      const fn = names.has(id.text) ? enclosingFunction(id) : undefined;
      if (!fn) continue;
      out.push(`${definitionOf(topStatementOf(id))?.child('name')?.text ?? ''}:${id.text}`);
      each?.(id, fn);
    }
  };
  uses(tables, (id, fn) => {
    const value = storeSite(id)?.value;
    const name = fn.child('name')?.text ?? '';
    if (value?.type === 'identifier' && main.functions.get(name) === fn && functionParams(fn).some((p) => p.name === value.text)) storers.add(name);
  });
  if (storers.size > 0) uses(storers);
  return out.join('\0');
}

/** Whether two environments are the same (same skeleton nodes, same key). */
export function sameEnvironment(a: Environment, b: Environment): boolean {
  if (a.key !== b.key || a.skeleton.length !== b.skeleton.length) return false;
  for (let i = 0; i < a.skeleton.length; i++) if (a.skeleton[i] !== b.skeleton[i]) return false;
  return true;
}

/** The top-level statement holding a node (the node itself at top level). */
export function topStatementOf(node: PyNode): PyNode {
  let n = node;
  while (n.parent && n.parent.parent) n = n.parent;
  return n;
}

/**
 * Whether two entry points' sources are the same, positions taken relative to their top-level
 * statements (at `baseA` and `baseB`); values holding functions or classes never compare equal
 * (their identity is per run), so such entry points always run.
 */
export function sameSources(a: ReadonlyMap<string, Val>, baseA: number, b: ReadonlyMap<string, Val>, baseB: number): boolean {
  return same(a, b, baseB - baseA);
}

const UNCOMPARABLE = new Set(['fn', 'classRef', 'instance']);

/** Deep equality of plain values, spans (`{ start, end }`) compared after moving `x`'s by `shift`. */
function same(x: unknown, y: unknown, shift: number): boolean {
  if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) return x === y;
  if (x === y && shift === 0) return true;
  if (x instanceof Set) {
    if (!(y instanceof Set) || x.size !== y.size) return false;
    for (const v of x) if (typeof v === 'object' || !y.has(v)) return false;
    return true;
  }
  if (x instanceof Map) {
    if (!(y instanceof Map) || x.size !== y.size) return false;
    const ys = y.keys();
    for (const k of x.keys()) if (ys.next().value !== k || !same(x.get(k), y.get(k), shift)) return false;
    return true;
  }
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!same(x[i], y[i], shift)) return false;
    return true;
  }
  if (y instanceof Set || y instanceof Map || Array.isArray(y)) return false;
  // for-in over plain objects: no key arrays allocated (this runs for every entry point per keystroke).
  let count = 0;
  for (const k in x) {
    count++;
    if (UNCOMPARABLE.has(k) || !Object.prototype.hasOwnProperty.call(y, k)) return false;
  }
  let countY = 0;
  for (const _ in y) countY++;
  if (count !== countY) return false;
  if (count === 2 && isSpan(x)) return isSpan(y) && y.start === x.start + shift && y.end === x.end + shift;
  for (const k in x) if (!same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], shift)) return false;
  return true;
}

function isSpan(v: unknown): v is Span {
  return typeof v === 'object' && v !== null && typeof (v as Span).start === 'number' && typeof (v as Span).end === 'number';
}

/**
 * Whether every position of the flows lies in one of the statements (and every step in the
 * analysed file), so that shifting them by an edit outside those statements is exact.
 */
export function flowsWithin(flows: readonly RawFlow[], deps: readonly PyNode[], file: string): boolean {
  const inside = (s: Span | undefined): boolean => {
    if (!s) return true;
    for (const d of deps) if (s.start >= d.start && s.end <= d.end) return true;
    return false;
  };
  const stepsInside = (steps: readonly Step[]): boolean => steps.every((s) => s.file === file && inside(s.span));
  for (const f of flows) {
    if (!inside(f.sinkSpan) || !inside(f.argSpan) || !stepsInside(f.steps) || !stepsInside(f.origin.steps)) return false;
    for (const v of Object.values(f.data)) {
      if (typeof v !== 'object' || v === null) continue;
      if (!isSpan(v) || !inside(v) || Object.keys(v).length !== 2) return false;
    }
  }
  return true;
}

/**
 * What moves recorded flows by the edits (in the order they were made, each in the coordinates
 * the edits before it left, each after the last: see textEdits), none of which they lie in or
 * touch (see flowsWithin and the module comment): a position moves by the length differences
 * of the edits before it. Made once per analysis; it returns the same array when nothing moves.
 */
export function flowShifter(changes: readonly TextChange[]): (flows: readonly RawFlow[]) => readonly RawFlow[] {
  if (changes.every((c) => c.newEnd === c.oldEnd)) return (flows) => flows;
  // Where each edit starts in the recorded text, and the move of the positions from there on.
  const starts: number[] = [];
  const totals: number[] = [];
  let total = 0;
  for (const c of changes) {
    starts.push(c.start - total);
    total += c.newEnd - c.oldEnd;
    totals.push(total);
  }
  const moveOf = (offset: number): number => {
    let move = 0;
    for (let i = 0; i < starts.length && offset >= starts[i]!; i++) move = totals[i]!;
    return move;
  };
  const moves = (s: Span): boolean => moveOf(s.start) !== 0;
  const span = (s: Span): Span => {
    const move = moveOf(s.start);
    return move === 0 ? s : { start: s.start + move, end: s.end + move };
  };
  const steps = (xs: readonly Step[]): readonly Step[] => (xs.some((s) => moves(s.span)) ? xs.map((s) => (moves(s.span) ? { ...s, span: span(s.span) } : s)) : xs);
  return (flows) => {
    let any = false;
    for (let i = 0; i < flows.length && !any; i++) any = movesFlow(flows[i]!, moves);
    if (!any) return flows;
    return flows.map((f) => {
      if (!movesFlow(f, moves)) return f;
      const originSteps = steps(f.origin.steps);
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(f.data)) data[k] = isSpan(v) ? span(v) : v;
      return {
        ...f,
        sinkSpan: span(f.sinkSpan),
        ...(f.argSpan ? { argSpan: span(f.argSpan) } : {}),
        origin: originSteps === f.origin.steps ? f.origin : { ...f.origin, steps: originSteps },
        steps: steps(f.steps),
        data,
      };
    });
  };
}

/**
 * A recorded flow whose strings hold none of the text they were cut from (see `detach`): a
 * record's flows are replayed, and so kept, across many versions of the file, and a message or
 * a reason built from a slice of one version kept that whole version alive.
 */
export function detachFlow(f: RawFlow): RawFlow {
  return {
    ...f,
    sinkName: detach(f.sinkName),
    origin: { ...f.origin, name: detach(f.origin.name), sourceKind: detach(f.origin.sourceKind), steps: f.origin.steps.map(detachStep) },
    steps: f.steps.map(detachStep),
    data: detachValue(f.data) as RawFlow['data'],
  };
}

function detachStep(s: Step): Step {
  return { ...s, message: detach(s.message) };
}

/** Strings, arrays and plain objects copied with their strings detached; anything else as it is. */
function detachValue(v: unknown): unknown {
  if (typeof v === 'string') return detach(v);
  if (Array.isArray(v)) return v.map(detachValue);
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = detachValue((v as Record<string, unknown>)[k]);
  return out;
}

/** Whether any position of a flow moves. */
function movesFlow(f: RawFlow, moves: (s: Span) => boolean): boolean {
  if (moves(f.sinkSpan) || (f.argSpan && moves(f.argSpan))) return true;
  for (const s of f.steps) if (moves(s.span)) return true;
  for (const s of f.origin.steps) if (moves(s.span)) return true;
  for (const v of Object.values(f.data)) if (isSpan(v) && moves(v)) return true;
  return false;
}
