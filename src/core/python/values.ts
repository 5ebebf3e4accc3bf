import type { TaintKind } from '../rule';
import type { Span } from '../types';

/** One step of a flow, in whichever file it happened (helpers may live in other modules). */
export interface Step {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

/** Where attacker data came from, and the steps it took so far (source first). */
export interface Origin {
  readonly name: string;
  /** "tool argument", "request header", ... */
  readonly sourceKind: string;
  readonly steps: readonly Step[];
  /**
   * Set while a helper function is summarised: the origin stands for whatever taint the
   * caller's argument number `placeholder` carries (substituted at each call).
   */
  readonly placeholder?: number;
  /** A placeholder read by a literal key (`args["cmd"]`): the substituted source takes this name. */
  readonly rename?: string;
  /**
   * Kinds this source was sanitised for before it was combined with others whose taint was not
   * (`os.path.join(root_arg, f"{checked_name}.yaml")`): its own, beyond its value's `clean`.
   */
  readonly clean?: ReadonlySet<TaintKind>;
}

/** Message of the step where a placeholder was read by key; worded once the real source is known. */
export const RENAME_STEP = '\0rename';

/** How far a path value has been canonicalised. */
export const enum Resolution {
  None = 0,
  /** `abspath` / `normpath`: `..` removed, symlinks not followed. */
  Normalised = 1,
  /** `realpath` / `Path.resolve()`. */
  Resolved = 2,
}

/** Attacker data carried by a value. */
export interface Taint {
  /** Non-empty; capped so that loops and wide unions stay cheap. */
  readonly origins: readonly Origin[];
  /** Kinds this value has been sanitised for. */
  readonly clean: ReadonlySet<TaintKind>;
  readonly resolution: Resolution;
  /** Why a containment check on this path does not count (becomes the finding's `data.reason`). */
  readonly pathNote?: { readonly reason: string; readonly guard?: Span };
}

/**
 * The abstract value of an expression: its taint plus the facts sanitizers and sinks need
 * (constant text, list shape, being a secret, a request or an HTTP client).
 */
export interface Val {
  readonly taint?: Taint;
  /** Known constant string value. */
  readonly str?: string;
  /** Known constant text at the start / end of a string built from parts. */
  readonly prefix?: string;
  readonly suffix?: string;
  /** Text built from parts with a `?` or `#` at a known place: later parts are a URL's query or fragment. */
  readonly query?: boolean;
  /**
   * Clean of the argument kind only because the text starts with constants (`f"kubectl logs
   * {name}"` cannot start with '-'): the words a split makes of it after the first can
   * (`splitWords`).
   */
  readonly argPrefixOnly?: boolean;
  /** Element values of a list/tuple whose shape is known. */
  readonly items?: readonly Val[];
  /**
   * The element vectors a list may have when control-flow paths built it differently
   * (`args = []`, then `if since: args.extend(["--since", since])`): never set with `items`.
   */
  readonly shapes?: readonly (readonly Val[])[];
  /** Values of a dict literal by constant key (`{"cmd": x, "n": 1}`). */
  readonly fields?: ReadonlyMap<string, Val>;
  /** A collection of which only some elements are attacker data (not attacker-chosen as a whole). */
  readonly partial?: boolean;
  /** A pathlib path object (its `replace`/`open`/`copy` touch the file system, unlike str's). */
  readonly pathObj?: boolean;
  /** Name of the secret this value holds or is built from (timing). */
  readonly secret?: string;
  /** A request object (Starlette/FastAPI `request`, Flask's global `request`). */
  readonly request?: boolean;
  /** Subscripting or `.get(key)` with a literal key names the source after the key. */
  readonly keyed?: boolean;
  /** An HTTP client object (requests.Session, httpx.Client, aiohttp.ClientSession). */
  readonly client?: boolean;
  /** The variable whose URL this value was parsed from (`urlparse(url)`, `.hostname`). */
  readonly urlOf?: string;
  /** A local function (closure or module function) bound to a name. */
  readonly fn?: unknown;
  /** A class (for Enum conversion and constructors). */
  readonly enumClass?: boolean;
  /** A class of the project (`{ cls, module }`), or an object constructed from one. */
  readonly classRef?: unknown;
  readonly instance?: unknown;
  /**
   * Objects of several of the project's classes this value may be, each a value with `instance`
   * (a driver chosen by a mode, a handler looked up in a registry): a method call runs each one's.
   */
  readonly alts?: readonly Val[];
  /**
   * A module's dict or list filled with such objects when it is imported (`HANDLERS[n] = X()`,
   * `add_handler(X())`): what a lookup by a computed key gives.
   */
  readonly registry?: Val;
}

/**
 * At most this many element vectors are kept for one list; beyond, its shape is unknown (and a
 * command line built from it is reported as if its program could be anything). 64: a wrapper
 * adding six optional `--flag value` pairs (`if ns: cmd.extend(["--namespace", ns])`, the usual
 * kubectl/hubble tool) builds 2^6 vectors; at 16, five such pairs lost the program's name.
 */
const MAX_SHAPES = 64;

/** The element vectors a list may have: its one known shape, those its paths built, or none known. */
export function shapesOf(v: Val): readonly (readonly Val[])[] | undefined {
  return v.items ? [v.items] : v.shapes;
}

/**
 * A list's shape facts from the element vectors it may have: `items` for one, `shapes` for a few,
 * nothing when there are too many to keep (its elements are then only its taint, as for any list).
 */
export function listShape(vectors: readonly (readonly Val[])[]): { items?: readonly Val[]; shapes?: readonly (readonly Val[])[] } {
  const out: (readonly Val[])[] = [];
  for (const v of vectors) {
    if (out.some((o) => o.length === v.length && o.every((x, i) => x === v[i]))) continue;
    if (out.length === MAX_SHAPES) return {};
    out.push(v);
  }
  if (out.length === 0) return {};
  return out.length === 1 ? { items: out[0]! } : { shapes: out };
}

/** Every concatenation of one vector from each part, in order; undefined past MAX_SHAPES. */
export function productShapes<T>(parts: readonly (readonly (readonly T[])[])[]): T[][] | undefined {
  let acc: T[][] = [[]];
  for (const p of parts) {
    // Most parts have one shape (a plain element): appended in place, no copies.
    if (p.length === 1) {
      for (const x of acc) for (const y of p[0]!) x.push(y);
      continue;
    }
    if (acc.length * p.length > MAX_SHAPES) return undefined;
    acc = acc.flatMap((x) => p.map((y) => [...x, ...y]));
  }
  return acc;
}

/**
 * The vectors `productShapes` gives, or past MAX_SHAPES the one vector in which each part of
 * several shapes is the single element `whole` makes of it (what a list of unknown shape is).
 */
export function productOrWhole<T>(parts: readonly (readonly (readonly T[])[])[], whole: (p: readonly (readonly T[])[]) => T): T[][] {
  return productShapes(parts) ?? [parts.flatMap((p) => (p.length === 1 ? p[0]! : [whole(p)]))];
}

/** `a + b` of two lists, for every pair of their shapes; undefined when either shape is unknown or they are too many. */
export function concatLists(a: Val, b: Val): Val | undefined {
  const sa = shapesOf(a);
  const sb = shapesOf(b);
  const vectors = sa && sb ? productShapes([sa, sb]) : undefined;
  if (!vectors) return undefined;
  const taint = unionTaint(a.taint, b.taint);
  return { ...listShape(vectors), ...(taint ? { taint } : {}) };
}

/** At most this many alternative objects are kept for one value. */
const MAX_ALTS = 64;

/** The objects of the project's classes a value may be: its alternatives, or itself when it is one. */
export function objectsOf(v: Val): readonly Val[] {
  return v.alts ?? (v.instance ? [v] : []);
}

/** The objects either value may be, one per class; undefined when neither is one. */
function mergeObjects(a: Val, b: Val): { instance?: unknown; alts?: readonly Val[] } {
  if (a.instance && a.instance === b.instance) return { instance: a.instance };
  const out: Val[] = [];
  for (const o of [...objectsOf(a), ...objectsOf(b)]) if (out.length < MAX_ALTS && !out.some((x) => x.instance === o.instance)) out.push(o);
  if (out.length === 0) return {};
  // One object and nothing (`return None` on another path): a method call can only be that one's.
  return out.length === 1 ? { instance: out[0]!.instance } : { alts: out };
}

export const CLEAN: Val = Object.freeze({});

/** A URL start that fixes scheme and host. */
const FIXED_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+[/?#]/i;

const MAX_ORIGINS = 3;
const MAX_STEPS = 24;

export function isTainted(v: Val | undefined, kind?: TaintKind): boolean {
  if (!v?.taint) return false;
  if (kind === undefined) return true;
  return !v.taint.clean.has(kind) && v.taint.origins.some((o) => !o.clean?.has(kind));
}

/** Union of the taints of several values (clean sets intersect: a sanitiser must hold on every path). */
export function unionTaint(...taints: (Taint | undefined)[]): Taint | undefined {
  const present = taints.filter((t): t is Taint => !!t);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  let clean = present[0]!.clean;
  for (const t of present.slice(1)) clean = intersect(clean, t.clean);
  const origins: Origin[] = [];
  const at = new Map<string, number>();
  for (const t of present) {
    // What this value was sanitised for beyond the union stays with its own sources.
    const extra = t.clean.size > clean.size ? t.clean : undefined;
    for (const o of t.origins) {
      const own = extra ? unionSets(o.clean, extra) : o.clean;
      const key = originKey(o);
      const i = at.get(key);
      if (i !== undefined) {
        // The same source on two paths is clean only for what it is on both.
        const prev = origins[i]!;
        if (prev.clean) origins[i] = withOriginClean(prev, own ? intersect(prev.clean, own) : undefined);
        continue;
      }
      if (origins.length >= MAX_ORIGINS) continue;
      at.set(key, origins.length);
      origins.push(own === o.clean ? o : withOriginClean(o, own));
    }
  }
  const note = present.find((t) => t.pathNote)?.pathNote;
  return {
    origins,
    clean,
    resolution: Math.min(...present.map((t) => t.resolution)) as Resolution,
    ...(note ? { pathNote: note } : {}),
  };
}

function originKey(o: Origin): string {
  if (o.placeholder !== undefined) return `$${o.placeholder}\0${o.rename ?? ''}`;
  const first = o.steps[0];
  return `${o.name}\0${first?.file}\0${first?.span.start}`;
}

/** An origin with its own clean kinds set (none: the property left out). */
export function withOriginClean(o: Origin, clean: ReadonlySet<TaintKind> | undefined): Origin {
  const { clean: _old, ...rest } = o;
  return clean && clean.size > 0 ? { ...rest, clean } : rest;
}

/** The union of two sets, either possibly missing. */
export function unionSets<T>(a: ReadonlySet<T> | undefined, b: ReadonlySet<T> | undefined): ReadonlySet<T> | undefined {
  if (!a || a.size === 0) return b;
  if (!b || b.size === 0 || a === b) return a;
  return new Set([...a, ...b]);
}

function intersect<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): ReadonlySet<T> {
  if (a.size === 0 || b.size === 0) return EMPTY;
  const out = new Set<T>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

const EMPTY: ReadonlySet<never> = new Set();

/** A fresh source taint. */
export function sourceTaint(name: string, sourceKind: string, step: Step): Taint {
  return { origins: [{ name, sourceKind, steps: [step] }], clean: EMPTY, resolution: Resolution.None };
}

/** Appends a step to every origin (capped). */
export function withStep(t: Taint | undefined, step: Step): Taint | undefined {
  if (!t) return t;
  return {
    ...t,
    origins: t.origins.map((o) => {
      const last = o.steps[o.steps.length - 1];
      if (o.steps.length >= MAX_STEPS || (last && last.span.start === step.span.start && last.file === step.file && last.message === step.message))
        return o;
      return { ...o, steps: [...o.steps, step] };
    }),
  };
}

/** Marks kinds as sanitised. */
export function cleanFor(v: Val, kinds: readonly TaintKind[]): Val {
  if (!v.taint) return v;
  const clean = new Set(v.taint.clean);
  for (const k of kinds) clean.add(k);
  return { ...v, taint: { ...v.taint, clean } };
}

export function withTaint(v: Val, taint: Taint | undefined): Val {
  const { taint: _old, ...rest } = v;
  return taint ? { ...rest, taint } : rest;
}

/** Whether two element lists hold different known strings at some place. */
function constantsDiffer(a: readonly Val[], b: readonly Val[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!.str;
    const y = b[i]!.str;
    if (x !== undefined && y !== undefined && x !== y) return true;
  }
  return false;
}

/** Merge at a control-flow join: the value may be either. */
export function mergeVals(a: Val | undefined, b: Val | undefined): Val {
  if (!a) return b ?? CLEAN;
  if (!b || a === b) return a;
  const taint = unionTaint(a.taint, b.taint);
  // Lists of one length merge element by element; lists of different lengths keep each shape,
  // so a value after `--since` on every path that adds it still follows `--since`. So do lists
  // of one length with different constants at a place (`[sh, '/c', cmd]` on Windows, `[sh, '-c',
  // cmd]` elsewhere): merged, the flag would be no constant, and the script after it unseen.
  const items =
    a.items && b.items && a.items.length === b.items.length && !constantsDiffer(a.items, b.items) ? a.items.map((x, i) => mergeVals(x, b.items![i])) : undefined;
  const sa = items ? undefined : shapesOf(a);
  const sb = items ? undefined : shapesOf(b);
  // A list on one path and text on the other (`cmd = f"docker compose -p {p} up"` on Windows,
  // `["docker", "compose", "-p", p, "up"]` elsewhere): the list keeps its shape for what unpacks
  // it (`create_subprocess_exec(*cmd)`: no program runs from a string's characters), the text
  // its taint for what runs it whole.
  const shapes = sa && sb ? listShape([...sa, ...sb]) : sa && isText(b) ? listShape(sa) : sb && isText(a) ? listShape(sb) : {};
  const secret = a.secret ?? b.secret;
  let fields: Map<string, Val> | undefined;
  if (a.fields && b.fields) {
    fields = new Map();
    for (const k of new Set([...a.fields.keys(), ...b.fields.keys()])) fields.set(k, mergeVals(a.fields.get(k) ?? CLEAN, b.fields.get(k) ?? CLEAN));
  }
  const prefix = a.prefix !== undefined && a.prefix === b.prefix ? a.prefix : commonPrefix(a.prefix, b.prefix);
  const suffix = a.suffix !== undefined && a.suffix === b.suffix ? a.suffix : undefined;
  const urlOf = a.urlOf ?? b.urlOf;
  return {
    ...(taint ? { taint } : {}),
    ...(a.str !== undefined && a.str === b.str ? { str: a.str } : {}),
    ...(prefix ? { prefix } : {}),
    ...(suffix !== undefined ? { suffix } : {}),
    ...(items ? { items } : shapes),
    ...(fields ? { fields } : {}),
    ...((a.partial || !a.taint) && (b.partial || !b.taint) && (a.partial || b.partial) ? { partial: true } : {}),
    ...(a.pathObj || b.pathObj ? { pathObj: true } : {}),
    ...(secret ? { secret } : {}),
    ...(a.request || b.request ? { request: true } : {}),
    // `(arguments or {})`: still the keyed source where it is tainted at all.
    ...((a.keyed || b.keyed) && (a.keyed || !a.taint) && (b.keyed || !b.taint) ? { keyed: true } : {}),
    ...(a.client || b.client ? { client: true } : {}),
    ...(urlOf ? { urlOf } : {}),
    ...(a.fn && a.fn === b.fn ? { fn: a.fn } : {}),
    ...mergeObjects(a, b),
    ...(a.registry && a.registry === b.registry ? { registry: a.registry } : {}),
  };
}

/** A value known to be a string: a constant, or text built around a constant start or end. */
function isText(v: Val): boolean {
  return !v.items && !v.shapes && (v.str !== undefined || v.prefix !== undefined || v.suffix !== undefined);
}

function commonPrefix(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return undefined;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i > 0 ? a.slice(0, i) : undefined;
}

/** Prefix text of a value when it is a string: its constant, or the constant start of built text. */
export function prefixOf(v: Val): string | undefined {
  return v.str ?? v.prefix;
}

export function suffixOf(v: Val): string | undefined {
  return v.str ?? v.suffix;
}

/**
 * A string built by concatenation or formatting from parts, in order. The constant start is
 * kept (it decides whether the text can begin with `-` or change a URL's host), and so is the
 * constant end (a trailing separator makes `startswith(base)` a sound containment check).
 */
export function concatVals(parts: readonly Val[]): Val {
  if (parts.length === 0) return { str: '' };
  if (parts.every((p) => p.str !== undefined)) {
    const secret = parts.find((p) => p.secret)?.secret;
    return { str: parts.map((p) => p.str).join(''), ...(secret ? { secret } : {}) };
  }
  // Parts after a known `?` or `#` are a URL's query or fragment: they cannot change the host a
  // request goes to (`f"{url}?q={quote(query)}"` sends `query` to `url`'s host).
  let query = false;
  parts = parts.map((p) => {
    const after = query && p.taint ? cleanFor(p, ['ssrf']) : p;
    query ||= hasQuery(p.str) || hasQuery(p.prefix) || hasQuery(p.suffix) || !!p.query;
    return after;
  });
  let prefix = '';
  for (const p of parts) {
    if (p.str !== undefined) {
      prefix += p.str;
      continue;
    }
    if (p.prefix) prefix += p.prefix;
    break;
  }
  const last = parts[parts.length - 1]!;
  const suffix = suffixOf(last);
  let taint = unionTaint(...parts.map((p) => p.taint));
  // Text that starts with constant characters cannot be parsed as an option.
  // (A clean first part of unknown text, e.g. a configured registry URI, counts as well.)
  const first = parts[0]!;
  let argPrefixOnly = false;
  if (taint && !first.taint && (first.str === undefined || first.str.length > 0)) {
    argPrefixOnly = !taint.clean.has('argument');
    taint = { ...taint, clean: new Set([...taint.clean, 'argument']) };
  }
  // A `scheme://host/` start no client value reaches pins the request to that host. A clean part
  // of unknown text is the server's configuration: at the start it stands for an origin
  // (`f"{self.base_url}/vault/{path}"`), elsewhere for text without a separator (as on the TS side).
  if (taint && !first.taint) {
    let text = '';
    for (let i = 0; i < parts.length && !parts[i]!.taint; i++) {
      const p = parts[i]!;
      // Its known start and end count (`API_URL + "/search/"` folded before `+ query`).
      const start = p.prefix?.includes('://') ? p.prefix : i === 0 ? 'x://x' : (p.prefix ?? '');
      text += p.str ?? `${start}x${p.suffix ?? ''}`;
    }
    if (FIXED_ORIGIN.test(text)) taint = { ...taint, clean: new Set([...taint.clean, 'ssrf']) };
  }
  const secret = parts.find((p) => p.secret)?.secret;
  return {
    ...(taint ? { taint } : {}),
    ...(prefix ? { prefix } : {}),
    ...(suffix !== undefined ? { suffix } : {}),
    ...(query ? { query } : {}),
    ...(argPrefixOnly ? { argPrefixOnly } : {}),
    ...(secret ? { secret } : {}),
  };
}

/**
 * The words `shlex.split(v)` or `v.split(sep)` makes of a string (`sep` undefined: runs of
 * whitespace): constants for a known text; for text that starts with constants (`f"kubectl
 * logs {name}"`), the constant words of that start, then the word the start ends inside (it
 * cannot start with '-') and a last element standing for the words the rest adds, which can.
 * Undefined when nothing is known about the words.
 */
export function splitWords(v: Val, sep?: string, shell = false): Val | undefined {
  const split = (text: string): string[] => (sep === undefined ? text.split(/\s+/) : text.split(sep));
  if (v.str !== undefined) {
    // Python's `''.split()` is `[]`; `x.split(sep)` keeps empty words.
    const words = sep === undefined ? (v.str.trim() === '' ? [] : split(v.str.trim())) : split(v.str);
    return { items: words.map((w) => ({ str: w })) };
  }
  const prefix = v.prefix;
  if (!prefix || !v.taint || !(sep === undefined ? /\s/.test(prefix) : prefix.includes(sep))) return undefined;
  const words = split(sep === undefined ? prefix.trimStart() : prefix);
  const rest = words.pop()!;
  const items: Val[] = words.filter((w) => sep !== undefined || w !== '').map((w) => ({ str: w }));
  // The word the constant start ends inside cannot be an option; the words after it come from
  // the value's own text (its spaces), and can.
  // `shlex.split` drops quotes: `f'kubectl logs "{name}"'` gives `name` itself as the word.
  if ((shell ? rest.replace(/["']/g, '') : rest) !== '') items.push({ taint: v.taint, prefix: rest });
  const open = v.argPrefixOnly ? new Set([...v.taint.clean].filter((k) => k !== 'argument')) : v.taint.clean;
  items.push({ taint: { ...v.taint, clean: open } });
  return { items, taint: v.taint };
}

/** Whether known text holds a `?` or `#`: what follows it in a URL is the query or fragment. */
function hasQuery(text: string | undefined): boolean {
  return text !== undefined && (text.includes('?') || text.includes('#'));
}
