import type * as ts from 'typescript';
import type { TaintKind } from '../../rule';

/**
 * What a callee refers to: a module (normalised: no `node:` prefix, `fs/promises` becomes
 * module `fs` with path `promises`) and a member path inside it. `()` marks the result of a
 * call or `new` (`new Database()` from better-sqlite3 is `better-sqlite3` `['()']`).
 * Globals (`eval`, `fetch`) have module `''`.
 */
export interface Ref {
  readonly module: string;
  readonly path: readonly string[];
}

/** A row of a sink table: functions of some modules and the argument positions that must not be tainted. */
export interface SinkEntry {
  readonly modules: readonly string[];
  /**
   * Member paths matched against the end of the callee's path with call markers removed:
   * `readFile` matches `fs.readFile` and `fs.promises.readFile`; `''` is the module itself.
   */
  readonly members: readonly string[];
  readonly args: readonly number[] | 'all';
  /** Facts copied into `flow.data` (e.g. `{ shell: true }`). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What a kind sees of one argument of a call (built by the engine from its abstract values). */
export interface ArgView {
  readonly node: ts.Expression | undefined;
  /** Whether attacker data reaches this value for the kind being checked. */
  readonly tainted: boolean;
  /** Constant string value, when known. */
  readonly str?: string;
  /** Constant truthiness, when known (`true`, `'bash'`, `false`). */
  readonly truthy?: boolean;
  /** The value starts with a constant, non-empty prefix (`--depth=${n}`): it cannot start an option. */
  readonly fixedPrefix: boolean;
  /** Elements of an array whose shape is known (literal, pushes), in order. */
  readonly elems?: readonly ArgView[];
  /** Whether the array contains spread elements of unknown length. */
  readonly spread?: boolean;
  /** Properties of an object literal. */
  readonly props?: ReadonlyMap<string, ArgView>;
  /**
   * Inside a helper's summary: the index of the helper's parameter this value is, as passed (no
   * property read off it), so that a check can be left to each call of the helper.
   */
  readonly param?: number;
  /**
   * Inside a helper's summary: a word of the helper's parameter `param` split on `sep` (the
   * first word, or the rest), so that the program it names is left to each call.
   */
  readonly split?: { readonly sep: string; readonly rest: boolean; readonly param: number };
}

/** A call the engine asks the kinds about. */
export interface CallView {
  readonly node: ts.CallExpression | ts.NewExpression;
  readonly isNew: boolean;
  readonly ref?: Ref;
  /** Last name of the callee (`exec` for `cp.exec`). */
  readonly name: string;
  /** Callee as written, shortened (`cp.exec`, `this.db.prepare`). */
  readonly display: string;
  /** Last name of the receiver of a method call (`db` in `this.db.query`). */
  readonly receiverName?: string;
  /** Whether the receiver was created by a call/new (`simpleGit().raw`, `new Pool().query`). */
  readonly args: readonly ArgView[];
  /** The callee went through `util.promisify`. */
  readonly promisified: boolean;
}

/** One tainted argument (or array element / property) reaching a sink. */
export interface SinkHit {
  readonly kind: TaintKind;
  readonly arg: ArgView;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Path from a ref with `()` markers removed. */
export function plainPath(ref: Ref): string[] {
  return ref.path.filter((p) => p !== '()');
}

const splitMembers = new WeakMap<SinkEntry, readonly (readonly string[])[]>();

/** Whether `ref` is one of the entry's functions. */
export function entryMatches(entry: SinkEntry, ref: Ref, plain: readonly string[] = plainPath(ref)): boolean {
  if (!entry.modules.includes(ref.module)) return false;
  let members = splitMembers.get(entry);
  if (!members) {
    members = entry.members.map((m) => (m === '' ? [] : m.split('.')));
    splitMembers.set(entry, members);
  }
  for (const parts of members) {
    if (parts.length === 0) {
      if (plain.length === 0) return true;
      continue;
    }
    if (parts.length > plain.length) continue;
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      if (parts[parts.length - 1 - i] !== plain[plain.length - 1 - i]) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/** Per table: entries by module, then by the last part of any of their members ('' for a member ''), in table order. */
const indexes = new WeakMap<readonly SinkEntry[], Map<string, Map<string, SinkEntry[]>>>();

function indexOf(table: readonly SinkEntry[]): Map<string, Map<string, SinkEntry[]>> {
  let index = indexes.get(table);
  if (index) return index;
  index = new Map();
  for (const e of table) {
    for (const m of e.modules) {
      let byLast = index.get(m);
      if (!byLast) index.set(m, (byLast = new Map()));
      for (const last of new Set(e.members.map((member) => member.slice(member.lastIndexOf('.') + 1)))) {
        const list = byLast.get(last);
        if (list) list.push(e);
        else byLast.set(last, [e]);
      }
    }
  }
  indexes.set(table, index);
  return index;
}

/**
 * The first entry of a table matching `ref`. Only entries with a member ending in the ref's
 * last name can match (a member matches a suffix of the path): the table is indexed by module
 * and that name on first use, and the candidates keep the table's order.
 */
export function findEntry(table: readonly SinkEntry[], ref: Ref | undefined): SinkEntry | undefined {
  if (!ref) return undefined;
  const byLast = indexOf(table).get(ref.module);
  if (!byLast) return undefined;
  const plain = ref.path.includes('()') ? plainPath(ref) : ref.path;
  const candidates = byLast.get(plain.length === 0 ? '' : plain[plain.length - 1]!);
  if (!candidates) return undefined;
  for (const e of candidates) if (entryMatches(e, ref, plain)) return e;
  return undefined;
}

/** The arguments at an entry's positions that are tainted. */
export function taintedArgs(entry: SinkEntry, call: CallView): ArgView[] {
  const idx = entry.args === 'all' ? call.args.map((_, i) => i) : entry.args;
  return idx.map((i) => call.args[i]).filter((a): a is ArgView => a !== undefined && a.tainted);
}
