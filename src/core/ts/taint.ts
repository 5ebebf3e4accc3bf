import * as nodePath from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ts from 'typescript';
import { localModuleCandidates, type ModuleCache, parseModule } from './module-cache';
import { PathAliases } from './path-aliases';
import type { AnalysisHost } from '../engine';
import type { TaintFlow } from '../rule';
import { DIRECTORY_PREFIX } from '../regex-path';
import { detach } from '../text';
import { LineMap } from '../text';
import type { FlowStep, Span } from '../types';
import { accessName, alwaysExits, bindingNames, isFunctionLike, isLeadingDashTest, isLocalSpecifier, loopElementPath, moduleOf, objectIteration, propName, spanOf, stringValue, unwrap } from './ast';
import { callHits, maySink, type ArgView, type CallView, type Ref, type SinkHit } from './kinds';
import { optionInjections, PROGRAM_SINKS, programVectorHits, SHELL_COMMAND_SINKS } from './kinds/command';
import { findEntry } from './kinds/types';
import { NORMALIZERS, REALPATH } from './kinds/path';
import { regexSafeKinds } from './kinds/regex';
import { isHttpRouteCall } from './source-gate';
import { isSecretName, SECRET_PRODUCING_METHODS, UNSAFE_OPERATORS } from './kinds/timing';
import { DEFINITION_HANDLER_KEYS, zodSchemaOf, type McpModel, type McpRegistration, type McpSchema } from './mcp-model';
import { kindMask, nodeAt, walkTsKinds } from './walk';
import { SegmentIndex, type CachedFlow, type CachedStatement, type CachedSummary, type NodeRef, type RelSpan, type TaintCache } from './taint-cache';
import type { Location } from '../types';
import { nameTable } from '../tables';

// TypeScript exposes its API through getters; bind what the hot paths call once.
const {
  forEachChild,
  canHaveModifiers,
  getModifiers,
  isArrayLiteralExpression,
  isArrowFunction,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isCaseClause,
  isClassDeclaration,
  isClassExpression,
  isConstructorDeclaration,
  isDoStatement,
  isElementAccessExpression,
  isExportAssignment,
  isExportDeclaration,
  isExpression,
  isExpressionStatement,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isGetAccessorDeclaration,
  isIdentifier,
  isIfStatement,
  isImportDeclaration,
  isLabeledStatement,
  isMethodDeclaration,
  isNamedExports,
  isNamespaceExport,
  isNamedImports,
  isNamespaceImport,
  isNewExpression,
  isNoSubstitutionTemplateLiteral,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isOmittedExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isRegularExpressionLiteral,
  isReturnStatement,
  isSetAccessorDeclaration,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isSwitchStatement,
  isTemplateExpression,
  isThrowStatement,
  isTryStatement,
  isTypeOfExpression,
  isTypeReferenceNode,
  isUnionTypeNode,
  isParenthesizedTypeNode,
  isLiteralTypeNode,
  isVariableDeclaration,
  isVariableDeclarationList,
  isVariableStatement,
  isVoidExpression,
  isWhileStatement,
  tokenToString,
  SyntaxKind,
} = ts;

/**
 * Taint analysis for TypeScript/JavaScript without a type checker: one abstract
 * interpretation pass over each function body (flow-sensitive within straight-line code,
 * joining at branches), with per-function summaries for helpers in the same file and in
 * imported local modules. Sources come from the MCP model (tool/prompt/resource handler
 * arguments) and from HTTP handlers; sinks and sanitisers come from the per-kind tables in
 * ./kinds. A helper reached only with constants produces no flow.
 *
 * Where a flow is reported: at the sink call when the sink is in the analysed file (also
 * inside a same-file helper, with the path going through the call site); at the call site of
 * the imported function when the sink lives in another module (the last step then points
 * into that module).
 */

/**
 * Shortcuts that skip work whose result is provably not needed. Always on; tests turn them off
 * to compare every result with the plain analysis (test/ts/taint-shortcuts.test.ts).
 */
export const taintShortcuts = { enabled: true };

/** Bit per taint kind; sanitisers record which kinds a value is safe for. */
export const KIND_BITS: Readonly<Record<string, number>> = nameTable({ command: 1, argument: 2, sql: 4, path: 8, timing: 16, ssrf: 32, code: 64 });
const ALL = 127;
const bit = (kind: string): number => KIND_BITS[kind] ?? 0;

/** Path facts of a tainted value. */
const NORM = 1; // went through path.resolve/join/normalize/realpath
const CONTAINED = 2; // passed a correct containment check after normalisation
const RESET = 4; // (summaries) an operation that voids earlier path facts happened
const REAL = 8; // symbolic links resolved
const STRING_ONLY = 16; // (summaries) a parameter used where `typeof p === 'string'` held
const AFTER_ORIGIN = 32; // (summaries) a parameter appended right after a fixed `scheme://host`
// (summaries) the parameter, as passed, was joined under a base free of client data: contained
// when the caller's value was checked to hold no `..` (`join`), and not to be absolute (`resolve`)
const UNDER_BASE = 64;
const UNDER_BASE_ABS = 128;

/** Why analysis of a file stopped early. */
class Deadline extends Error {}

interface Unit {
  readonly file: string;
  readonly sf: ts.SourceFile;
  readonly lines: LineMap;
  readonly main: boolean;
  readonly depth: number;
  readonly regs: ReadonlyMap<ts.Node, McpRegistration>;
  top?: Scope;
  exports?: Map<string, Val>;
  defaultExport?: Val;
  /**
   * Local modules re-exported whole (`export * from './registry.js'`): a name the unit does not
   * export itself is looked up in them, in order, when an importer asks for it (loaded then).
   */
  starExports?: string[];
  /** Names bound by an import of a local module (`import { toolRegistry } from './registry.js'`). */
  imports?: Map<string, { readonly local: string; readonly member: string | undefined }>;
}

interface Source {
  readonly name: string;
  readonly kind: string;
}

interface Step {
  readonly label: string;
  readonly span: Span;
  readonly unit: Unit;
  readonly prev: Step | undefined;
  readonly n: number;
}

type Role = 'tool-args' | 'll-request' | 'll-params' | 'http-req' | 'http-part' | 'hono-ctx' | 'hono-req' | 'extra' | 'template-vars' | 'zod';

interface Origin {
  readonly src?: Source;
  /** Symbolic origin of a helper's parameter while its summary is computed. */
  readonly param?: number;
  readonly keys?: readonly string[];
  readonly owner?: Summary;
  readonly role?: Role;
  /** http-part: what the parts' leaves are called ("request header"). */
  readonly partKind?: string;
  /** tool-args: kinds each named argument's schema makes safe. */
  readonly masks?: ReadonlyMap<string, number>;
  /** Source kind for leaves of tool-args ("tool argument" / "prompt argument"). */
  readonly leafKind?: string;
  /** zod: the object shape the value was parsed with. */
  readonly shape?: ts.ObjectLiteralExpression;
  /** tool-args: the zod fields of object arguments and of lists of objects, by argument. */
  readonly fields?: ReadonlyMap<string, ts.ObjectLiteralExpression>;
  /** zod: the argument whose fields these are (leaves are named `nodes.fileName`). */
  readonly nested?: string;
  readonly step: Step | undefined;
  readonly clean: number;
  readonly flags: number;
  readonly reason?: string;
  readonly guard?: Span;
}

/** Abstract value: taint plus the facts sinks and sanitisers need. */
interface Val {
  readonly t?: readonly Origin[];
  readonly ref?: Ref;
  readonly str?: string;
  readonly truthy?: boolean;
  readonly fn?: FnVal;
  readonly secret?: string;
  readonly cond?: ts.Expression;
  readonly sepEnd?: boolean;
  /** Checked to hold no `..` (`if (p.includes('..')) throw`): joined under a base, it stays there. */
  readonly noDotDot?: boolean;
  /** Checked not to be absolute (`if (isAbsolute(p)) throw`). */
  readonly notAbs?: boolean;
  /** A summary's parameter as the caller passed it, not a value made from it (see UNDER_BASE). */
  readonly asPassed?: boolean;
  readonly relOf?: string;
  readonly urlOf?: string;
  /** The variable this value is a normalised or resolved form of (`realpath(p)`, `normalize(p)`). */
  readonly aliasOf?: string;
  /**
   * A boolean flag set to a literal in a branch (`isTemporary = true`): the values the branch
   * gave other variables, and their values after the `if` (to see they were not changed since).
   */
  readonly when?: { readonly pol: boolean; readonly vals: ReadonlyMap<string, Val>; readonly after: ReadonlyMap<string, Val> };
  readonly fixedPrefix?: boolean;
  /**
   * Never a string: the result of a function declared to return bytes or a number
   * (`(): Promise<Buffer>`), so `typeof v === 'string'` is false for it.
   */
  readonly notString?: boolean;
  /**
   * Fields a store gave their value (`args.path = validatePath(args.path)` outside any branch):
   * reading one gives that value, not what the object's own taint would put there.
   */
  readonly own?: ReadonlySet<string>;
  /**
   * String text that holds a `?` or `#` at a known place (`${base}?q=`): what is appended after it
   * is a URL's query or fragment, which cannot change the host a request goes to.
   */
  readonly query?: boolean;
  /**
   * The known text a string of unknown full value starts with (`kubectl port-forward ` of
   * `${...}`-built commands): `split` on it gives the leading words as constants.
   */
  readonly head?: string;
  /** A word of a helper parameter split on `sep` (the first, or the rest): see `split-param` hits. */
  readonly splitOf?: { readonly sep: string; readonly rest: boolean };
  readonly elems?: readonly Val[];
  readonly spread?: boolean;
  readonly props?: ReadonlyMap<string, Val>;
  /**
   * `props` lists every field that can hold client data (an object literal without computed
   * keys or spreads of unknown shape): a field it lacks reads as no data, not as the object's
   * taint (`convert({ filePath })` does not set `url`).
   */
  readonly closed?: boolean;
  /**
   * One of these values, not known which: an element of an array of tools or handlers (a loop
   * variable, `tools.find(...)`), `handlers[name]` with a key from the request. A call or a
   * method call applies to each (`tool.handle(args)`, `h(args)`).
   */
  readonly alts?: readonly Val[];
  readonly promisified?: boolean;
  readonly zod?: ts.Expression;
  readonly regex?: string;
  /** The pattern has the `g` flag: `replace` replaces every match. */
  readonly regexGlobal?: boolean;
  readonly lazy?: () => Val;
  readonly num?: boolean;
  /** A class declared in the analysed code, or an instance of one (`new Repo()`). */
  readonly cls?: ts.ClassLikeDeclaration;
  readonly inst?: ts.ClassLikeDeclaration;
}

interface FnVal {
  readonly node: ts.FunctionLikeDeclaration;
  readonly scope: Scope;
  readonly unit: Unit;
  readonly name: string;
}

interface Summary {
  readonly fn: FnVal;
  readonly hits: { hit: Hit; origin: Origin }[];
  ret: Val | undefined;
  done: boolean;
  /**
   * The function stores a parameter's value outside itself (`allowed = [...dirs]` in a module
   * variable): a call with client data runs it for real, so that the variable holds that data.
   */
  storesParams?: boolean;
  /** The main file's top-level statement being analysed when the summary was made (cache checks). */
  readonly createdAt: number;
  /** Creation order within the analysis. */
  readonly serial: number;
}

interface Hit {
  readonly kind: string;
  readonly sinkSpan: Span;
  readonly argSpan?: Span;
  readonly sinkName: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly unit: Unit;
  /** Reported at a call site in the analysed file; the real sink is the last step already. */
  readonly rebased?: boolean;
}

interface Narrow {
  readonly clean: number;
  /** The elements of an array are cleaned too (a vector whose every element was screened). */
  readonly elements?: boolean;
  readonly contain?: boolean;
  /** `p.includes('..')` is false: see Val.noDotDot. */
  readonly noDotDot?: boolean;
  /** `isAbsolute(p)` is false. */
  readonly notAbs?: boolean;
  /** `typeof p === 'string'` holds: a call passing bytes never gets here (see STRING_ONLY). */
  readonly asString?: boolean;
  readonly reason?: string;
  readonly guard?: Span;
}

interface Frame {
  ret: Val | undefined;
  readonly cls?: ts.ClassLikeDeclaration;
  /** Fields of the instance `this` denotes, when the engine follows one (`new Job(x).run()`). */
  readonly thisProps?: Map<string, Val>;
  /**
   * The class of the instance `this` denotes, when it is a subclass of the method's own class:
   * `this.execute()` in an inherited `register()` runs the subclass's `execute`.
   */
  readonly self?: ts.ClassLikeDeclaration;
}

let scopeSerial = 0;
/** Summary computations under way (one analysis runs at a time on a thread). */
let summaryNesting = 0;

class Scope {
  /** Made by the first declaration: most scopes (branches, blocks, conditions) declare nothing. */
  private varMap: Map<string, Val> | undefined;
  /** Creation order: scopes made before a statement's run are outside it (cache purity checks). */
  readonly serial = scopeSerial++;
  /** Summary computations under way when it was made: one made in a summary is the summary's. */
  readonly nesting = summaryNesting;
  narrows: Map<string, Narrow[]> | undefined;
  /** In a `catch` whose `try` resolved symbolic links (and the catch does not): that `realpath` call. */
  swallowedRealpath: Span | undefined;
  /** A branch's own values of the outer variables it assigned (before the join with the other way). */
  writes: Map<string, Val> | undefined;
  /**
   * Variables declared here from a call of a function by name (`const err = check(x)`), with that
   * call, and its `await` when there is one (`const ok = await check(p)`).
   */
  calls: Map<string, ts.Expression> | undefined;
  constructor(
    readonly parent: Scope | undefined,
    readonly unit: Unit,
    readonly frame: Frame,
    readonly branch: boolean,
  ) {}
  get(name: string): Val | undefined {
    return this.varMap?.get(name);
  }
  set(name: string, v: Val): void {
    (this.varMap ??= new Map()).set(name, v);
  }
  has(name: string): boolean {
    return this.varMap?.has(name) ?? false;
  }
  addNarrow(key: string, n: Narrow): void {
    this.narrows ??= new Map();
    const list = this.narrows.get(key);
    if (list) list.push(n);
    else this.narrows.set(key, [n]);
  }
}

/** What a top-level registration statement's run did, recorded while it runs (./taint-cache.ts). */
interface Recording {
  readonly firstScope: number;
  readonly firstSummary: number;
  /** Everything the run did can be replayed. */
  ok: boolean;
  /** The run changed no state that later statements can see. */
  pure: boolean;
  readonly flows: Candidate[];
  readonly summaries: Summary[];
  readonly analyzed: Set<ts.Node>;
  readonly pending: FnVal[];
  /** `this` field maps of instances made during the run (writes to them are the run's own). */
  readonly localMaps: Set<Map<string, Val>>;
  /** Summary computations under way when the run started. */
  readonly summaryBase: number;
  /** Functions the run found analysed already (and so did not run). */
  readonly skipped: Set<ts.Node>;
  /** Imported files the run loaded first, with the importing file and their import depth. */
  readonly loads: { file: string; from: string; depth: number }[];
  /** Imports of the analysed file the run resolved first, in order. */
  readonly lazies: string[];
  /** The segment of the statement recorded (-1 for the final pass). */
  readonly ownSeg: number;
  /** What the run changed that other statements can see, in order, in positions that survive edits elsewhere. */
  readonly events: string[];
  /** Every event could be placed. */
  comparable: boolean;
  /** The run used code of an imported file. */
  foreign: boolean;
}

/** An analysis with a cache: the cache, the file's segments and the entries made so far. */
interface CacheRun {
  readonly cache: TaintCache;
  readonly index: SegmentIndex;
  /** Registration statements (not inside another) by node, with their index. */
  readonly regIndex: ReadonlyMap<ts.Node, number>;
  /** How often each has started in this analysis. */
  readonly occurrences: number[];
  readonly made: Map<string, CachedStatement>;
  /** What each statement run changed (see Recording.events), by statement and occurrence. */
  readonly logs: Map<string, string>;
}

/** A flow before the check for one already reported at the same sink. */
interface Candidate {
  readonly kind: string;
  readonly sinkSpan: Span;
  readonly argSpan?: Span;
  readonly sinkName: string;
  readonly sourceName: string;
  readonly sourceKind: string;
  /** `location` is set for a replayed step in an imported file (its span then says nothing). */
  readonly steps: readonly { readonly span?: Span; readonly location?: Location; readonly label: string; readonly unit: Unit }[];
  readonly data: Record<string, unknown>;
  /**
   * For a flow reported at a call of another module's function, what `flowKey` tells it apart
   * by: where its innermost sink is, and the functions of other modules its path runs through
   * (see `behindCall`).
   */
  readonly behind?: string;
}

const EMPTY: Val = {};
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const NO_NODES: readonly ts.Expression[] = [];
const MAX_ORIGINS = 6;
/** Characters of imported files a file's taint cache may keep to detect their changes. */
const MAX_CACHED_READS = 4 * 1024 * 1024;
const MAX_STEPS = 24;

export interface TaintOptions {
  /** Kinds requested by the enabled rules. */
  readonly kinds: ReadonlySet<string>;
  readonly deadline: number;
  readonly host: AnalysisHost;
  /** Parses of imported local modules kept across analyses; each analysis parses its own without it. */
  readonly modules?: ModuleCache;
  /**
   * Runs of the file's top-level registration statements from earlier analyses of the same
   * file, replayed where provably unchanged (./taint-cache.ts); the editor passes one per file.
   */
  readonly cache?: TaintCache;
}

export interface TaintResult {
  readonly flows: TaintFlow[];
  readonly timedOut: boolean;
}

/** Runs the analysis over one parsed file. Never throws: on a deadline it returns what it has. */
export function analyzeTaint(file: string, sf: ts.SourceFile, lines: LineMap, mcp: McpModel, options: TaintOptions): TaintResult {
  const a = new Analyzer(options);
  return a.run(file, sf, lines, mcp);
}

/** Text that can introduce HTTP sources: route registrations, servers, request-typed parameters. */
const MAY_HOLD_SOURCES = /\.(?:get|post|put|patch|delete|del|all|use|options|head|route|on)\s*\(|createServer\s*\(|:\s*(?:[\w.]+\.)?(?:Request|IncomingMessage|FastifyRequest|NextRequest|ExpressRequest|HonoRequest|Context)\b/;

/** Option keys whose constant values sinks read. */
const PROP_KEYS = new Set(['shell', 'url', 'baseURL', 'host', 'hostname', 'root', 'text', 'sql']);

const HTTP_REQ_TYPES = new Set(['Request', 'IncomingMessage', 'FastifyRequest', 'NextRequest', 'ExpressRequest', 'HonoRequest']);
const HTTP_PARTS: Readonly<Record<string, string>> = nameTable({
  query: 'request query parameter',
  body: 'request body field',
  params: 'request path parameter',
  headers: 'request header',
  cookies: 'request cookie',
  signedCookies: 'request cookie',
});
const HTTP_LEAVES: Readonly<Record<string, string>> = nameTable({
  url: 'request URL',
  originalUrl: 'request URL',
  path: 'request URL',
  baseUrl: 'request URL',
  hostname: 'request header',
  host: 'request header',
  rawHeaders: 'request header',
  rawBody: 'request body',
});
const HONO_REQ_GETTERS: Readonly<Record<string, string>> = nameTable({
  query: 'request query parameter',
  queries: 'request query parameter',
  param: 'request path parameter',
  header: 'request header',
  json: 'request body',
  text: 'request body',
  parseBody: 'request body',
  formData: 'request body',
  arrayBuffer: 'request body',
});
/**
 * Hono's `c.req.valid(target)`: the client's data of that target once a validator middleware
 * (`zValidator('json', schema)`) has checked its shape, which says nothing of its values.
 */
const HONO_VALID_TARGETS: Readonly<Record<string, string>> = nameTable({
  json: 'request body',
  form: 'request body',
  query: 'request query parameter',
  param: 'request path parameter',
  header: 'request header',
  cookie: 'request cookie',
});
/** Methods whose result says something about the value but carries none of it. */
const NON_PROPAGATING = new Set([
  'includes', 'startsWith', 'endsWith', 'test', 'has', 'indexOf', 'lastIndexOf', 'search', 'localeCompare', 'every',
  'some', 'charCodeAt', 'codePointAt', 'isArray', 'isInteger', 'isSafeInteger', 'isFinite', 'isNaN', 'size', 'findIndex',
  'existsSync', 'access', 'accessSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'isFile', 'isDirectory',
  'isSymbolicLink', 'timingSafeEqual', 'compare', 'valueOf', 'getTime',
]);
/** Global functions whose result is a number or boolean. */
const NUMERIC_GLOBALS = new Set(['Number', 'parseInt', 'parseFloat', 'Boolean', 'isNaN', 'isFinite', 'BigInt']);
const KNOWN_GLOBALS = new Set([
  'eval', 'Function', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'require', 'process', 'URL', 'JSON', 'Math',
  'Number', 'String', 'Object', 'Array', 'Promise', 'encodeURIComponent', 'encodeURI', 'decodeURIComponent',
  'decodeURI', 'parseInt', 'parseFloat', 'Boolean', 'Buffer', 'console', 'isNaN', 'isFinite', 'BigInt', 'Date',
  'RegExp', 'Error', 'Symbol', 'Reflect', 'globalThis', 'escape', 'execScript',
]);
/** Escaping functions by name, and the kinds their output is safe for. */
const ESCAPERS: Readonly<Record<string, number>> = nameTable({
  escapeLiteral: KIND_BITS.sql!,
  escapeIdentifier: KIND_BITS.sql!,
  escapeId: KIND_BITS.sql!,
  quoteIdentifier: KIND_BITS.sql!,
  shellEscape: KIND_BITS.command!,
  escapeShellArg: KIND_BITS.command!,
  escapeShellArgument: KIND_BITS.command!,
  shellQuote: KIND_BITS.command!,
  shq: KIND_BITS.command!,
});
/** Module functions (module -> names) that escape for the given kinds. */
const MODULE_ESCAPERS: readonly { modules: readonly string[]; names: readonly string[]; bits: number }[] = [
  { modules: ['shell-quote'], names: ['quote'], bits: KIND_BITS.command! },
  { modules: ['shell-escape', 'any-shell-escape', 'shescape'], names: ['', 'escape', 'quote', 'quoteAll', 'escapeAll'], bits: KIND_BITS.command! },
  { modules: ['sqlstring', 'mysql', 'mysql2'], names: ['escape', 'escapeId', 'format'], bits: KIND_BITS.sql! },
  { modules: ['pg-format'], names: ['', 'literal', 'ident', 'format'], bits: KIND_BITS.sql! },
  { modules: ['pg'], names: ['escapeLiteral', 'escapeIdentifier'], bits: KIND_BITS.sql! },
  { modules: ['sanitize-filename'], names: [''], bits: KIND_BITS.path! },
  // A URL made web-only (http/https, parsed and re-encoded) before a browser opener: mcp-remote's fix of CVE-2025-6514.
  { modules: ['strict-url-sanitise', '@braintree/sanitize-url'], names: ['sanitizeUrl'], bits: KIND_BITS.command! },
];
const PARSE_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']);

class Analyzer {
  private readonly flows: TaintFlow[] = [];
  private readonly seen = new Set<string>();
  private readonly summaries = new Map<ts.Node, Summary>();
  private readonly analyzed = new Set<ts.Node>();
  /** Functions on the current call stack (direct re-runs must not recurse). */
  private readonly running = new Set<ts.Node>();
  private readonly pending: FnVal[] = [];
  private readonly units = new Map<string, Unit | null>();
  /** Offsets of `realpath` in each file's text; null for a file with escapes (see `mayCallRealpath`). */
  private readonly realpathAt = new Map<ts.SourceFile, number[] | null>();
  private main!: Unit;
  /** Per function, whether it registers tools with a handler that calls one of its parameters. */
  private readonly registering = new Map<ts.Node, boolean>();
  /** Per function: for each parameter, whether its body calls a method through it (`methodCallsThrough`). */
  private readonly receivers = new Map<ts.Node, readonly boolean[]>();
  /** Per function, which parameters a closure inside it calls (`closureCallsThrough`). */
  private readonly closureCallers = new Map<ts.Node, readonly boolean[]>();
  /** The main file's registrations made inside a function (`passesToRegistering`), once found. */
  private regsInFunctions: ts.Node[] | undefined;
  /** Calls of registering functions under way (`registersTools`): their handlers run every time. */
  private registeringThrough = 0;
  /** Per unit, the assignments to plain names made inside functions (`lateValue`). */
  private readonly lateAssignments = new Map<Unit, Map<string, ts.Expression[]>>();
  /** Registrations of loop definitions by handler (`McpRegistration.definition`): each handler's own schema. */
  private readonly definitionRegs = new Map<ts.Node, McpRegistration>();
  private ticks = 0;
  private readonly want: (kind: string) => boolean;
  /** Registration statements started so far: the point of the analysis a summary was made at. */
  private stmtCounter = 0;
  private summarySerial = 0;
  /** Every file read through the host, with what it held. */
  private readonly readLog = new Map<string, string | undefined>();
  /** Per class, the initialised fields that keep their value (`keptFields`). */
  private readonly keptFieldsOf = new Map<ts.ClassLikeDeclaration, Map<string, Val> | undefined>();
  /** The project's tsconfig path aliases, read on the first import that is not relative. */
  private aliases: PathAliases | undefined;
  /** Cache entries made by this analysis. */
  private recorded = 0;
  /** The registration statement being recorded for the cache. */
  private rec: Recording | undefined;
  /** No statement run so far changed state other statements can see: replays are exact. */
  private clean = true;
  /** The cache and this analysis's view of the file, when analysing with one. */
  private cacheRun: CacheRun | undefined;
  /** A replay is making summaries: the flows they find are reported from the recording. */
  private muted = false;
  /** A registration statement has run (not been replayed) in this analysis. */
  private ran = false;
  /**
   * The call of the analysed file that runs a method of an imported class with its instance's
   * fields (`runForeign`): sinks reached in other modules are reported there.
   */
  private foreignCall: { readonly span: Span; readonly name: string } | undefined;

  constructor(private readonly options: TaintOptions) {
    this.want = (k) => options.kinds.has(k);
  }

  run(file: string, sf: ts.SourceFile, lines: LineMap, mcp: McpModel): TaintResult {
    const regs = new Map<ts.Node, McpRegistration>();
    for (const r of mcp.registrations) {
      if (r.idiom === 'listTools') continue;
      regs.set(r.call, r);
      if (r.definition && r.handler) this.definitionRegs.set(r.handler, r);
    }
    this.main = { file, sf, lines, main: true, depth: 0, regs };
    this.units.set(nodePath.resolve(file), this.main);
    let timedOut = false;
    const cache = this.options.cache;
    if (cache) this.cacheRun = this.startCacheRun(cache, regs);
    let complete = false;
    try {
      this.execUnit(this.main);
      this.runOAuthProviders();
      this.runPendingCached();
      complete = true;
    } catch (err) {
      if (err instanceof Deadline) timedOut = true;
      else if (!(err instanceof RangeError)) {
        cache?.clear();
        throw err;
      }
    }
    const run = this.cacheRun;
    if (cache && run) {
      // A partial analysis leaves nothing to replay.
      if (complete) {
        cache.entries = run.made;
        cache.logs = run.logs;
        for (const [f, t] of this.readLog) if (!cache.reads.has(f)) cache.reads.set(f, t);
        cache.stats.recorded += this.recorded;
        // The texts of the files read are kept to compare: a file importing megabytes is not cached.
        let kept = 0;
        for (const t of cache.reads.values()) kept += t?.length ?? 0;
        if (kept > MAX_CACHED_READS) cache.clear();
      } else cache.clear();
    }
    return { flows: this.flows, timedOut };
  }

  /**
   * Sets up an analysis with a cache: finds the registration statements, drops the entries when
   * the text around them, the kinds or a file read before changed.
   */
  private startCacheRun(cache: TaintCache, regs: ReadonlyMap<ts.Node, McpRegistration>): CacheRun {
    const text = this.main.sf.text;
    const found: ts.Statement[] = [];
    for (const call of regs.keys()) {
      const p = call.parent;
      if (p && isExpressionStatement(p) && p.expression === call) found.push(p);
    }
    found.sort((a, b) => a.pos - b.pos);
    // A registration inside another one's handler is part of that one's run.
    const statements: ts.Statement[] = [];
    for (const st of found) if (statements.length === 0 || st.pos >= statements[statements.length - 1]!.end) statements.push(st);
    const index = new SegmentIndex(statements, text.length);
    const env = [this.main.file, [...this.options.kinds].sort().join(',')];
    let at = 0;
    for (const st of statements) {
      env.push(text.slice(at, st.pos));
      at = st.end;
    }
    env.push(text.slice(at));
    const envKey = env.join('\u0001');
    if (cache.env !== envKey) cache.clear();
    else {
      for (const [f, t] of cache.reads) {
        if (this.options.host.readFile(f) !== t) {
          cache.clear();
          break;
        }
      }
    }
    cache.env = envKey;
    return { cache, index, regIndex: new Map(statements.map((st, i) => [st as ts.Node, i])), occurrences: [], made: new Map(), logs: new Map() };
  }

  /**
   * A registration statement, with a cache: replayed when the replay is exact, run and recorded
   * otherwise. Every run is recorded, also one that cannot be kept: a run that changes shared
   * state ends replaying for the rest of the analysis.
   */
  private cachedStatement(stmt: ts.Statement, scope: Scope, k: number, run: CacheRun): void {
    const occurrence = (run.occurrences[k] = (run.occurrences[k] ?? 0) + 1);
    this.stmtCounter++;
    const at = `${k}\u0000${occurrence}`;
    const key = `${at}\u0000${this.main.sf.text.slice(stmt.pos, stmt.end)}`;
    // Entries are valid after the statements before them did what they did when the entries
    // were recorded: a statement that ran must have changed shared state (summaries, analysed
    // functions, loads, imports) exactly as its last version did, or later ones run too.
    const entry = this.clean && !this.ran ? run.cache.entries.get(key) : undefined;
    if (entry && this.replay(entry, run.index, scope)) {
      run.made.set(key, entry);
      run.logs.set(at, entry.log);
      run.cache.stats.replayed++;
      return;
    }
    const rec = this.newRecording(2 * k + 1);
    this.rec = rec;
    try {
      this.st(stmt, scope);
    } finally {
      this.rec = undefined;
    }
    const log = rec.comparable ? rec.events.join('\n') : undefined;
    if (log === undefined || run.cache.logs.get(at) !== log) this.ran = true;
    if (log !== undefined) run.logs.set(at, log);
    // Functions queued for the final pass that it would run (a replay queues nothing).
    for (const fn of rec.pending) if (!this.analyzed.has(fn.node) && this.mayHoldSources(fn)) rec.ok = false;
    if (!rec.pure) {
      // Later statements see what this one changed: from here on, nothing is replayed or recorded.
      this.clean = false;
      return;
    }
    if (!this.clean || !rec.ok) return;
    const frozen = log === undefined ? undefined : this.freeze(rec, run.index, scope, 2 * k + 1);
    if (frozen) {
      run.made.set(key, { ...frozen, log: log! });
      this.recorded++;
    }
  }

  /**
   * Functions never called from analysed code still run once, free, so that handlers
   * registered inside them (class methods, setup functions) are found.
   */
  private runPending(): void {
    while (this.pending.length > 0) {
      const fn = this.pending.shift()!;
      if (this.isAnalyzed(fn.node) || !this.mayHoldSources(fn)) continue;
      this.runFunction(fn, []);
    }
  }

  /**
   * `runPending`, with a cache: the pass is replayed when every statement's run was pure and
   * it would run the same functions, in the same order, as when it was recorded.
   */
  private runPendingCached(): void {
    const run = this.cacheRun;
    if (!run || !this.clean) {
      this.runPending();
      return;
    }
    const main = this.main;
    const runs: NodeRef[] = [];
    let located = true;
    for (const fn of this.pending) {
      if (this.analyzed.has(fn.node) || !this.mayHoldSources(fn)) continue;
      const ref = this.nodeRef(fn.node, run.index);
      // A function inside a registration statement: its text may change with its offsets kept.
      if (ref && (ref.file !== undefined || ref.seg % 2 === 0)) runs.push(ref);
      else located = false;
    }
    this.stmtCounter++;
    const key = '\u0002pending';
    const entry = run.cache.entries.get(key);
    if (located && !this.ran && entry?.runs && sameRefs(entry.runs, runs) && this.replay(entry, run.index, main.top!)) {
      this.pending.length = 0;
      run.made.set(key, entry);
      run.cache.stats.replayed++;
      return;
    }
    const rec = this.newRecording(-1);
    this.rec = rec;
    try {
      this.runPending();
    } finally {
      this.rec = undefined;
    }
    // Nothing runs after this pass: what it changes needs no replay, only what it reports.
    const frozen = located && rec.ok ? this.freeze(rec, run.index, main.top!, -1) : undefined;
    if (frozen) {
      run.made.set(key, { ...frozen, runs, log: '' });
      this.recorded++;
    }
  }

  private newRecording(ownSeg: number): Recording {
    return {
      ownSeg,
      events: [],
      comparable: true,
      firstScope: scopeSerial,
      firstSummary: this.summarySerial,
      ok: true,
      pure: true,
      flows: [],
      summaries: [],
      analyzed: new Set(),
      pending: [],
      localMaps: new Set(),
      summaryBase: summaryNesting,
      skipped: new Set(),
      loads: [],
      lazies: [],
      foreign: false,
    };
  }

  /**
   * Notes a change other statements can see: a function analysed, a summary made. Functions
   * inside the recorded statement are its own (no other statement reaches them).
   */
  private logEvent(kind: string, node: ts.Node): void {
    const rec = this.rec;
    const run = this.cacheRun;
    if (!rec || !run) return;
    const r = this.nodeRef(node, run.index);
    if (!r) {
      rec.comparable = false;
      return;
    }
    if (r.file === undefined && r.seg === rec.ownSeg) return;
    rec.events.push(`${kind}${r.file ?? ''}\u0000${r.seg}\u0000${r.start}\u0000${r.end}\u0000${r.kind}`);
  }

  /**
   * Whether a scope is the recorded run's own: made during it, not inside a summary it made
   * (summaries are shared with later statements), and not a module's top scope.
   */
  private isLocal(scope: Scope, rec: Recording): boolean {
    return scope.serial >= rec.firstScope && scope.nesting === rec.summaryBase && scope.parent !== undefined;
  }

  /**
   * Whether a function is on the call stack. A summary made during a recorded run whose content
   * depends on it cannot be replayed: a replay makes it outside that call.
   */
  private isRunning(node: ts.Node): boolean {
    const yes = this.running.has(node);
    if (yes && this.rec && summaryNesting > this.rec.summaryBase) this.rec.ok = false;
    return yes;
  }

  /** Whether a function was analysed already; a recorded run notes the ones it skips for it. */
  private isAnalyzed(node: ts.Node): boolean {
    const yes = this.analyzed.has(node);
    if (yes && this.rec) this.rec.skipped.add(node);
    return yes;
  }

  /** A node of the analysed file by segment, of an imported one by position; undefined for a node of neither. */
  private nodeRef(n: ts.Node, index: SegmentIndex): NodeRef | undefined {
    const sf = n.getSourceFile();
    if (sf === this.main.sf) {
      const rel = index.toRel({ start: n.pos, end: n.end });
      return rel && { ...rel, kind: n.kind };
    }
    const unit = this.units.get(sf.fileName);
    return unit && unit.sf === sf ? { file: unit.file, seg: -1, start: n.pos, end: n.end, kind: n.kind } : undefined;
  }

  /**
   * A recording in positions that survive edits elsewhere; undefined if some part of it cannot be
   * replayed. Positions in the analysed file must lie outside every registration statement but
   * the run's own (`ownSeg`): another statement's text may change while keeping its offsets.
   */
  private freeze(rec: Recording, index: SegmentIndex, base: Scope, ownSeg: number): CachedStatement | undefined {
    const main = this.main;
    const placed = (rel: RelSpan | undefined): rel is RelSpan => rel !== undefined && (rel.seg % 2 === 0 || rel.seg === ownSeg);
    const nodeRef = (n: ts.Node): NodeRef | undefined => {
      const r = this.nodeRef(n, index);
      return r && (r.file !== undefined || placed(r)) ? r : undefined;
    };
    const toRel = (span: Span): RelSpan | undefined => {
      const r = index.toRel(span);
      return placed(r) ? r : undefined;
    };
    const summaries: CachedSummary[] = [];
    for (const s of rec.summaries) {
      if (s.fn.unit === main && s.fn.scope.serial >= rec.firstScope) {
        // A function the run itself defined (a closure in the handler) is not visible outside
        // it; one defined inside a summary the run made is, and cannot be found again.
        if (this.isLocal(s.fn.scope, rec)) continue;
        return undefined;
      }
      const fn = nodeRef(s.fn.node);
      if (!fn) return undefined;
      let hops = 0;
      if (s.fn.unit === main) {
        // Found again from the statement's scope: the same number of scopes up.
        let sc: Scope | undefined = base;
        while (sc && sc !== s.fn.scope) {
          sc = sc.parent;
          hops++;
        }
        if (!sc) return undefined;
      } else if (s.fn.scope !== s.fn.unit.top) return undefined;
      summaries.push({ fn, hops, name: s.fn.name, createdAt: s.createdAt });
    }
    const analyzed: NodeRef[] = [];
    for (const n of rec.analyzed) {
      const r = nodeRef(n);
      if (!r) return undefined;
      analyzed.push(r);
    }
    const skipped: NodeRef[] = [];
    for (const n of rec.skipped) {
      if (rec.analyzed.has(n)) continue;
      const r = nodeRef(n);
      if (!r) return undefined;
      skipped.push(r);
    }
    const flows: CachedFlow[] = [];
    for (const c of rec.flows) {
      // An innermost sink in the analysed file moves with its edits: such a run is not kept.
      if (c.behind !== undefined && c.behind.startsWith(`${main.file}\0`)) return undefined;
      const sinkSpan = toRel(c.sinkSpan);
      const argSpan = c.argSpan ? toRel(c.argSpan) : undefined;
      if (!sinkSpan || (c.argSpan && !argSpan)) return undefined;
      const steps: CachedFlow['steps'][number][] = [];
      for (const st of c.steps) {
        if (!st.span) return undefined;
        if (st.unit === main) {
          const span = toRel(st.span);
          if (!span) return undefined;
          steps.push({ span, label: st.label });
        } else steps.push({ location: st.unit.lines.location(st.unit.file, st.span), label: st.label });
      }
      const data: Record<string, unknown> = {};
      const spanKeys: string[] = [];
      for (const [k, v] of Object.entries(c.data)) {
        if (v !== null && typeof v === 'object') {
          // A span (`guard`) says no file: only one of a run that stayed in the analysed file is placed.
          const sp = v as Partial<Span>;
          if (rec.foreign || Object.keys(v).length !== 2 || typeof sp.start !== 'number' || typeof sp.end !== 'number') return undefined;
          const rel = toRel(sp as Span);
          if (!rel) return undefined;
          data[k] = rel;
          spanKeys.push(k);
        } else data[k] = v;
      }
      flows.push({ kind: c.kind, sinkSpan, ...(argSpan ? { argSpan } : {}), sinkName: c.sinkName, sourceName: c.sourceName, sourceKind: c.sourceKind, steps, data, spanKeys, ...(c.behind !== undefined ? { behind: c.behind } : {}) });
    }
    return { loads: rec.loads, lazies: rec.lazies, summaries, analyzed, skipped, flows, log: '' };
  }

  /**
   * Does what a statement's recorded run did: loads the imported files it loaded first, makes
   * the summaries it asked for (each must be made at the same point as when recorded), marks its
   * functions analysed, reports its flows. False, with nothing reported, when the entry does not
   * fit; the caller then runs the statement.
   */
  private replay(entry: CachedStatement, index: SegmentIndex, base: Scope): boolean {
    for (const load of entry.loads) {
      // Loaded at the recorded depth only if the importing file is where it was then.
      const importer = load.from === this.main.file ? this.main : this.units.get(load.from);
      if (!importer || importer.depth !== load.depth - 1) return false;
      const unit = this.units.get(load.file);
      if (unit === undefined) {
        if (!this.loadFile(load.file, load.depth, load.from)) return false;
      } else if (unit === null || unit.depth !== load.depth) return false;
    }
    const find = (ref: NodeRef): ts.Node | undefined => {
      if (ref.file === undefined) {
        const { start, end } = index.toSpan(ref);
        return nodeAt(this.main.sf, start, end, ref.kind);
      }
      const unit = this.units.get(ref.file);
      return unit ? nodeAt(unit.sf, ref.start, ref.end, ref.kind) : undefined;
    };
    const fns: FnVal[] = [];
    for (const s of entry.summaries) {
      const node = find(s.fn);
      if (!node || !isFunctionLike(node)) return false;
      let scope: Scope | undefined;
      let unit: Unit;
      if (s.fn.file === undefined) {
        scope = base;
        for (let h = 0; h < s.hops && scope; h++) scope = scope.parent;
        unit = this.main;
      } else {
        unit = this.units.get(s.fn.file)!;
        scope = unit.top;
      }
      if (!scope) return false;
      fns.push({ node, scope, unit, name: s.name });
    }
    // The functions the run analysed must be unanalysed now, the ones it skipped analysed.
    const analyzed: ts.Node[] = [];
    for (const r of entry.analyzed) {
      const node = find(r);
      if (!node || this.analyzed.has(node)) return false;
      analyzed.push(node);
    }
    for (const r of entry.skipped) {
      const node = find(r);
      if (!node || !this.analyzed.has(node)) return false;
    }
    // The imports it resolved first are resolved at the same point.
    for (const name of entry.lazies) this.lookup(name, this.main.top!);
    // Each summary must be made at the same point as when recorded: one that exists was made
    // then, one that does not will be made now. Checked before any is made.
    for (let i = 0; i < fns.length; i++) {
      const existing = this.summaries.get(fns[i]!.node);
      if ((existing ? existing.createdAt : this.stmtCounter) !== entry.summaries[i]!.createdAt) return false;
    }
    // Flows found while making them are among the recorded ones, which are reported below in the
    // order they were found.
    this.muted = true;
    try {
      for (const fn of fns) this.summaryOf(fn);
    } finally {
      this.muted = false;
    }
    for (const n of analyzed) this.analyzed.add(n);
    const main = this.main;
    for (const f of entry.flows) {
      const data: Record<string, unknown> = { ...f.data };
      for (const k of f.spanKeys) data[k] = index.toSpan(data[k] as RelSpan);
      this.deliver({
        kind: f.kind,
        sinkSpan: index.toSpan(f.sinkSpan),
        ...(f.argSpan ? { argSpan: index.toSpan(f.argSpan) } : {}),
        sinkName: f.sinkName,
        sourceName: f.sourceName,
        sourceKind: f.sourceKind,
        steps: f.steps.map((st) => ('span' in st ? { span: index.toSpan(st.span), label: st.label, unit: main } : { location: st.location, label: st.label, unit: main })),
        data,
        ...(f.behind !== undefined ? { behind: f.behind } : {}),
      });
    }
    return true;
  }

  /** Queues a function for the final pass over functions nothing called. */
  private enqueue(fn: FnVal): void {
    this.pending.push(fn);
    this.rec?.pending.push(fn);
  }

  /**
   * Whether analysing a function with untainted parameters can find anything: it must
   * contain an MCP registration, an HTTP route or server, or a parameter typed as a request.
   */
  private mayHoldSources(fn: FnVal): boolean {
    if (!fn.unit.main) return false;
    const start = fn.node.pos;
    const end = fn.node.end;
    for (const call of this.main.regs.keys()) if (call.pos >= start && call.end <= end) return true;
    return MAY_HOLD_SOURCES.test(fn.unit.sf.text.slice(start, end));
  }

  private tick(): void {
    if ((++this.ticks & 127) === 0 && performance.now() > this.options.deadline) throw new Deadline();
  }

  // ---------------------------------------------------------------- units and imports

  private execUnit(unit: Unit): void {
    const scope = new Scope(undefined, unit, { ret: undefined }, false);
    unit.top = scope;
    unit.exports = new Map();
    for (const stmt of unit.sf.statements) if (isImportDeclaration(stmt)) this.bindImport(stmt, scope);
    this.runStatements(unit.sf.statements, scope);
    for (const stmt of unit.sf.statements) this.collectExports(stmt, unit, scope);
  }

  private bindImport(decl: ts.ImportDeclaration, scope: Scope): void {
    const spec = stringValue(decl.moduleSpecifier);
    const clause = decl.importClause;
    if (spec === undefined || !clause || clause.isTypeOnly) return;
    const local = this.localSpec(scope.unit.file, spec);
    const bind = (name: string, member: string | undefined) => {
      if (local !== undefined) {
        scope.set(name, { lazy: () => this.importLocal(scope.unit, local, member) });
        (scope.unit.imports ??= new Map()).set(name, { local, member });
      } else {
        const m = moduleOf(spec);
        scope.set(name, { ref: { module: m.module, path: member && member !== 'default' ? [...m.path, member] : m.path } });
      }
    };
    if (clause.name) bind(clause.name.text, 'default');
    const nb = clause.namedBindings;
    if (nb && isNamespaceImport(nb)) bind(nb.name.text, undefined);
    if (nb && isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        bind(el.name.text, el.propertyName ? propName(el.propertyName) : el.name.text);
      }
    }
  }

  /**
   * A specifier of a file of the project: relative, a path alias of its tsconfig (`~/x`, `@/x`)
   * or a package of its monorepo (`@org/core`), the last two given back as an absolute path.
   * Undefined for other packages.
   */
  private localSpec(fromFile: string, spec: string): string | undefined {
    if (isLocalSpecifier(spec)) return spec;
    const host = this.options.host;
    this.aliases ??= new PathAliases(
      (f) => {
        const t = host.readFile(f);
        if (!this.readLog.has(f)) this.readLog.set(f, t);
        return t;
      },
      // Packages of the file's monorepo too (./workspaces.ts), when the host can list folders.
      host.readDir && ((d) => host.readDir!(d)),
    );
    return this.aliases.resolve(fromFile, spec);
  }

  /** Value of an export of a local module (`undefined` member = the namespace). */
  private importLocal(from: Unit, spec: string, member: string | undefined): Val {
    const unit = this.loadUnit(from, spec);
    if (!unit) return EMPTY;
    if (member === undefined) {
      const props = new Map<string, Val>();
      this.allExports(unit, props, new Set());
      return { props };
    }
    if (member === 'default') return unit.defaultExport ?? unit.exports?.get('default') ?? EMPTY;
    return this.exportOf(unit, member, new Set()) ?? unit.defaultExport?.props?.get(member) ?? EMPTY;
  }

  /**
   * A list another module exports, grown here (`toolRegistry.push(askGeminiTool, ...)` in
   * jamubc/gemini-mcp-tool's tools/index.ts, the list declared and searched by registry.ts): the
   * module that declares it sees the new value too, in its scope and its exports.
   */
  private writeThroughImport(name: string, val: Val, scope: Scope): void {
    let s: Scope | undefined = scope;
    while (s && !s.has(name)) s = s.parent;
    if (!s || s !== scope.unit.top) return;
    const imp = scope.unit.imports?.get(name);
    if (!imp || imp.member === undefined || imp.member === 'default') return;
    const src = this.loadUnit(scope.unit, imp.local);
    const owner = src ? this.exportOwner(src, imp.member, new Set()) : undefined;
    if (!owner) return;
    owner.exports!.set(imp.member, val);
    if (owner.top?.has(imp.member)) owner.top.set(imp.member, val);
    if (this.rec) this.rec.pure = false;
  }

  /** The unit whose own exports hold `name`, itself or one it re-exports whole. */
  private exportOwner(unit: Unit, name: string, seen: Set<Unit>): Unit | undefined {
    if (unit.exports?.has(name)) return unit;
    if (!unit.starExports || seen.has(unit)) return undefined;
    seen.add(unit);
    for (const spec of unit.starExports) {
      const inner = this.loadUnit(unit, spec);
      const owner = inner ? this.exportOwner(inner, name, seen) : undefined;
      if (owner) return owner;
    }
    return undefined;
  }

  /** A unit's export `name`, its own or one of its star re-exports' (`export * from`). */
  private exportOf(unit: Unit, name: string, seen: Set<Unit>): Val | undefined {
    const own = unit.exports?.get(name);
    if (own !== undefined || !unit.starExports || seen.has(unit)) return own;
    seen.add(unit);
    for (const spec of unit.starExports) {
      const inner = this.loadUnit(unit, spec);
      const v = inner ? this.exportOf(inner, name, seen) : undefined;
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Every export of a unit (a namespace import), its star re-exports' after its own; never their defaults. */
  private allExports(unit: Unit, into: Map<string, Val>, seen: Set<Unit>): void {
    if (seen.has(unit)) return;
    seen.add(unit);
    const top = seen.size === 1;
    for (const [k, v] of unit.exports ?? []) if (!into.has(k) && (top || k !== 'default')) into.set(k, v);
    for (const spec of unit.starExports ?? []) {
      const inner = this.loadUnit(unit, spec);
      if (inner) this.allExports(inner, into, seen);
    }
  }

  private loadUnit(from: Unit, spec: string): Unit | undefined {
    if (from.depth >= MAX_MODULE_DEPTH) return undefined;
    const candidates = localModuleCandidates(from.file, spec);
    for (const c of candidates) {
      if (this.units.has(c)) return this.units.get(c) ?? undefined;
    }
    for (const c of candidates) {
      const unit = this.loadFile(c, from.depth + 1, from.file);
      if (unit) return unit;
    }
    return undefined;
  }

  /** Reads, parses and runs an imported file; undefined when it is missing or cannot be parsed. */
  private loadFile(c: string, depth: number, from: string): Unit | undefined {
    const text = this.options.host.readFile(c);
    if (!this.readLog.has(c)) this.readLog.set(c, text);
    if (text === undefined) return undefined;
    // A bundle checked in as a module (chrome-devtools-mcp's 3.5 MB lighthouse bundle, re-exported
    // by its third_party/index.ts) is generated code the linter does not analyse either; parsing
    // it took the whole per-file budget of every file importing it.
    if (text.length > MAX_MODULE_CHARS) return undefined;
    // An imported module the parser could hang on is treated as unknown code.
    const parsed = this.options.modules ? this.options.modules.parse(c, text) : parseModule(c, text);
    if (!parsed) return undefined;
    this.units.set(c, null);
    const unit: Unit = { file: c, sf: parsed.sf, lines: parsed.lines, main: false, depth, regs: new Map() };
    this.units.set(c, unit);
    if (this.rec) {
      this.rec.loads.push({ file: c, from, depth });
      this.rec.events.push(`L${c}\u0000${from}\u0000${depth}`);
      this.rec.foreign = true;
    }
    this.execUnit(unit);
    return unit;
  }

  private collectExports(stmt: ts.Statement, unit: Unit, scope: Scope): void {
    const exported = (n: ts.Node) => canHaveModifiers(n) && (getModifiers(n) ?? []).some((m) => m.kind === SyntaxKind.ExportKeyword);
    const isDefault = (n: ts.Node) => canHaveModifiers(n) && (getModifiers(n) ?? []).some((m) => m.kind === SyntaxKind.DefaultKeyword);
    if ((isFunctionDeclaration(stmt) || isClassDeclaration(stmt)) && exported(stmt)) {
      const v = stmt.name ? this.lookup(stmt.name.text, scope) : undefined;
      if (stmt.name && v) unit.exports!.set(stmt.name.text, v);
      if (isDefault(stmt)) {
        if (isFunctionDeclaration(stmt) && stmt.body) unit.defaultExport = { fn: { node: stmt, scope, unit, name: stmt.name?.text ?? 'default' } };
        else if (v) unit.defaultExport = v;
      }
    } else if (isVariableStatement(stmt) && exported(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (isIdentifier(d.name)) unit.exports!.set(d.name.text, this.lookup(d.name.text, scope) ?? EMPTY);
      }
    } else if (isExportDeclaration(stmt) && stmt.exportClause && isNamedExports(stmt.exportClause)) {
      const spec = stringValue(stmt.moduleSpecifier);
      for (const el of stmt.exportClause.elements) {
        const localName = el.propertyName ? (propName(el.propertyName) ?? el.name.text) : el.name.text;
        const local = spec !== undefined ? this.localSpec(unit.file, spec) : undefined;
        const v = local !== undefined ? this.importLocal(unit, local, localName) : this.lookup(localName, scope);
        unit.exports!.set(el.name.text, v ?? EMPTY);
      }
    } else if (isExportDeclaration(stmt) && !stmt.isTypeOnly && (!stmt.exportClause || isNamespaceExport(stmt.exportClause))) {
      // `export * from './registry.js'` (a barrel: its names are looked up when imported, see
      // exportOf) and `export * as tools from './tools.js'`.
      const spec = stringValue(stmt.moduleSpecifier);
      const local = spec !== undefined ? this.localSpec(unit.file, spec) : undefined;
      if (local === undefined) return;
      if (!stmt.exportClause) (unit.starExports ??= []).push(local);
      else unit.exports!.set(stmt.exportClause.name.text, this.importLocal(unit, local, undefined));
    } else if (isExportAssignment(stmt)) {
      unit.defaultExport = this.ev(stmt.expression, scope);
    }
  }

  // ---------------------------------------------------------------- scopes

  private lookup(name: string, scope: Scope): Val | undefined {
    let narrows: Narrow[] | undefined;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const n = s.narrows?.get(name);
      if (n) narrows = narrows ? narrows.concat(n) : n;
      const v = s.get(name);
      if (v !== undefined) {
        let val = v;
        if (v.lazy) {
          val = v.lazy();
          s.set(name, val);
          // An import resolved now reads its module's exports as they are now: a replay resolves it at the same point.
          if (this.rec && !this.isLocal(s, this.rec)) {
            if (s === this.main.top) {
              this.rec.lazies.push(name);
              this.rec.events.push(`Z${name}`);
            }
            else this.rec.ok = false;
          }
        }
        return narrows ? applyNarrows(val, narrows) : val;
      }
    }
    return undefined;
  }

  private declare(name: string, val: Val, scope: Scope): void {
    scope.set(name, val);
  }

  private assign(name: string, val: Val, scope: Scope): void {
    let weak = false;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      s.narrows?.delete(name);
      if (s.has(name)) {
        if (this.rec && !this.isLocal(s, this.rec)) this.rec.pure = false;
        s.calls?.delete(name);
        if (s.nesting < summaryNesting && val.t) for (const o of val.t) if (o.owner && o.src === undefined) o.owner.storesParams = true;
        s.set(name, weak ? join(s.get(name)!, val) : val);
        return;
      }
      if (s.branch && !weak) {
        weak = true;
        (s.writes ??= new Map()).set(name, val);
      }
    }
    // Assignment to an undeclared name: treat as a global of the unit.
    let top = scope;
    while (top.parent) top = top.parent;
    if (this.rec) this.rec.pure = false;
    top.set(name, val);
  }

  // ---------------------------------------------------------------- functions

  private runFunction(fn: FnVal, params: readonly Val[], thisProps?: Map<string, Val>, self?: ts.ClassLikeDeclaration): Val {
    this.analyzed.add(fn.node);
    if (this.rec) {
      this.rec.analyzed.add(fn.node);
      this.logEvent('A', fn.node);
    }
    this.running.add(fn.node);
    try {
      return this.runFunctionBody(fn, params, thisProps, self);
    } finally {
      this.running.delete(fn.node);
    }
  }

  private runFunctionBody(fn: FnVal, params: readonly Val[], thisProps: Map<string, Val> | undefined, selfCls?: ts.ClassLikeDeclaration): Val {
    const cls = isMethodDeclaration(fn.node) || isConstructorDeclaration(fn.node) ? (fn.node.parent as ts.ClassLikeDeclaration) : fn.scope.frame.cls;
    const inherited = thisProps ?? (isArrowFunction(fn.node) ? fn.scope.frame.thisProps : undefined);
    const self = selfCls ?? (isArrowFunction(fn.node) ? fn.scope.frame.self : undefined);
    const frame: Frame = {
      ret: undefined,
      ...(cls && (isClassDeclaration(cls) || isClassExpression(cls)) ? { cls } : {}),
      ...(inherited ? { thisProps: inherited } : {}),
      ...(self ? { self } : {}),
    };
    const scope = new Scope(fn.scope, fn.unit, frame, false);
    fn.node.parameters.forEach((p, i) => {
      let v = params[i] ?? EMPTY;
      if (!v.t && fn.unit.main) v = this.typedSource(p, fn.unit) ?? v;
      if (p.initializer) {
        const init = this.ev(p.initializer, scope);
        // `pathImpl: PathImpl = path`: with no module given, the default's (a summary sees both).
        v = init.ref && !v.ref && !v.fn && !v.props && !v.inst ? { ...join(v, init), ref: init.ref } : join(v, init);
      }
      // `service: FigmaService` where no instance is known (a summary's parameter): the
      // methods called on it are the class's (Figma-Context-MCP, CVE-2025-53967).
      if (!v.inst && !v.fn && !v.props && !v.alts && p.type && isTypeReferenceNode(p.type) && isIdentifier(p.type.typeName)) {
        const cls = this.classNamed(p.type.typeName.text, fn.scope, fn.unit);
        if (cls) v = { ...v, inst: cls, props: this.declaredFields(cls, scope) };
      }
      this.bindPattern(p.name, v, scope, true, isIdentifier(p.name) ? `parameter '${p.name.text}'` : undefined);
    });
    const body = fn.node.body;
    if (!body) return EMPTY;
    if (isBlock(body)) this.runStatements(body.statements, scope);
    else frame.ret = join(frame.ret ?? EMPTY, this.ev(body, scope));
    return this.declaredResult(fn, frame.ret ?? EMPTY, scope);
  }

  /**
   * A result in which no object is known (a registry's `new registry[name]()`, a value of
   * another package) is an instance of the project class the function's declared return type
   * names, so the methods called on it are the class's: `(): Fetcher`, `(): Promise<Fetcher>`,
   * `(): Fetcher | undefined` (the Python analysis reads return annotations the same way:
   * mcp-atlassian's `-> ConfluenceFetcher`, CVE-2026-77262).
   */
  private declaredResult(fn: FnVal, v: Val, scope: Scope): Val {
    if (fn.node.type && v.t && declaresNonString(fn.node.type)) return { ...v, notString: true };
    if (v.inst || v.fn || v.props || v.alts || !fn.node.type) return v;
    const name = classTypeName(fn.node.type);
    const cls = name !== undefined ? this.classNamed(name, fn.scope, fn.unit) : undefined;
    return cls ? { ...v, inst: cls, props: this.declaredFields(cls, scope) } : v;
  }

  /**
   * The class a type name denotes in `scope` of `unit`: a class in scope, or one imported for
   * its type only (`import type { Service } from './service.js'`), which binds no value.
   */
  private classNamed(name: string, scope: Scope, unit: Unit): ts.ClassLikeDeclaration | undefined {
    const cls = this.lookup(name, scope)?.cls;
    if (cls) return cls;
    const imported = namedImport(unit.sf, name);
    const local = imported ? this.localSpec(unit.file, imported.spec) : undefined;
    if (!imported || local === undefined) return undefined;
    const v = this.importLocal(unit, local, imported.element.propertyName ? propName(imported.element.propertyName) : name);
    return (v.lazy ? v.lazy() : v).cls;
  }

  /**
   * An MCP client's OAuth provider (the SDK's `OAuthClientProvider`, implemented by a class or
   * given as a typed object): the SDK calls its `redirectToAuthorization(url)` with the
   * authorization endpoint the remote MCP server's metadata names, so a malicious server
   * chooses that URL (mcp-remote, CVE-2025-6514: it reached `open`, a shell on Windows).
   */
  private runOAuthProviders(): void {
    const sf = this.main.sf;
    if (!OAUTH_PROVIDER.test(sf.text) || !sf.text.includes('redirectToAuthorization')) return;
    const top = this.main.top!;
    const run = (m: ts.MethodDeclaration, self?: ts.ClassLikeDeclaration): void => {
      const p = m.parameters[0];
      if (!m.body || !p || this.analyzed.has(m)) return;
      const name = isIdentifier(p.name) ? p.name.text : 'authorizationUrl';
      const url = this.sourceVal(name, "authorization URL from the MCP server's metadata", spanOf(p.name, sf), this.main);
      this.runFunction({ node: m, scope: top, unit: this.main, name: 'redirectToAuthorization' }, [url], new Map(), self);
    };
    const redirectOf = (members: ts.NodeArray<ts.ClassElement | ts.ObjectLiteralElementLike>): ts.MethodDeclaration | undefined =>
      members.find((x): x is ts.MethodDeclaration => isMethodDeclaration(x) && propName(x.name) === 'redirectToAuthorization');
    for (const st of sf.statements) {
      if (isClassDeclaration(st) && st.heritageClauses?.some((h) => h.types.some((t) => OAUTH_PROVIDER.test(t.getText(sf))))) {
        const m = redirectOf(st.members);
        if (m) run(m, st);
      } else if (isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          const init = d.initializer && unwrap(d.initializer);
          if (d.type && OAUTH_PROVIDER.test(d.type.getText(sf)) && init && isObjectLiteralExpression(init)) {
            const m = redirectOf(init.properties);
            if (m) run(m);
          }
        }
      }
    }
  }

  /** HTTP request parameters recognised by their declared type (`req: IncomingMessage`). */
  private typedSource(p: ts.ParameterDeclaration, unit: Unit): Val | undefined {
    const type = p.type;
    if (!type || !isTypeReferenceNode(type)) return undefined;
    const tn = type.typeName;
    const name = isIdentifier(tn) ? tn.text : tn.right.text;
    const pname = isIdentifier(p.name) ? p.name.text : 'request';
    // The MCP SDK's `Request` (a JSON-RPC request: `handleCallTool(request: Request)`) is no HTTP
    // request; its parameters are the tool call's, which the registration makes sources.
    if (HTTP_REQ_TYPES.has(name) && !(isIdentifier(tn) && namedImport(unit.sf, name)?.spec.startsWith('@modelcontextprotocol/sdk'))) {
      if (name === 'Request' && isIdentifier(tn) && isFetchRequestHelper(p, unit.sf)) return undefined;
      return this.sourceVal(pname, 'HTTP request', spanOf(p.name, unit.sf), unit, 'http-req');
    }
    if (name === 'Context' && /^(?:c|ctx|context)$/.test(pname)) return this.sourceVal(pname, 'HTTP request', spanOf(p.name, unit.sf), unit, 'hono-ctx');
    return undefined;
  }

  private summaryOf(fn: FnVal): Summary {
    const existing = this.summaries.get(fn.node);
    if (existing) {
      if (this.rec && !this.rec.summaries.includes(existing)) this.rec.summaries.push(existing);
      return existing;
    }
    const s: Summary = { fn, hits: [], ret: undefined, done: false, createdAt: this.stmtCounter, serial: this.summarySerial++ };
    if (this.rec && fn.unit !== this.main) this.rec.foreign = true;
    this.summaries.set(fn.node, s);
    if (this.rec) {
      this.rec.summaries.push(s);
      this.logEvent('S', fn.node);
    }
    const params = fn.node.parameters.map((p, i): Val => ({
      t: [{ param: i, keys: [], owner: s, step: undefined, clean: 0, flags: 0 }],
      asPassed: true,
      ...(p.dotDotDotToken ? { spread: true } : {}),
    }));
    summaryNesting++;
    try {
      s.ret = this.runFunction(fn, params);
    } finally {
      summaryNesting--;
    }
    s.done = true;
    return s;
  }

  /**
   * A call of a function whose body the engine can see: apply its summary. `call` is where the
   * call happens: the call expression, or the argument registering an imported handler.
   */
  private applySummary(fn: FnVal, args: readonly Val[], argNodes: readonly ts.Expression[], call: ts.Node, scope: Scope): Val {
    const s = this.summaryOf(fn);
    // `setRoots(args.dirs)` from a tool: the module variable must hold the client's data. The
    // function runs with these arguments for that, muted: its flows are the summary's, below.
    if (s.storesParams && !this.isRunning(fn.node) && args.some((a) => a.t?.some((o) => o.src !== undefined))) {
      const was = this.muted;
      this.muted = true;
      try {
        this.runFunction(fn, args);
      } finally {
        this.muted = was;
      }
    }
    let span: Span | undefined;
    const callSpan = (): Span => (span ??= spanOf(call, scope.unit.sf));
    const instantiate = (o: Origin, extraSteps: Step | undefined): Origin[] => {
      if (o.owner !== s) return [o];
      const i = o.param ?? 0;
      const actual = args[i] ?? (fn.node.parameters[i]?.dotDotDotToken ? joinAll(args.slice(i)) : EMPTY);
      const projected = this.project(actual, o.keys ?? [], argNodes[i] ?? call, scope);
      const argSpan = argNodes[i] ? spanOf(argNodes[i]!, scope.unit.sf) : callSpan();
      // What the caller checked of the value it passes, for a join under a base in the helper:
      // every value a rest parameter gathers must have been checked.
      const passed = o.keys?.length ? [] : fn.node.parameters[i]?.dotDotDotToken ? args.slice(i) : args[i] ? [args[i]!] : [];
      const checked = passed.length > 0 && passed.every((a) => !a.t || a.noDotDot) ? (passed.every((a) => !a.t || a.notAbs) ? UNDER_BASE | UNDER_BASE_ABS : UNDER_BASE) : 0;
      const out: Origin[] = [];
      for (const ao of projected.t ?? []) {
        let step = pushStep(ao.step, `passed to '${fn.name}'`, argSpan, scope.unit);
        step = replay(step, o.step);
        if (extraSteps) step = replay(step, extraSteps);
        out.push(combine(ao, o, step, checked));
      }
      return out;
    };
    /**
     * A vector this call passes, re-checked with what it holds: `check` picks the elements that
     * make a finding, and each is reported for the origins of `origin` its own taint carries.
     */
    const emitElements = (elems: readonly Val[], check: (views: ArgView[]) => readonly ArgView[], origin: Origin, tail: Step | undefined, hit: Hit): void => {
      const views = elems.map((e) => ({ v: e, av: { node: undefined, tainted: !!e.t?.length, fixedPrefix: !!e.fixedPrefix, ...(e.str !== undefined ? { str: e.str } : {}) } as ArgView }));
      const bad = new Set(check(views.map((x) => x.av)));
      for (const { v, av } of views) {
        if (!bad.has(av)) continue;
        for (const o of instantiate({ ...origin }, tail)) if (v.t?.some((x) => sameOrigin(x, o))) this.emit(hit, o);
      }
    };
    for (const { hit, origin } of s.hits) {
      let h = hit;
      let tail: Step | undefined;
      if (hit.unit !== scope.unit) {
        // The sink is in another module: report at this call, keep the real sink as a step.
        tail = { label: `passed to '${hit.sinkName}'`, span: hit.sinkSpan, unit: hit.unit, prev: undefined, n: 1 };
        h = { ...hit, sinkSpan: callSpan(), unit: scope.unit, data: { ...hit.data, via: fn.name }, rebased: true };
        const i = origin.param ?? 0;
        if (argNodes[i]) h = { ...h, argSpan: spanOf(argNodes[i]!, scope.unit.sf) };
      }
      if (hit.kind === 'timing' && typeof hit.data?.secretParam === 'number') {
        // A comparison of two parameters: a finding where this call passes a secret on one
        // side and attacker data on the other.
        const sp = hit.data.secretParam;
        const sv = args[sp];
        const secretName = sv && !sv.t ? (sv.secret ?? (argNodes[sp] ? secretNameOf(argNodes[sp]!) : undefined)) : undefined;
        if (!secretName) continue;
        const { secretParam: _sp, ...rest } = hit.data;
        const resolved: Hit = { ...h, data: { ...rest, secretName } };
        for (const o of instantiate(origin, tail)) this.emit(resolved, o);
        continue;
      }
      if (hit.data?.shape === 'split-param') {
        // The helper splits its parameter into program and vector: what this call passes decides.
        const { shape: _shape, splitParam: _sp, sep, ...data } = hit.data;
        const words = !origin.keys?.length ? splitVal(args[origin.param ?? 0] ?? EMPTY, sep as string) : undefined;
        const program = words?.elems?.[0]?.str;
        if (program === undefined || !words?.elems) {
          // Text of unknown start: the client may pick the program itself.
          if (hit.kind === 'command') for (const o of instantiate(origin, tail)) this.emit({ ...h, data }, o);
          continue;
        }
        emitElements(words.elems.slice(1), (views) => programVectorHits(program, views, hit.kind), origin, tail, { ...h, data: { ...data, program } });
        continue;
      }
      if (hit.data?.shape === 'program-param') {
        // The helper runs its parameters as program and vector: check what this call passes.
        const program = args[hit.data.programParam as number]?.str;
        const actual = args[origin.param ?? 0];
        if (program !== undefined && actual?.elems && !origin.keys?.length) {
          const { shape: _shape, programParam: _pp, ...data } = hit.data;
          emitElements(actual.elems, (views) => programVectorHits(program, views, hit.kind), origin, tail, { ...h, data: { ...data, program } });
        }
        continue;
      }
      if (hit.kind === 'argument' && hit.data?.shape === 'unknown' && !origin.keys?.length) {
        // The helper passes its parameter as the whole argument vector: check the vector
        // this call builds (`runGit(['checkout', '--', branch])` is safe).
        const actual = args[origin.param ?? 0];
        if (actual?.elems && typeof hit.data.program === 'string') {
          const program = hit.data.program;
          const { shape: _shape, ...data } = hit.data;
          emitElements(actual.elems, (views) => optionInjections(program, views), origin, tail, { ...h, data });
          continue;
        }
      }
      // The helper puts its parameter in an option position: a value this call glues to a
      // constant start (`https://api.figma.com/v1/files/${key}`, `--format=${x}`) is no option.
      if (hit.kind === 'argument' && !origin.keys?.length && args[origin.param ?? 0]?.fixedPrefix) continue;
      // The sink runs only when the parameter is a string; this call passes bytes.
      if (origin.flags & STRING_ONLY && !origin.keys?.length && args[origin.param ?? 0]?.notString) continue;
      // The helper appends its parameter to a fixed origin; this call passes a path (`/host/${ip}`).
      if (hit.kind === 'ssrf' && origin.flags & AFTER_ORIGIN && !origin.keys?.length && startsPath(args[origin.param ?? 0])) continue;
      for (const o of instantiate(origin, tail)) this.emit(h, o);
    }
    const ret = s.ret ?? EMPTY;
    if (!ret.t) return stripTaint(ret);
    // A helper that returns a normalised form of its only parameter names the same file.
    const alias = fn.node.parameters.length === 1 && argNodes[0] && ret.t.every((o) => o.owner === s && o.param === 0 && !o.keys?.length && o.flags & NORM) ? keyOf(argNodes[0]) : undefined;
    const taintOfThisCall = (vt: readonly Origin[]): Origin[] | undefined => {
      const t: Origin[] = [];
      for (const o of vt) {
        for (const x of instantiate(o, undefined)) {
          t.push(o.owner === s ? { ...x, step: pushStep(x.step, `returned from '${fn.name}'`, callSpan(), scope.unit) } : x);
        }
      }
      return t.length ? capLocal(t) : undefined;
    };
    // The fields and elements of a returned object or list hold the helper's parameters too
    // (`return { sanitizedPath: p, ... }`): they are this call's arguments, as its taint is.
    const forThisCall = (v: Val, depth: number): Val => {
      if (depth > 2 || !(v.props || v.elems)) return v;
      const next: Mutable<Val> = { ...v };
      if (v.props) {
        const props = new Map<string, Val>();
        for (const [k, pv] of v.props) props.set(k, forThisCall(pv.t ? { ...pv, t: taintOfThisCall(pv.t) } : pv, depth + 1));
        next.props = props;
      }
      if (v.elems) next.elems = v.elems.map((e) => forThisCall(e.t ? { ...e, t: taintOfThisCall(e.t) } : e, depth + 1));
      return next;
    };
    // `ret` with its taint replaced (an absent `t` and an undefined one read the same everywhere).
    const out: Mutable<Val> = { ...forThisCall(ret, 0), t: taintOfThisCall(ret.t) };
    if (alias) out.aliasOf = alias;
    // A helper that returns a parameter as it is (`defineTool(definition)`, which only types a
    // tool definition, chrome-devtools-mcp): the result is this call's argument, its handler
    // function and fields included, not only its taint.
    const through = ret.t.find((o) => o.owner === s && o.param !== undefined && !o.keys?.length && !o.clean);
    const passed = through ? args[through.param!] : undefined;
    if (passed && (passed.fn || passed.props || passed.alts)) {
      if (passed.fn) out.fn = passed.fn;
      if (passed.props) {
        out.props = passed.props;
        if (passed.closed) out.closed = true;
      }
      if (passed.alts) out.alts = passed.alts;
    }
    return out;
  }

  /** Property access path `keys` applied to a value (for destructured helper parameters). */
  private project(v: Val, keys: readonly string[], node: ts.Node, scope: Scope): Val {
    let cur = v;
    for (const k of keys) {
      // Origins take no step into a list's elements (`for (const op of ops) op.path` is `ops`
      // with key 'path'): a field of a list of known objects is a field of its elements.
      if (cur.elems && cur.closed && k !== 'length' && !/^\d+$/.test(k)) cur = elementOf(cur);
      cur = this.access(cur, k, node, scope);
    }
    return cur;
  }

  // ---------------------------------------------------------------- sources

  private sourceVal(name: string, kind: string, span: Span, unit: Unit, role?: Role, extra?: Partial<Origin>): Val {
    const step: Step = { label: `${kind} '${name}'`, span, unit, prev: undefined, n: 1 };
    return { t: [{ src: { name, kind }, step, clean: 0, flags: 0, ...(role ? { role } : {}), ...extra }] };
  }

  /** Values for a registration handler's parameters; `shape`: argument masks that replace the model's (a definition's own schema). */
  private handlerParams(reg: McpRegistration, fn: ts.FunctionLikeDeclaration, unit: Unit, shape?: ReadonlyMap<string, number>): Val[] {
    const span = (i: number) => (fn.parameters[i] ? spanOf(fn.parameters[i]!.name, unit.sf) : spanOf(fn, unit.sf));
    const pname = (i: number, d: string) => {
      const n = fn.parameters[i]?.name;
      return n && isIdentifier(n) ? n.text : d;
    };
    const extra = (i: number) => this.sourceVal(pname(i, 'extra'), 'request context', span(i), unit, 'extra');
    switch (reg.inputShape) {
      case 'args': {
        if (!reg.takesArgs) return [extra(0)];
        const masks = new Map<string, number>(shape);
        let fields: Map<string, ts.ObjectLiteralExpression> | undefined;
        if (!shape) {
          for (const p of reg.params) {
            masks.set(p.name, schemaMask(p.schema));
            if (p.schema.fields) (fields ??= new Map()).set(p.name, p.schema.fields);
          }
        }
        const leafKind = reg.kind === 'prompt' ? 'prompt argument' : 'tool argument';
        return [this.sourceVal(pname(0, 'args'), `${leafKind}s`, span(0), unit, 'tool-args', { masks, leafKind, ...(fields ? { fields } : {}) }), extra(1)];
      }
      case 'request':
        return [this.sourceVal(pname(0, 'request'), 'request', span(0), unit, 'll-request', { leafKind: reg.kind === 'prompt' ? 'prompt argument' : 'tool argument' }), extra(1)];
      case 'resource-template':
        return [
          this.sourceVal(pname(0, 'uri'), 'resource URI', span(0), unit),
          this.sourceVal(pname(1, 'variables'), 'resource template variables', span(1), unit, 'template-vars'),
          extra(2),
        ];
      case 'resource':
        return [EMPTY, extra(1)];
    }
  }

  // ---------------------------------------------------------------- sinks

  private emit(hit: Hit, o: Origin): void {
    if (o.clean & bit(hit.kind)) return;
    if (hit.kind === 'path' && o.flags & CONTAINED) return;
    const at = this.foreignCall;
    if (at && !o.owner && hit.unit !== this.main) {
      // As for a summary's hit in another module: reported at the analysed file's call, with
      // the real sink as the path's last step.
      if (!hit.rebased) o = { ...o, step: pushStep(o.step, `passed to '${hit.sinkName}'`, hit.argSpan ?? hit.sinkSpan, hit.unit) };
      const { argSpan: _argSpan, ...rest } = hit;
      hit = { ...rest, sinkSpan: at.span, unit: this.main, data: { ...hit.data, via: at.name }, rebased: true };
    }
    if (o.owner) {
      // A summary made before this statement's run is shared with other statements.
      if (this.rec && (o.owner.done || o.owner.serial < this.rec.firstSummary)) this.rec.pure = false;
      // A hit rebased to a call into another module is one per real sink behind it (its last
      // step): two classes' methods reached through one call (`dbAdapter.all(q)` on a SQLite
      // or a PostgreSQL adapter) are two sinks, not one.
      const sameSink = (x: { hit: Hit; origin: Origin }) => !hit.rebased || (x.origin.step?.span.start === o.step?.span.start && x.origin.step?.unit === o.step?.unit);
      if (!o.owner.hits.some((x) => x.hit.sinkSpan.start === hit.sinkSpan.start && x.hit.kind === hit.kind && x.origin.param === o.param && sameKeys(x.origin.keys, o.keys) && sameSink(x))) {
        o.owner.hits.push({ hit, origin: o });
      }
      return;
    }
    if (!o.src || hit.unit !== this.main || this.muted) return;
    const rec = this.rec;
    // Without a recording, a flow already reported at this sink costs nothing more; a recording
    // keeps it, because whether it is dropped depends on statements a replay does not re-run.
    const chain: Step[] = [];
    for (let s = o.step; s; s = s.prev) chain.push(s);
    chain.reverse();
    if (!rec && !hit.rebased && this.seen.has(flowKey(hit.kind, hit.sinkSpan, this.entryOf([...chain, { span: hit.argSpan ?? hit.sinkSpan, unit: this.main }])))) return;
    const behind = hit.rebased ? this.behindCall(chain, hit) : undefined;
    const steps: { span: Span; label: string; unit: Unit }[] = chain.map((s) => ({ span: s.span, label: s.label, unit: s.unit }));
    if (!hit.rebased) {
      steps.push({ span: hit.argSpan ?? hit.sinkSpan, label: hit.kind === 'timing' ? `compared by '${hit.sinkName}'` : `passed to '${hit.sinkName}'`, unit: this.main });
    }
    const data: Record<string, unknown> = { ...hit.data };
    if (hit.kind === 'path' && o.reason) {
      data.reason = o.reason;
      if (o.guard) data.guard = o.guard;
    }
    const c: Candidate = {
      kind: hit.kind,
      sinkSpan: hit.sinkSpan,
      ...(hit.argSpan ? { argSpan: hit.argSpan } : {}),
      sinkName: hit.sinkName,
      sourceName: o.src.name,
      sourceKind: o.src.kind,
      steps,
      data,
      ...(behind !== undefined ? { behind } : {}),
    };
    rec?.flows.push(c);
    this.deliver(c);
  }

  /**
   * For a flow reported at a call into another module: where its innermost sink is (the first
   * step passing the value to the sink: a dispatcher's step into a helper repeats the sink's
   * label further down the path), and the functions of other modules its path runs through, in
   * order: the tool a dispatching call runs (each tool's handler and helpers), told apart from
   * another tool's reaching the same sink. See `flowKey`.
   */
  private behindCall(chain: readonly Step[], hit: Hit): string {
    const label = `passed to '${hit.sinkName}'`;
    const inner = chain.find((st) => st.label === label) ?? chain[chain.length - 1];
    const parts = [inner ? `${inner.unit.file}\0${inner.span.start}` : ''];
    let last = '';
    for (const st of chain) {
      if (st.unit === this.main) continue;
      const id = `${st.unit.file}#${functionAt(st.unit.sf, st.span.start)?.pos ?? -1}`;
      if (id !== last) parts.push((last = id));
    }
    return parts.join('\0');
  }

  /**
   * The entry point a flow's path runs through: the registration call around its first step in
   * the analysed file that lies in one (a tool's schema and handler; one call for the tools a loop
   * registers), else the function around its first step there (an HTTP handler), else the top
   * level. A sink of this file reached from two tools is two findings: the one a user accepts as
   * by design (a run-any-SQL tool) must not hide another tool's injection through the same helper
   * (jparkerweb/mcp-sqlite's `executeQuery`).
   */
  private entryOf(steps: readonly { readonly span?: Span; readonly unit: Unit }[]): string {
    let first: Span | undefined;
    for (const st of steps) {
      if (st.unit !== this.main || !st.span) continue;
      first ??= st.span;
      let best: ts.Node | undefined;
      for (const call of this.main.regs.keys()) {
        if (call.pos <= st.span.start && st.span.start < call.end && (!best || call.pos > best.pos)) best = call;
      }
      if (best) return `r${best.pos}`;
    }
    const fn = first && functionAt(this.main.sf, first.start);
    return fn ? `f${fn.pos}` : '';
  }

  /** Reports a flow unless one with the same `flowKey` was. */
  private deliver(c: Candidate): void {
    const key = c.behind === undefined ? flowKey(c.kind, c.sinkSpan, this.entryOf(c.steps)) : behindKey(c.kind, c.sinkSpan, c.behind);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const steps: FlowStep[] = c.steps.map((s) => ({ location: s.location ?? s.unit.lines.location(s.unit.file, s.span!), message: s.label }));
    this.flows.push({
      kind: c.kind as TaintFlow['kind'],
      sinkSpan: c.sinkSpan,
      ...(c.argSpan ? { argSpan: c.argSpan } : {}),
      sinkName: c.sinkName,
      sourceName: c.sourceName,
      sourceKind: c.sourceKind,
      steps,
      data: c.data,
    });
  }

  private checkCallSinks(node: ts.CallExpression | ts.NewExpression, callee: Val, recvName: string | undefined, args: readonly Val[], argNodes: readonly ts.Expression[], scope: Scope): void {
    // Only module functions in a sink table and methods of receivers recognised by name can be sinks.
    const calleeExpr = unwrap(node.expression);
    const name = isIdentifier(calleeExpr) ? calleeExpr.text : (accessName(calleeExpr) ?? '');
    if (!maySink(callee.ref?.module, name, recvName !== undefined)) return;
    if (!args.some(hasTaintDeep)) return;
    const views = new Map<ArgView, Val>();
    const view = (v: Val, n: ts.Expression | undefined): ArgView => {
      const av: Mutable<ArgView> = { node: n, tainted: !!v.t?.length, fixedPrefix: !!v.fixedPrefix };
      const only = v.t?.length === 1 ? v.t[0]! : undefined;
      if (only?.owner && only.param !== undefined && !only.keys?.length && !only.src) {
        if (v.splitOf) av.split = { ...v.splitOf, param: only.param };
        else av.param = only.param;
      }
      if (v.str !== undefined) av.str = v.str;
      if (v.truthy !== undefined) av.truthy = v.truthy;
      else if (v.str !== undefined) av.truthy = v.str !== '';
      if (v.elems) av.elems = v.elems.map((e) => view(e, undefined));
      if (v.spread) av.spread = true;
      if (v.props) {
        const props = new Map<string, ArgView>();
        for (const [k, pv] of v.props) props.set(k, view(pv, undefined));
        av.props = props;
      }
      views.set(av, v);
      return av;
    };
    const display = shortText(calleeExpr, scope.unit.sf);
    const cv: CallView = {
      node,
      isNew: isNewExpression(node),
      ...(callee.ref ? { ref: callee.ref } : {}),
      name,
      display,
      ...(recvName ? { receiverName: recvName } : {}),
      args: args.map((v, i) => view(v, argNodes[i])),
      promisified: !!callee.promisified,
    };
    const hits: SinkHit[] = callHits(cv, this.want);
    if (hits.length === 0) return;
    const sinkSpan = spanOf(node, scope.unit.sf);
    for (const h of hits) {
      const v = views.get(h.arg);
      if (!v?.t) continue;
      const argNode = h.arg.node ?? elementNode(h.arg, cv);
      const hit: Hit = {
        kind: h.kind,
        sinkSpan,
        ...(argNode ? { argSpan: spanOf(argNode, scope.unit.sf) } : {}),
        // A path handed to a file program (`execFile('markitdown', [p])`): the program opens it.
        sinkName: h.kind === 'path' && typeof h.data?.program === 'string' ? h.data.program : display,
        ...(h.data ? { data: h.data } : {}),
        unit: scope.unit,
      };
      for (const o of v.t) this.emit(hit, o);
    }
  }

  // ---------------------------------------------------------------- statements

  private runStatements(stmts: readonly ts.Statement[], scope: Scope): void {
    for (const s of stmts) this.hoist(s, scope);
    for (const s of stmts) {
      this.st(s, scope);
      // Code after an unconditional throw, return, break or continue never runs (a handler
      // stubbed with `throw new Error('not yet ported')` above its old body).
      if (alwaysExits(s)) break;
    }
  }

  /**
   * Whether a statement always leaves its block: `alwaysExits` (throw, return, break, continue,
   * `process.exit`), or a call of the project's function that never returns (`tagError(err):
   * never`, a helper ending in `throw` with no `return`), as in Figma-Context-MCP's `if
   * (!isWithin(dir, full)) tagError(...)`. The callee is looked up as the statement left it (an
   * import it used is resolved by then); an unresolved one counts as returning.
   */
  private exits(s: ts.Statement | undefined, scope: Scope): boolean {
    if (!s) return false;
    if (alwaysExits(s)) return true;
    if (isBlock(s)) return s.statements.some((x) => this.exits(x, scope));
    if (isIfStatement(s)) return !!s.elseStatement && this.exits(s.thenStatement, scope) && this.exits(s.elseStatement, scope);
    if (!isExpressionStatement(s)) return false;
    const call = unwrap(s.expression);
    if (!isCallExpression(call)) return false;
    const callee = unwrap(call.expression);
    if (!isIdentifier(callee)) return false;
    for (let sc: Scope | undefined = scope; sc; sc = sc.parent) {
      const v = sc.get(callee.text);
      if (v !== undefined) return !v.lazy && !!v.fn && neverReturns(v.fn.node);
    }
    return false;
  }

  private hoist(s: ts.Statement, scope: Scope): void {
    if (isFunctionDeclaration(s) && s.name && s.body) {
      const fn: FnVal = { node: s, scope, unit: scope.unit, name: s.name.text };
      this.declare(s.name.text, { fn }, scope);
      this.enqueue(fn);
    } else if (isClassDeclaration(s)) {
      for (const m of s.members) {
        if ((isMethodDeclaration(m) || isConstructorDeclaration(m)) && m.body) {
          this.enqueue({ node: m, scope, unit: scope.unit, name: m.name && !isConstructorDeclaration(m) ? (propName(m.name) ?? 'method') : 'constructor' });
        }
      }
      if (s.name) this.declare(s.name.text, { cls: s }, scope);
    }
  }

  private st(s: ts.Statement, scope: Scope): void {
    this.tick();
    const run = this.cacheRun;
    // Inside a recorded run, or while a replay re-makes summaries (whose flows the recording
    // holds), a registration statement is part of what is recorded or replayed.
    if (run && !this.rec && !this.muted && scope.unit === this.main) {
      const k = run.regIndex.get(s);
      if (k !== undefined) {
        this.cachedStatement(s, scope, k, run);
        return;
      }
    }
    if (isVariableStatement(s)) {
      const moduleLet = scope === scope.unit.top && !(s.declarationList.flags & ts.NodeFlags.Const);
      for (const d of s.declarationList.declarations) {
        let v = d.initializer ? this.ev(d.initializer, scope) : EMPTY;
        if (d.initializer && isConditionLike(d.initializer)) v = { ...v, cond: d.initializer };
        else if (d.initializer && isIdentifier(d.name)) {
          // `const err = validate(x); if (err) return ...`: the result's truthiness is the
          // helper's. Kept beside the value, not in it: most calls' results are never tested.
          const call = awaited(d.initializer);
          // An awaited call keeps its `await`: an async check tests a Promise without it.
          if (isCallExpression(call) && isIdentifier(unwrap(call.expression))) (scope.calls ??= new Map()).set(d.name.text, call === unwrap(d.initializer) ? call : d.initializer);
        }
        if (moduleLet && isIdentifier(d.name) && isEmptyInitializer(d.initializer)) v = join(v, this.lateValue(d.name.text, scope));
        this.bindPattern(d.name, v, scope, true, undefined);
      }
    } else if (isExpressionStatement(s)) {
      this.evDropped(s.expression, scope);
      this.applyOptionScreen(s.expression, scope);
      this.applyAssertion(s.expression, scope);
    } else if (isIfStatement(s)) {
      this.evDropped(s.expression, scope);
      // `if (args.out) args.out = validatePath(args.out);`: where the test fails the old value
      // is empty, so the store decides the value after the `if` as if it always ran.
      const thenScope = new Scope(scope, scope.unit, scope.frame, !!s.elseStatement || !storesWhereSet(s.expression, s.thenStatement));
      this.applyNarrowing(s.expression, true, thenScope);
      this.st(s.thenStatement, thenScope);
      let elseScope: Scope | undefined;
      if (s.elseStatement) {
        elseScope = new Scope(scope, scope.unit, scope.frame, true);
        this.applyNarrowing(s.expression, false, elseScope);
        this.st(s.elseStatement, elseScope);
      }
      if (thenScope.writes || elseScope?.writes) this.recordFlags(scope, thenScope.writes, elseScope?.writes);
      const thenExits = this.exits(s.thenStatement, scope);
      const elseExits = this.exits(s.elseStatement, scope);
      if (thenExits && !elseExits) this.applyNarrowing(s.expression, false, scope);
      else if (elseExits && !thenExits) this.applyNarrowing(s.expression, true, scope);
    } else if (isBlock(s)) {
      this.runStatements(s.statements, new Scope(scope, scope.unit, scope.frame, false));
    } else if (isReturnStatement(s)) {
      if (s.expression) {
        let v = this.ev(s.expression, scope);
        const swallowed = swallowedRealpathOf(scope);
        if (swallowed) v = unresolvedFallback(v, swallowed);
        scope.frame.ret = join(scope.frame.ret ?? EMPTY, v);
      }
    } else if (isThrowStatement(s)) {
      this.evDropped(s.expression, scope);
    } else if (isForOfStatement(s) || isForInStatement(s)) {
      const coll = this.ev(s.expression, scope);
      const loop = new Scope(scope, scope.unit, scope.frame, true);
      const el = isForOfStatement(s) ? elementOf(coll) : { ...(coll.t ? { t: coll.t } : {}) };
      const init = s.initializer;
      if (isVariableDeclarationList(init)) {
        for (const d of init.declarations) this.bindPattern(d.name, el, loop, true, undefined);
      } else {
        this.assignTarget(init, el, loop);
      }
      this.st(s.statement, loop);
    } else if (isForStatement(s)) {
      const loop = new Scope(scope, scope.unit, scope.frame, true);
      if (s.initializer) {
        if (isVariableDeclarationList(s.initializer)) {
          for (const d of s.initializer.declarations) this.bindPattern(d.name, d.initializer ? this.ev(d.initializer, loop) : EMPTY, loop, true, undefined);
        } else this.ev(s.initializer, loop);
      }
      if (s.condition) this.evDropped(s.condition, loop);
      this.st(s.statement, loop);
      if (s.incrementor) this.ev(s.incrementor, loop);
    } else if (isWhileStatement(s) || isDoStatement(s)) {
      this.evDropped(s.expression, scope);
      const loop = new Scope(scope, scope.unit, scope.frame, true);
      if (isWhileStatement(s)) this.applyNarrowing(s.expression, true, loop);
      this.st(s.statement, loop);
    } else if (isSwitchStatement(s)) {
      this.evDropped(s.expression, scope);
      const key = keyOf(s.expression);
      for (const clause of s.caseBlock.clauses) {
        const cs = new Scope(scope, scope.unit, scope.frame, true);
        if (key && isCaseClause(clause) && isLiteral(clause.expression)) cs.addNarrow(key, { clean: ALL });
        this.runStatements(clause.statements, cs);
      }
    } else if (isTryStatement(s)) {
      this.runStatements(s.tryBlock.statements, new Scope(scope, scope.unit, scope.frame, true));
      if (s.catchClause) {
        const cs = new Scope(scope, scope.unit, scope.frame, true);
        // CVE-2025-53109: the catch meant for "file does not exist yet" also swallows the failed
        // symlink check of the try block and hands back the path before realpath.
        const resolvedInTry = !taintShortcuts.enabled || this.mayCallRealpath(s.tryBlock) ? realpathCallIn(s.tryBlock) : undefined;
        if (resolvedInTry && !rethrowsAllButNotFound(s.catchClause.block)) cs.swallowedRealpath = spanOf(resolvedInTry, scope.unit.sf);
        const decl = s.catchClause.variableDeclaration;
        if (decl) this.bindPattern(decl.name, EMPTY, cs, true, undefined);
        this.runStatements(s.catchClause.block.statements, cs);
      }
      if (s.finallyBlock) this.runStatements(s.finallyBlock.statements, new Scope(scope, scope.unit, scope.frame, false));
    } else if (isLabeledStatement(s)) {
      this.st(s.statement, scope);
    } else if (isExportAssignment(s)) {
      this.ev(s.expression, scope);
    } else if (isClassDeclaration(s) || isFunctionDeclaration(s)) {
      // Hoisted; analysed when called, registered, or at the end.
    }
  }

  /**
   * False when `realpathCallIn(block)` is sure to find nothing: neither name it looks for is in
   * the block's text (an identifier's name is its text unless written with escapes, so a file
   * with `\\u` anywhere is always searched). Spares the walk of every `try` block.
   */
  private mayCallRealpath(block: ts.Block): boolean {
    const sf = block.getSourceFile();
    let at = this.realpathAt.get(sf);
    if (at === undefined) {
      const text = sf.text;
      at = null;
      if (!text.includes('\\u')) {
        at = [];
        for (let i = text.indexOf('realpath'); i >= 0; i = text.indexOf('realpath', i + 1)) at.push(i);
      }
      this.realpathAt.set(sf, at);
    }
    if (at === null) return true;
    for (const i of at) if (i >= block.pos && i < block.end) return true;
    return false;
  }

  /** Binds a declaration name or destructuring pattern to a value. */
  private bindPattern(name: ts.BindingName, v: Val, scope: Scope, declare: boolean, stepLabel: string | undefined): void {
    if (isIdentifier(name)) {
      let val = v;
      if (v.t) {
        const span = spanOf(name, scope.unit.sf);
        const label = stepLabel ?? `assigned to '${name.text}'`;
        let allOwned = true;
        for (const o of v.t) {
          if (!o.owner) {
            allOwned = false;
            break;
          }
        }
        const t: Origin[] = [];
        let changed = false;
        for (const o of v.t) {
          if (!allOwned && o.step && o.step.span.start === span.start) t.push(o);
          else {
            t.push({ ...o, step: pushStep(o.step, label, span, scope.unit) });
            changed = true;
          }
        }
        // Sources made at this very name (`{ target }` of a handler's arguments) keep their value.
        if (changed || !taintShortcuts.enabled) val = { ...v, t };
      }
      if (val.secret === undefined && !val.t && secretNamed(name.text) && val.str === undefined && (val.ref || val.props === undefined) && !val.fn) {
        // `const expected = getConfig().apiToken` keeps the variable's name as the secret's name.
        if (isSecretProducer(val)) val = { ...val, secret: name.text };
      }
      if (declare) this.declare(name.text, val, scope);
      else this.assign(name.text, val, scope);
      return;
    }
    if (isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        if (el.dotDotDotToken) {
          this.bindPattern(el.name, v, scope, declare, undefined);
          continue;
        }
        const key = el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
        let pv = key !== undefined ? this.access(v, key, el, scope) : stripFacts(v);
        if (el.initializer) pv = join(pv, this.ev(el.initializer, scope));
        this.bindPattern(el.name, pv, scope, declare, undefined);
      }
      return;
    }
    // Array pattern
    name.elements.forEach((el, i) => {
      if (isOmittedExpression(el)) return;
      if (el.dotDotDotToken && v.elems && (i < v.elems.length || !v.spread)) {
        // `[cmd, ...args]`: the rest of the known elements, still a list.
        const elems = v.elems.slice(i);
        const t = joinAll(elems).t;
        this.bindPattern(el.name, { elems, ...(t ? { t } : {}), ...(v.spread ? { spread: true } : {}) }, scope, declare, undefined);
        return;
      }
      const ev = v.elems?.[i] ?? elementOf(v);
      this.bindPattern(el.name, el.initializer ? join(ev, this.ev(el.initializer, scope)) : ev, scope, declare, undefined);
    });
  }

  /** Assignment to an arbitrary target expression. */
  private assignTarget(target: ts.Node, v: Val, scope: Scope): void {
    const t = isExpression(target) ? unwrap(target) : target;
    if (isIdentifier(t)) {
      this.bindPattern(t, v, scope, false, undefined);
    } else if (isPropertyAccessExpression(t) || isElementAccessExpression(t)) {
      const root = unwrap(t.expression);
      const rootName = isIdentifier(root) ? root.text : undefined;
      const key = accessName(t);
      if (t.expression.kind === SyntaxKind.ThisKeyword && key !== undefined) {
        const props = thisPropsOf(scope);
        if (props) {
          if (this.rec && !this.rec.localMaps.has(props)) this.rec.pure = false;
          props.set(key, inBranch(scope) ? join(props.get(key) ?? EMPTY, v) : v);
        }
        return;
      }
      // CommonJS exports.
      if (scope.unit.exports && isPropertyAccessExpression(t)) {
        const txt = t.expression.getText(scope.unit.sf);
        if (this.rec && (txt === 'module' || txt === 'exports' || txt === 'module.exports')) this.rec.pure = false;
        if (txt === 'module' && t.name.text === 'exports') {
          scope.unit.defaultExport = v;
          for (const [k, pv] of v.props ?? []) scope.unit.exports.set(k, pv);
          return;
        }
        if ((txt === 'exports' || txt === 'module.exports') && key) {
          scope.unit.exports.set(key, v);
          return;
        }
      }
      // `obj.prop = tainted` taints `obj` (weakly) and records the property.
      if (rootName) {
        const cur = this.lookup(rootName, scope);
        if (cur !== undefined) {
          const props = new Map(cur.props ?? []);
          if (key !== undefined) props.set(key, v);
          // Only a store at a key the analysis reads keeps the field list complete (`obj.key = v`,
          // `obj['key'] = v`; not `obj[k] = v` or `obj.a.b = v`).
          const closed = cur.closed && key !== undefined && isIdentifier(t.expression) ? true : undefined;
          // The field now holds `v` (a store in a branch joins, which keeps a field owned only
          // when both sides own it); a store at an unknown key may have replaced any of them.
          const own = key === undefined ? undefined : isIdentifier(t.expression) ? new Set([...(cur.own ?? []), key]) : cur.own;
          const next: Val = { ...cur, props, closed, own, ...(v.t ? { t: capOrigins([...(cur.t ?? []), ...v.t]) } : {}) };
          this.assign(rootName, next, scope);
        }
      }
    } else if (isObjectLiteralExpression(t) || isArrayLiteralExpression(t)) {
      // Destructuring assignment: treat each target as receiving the value's taint.
      for (const el of isObjectLiteralExpression(t) ? t.properties : t.elements) {
        if (isShorthandPropertyAssignment(el)) this.assignTarget(el.name, this.access(v, el.name.text, el, scope), scope);
        else if (isPropertyAssignment(el)) this.assignTarget(el.initializer, this.access(v, propName(el.name) ?? '', el, scope), scope);
        else if (isExpression(el)) this.assignTarget(el, elementOf(v), scope);
      }
    }
  }

  // ---------------------------------------------------------------- narrowing

  private applyNarrowing(cond: ts.Expression, pol: boolean, scope: Scope): void {
    const m = this.narrow(cond, pol, scope, 0);
    if (m) this.applyFacts(m, scope);
  }

  private applyFacts(m: ReadonlyMap<string, Narrow>, scope: Scope): void {
    for (const [k, n] of m) {
      scope.addNarrow(k, n);
      let v = this.lookupKey(k, scope);
      if (v?.urlOf && n.clean) scope.addNarrow(v.urlOf, { clean: n.clean });
      // A check of `normalize(p)` or `realpath(p)` says the same about the file `p` names.
      if (n.contain || n.reason) {
        for (let i = 0; i < 4 && v?.aliasOf; i++) {
          scope.addNarrow(v.aliasOf, fileFact(n));
          v = this.lookupKey(v.aliasOf, scope);
        }
      }
    }
  }

  /**
   * After `if (c) { p = tmp; isTemporary = true; } else { p = given; }`: a flag the branches set
   * to literals remembers what each branch gave the other variables, so that a later
   * `if (isTemporary) unlink(p)` sees the temporary path only (markdownify's cleanup).
   */
  private recordFlags(scope: Scope, ...branches: (Map<string, Val> | undefined)[]): void {
    for (const writes of branches) {
      if (!writes || writes.size < 2) continue;
      for (const [flag, fv] of writes) {
        if (fv.truthy === undefined || fv.t) continue;
        const vals = new Map([...writes].filter(([k]) => k !== flag));
        const after = new Map<string, Val>();
        for (const k of vals.keys()) {
          const cur = this.lookup(k, scope);
          if (cur) after.set(k, cur);
        }
        const cur = this.lookup(flag, scope);
        if (!cur || cur.t) continue;
        this.setExisting(flag, { ...cur, when: { pol: fv.truthy, vals, after } }, scope);
      }
    }
  }

  /** In a branch where a recorded flag holds: the variables take the values its branch gave them, unless changed since. */
  private applyBranchValues(when: NonNullable<Val['when']>, scope: Scope): void {
    for (const [k, v] of when.vals) {
      if (this.lookup(k, scope) !== when.after.get(k)) continue;
      scope.set(k, v);
    }
  }

  /** Replaces a variable's value where it is declared, without the join of a branch. */
  private setExisting(name: string, val: Val, scope: Scope): void {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.has(name)) {
        if (this.rec && !this.isLocal(s, this.rec)) this.rec.pure = false;
        s.set(name, val);
        return;
      }
    }
  }

  private lookupKey(key: string, scope: Scope): Val | undefined {
    if (!key.includes('.')) return this.lookup(key, scope);
    return undefined;
  }

  /** Facts a condition establishes about variables when it evaluates to `pol`. */
  private narrow(cond: ts.Expression, pol: boolean, scope: Scope, depth: number): Map<string, Narrow> | undefined {
    if (depth > 8) return undefined;
    const e = unwrap(cond);
    if (isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) return this.narrow(e.operand, !pol, scope, depth + 1);
    // `if (!(await isInside(p)))`: the awaited result of an async check.
    if (ts.isAwaitExpression(e)) {
      const inner = unwrap(e.expression);
      return isCallExpression(inner) ? this.narrowCall(inner, pol, scope, depth, true) : this.narrow(inner, pol, scope, depth + 1);
    }
    if (isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken) {
        const l = this.narrow(e.left, pol, scope, depth + 1);
        const r = this.narrow(e.right, pol, scope, depth + 1);
        const conj = (op === SyntaxKind.AmpersandAmpersandToken) === pol;
        return conj ? unionNarrow(l, r) : intersectNarrow(l, r);
      }
      if (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken) {
        const eq = (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken) === pol;
        // `err === null` (or undefined) for `const err = validate(x)`: the validator's result was falsy.
        if (eq) {
          for (const [a, b] of [[e.left, e.right], [e.right, e.left]] as const) {
            const u = unwrap(a);
            const cond = isNullish(b) && isIdentifier(u) ? (callOf(u.text, scope) ?? this.lookup(u.text, scope)?.cond) : undefined;
            if (cond) return this.narrow(cond, false, scope, depth + 1);
          }
        }
        return this.narrowEquality(e.left, e.right, eq, scope);
      }
      if (op === SyntaxKind.InKeyword && pol) {
        const k = keyOf(e.left);
        return k ? new Map([[k, { clean: ALL }]]) : undefined;
      }
      return undefined;
    }
    if (isIdentifier(e)) {
      const v = this.lookup(e.text, scope);
      if (v?.when && v.when.pol === pol) this.applyBranchValues(v.when, scope);
      // A helper's result (`const ok = await inside(p)`) is judged by the call here: a condition
      // the value carries out of the helper's body names that body's variables.
      const cond = callOf(e.text, scope) ?? v?.cond;
      if (cond) return this.narrow(cond, pol, scope, depth + 1);
      return undefined;
    }
    if (isCallExpression(e)) return this.narrowCall(e, pol, scope, depth);
    return undefined;
  }

  private narrowEquality(left: ts.Expression, right: ts.Expression, eq: boolean, scope: Scope): Map<string, Narrow> | undefined {
    const l = unwrap(left);
    const r = unwrap(right);
    // typeof x === 'number'
    for (const [a, b] of [[l, r], [r, l]] as const) {
      if (isTypeOfExpression(a) && eq) {
        const t = stringValue(b);
        const k = keyOf(a.expression);
        if (k && (t === 'number' || t === 'boolean' || t === 'bigint')) return new Map([[k, { clean: ALL }]]);
        // `typeof pdf === 'string' ? fs.readFile(pdf) : pdf` for bytes a helper returned: the
        // branch cannot run for them (DesktopCommanderMCP's loadPdfDocumentFromBuffer).
        if (k && t === 'string') return new Map([[k, this.ev(a.expression, scope).notString ? { clean: ALL } : { clean: 0, asString: true }]]);
        return undefined;
      }
    }
    for (const [a, b] of [[l, r], [r, l]] as const) {
      const k = keyOf(a);
      if (!k) continue;
      if (isLiteral(b)) {
        if (eq && !isNullish(b)) {
          // `rel === ''` for `rel = path.relative(root, p)`: p is the root itself.
          const relOf = stringValue(b) === '' ? this.ev(a, scope).relOf : undefined;
          const web = webUrlOf(k, [stringValue(b)]);
          return new Map<string, Narrow>([[k, { clean: ALL }], ...(relOf ? [[relOf, { clean: 0, contain: true }] as const] : []), ...(web ? [[web, { clean: KIND_BITS.command! }] as const] : [])]);
        }
        continue;
      }
      // `resolved === root`: equal to an untainted value.
      const bv = this.ev(b, scope);
      if (eq && !liveTaint(bv)) {
        const av = this.ev(a, scope);
        if (av.t) return new Map([[k, { clean: ALL & ~KIND_BITS.timing!, contain: true }]]);
      }
      // `rel !== '..'`-style checks are handled through startsWith below.
    }
    return undefined;
  }

  private narrowCall(e: ts.CallExpression, pol: boolean, scope: Scope, depth: number, awaited = false): Map<string, Narrow> | undefined {
    const callee = unwrap(e.expression);
    const method = accessName(callee) ?? (isIdentifier(callee) ? callee.text : undefined);
    const arg0 = e.arguments[0];
    if (!method) return undefined;
    const recvExpr = isPropertyAccessExpression(callee) || isElementAccessExpression(callee) ? callee.expression : undefined;
    // allow.has(x), allow.includes(x), Object.hasOwn(map, x), map.hasOwnProperty(x)
    if ((method === 'has' || method === 'includes' || method === 'hasOwnProperty') && recvExpr && arg0) {
      const recv = this.ev(recvExpr, scope);
      if (!liveTaint(recv)) {
        if (!pol) return undefined;
        const target = allowlistTarget(arg0);
        if (!target) return undefined;
        const list = unwrap(recvExpr);
        const web = ts.isArrayLiteralExpression(list) ? webUrlOf(target.key, list.elements.map((x) => stringValue(x))) : undefined;
        return new Map<string, Narrow>([[target.key, { clean: target.host ? KIND_BITS.ssrf! : ALL }], ...(web ? [[web, { clean: KIND_BITS.command! }] as const] : [])]);
      }
      // A string check on the tainted value: `p.includes('..')` false.
      const k = keyOf(recvExpr);
      const needle = stringValue(arg0);
      if (k && !pol && method === 'includes' && needle === '..' && recv.relOf) return new Map([[recv.relOf, { clean: 0, contain: true }]]);
      // `p.includes('..')` false on the path itself: joined under a base, it cannot leave it.
      // Not on a list (`parts.includes('..')` looks for a whole element only).
      if (k && !pol && method === 'includes' && needle === '..' && !recv.elems && !recv.spread) return new Map([[k, { clean: 0, noDotDot: true }]]);
      return undefined;
    }
    if (method === 'hasOwn' && e.arguments[1] && pol) {
      const k = keyOf(e.arguments[1]);
      return k ? new Map([[k, { clean: ALL }]]) : undefined;
    }
    // /^[a-z]+$/.test(x)
    if (method === 'test' && recvExpr && arg0) {
      const re = this.regexOf(recvExpr, scope);
      const k = keyOf(arg0);
      if (re === undefined || !k) return undefined;
      if (pol) return new Map([[k, { clean: regexMask(re) }]]);
      if (re === '\\.\\.') return new Map([[k, { clean: 0, noDotDot: true }]]);
      if (/^\^-/.test(re) || /^\^\[-/.test(re) || re === '^--?') return new Map([[k, { clean: KIND_BITS.argument! }]]);
      return undefined;
    }
    if (method === 'match' && recvExpr && arg0 && pol) {
      const re = this.regexOf(arg0, scope);
      const k = keyOf(recvExpr);
      if (re !== undefined && k) return new Map([[k, { clean: regexMask(re) }]]);
      return undefined;
    }
    if ((method === 'isInteger' || method === 'isSafeInteger' || method === 'isUUID' || method === 'isUuid' || method === 'validate' || method === 'isAlphanumeric' || method === 'isNumeric') && pol) {
      const target = e.arguments[0];
      const k = target ? keyOf(target) : undefined;
      return k ? new Map([[k, { clean: ALL }]]) : undefined;
    }
    if ((method === 'some' || method === 'every') && arg0) {
      const cb = unwrap(arg0);
      if (!isArrowFunction(cb) && !isFunctionExpression(cb)) return undefined;
      const list = recvExpr ? this.ev(recvExpr, scope) : EMPTY;
      const m = this.narrowBody(cb, [elementOf(list)], pol, scope, depth);
      // Facts about the callback's parameter are facts about one element. "No element passes"
      // (`!xs.some(f)`) and "every element passes" (`xs.every(f)`) make them facts about each
      // element of the list; "some element" does not.
      const p0 = cb.parameters[0];
      const param = p0 && isIdentifier(p0.name) ? p0.name.text : undefined;
      if (!m || param === undefined || !m.has(param)) return m;
      const each = m.get(param)!;
      const out = new Map(m);
      out.delete(param);
      const k = recvExpr ? keyOf(recvExpr) : undefined;
      if (k && each.clean && (method === 'every') === pol) out.set(k, { clean: each.clean, elements: true });
      return out.size ? out : undefined;
    }
    // A boolean helper of the analysed code: `if (!isInside(p)) throw ...`, `Paths.isInside(p)`.
    if (isIdentifier(callee) || isPropertyAccessExpression(callee)) {
      const fn = this.checkFunction(callee, scope);
      if (fn) {
        const args = e.arguments.map((a) => this.ev(a, scope));
        const m = this.narrowBody(fn.node, args, pol, fn.scope, depth);
        const facts = m ? paramFactsToArgs(m, fn.node, e.arguments, args) : undefined;
        if (!facts || awaited || !isAsyncFunction(fn.node)) return facts;
        // An async check not awaited tests a Promise, which is always truthy: it holds nothing.
        // Where it would contain the path if awaited, the finding says why it does not.
        const guard = spanOf(e, scope.unit.sf);
        const reason = `The check '${shortText(e, scope.unit.sf)}' is async and not awaited: it tests a Promise, which is always truthy.`;
        const out = new Map<string, Narrow>();
        for (const [k, n] of facts) if (n.contain) out.set(k, { clean: 0, reason, guard });
        return out.size ? out : undefined;
      }
    }
    if (method === 'startsWith' && recvExpr && arg0) return this.narrowStartsWith(e, recvExpr, arg0, pol, scope);
    if (method === 'isAbsolute' && !pol && arg0) {
      const k = keyOf(arg0);
      return k ? new Map([[k, { clean: 0, notAbs: true }]]) : undefined;
    }
    return undefined;
  }

  /**
   * Facts a function's result establishes when its truthiness is `pol`. The body is read when it
   * is a straight line of leading declarations (run in a scope where the parameters hold the
   * given values), early exits (`if (c) throw ...`, `if (c) return true`), loops over a list made
   * only of such exits, and a last `return`: a boolean helper (`return !a.startsWith('-')`), a
   * screen over a list (`for (const a of args) if (a.startsWith('-')) return false; return
   * true;`), a validator returning an error or nothing (`if (bad) return 'message';`), and a check
   * with several ways to succeed (`if (p === root) return true; return p.startsWith(root + sep);`).
   * What holds is what holds on every way the function can end with `pol`. Facts about a local
   * that normalizes a parameter (`const n = path.resolve(p)`) are facts about the parameter's
   * file too.
   */
  private narrowBody(fn: ts.FunctionLikeDeclaration, args: readonly Val[], pol: boolean | undefined, defScope: Scope, depth: number): Map<string, Narrow> | undefined {
    const body = fn.body;
    if (!body || depth > 8) return undefined;
    if (isBlock(body) && !checkShaped(body)) return undefined;
    const inner = new Scope(defScope, defScope.unit, defScope.frame, true);
    fn.parameters.forEach((p, i) => this.bindPattern(p.name, args[i] ?? (p.initializer ? this.ev(p.initializer, inner) : EMPTY), inner, true, undefined));
    if (!isBlock(body)) return pol === undefined ? undefined : this.narrow(body, pol, inner, depth + 1);
    // `passed`: what holds on the way through (every exit so far not taken); `ends`: what holds
    // on each way out with a result of truthiness `pol`.
    let passed: Map<string, Narrow> | undefined;
    const ends: (Map<string, Narrow> | undefined)[] = [];
    let fellOff = true;
    for (const st of body.statements) {
      if (isVariableStatement(st)) {
        this.st(st, inner);
      } else if (isReturnStatement(st)) {
        const t = st.expression ? truthiness(st.expression) : false;
        if (pol === undefined || t === pol) ends.push(passed);
        else if (t === undefined) ends.push(unionNarrow(passed, this.narrow(st.expression!, pol, inner, depth + 1)));
        fellOff = false;
      } else if (isIfStatement(st)) {
        const exit = exitOf(st.thenStatement)!;
        if (isReturnStatement(exit)) {
          const t = exit.expression ? truthiness(exit.expression) : false;
          if (pol === undefined) {
            ends.push(unionNarrow(passed, this.narrow(st.expression, true, inner, depth + 1)));
          } else if (t !== !pol) {
            const taken = unionNarrow(passed, this.narrow(st.expression, true, inner, depth + 1));
            let branch = inner;
            if (t === undefined && isBlock(st.thenStatement)) {
              // `{ const a = ...; return a === b && p.startsWith(x); }`: the declarations first.
              branch = new Scope(inner, inner.unit, inner.frame, true);
              for (const x of st.thenStatement.statements) if (isVariableStatement(x)) this.st(x, branch);
            }
            ends.push(t === undefined ? unionNarrow(taken, this.narrow(exit.expression!, pol, branch, depth + 1)) : taken);
          }
        }
        passed = unionNarrow(passed, this.narrow(st.expression, false, inner, depth + 1));
      } else if (ts.isTryStatement(st)) {
        // `try { n = normalize(p); } catch { return false; }`: the assignments, then a way out.
        for (const x of st.tryBlock.statements) this.st(x, inner);
        const exit = exitOf(st.catchClause!.block)!;
        if (isReturnStatement(exit) && (pol === undefined || (exit.expression ? truthiness(exit.expression) : false) !== !pol)) ends.push(passed);
      } else if (ts.isThrowStatement(st)) {
        // The last statement: no way out past it.
        fellOff = false;
      } else {
        const loop = this.loopExitFacts(st as ts.ForOfStatement, pol, inner, depth);
        for (const exit of loop.exits) ends.push(unionNarrow(passed, exit));
        passed = unionNarrow(passed, loop.passed);
      }
    }
    // Past the end the function returns undefined.
    if (fellOff && pol !== true) ends.push(passed);
    let facts: Map<string, Narrow> | undefined = ends.length ? ends[0] : undefined;
    for (let i = 1; i < ends.length && facts; i++) facts = intersectNarrow(facts, ends[i]);
    if (!facts) return undefined;
    for (const [k, n] of [...facts]) {
      if (!n.contain && !n.reason) continue;
      let v = inner.get(k);
      for (let i = 0; i < 4 && v?.aliasOf; i++) {
        facts.set(v.aliasOf, fileFact(n));
        v = inner.get(v.aliasOf);
      }
    }
    return facts;
  }

  /**
   * `for (const a of list) if (bad(a)) return false;` in a function whose result had truthiness
   * `pol`: what passing every exit says about each element of the list, and what holds on each
   * exit in the loop that can itself give `pol`. On such an exit its condition held for one
   * element: facts about that element are dropped, facts about other names kept (`for (const
   * root of roots) if (p.startsWith(root + sep)) return true; return false;`: p is inside one of
   * the roots).
   */
  private loopExitFacts(loop: ts.ForOfStatement, pol: boolean | undefined, scope: Scope, depth: number): { passed: Map<string, Narrow> | undefined; exits: (Map<string, Narrow> | undefined)[] } {
    const decl = (loop.initializer as ts.VariableDeclarationList).declarations[0]!;
    const name = (decl.name as ts.Identifier).text;
    const inner = new Scope(scope, scope.unit, scope.frame, true);
    this.bindPattern(decl.name, elementOf(this.ev(loop.expression, scope)), inner, true, undefined);
    let facts: Map<string, Narrow> | undefined;
    const exits: (Map<string, Narrow> | undefined)[] = [];
    const local = [name];
    for (const st of isBlock(loop.statement) ? loop.statement.statements : [loop.statement]) {
      if (isVariableStatement(st)) {
        // `const canonicalRoot = await realpath(root);`: names of one iteration.
        this.st(st, inner);
        for (const d of st.declarationList.declarations) if (isIdentifier(d.name)) local.push(d.name.text);
        continue;
      }
      const ifs = st as ts.IfStatement;
      const exit = exitOf(ifs.thenStatement)!;
      const t = isReturnStatement(exit) && exit.expression ? truthiness(exit.expression) : false;
      if (isReturnStatement(exit) && (pol === undefined || t !== !pol)) {
        let taken = unionNarrow(facts, this.narrow(ifs.expression, true, inner, depth + 1));
        if (pol !== undefined && t === undefined) taken = unionNarrow(taken, this.narrow(exit.expression!, pol, inner, depth + 1));
        exits.push(taken && withoutNames(taken, local));
      }
      facts = unionNarrow(facts, this.narrow(ifs.expression, false, inner, depth + 1));
    }
    const each = facts?.get(name);
    const k = keyOf(loop.expression);
    // Facts about other names held in some iteration only: they are dropped.
    return { passed: each?.clean && k ? new Map([[k, { clean: each.clean, elements: true }]]) : undefined, exits };
  }

  /** `x.startsWith(prefix)`: path containment, URL prefix, option-dash checks. */
  private narrowStartsWith(call: ts.CallExpression, recvExpr: ts.Expression, arg0: ts.Expression, pol: boolean, scope: Scope): Map<string, Narrow> | undefined {
    let k = keyOf(recvExpr);
    // `realpathSync(p).startsWith(root + sep)`: a check of the file `p` names, as through a local.
    const direct = !k && isCallExpression(unwrap(recvExpr));
    if (!k && !direct) return undefined;
    const recv = this.ev(recvExpr, scope);
    k ??= recv.aliasOf;
    if (!k) return undefined;
    const prefix = this.ev(arg0, scope);
    const lit = prefix.str;
    if (!pol) {
      if (lit === '-' || lit === '--') return new Map([[k, { clean: KIND_BITS.argument! }]]);
      // rel.startsWith('..') false: the target of `rel = path.relative(root, target)` is inside root.
      if (recv.relOf && ((lit !== undefined && lit.startsWith('..')) || (lit === undefined && /\.\./.test(arg0.getText(scope.unit.sf))))) {
        return new Map([[recv.relOf, { clean: 0, contain: true }]]);
      }
      return undefined;
    }
    if (!recv.t) return undefined;
    // A fixed scheme://host/ prefix confines a URL to that host.
    if (lit !== undefined && /^https?:\/\/[^/]+\//i.test(lit)) return new Map([[k, { clean: KIND_BITS.ssrf! }]]);
    const guard = spanOf(call, scope.unit.sf);
    const shown = `startsWith(${shortText(arg0, scope.unit.sf)})`;
    const normalized = recv.t.every((o) => o.flags & NORM || o.owner);
    if (!normalized) {
      return new Map([[k, { clean: 0, reason: `The check '${shown}' runs before the path is normalized.`, guard }]]);
    }
    if (prefix.sepEnd || (lit !== undefined && /[\\/]$/.test(lit))) return new Map([[k, { clean: 0, contain: true }]]);
    // A literal prefix naming no directory (`p.startsWith('~')` before expanding the home
    // directory, `'.'`) is no containment check: the finding gives no reason about it.
    if (lit !== undefined && !DIRECTORY_PREFIX.test(lit)) return undefined;
    return new Map([[k, { clean: 0, reason: `The check '${shown}' has no trailing separator.`, guard }]]);
  }

  /** Whether a pattern has the `g` flag (a literal, `new RegExp(src, 'g')`, or a name bound to one). */
  private regexGlobal(expr: ts.Expression, scope: Scope): boolean {
    const e = unwrap(expr);
    if (isIdentifier(e)) return !!this.lookup(e.text, scope)?.regexGlobal;
    if (isRegularExpressionLiteral(e)) return /\/[a-z]*g[a-z]*$/.test(e.text);
    if (isNewExpression(e) && isIdentifier(e.expression) && e.expression.text === 'RegExp') return (stringValue(e.arguments?.[1]) ?? '').includes('g');
    return false;
  }

  private regexOf(expr: ts.Expression, scope: Scope): string | undefined {
    const e = unwrap(expr);
    if (isRegularExpressionLiteral(e)) return regexSource(e.text);
    if (isNewExpression(e) && isIdentifier(e.expression) && e.expression.text === 'RegExp') return stringValue(e.arguments?.[0]);
    if (isIdentifier(e)) return this.lookup(e.text, scope)?.regex;
    return undefined;
  }

  // ---------------------------------------------------------------- expressions

  private ev(expr: ts.Expression, scope: Scope): Val {
    this.tick();
    const e = expr;
    switch (e.kind) {
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NoSubstitutionTemplateLiteral:
        return { str: (e as ts.StringLiteral).text, fixedPrefix: (e as ts.StringLiteral).text !== '' };
      case SyntaxKind.NumericLiteral:
        return { num: true, truthy: Number((e as ts.NumericLiteral).text) !== 0 };
      case SyntaxKind.TrueKeyword:
        return { truthy: true };
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        return { truthy: false };
      case SyntaxKind.RegularExpressionLiteral:
        return { regex: regexSource((e as ts.RegularExpressionLiteral).text), ...(/\/[a-z]*g[a-z]*$/.test((e as ts.RegularExpressionLiteral).text) ? { regexGlobal: true } : {}) };
      case SyntaxKind.ThisKeyword: {
        const props = thisPropsOf(scope);
        if (props) return { props };
        // A method run for no known instance (its summary): the fields every instance starts
        // with and keeps (`private readonly baseUrl = 'https://api.figma.com/v1'`).
        const cls = scope.frame.self ?? scope.frame.cls;
        const kept = cls ? this.keptFields(cls, scope) : undefined;
        return kept ? { props: kept } : EMPTY;
      }
      case SyntaxKind.Identifier:
        return this.evIdentifier(e as ts.Identifier, scope);
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        return this.ev((e as ts.ParenthesizedExpression).expression, scope);
      case SyntaxKind.AwaitExpression:
        return this.ev((e as ts.AwaitExpression).expression, scope);
      case SyntaxKind.TemplateExpression:
        return this.evTemplate(e as ts.TemplateExpression, scope);
      case SyntaxKind.TaggedTemplateExpression: {
        const tt = e as ts.TaggedTemplateExpression;
        this.ev(tt.tag, scope);
        const parts = isTemplateExpression(tt.template) ? tt.template.templateSpans.map((sp) => this.ev(sp.expression, scope)) : [];
        // String.raw keeps its input; other tags (sql``, $``, Prisma.sql``) bind or quote it.
        return tt.tag.getText(scope.unit.sf) === 'String.raw' ? joinAll(parts) : EMPTY;
      }
      case SyntaxKind.BinaryExpression:
        return this.evBinary(e as ts.BinaryExpression, scope);
      case SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        this.evDropped(c.condition, scope);
        const ts1 = new Scope(scope, scope.unit, scope.frame, true);
        this.applyNarrowing(c.condition, true, ts1);
        const fs1 = new Scope(scope, scope.unit, scope.frame, true);
        this.applyNarrowing(c.condition, false, fs1);
        const a = this.ev(c.whenTrue, ts1);
        const b = this.ev(c.whenFalse, fs1);
        const j = join(a, b);
        // `root.endsWith(sep) ? root : root + sep`
        const sepEnd = a.sepEnd || b.sepEnd ? (a.sepEnd && b.sepEnd) || /endsWith\(/.test(c.condition.getText(scope.unit.sf)) : false;
        return { ...j, ...(sepEnd ? { sepEnd } : {}) };
      }
      case SyntaxKind.PropertyAccessExpression:
      case SyntaxKind.ElementAccessExpression:
        return this.evAccess(e as ts.PropertyAccessExpression | ts.ElementAccessExpression, scope);
      case SyntaxKind.CallExpression:
        return this.evCall(e as ts.CallExpression, scope);
      case SyntaxKind.NewExpression:
        return this.evCall(e as ts.NewExpression, scope);
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression: {
        const f = e as ts.ArrowFunction;
        const fn: FnVal = { node: f, scope, unit: scope.unit, name: fnName(f) };
        this.enqueue(fn);
        return { fn };
      }
      case SyntaxKind.ObjectLiteralExpression:
        return this.evObject(e as ts.ObjectLiteralExpression, scope);
      case SyntaxKind.ArrayLiteralExpression: {
        const elems: Val[] = [];
        let spread = false;
        for (const el of (e as ts.ArrayLiteralExpression).elements) {
          if (isSpreadElement(el)) {
            const sv = this.ev(el.expression, scope);
            if (sv.elems) elems.push(...sv.elems);
            else {
              spread = true;
              elems.push(stripFacts(sv));
            }
          } else if (!isOmittedExpression(el)) {
            elems.push(this.ev(el, scope));
          }
        }
        const t = joinAll(elems).t;
        // Without a spread of unknown length, `elems` lists every element (push and unshift
        // keep it so; a store at an index the analysis cannot read ends that).
        return { elems, ...(t ? { t } : {}), ...(spread ? { spread } : { closed: true }) };
      }
      case SyntaxKind.PrefixUnaryExpression: {
        const p = e as ts.PrefixUnaryExpression;
        this.ev(p.operand, scope);
        return p.operator === SyntaxKind.ExclamationToken ? { cond: p } : { num: true };
      }
      case SyntaxKind.PostfixUnaryExpression:
        this.ev((e as ts.PostfixUnaryExpression).operand, scope);
        return { num: true };
      case SyntaxKind.TypeOfExpression:
        this.ev((e as ts.TypeOfExpression).expression, scope);
        return EMPTY;
      case SyntaxKind.VoidExpression:
      case SyntaxKind.DeleteExpression:
        this.ev((e as ts.VoidExpression).expression, scope);
        return EMPTY;
      case SyntaxKind.SpreadElement:
        return this.ev((e as ts.SpreadElement).expression, scope);
      case SyntaxKind.ClassExpression:
        return EMPTY;
      case SyntaxKind.YieldExpression: {
        const y = e as ts.YieldExpression;
        return y.expression ? this.ev(y.expression, scope) : EMPTY;
      }
      default:
        return EMPTY;
    }
  }

  private evIdentifier(id: ts.Identifier, scope: Scope): Val {
    const v = this.lookup(id.text, scope);
    // `import { sep } from 'node:path'`: the separator, as `path.sep` is.
    if (v?.ref && v.ref.module === 'path' && v.ref.path.length === 1 && v.ref.path[0] === 'sep' && !v.sepEnd) return { ...v, sepEnd: true };
    if (v !== undefined) return v;
    if (id.text === 'undefined') return { truthy: false };
    if (KNOWN_GLOBALS.has(id.text)) return { ref: { module: '', path: [id.text] } };
    return EMPTY;
  }

  private evTemplate(t: ts.TemplateExpression, scope: Scope): Val {
    const parts: Val[] = [];
    let str: string | undefined = t.head.text;
    let secret: string | undefined;
    // The known start: the head and the parts after it while their text is known.
    let head: string | undefined = t.head.text;
    for (const sp of t.templateSpans) {
      const v = this.ev(sp.expression, scope);
      parts.push(v);
      if (v.secret) secret = v.secret;
      if (head !== undefined && str !== undefined) head = v.str !== undefined ? head + v.str + sp.literal.text : head + (v.head ?? '');
      str = str !== undefined && v.str !== undefined ? str + v.str + sp.literal.text : undefined;
    }
    const tail = t.templateSpans[t.templateSpans.length - 1];
    const last = parts[parts.length - 1];
    const sepEnd = tail ? (tail.literal.text === '' ? !!last?.sepEnd : /[\\/]$/.test(tail.literal.text)) : false;
    const fixedPrefix = t.head.text !== '' || !!parts[0]?.fixedPrefix;
    // Parts after a known `?` or `#` are the URL's query or fragment: not the request's host.
    let query = hasQuery(t.head.text);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (query && part.t) parts[i] = { ...part, t: part.t.map((o) => ({ ...o, clean: o.clean | KIND_BITS.ssrf! })) };
      query ||= !!part.query || hasQuery(part.str) || hasQuery(t.templateSpans[i]!.literal.text);
    }
    let taint = joinAll(parts).t;
    // A `scheme://host/` start that no client value reaches pins the request to that host: the
    // head and the parts before the first tainted one (`${NWS_API}/alerts?area=${state}`). A part
    // whose text is unknown but holds no client data is the server's own configuration
    // (`${process.env.API_URL}/v2/${id}`): at the start it stands for an origin, elsewhere for
    // some text without a separator.
    if (taint) {
      let prefix = t.head.text;
      for (let i = 0; i < parts.length && !parts[i]!.t; i++) {
        const part = parts[i]!.str ?? (i === 0 && prefix === '' ? 'x://x' : 'x');
        prefix += part + t.templateSpans[i]!.literal.text;
      }
      const first = parts.findIndex((p) => p.t);
      if (FIXED_ORIGIN.test(prefix)) taint = taint.map((o) => ({ ...o, clean: o.clean | KIND_BITS.ssrf! }));
      else if (first >= 0 && ORIGIN_ONLY.test(prefix)) taint = afterOrigin(taint, parts[first]!);
    }
    const v: Mutable<Val> = {};
    // `${checked}.${randomBytes(8).toString('hex')}.tmp`: a name made longer stays in the checked
    // path's folder (the one exception, the root itself plus a suffix, is a sibling of the root).
    if (taint) v.t = t.head.text === '' && parts.length > 0 && this.suffixOnly(t, parts) ? taint : resetPath(taint);
    if (str !== undefined) v.str = str;
    if (sepEnd) v.sepEnd = sepEnd;
    if (fixedPrefix) v.fixedPrefix = fixedPrefix;
    if (str === undefined && head) v.head = head;
    if (query) v.query = true;
    if (secret) v.secret = secret;
    return v;
  }

  /**
   * Whether a template after its first part only adds to a file name: literal text without a
   * separator or `..`, and parts with no client data that cannot hold one (numbers, hex or
   * base64url encodings, UUIDs).
   */
  private suffixOnly(t: ts.TemplateExpression, parts: readonly Val[]): boolean {
    if (!parts[0]!.t) return false;
    for (let i = 0; i < t.templateSpans.length; i++) {
      const lit = t.templateSpans[i]!.literal.text;
      if (/[\\/]|\.\./.test(lit)) return false;
      if (i === 0) continue;
      const part = parts[i]!;
      if (part.t) return false;
      if (!part.num && !(part.str !== undefined && !/[\\/]|\.\./.test(part.str)) && !NAME_SAFE_CALL.test(t.templateSpans[i]!.expression.getText())) return false;
    }
    return true;
  }

  private evBinary(b: ts.BinaryExpression, scope: Scope): Val {
    const op = b.operatorToken.kind;
    if (op === SyntaxKind.EqualsToken) {
      const v = this.ev(b.right, scope);
      this.assignTarget(b.left, v, scope);
      return v;
    }
    if (op === SyntaxKind.PlusEqualsToken) {
      const cur = this.ev(b.left, scope);
      const r = this.ev(b.right, scope);
      const v = concatVals(cur, r);
      this.assignTarget(b.left, v, scope);
      return v;
    }
    if (op === SyntaxKind.AmpersandAmpersandToken) {
      this.evDropped(b.left, scope);
      const rs = new Scope(scope, scope.unit, scope.frame, true);
      this.applyNarrowing(b.left, true, rs);
      return this.ev(b.right, rs);
    }
    if (op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) {
      const l = this.ev(b.left, scope);
      const rs = new Scope(scope, scope.unit, scope.frame, true);
      if (op === SyntaxKind.BarBarToken) this.applyNarrowing(b.left, false, rs);
      return join(l, this.ev(b.right, rs));
    }
    const l = this.ev(b.left, scope);
    const r = this.ev(b.right, scope);
    if (op === SyntaxKind.PlusToken) return concatVals(l, r);
    const opText = tokenToString(op) ?? '';
    if (UNSAFE_OPERATORS.has(opText)) {
      this.checkTiming(b, l, r, opText, scope);
      return { cond: b };
    }
    if (op === SyntaxKind.CommaToken) return r;
    return { num: true };
  }

  private checkTiming(b: ts.BinaryExpression, l: Val, r: Val, op: string, scope: Scope): void {
    if (!this.want('timing')) return;
    if (isLiteral(b.left) || isLiteral(b.right) || l.str !== undefined || r.str !== undefined || l.num || r.num) return;
    if (isTypeOfExpression(unwrap(b.left)) || isTypeOfExpression(unwrap(b.right))) return;
    for (const [a, s, an] of [[l, r, b.left], [r, l, b.right]] as const) {
      if (!a.t) continue;
      // The secret side may hold a parameter of the function (`opts.authToken ||
      // process.env.AUTH_TOKEN` in `startServer(opts)`): a configuration value, not client
      // data, when the other side is the request's own.
      if (s.t && (s.t.some((o) => o.src !== undefined) || !a.t.some((o) => o.src !== undefined))) continue;
      // A digest's generic label gives way to the name the code gives it (`expectedSignature`).
      const named = secretNameOf(s === r ? b.right : b.left);
      const secret = (s.secret && !GENERIC_SECRETS.has(s.secret) ? s.secret : undefined) ?? named ?? s.secret;
      if (!secret) continue;
      const hit: Hit = {
        kind: 'timing',
        sinkSpan: spanOf(b, scope.unit.sf),
        argSpan: spanOf(an, scope.unit.sf),
        sinkName: op,
        data: { secretName: secret, operator: op },
        unit: scope.unit,
      };
      for (const o of a.t) this.emit(hit, o);
      return;
    }
    // Inside a helper, both sides may be parameters (`function check(given, expected)`): which
    // one is the secret is decided at each call (see applySummary).
    const paramOf = (v: Val): number | undefined => {
      const o = v.t?.length === 1 ? v.t[0] : undefined;
      return o?.owner && !o.keys?.length ? o.param : undefined;
    };
    const lp = paramOf(l);
    const rp = paramOf(r);
    if (lp === undefined || rp === undefined || lp === rp) return;
    for (const [a, sp, an] of [[l, rp, b.left], [r, lp, b.right]] as const) {
      const hit: Hit = {
        kind: 'timing',
        sinkSpan: spanOf(b, scope.unit.sf),
        argSpan: spanOf(an, scope.unit.sf),
        sinkName: op,
        data: { operator: op, secretParam: sp },
        unit: scope.unit,
      };
      for (const o of a.t!) this.emit(hit, o);
    }
  }

  private evObject(o: ts.ObjectLiteralExpression, scope: Scope): Val {
    const props = new Map<string, Val>();
    const parts: Val[] = [];
    let closed = true;
    for (const p of o.properties) {
      if (isPropertyAssignment(p)) {
        const v = this.ev(p.initializer, scope);
        let k = propName(p.name);
        if (k === undefined && ts.isComputedPropertyName(p.name)) {
          // `{ [fetchTool.name]: fetchUrl }`: the key's value when it is a known string, else a
          // key no code names, so that `handlers[name]` still finds the function.
          const key = this.ev(p.name.expression, scope);
          k = key.str ?? (v.fn || v.props || v.inst ? `\u0000${p.pos}` : undefined);
          if (key.str === undefined && v.t) closed = false;
        }
        if (k !== undefined) props.set(k, v);
        else if (v.t) closed = false;
        parts.push(v);
      } else if (isShorthandPropertyAssignment(p)) {
        const v = this.evIdentifier(p.name, scope);
        props.set(p.name.text, v);
        parts.push(v);
      } else if (isSpreadAssignment(p)) {
        const v = this.ev(p.expression, scope);
        for (const [k, pv] of v.props ?? []) props.set(k, pv);
        if (v.t && !v.closed) closed = false;
        parts.push(v);
      } else if (isMethodDeclaration(p) || isGetAccessorDeclaration(p) || isSetAccessorDeclaration(p)) {
        const k = propName(p.name);
        if (p.body) {
          const fn: FnVal = { node: p as ts.FunctionLikeDeclaration, scope, unit: scope.unit, name: k ?? 'method' };
          this.enqueue(fn);
          if (k !== undefined) props.set(k, { fn });
        }
      }
    }
    const t = joinAll(parts).t;
    // `{}`: no field holds anything until one is stored (`config.root = ...`), each at its key.
    if (o.properties.length === 0) return { props: new Map(), closed: true };
    // Objects of plain constants (`{ type: 'text', text: 'ok' }`) need no property map unless
    // a key matters to a sink (`shell`, `url`, `root`, ...).
    let needed = t !== undefined;
    // A module's table of constant words (`const CLI = { COMMANDS: { GEMINI: 'gemini' } }`) is
    // kept too: a program named through it (`spawn(CLI.COMMANDS.GEMINI, args)`) is known.
    const table = scope === scope.unit.top;
    if (!needed) {
      for (const [k, v] of props) {
        if (v.fn || v.ref || v.props || v.elems || v.secret || v.truthy !== undefined || v.zod || v.inst || PROP_KEYS.has(k) || (table && v.str !== undefined)) {
          needed = true;
          break;
        }
      }
    }
    return needed ? { props, ...(t ? { t } : {}), ...(closed ? { closed } : {}) } : EMPTY;
  }

  private evAccess(e: ts.PropertyAccessExpression | ts.ElementAccessExpression, scope: Scope): Val {
    // The member path is looked up only where some enclosing scope holds narrowings.
    let narrowed = false;
    for (let s: Scope | undefined = scope; s && !narrowed; s = s.parent) narrowed = s.narrows !== undefined;
    const key = narrowed ? keyOf(e) : undefined;
    if (key) {
      // Narrowed member paths (`args.cmd` checked against an allowlist).
      let narrows: Narrow[] | undefined;
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const n = s.narrows?.get(key);
        if (n) narrows = narrows ? narrows.concat(n) : n;
      }
      if (narrows) return applyNarrows(this.evAccessRaw(e, scope), narrows);
    }
    return this.evAccessRaw(e, scope);
  }

  private evAccessRaw(e: ts.PropertyAccessExpression | ts.ElementAccessExpression, scope: Scope): Val {
    const base = this.ev(e.expression, scope);
    const name = accessName(e);
    if (name === undefined) {
      // obj[expr]: the key's taint does not flow into the looked-up value.
      const arg = (e as ts.ElementAccessExpression).argumentExpression;
      // `parts[0]` of a list of known words (a split command line): that word.
      if (base.elems && base.closed && isNumericLiteral(arg)) {
        const i = Number(arg.text);
        return base.elems[i] ?? (base.spread ? base.elems[base.elems.length - 1]! : EMPTY);
      }
      const idx = this.ev(arg, scope);
      if (base.elems && !base.t) {
        // An element's functions and objects, not its taint: a list with no taint of its own
        // can hold elements recorded for another call of the helper that made it.
        const alts = alternatives(base.elems);
        return alts ? { alts } : EMPTY;
      }
      if (base.t) return elementOf(base);
      // `handlers[name]`: any of the object's functions or objects.
      const alts = base.props ? alternatives(base.props.values()) : undefined;
      if (alts) return { alts };
      if (base.ref?.module === 'process' && base.ref.path[0] === 'env' && idx.t) return EMPTY;
      return EMPTY;
    }
    const out = this.access(base, name, e, scope);
    // No object seen in the field (never set here, or only its `= null` start).
    if (e.expression.kind === SyntaxKind.ThisKeyword && !out.ref && !out.props && !out.fn && !out.inst && !out.alts && !out.elems && !out.cls && !out.t) {
      return this.declaredFieldRef(name, scope) ?? out;
    }
    return out;
  }

  /**
   * A field of `this` whose value the analysis has not seen (set in a `connect()` no one ran
   * here; `null` until then) but whose declared type is a class of a package (`private pool: sql.ConnectionPool |
   * null` with `import sql from 'mssql'`): an instance of that class, so that the sinks of its
   * methods are found (`this.pool.request().query(text)`, executeautomation's SQL Server adapter).
   */
  private declaredFieldRef(name: string, scope: Scope): Val | undefined {
    const cls = scope.frame.self ?? scope.frame.cls;
    const decl = cls?.members.find((m): m is ts.PropertyDeclaration => isPropertyDeclaration(m) && propName(m.name) === name);
    let type = decl?.type;
    if (type && ts.isUnionTypeNode(type)) {
      const named = type.types.filter((t) => isTypeReferenceNode(t));
      type = named.length === 1 ? named[0] : undefined;
    }
    if (!type || !isTypeReferenceNode(type)) return undefined;
    const names: string[] = [];
    let entity: ts.EntityName = type.typeName;
    while (ts.isQualifiedName(entity)) {
      names.unshift(entity.right.text);
      entity = entity.left;
    }
    const head = this.evIdentifier(entity, scope);
    // A package's export only: a class of this project is an instance the analysis can build.
    if (!head.ref || head.ref.module === '' || head.ref.module.startsWith('.') || head.ref.module.startsWith('/')) return undefined;
    return { ref: { module: head.ref.module, path: [...head.ref.path, ...names, '()'] } };
  }

  /** `v.name`: refines roles (request -> params -> arguments -> leaf), follows refs and object literals. */
  private access(v: Val, name: string, node: ts.Node, scope: Scope): Val {
    if (v.lazy) return this.access(v.lazy(), name, node, scope);
    let out: Val = EMPTY;
    if (v.ref) {
      const ref: Ref = { module: v.ref.module, path: [...v.ref.path, name] };
      out = { ref };
      if (ref.module === '' && ref.path[0] === 'process' && ref.path[1] === 'env' && ref.path.length === 3 && secretNamed(name)) out = { ref, secret: name };
      if (ref.module === 'path' && name === 'sep') out = { ref, sepEnd: true };
    }
    if (v.props?.has(name)) out = join(out, v.props.get(name)!);
    else if (v.elems && /^\d+$/.test(name)) out = join(out, v.elems[Number(name)] ?? (v.spread ? v.elems[v.elems.length - 1] : undefined) ?? EMPTY);
    else if (v.cls) out = join(out, this.staticMember(v.cls, name, scope));
    else if (v.inst) out = join(out, this.getterValue(v, name, scope));
    if (v.alts) {
      const subs: Val[] = [];
      for (const a of v.alts) {
        const r = this.access(a, name, node, scope);
        if (r.t) out = { ...out, t: out.t ? capOrigins([...out.t, ...r.t]) : r.t };
        if (r.fn || r.props || r.inst || r.alts) subs.push(r);
      }
      if (subs.length > 0) out = { ...out, alts: subs };
    }
    if (v.zod && name === 'shape') out = { ...out, zod: v.zod };
    if (v.secret && !out.secret && name !== 'length') out = { ...out, secret: v.secret };
    if (v.own?.has(name) && v.props?.has(name)) return out;
    // An object literal's fields are all known (`closed`): a field holds its own value only, not
    // the taint of the others (`{ kind: 'events', namespace }.kind` is a constant).
    if (!v.t || v.closed) {
      if (!out.secret && !out.t && secretNamed(name) && !v.props?.has(name) && (v.ref || isPropertyAccessExpression(node))) out = { ...out, secret: name };
      return out;
    }
    if (name === 'length') return out;
    const t: Origin[] = [];
    // The span of a leaf source, made when the first one is.
    let span: Span | undefined;
    for (const o of v.t) {
      // A leaf: a new source named `leafName` of `kind`.
      let kind: string | undefined;
      let leafName = name;
      let clean = o.clean;
      // An object argument's (or list of objects') zod fields: its fields are leaves with their own schemas.
      let fields: ts.ObjectLiteralExpression | undefined;
      switch (o.role) {
        case 'tool-args':
          kind = o.leafKind ?? 'tool argument';
          clean = o.clean | (o.masks?.get(name) ?? 0);
          fields = o.fields?.get(name);
          break;
        case 'll-request':
          if (name === 'params') t.push({ ...o, role: 'll-params' });
          break;
        case 'll-params':
          if (name === 'arguments') t.push({ ...o, role: 'tool-args', masks: new Map() });
          else if (name === 'name') kind = 'tool name';
          else if (name === 'uri') kind = 'resource URI';
          break;
        case 'http-req':
          if (HTTP_PARTS[name]) t.push({ ...o, role: 'http-part', partKind: HTTP_PARTS[name]! });
          else if (HTTP_LEAVES[name]) kind = HTTP_LEAVES[name]!;
          else if (name === 'auth') kind = 'request credential';
          break;
        case 'http-part':
          kind = o.partKind ?? 'request value';
          break;
        case 'hono-ctx':
          if (name === 'req') t.push({ ...o, role: 'hono-req' });
          else if (name === 'request') t.push({ ...o, role: 'http-req' });
          else if (name === 'query' || name === 'params' || name === 'headers') t.push({ ...o, role: 'http-part', partKind: HTTP_PARTS[name]! });
          break;
        case 'hono-req':
          if (name === 'raw') t.push({ ...o, role: 'http-req' });
          else if (name === 'url' || name === 'path') kind = 'request URL';
          else if (HONO_REQ_GETTERS[name]) t.push({ ...o, partKind: HONO_REQ_GETTERS[name]! });
          break;
        case 'extra':
          if (name === 'authInfo') {
            kind = 'auth info';
            leafName = 'authInfo';
          } else if (name === 'requestInfo') t.push({ ...o, role: 'http-req' });
          break;
        case 'template-vars':
          kind = 'resource template variable';
          break;
        case 'zod': {
          // `schema.safeParse(x)`'s result; not the fields of an argument.
          if (name === 'data' && !o.nested) {
            t.push(o);
            break;
          }
          if ((name === 'success' || name === 'error') && !o.nested) break;
          const init = o.shape ? objectPropInit(o.shape, name) : undefined;
          const schema = init ? zodSchemaOf(init).schema : undefined;
          kind = o.partKind ?? o.leafKind ?? 'tool argument';
          clean = o.clean | (schema ? schemaMask(schema) : 0);
          fields = schema?.fields;
          if (o.nested) leafName = `${o.nested}.${name}`;
          break;
        }
        default:
          if (o.owner) t.push({ ...o, keys: [...(o.keys ?? []), name].slice(0, 4) });
          else t.push(o);
      }
      if (kind === undefined || (clean & ALL) === ALL) continue;
      span ??= isBindingElement(node) ? spanOf(node.name, scope.unit.sf) : spanOf(node, scope.unit.sf);
      const step: Step = { label: `${kind} '${leafName}'`, span, unit: scope.unit, prev: undefined, n: 1 };
      // Two literal shapes, not a spread: leaves are made on most member reads of a source.
      if (fields) t.push({ src: { name: leafName, kind }, step, clean, flags: 0, role: 'zod', shape: fields, leafKind: kind, nested: leafName });
      else t.push({ src: { name: leafName, kind }, step, clean, flags: 0 });
    }
    if (!t.length) return out;
    const capped = capLocal(t);
    return out === EMPTY ? { t: capped } : { ...out, t: capped };
  }

  private evCall(call: ts.CallExpression | ts.NewExpression, scope: Scope): Val {
    const calleeExpr = unwrap(call.expression);
    const argNodes: readonly ts.Expression[] = call.arguments ?? NO_NODES;
    const unit = scope.unit;
    // dynamic import() / require()
    if (calleeExpr.kind === SyntaxKind.ImportKeyword || (isIdentifier(calleeExpr) && calleeExpr.text === 'require' && !this.lookup('require', scope))) {
      const spec = stringValue(argNodes[0]);
      if (spec === undefined) return EMPTY;
      const local = this.localSpec(unit.file, spec);
      if (local !== undefined) return this.importLocal(unit, local, undefined);
      const m = moduleOf(spec);
      return { ref: { module: m.module, path: m.path } };
    }
    let recv: Val | undefined;
    let recvName: string | undefined;
    let method: string | undefined;
    let callee: Val;
    if (isPropertyAccessExpression(calleeExpr) || isElementAccessExpression(calleeExpr)) {
      recv = this.ev(calleeExpr.expression, scope);
      method = accessName(calleeExpr);
      const r = unwrap(calleeExpr.expression);
      recvName = isIdentifier(r) ? r.text : isPropertyAccessExpression(r) ? r.name.text : undefined;
      callee = method !== undefined ? this.access(recv, method, calleeExpr, scope) : EMPTY;
    } else {
      callee = this.ev(calleeExpr, scope);
    }
    if (callee.lazy) callee = callee.lazy();
    // MCP registrations: analyse the handler with its parameters as sources.
    const reg = unit.regs.get(call);
    if (reg && isCallExpression(call)) return this.onRegistration(reg, call, scope);
    const args: Val[] = [];
    for (const a of argNodes) {
      const ua = unwrap(a);
      if (isArrowFunction(ua) || isFunctionExpression(ua)) {
        args.push({ fn: { node: ua, scope, unit, name: fnName(ua) } });
      } else {
        args.push(this.ev(a, scope));
      }
    }
    // Resolve local functions: declared, imported, methods of this class, `.bind`.
    let fn = callee.fn;
    let thisProps: Map<string, Val> | undefined;
    if (!fn && method && isPropertyAccessExpression(calleeExpr) && calleeExpr.expression.kind === SyntaxKind.ThisKeyword) {
      fn = this.classMethod(method, scope);
      thisProps = thisPropsOf(scope);
    }
    // An instance of one of several classes (`alts`) dispatches to each below.
    if (!fn && method && recv?.inst && !recv.alts) {
      fn = this.methodOf(recv.inst, method, scope);
      thisProps = recv.props as Map<string, Val> | undefined;
      if (fn && !this.isRunning(fn.node) && this.inheritedWithThis(fn, recv.inst)) {
        this.analyzeCallbacks(call, args, recv, method, scope);
        return this.runFunction(fn, args, thisProps ?? new Map(), recv.inst);
      }
    }
    if (isNewExpression(call) && callee.cls) return this.construct(callee.cls, args, scope);
    // A method of an instance whose fields hold client data, or a sink function (`this._exec =
    // promisify(exec)`, iterm-mcp), runs with those fields: its summary cannot see them.
    if (fn && thisProps && !this.isRunning(fn.node) && [...thisProps.values()].some((v) => v.t || holdsSinkFunction(v) || holdsDefinition(v))) {
      this.analyzeCallbacks(call, args, recv, method, scope);
      return this.runForeign(fn, call, scope, () => this.runFunction(fn!, args, thisProps));
    }
    let result: Val | undefined;
    // `handlers[name](args)`: any function of the object literal may run.
    if (!fn && method === undefined && recv?.props && isElementAccessExpression(calleeExpr)) {
      let out: Val = EMPTY;
      for (const pv of recv.props.values()) if (pv.fn) out = join(out, this.applySummary(pv.fn, args, argNodes, call, scope));
      if (out !== EMPTY) return out;
    }
    if (fn && !isNewExpression(call)) {
      this.analyzeCallbacks(call, args, recv, method, scope);
      if (this.registersTools(fn)) {
        // A function of this file that registers a tool with what it is given (`tool(name,
        // schema, cb)` wrapping `server.registerTool(..., async (args) => cb(args))`,
        // mobile-mcp): it runs with these arguments, so the handler it registers calls `cb`.
        this.registeringThrough++;
        try {
          return this.runFunction(fn, args);
        } finally {
          this.registeringThrough--;
        }
      }
      result = this.runsWithArgs(fn, args) || this.wrapsFunctionsPassed(fn, args) ? this.runForeign(fn, call, scope, () => this.runFunction(fn!, args)) : this.applySummary(fn, args, argNodes, call, scope);
      // A path normalizer of the server's own (`normalizePath(p)`: trims quotes, collapses
      // slashes) names the same file as its argument: a check of its result is a check of that
      // file. Not one that works on `..` itself: checking `p` with its `..` cut out says nothing
      // about `p`.
      if (result.t && argNodes.length === 1 && NORMALIZER_NAME.test(fn.name) && !mentionsDotDot(fn.node)) {
        const alias = keyOf(argNodes[0]!) ?? args[0]?.aliasOf;
        if (alias) result = { ...result, aliasOf: alias };
      }
      return result;
    }
    // One of several functions or objects (`tool.handle(args)` for a tool found in a list,
    // `handlers[name](args)` through a variable): each may run.
    const targets = fn || isNewExpression(call) ? undefined : this.alternativeTargets(callee, recv, method, scope);
    if (targets) {
      this.analyzeCallbacks(call, args, recv, method, scope);
      let out: Val = EMPTY;
      for (const t of targets) {
        const props = t.self?.props as Map<string, Val> | undefined;
        const inst = t.self?.inst;
        // As for one instance: fields with client data or a sink function, or a base class's
        // method using `this`, run with the instance.
        const withFields = props && !this.isRunning(t.fn.node) && [...props.values()].some((v) => v.t || holdsSinkFunction(v) || holdsDefinition(v));
        const inherited = inst !== undefined && !this.isRunning(t.fn.node) && this.inheritedWithThis(t.fn, inst);
        out = join(out, withFields || inherited || this.runsWithArgs(t.fn, args) ? this.runForeign(t.fn, call, scope, () => this.runFunction(t.fn, args, props ?? new Map(), inst)) : this.applySummary(t.fn, args, argNodes, call, scope));
      }
      return out;
    }
    // Sinks.
    this.checkCallSinks(call, callee, recvName, args, argNodes, scope);
    this.analyzeCallbacks(call, args, recv, method, scope);
    return this.callResult(call, callee, recv, method, args, argNodes, scope);
  }

  /** `new C(args)` of a class of this file: field initialisers, then the constructor, with a fresh `this`. */
  /**
   * The initialised fields of `cls` that keep their first value: `readonly`, or never assigned
   * through `this` in the class. Undefined when there are none. Made once per class.
   */
  private keptFields(cls: ts.ClassLikeDeclaration, scope: Scope): Map<string, Val> | undefined {
    if (this.keptFieldsOf.has(cls)) return this.keptFieldsOf.get(cls);
    let out: Map<string, Val> | undefined;
    const text = cls.getText();
    for (const [k, v] of this.declaredFields(cls, scope)) {
      const m = cls.members.find((x) => isPropertyDeclaration(x) && propName(x.name) === k) as ts.PropertyDeclaration;
      const readonly = (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Readonly) !== 0;
      if (readonly || !new RegExp(`\\bthis\\.${k.replace(/\$/g, '\\$')}\\s*(?:[-+*/%&|^]|\\?\\?|&&|\\|\\|)?=(?!=)`).test(text)) (out ??= new Map()).set(k, v);
    }
    // Fields typed with a class of the project and set elsewhere (`private docker: DockerService;`
    // assigned in the constructor, `constructor(private docker: DockerService)`): whatever instance
    // they hold, the methods called on it are that class's, as for a typed parameter
    // (Toowiredd/chatgpt-mcp-server: tool arguments reach `this.dockerService.execInContainer`).
    const typed: [ts.Node, ts.TypeNode | undefined][] = [];
    for (const m of cls.members) {
      if (isPropertyDeclaration(m) && !m.initializer && !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static)) typed.push([m.name, m.type]);
      if (isConstructorDeclaration(m)) for (const p of m.parameters) if (ts.getModifiers(p)?.length) typed.push([p.name, p.type]);
    }
    if (typed.length > 0) {
      const { unit, top } = this.classHome(cls, scope);
      for (const [nameNode, type] of typed) {
        const k = isIdentifier(nameNode) ? nameNode.text : undefined;
        const name = type ? classTypeName(type) : undefined;
        if (k === undefined || name === undefined || out?.has(k)) continue;
        const c = this.classNamed(name, top, unit);
        if (c) (out ??= new Map()).set(k, { inst: c, props: this.declaredFields(c, scope) });
      }
    }
    this.keptFieldsOf.set(cls, out);
    return out;
  }

  /**
   * The fields an instance of `cls` has whatever its constructor was given: the initialised
   * field declarations (`private readonly baseUrl = 'https://api.figma.com/v1'`).
   */
  private declaredFields(cls: ts.ClassLikeDeclaration, scope: Scope): Map<string, Val> {
    const { top } = this.classHome(cls, scope);
    const props = new Map<string, Val>();
    for (const m of cls.members) {
      if (isPropertyDeclaration(m) && m.initializer && !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static)) {
        const k = propName(m.name);
        if (k !== undefined) props.set(k, this.ev(m.initializer, top));
      }
    }
    return props;
  }

  private construct(cls: ts.ClassLikeDeclaration, args: readonly Val[], scope: Scope): Val {
    const { unit, top } = this.classHome(cls, scope);
    const props = this.declaredFields(cls, scope);
    if (this.rec && summaryNesting === this.rec.summaryBase) this.rec.localMaps.add(props);
    const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && !!m.body);
    if (ctor && !this.isRunning(ctor)) {
      this.runFunction({ node: ctor, scope: top, unit, name: cls.name?.text ?? 'constructor' }, args, props);
      // `constructor(private cmd: string)` parameter properties.
      ctor.parameters.forEach((p, i) => {
        if (isIdentifier(p.name) && ts.getModifiers(p)?.length && args[i]) props.set(p.name.text, args[i]!);
      });
    }
    return { inst: cls, props };
  }

  private classMethod(name: string, scope: Scope): FnVal | undefined {
    let cls: ts.ClassLikeDeclaration | undefined;
    for (let s: Scope | undefined = scope; s && !cls; s = s.parent) cls = s.frame.self ?? s.frame.cls;
    if (!cls) return undefined;
    return this.methodOf(cls, name, scope);
  }

  /**
   * A method found on a subclass instance but declared by a base class and using `this`: its
   * `this` calls depend on the subclass (a template method calling an abstract `execute`), so
   * it runs for this instance rather than through the declaring class's one summary.
   */
  private inheritedWithThis(fn: FnVal, inst: ts.ClassLikeDeclaration): boolean {
    if (!isMethodDeclaration(fn.node) || fn.node.parent === inst) return false;
    return /\bthis\./.test(fn.unit.sf.text.slice(fn.node.pos, fn.node.end));
  }

  /**
   * `validateOutputPath(p);` as a statement, where the called function throws unless its
   * argument passes its checks: after it returns, what its checks establish holds for the
   * arguments (mobile-mcp's fixed screenshot path, a filesystem server's `await validatePath(p)`).
   */
  private applyAssertion(expr: ts.Expression, scope: Scope): void {
    const call = awaited(expr);
    if (!isCallExpression(call) || call.arguments.length === 0) return;
    const callee = unwrap(call.expression);
    if (!isIdentifier(callee) && !isPropertyAccessExpression(callee)) return;
    const fn = this.checkFunction(callee, scope);
    if (!fn || !mayAssert(fn.node)) return;
    // An async check that is not awaited throws into a promise nobody waits for: the code after it runs anyway.
    if (isAsyncFunction(fn.node) && !ts.isAwaitExpression(unwrap(expr))) return;
    const args = call.arguments.map((a) => this.ev(a, scope));
    if (!args.some((a) => a.t)) return;
    const m = this.narrowBody(fn.node, args, undefined, fn.scope, 0);
    const out = m && paramFactsToArgs(m, fn.node, call.arguments, args);
    if (out) this.applyFacts(out, scope);
  }

  /**
   * The function of the analysed code a check calls: `check(p)`, a class's static method or a
   * module's function (`PathUtils.validateSegment(p)`, `utils.isInside(p)`), a method of the
   * instance (`this.validate(p)`).
   */
  private checkFunction(callee: ts.Expression, scope: Scope): FnVal | undefined {
    if (isIdentifier(callee)) return this.lookup(callee.text, scope)?.fn;
    if (!isPropertyAccessExpression(callee)) return undefined;
    const recv = unwrap(callee.expression);
    if (recv.kind === SyntaxKind.ThisKeyword) return this.classMethod(callee.name.text, scope);
    if (!isIdentifier(recv)) return undefined;
    const v = this.lookup(recv.text, scope);
    if (!v || !(v.cls || v.props || v.inst)) return undefined;
    return this.ev(callee, scope).fn;
  }

  /**
   * `assertSafeArgv(args);` as a statement, where the called function rejects elements that
   * start with `-` (`optionScreen`): after it, the vector's elements cannot inject options
   * (Flux159/mcp-server-kubernetes screens every kubectl vector this way). Only the argument
   * kind is cleaned: the elements may still be shell syntax or paths.
   */
  private applyOptionScreen(expr: ts.Expression, scope: Scope): void {
    let e = unwrap(expr);
    if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
    if (!isCallExpression(e) || e.arguments.length === 0) return;
    const callee = unwrap(e.expression);
    if (!isIdentifier(callee) && !isPropertyAccessExpression(callee)) return;
    // Only a call handed data worth screening is looked at (most statements are not).
    const screened = (a: ts.Expression): boolean => {
      const u = unwrap(a);
      return isIdentifier(u) && !!this.lookup(u.text, scope)?.t;
    };
    if (!e.arguments.some(screened)) return;
    const fn = this.resolveFn(callee, scope) ?? this.ev(callee, scope).fn;
    if (!fn || !optionScreen(fn)) return;
    for (const a of e.arguments) {
      const key = keyOf(unwrap(a));
      if (key) scope.addNarrow(key, { clean: KIND_BITS.argument!, elements: true });
    }
  }

  /**
   * `run()` of a method of an imported class with its instance's fields, called from the
   * analysed file: what it reaches in other modules is reported at `call` (the outermost such
   * call), since a run, unlike a summary, keeps the hits where their sinks are.
   */
  private runForeign(fn: FnVal, call: ts.Node, scope: Scope, run: () => Val): Val {
    if (this.foreignCall || scope.unit !== this.main || fn.unit === this.main) return run();
    this.foreignCall = { span: spanOf(call, scope.unit.sf), name: fn.name };
    try {
      return run();
    } finally {
      this.foreignCall = undefined;
    }
  }

  /**
   * Whether a call of `fn` runs its body with these arguments instead of applying its summary:
   * this call passes client data, and an object whose methods a summary cannot see (an instance
   * of a project class, an object holding functions, a sink function; or a field of an argument
   * holding one) to a parameter the body calls a method through. A summary's parameters are
   * placeholders, so `ctx.saveFile(p)` on one reaches no method: chrome-devtools-mcp's
   * `context.saveFile(filePath)` on a parameter typed with an interface, given the
   * `McpContext` instance (its issue #2201).
   */
  private runsWithArgs(fn: FnVal, args: readonly Val[]): boolean {
    if (!fn.node.body || fn.node.parameters.length === 0 || this.isRunning(fn.node)) return false;
    if (!args.some((a) => fromClient(a, 1))) return false;
    let through = this.receivers.get(fn.node);
    if (!through) {
      through = methodCallsThrough(fn.node, fn.unit.sf.text);
      this.receivers.set(fn.node, through);
    }
    for (let i = 0; i < through.length && i < args.length; i++) if (through[i] && bearsMethods(args[i]!, 1)) return true;
    return false;
  }

  /**
   * Whether a call of `fn` runs its body with these arguments because it wraps a function this
   * call passes: a factory returning a closure that calls a parameter given a function or a
   * definition holding one (`createTool(config) { return { handler: (args) => config.handler(args,
   * root) } }`, obsidian-mcp). A summary's closure calls the parameter's placeholder, which runs
   * nothing; a run binds the closure to the definition passed.
   */
  private wrapsFunctionsPassed(fn: FnVal, args: readonly Val[]): boolean {
    if (!fn.node.body || fn.node.parameters.length === 0 || this.isRunning(fn.node)) return false;
    if (!args.some((a) => a.fn || holdsDefinition(a))) return false;
    let wrapped = this.closureCallers.get(fn.node);
    if (!wrapped) {
      wrapped = closureCallsThrough(fn.node);
      this.closureCallers.set(fn.node, wrapped);
    }
    for (let i = 0; i < wrapped.length && i < args.length; i++) if (wrapped[i] && (args[i]!.fn || holdsDefinition(args[i]!))) return true;
    return false;
  }

  /**
   * Whether `fn` is a function of the analysed file that holds a tool registration whose handler
   * calls one of `fn`'s parameters (or a value bound from one), or that passes its parameters
   * to such a function: the registration depends on what each call passes.
   */
  private registersTools(fn: FnVal): boolean {
    if (fn.unit !== this.main || this.isRunning(fn.node) || this.registeringThrough > 4) return false;
    let known = this.registering.get(fn.node);
    if (known === undefined) {
      known = false;
      const word = (n: string) => `(?<![\\w$])${n.replace(/\$/g, '\\$')}`;
      const text = this.main.sf.text;
      for (const [call, reg] of this.main.regs) {
        if (known || fn.node.parameters.length === 0 || call.pos < fn.node.pos || call.end > fn.node.end || !reg.handler) continue;
        // The handler calls a parameter (`cb(args)`), a function of one (`tool.handler(args)`,
        // chrome-devtools-mcp), or one through a value made from one (`const h = new
        // ToolHandler(tool); ... h.handle(args)`, a loop variable over a list parameter).
        const callers = namesFrom(fn.node, text, reg.handler, word);
        const body = text.slice(reg.handler.pos, reg.handler.end);
        known = callers.some((n) => new RegExp(`${word(n)}(?:\\s*\\??\\.\\s*[\\w$]+)*\\s*\\(`).test(body));
      }
      if (!known) {
        // Set first: a helper calling itself is no registering one through that call.
        this.registering.set(fn.node, false);
        known = this.passesToRegistering(fn, text, word);
      }
      this.registering.set(fn.node, known);
    }
    return known;
  }

  /**
   * Whether `fn` hands what it was given to a function of the file that registers tools with
   * it (`registerAll(tools) { for (const t of tools) register(t) }`, `this.register(tool)`), so
   * that the registrations depend on each call of `fn` too. Only functions holding a
   * registration are looked up, and only when some registration is outside `fn`.
   */
  private passesToRegistering(fn: FnVal, text: string, word: (n: string) => string): boolean {
    const body = fn.node.body;
    if (!body || fn.node.parameters.length === 0) return false;
    if (!this.regsInFunctions) {
      // Registrations made inside a function: a file registering only at its top level (most)
      // has none, and no function of it is looked into.
      this.regsInFunctions = [];
      for (const c of this.main.regs.keys()) {
        let p: ts.Node | undefined = c.parent;
        while (p && !isFunctionLike(p)) p = p.parent;
        if (p) this.regsInFunctions.push(c);
      }
    }
    const holders = this.regsInFunctions.filter((c) => c.pos < fn.node.pos || c.end > fn.node.end);
    if (holders.length === 0) return false;
    const names = namesFrom(fn.node, text, undefined, word);
    if (names.length === 0) return false;
    const mentions = new RegExp(`(?:${names.map(word).join('|')})(?![\\w$])`);
    let cls: ts.ClassLikeDeclaration | undefined;
    for (let p: ts.Node | undefined = fn.node.parent; p && !cls; p = p.parent) if (isClassDeclaration(p) || isClassExpression(p)) cls = p;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (isCallExpression(n) && n.arguments.some((a) => mentions.test(text.slice(a.pos, a.end)))) {
        const callee = unwrap(n.expression);
        let g: FnVal | undefined;
        if (isIdentifier(callee)) g = this.lookup(callee.text, fn.scope)?.fn;
        else if (cls && isPropertyAccessExpression(callee) && callee.expression.kind === SyntaxKind.ThisKeyword) g = this.methodOf(cls, callee.name.text, fn.scope);
        if (g && g.node !== fn.node && holders.some((c) => g!.node.pos <= c.pos && c.end <= g!.node.end) && this.registersTools(g)) found = true;
      }
      if (!found) forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  /**
   * The functions a call may run when its callee or receiver is one of several values (`alts`):
   * each alternative's function, or for a method call each alternative's method (an instance's
   * class method, an object's function property). Undefined when there are none.
   */
  private alternativeTargets(callee: Val, recv: Val | undefined, method: string | undefined, scope: Scope): { fn: FnVal; self?: Val }[] | undefined {
    const out: { fn: FnVal; self?: Val }[] = [];
    const add = (f: FnVal | undefined, self?: Val) => {
      if (f && !out.some((x) => x.fn.node === f.node)) out.push(self ? { fn: f, self } : { fn: f });
    };
    if (method !== undefined && recv?.alts) {
      for (const a of recv.alts) {
        if (a.inst) add(this.methodOf(a.inst, method, scope), a);
        else add(a.props?.get(method)?.fn);
      }
    }
    for (const a of callee.alts ?? []) add(a.fn);
    return out.length > 0 ? out : undefined;
  }

  /**
   * A module variable declared empty and set inside a function (`let adapter = null; function
   * init() { adapter = createAdapter() }`, executeautomation/mcp-database-server): handlers run
   * after the set-up, so the variable holds what those assignments give, evaluated at the top of
   * the module.
   */
  private lateValue(name: string, top: Scope): Val {
    const unit = top.unit;
    let index = this.lateAssignments.get(unit);
    if (!index) {
      const found = new Map<string, ts.Expression[]>();
      walkTsKinds(unit.sf, ASSIGNMENTS, (n) => {
        const b = n as ts.BinaryExpression;
        const left = unwrap(b.left);
        if (b.operatorToken.kind !== SyntaxKind.EqualsToken || !isIdentifier(left)) return;
        let inFunction = false;
        for (let p: ts.Node | undefined = b.parent; p && !inFunction; p = p.parent) inFunction = isFunctionLike(p);
        if (!inFunction) return;
        const list = found.get(left.text);
        if (list) list.push(b.right);
        else found.set(left.text, [b.right]);
      });
      index = found;
      this.lateAssignments.set(unit, index);
    }
    let v: Val = EMPTY;
    for (const e of index.get(name) ?? []) v = join(v, this.ev(e, top));
    return v;
  }

  /**
   * `C.name` of a class of the analysed code: a static method (`Fetcher.html(args)`, a tool class's
   * `static execute`), or a static field's value (`static schema = {...}`), evaluated where the
   * class is declared.
   */
  private staticMember(cls: ts.ClassLikeDeclaration, name: string, scope: Scope): Val {
    for (const m of cls.members) {
      if (propName(m.name) !== name || !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static)) continue;
      const { unit, top } = this.classHome(cls, scope);
      if (isMethodDeclaration(m) && m.body) return { fn: { node: m, scope: top, unit, name } };
      if (isPropertyDeclaration(m) && m.initializer) {
        const init = unwrap(m.initializer);
        if (isArrowFunction(init) || isFunctionExpression(init)) return { fn: { node: init, scope: top, unit, name } };
        return this.ev(m.initializer, top);
      }
    }
    return EMPTY;
  }

  /**
   * `obj.name` of an instance whose class has a getter `name` (an arguments wrapper's `get
   * commandLine() { return String(this.raw.command_line) }`): the getter's result, run with
   * the instance's fields.
   */
  private getterValue(v: Val, name: string, scope: Scope): Val {
    const cls = v.inst!;
    const getter = cls.members.find((m): m is ts.GetAccessorDeclaration => isGetAccessorDeclaration(m) && !!m.body && propName(m.name) === name);
    if (!getter || this.isRunning(getter)) return EMPTY;
    const { unit, top } = this.classHome(cls, scope);
    return this.runFunction({ node: getter, scope: top, unit, name }, [], (v.props as Map<string, Val> | undefined) ?? new Map());
  }

  /** A class's method (or function-valued field) `name`, its own or inherited through `extends`. */
  private methodOf(cls: ts.ClassLikeDeclaration, name: string, scope: Scope, depth = 0): FnVal | undefined {
    for (const m of cls.members) {
      if (isMethodDeclaration(m) && m.body && propName(m.name) === name) {
        const { unit, top } = this.classHome(cls, scope);
        return { node: m, scope: top, unit, name };
      }
      if (isPropertyDeclaration(m) && m.initializer && propName(m.name) === name) {
        const init = unwrap(m.initializer);
        if (isArrowFunction(init) || isFunctionExpression(init)) {
          const { unit, top } = this.classHome(cls, scope);
          return { node: init, scope: top, unit, name };
        }
      }
    }
    const base = depth < MAX_CLASS_DEPTH ? this.baseClass(cls, scope) : undefined;
    return base ? this.methodOf(base, name, scope, depth + 1) : undefined;
  }

  /** The class `cls extends`, when it is a class of the analysed code (this file or a local module). */
  private baseClass(cls: ts.ClassLikeDeclaration, scope: Scope): ts.ClassLikeDeclaration | undefined {
    const ext = cls.heritageClauses?.find((h) => h.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!ext || !isIdentifier(ext)) return undefined;
    const { top } = this.classHome(cls, scope);
    const base = this.lookup(ext.text, top)?.cls;
    return base && base !== cls ? base : undefined;
  }

  /**
   * Where a class's members run: the module that declares it. A class imported from another
   * module runs as that module's code (its spans are that file's, and its own routes and
   * request-typed parameters are sources of that file's analysis, not of the importer's).
   */
  private classHome(cls: ts.ClassLikeDeclaration, scope: Scope): { unit: Unit; top: Scope } {
    const sf = cls.getSourceFile();
    if (sf !== scope.unit.sf) {
      const unit = sf === this.main.sf ? this.main : this.units.get(sf.fileName);
      if (unit && unit.sf === sf && unit.top) return { unit, top: unit.top };
    }
    return { unit: scope.unit, top: this.topOf(scope) };
  }

  private topOf(scope: Scope): Scope {
    let s = scope;
    while (s.parent) s = s.parent;
    return s;
  }

  private onRegistration(reg: McpRegistration, call: ts.CallExpression, scope: Scope): Val {
    const argNodes = call.arguments;
    const at = handlerArgIndex(reg, argNodes);
    let handlers: readonly Handler[] = [];
    for (let i = 0; i < argNodes.length; i++) {
      if (i === at) {
        handlers = this.perElementHandlers(reg, argNodes, at, scope) ?? this.handlerFns(reg, argNodes[i]!, scope, call, at);
        continue;
      }
      // The name, description and input schema are dropped: most need not run at all.
      this.evDropped(argNodes[i]!, scope);
    }
    for (const { fn, masks, rerun } of handlers) {
      // A loop's definitions share the call: a handler gets its own definition's registration
      // when the model read it, else the masks of its definition's value, else none.
      const own = reg.definition ? this.definitionRegs.get(fn.node) : undefined;
      const params = own ? this.handlerParams(own, fn.node, fn.unit) : this.handlerParams(reg, fn.node, fn.unit, masks ?? (reg.definition ? NO_MASKS : undefined));
      if (fn.unit !== scope.unit && reg.wholeDefinition) {
        // Definitions made by one factory of another module share its closure's node, each with
        // its own definition bound (`createTool(config)`): one summary would serve them all.
        this.runForeign(fn, argNodes[at]!, scope, () => this.runFunction(fn, params));
      } else if (fn.unit !== scope.unit) {
        // A handler imported from a local module (`server.tool('x', schema, readFile)`): its sinks
        // are reported here, at the argument that registers it, as for any call into a module.
        this.applySummary(fn, params, [], argNodes[at]!, scope);
      } else if (!this.isAnalyzed(fn.node) || this.registeringThrough > 0 || rerun) {
        // Inside a registering function each call registers a handler with its own closure.
        this.runFunction(fn, params);
      }
    }
    return EMPTY;
  }

  /**
   * An inline handler of a registration in a loop whose schema is the loop element's
   * (`for (const t of tools) server.tool(t.name, t.schema, async (args) => t.execute(args))`):
   * one run per element, with the loop variable bound to that element alone and its own
   * schema's masks, so a `z.enum` of one tool class is checked for that class's method.
   * Undefined when the registration is not of that shape.
   */
  private perElementHandlers(reg: McpRegistration, argNodes: readonly ts.Expression[], at: number, scope: Scope): Handler[] | undefined {
    const h = reg.handler;
    const harg = argNodes[at];
    if (!h || !harg || !(harg.pos <= h.pos && h.end <= harg.end) || !isFunctionLike(unwrap(harg))) return undefined;
    let loop: { iterable: ts.Expression; path: string[]; name: string } | undefined;
    const schemaPaths: string[][] = [];
    argNodes.forEach((a, i) => {
      if (i === at) return;
      let e = unwrap(a);
      while (isPropertyAccessExpression(e)) e = unwrap(e.expression);
      const p = isIdentifier(e) ? loopElementPath(unwrap(a)) : undefined;
      if (!p || !isIdentifier(e)) return;
      // Only a loop variable bound whole (`for (const t of tools)`) can be rebound per element.
      const bound = p.path.length - (unwrap(a) === e ? 0 : countKeys(unwrap(a)));
      if (bound !== 0 || (loop && loop.iterable !== p.iterable)) return;
      loop ??= { iterable: p.iterable, path: [], name: e.text };
      schemaPaths.push(p.path);
    });
    if (!loop) return undefined;
    const elements = this.ev(loop.iterable, scope).elems;
    if (!elements || elements.length === 0 || elements.length > MAX_ALTS) return undefined;
    const out: Handler[] = [];
    for (const el of elements) {
      let masks: ReadonlyMap<string, number> | undefined;
      for (const p of schemaPaths) masks ??= shapeMasks(valAt(el, p));
      if (!masks) return undefined;
      const sub = new Scope(scope, scope.unit, scope.frame, false);
      sub.set(loop.name, el);
      const node = unwrap(harg) as ts.FunctionLikeDeclaration;
      out.push({ fn: { node, scope: sub, unit: scope.unit, name: fnName(node) }, masks, rerun: true });
    }
    return out;
  }

  /**
   * The functions a registration's handler argument denotes: the model's handler when the
   * argument holds it (inline, in a wrapper call, a fastmcp config object), else what the
   * argument names (a function of this file, an import, `fn.bind(this)`, `this.method`), else
   * the model's handler (a top-level function named in a config constant), else a function
   * passed to a wrapper call, else one per element of the tool definitions a loop registers
   * (`loopHandlers`), else what the argument evaluates to (a property of an object of handlers,
   * a factory's result).
   */
  private handlerFns(reg: McpRegistration, arg: ts.Expression, scope: Scope, call: ts.CallExpression, at: number): readonly Handler[] {
    const h = reg.handler;
    const e = unwrap(arg);
    if (h && e.pos <= h.pos && h.end <= e.end) {
      if (isFunctionLike(e)) return [{ fn: { node: e, scope, unit: scope.unit, name: fnName(e) } }];
      // fastmcp `addTool({ execute })` or a wrapper: the handler lives inside the argument.
      return [{ fn: { node: h, scope, unit: scope.unit, name: isObjectLiteralExpression(e) ? 'execute' : fnName(h) } }];
    }
    const direct = this.resolveFn(e, scope);
    if (direct) return [{ fn: direct }];
    // One definition of a loop (`reg.definition`) stands for the call: `loopHandlers` runs each.
    if (h && !reg.definition) return [{ fn: { node: h, scope: scope.unit.top ?? scope, unit: scope.unit, name: fnName(h) } }];
    if (isCallExpression(e)) {
      // A wrapper around a handler the model cannot see (`withErrors(files.grep)`): the wrapped
      // function gets the arguments, as in the model's `resolveFunction`. Evaluating the
      // wrapper instead would give its inner closure, which calls a parameter it cannot resolve.
      for (let i = e.arguments.length - 1; i >= 0; i--) {
        const inner = this.handlerFns(reg, e.arguments[i]!, scope, call, at);
        if (inner.length > 0) return inner;
      }
    }
    const looped = this.loopHandlers(e, scope, call, at, reg.wholeDefinition);
    if (looped.length > 0) return looped;
    if (reg.wholeDefinition) return definitionFns(this.ev(e, scope)).map((fn) => ({ fn }));
    if (isIdentifier(e) || isObjectLiteralExpression(e)) return [];
    // `files.handlers.tail`, a factory's result.
    const fn = this.ev(e, scope).fn;
    return fn ? [{ fn }] : [];
  }

  /**
   * Handlers of a registration made in a loop over tool definitions, one per definition:
   * `for (const t of tools) server.tool(t.name, t.schema, t.handler)`, `for (const { handler }
   * of tools)`, `tools.forEach((t) => ...)`, `for (const [name, def] of Object.entries(TOOLS))`.
   * The loop variable's value is the elements' join, which keeps no function, so the iterated
   * value is evaluated here and each element's property read. Each handler gets its own
   * definition's input schema (`shapeMasks`) from the registration's other arguments read off the
   * same element (`t.schema`, `t.config`).
   */
  private loopHandlers(arg: ts.Expression, scope: Scope, call: ts.CallExpression, at: number, whole?: boolean): Handler[] {
    let e = arg;
    if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') e = unwrap(e.expression.expression);
    const handlerPath = loopElementPath(e);
    if (!handlerPath) return [];
    const iteration = objectIteration(handlerPath.iterable);
    let elements: readonly Val[];
    // Entries are read through `[name, def]`: their paths start at the value, index 1.
    let skip = 0;
    if (iteration) {
      if (iteration.entries) {
        if (handlerPath.path[0] !== '1') return [];
        skip = 1;
      }
      elements = [...(this.ev(iteration.object, scope).props?.values() ?? [])];
    } else {
      elements = this.ev(handlerPath.iterable, scope).elems ?? [];
    }
    const schemaPaths: string[][] = [];
    call.arguments.forEach((a, i) => {
      const p = i === at ? undefined : loopElementPath(unwrap(a));
      if (p && p.iterable === handlerPath.iterable && (skip === 0 || p.path[0] === '1')) schemaPaths.push(p.path.slice(skip));
    });
    const out: Handler[] = [];
    for (const el of elements) {
      const at = valAt(el, handlerPath.path.slice(skip));
      // A whole definition registered (`server.registerTool(tool)`): its handler property.
      const fns = at?.fn ? [at.fn] : whole && at ? definitionFns(at) : [];
      for (const fn of fns) {
        if (out.some((x) => x.fn.node === fn.node && x.fn.scope === fn.scope)) continue;
        let masks: ReadonlyMap<string, number> | undefined;
        for (const p of schemaPaths) masks ??= shapeMasks(valAt(el, p));
        out.push(masks ? { fn, masks } : { fn });
      }
    }
    return out;
  }

  /** `ev` of an expression whose value is not used: skipped when it would do nothing else. */
  private evDropped(e: ts.Expression, scope: Scope): void {
    if (taintShortcuts.enabled && this.isInert(e, scope)) return;
    this.ev(e, scope);
  }

  /**
   * Whether `ev(e, scope)` would change no state and report no flow, so that a caller dropping
   * its value may skip it. Conservative, by syntax and a look at the variables it reads (no
   * import is resolved): the forms allowed, and why `ev` of them is inert:
   * - literals, templates, object and array literals without methods, accessors or functions,
   *   property and element access, parentheses, `await`, type assertions, and `!`/`-`/`+`/`~`:
   *   they only evaluate their parts;
   * - variables not declared (globals) or holding a value with no taint, function, class,
   *   instance, fields, elements or unresolved import: from such values `access` and calls
   *   make only module references, constants, zod schemas and secret names, never a function
   *   or a tainted value;
   * - calls and `new` with such parts that are not MCP registrations, `require`/`import()`,
   *   `this.m()`, or `push`/`unshift` (which assign to their receiver): with no function value
   *   no local code runs, with no tainted argument no sink reports, and no callback runs;
   * - binary operators other than assignments, `&&`, `||` and `??` (those narrow, which may
   *   run a helper's statements): a comparison reports only a tainted side.
   * Skipping changes only how often the deadline is checked.
   */
  private isInert(e: ts.Expression, scope: Scope): boolean {
    switch (e.kind) {
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NoSubstitutionTemplateLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.BigIntLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
      case SyntaxKind.RegularExpressionLiteral:
        return true;
      case SyntaxKind.Identifier:
        return this.isInertVariable((e as ts.Identifier).text, scope);
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
      case SyntaxKind.AwaitExpression:
      case SyntaxKind.TypeOfExpression:
      case SyntaxKind.VoidExpression:
      case SyntaxKind.SpreadElement:
        return this.isInert((e as ts.ParenthesizedExpression).expression, scope);
      case SyntaxKind.PrefixUnaryExpression:
        return this.isInert((e as ts.PrefixUnaryExpression).operand, scope);
      case SyntaxKind.TemplateExpression:
        for (const sp of (e as ts.TemplateExpression).templateSpans) if (!this.isInert(sp.expression, scope)) return false;
        return true;
      case SyntaxKind.ArrayLiteralExpression:
        for (const el of (e as ts.ArrayLiteralExpression).elements) if (!isOmittedExpression(el) && !this.isInert(el, scope)) return false;
        return true;
      case SyntaxKind.ObjectLiteralExpression:
        for (const p of (e as ts.ObjectLiteralExpression).properties) {
          if (isPropertyAssignment(p)) {
            if (!this.isInert(p.initializer, scope)) return false;
          } else if (isShorthandPropertyAssignment(p)) {
            if (p.objectAssignmentInitializer || !this.isInertVariable(p.name.text, scope)) return false;
          } else if (isSpreadAssignment(p)) {
            if (!this.isInert(p.expression, scope)) return false;
          } else return false;
        }
        return true;
      case SyntaxKind.PropertyAccessExpression:
        return this.isInert((e as ts.PropertyAccessExpression).expression, scope);
      case SyntaxKind.ElementAccessExpression: {
        const a = e as ts.ElementAccessExpression;
        return this.isInert(a.expression, scope) && this.isInert(a.argumentExpression, scope);
      }
      case SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if ((op >= SyntaxKind.FirstAssignment && op <= SyntaxKind.LastAssignment) || op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) return false;
        return this.isInert(b.left, scope) && this.isInert(b.right, scope);
      }
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression: {
        const c = e as ts.CallExpression | ts.NewExpression;
        if (scope.unit.regs.has(c)) return false;
        const callee = unwrap(c.expression);
        if (isIdentifier(callee)) {
          if (callee.text === 'require') return false;
        } else if (isPropertyAccessExpression(callee) || isElementAccessExpression(callee)) {
          const m = accessName(callee);
          if (m === 'push' || m === 'unshift' || unwrap(callee.expression).kind === SyntaxKind.ThisKeyword) return false;
        } else if (callee.kind === SyntaxKind.ImportKeyword) return false;
        if (!this.isInert(c.expression, scope)) return false;
        for (const a of c.arguments ?? NO_NODES) if (!this.isInert(a, scope)) return false;
        return true;
      }
      default:
        return false;
    }
  }

  /** A variable `isInert` allows: undeclared, or holding a plain value (see there). */
  private isInertVariable(name: string, scope: Scope): boolean {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const v = s.get(name);
      if (v !== undefined) return !(v.t || v.fn || v.cls || v.inst || v.lazy || v.props || v.elems || v.alts);
    }
    return true;
  }

  private resolveFn(expr: ts.Expression, scope: Scope, hint?: ts.FunctionLikeDeclaration): FnVal | undefined {
    const e = unwrap(expr);
    if (isFunctionLike(e)) return { node: e, scope, unit: scope.unit, name: fnName(e) };
    if (isObjectLiteralExpression(e) && hint) {
      // fastmcp `addTool({ execute })`: the handler lives inside the config object.
      return { node: hint, scope, unit: scope.unit, name: 'execute' };
    }
    if (isIdentifier(e)) return this.lookup(e.text, scope)?.fn;
    if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return this.resolveFn(e.expression.expression, scope);
    if (isPropertyAccessExpression(e) && e.expression.kind === SyntaxKind.ThisKeyword) return this.classMethod(e.name.text, scope);
    return undefined;
  }

  /** Inline callbacks: analysed in place, with element/request parameters where known. */
  private analyzeCallbacks(call: ts.CallExpression | ts.NewExpression, args: readonly Val[], recv: Val | undefined, method: string | undefined, scope: Scope): void {
    // An imported module's own top-level code holds no source (sources are the analysed file's)
    // and flows found there belong to that module's own analysis: its callbacks (route and tool
    // handlers, listeners) are left to it. On a real server's entry file this was most of the time.
    if (!scope.unit.main && scope.frame === scope.unit.top?.frame) return;
    let fnArgs: FnVal[] | undefined;
    for (const a of args) {
      const f = a.fn;
      if (f !== undefined && !this.isAnalyzed(f.node)) (fnArgs ??= []).push(f);
    }
    if (fnArgs === undefined) return;
    const calleeName = method ?? (isIdentifier(unwrap(call.expression)) ? (unwrap(call.expression) as ts.Identifier).text : '');
    const isHttp = scope.unit.main && isHttpRouteCall(call, method, calleeName);
    for (const f of fnArgs) {
      let params: Val[] = [];
      const p0 = f.node.parameters[0];
      const p0name = p0 && isIdentifier(p0.name) ? p0.name.text : undefined;
      if (isHttp && p0) {
        const span = spanOf(p0.name, scope.unit.sf);
        if (p0name === 'c' || p0name === 'ctx' || p0name === 'context') params = [this.sourceVal(p0name, 'HTTP request', span, scope.unit, 'hono-ctx')];
        else if (f.node.parameters.length >= 2 || p0name === 'req' || p0name === 'request') params = [this.sourceVal(p0name ?? 'req', 'HTTP request', span, scope.unit, 'http-req')];
      } else if (recv?.t && method !== undefined && /^(?:map|forEach|filter|find|flatMap|some|every|reduce|then|findLast)$/.test(method)) {
        const el = method === 'then' ? recv : elementOf(recv);
        params = method === 'reduce' ? [EMPTY, el] : [el];
      } else if (recv?.elems && method !== undefined && /^(?:map|forEach|flatMap)$/.test(method) && alternatives(recv.elems)) {
        // A list of tools or handlers (`tools.forEach((t) => t.register(server))`): the callback
        // sees each of them.
        params = [elementOf(recv)];
      }
      this.runFunction(f, params);
    }
  }

  /**
   * `authorization.endsWith(SECRET)`: a prefix, suffix or substring test of request data against
   * a secret stops at the first differing character, as `===` does (and also accepts any text
   * around the secret). Whether it was reported.
   */
  private checkTimingMethod(call: ts.CallExpression | ts.NewExpression, method: string, recv: Val, args: readonly Val[], argNodes: readonly ts.Expression[], scope: Scope): boolean {
    if (!argNodes[0] || !this.want('timing')) return false;
    const s = args[0] ?? EMPTY;
    const secret = s.t || s.str !== undefined ? undefined : (s.secret ?? secretNameOf(argNodes[0]));
    if (!secret) return false;
    const hit: Hit = {
      kind: 'timing',
      sinkSpan: spanOf(call, scope.unit.sf),
      argSpan: spanOf(isPropertyAccessExpression(call.expression) ? call.expression.expression : call, scope.unit.sf),
      sinkName: method,
      data: { secretName: secret, operator: method },
      unit: scope.unit,
    };
    for (const o of recv.t!) this.emit(hit, o);
    return true;
  }

  /** What a call that is not a local function returns. */
  private callResult(call: ts.CallExpression | ts.NewExpression, callee: Val, recv: Val | undefined, method: string | undefined, args: readonly Val[], argNodes: readonly ts.Expression[], scope: Scope): Val {
    if (method && recv?.t && (method === 'endsWith' || method === 'startsWith' || method === 'includes') && this.checkTimingMethod(call, method, recv, args, argNodes, scope)) {
      return { cond: call as ts.Expression };
    }
    const ref = callee.ref;
    const a0 = args[0] ?? EMPTY;
    if (ref) {
      const mod = ref.module;
      const last = ref.path[ref.path.length - 1];
      if (mod === '' && ref.path.length === 1) {
        if (last === 'require' || last === 'URL') {
          if (last === 'URL') {
            // `new URL(`/alerts?area=${state}`, API_BASE)`: a relative reference whose literal
            // start rules out a scheme or `//host` keeps the constant base's origin.
            const base = args[1];
            if (a0.t && base && !base.t && base.str !== undefined && ABSOLUTE_URL.test(base.str) && argNodes[0] && keepsBaseOrigin(argNodes[0])) {
              return cleanVal(a0, KIND_BITS.ssrf!);
            }
            return { ...taintOf(a0), ...(argNodes[0] && keyOf(argNodes[0]) ? { urlOf: keyOf(argNodes[0])! } : {}) };
          }
        }
        if (NUMERIC_GLOBALS.has(last!)) return { num: true };
        if (last === 'encodeURIComponent' || last === 'encodeURI') return cleanVal(a0, KIND_BITS.command!);
        if (last === 'String') return a0;
        if (last === 'RegExp') return { ...(stringValue(argNodes[0]) !== undefined ? { regex: stringValue(argNodes[0])! } : {}), ...((stringValue(argNodes[1]) ?? '').includes('g') ? { regexGlobal: true } : {}) };
      }
      if (mod === '' && ref.path[0] === 'Math') return { num: true };
      // `Object.values(toolModule)` of an object or module of tool definitions
      // (chrome-devtools-mcp's `...Object.values(consoleTools)`): a list of those values, so that
      // a loop over it sees each definition and its handler.
      if (mod === '' && last === 'values' && ref.path.length === 2 && ref.path[0] === 'Object' && a0.props && !a0.t) {
        return { elems: [...a0.props.values()] };
      }
      // `Object.assign(options, patch)`: any field of `options` may now hold the patch's data.
      if (mod === '' && last === 'assign' && ref.path.length === 2 && ref.path[0] === 'Object' && argNodes[0] && isIdentifier(unwrap(argNodes[0]))) {
        const target = (unwrap(argNodes[0]) as ts.Identifier).text;
        const cur = this.lookup(target, scope);
        const added = joinAll(args.slice(1)).t;
        if (cur && (added || cur.own || cur.closed)) {
          const next: Val = { ...cur, own: undefined, closed: undefined, ...(added ? { t: cur.t ? capOrigins([...cur.t, ...added]) : added } : {}) };
          this.assign(target, next, scope);
          return next;
        }
      }
      if (mod === 'path') {
        if (last && NORMALIZERS.has(last)) {
          const joined = pathJoin(args, true, ref.path[ref.path.length - 1], argNodes.map(isSpreadElement));
          // The file a normalized path names is its argument's: `normalize(p)`,
          // `resolve(normalize(p))`, `resolve(process.cwd(), p)` (relative paths are read
          // against the working directory anyway).
          const last = argNodes.length === 1 ? 0 : argNodes.length === 2 && isCwdCall(argNodes[0]!) ? 1 : -1;
          let alias = last >= 0 && argNodes[last] ? (keyOf(argNodes[last]!) ?? args[last]?.aliasOf) : undefined;
          // `join(realpath(dirname(p)), basename(p))`: p with its folder's links resolved.
          if (!alias && argNodes.length === 2 && args[0]?.aliasOf !== undefined && basenameOf(argNodes[1]!) === args[0].aliasOf) alias = args[0].aliasOf;
          // `resolve` gives an absolute path: it starts with '/' (or a drive), never with '-', so
          // it is no option on a command line (fast-filesystem-mcp's `tar -czf <resolved>`); so
          // does a join whose first part is a folder name or an absolute path (`join('out', p)`;
          // not `'.'`, which normalising drops).
          const head = argNodes.length > 1 ? args[0]?.str : undefined;
          const noOption = ref.path[ref.path.length - 1] === 'resolve' || (head !== undefined && /^[/\\\w~]/.test(head));
          const absolute = noOption && joined.t ? { ...joined, t: joined.t.map((o) => ({ ...o, clean: o.clean | KIND_BITS.argument! })) } : joined;
          return alias ? { ...absolute, aliasOf: alias } : absolute;
        }
        if (last === 'basename') return cleanVal(a0, KIND_BITS.path!);
        if (last === 'dirname' && a0.t && argNodes.length === 1) {
          // A normalized path is inside a folder when its parent directory is: a check of
          // `dirname(p)` (a file about to be created) holds for `p`.
          const alias = a0.t.every((o) => o.flags & NORM) ? (keyOf(argNodes[0]!) ?? a0.aliasOf) : undefined;
          return alias ? { ...taintOf(a0), aliasOf: alias } : taintOf(a0);
        }
        if (last === 'relative') {
          const target = argNodes[1] ? keyOf(argNodes[1]) : undefined;
          return { ...taintOf(joinAll(args)), ...(target ? { relOf: target } : {}) };
        }
        if (last === 'isAbsolute') return { cond: call as ts.Expression };
        if (last === 'sep' || last === 'delimiter') return { str: '/', sepEnd: true };
      }
      if ((mod === 'fs' || mod === 'fs-extra' || mod === 'graceful-fs' || mod === 'fs/promises') && (last === 'readdir' || last === 'readdirSync')) {
        // The names in a folder are single path segments, never `..`: a file under a checked
        // folder joined from them stays under it.
        return cleanVal(taintOf(a0), KIND_BITS.path!);
      }
      if ((mod === 'fs' || mod === 'fs-extra' || mod === 'graceful-fs') && last && REALPATH.has(last)) {
        const alias = argNodes[0] ? (keyOf(argNodes[0]) ?? a0.aliasOf) : undefined;
        const r = realpath(a0, spanOf(call, scope.unit.sf));
        return alias && r.t ? { ...r, aliasOf: alias } : r;
      }
      if (mod === 'util' && last === 'promisify') return { ...a0, promisified: true };
      if (mod === 'util' && (last === 'format' || last === 'inspect')) return taintOf(joinAll(args));
      if (mod === 'crypto' && last === 'timingSafeEqual') return EMPTY;
      // `createHash('sha256').update(prompt).digest('hex')`: a digest carries nothing the client
      // can choose (jamubc/gemini-mcp-tool names cache files by one): clean for every kind, as
      // Python's hashlib is (the timing rule still sees a digest compared, by its variable).
      // An HMAC's digest is made with its key, a secret: compared by `===` with a signature the
      // client sends, it leaks as the key would (a webhook's `x-signature` check).
      if (mod === 'crypto' && last === 'digest' && ref.path.includes('()')) return { ref: { module: mod, path: [...ref.path, '()'] }, ...(ref.path[0] === 'createHmac' ? { secret: 'HMAC digest' } : {}) };
      for (const row of MODULE_ESCAPERS) {
        if (row.modules.includes(mod) && row.names.includes(last ?? '')) return cleanVal(joinAll(args), row.bits);
      }
      if (mod === 'zod' || mod === 'zod/v4') {
        if (method && PARSE_METHODS.has(method)) return this.zodParse(recv ?? EMPTY, a0);
        return { zod: call as ts.Expression };
      }
      if (method && recv?.zod && PARSE_METHODS.has(method)) return this.zodParse(recv, a0);
      const result: Ref = { module: mod, path: [...ref.path, '()'] };
      // What a command prints is the program's, not the client's, whatever its arguments
      // (`kubectl --context <ctx> get pods -o json` lists the cluster's pod names); the call
      // itself is checked as a sink. As CodeQL's and Semgrep's models, no flow from a command
      // line to its output.
      if (!ref.path.includes('()') && (findEntry(SHELL_COMMAND_SINKS, ref) || findEntry(PROGRAM_SINKS, ref))) return { ref: result };
      // Call results of module functions: instances keep the module so methods resolve.
      const t = taintOf(joinAll(recv?.t ? [recv, ...args] : args)).t;
      return t ? { ref: result, t } : { ref: result };
    }
    if (method && recv?.zod && PARSE_METHODS.has(method)) return this.zodParse(recv, a0);
    if (method && recv?.zod) return { zod: recv.zod };
    if (method && SECRET_PRODUCING_METHODS.has(method)) return { secret: 'digest' };
    if (method && ESCAPERS[method]) return cleanVal(joinAll(args), ESCAPERS[method]!);
    if (!method && isIdentifier(unwrap(call.expression))) {
      const n = (unwrap(call.expression) as ts.Identifier).text;
      if (ESCAPERS[n]) return cleanVal(joinAll(args), ESCAPERS[n]!);
    }
    if (method && NON_PROPAGATING.has(method)) return { cond: call as ts.Expression };
    if (method && recv) return this.methodResult(call, method, recv, args, argNodes, scope);
    // Unknown function: its result carries its arguments' taint.
    return taintOf(joinAll(args));
  }

  private zodParse(schema: Val, input: Val): Val {
    if (!input.t) return EMPTY;
    const node = schema.zod ? unwrap(schema.zod) : undefined;
    const shape = node ? zodShapeOf(node) : undefined;
    if (shape) return { t: input.t.map((o) => (o.owner ? o : { ...o, role: 'zod' as Role, shape })) };
    const mask = node ? schemaMask(zodSchemaOf(node).schema) : 0;
    return cleanVal(input, mask);
  }

  private methodResult(call: ts.CallExpression | ts.NewExpression, method: string, recv: Val, args: readonly Val[], argNodes: readonly ts.Expression[], scope: Scope): Val {
    // Request accessors: req.get('x'), req.header('x'), c.req.query('x').
    if (recv.t?.some((o) => o.role === 'http-req' || o.role === 'hono-req')) {
      const nameArg = stringValue(argNodes[0]);
      const t: Origin[] = [];
      for (const o of recv.t) {
        let kind: string | undefined;
        if (o.role === 'http-req' && (method === 'get' || method === 'header')) kind = 'request header';
        else if (o.role === 'http-req' && method === 'param') kind = 'request parameter';
        else if (o.role === 'hono-req' && HONO_REQ_GETTERS[method]) kind = HONO_REQ_GETTERS[method];
        else if (o.role === 'hono-req' && method === 'valid' && nameArg !== undefined) kind = HONO_VALID_TARGETS[nameArg];
        if (!kind) continue;
        // `valid('json')` names the part, not a field of it: the whole part, named by its target.
        const valid = method === 'valid';
        const leafName = nameArg ?? method;
        const span = spanOf(call, scope.unit.sf);
        const isWhole = valid || (nameArg === undefined && (kind === 'request body' || method === 'query' || method === 'param'));
        t.push({
          src: { name: leafName, kind },
          step: { label: `${kind} '${leafName}'`, span, unit: scope.unit, prev: undefined, n: 1 },
          clean: 0,
          flags: 0,
          ...(isWhole ? { role: 'http-part' as Role, partKind: kind === 'request body' ? 'request body field' : kind } : {}),
        });
      }
      if (t.length) return { t };
    }
    switch (method) {
      case 'find':
      case 'findLast':
      case 'at':
      case 'pop':
      case 'shift':
        // One element: with its functions and fields (`tools.find((t) => t.name === name)`).
        if (recv.elems && !recv.t) return elementOf(recv);
        break;
      case 'push':
      case 'unshift': {
        const target = unwrap((call.expression as ts.PropertyAccessExpression).expression);
        if (isIdentifier(target)) {
          const cur = this.lookup(target.text, scope) ?? EMPTY;
          const elems = method === 'push' ? [...(cur.elems ?? []), ...args] : [...args, ...(cur.elems ?? [])];
          const t = joinAll([cur, ...args]).t;
          const grown: Val = { ...cur, ...(cur.elems || !cur.t ? { elems } : {}), ...(t ? { t } : {}) };
          this.assign(target.text, grown, scope);
          this.writeThroughImport(target.text, grown, scope);
        }
        return { num: true };
      }
      case 'get':
        // `projects.get(projectId)`: as `obj[key]`, the key's taint does not flow into the value
        // looked up (spec-workflow-mcp's dashboard picks a registered project by the URL's id).
        // A receiver holding data (`url.searchParams.get('q')`, a Map given tainted values)
        // still gives it.
        if (argNodes.length === 1 && !recv.t) {
          const alts = recv.props ? alternatives(recv.props.values()) : recv.elems ? alternatives(recv.elems) : undefined;
          return alts ? { alts } : EMPTY;
        }
        if (argNodes.length === 1 && recv.t) return taintOf(recv);
        break;
      case 'set':
      case 'add': {
        // `cache.set(key, value)`, `seen.add(value)`: a Map or Set of a variable now holds the
        // value (weakly: `get` gives any value it holds).
        const target = unwrap((call.expression as ts.PropertyAccessExpression).expression);
        const t = joinAll(args).t;
        if (t && isIdentifier(target)) {
          const cur = this.lookup(target.text, scope);
          if (cur !== undefined && !cur.fn && !cur.inst && !cur.cls && !cur.ref) this.assign(target.text, { ...cur, t: capOrigins([...(cur.t ?? []), ...t]) }, scope);
          break;
        }
        // A registry of tools or handlers (`tools.set(tool.name, tool)`, `this.handlers.set(name,
        // fn)`): `get` gives one of the values stored, whose functions a call runs.
        const stored = method === 'set' ? args[1] : args[0];
        if (stored && holdsFunctions(stored) && !recv.t && !recv.fn && !recv.inst && !recv.cls && !recv.ref && (isIdentifier(target) || isThisField(target))) {
          const grown: Val = { ...recv, elems: [...(recv.elems ?? []), stored] };
          if (isIdentifier(target)) this.assign(target.text, grown, scope);
          else this.assignTarget(target, grown, scope);
        }
        break;
      }
      case 'join': {
        const t = recv.t ?? joinAll(recv.elems ?? []).t;
        const first = recv.elems?.[0];
        return { ...(t ? { t: resetPath(t) } : {}), ...(first?.fixedPrefix || (first?.str ?? '') !== '' ? { fixedPrefix: true } : {}) };
      }
      case 'concat': {
        const all = joinAll([recv, ...args]);
        if (recv.elems) return { ...all, elems: [...recv.elems, ...args.flatMap((a) => a.elems ?? [a])] };
        return { ...taintOf(all), ...(recv.fixedPrefix ? { fixedPrefix: true } : {}) };
      }
      case 'split': {
        const sep = args[0]?.str;
        if (sep) {
          const words = splitVal(recv, sep);
          if (words) return words;
          // A helper's parameter split into words (`const [cmd, ...args] = command.split(' ')`):
          // which program runs is decided at each call, with the text that call passes.
          const only = recv.t?.length === 1 ? recv.t[0]! : undefined;
          if (only?.owner && only.param !== undefined && !only.keys?.length && !only.src && recv.str === undefined) {
            return { elems: [{ ...taintOf(recv), splitOf: { sep, rest: false } }, { ...taintOf(recv), splitOf: { sep, rest: true } }], ...taintOf(recv), spread: true };
          }
        }
        return taintOf(joinAll([recv, ...args]));
      }
      case 'replace':
      case 'replaceAll': {
        const re = argNodes[0] ? this.regexOf(argNodes[0], scope) : undefined;
        const repl = args[1]?.str;
        // Every match replaced: `replaceAll`, or a `g` pattern (without it, only the first).
        const every = method === 'replaceAll' || (argNodes[0] !== undefined && this.regexGlobal(argNodes[0], scope));
        if (re !== undefined && repl !== undefined && every) {
          const m = /^\[\^(.*)\]([+*])?$/s.exec(re);
          if (m && !/[\\/.$`;&|]/.test(repl)) return cleanVal(recv, regexMask(`^[${m[1]}]*$`));
          // `id.replace(/[/.]/g, '-')`: the characters of the class are gone, as if the value had
          // matched `^[^/.]*$` (spec-workflow-mcp's task ids in log file names).
          const k = /^\[([^\]^][^\]]*)\]([+*])?$/s.exec(re);
          if (k && !/[\\/.$`;&|]/.test(repl) && !k[1]!.includes('-')) return cleanVal(recv, regexMask(`^[^${k[1]}]*$`));
        }
        // `dir.replace(/\/?$/, '/')`: whatever the value ended with, it now ends with a separator.
        // The pattern must match at the end of any text (an optional trailing character, or none).
        const sepEnd = method === 'replace' && re !== undefined && /^(?:(?:\\.|\[[^\]]*\]|[^\\[\]()|.*+?{}^$])[?*])?\$$/.test(re) && repl !== undefined && /[\\/]$/.test(repl);
        return { ...taintOf(joinAll([recv, args[1] ?? EMPTY])), ...(recv.fixedPrefix ? { fixedPrefix: true } : {}), ...(sepEnd ? { sepEnd: true } : {}) };
      }
      case 'toString':
      case 'trim':
      case 'trimStart':
      case 'trimEnd':
      case 'toLowerCase':
      case 'toUpperCase':
      case 'normalize':
      case 'slice':
      case 'substring':
      case 'substr':
      case 'padEnd':
        // `parts.slice(1)` of a list of known words: the words after the first, still a list.
        if (method === 'slice' && recv.elems && recv.closed && argNodes.length === 1 && isNumericLiteral(argNodes[0]!)) {
          const k = Number((argNodes[0] as ts.NumericLiteral).text);
          const elems = k < recv.elems.length ? recv.elems.slice(k) : recv.spread ? recv.elems.slice(-1) : [];
          const t = joinAll(elems).t;
          return { elems, ...(t ? { t } : {}), ...(recv.spread ? { spread: true } : {}), closed: true };
        }
        return { ...taintOf(recv), ...(recv.fixedPrefix && method !== 'slice' && method !== 'substring' ? { fixedPrefix: true } : {}), ...(recv.secret ? { secret: recv.secret } : {}) };
      case 'bind':
        return recv;
      case 'map':
      case 'filter':
      case 'sort':
      case 'reverse':
      case 'flat':
        return taintOf(recv);
    }
    // Anything else on a tainted receiver or with tainted arguments carries the taint.
    return taintOf(joinAll([recv, ...args]));
  }
}

// ------------------------------------------------------------------ value helpers

/** Fields of `this` in the function `scope` belongs to (arrow functions inherit them). */
function thisPropsOf(scope: Scope): Map<string, Val> | undefined {
  return scope.frame.thisProps;
}

/** Whether an assignment in `scope` may not run (inside a branch of its function). */
/**
 * Whether `stmt` only stores into the variable or field that `cond` tests for a value
 * (`if (o.path) o.path = f(o.path)`, `x !== undefined`, `x != null`): when the test fails it
 * holds nothing (empty, null or undefined).
 */
function storesWhereSet(cond: ts.Expression, stmt: ts.Statement): boolean {
  let c = unwrap(cond);
  if (isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    const r = unwrap(c.right);
    const nullish = r.kind === SyntaxKind.NullKeyword || (isIdentifier(r) && r.text === 'undefined');
    if (!nullish || (op !== SyntaxKind.ExclamationEqualsEqualsToken && op !== SyntaxKind.ExclamationEqualsToken)) return false;
    c = unwrap(c.left);
  }
  const key = keyOf(c);
  if (!key) return false;
  const body = isBlock(stmt) ? stmt.statements : [stmt];
  if (body.length !== 1) return false;
  const only = body[0]!;
  if (!isExpressionStatement(only)) return false;
  const e = unwrap(only.expression);
  return isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.EqualsToken && keyOf(e.left) === key;
}

function inBranch(scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s && s.frame === scope.frame; s = s.parent) if (s.branch) return true;
  return false;
}

function taintOf(v: Val): Val {
  return v.t ? { t: v.t } : EMPTY;
}

function stripTaint(v: Val): Val {
  if (!v.t) return v;
  const { t: _t, ...rest } = v;
  return rest;
}

function stripFacts(v: Val): Val {
  return v.t ? { t: v.t } : EMPTY;
}

function hasTaintDeep(v: Val): boolean {
  if (v.t?.length) return true;
  if (v.elems?.some(hasTaintDeep)) return true;
  if (v.props) for (const p of v.props.values()) if (p.t?.length) return true;
  return false;
}

function capOrigins(t: readonly Origin[]): Origin[] {
  const out: Origin[] = [];
  outer: for (const o of t) {
    if (out.length >= MAX_ORIGINS) break;
    // One source (or, in a helper's summary, one parameter) read at the same property is one
    // origin whatever path it took; read at another property (`args.timing`, `args.target`) it
    // is another, which a schema may make safe and not the first. Without this, the paths a
    // helper's branches give one parameter's property filled the cap, and the property appended
    // last was dropped (nmap-mcp-server: `nmap -T${timing}`, a switch, then `${target}`).
    for (const x of out) if (x === o || (sameSource(x, o) && x.clean === o.clean && x.flags === o.flags && x.role === o.role && sameKeys(x.keys, o.keys))) continue outer;
    out.push(o);
  }
  return out;
}


/**
 * The class name a type annotation gives, looking through parentheses, `Promise<X>` and a union
 * with `undefined`/`null` (`Fetcher`, `Promise<Fetcher>`, `Fetcher | undefined`); undefined for
 * any other type, and for generic instantiations.
 */
/** Types whose values are never strings: bytes and numbers. */
const NON_STRING_TYPES: ReadonlySet<string> = new Set(['Buffer', 'Uint8Array', 'ArrayBuffer', 'Uint8ClampedArray', 'Blob']);

/**
 * Whether a declared return type admits no string: `Buffer`, `Promise<Buffer>`,
 * `Uint8Array | ArrayBuffer`, `number` (a union with `string`, `any` or an unknown name does).
 */
function declaresNonString(type: ts.TypeNode, depth = 0): boolean {
  if (depth > 4) return false;
  if (isParenthesizedTypeNode(type)) return declaresNonString(type.type, depth + 1);
  if (isUnionTypeNode(type)) return type.types.every((u) => u.kind === SyntaxKind.UndefinedKeyword || (isLiteralTypeNode(u) && u.literal.kind === SyntaxKind.NullKeyword) || declaresNonString(u, depth + 1));
  if (type.kind === SyntaxKind.NumberKeyword || type.kind === SyntaxKind.BooleanKeyword || type.kind === SyntaxKind.BigIntKeyword) return true;
  if (!isTypeReferenceNode(type) || !isIdentifier(type.typeName)) return false;
  const name = type.typeName.text;
  if (name === 'Promise' && type.typeArguments?.length === 1) return declaresNonString(type.typeArguments[0]!, depth + 1);
  return NON_STRING_TYPES.has(name);
}

function classTypeName(type: ts.TypeNode): string | undefined {
  let t: ts.TypeNode | undefined = type;
  for (let hops = 0; t && hops < 4; hops++) {
    if (isParenthesizedTypeNode(t)) t = t.type;
    else if (isUnionTypeNode(t)) {
      // `Fetcher | undefined`, `Fetcher | null`: the one type that is not empty.
      const kept: ts.TypeNode[] = t.types.filter((u) => u.kind !== SyntaxKind.UndefinedKeyword && !(isLiteralTypeNode(u) && u.literal.kind === SyntaxKind.NullKeyword));
      t = kept.length === 1 ? kept[0] : undefined;
    } else if (isTypeReferenceNode(t) && isIdentifier(t.typeName) && t.typeName.text === 'Promise' && t.typeArguments?.length === 1) t = t.typeArguments[0];
    else break;
  }
  return t && isTypeReferenceNode(t) && isIdentifier(t.typeName) && !t.typeArguments ? t.typeName.text : undefined;
}

/** The same source object, or the same parameter of the same helper summary. */
function sameSource(x: Origin, o: Origin): boolean {
  return x.src ? x.src === o.src : x.owner !== undefined && x.owner === o.owner && x.param === o.param;
}

/** `capOrigins` of an array made by the caller and used by nothing else: one origin needs no copy. */
function capLocal(t: Origin[]): Origin[] {
  return t.length === 1 ? t : capOrigins(t);
}

function join(a: Val, b: Val): Val {
  if (a === EMPTY || a === b) return b;
  if (b === EMPTY) return a;
  // One fixed shape (undefined fields included) keeps this hot function monomorphic.
  return {
    t: a.t && b.t ? capOrigins([...a.t, ...b.t]) : (a.t ?? b.t),
    ref: a.ref ?? b.ref,
    str: a.str !== undefined && a.str === b.str ? a.str : undefined,
    fn: a.fn ?? b.fn,
    secret: a.secret ?? b.secret,
    sepEnd: a.sepEnd && b.sepEnd ? true : undefined,
    fixedPrefix: a.fixedPrefix && b.fixedPrefix ? true : undefined,
    notString: a.notString && b.notString ? true : undefined,
    own: a.own && b.own ? intersectKeys(a.own, b.own) : undefined,
    query: a.query && b.query ? true : undefined,
    head: a.head === undefined && b.head === undefined && (a.str === undefined || b.str === undefined || a.str === b.str) ? undefined : commonHead(a, b),
    relOf: a.relOf ?? b.relOf,
    urlOf: a.urlOf ?? b.urlOf,
    aliasOf: a.aliasOf && a.aliasOf === b.aliasOf ? a.aliasOf : undefined,
    elems: a.elems && b.elems ? (a.elems.length >= b.elems.length ? a.elems : b.elems) : undefined,
    props: a.props || b.props ? (a.props && b.props ? joinProps(a.props, b.props) : (a.props ?? b.props)) : undefined,
    promisified: a.promisified || b.promisified ? true : undefined,
    zod: a.zod ?? b.zod,
    regex: a.regex ?? b.regex,
    regexGlobal: a.regexGlobal && b.regexGlobal ? true : undefined,
    cls: a.cls ?? b.cls,
    inst: a.inst ?? b.inst,
    closed: a.closed && b.closed ? true : undefined,
    alts: a.alts || b.alts || (a.inst && b.inst && a.inst !== b.inst) ? joinAlts(a, b) : undefined,
  };
}

/** The alternatives of a join: each side's, or the side itself (an instance of another class). */
function joinAlts(a: Val, b: Val): readonly Val[] | undefined {
  const out = [...(a.alts ?? (a.inst ? [a] : [])), ...(b.alts ?? (b.inst ? [b] : []))];
  return out.length > 0 && out.length <= MAX_ALTS ? out : undefined;
}

function intersectKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (a === b) return a;
  const out = new Set<string>();
  for (const k of a) if (b.has(k)) out.add(k);
  return out.size ? out : undefined;
}

/** `new Map([...a, ...b])` without the two arrays: `a`'s fields, then `b`'s (which win). */
function joinProps(a: ReadonlyMap<string, Val>, b: ReadonlyMap<string, Val>): Map<string, Val> {
  const m = new Map(a);
  for (const [k, v] of b) m.set(k, v);
  return m;
}

function joinAll(vs: readonly Val[]): Val {
  let out: Val = EMPTY;
  for (const v of vs) {
    if (v.t) out = out.t ? { t: capOrigins([...out.t, ...v.t]) } : { t: v.t };
  }
  return out;
}

/** A URL prefix that fixes scheme and host (`https://api.example.com/`). */
const FIXED_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+[/?#]/i;

/** An absolute URL with a host (a `new URL` base). */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+/i;

/**
 * Whether a URL reference resolved against a base keeps the base's origin whatever follows its
 * literal start: `/path` (not `//`), `?query`, `#fragment`, or a relative path segment that
 * ends before any `:` (`alerts/${x}`). An empty or `//` start, or a possible scheme, does not.
 */
function keepsBaseOrigin(e: ts.Expression): boolean {
  const u = unwrap(e);
  let head: string | undefined;
  if (isStringLiteral(u) || isNoSubstitutionTemplateLiteral(u)) head = u.text;
  else if (isTemplateExpression(u)) head = u.head.text;
  else if (isBinaryExpression(u) && u.operatorToken.kind === SyntaxKind.PlusToken) return keepsBaseOrigin(u.left);
  if (!head) return false;
  if (head[0] === '/') return head.length > 1 && head[1] !== '/' && head[1] !== '\\';
  if (head[0] === '?' || head[0] === '#') return true;
  return /^[^/?#:\\]+[/?#]/.test(head);
}

/**
 * `text.split(sep)` of a string whose known start holds `sep` (`\`kubectl port-forward ${x}\``):
 * the words of that start as constants (the program is 'kubectl'), then the word the start ends
 * inside, which cannot start with '-', and one element of unknown count for the words the rest
 * adds (a value with spaces), which can. A known text splits into constants. Undefined otherwise.
 */
function splitVal(recv: Val, sep: string): Val | undefined {
  const word = (w: string): Val => (w === '' ? { str: w } : { str: w, fixedPrefix: true });
  if (recv.str !== undefined) return { elems: recv.str.split(sep).map(word) };
  if (!recv.head?.includes(sep)) return undefined;
  const words = recv.head.split(sep);
  const rest = words[words.length - 1]!;
  const elems: Val[] = words.slice(0, -1).map(word);
  if (rest !== '') elems.push({ ...taintOf(recv), fixedPrefix: true });
  elems.push(taintOf(recv));
  // `closed`: an element read by index is that word only (`parts[0]` is 'kubectl'); past the
  // known words, the last element stands for all the others.
  return { elems, ...taintOf(recv), spread: true, closed: true };
}

/**
 * The known start two joined strings share (`let c = 'kubectl port-forward'; if (ns) c += \` -n
 * ${ns}\``): the longest common start of each one's text or known start; undefined when empty.
 */
function commonHead(a: Val, b: Val): string | undefined {
  const x = a.str ?? a.head;
  const y = b.str ?? b.head;
  if (x === undefined || y === undefined) return undefined;
  let n = 0;
  const max = Math.min(x.length, y.length);
  while (n < max && x.charCodeAt(n) === y.charCodeAt(n)) n++;
  return n > 0 ? x.slice(0, n) : undefined;
}

/** A fixed `scheme://host` with nothing after it: what is appended next may still extend the host. */
const ORIGIN_ONLY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i;

/** Whether a value's known start begins a URL's path, query or fragment (`/shodan/host/${ip}`). */
function startsPath(v: Val | undefined): boolean {
  const start = v?.str ?? v?.head;
  return start !== undefined && /^[/?#]/.test(start);
}

/**
 * The taint of a value appended right after a fixed origin (`${API_BASE_URL}${endpoint}` with
 * `API_BASE_URL = 'https://api.shodan.io'`): when its known start is a path (`/shodan/host/${ip}`),
 * the host is fixed; when it is a helper's parameter, each call decides (AFTER_ORIGIN).
 */
function afterOrigin(t: readonly Origin[], part: Val): Origin[] {
  if (startsPath(part)) return t.map((o) => ({ ...o, clean: o.clean | KIND_BITS.ssrf! }));
  return t.map((o) => (o.owner && part.t?.includes(o) ? { ...o, flags: o.flags | AFTER_ORIGIN } : o));
}

/** Whether known string text holds a `?` or `#`: what follows it in a URL is the query or fragment. */
function hasQuery(text: string | undefined): boolean {
  return text !== undefined && (text.includes('?') || text.includes('#'));
}

function concatVals(l: Val, r: Val): Val {
  const query = !!l.query || hasQuery(l.str);
  // Text appended after a known `?` or `#` is the URL's query or fragment: not the request's host.
  if (query && r.t) r = { ...r, t: r.t.map((o) => ({ ...o, clean: o.clean | KIND_BITS.ssrf! })) };
  let t = joinAll([l, r]).t;
  if (t && l.str !== undefined && FIXED_ORIGIN.test(l.str)) t = t.map((o) => ({ ...o, clean: o.clean | KIND_BITS.ssrf! }));
  else if (t && !l.t && l.str !== undefined && ORIGIN_ONLY.test(l.str)) t = afterOrigin(t, r);
  const str = l.str !== undefined && r.str !== undefined ? l.str + r.str : undefined;
  const sepEnd = r.sepEnd || (r.str !== undefined && /[\\/]$/.test(r.str)) || (r.str === '' && l.sepEnd);
  const v: Mutable<Val> = {};
  if (t) v.t = resetPath(t);
  if (str !== undefined) v.str = str;
  if (sepEnd) v.sepEnd = true;
  if (l.fixedPrefix || (l.str === '' && r.fixedPrefix)) v.fixedPrefix = true;
  if (query || r.query || hasQuery(r.str)) v.query = true;
  const head = l.str !== undefined ? l.str + (r.str ?? r.head ?? '') : l.head;
  if (str === undefined && head) v.head = head;
  if (l.secret || r.secret) v.secret = (l.secret ?? r.secret)!;
  return v;
}

/** String building voids path facts: the result is neither normalised nor known to be contained. */
function resetPath(t: readonly Origin[]): Origin[] {
  return t.map((o) => (o.flags & (NORM | CONTAINED) || !(o.flags & RESET) ? { ...o, flags: (o.flags & ~(NORM | CONTAINED)) | RESET } : o));
}

function cleanVal(v: Val, mask: number): Val {
  if (!v.t) return v.t === undefined ? stripTaintKeep(v) : v;
  const t = v.t.map((o) => ({ ...o, clean: o.clean | mask })).filter((o) => (o.clean & ALL) !== ALL);
  return t.length ? { t } : EMPTY;
}

function stripTaintKeep(v: Val): Val {
  return v.str !== undefined ? { str: v.str } : EMPTY;
}

/**
 * The value of `path.<op>(...args)` when `normalizes`; `spread` tells which arguments are spread
 * lists (`join(root, ...parts)`), whose check for `..` was one for a whole element.
 */
function pathJoin(args: readonly Val[], normalizes: boolean, op?: string, spread?: readonly boolean[]): Val {
  const t: Origin[] = [];
  // `join(base, ..., p)` (`resolve` too, whose absolute `p` would replace the base): a part
  // checked to hold no `..` keeps what it brings under the base. What the base brings is the
  // base's own origin, judged apart.
  const under = (op === 'join' || op === 'resolve') && args.length > 1 && !args[0]!.spread && !/^(?:\.?[\\/]?)?$/.test(args[0]!.str ?? 'base');
  const inBase = (o: Origin) => args[0]!.t?.some((x) => x === o || sameSource(x, o)) ?? false;
  args.forEach((a, i) => {
    const inside = under && i > 0 && a.noDotDot && !spread?.[i] && (op === 'join' || a.notAbs);
    for (const o of a.t ?? []) {
      if (i > 0 && under && inBase(o)) {
        t.push({ ...o, flags: normalizes ? (o.flags | NORM | RESET) & ~(CONTAINED | UNDER_BASE | UNDER_BASE_ABS) : o.flags });
        continue;
      }
      // Joining a contained path with constants keeps it contained; anything else resets.
      let flags = normalizes ? (o.flags | NORM | RESET) & ~(args.length > 1 && !(o.flags & CONTAINED) ? CONTAINED : 0) : o.flags;
      // One more part joined (`join(p, '..')`) may leave the base; `normalize(p)` does not.
      if (args.length > 1) flags &= ~(UNDER_BASE | UNDER_BASE_ABS);
      if (inside) flags |= CONTAINED;
      // In a summary: contained if the caller checked what it passes (see `combine`).
      else if (under && i > 0 && a.asPassed && o.owner && !o.keys?.length) flags |= op === 'join' ? UNDER_BASE : UNDER_BASE_ABS;
      t.push({ ...o, flags });
    }
  });
  const last = args[args.length - 1];
  return { ...(t.length ? { t: capOrigins(t) } : {}), ...(last?.sepEnd ? { sepEnd: true } : {}) };
}

/** The `realpath` call swallowed by the innermost enclosing catch of this function, if any. */
function swallowedRealpathOf(scope: Scope): Span | undefined {
  for (let sc: Scope | undefined = scope; sc && sc.frame === scope.frame; sc = sc.parent) {
    if (sc.swallowedRealpath) return sc.swallowedRealpath;
  }
  return undefined;
}

/** A `realpath`/`realpathSync` call (any receiver, `.native` included) in a block, not in nested functions. */
function realpathCallIn(block: ts.Block): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (isCallExpression(n)) {
      const callee = unwrap(n.expression);
      const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? (callee.name.text === 'native' && isPropertyAccessExpression(callee.expression) ? callee.expression.name.text : callee.name.text) : undefined;
      if (name === 'realpath' || name === 'realpathSync') {
        found = n;
        return;
      }
    }
    forEachChild(n, visit);
  };
  forEachChild(block, visit);
  return found;
}

/**
 * Whether a catch block lets only "no such file" through: it tests for `ENOENT` and throws
 * otherwise (`if (e.code !== 'ENOENT') throw e;`, or `if (e.code === 'ENOENT') { ... } throw e;`).
 * Such a catch cannot swallow the error of a failed symbolic-link check; one that resolves the
 * parent folder instead (the shipped CVE-2025-53109 code) can.
 */
function rethrowsAllButNotFound(block: ts.Block): boolean {
  const stmts = block.statements;
  return stmts.some((st, i) => {
    if (!isIfStatement(st) || !/['"`]ENOENT['"`]/.test(st.expression.getText())) return false;
    return alwaysThrows(st.thenStatement) || alwaysThrows(st.elseStatement) || stmts.slice(i + 1).some((x) => ts.isThrowStatement(x));
  });
}

function alwaysThrows(s: ts.Statement | undefined): boolean {
  return !!s && !!exitOf(s) && ts.isThrowStatement(exitOf(s)!);
}

/**
 * A contained path returned where the symlink check was swallowed: contained no more, and why.
 * Also when its folder was resolved (`join(realpath(dirname(p)), basename(p))`): the name may
 * itself be the link whose target failed the check.
 */
function unresolvedFallback(v: Val, realpathCall: Span): Val {
  if (!v.t?.some((o) => o.flags & CONTAINED)) return v;
  return {
    ...v,
    t: v.t.map((o) =>
      o.flags & CONTAINED
        ? { ...o, flags: o.flags & ~CONTAINED, reason: "The 'catch' returns the path without the symbolic-link check of its 'try': when 'realpath' or that check throws, a link inside the root is followed.", guard: realpathCall }
        : o,
    ),
  };
}

function realpath(v: Val, span: Span): Val {
  if (!v.t) return EMPTY;
  return {
    t: v.t.map((o) => ({
      ...o,
      flags: ((o.flags | NORM | REAL | RESET) & ~CONTAINED) as number,
      ...(o.flags & CONTAINED ? { reason: "The containment check runs before 'realpath' resolves symbolic links.", guard: span } : {}),
    })),
  };
}

function elementOf(v: Val): Val {
  const base = v.elems && !v.t ? joinAll(v.elems) : v.t ? { t: v.t } : EMPTY;
  const alts = v.elems ? alternatives(v.elems) : undefined;
  if (!alts) return base;
  // A list made here of objects only (`out.push(o)` into `[]`): an element is one of them, and
  // its fields are theirs, not the list's taint in every field.
  const known = v.closed && v.elems!.length > 0 && v.elems!.every((e) => e.props || e.fn || e.inst);
  return known ? { ...base, alts, closed: true } : { ...base, alts };
}

/** The values among `vs` that calls or member accesses can use (functions, objects, instances), or undefined. */
function alternatives(vs: Iterable<Val>): Val[] | undefined {
  let out: Val[] | undefined;
  for (const v of vs) {
    // A list filled from another one (`for (const t of raw) tools.push(t)`, chrome-devtools-mcp)
    // holds that list's alternatives: they are this list's, not one nested choice.
    if (v.alts && !(v.fn || v.props || v.inst)) (out ??= []).push(...v.alts);
    else if (v.fn || v.props || v.inst || v.alts) (out ??= []).push(v);
  }
  return out && out.length <= MAX_ALTS ? out : undefined;
}

/** Imported modules longer than this are unknown code (the linter's default file size limit). */
const MAX_MODULE_CHARS = 1_048_576;

/** More alternatives than this are not followed (an array of hundreds of handlers). */
const MAX_ALTS = 64;

function applyNarrows(v: Val, narrows: readonly Narrow[]): Val {
  if (v.elems && narrows.some((n) => n.elements)) {
    const inner = narrows.filter((n) => n.elements);
    const elems = v.elems.map((e) => applyNarrows(e, inner));
    v = { ...v, elems };
  }
  if (!v.t) return v;
  if (narrows.some((n) => n.noDotDot || n.notAbs)) v = { ...v, ...(narrows.some((n) => n.noDotDot) ? { noDotDot: true } : {}), ...(narrows.some((n) => n.notAbs) ? { notAbs: true } : {}) };
  let clean = 0;
  let contain = false;
  let asString = false;
  let reason: string | undefined;
  let guard: Span | undefined;
  for (const n of narrows) {
    clean |= n.clean;
    if (n.contain) contain = true;
    if (n.asString) asString = true;
    if (n.reason && !reason) {
      reason = n.reason;
      guard = n.guard;
    }
  }
  const t: Origin[] = [];
  for (const o of v.t!) {
    const c = o.clean | clean;
    if ((c & ALL) === ALL) continue;
    let flags = o.flags;
    if (contain) flags |= CONTAINED;
    if (asString && o.owner) flags |= STRING_ONLY;
    const n: Mutable<Origin> = { ...o, clean: c, flags };
    // A check that holds now makes what an earlier one lacked beside the point.
    if (contain && n.reason) {
      delete n.reason;
      delete n.guard;
    }
    if (reason && !contain && !o.reason) {
      n.reason = reason;
      if (guard) n.guard = guard;
    }
    t.push(n);
  }
  return t.length ? { ...v, t } : stripTaint(v);
}

function unionNarrow(a: Map<string, Narrow> | undefined, b: Map<string, Narrow> | undefined): Map<string, Narrow> | undefined {
  if (!a) return b;
  if (!b) return a;
  const out = new Map(a);
  for (const [k, n] of b) {
    const m = out.get(k);
    out.set(k, m ? { clean: m.clean | n.clean, contain: !!(m.contain || n.contain), ...(m.noDotDot || n.noDotDot ? { noDotDot: true } : {}), ...(m.notAbs || n.notAbs ? { notAbs: true } : {}), ...(m.asString || n.asString ? { asString: true } : {}), ...(m.elements && n.elements ? { elements: true } : {}), ...(m.reason ?? n.reason ? { reason: (m.reason ?? n.reason)!, guard: (m.guard ?? n.guard)! } : {}) } : n);
  }
  return out;
}

function intersectNarrow(a: Map<string, Narrow> | undefined, b: Map<string, Narrow> | undefined): Map<string, Narrow> | undefined {
  if (!a || !b) return undefined;
  const out = new Map<string, Narrow>();
  for (const [k, n] of a) {
    const m = b.get(k);
    if (!m) continue;
    const reason = n.reason ?? m.reason;
    out.set(k, { clean: n.clean & m.clean, contain: !!(n.contain && m.contain), ...(n.noDotDot && m.noDotDot ? { noDotDot: true } : {}), ...(n.notAbs && m.notAbs ? { notAbs: true } : {}), ...(n.asString && m.asString ? { asString: true } : {}), ...(n.elements && m.elements ? { elements: true } : {}), ...(reason ? { reason, guard: (n.guard ?? m.guard)! } : {}) });
  }
  return out.size ? out : undefined;
}

/**
 * Whether `o`, an origin instantiated from a summary, is `x` or comes from the same place: the
 * same source, or inside another summary (no source yet) the same parameter path.
 */
function sameOrigin(x: Origin, o: Origin): boolean {
  if (x.src !== undefined || o.src !== undefined) return x.src === o.src;
  return x.owner === o.owner && x.param === o.param && sameKeys(x.keys, o.keys);
}

/**
 * `actual` passed to a helper whose summary gives `summary`. `checked` holds UNDER_BASE when the
 * value passed was checked to hold no `..`, and UNDER_BASE_ABS when also not to be absolute: the
 * helper's join (or resolve) of it under a base then keeps it inside.
 */
function combine(actual: Origin, summary: Origin, step: Step | undefined, checked = 0): Origin {
  const so = summary.flags;
  const ao = actual.flags;
  let flags = 0;
  if (so & NORM || (ao & NORM && !(so & RESET))) flags |= NORM;
  if (so & CONTAINED || (ao & CONTAINED && !(so & RESET))) flags |= CONTAINED;
  if ((so & UNDER_BASE && checked & UNDER_BASE) || (so & UNDER_BASE_ABS && checked & UNDER_BASE_ABS)) flags |= CONTAINED;
  if (so & REAL || (ao & REAL && !(so & RESET))) flags |= REAL;
  if (so & RESET || ao & RESET) flags |= RESET;
  const reason = summary.reason ?? actual.reason;
  const guard = summary.reason ? summary.guard : actual.guard;
  const o: Mutable<Origin> = { ...actual, step, clean: actual.clean | summary.clean, flags };
  if (reason) o.reason = reason;
  if (guard) o.guard = guard;
  return o;
}

function pushStep(prev: Step | undefined, label: string, span: Span, unit: Unit): Step | undefined {
  const n = (prev?.n ?? 0) + 1;
  if (n > MAX_STEPS) return prev;
  return { label, span, unit, prev, n };
}

/** Appends the steps of `chain` (oldest first) after `base`. */
function replay(base: Step | undefined, chain: Step | undefined): Step | undefined {
  if (!chain) return base;
  const list: Step[] = [];
  for (let s: Step | undefined = chain; s; s = s.prev) list.push(s);
  let out = base;
  for (let i = list.length - 1; i >= 0; i--) out = pushStep(out, list[i]!.label, list[i]!.span, list[i]!.unit);
  return out;
}

function sameKeys(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (a![i] !== b![i]) return false;
  return true;
}

/** The kinds a parameter's schema makes safe. */
export function schemaMask(schema: McpSchema): number {
  return kindMaskOf(schema) | (schema.noOption ? KIND_BITS.argument! : 0);
}

function kindMaskOf(schema: McpSchema): number {
  switch (schema.kind) {
    case 'enum':
    case 'literal':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'uuid':
      return ALL;
    case 'regex':
      return schema.pattern !== undefined ? regexMask(schema.pattern) : 0;
    case 'url':
      // A valid absolute URL starts with its scheme's letter: never an option (`--exec=...`).
      return KIND_BITS.argument!;
    case 'array':
      // A list argument's taint is its elements': what their schema makes safe, the list is safe for.
      return schema.items ? schemaMask(schema.items) : 0;
    default:
      return 0;
  }
}

const regexMasks = new Map<string, number>();

function regexMask(source: string): number {
  const cached = regexMasks.get(source);
  if (cached !== undefined) return cached;
  const m = computeRegexMask(source);
  if (regexMasks.size < 1000) regexMasks.set(detach(source), m);
  return m;
}

function computeRegexMask(source: string): number {
  const k = regexSafeKinds(source);
  let m = 0;
  if (k.command) m |= KIND_BITS.command!;
  if (k.argument) m |= KIND_BITS.argument!;
  if (k.sql) m |= KIND_BITS.sql!;
  if (k.path) m |= KIND_BITS.path!;
  if (k.ssrf) m |= KIND_BITS.ssrf!;
  if (k.code) m |= KIND_BITS.code!;
  if (k.command && k.sql && k.path) m |= KIND_BITS.timing!;
  return m;
}

function regexSource(literal: string): string {
  const m = /^\/(.*)\/[a-z]*$/s.exec(literal);
  return m ? m[1]! : literal;
}

function objectPropInit(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (isPropertyAssignment(p) && propName(p.name) === name) return p.initializer;
  }
  return undefined;
}

/** The shape of `z.object({...})` (through `.strict()`, `.passthrough()`, ...). */
function zodShapeOf(node: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let e = unwrap(node);
  for (let i = 0; i < 8 && isCallExpression(e); i++) {
    const c = unwrap(e.expression);
    if (isPropertyAccessExpression(c) && c.name.text === 'object' && e.arguments[0]) {
      const a = unwrap(e.arguments[0]);
      return isObjectLiteralExpression(a) ? a : undefined;
    }
    if (!isPropertyAccessExpression(c)) return undefined;
    e = unwrap(c.expression);
  }
  return undefined;
}

// ------------------------------------------------------------------ syntax helpers

/** Dotted access path of an identifier chain (`args.cmd`, `req.query.file`), for narrowing. */
function keyOf(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (isIdentifier(e)) return e.text;
  if (e.kind === SyntaxKind.ThisKeyword) return 'this';
  if (isPropertyAccessExpression(e) || isElementAccessExpression(e)) {
    const name = accessName(e);
    const base = keyOf(e.expression);
    return name !== undefined && base ? `${base}.${name}` : undefined;
  }
  if (isCallExpression(e)) {
    // String(x), x.trim(), x.toLowerCase(): the check is about x.
    const c = unwrap(e.expression);
    if (isIdentifier(c) && c.text === 'String' && e.arguments[0]) return keyOf(e.arguments[0]);
    if (isPropertyAccessExpression(c) && /^(?:trim|toLowerCase|toUpperCase|toString)$/.test(c.name.text)) return keyOf(c.expression);
  }
  return undefined;
}

/** The checked value of an allowlist lookup; `new URL(u).hostname` checks `u`'s host. */
function allowlistTarget(arg: ts.Expression): { key: string; host: boolean } | undefined {
  const e = unwrap(arg);
  if ((isPropertyAccessExpression(e) && /^(?:hostname|host|origin)$/.test(e.name.text))) {
    const inner = unwrap(e.expression);
    if (isNewExpression(inner) && inner.arguments?.[0]) {
      const k = keyOf(inner.arguments[0]);
      return k ? { key: k, host: true } : undefined;
    }
    const k = keyOf(inner);
    return k ? { key: k, host: true } : undefined;
  }
  const k = keyOf(e);
  return k ? { key: k, host: false } : undefined;
}

function isLiteral(e: ts.Expression): boolean {
  const u = unwrap(e);
  return (
    isStringLiteral(u) ||
    isNoSubstitutionTemplateLiteral(u) ||
    isNumericLiteral(u) ||
    u.kind === SyntaxKind.TrueKeyword ||
    u.kind === SyntaxKind.FalseKeyword ||
    u.kind === SyntaxKind.NullKeyword ||
    (isIdentifier(u) && u.text === 'undefined') ||
    (isPrefixUnaryExpression(u) && isNumericLiteral(u.operand)) ||
    isVoidExpression(u)
  );
}

/**
 * What a check of a file's path says about the same file under another name (its normalized,
 * resolved or parent form): containment, or why the check falls short; not the kinds it cleans.
 */
function fileFact(n: Narrow): Narrow {
  return { clean: 0, ...(n.contain ? { contain: true } : {}), ...(n.reason ? { reason: n.reason, ...(n.guard ? { guard: n.guard } : {}) } : {}) };
}

const neverReturnsCache = new WeakMap<ts.Node, boolean>();

/**
 * Whether calling a function always throws: declared to return `never`, or a synchronous
 * function with a body that ends in `throw` and holds no `return` (nested functions aside). An
 * async function or a generator only returns a rejected promise or an iterator.
 */
function neverReturns(fn: ts.FunctionLikeDeclaration): boolean {
  let known = neverReturnsCache.get(fn);
  if (known === undefined) {
    const body = fn.body;
    const async = !!fn.modifiers?.some((m) => m.kind === SyntaxKind.AsyncKeyword) || !!fn.asteriskToken;
    if (async || !body) known = false;
    else if (fn.type?.kind === SyntaxKind.NeverKeyword) known = true;
    else if (fn.type && fn.type.kind !== SyntaxKind.VoidKeyword) known = false;
    else known = isBlock(body) && body.statements.length > 0 && ts.isThrowStatement(body.statements[body.statements.length - 1]!) && !returnsAnywhere(body);
    neverReturnsCache.set(fn, known);
  }
  return known;
}

/** Whether a `return` statement lies in `node` outside nested functions and classes. */
function returnsAnywhere(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isReturnStatement(n)) found = true;
    else if (!isFunctionLike(n) && !ts.isClassLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** The statement that ends a branch which always exits (`throw`, `return`, or a block ending in one), or undefined. */
function exitOf(s: ts.Statement): ts.ThrowStatement | ts.ReturnStatement | undefined {
  const last = isBlock(s) ? s.statements[s.statements.length - 1] : s;
  return last && (ts.isThrowStatement(last) || isReturnStatement(last)) ? last : undefined;
}

/** `if (c) <exit>` with no else. */
function isExitIf(s: ts.Statement): s is ts.IfStatement {
  return isIfStatement(s) && !s.elseStatement && exitOf(s.thenStatement) !== undefined;
}

/**
 * Facts about a called function's parameters as facts about the call's arguments. An argument
 * with no name of its own that normalizes one (`isInside(normalizePath(p))`) takes the facts about
 * the file.
 */
function paramFactsToArgs(m: ReadonlyMap<string, Narrow>, fn: ts.FunctionLikeDeclaration, argNodes: readonly ts.Expression[], args: readonly Val[]): Map<string, Narrow> | undefined {
  const out = new Map<string, Narrow>();
  fn.parameters.forEach((p, i) => {
    const n = isIdentifier(p.name) ? m.get(p.name.text) : undefined;
    if (!n || !argNodes[i]) return;
    const k = keyOf(argNodes[i]!);
    if (k) out.set(k, n);
    else if (args[i]?.aliasOf && (n.contain || n.reason)) out.set(args[i]!.aliasOf!, fileFact(n));
  });
  return out.size ? out : undefined;
}

const checkShapes = new WeakMap<ts.Block, boolean>();

/**
 * Whether a function body is one `narrowBody` reads: declarations, early exits, loops of early
 * exits, guarded `try` blocks, and a last `return` (read once per body).
 */
function checkShaped(body: ts.Block): boolean {
  let known = checkShapes.get(body);
  if (known === undefined) {
    known = body.statements.every((st, i, all) => isVariableStatement(st) || isExitIf(st) || isExitLoop(st) || isGuardedTry(st) || (i === all.length - 1 && (isReturnStatement(st) || ts.isThrowStatement(st))));
    checkShapes.set(body, known);
  }
  return known;
}

/** A function of that shape with a `throw` among its exits: one that can assert. */
function mayAssert(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !isBlock(body) || !checkShaped(body)) return false;
  const last = body.statements[body.statements.length - 1];
  if (last && ts.isThrowStatement(last)) return true;
  return body.statements.some((st) => (isExitIf(st) && ts.isThrowStatement(exitOf(st.thenStatement)!)) || (isExitLoop(st) && (isBlock(st.statement) ? st.statement.statements : [st.statement]).some((x) => isExitIf(x) && ts.isThrowStatement(exitOf(x.thenStatement)!))));
}

/** `try { assignments } catch { <exit> }`, without `finally`. */
function isGuardedTry(s: ts.Statement): s is ts.TryStatement {
  if (!ts.isTryStatement(s) || s.finallyBlock || !s.catchClause || !exitOf(s.catchClause.block)) return false;
  return s.tryBlock.statements.every((x) => isExpressionStatement(x) || isVariableStatement(x));
}

/** `facts` without those about `names` or their fields (a loop's element and its own variables). */
function withoutNames(facts: Map<string, Narrow>, names: readonly string[]): Map<string, Narrow> | undefined {
  const out = new Map<string, Narrow>();
  for (const [k, n] of facts) if (!names.some((name) => k === name || k.startsWith(`${name}.`) || k.startsWith(`${name}[`))) out.set(k, n);
  return out.size ? out : undefined;
}

/** `for (const a of list)` whose body is `if (c) <exit>` statements and declarations, at least one exit. */
function isExitLoop(s: ts.Statement): s is ts.ForOfStatement {
  if (!ts.isForOfStatement(s) || !ts.isVariableDeclarationList(s.initializer)) return false;
  const d = s.initializer.declarations;
  if (d.length !== 1 || !isIdentifier(d[0]!.name)) return false;
  const body = isBlock(s.statement) ? s.statement.statements : [s.statement];
  return body.some(isExitIf) && body.every((x) => isExitIf(x) || isVariableStatement(x));
}

/** Whether an expression's value is truthy (true), falsy (false), or not known from its form. */
function truthiness(e: ts.Expression): boolean | undefined {
  const u = unwrap(e);
  switch (u.kind) {
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.ObjectLiteralExpression:
    case SyntaxKind.ArrayLiteralExpression:
    case SyntaxKind.NewExpression:
      return true;
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
    case SyntaxKind.VoidExpression:
      return false;
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return (u as ts.StringLiteral).text !== '';
    case SyntaxKind.NumericLiteral:
      return Number((u as ts.NumericLiteral).text) !== 0;
    case SyntaxKind.TemplateExpression: {
      const t = u as ts.TemplateExpression;
      return t.head.text !== '' || t.templateSpans.some((sp) => sp.literal.text !== '') ? true : undefined;
    }
    case SyntaxKind.Identifier:
      return (u as ts.Identifier).text === 'undefined' ? false : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether a value holds client data, or may once a summary under way is applied. A parameter
 * of a finished summary that was stored in a module variable (`setAllowedDirectories(dirs)`
 * keeps `allowed = [...dirs]`) is never instantiated again: it marks no client data, and a
 * list or root read from such a variable is the server's own.
 */
function liveTaint(v: Val): boolean {
  return v.t?.some((o) => o.src !== undefined || !o.owner?.done) ?? false;
}

/** The key of `p` in `path.basename(p)`. */
function basenameOf(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (!isCallExpression(u) || u.arguments.length !== 1) return undefined;
  const c = unwrap(u.expression);
  return isPropertyAccessExpression(c) && c.name.text === 'basename' ? keyOf(u.arguments[0]!) : undefined;
}

/**
 * `url.protocol === 'https:'`, `['http:', 'https:'].includes(u.protocol)`: a URL whose scheme is
 * web only, which a browser opener (`open`) hands to the browser, not to a shell as a command
 * (mcp-remote's fix of CVE-2025-6514). The key of the URL, or undefined.
 */
function webUrlOf(key: string, values: readonly (string | undefined)[]): string | undefined {
  if (!key.endsWith('.protocol') || values.length === 0 || !values.every((v) => v === 'http:' || v === 'https:')) return undefined;
  return key.slice(0, -'.protocol'.length);
}

/** `process.cwd()`. */
function isCwdCall(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (!isCallExpression(u) || u.arguments.length > 0) return false;
  const c = unwrap(u.expression);
  return isPropertyAccessExpression(c) && c.name.text === 'cwd' && isIdentifier(c.expression) && c.expression.text === 'process';
}

/** The call a variable was declared from (`const err = check(x)`), while it keeps that value. */
function callOf(name: string, scope: Scope): ts.Expression | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.has(name)) return s.calls?.get(name);
  }
  return undefined;
}

/** The expression under `await` and parentheses. */
function awaited(e: ts.Expression): ts.Expression {
  let u = unwrap(e);
  while (ts.isAwaitExpression(u)) u = unwrap(u.expression);
  return u;
}

function isNullish(e: ts.Expression): boolean {
  const u = unwrap(e);
  return u.kind === SyntaxKind.NullKeyword || (isIdentifier(u) && u.text === 'undefined') || isVoidExpression(u);
}

function isConditionLike(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (isPrefixUnaryExpression(u) && u.operator === SyntaxKind.ExclamationToken) return true;
  if (isBinaryExpression(u)) {
    const k = u.operatorToken.kind;
    return k === SyntaxKind.AmpersandAmpersandToken || k === SyntaxKind.BarBarToken || k === SyntaxKind.EqualsEqualsEqualsToken || k === SyntaxKind.ExclamationEqualsEqualsToken || k === SyntaxKind.EqualsEqualsToken || k === SyntaxKind.ExclamationEqualsToken;
  }
  if (isCallExpression(u)) {
    const c = unwrap(u.expression);
    const m = accessName(c) ?? (isIdentifier(c) ? c.text : '');
    return /^(?:has|includes|startsWith|test|some|every|match|isInteger|isSafeInteger|hasOwn|hasOwnProperty)$/.test(m);
  }
  return false;
}

const secretNames = new Map<string, boolean>();

/** `isSecretName`, remembered: the same few names are read on every member access. */
function secretNamed(name: string): boolean {
  let yes = secretNames.get(name);
  if (yes === undefined) {
    yes = isSecretName(name);
    if (secretNames.size < 4096) secretNames.set(detach(name), yes);
  }
  return yes;
}

function secretNameOf(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const name = isIdentifier(u) ? u.text : accessName(u);
  return name !== undefined && isSecretName(name) ? name : undefined;
}

function isSecretProducer(v: Val): boolean {
  return !!v.ref && v.ref.module === '' && v.ref.path[0] === 'process' && v.ref.path[1] === 'env';
}

const dotDots = new WeakMap<ts.Node, boolean>();

/** Whether a function's string or regular-expression literals mention `..` (read once per function). */
function mentionsDotDot(fn: ts.Node): boolean {
  let known = dotDots.get(fn);
  if (known === undefined) {
    known = false;
    const visit = (n: ts.Node): void => {
      if (known) return;
      if (isStringLiteral(n) || isNoSubstitutionTemplateLiteral(n) || ts.isRegularExpressionLiteral(n) || ts.isTemplateLiteralToken(n)) {
        if (/\.\.|\\\.\\\./.test(n.text)) known = true;
      } else forEachChild(n, visit);
    };
    visit(fn);
    dotDots.set(fn, known);
  }
  return known;
}

/** Calls whose text holds no separator: hex or base64url encodings, UUIDs, timestamps. */
const NAME_SAFE_CALL = /(?:\.toString\(\s*['"](?:hex|base36|base64url)['"]\s*\)|randomUUID\(\)|Date\.now\(\)|\.getTime\(\))$/;

/** The MCP SDK's client OAuth provider interface, as a type name. */
const OAUTH_PROVIDER = /\bOAuthClientProvider\b/;

/** Names of a server's own path normalizers (`normalizePath`, `canonicalizePath`, `normalise`). */
const NORMALIZER_NAME = /^(?:normali[sz]e|canonicali[sz]e)(?:[A-Z_]\w*)?Path$|^normali[sz]e$/;

const NO_MASKS: ReadonlyMap<string, number> = new Map();

/**
 * Imports followed from the analysed file: a layered server reaches its driver through handler,
 * tool, service and database modules (executeautomation/mcp-database-server: five).
 */
const MAX_MODULE_DEPTH = 5;

/** `extends` links followed from a class to find an inherited method. */
const MAX_CLASS_DEPTH = 8;

const ASSIGNMENTS = kindMask(SyntaxKind.BinaryExpression);

const optionScreens = new WeakMap<ts.Node, boolean>();

/**
 * The names through which a registration's handler inside `fn` may call what `fn` was given:
 * its parameters, and the variables of `fn` bound from them before or around the handler (`const
 * h = new ToolHandler(tool)`, `for (const tool of tools)`, `tools.forEach((tool) => ...)`).
 */
function namesFrom(fn: ts.FunctionLikeDeclaration, text: string, handler: ts.Node | undefined, word: (n: string) => string): string[] {
  const names: string[] = [];
  let mentions: RegExp | undefined;
  const mentioned = (n: ts.Node): boolean => (mentions ??= new RegExp(`(?:${names.map(word).join('|')})(?![\\w$])`)).test(text.slice(n.pos, n.end));
  const bind = (name: ts.BindingName): void => {
    for (const n of bindingNames(name)) {
      if (names.includes(n)) continue;
      names.push(n);
      mentions = undefined;
    }
  };
  // Destructured too: `function register({ name, handler })` calls `handler(args)`.
  for (const p of fn.parameters) bind(p.name);
  const body = fn.body;
  if (names.length === 0 || !body) return names;
  const visit = (n: ts.Node): void => {
    if (handler && (n === handler || n.pos >= handler.end)) return;
    if (isVariableDeclaration(n) && n.initializer && mentioned(n.initializer)) bind(n.name);
    else if ((isForOfStatement(n) || isForInStatement(n)) && isVariableDeclarationList(n.initializer) && mentioned(n.expression)) {
      for (const d of n.initializer.declarations) bind(d.name);
    } else if (isCallExpression(n) && isPropertyAccessExpression(n.expression) && mentioned(n.expression.expression)) {
      for (const a of n.arguments) if (isFunctionLike(a)) for (const p of a.parameters) bind(p.name);
    }
    forEachChild(n, visit);
  };
  visit(body);
  return names;
}

/**
 * Whether a function rejects every value that starts with `-`: it holds an `if` whose whole
 * condition tests for a leading dash (`tok.startsWith('-')`, `/^-/.test(tok)`, `tok[0] === '-'`)
 * and whose branch throws. A deny-list that lets some options through (`if (!tok.startsWith('-'))
 * continue;` then a check of known flags) is no screen. Read once per function.
 */
function optionScreen(fn: FnVal): boolean {
  let known = optionScreens.get(fn.node);
  if (known === undefined) {
    known = false;
    const body = fn.node.body;
    const visit = (n: ts.Node): void => {
      if (known) return;
      if (isIfStatement(n) && isLeadingDashTest(n.expression) && throwsAlways(n.thenStatement)) known = true;
      else if (!isFunctionLike(n) || n === fn.node) forEachChild(n, visit);
    };
    if (body) visit(body);
    optionScreens.set(fn.node, known);
  }
  return known;
}

/** A statement that always ends in `throw` (directly or as the last statement of a block). */
function throwsAlways(s: ts.Statement): boolean {
  if (ts.isThrowStatement(s)) return true;
  if (isBlock(s)) return s.statements.some((x) => ts.isThrowStatement(x));
  return false;
}

/** No initializer, `null` or `undefined`: a variable that gets its value later. */
function isEmptyInitializer(e: ts.Expression | undefined): boolean {
  if (!e) return true;
  const u = unwrap(e);
  return u.kind === SyntaxKind.NullKeyword || (isIdentifier(u) && u.text === 'undefined');
}

/** A function of a sink module (`exec`, `promisify(exec)`, `fs.readFile`), not an instance or the module itself. */
function holdsSinkFunction(v: Val): boolean {
  const ref = v.ref;
  return ref !== undefined && ref.path.length > 0 && ref.path[ref.path.length - 1] !== '()' && maySink(ref.module, undefined, false);
}

/** Whether `v`, or a field of it `depth` levels down, carries client data (an origin with a source). */
function fromClient(v: Val, depth: number): boolean {
  if (v.t?.some((o) => o.src !== undefined)) return true;
  if (depth > 0 && v.props) for (const p of v.props.values()) if (fromClient(p, depth - 1)) return true;
  return false;
}

/** Whether `v`, or a field of it `depth` levels down, is an object with methods a summary cannot see. */
function bearsMethods(v: Val, depth: number): boolean {
  if (v.inst || holdsDefinition(v) || holdsSinkFunction(v)) return true;
  if (depth > 0 && v.props) for (const p of v.props.values()) if (bearsMethods(p, depth - 1)) return true;
  return false;
}

/**
 * For each parameter of `fn`, whether its body calls a method through it or through a name
 * destructured from it: `ctx.saveFile(p)`, `options.context.saveFile(...)`, `{ context }` then
 * `context.saveFile(...)`. Text only: a name shadowed inside the body counts too.
 */
function methodCallsThrough(fn: ts.FunctionLikeDeclaration, text: string): boolean[] {
  const body = fn.body ? text.slice(fn.body.pos, fn.body.end) : '';
  return fn.parameters.map((p) =>
    bindingNames(p.name).some((n) => new RegExp(`(?<![\\w$.])${n.replace(/\$/g, '\\$')}(?:\\s*\\??\\.\\s*[\\w$]+)+\\s*\\(`).test(body)),
  );
}

const CALL_NODES = kindMask(SyntaxKind.CallExpression);

/**
 * For each parameter of `fn`, whether a function nested in its body calls it or a method through
 * it (`(args) => config.handler(args)`, `() => cb()`): the closure `fn` makes runs what is passed.
 * By name; a nested function's own parameter of that name hides it.
 */
function closureCallsThrough(fn: ts.FunctionLikeDeclaration): boolean[] {
  const names = fn.parameters.map((p) => (isIdentifier(p.name) ? p.name.text : undefined));
  const out = names.map(() => false);
  if (!names.some((n) => n !== undefined) || !fn.body) return out;
  // Iterative (deep code must not overflow the stack): each call's functions up to `fn`.
  walkTsKinds(fn.body, CALL_NODES, (n) => {
    let callee = unwrap((n as ts.CallExpression).expression);
    while (isPropertyAccessExpression(callee) || isElementAccessExpression(callee)) callee = unwrap(callee.expression);
    if (!isIdentifier(callee)) return;
    const i = names.indexOf(callee.text);
    if (i === -1 || out[i]) return;
    let nested = false;
    for (let p: ts.Node | undefined = n.parent; p && p !== fn; p = p.parent) {
      if (!isFunctionLike(p)) continue;
      if (p.parameters.some((q) => bindingNames(q.name).includes(callee.text))) return;
      nested = true;
    }
    if (nested) out[i] = true;
  });
  return out;
}

/**
 * A field holding a tool definition or one of several (`this.tool` of chrome-devtools-mcp's
 * `ToolHandler`, made per tool of a list): a method calling `this.tool.handler(...)` runs that
 * definition's handler, which only a run with the instance's fields can see.
 */
/**
 * The handlers of a tool definition value (`{ name, handler }`, a factory's result, one of
 * several): its first property named like a handler (`DEFINITION_HANDLER_KEYS`) holding a function.
 */
function definitionFns(v: Val): FnVal[] {
  const out: FnVal[] = [];
  for (const d of v.alts ?? [v]) {
    for (const k of DEFINITION_HANDLER_KEYS) {
      const fn = d.props?.get(k)?.fn;
      if (fn) {
        if (!out.some((x) => x.node === fn.node && x.scope === fn.scope)) out.push(fn);
        break;
      }
    }
  }
  return out;
}

function holdsDefinition(v: Val): boolean {
  if (v.alts) return true;
  // A registry filled with `set` (`this.handlers.set(name, fn)`): its entries are run by name.
  if (v.elems && !v.t && v.elems.some((e) => e.fn || e.inst || (e.props && [...e.props.values()].some((p) => p.fn !== undefined)))) return true;
  if (!v.props) return false;
  for (const p of v.props.values()) if (p.fn) return true;
  return false;
}

/** `async function f()`, `async () => ...`: a call gives a Promise. */
function isAsyncFunction(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** Labels of secrets known only by how they are made: a variable's secret name reads better. */
const GENERIC_SECRETS: ReadonlySet<string> = new Set(['digest', 'HMAC digest']);

/** A value a registry keeps for its functions: a function, a class instance, a definition with a handler. */
function holdsFunctions(v: Val): boolean {
  return v.fn !== undefined || v.inst !== undefined || holdsDefinition(v);
}

/** `this.name`: a field of the instance a method runs on. */
function isThisField(e: ts.Expression): boolean {
  return isPropertyAccessExpression(e) && e.expression.kind === SyntaxKind.ThisKeyword;
}

/** A handler to run for a registration, with its own argument masks when it came from a tool definition. */
interface Handler {
  readonly fn: FnVal;
  readonly masks?: ReadonlyMap<string, number>;
  /** One of several runs of the same function, each with its own closure (`perElementHandlers`). */
  readonly rerun?: boolean;
}

/** How many property names `a.b.c` reads (2). */
function countKeys(e: ts.Expression): number {
  let n = 0;
  for (let x = e; isPropertyAccessExpression(x); x = unwrap(x.expression)) n++;
  return n;
}

function valAt(v: Val | undefined, path: readonly string[]): Val | undefined {
  for (const k of path) v = v?.props?.get(k);
  return v;
}

/**
 * Argument masks from a tool definition's schema value: a zod shape (`{ id: z.number() }`), or a
 * config holding one under `inputSchema`/`argsSchema`; undefined when it is neither.
 */
function shapeMasks(v: Val | undefined): ReadonlyMap<string, number> | undefined {
  const shape = v?.props && [...v.props.values()].every((p) => p.zod) ? v : (v?.props?.get('inputSchema') ?? v?.props?.get('argsSchema'));
  if (!shape?.props || ![...shape.props.values()].every((p) => p.zod)) return undefined;
  const masks = new Map<string, number>();
  for (const [k, p] of shape.props) masks.set(k, schemaMask(zodSchemaOf(p.zod!).schema));
  return masks;
}

/**
 * Index of the registration argument that is or holds the handler: the one around the model's
 * handler, else fastmcp's config object or the last argument (every other idiom's handler).
 */
function handlerArgIndex(reg: McpRegistration, args: readonly ts.Expression[]): number {
  const h = reg.handler;
  if (h) for (let i = 0; i < args.length; i++) if (args[i]!.pos <= h.pos && h.end <= args[i]!.end) return i;
  if (reg.idiom !== 'addTool' && reg.idiom !== 'addPrompt' && reg.idiom !== 'addResourceTemplate') return args.length - 1;
  // The config object: the first argument, or the one a local wrapper takes it at (`register(server, { ... })`).
  const config = args.findIndex((a) => isObjectLiteralExpression(unwrap(a)));
  return config < 0 ? 0 : config;
}

function fnName(f: ts.FunctionLikeDeclaration): string {
  if (f.name && isIdentifier(f.name)) return f.name.text;
  const p = f.parent;
  if (p && isVariableDeclaration(p) && isIdentifier(p.name)) return p.name.text;
  if (p && isPropertyAssignment(p)) return propName(p.name) ?? 'function';
  return 'function';
}

function shortText(node: ts.Node, sf: ts.SourceFile): string {
  const t = node.getText(sf).replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

/** Finds the syntax node of an array element view (for argSpan). */
function elementNode(av: ArgView, call: CallView): ts.Expression | undefined {
  for (const a of call.args) {
    if (!a.elems || !a.node) continue;
    const idx = a.elems.indexOf(av);
    if (idx < 0) continue;
    const n = unwrap(a.node);
    if (isArrayLiteralExpression(n) && n.elements.length === a.elems.length) return n.elements[idx];
    return a.node;
  }
  for (const a of call.args) {
    if (!a.props || !a.node) continue;
    const n = unwrap(a.node);
    for (const [k, pv] of a.props) {
      if (pv !== av) continue;
      if (isObjectLiteralExpression(n)) {
        const init = objectPropInit(n, k);
        if (init) return init;
      }
      return a.node;
    }
  }
  return undefined;
}

function sameRefs(a: readonly NodeRef[], b: readonly NodeRef[]): boolean {
  return a.length === b.length && a.every((r, i) => r.file === b[i]!.file && r.seg === b[i]!.seg && r.start === b[i]!.start && r.end === b[i]!.end && r.kind === b[i]!.kind);
}

/**
 * The duplicate check of flows: one finding per sink. A sink in the analysed file is reported
 * once, whatever its source (a second source of the same sink is fixed by the same change).
 * Flows into other modules are keyed by `behindKey`.
 */
/** One finding per sink and entry point (`entryOf`) for a sink of the analysed file. */
function flowKey(kind: string, span: Span, entry: string): string {
  return `${kind}\0${span.start}\0${span.end}\0${entry}`;
}

/**
 * The duplicate check of flows reported at a call into another module (`span`): one finding per
 * sink there and path of functions there leading to it (`behindCall`). Each sink of a helper
 * module is reported as if it were in the file (puppeteer-mcp-server's `page.goto(args.url)` is
 * not hidden behind a fetch of `args.debugPort`), and each tool behind one dispatching call on
 * its own (railway-mcp-server's tools all reach one `execAsync` through
 * `Object.values(tools).forEach(...)`: each through its own handler and CLI helper), while the
 * arguments of one tool reaching one sink the same way are one finding. The Python engine keys
 * its flows the same way.
 */
function behindKey(kind: string, span: Span, behindCall: string): string {
  return `${flowKey(kind, span, '')}\0${behindCall}`;
}

/** The innermost function holding `pos` in `sf` (undefined at module level): a step has a position, not a node (`enclosingFunction` of mcp/lang/ts.ts walks up from a node). */
function functionAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let node: ts.Node = sf;
  let fn: ts.Node | undefined;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos <= pos && pos < c.end) {
        next = c;
        return true;
      }
      return undefined;
    });
    if (!next) return fn;
    node = next;
    if (isFunctionLike(node)) fn = node;
  }
}

const HTTP_METHOD_EXPORTS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Names of handlers another module wires up (`fetch: handleRequest`, Pages' `onRequestPost`). */
const HANDLER_NAME = /^(?:handle|fetch$|on[A-Z])|Handler$/;
const IDENTIFIER_NODES = kindMask(SyntaxKind.Identifier);

/**
 * Whether a parameter typed with the global Fetch `Request` belongs to a helper its module's
 * importers call, not to a handler: a function exported by name (not as default, not a route
 * file's `GET`/`POST`, not named as a handler), used nowhere in its own file. Its callers may build that Request
 * themselves with a fixed host (cloudflare's sandbox `proxyFetch(..., request: Request, ...)`).
 * Express's `Request` is imported and stays a source: controllers are exported the same way.
 */
function isFetchRequestHelper(p: ts.ParameterDeclaration, sf: ts.SourceFile): boolean {
  if (namedImport(sf, 'Request')) return false;
  const fn = p.parent;
  let nameNode: ts.Identifier | undefined;
  let exported: ts.Node | undefined;
  if (isFunctionDeclaration(fn) && fn.parent === sf) {
    nameNode = fn.name;
    exported = fn;
  } else if ((isArrowFunction(fn) || isFunctionExpression(fn)) && isVariableDeclaration(fn.parent) && isIdentifier(fn.parent.name)) {
    nameNode = fn.parent.name;
    const statement = fn.parent.parent.parent;
    if (isVariableStatement(statement) && statement.parent === sf) exported = statement;
  }
  if (!nameNode || !exported || HTTP_METHOD_EXPORTS.has(nameNode.text) || HANDLER_NAME.test(nameNode.text)) return false;
  const mods = ts.canHaveModifiers(exported) ? ts.getModifiers(exported) : undefined;
  if (!mods?.some((m) => m.kind === SyntaxKind.ExportKeyword) || mods.some((m) => m.kind === SyntaxKind.DefaultKeyword)) return false;
  const name = nameNode.text;
  let used = false;
  walkTsKinds(sf, IDENTIFIER_NODES, (n) => {
    if (n !== nameNode && (n as ts.Identifier).text === name) used = true;
  });
  return !used;
}

/** The top-level `import { name } from 'spec'` (or `import type`) of `sf` that binds `name`. */
function namedImport(sf: ts.SourceFile, name: string): { spec: string; element: ts.ImportSpecifier } | undefined {
  for (const st of sf.statements) {
    if (!isImportDeclaration(st) || !st.importClause?.namedBindings || !isNamedImports(st.importClause.namedBindings)) continue;
    const element = st.importClause.namedBindings.elements.find((e) => e.name.text === name);
    const spec = stringValue(st.moduleSpecifier);
    if (element && spec !== undefined) return { spec, element };
  }
  return undefined;
}
