/**
 * The literal a setting's expression comes to through a configuration object: a bind host given as
 * `host=cfg.mcp_bind_host` with `cfg = ServerConfig(mcp_bind_host=os.getenv("HOST", "0.0.0.0"))`
 * (prometheus-mcp-server's dataclass), or `mcp.settings.host = config.server.host` with
 * `config = GraphitiConfig()` and the defaults in a pydantic schema of another module
 * (`server: ServerConfig = Field(default_factory=ServerConfig)`, `host: str = Field(default='0.0.0.0')`:
 * graphiti's). Like `os.getenv("HOST", "0.0.0.0")`, a field is judged by its default: what the
 * server binds unless its operator overrides it.
 *
 * Followed: names assigned before the use (in its function, then at the module's top level),
 * attribute chains through constructions of classes of the file or of a local module imported
 * into it, keyword arguments of those constructions, and the class fields' defaults (`x = v`,
 * `x: T = v`, pydantic's `Field(default=...)` / `Field(default_factory=C)` and dataclasses'
 * `field(...)`), and the defaults of command-line options (see optionDefault). Anything else is
 * unknown (undefined), never guessed.
 */
import { callArgs, decoratorsOf, definitionOf, functionParams, dottedName, enclosingFunction, stringValue, unparen, walkTypes, type PyNode } from './ast';
import type { ModuleInfo, ResolvedImport } from './modules';
import { pyLiteralOrEnvDefault } from '../mcp/lang/py';

/** Where names are looked up: a module's tree, and how its imported names resolve (this file only). */
interface Place {
  readonly root: PyNode;
  readonly classes: ReadonlyMap<string, PyNode>;
  readonly resolve?: (local: string, at?: PyNode) => ResolvedImport | undefined;
}

/** An instance: its class, where the class is defined, and the keywords it was constructed with. */
interface Instance {
  readonly cls: PyNode;
  readonly place: Place;
  readonly keywords?: ReadonlyMap<string, PyNode>;
  readonly keywordPlace?: Place;
}

const MAX_DEPTH = 8;

export function configString(
  node: PyNode,
  root: PyNode,
  resolve?: (local: string, at?: PyNode) => ResolvedImport | undefined,
): string | undefined {
  const place: Place = { root, classes: topLevelClasses(root), ...(resolve ? { resolve } : {}) };
  return stringOf(node, place, 0);
}

function stringOf(expr: PyNode, place: Place, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = unparen(expr);
  const literal = pyLiteralOrEnvDefault(n);
  if (literal !== undefined) return literal;
  if (n.type === 'identifier') {
    const v = assignedBefore(n, place) ?? clickDefault(n, place);
    return v ? stringOf(v, place, depth + 1) : undefined;
  }
  if (n.type === 'attribute') {
    const field = fieldOf(n, place, depth);
    if (field) return field.factory ? undefined : stringOf(field.expr, field.place, depth + 1);
    const option = argparseDefault(n, place);
    return option ? stringOf(option, place, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * Command-line option defaults: what the server binds unless its operator gives the option, as
 * an environment default is (kagimcp's `parser.add_argument("--host", default="0.0.0.0")` read as
 * `args.host` after `args = parser.parse_args()`; a parameter `host` of a function decorated with
 * `@click.option("--host", default="0.0.0.0")`). Options of one name with different defaults
 * are unknown.
 */
function argparseDefault(attr: PyNode, place: Place): PyNode | undefined {
  const name = attr.child('attribute')?.text;
  const object = attr.child('object');
  if (!name || object?.type !== 'identifier') return undefined;
  const parsed = assignedBefore(object, place);
  const call = parsed ? unparen(parsed) : undefined;
  const fn = call?.type === 'call' ? call.child('function') : undefined;
  if (fn?.type !== 'attribute' || fn.child('attribute')?.text !== 'parse_args') return undefined;
  const parser = fn.child('object')?.text;
  const all: PyNode[] = [];
  walkTypes(place.root, ['call'], (c) => {
    const f = c.child('function');
    if (f?.type === 'attribute' && f.child('attribute')?.text === 'add_argument' && argparseDest(c) === name) all.push(c);
    return true;
  });
  // The parser's own options; else those of its argument groups.
  const own = all.filter((c) => c.child('function')?.child('object')?.text === parser);
  return sameDefault(own.length > 0 ? own : all);
}

/** argparse's `dest`: given, or the first long option (else the first) without dashes, `-` as `_`. */
function argparseDest(call: PyNode): string | undefined {
  const args = callArgs(call);
  const dest = stringValue(args.keywords.get('dest'));
  if (dest !== undefined) return dest;
  const flags = args.positional.map(stringValue).filter((f): f is string => f !== undefined);
  const flag = flags.find((f) => f.startsWith('--')) ?? flags[0];
  return flag?.replace(/^-+/, '').replace(/-/g, '_');
}

/** A parameter of a function decorated with `@click.option(...)` naming it: the option's default. */
function clickDefault(id: PyNode, place: Place): PyNode | undefined {
  const home = id.source.root === place.root ? enclosingFunction(id) : undefined;
  if (!home || !functionParams(home).some((p) => p.name === id.text)) return undefined;
  const options = decoratorsOf(home).filter(
    (d) => d.type === 'call' && /(?:^|\.)option$/.test(dottedName(d.child('function')) ?? '') && clickName(d) === id.text,
  );
  return sameDefault(options);
}

/** click's parameter name: a declaration without dashes, else the longest-prefixed option, `-` as `_`. */
function clickName(call: PyNode): string | undefined {
  const decls = callArgs(call)
    .positional.map(stringValue)
    .filter((f): f is string => f !== undefined);
  const named = decls.find((d) => !d.startsWith('-'));
  if (named !== undefined) return named;
  const flag = decls.find((d) => d.startsWith('--')) ?? decls[0];
  return flag?.replace(/^-+/, '').replace(/-/g, '_').toLowerCase();
}

/** The `default=` of the calls, when they all give the same one. */
function sameDefault(calls: readonly PyNode[]): PyNode | undefined {
  const defaults = calls.map((c) => callArgs(c).keywords.get('default'));
  const first = defaults[0];
  return first && defaults.every((d) => d?.text === first.text) ? first : undefined;
}

/** The expression a field read `o.f` denotes, and where to read it. */
function fieldOf(attr: PyNode, place: Place, depth: number): { expr: PyNode; place: Place; factory?: boolean } | undefined {
  const name = attr.child('attribute')?.text;
  const object = attr.child('object');
  if (!name || !object) return undefined;
  const inst = instanceOf(object, place, depth + 1);
  if (!inst) return undefined;
  const kw = inst.keywords?.get(name);
  if (kw) return { expr: kw, place: inst.keywordPlace ?? place };
  const def = fieldDefault(inst.cls, name);
  return def ? { ...def, place: inst.place } : undefined;
}

/** The instance an expression denotes: a construction, a name assigned one, a field holding one. */
function instanceOf(expr: PyNode, place: Place, depth: number): Instance | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = unparen(expr);
  if (n.type === 'call') {
    const fn = n.child('function');
    const cls = fn?.type === 'identifier' ? classNamed(fn.text, place, n) : undefined;
    return cls ? { ...cls, keywords: callArgs(n).keywords, keywordPlace: place } : undefined;
  }
  if (n.type === 'identifier') {
    const v = assignedBefore(n, place);
    return v ? instanceOf(v, place, depth + 1) : undefined;
  }
  if (n.type === 'attribute') {
    const field = fieldOf(n, place, depth);
    if (!field) return undefined;
    if (field.factory) {
      const f = unparen(field.expr);
      return f.type === 'identifier' ? classNamed(f.text, field.place, f) : undefined;
    }
    return instanceOf(field.expr, field.place, depth + 1);
  }
  return undefined;
}

function classNamed(name: string, place: Place, at: PyNode): { cls: PyNode; place: Place } | undefined {
  const local = place.classes.get(name);
  if (local) return { cls: local, place };
  const r = place.resolve?.(name, at);
  const cls = r?.member ? r.module.classes.get(r.member) : undefined;
  return cls && r ? { cls, place: modulePlace(r.module) } : undefined;
}

function modulePlace(m: ModuleInfo): Place {
  return { root: m.source.root, classes: m.classes };
}

/**
 * A class body's default for a field: `name = v`, `name: T = v`, `Field(default=v)` /
 * `field(default=v)` (or the first positional), or `default_factory=C` (a factory: the field is a
 * `C()`).
 */
function fieldDefault(cls: PyNode, name: string): { expr: PyNode; factory?: boolean } | undefined {
  for (const stmt of cls.child('body')?.namedChildren ?? []) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type !== 'assignment' || a.child('left')?.text !== name) continue;
    const right = a.child('right');
    if (!right) return undefined;
    const r = unparen(right);
    const callee = r.type === 'call' ? dottedName(r.child('function')) : undefined;
    if (callee && /(?:^|\.)(?:Field|field)$/.test(callee)) {
      const args = callArgs(r);
      const factory = args.keywords.get('default_factory');
      if (factory) return { expr: factory, factory: true };
      const d = args.keywords.get('default') ?? args.positional[0];
      return d ? { expr: d } : undefined;
    }
    return { expr: right };
  }
  return undefined;
}

/**
 * The value last assigned to a name before its use: in the function around the use (a nested
 * function's assignments are its own), or before a use at module level outside functions and
 * classes, else at the module's top level.
 */
function assignedBefore(id: PyNode, place: Place): PyNode | undefined {
  const home = id.source.root === place.root ? enclosingFunction(id) : undefined;
  let found: PyNode | undefined;
  if (home) {
    walkTypes(home, ['assignment'], (a) => {
      if (a.start >= id.start) return false;
      if (enclosingFunction(a) !== home) return true;
      if (a.child('left')?.text === id.text && a.child('right')) found = a.child('right');
      return true;
    });
    if (found) return found;
    // A parameter of that name hides the module's.
    if (functionParams(home).some((p) => p.name === id.text)) return undefined;
  } else if (id.source.root === place.root) {
    // A use at module level, as in `if __name__ == "__main__":`: the last assignment before it
    // outside functions and classes.
    walkTypes(place.root, ['assignment', 'function_definition', 'class_definition'], (a) => {
      if (a.start >= id.start) return false;
      if (a.type !== 'assignment') return false;
      if (a.child('left')?.text === id.text && a.child('right')) found = a.child('right');
      return true;
    });
    if (found) return found;
  }
  for (const stmt of place.root.namedChildren) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type === 'assignment' && a.child('left')?.text === id.text && a.child('right')) found = a.child('right');
  }
  return found;
}

function topLevelClasses(root: PyNode): ReadonlyMap<string, PyNode> {
  const out = new Map<string, PyNode>();
  for (const stmt of root.namedChildren) {
    const def = definitionOf(stmt);
    const name = def?.type === 'class_definition' ? def.child('name')?.text : undefined;
    if (def && name) out.set(name, def);
  }
  return out;
}
