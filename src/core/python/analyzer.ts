import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DIRECTORY_PREFIX, regexKeepsPathInside } from '../regex-path';
import type { TaintKind } from '../rule';
import type { Span } from '../types';
import {
  callArgs,
  decodeEscape,
  decoratorsOf,
  dottedName,
  enclosingFunction,
  nodeAtSpan,
  functionParams,
  isEmptyContainer,
  isFString,
  methodOf,
  moduleNameUses,
  nodesOfType,
  storedInto,
  storeSite,
  stringValue,
  unparen,
  walk,
  walkTypes,
  type CallArgs,
  type PyNode,
  type PyParam,
  type TextChange,
} from './ast';
import { FILE_PROGRAMS, fileOperands, fileProgramNamed, HYPHEN_VALUES_ARE_OPTIONS, OPTION_PARSING_PROGRAMS, SHELL_COMMAND_FLAGS, remoteCommand } from '../mcp/programs';
import { CODE_SINKS } from './kinds/code';
import {
  COMMAND_METHODS,
  COMMAND_SINKS,
  END_OF_OPTIONS,
  GITPYTHON_MODULE,
  GITPYTHON_NON_COMMANDS,
  GITPYTHON_WRAPPER_ATTRIBUTE,
  SHELLS,
  STDIO_SERVER_PARAMETERS,
  VALUE_OPTIONS,
} from './kinds/command';
import {
  PATH_ONLY_METHODS,
  NORMALISE_FUNCTIONS,
  PATH_CONSTRUCTORS,
  PATH_FUNCTION_SINKS,
  PATH_METHODS,
  PATH_METHODS_WITH_TARGET,
  PATH_NAME_ATTRIBUTES,
  PATH_SANITIZERS,
  REALPATH_FUNCTIONS,
  REALPATH_METHODS,
} from './kinds/path';
import {
  BACKSLASH_ESCAPE_DRIVERS,
  DB_RECEIVER,
  LIBRARY_SQL_METHODS,
  QUOTE_DOUBLED,
  QUOTE_DOUBLING_DRIVERS,
  SQL_DRIVERS,
  SQL_FUNCTION_SINKS,
  SQL_GENERIC_METHODS,
  SQL_KEYWORDS,
  SQL_METHODS,
  SQL_SANITIZERS,
} from './kinds/sql';
import { FIXED_HOST_PREFIX, HTTP_CLIENT_CONSTRUCTORS, HTTP_CLIENT_METHODS, SSRF_FUNCTION_SINKS } from './kinds/ssrf';
import { CREDENTIAL_HEADERS, isSecretName } from './kinds/timing';
import type { PyImportedHandler, PyMcpKind, PyMcpModel, PyMcpParam } from './mcp-model';
import { handlerParams, schemaOf } from './mcp-model';
import type { ModuleInfo, ModuleLoader, ResolvedImport } from './modules';
import type { ImportBinding } from './names';
import {
  environmentOf,
  flowsWithin,
  sameEnvironment,
  sameSources,
  detachFlow,
  flowShifter,
  topStatementOf,
  type AnalysisRecord,
  type EntryRecord,
  type Environment,
} from './replay';
import {
  CLEAN,
  RENAME_STEP,
  Resolution,
  cleanFor,
  concatLists,
  concatVals,
  isTainted,
  listShape,
  mergeVals,
  objectsOf,
  prefixOf,
  splitWords,
  productOrWhole,
  productShapes,
  shapesOf,
  sourceTaint,
  suffixOf,
  unionSets,
  unionTaint,
  withOriginClean,
  withStep,
  withTaint,
  type Origin,
  type Step,
  type Taint,
  type Val,
} from './values';

/** A source-to-sink flow found by the analyzer, before the engine words it for a rule. */
export interface RawFlow {
  readonly kind: TaintKind;
  /** The sink (or, for a sink inside an imported module, the call into it) in the analysed file. */
  readonly sinkSpan: Span;
  readonly argSpan?: Span;
  readonly sinkName: string;
  readonly origin: Origin;
  /** Every step, source first, sink last; steps may lie in other files. */
  readonly steps: readonly Step[];
  readonly data: Readonly<Record<string, unknown>>;
}

/** Thrown (and caught by the engine) when the file's time budget runs out. */
export class DeadlineExceeded extends Error {}

const ALL_KINDS: readonly TaintKind[] = ['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code'];
const MAX_CALL_DEPTH = 6;
const MAX_BODY_RUNS = 3000;
/** Where validatorKinds keeps what a helper proves whenever it returns (see Frame.validator). */
const ANY_RETURN_SLOT = 1 << 20;

/** Calls whose result carries no attacker text whatever their arguments. */
const TOTAL_CLEAN = new Set([
  'int', 'float', 'bool', 'len', 'abs', 'round', 'hash', 'ord', 'id', 'isinstance', 'issubclass', 'callable', 'hasattr',
  'type', 'min', 'max', 'sum', 'any', 'all', 'uuid.UUID', 'hmac.compare_digest', 'secrets.compare_digest',
  'os.path.exists', 'os.path.isfile', 'os.path.isdir', 'os.path.isabs', 'os.path.getsize', 'os.path.commonpath',
  'os.path.commonprefix', 'hmac.new', 'time.time', 'datetime.datetime.fromisoformat',
  'datetime.date.fromisoformat', 'decimal.Decimal', 'ipaddress.ip_address', 'ipaddress.ip_network',
]);
const CLEAN_PREFIXES = ['hashlib.', 'zlib.crc32', 'base64.b64encode', 'base64.urlsafe_b64encode', 'binascii.hexlify'];
/** Sanitisers for one kind each (beyond the per-kind tables). */
const KIND_SANITIZERS = new Map<string, readonly TaintKind[]>([
  ['shlex.quote', ['command']],
  ['pipes.quote', ['command']],
  ['shlex.join', ['command']],
  // An in-memory file of the text (`pandas.read_csv(io.StringIO(text))`): its content, no path.
  ['io.StringIO', ['path', 'ssrf']],
  ['io.BytesIO', ['path', 'ssrf']],
  ...PATH_SANITIZERS.map((f) => [f, ['path', 'command', 'argument', 'code']] as [string, TaintKind[]]),
  ...SQL_SANITIZERS.map((f) => [f, ['sql']] as [string, TaintKind[]]),
]);
/** Methods whose result is a boolean, number or position: never attacker text. */
const CLEAN_METHODS = new Set([
  'startswith', 'endswith', 'isdigit', 'isalnum', 'isalpha', 'isnumeric', 'isdecimal', 'isidentifier', 'isspace',
  'islower', 'isupper', 'isascii', 'count', 'find', 'rfind', 'index', 'rindex', 'exists', 'is_file', 'is_dir',
  'is_absolute', 'is_relative_to', 'is_symlink', 'match', 'fullmatch', 'search', 'hexdigest', 'digest', 'stat',
  'fetchone', 'fetchall', 'fetchmany', 'cursor', 'commit', 'rollback', 'close', '__len__', 'model_dump_json',
]);
/** Methods whose arguments flow into the result (string building). */
const ARG_FLOW_METHODS = new Set([
  'join', 'format', 'format_map', 'replace', 'joinpath', 'with_name', 'with_suffix', 'with_stem', 'add', 'union', 'sub',
  'subn', 'substitute', 'safe_substitute', 'render', 'copy', '__add__', 'expandtabs', 'center', 'ljust', 'rjust',
  'zfill', 'removeprefix', 'removesuffix', 'encode', 'decode', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit',
]);
/** Class methods of a pydantic model that validate client data into an instance (v2 and v1 names). */
const MODEL_PARSERS = new Set(['model_validate', 'model_validate_json', 'model_validate_strings', 'parse_obj', 'parse_raw', 'validate']);
/** Methods of a pydantic model instance that give its fields as a dict. */
const MODEL_DUMPS = new Set(['model_dump', 'dict']);
/** psycopg's SQL composition objects (`isinstance(p, Composable)`). */
const PSYCOPG_SQL_OBJECT = /^psycopg2?\.sql\.(?:Composable|Composed|SQL|Identifier|Literal|Placeholder)$/;
/** The start of an SQL statement. */
const SQL_TEXT = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|REPLACE|MERGE|PRAGMA|SHOW|DESCRIBE|EXPLAIN|USE|GRANT|TRUNCATE|CALL|EXEC)\b/i;
const EXIT_CALLS = new Set(['sys.exit', 'exit', 'quit', 'os._exit', 'os.abort', 'flask.abort', 'abort']);
/** Calls that unwrap to their first argument when finding what a guard checks. */
const TRANSPARENT_CALLS = new Set(['str', 'os.fspath', 'pathlib.Path', 'pathlib.PurePath', 'Path', 'PurePath']);

/** Source kinds of Starlette/Flask request attributes and methods; values are keyed by name. */
const REQUEST_ATTRIBUTES = new Map<string, string>([
  ['query_params', 'query parameter'], ['args', 'query parameter'], ['values', 'request parameter'],
  ['headers', 'request header'], ['path_params', 'path parameter'], ['view_args', 'path parameter'],
  ['cookies', 'cookie'], ['form', 'form field'], ['files', 'uploaded file'], ['json', 'request body'],
  ['data', 'request body'], ['url', 'request URL'], ['query_string', 'query string'], ['full_path', 'request URL'],
]);
const REQUEST_METHODS = new Map<string, string>([
  ['json', 'request body'], ['body', 'request body'], ['form', 'form field'], ['stream', 'request body'],
  ['get_json', 'request body'], ['get_data', 'request body'],
]);
const FASTAPI_PARAM_KINDS = new Map<string, string>([
  ['Query', 'query parameter'], ['Header', 'request header'], ['Body', 'request body'], ['Path', 'path parameter'],
  ['Form', 'form field'], ['Cookie', 'cookie'], ['File', 'uploaded file'], ['UploadFile', 'uploaded file'],
]);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'route', 'api_route', 'websocket', 'head', 'options']);
const REQUEST_TYPES = /(?:^|\.)(?:Request|HTTPConnection|WebSocket)$/;
const NOT_REQUEST_DATA_TYPES = /(?:^|\.)(?:BackgroundTasks|Response|Context|Session|AsyncSession|SecurityScopes)$/;

interface Frame {
  readonly module: ModuleInfo;
  readonly fn?: PyNode;
  readonly fnName: string;
  readonly cls?: PyNode;
  readonly returns: Val[];
  readonly depth: number;
  readonly stack: readonly PyNode[];
  /** The summary this frame computes (helpers); undefined for entry points. */
  readonly summary?: Summary;
  /**
   * Set when the frame checks what a helper proves about one parameter: when it returns truthy
   * (`is_valid(x)`), or for `none`, when it returns None (`error_of(x)`, an error message or None).
   */
  /**
   * Running a helper to learn what it proves about a parameter: when it returns a truthy value,
   * with `none` when it returns None, with `any` whenever it returns at all (called as a statement).
   */
  readonly validator?: { readonly param: string; readonly proven: TaintKind[][]; readonly none?: boolean; readonly any?: boolean };
  readonly locals: Map<string, PyNode>;
  /** Environments nested functions were defined in (Python closures see their enclosing scope). */
  readonly closures?: Map<PyNode, Env>;
  /**
   * Names last assigned a call's result or a subscript (`err = check(x)`, `h = TABLE[name]`), for
   * a later `if err:` (see refine) or `h(arguments)` (see dispatchTable).
   */
  results?: Map<string, PyNode>;
  /**
   * Parameters defaulting to None that the call gave an argument that cannot be None
   * (`convert(path, temp.name)` for `output_file=None`): `if output_file is None:` does not run.
   */
  readonly passed?: ReadonlySet<string>;
}

/** A class of the project and the module defining it. */
interface ClassRef {
  readonly cls: PyNode;
  readonly module: ModuleInfo;
}

/** A function value: where it is defined, and for a nested function the scope it closes over. */
interface FnRef {
  readonly def: PyNode;
  readonly module: ModuleInfo;
  readonly closure?: Env;
  /** A method bound to its object (`self.du` stored in a table): calls skip its first parameter. */
  readonly bound?: boolean;
}

/** What a handler table is filled with: objects of the project's classes, and functions by key. */
interface TableContents {
  objects?: Val;
  fns?: Map<string, Val>;
}

/** Adds a value stored into a table (an object or a function; anything else is no handler). */
function addToTable(table: TableContents, v: Val, key: string | undefined): void {
  if (objectsOf(v).length > 0) table.objects = mergeVals(table.objects, { ...(v.instance ? { instance: v.instance } : {}), ...(v.alts ? { alts: v.alts } : {}) });
  else if (v.fn) (table.fns ??= new Map()).set(key ?? `\0${table.fns?.size ?? 0}`, { fn: v.fn });
}

/** A table's value: its objects as the registry a computed key gives, its functions as its fields. */
function tableVal(table: TableContents): Val | undefined {
  if (!table.objects && !table.fns) return undefined;
  return { ...(table.objects ? { registry: table.objects } : {}), ...(table.fns ? { fields: table.fns } : {}) };
}

/** A flow that reached a sink inside a helper and waits for its caller to supply the source. */
interface PendingFlow {
  readonly kind: TaintKind;
  readonly module: ModuleInfo;
  readonly sink: PyNode;
  readonly argNode: PyNode;
  readonly sinkName: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly origin: Origin;
  readonly sinkStep: Step;
  /** For a sink in another module: the call (and argument) in the analysed file that leads to it. */
  readonly anchor?: { readonly call: PyNode; readonly arg: PyNode };
  /**
   * Found in a helper that runs its parameters as program and vector (`run(cmd, args)`): each
   * call of the helper is checked with what it passes, so the flow is reported at the call.
   */
  readonly atCaller?: boolean;
  /** An SQL sink whose dialect takes backslash escapes: a quote-doubled value is still taint there (QUOTE_DOUBLED). */
  readonly strictQuotes?: boolean;
}

/** What a helper does with its arguments, for one shape of arguments (memoised per function). */
interface Summary {
  result: Val;
  readonly pending: PendingFlow[];
  /** What the helper stores in a request's state, in its parameters' terms (see `storeState`). */
  stateWrites?: { readonly key: string; readonly val: Val }[];
  /**
   * What a method that is not a constructor stores in its object's attributes and that holds
   * client data (`self.tables = name`, `self.tables.add(name)`), by attribute, in its parameters'
   * terms: the caller's object holds it after the call.
   */
  selfWrites?: Map<string, Val>;
}

/** A caller's argument standing behind a placeholder. */
interface Actual {
  readonly taint: Taint;
  readonly node: PyNode;
}

type Env = Map<string, Val>;

/** What an entry point's analysis, or a module constant's evaluation, read beyond its own statements (see replay.ts). */
interface Reads {
  /** Functions whose bodies it ran or whose summaries or validator facts it consulted. */
  readonly touched: Set<PyNode>;
  /** Local names of import bindings it asked the loader for, which resolved to no module. */
  readonly unresolved: Set<string>;
  /** It resolved an import to a project module, or lost a flow to another entry point's duplicate. */
  shared: boolean;
}

/** One entry point of a run, analysed or replayed. */
interface EntryTrace extends Reads {
  readonly def: PyNode;
  readonly env: Env;
  /** Where its top-level statement starts. */
  readonly base: number;
  /** The flows it added, in order. */
  readonly flows: RawFlow[];
  bodyRuns: number;
  /** The record it was replayed from. */
  readonly replayed?: EntryRecord;
}

/** The reads of every replayed trace (never a target of reads: see replayEntry). */
const NO_NODES = new Set<PyNode>();
const NO_NAMES = new Set<string>();

/** The functions an entry point consulted: recorded ones for a replayed entry point. */
function touchedOf(t: EntryTrace): Iterable<PyNode> {
  return t.replayed ? t.replayed.touched : t.touched;
}

function newReads(): Reads {
  return { touched: new Set(), unresolved: new Set(), shared: false };
}

function mergeReads(into: Reads | undefined, from: Reads | undefined): void {
  if (!into || !from) return;
  for (const d of from.touched) into.touched.add(d);
  for (const u of from.unresolved) into.unresolved.add(u);
  if (from.shared) into.shared = true;
}

/**
 * The duplicate check of flows, as the TypeScript engine's (see its `flowKey`): one finding per
 * sink. A sink in the analysed file is reported once, whatever its source. A call into another
 * module is reported once per sink it reaches there and path of functions there leading to it
 * (`behind`: the sink's file and offset, then each function of another module the path runs
 * through, in order): each sink of a helper module as if it were in the file, and each tool
 * behind one dispatching call on its own, while the arguments of one tool reaching one sink the
 * same way are one finding. A flow whose source and sink both lie in other modules (`inside`)
 * is reported once per source (name and place) and file, wherever the helper is called from.
 */
function flowKey(kind: TaintKind, sinkSpan: Span, behind: string | undefined): string {
  const base = `${kind}\0${sinkSpan.start}\0${sinkSpan.end}`;
  return behind === undefined ? base : `${base}\0${behind}`;
}

/**
 * `flowKey`'s part for a sink of the analysed file: the entry point whose run found the flow (a
 * tool's handler). A sink reached from several tools is one finding per tool: the one accepted as
 * by design (a run-any-SQL tool) does not hide another tool's injection through the same helper.
 */
function entryKey(def: PyNode | undefined): string {
  return def ? `@${def.start}` : '@';
}

/** `flowKey`'s `inside` part: the source (name and place) and the file of the sink. */
function insideKey(origin: Origin, sinkFile: string): string {
  const first = origin.steps[0];
  return `inside\0${origin.name}\0${first?.file}\0${first?.span.start}\0${sinkFile}`;
}

/**
 * What analyses of different files can share: summaries and validator facts of functions in
 * imported modules and module-level constants. Keyed weakly by the (immutable) syntax nodes and
 * modules of the engine's module cache, so entries vanish with the module text they describe.
 */
export class AnalysisCache {
  readonly summaries = new WeakMap<PyNode, Map<string, Summary | null>>();
  readonly validators = new WeakMap<PyNode, Map<number, TaintKind[]>>();
  readonly globals = new WeakMap<ModuleInfo, Map<string, Val>>();
  private readonly fnIds = new WeakMap<object, number>();
  private nextFnId = 0;

  fnId(fn: object): number {
    let id = this.fnIds.get(fn);
    if (id === undefined) this.fnIds.set(fn, (id = this.nextFnId++));
    return id;
  }

  /** An id never handed out before (for nodes whose ids must not outlive one analysis). */
  freshId(): number {
    return this.nextFnId++;
  }
}

export interface AnalyzerOptions {
  readonly main: ModuleInfo;
  /** Shared with other analyses by the engine; a fresh one when omitted. */
  readonly cache?: AnalysisCache;
  readonly mcp: PyMcpModel;
  readonly loader: ModuleLoader;
  readonly kinds: ReadonlySet<TaintKind>;
  readonly deadline: number;
  /**
   * The file's previous analysis and the edits of its text since (as copyTree took them: see
   * textEdits), to replay entry points from (see replay.ts).
   */
  readonly replay?: { readonly previous: AnalysisRecord; readonly changes: readonly TextChange[] };
  /**
   * What the project's middleware stores in each request's state (./request-state.ts): read
   * back by `request.state.<key>` and `getattr(request.state, "<key>")` in the analysed code.
   * Its version is part of every summary key and of the replay environment.
   */
  readonly requestState?: RequestState;
  /**
   * Set when the analysis indexes a middleware module: what its HTTP handlers store in the
   * request's state goes here, by key (its flows are not reported).
   */
  readonly collectState?: Map<string, Val>;
}

/** Values the project's middleware stores in the request's state, by key. */
export interface RequestState {
  readonly version: string;
  readonly values: ReadonlyMap<string, Val>;
}

/**
 * Flow-sensitive, interprocedural taint analysis of one Python file. Entry points are the MCP
 * handlers and HTTP handlers of the file; helper functions (same module or imported local
 * modules) are analysed at each call with the taint of their arguments, so a helper only ever
 * called with constants produces nothing.
 */
export class Analyzer {
  readonly flows: RawFlow[] = [];
  /** Keys of the flows found (flowKey), with the entry point that added each. */
  private readonly flowKeys = new Map<string, EntryTrace | undefined>();
  /**
   * Set by run() when it replayed entry points but cannot show that the result equals a full
   * run (see replay.ts): the caller analyses the file again with a new Analyzer, without replay.
   */
  replayFailed = false;
  private readonly traces: EntryTrace[] = [];
  private trace: EntryTrace | undefined;
  /** Where the current reads go: the entry point's trace, or a module constant being evaluated. */
  private reads: Reads | undefined;
  /** Reads of each module constant of the analysed file, merged into every reader's. */
  private readonly globalReads = new Map<string, Reads>();
  private readonly computing = new Set<string>();
  /** A module constant was read during its own evaluation, or a flow found while evaluating one. */
  private orderDependent = false;
  private replayedBodyRuns = 0;
  private environment: Environment | undefined;
  private bodyRuns = 0;
  private statements = 0;
  private readonly cache: AnalysisCache;
  private readonly classRefs = new WeakMap<PyNode, ClassRef>();
  /** The loader's answers for import bindings in this run, by binding and importing file (null: none). */
  private readonly resolved = new WeakMap<ImportBinding, Map<string, ResolvedImport | null>>();
  /** Per class, its bases among the project's classes (see basesOf). */
  private readonly bases = new WeakMap<PyNode, { refs: ClassRef[]; reads: Reads }>();
  /** Per class, the values its methods store into each `self` table (see selfTable). */
  private readonly selfStores = new WeakMap<PyNode, Map<string, { value: PyNode; key?: string }[]>>();
  /** Part of every summary key: summaries hold only the flows of the kinds asked for. */
  private readonly kindsKey: string;
  /**
   * Summaries, validators and ids of the analysed file's own nodes. The engine reuses those
   * nodes across edits (src/core/python/ast.ts copyTree), but what they summarise depends on
   * the rest of the file, so these last one run; the shared cache only serves imported modules.
   */
  private readonly local = new AnalysisCache();
  private readonly localIds = new WeakMap<PyNode, number>();
  /** Imported handlers analysed so far (see runImported). */
  private readonly importedRuns = new Set<PyNode>();

  constructor(private readonly opts: AnalyzerOptions) {
    this.cache = opts.cache ?? new AnalysisCache();
    this.kindsKey = [...opts.kinds].sort().join(',') + (opts.requestState ? `|state ${opts.requestState.version}` : '');
  }

  /** Analyses every entry point of the file. Throws DeadlineExceeded when out of time. */
  run(): void {
    const { main } = this.opts;
    const replay = this.opts.replay;
    this.environment = environmentOf(main, this.kindsKey);
    const usable = replay && sameEnvironment(replay.previous.environment, this.environment) ? replay : undefined;
    const tops = usable ? new Set(main.source.root.children) : undefined;
    const shift = usable ? flowShifter(usable.changes) : undefined;
    for (const { def, env, imported } of this.entryPoints()) {
      const base = topStatementOf(def).start;
      const record = usable?.previous.entries.get(def);
      if (record && sameSources(record.env, record.base, env, base) && this.replayable(record, tops!)) this.replayEntry(record, shift!, env, base);
      else if (imported) this.runImported(imported, env, base);
      else this.runEntry(def, env, base);
    }
    if (this.traces.some((t) => t.replayed)) this.replayFailed = !this.composedExactly();
  }

  /**
   * The entry points of the file in analysis order, with their sources. A handler imported from
   * another module enters at the argument registering it (`def`), its sources found when it runs.
   */
  private entryPoints(): { def: PyNode; env: Env; imported?: PyImportedHandler }[] {
    const { main, mcp } = this.opts;
    const entries: { def: PyNode; env: Env; imported?: PyImportedHandler }[] = [];
    const done = new Set<PyNode>();
    for (const reg of mcp.registrations) {
      if (!reg.handler || reg.idiom === 'lowlevel' || done.has(reg.handler)) continue;
      done.add(reg.handler);
      entries.push({ def: reg.handler, env: handlerSources(reg.params, reg.kind) });
    }
    for (const imported of mcp.importedHandlers) entries.push({ def: imported.ref, env: new Map(), imported });
    for (const h of mcp.lowLevelHandlers) {
      if (done.has(h.handler)) continue;
      done.add(h.handler);
      const params = functionParams(h.handler).filter((p) => p.name !== 'self');
      const env: Env = new Map();
      const kind = h.method === 'call_tool' ? 'tool argument' : h.method === 'get_prompt' ? 'prompt argument' : 'resource URI';
      if (h.withParams) {
        // SDK v2: `(ctx, params)`, the client's data in `params.arguments`, `.name`, `.uri`.
        const p = params[1];
        if (p) {
          const fields = new Map<string, Val>();
          const nameKind = h.method === 'call_tool' ? 'tool name' : 'prompt name';
          if (h.method === 'read_resource') fields.set('uri', { taint: sourceTaint('uri', kind, this.step(p.node, `${kind} '${p.name}.uri'`, main)) });
          else {
            fields.set('name', { taint: sourceTaint('name', nameKind, this.step(p.node, `${nameKind} '${p.name}.name'`, main)) });
            fields.set('arguments', { taint: sourceTaint('arguments', kind, this.step(p.node, `${kind}s '${p.name}.arguments'`, main)), keyed: true });
          }
          // Read as `params.arguments` (by key), or passed on whole with the arguments' taint.
          for (const [field, v] of fields) env.set(`${p.name}.${field}`, v);
          const whole = fields.get('arguments') ?? fields.get('uri')!;
          env.set(p.name, { ...whole, keyed: true });
        }
      } else if (h.method === 'read_resource') {
        const uri = params[0];
        if (uri) env.set(uri.name, { taint: sourceTaint(uri.name, kind, this.step(uri.node, `${kind} '${uri.name}'`, main)) });
      } else {
        // (name, arguments): both come from the client; the SDK does not check the name against the tool list.
        const [nameParam, args] = params;
        const nameKind = h.method === 'call_tool' ? 'tool name' : 'prompt name';
        if (nameParam) env.set(nameParam.name, { taint: sourceTaint(nameParam.name, nameKind, this.step(nameParam.node, `${nameKind} '${nameParam.name}'`, main)) });
        if (args) env.set(args.name, { taint: sourceTaint(args.name, kind, this.step(args.node, `${kind}s '${args.name}'`, main)), keyed: true });
      }
      entries.push({ def: h.handler, env });
    }
    // HTTP handlers in the same server: functions taking a request, and route-decorated functions.
    for (const def of nodesOfType(main.source, 'function_definition')) {
      if (done.has(def)) continue;
      const env = this.httpSources(def);
      if (!env) continue;
      done.add(def);
      entries.push({ def, env });
    }
    return entries;
  }

  /** Whether a recorded entry point's statements are all still there, and its unresolved imports still resolve to none. */
  private replayable(record: EntryRecord, tops: ReadonlySet<PyNode>): boolean {
    for (const d of record.deps) if (!tops.has(d)) return false;
    const { main, loader } = this.opts;
    for (const local of record.unresolved) {
      const binding = main.imports.bindings.get(local);
      if (!binding || loader.resolveBinding(main.source.file, binding)) return false;
    }
    return true;
  }

  /** Adds a recorded entry point's flows (moved by the edit) as its analysis would. */
  private replayEntry(record: EntryRecord, shift: (flows: readonly RawFlow[]) => readonly RawFlow[], env: Env, base: number): void {
    // Its reads are the record's (touchedOf); its flows, the record's moved by the edit.
    const flows = shift(record.flows) as RawFlow[];
    const trace: EntryTrace = { def: record.def, env, base, touched: NO_NODES, unresolved: NO_NAMES, shared: false, flows, bodyRuns: record.bodyRuns, replayed: record };
    this.traces.push(trace);
    this.replayedBodyRuns += record.bodyRuns;
    for (const flow of flows) {
      const key = this.recordedFlowKey(flow, record.def);
      if (this.flowKeys.has(key)) {
        // A flow an earlier entry point found: a full run drops it too, but this record is not isolated.
        trace.shared = true;
        continue;
      }
      this.flowKeys.set(key, trace);
      this.flows.push(flow);
    }
  }

  /**
   * Whether a run that replayed entry points found what a full run would (see replay.ts): the
   * entry points that ran consulted no function a replayed one did, module constants were
   * evaluated free of cycles and flows, and the cap on helper body runs was never reached.
   */
  private composedExactly(): boolean {
    if (this.orderDependent || this.bodyRuns + this.replayedBodyRuns >= MAX_BODY_RUNS) return false;
    const replayed = new Set<PyNode>();
    for (const t of this.traces) if (t.replayed) for (const d of t.replayed.touched) replayed.add(d);
    for (const t of this.traces) if (!t.replayed) for (const d of t.touched) if (replayed.has(d)) return false;
    return true;
  }

  /**
   * What the next analysis of the file, after an edit, may replay: the isolated entry points of
   * this run (see replay.ts); undefined when the run itself depended on the order of its entry
   * points. Call after a run() that completed.
   */
  record(): AnalysisRecord | undefined {
    if (this.orderDependent || this.bodyRuns + this.replayedBodyRuns >= MAX_BODY_RUNS || !this.environment) return undefined;
    const file = this.opts.main.source.file;
    const uses = new Map<PyNode, number>();
    for (const t of this.traces) for (const d of touchedOf(t)) uses.set(d, (uses.get(d) ?? 0) + 1);
    const entries = new Map<PyNode, EntryRecord>();
    for (const t of this.traces) {
      if (t.shared) continue;
      let isolated = true;
      for (const d of touchedOf(t)) if (uses.get(d) !== 1) isolated = false;
      if (!isolated) continue;
      if (t.replayed) {
        // Its sources stay those of the record: they compare relative to their statement.
        entries.set(t.def, t.flows === t.replayed.flows ? t.replayed : { ...t.replayed, flows: t.flows });
        continue;
      }
      const deps = [...new Set([...t.touched].map(topStatementOf))];
      if (!flowsWithin(t.flows, deps, file)) continue;
      entries.set(t.def, { def: t.def, env: t.env, base: t.base, deps, touched: [...t.touched], flows: t.flows.map(detachFlow), bodyRuns: t.bodyRuns, unresolved: [...t.unresolved] });
    }
    return { text: this.opts.main.source.text, environment: this.environment, entries };
  }

  /** How many entry points the last run() replayed and how many it analysed (for tests and benchmarks). */
  replayStats(): { replayed: number; ran: number } {
    const replayed = this.traces.filter((t) => t.replayed).length;
    return { replayed, ran: this.traces.length - replayed };
  }

  private runEntry(def: PyNode, env: Env, base: number): void {
    const trace: EntryTrace = { ...newReads(), def, env, base, flows: [], bodyRuns: 0 };
    trace.touched.add(def);
    this.traces.push(trace);
    this.trace = trace;
    this.reads = trace;
    const frame: Frame = {
      module: this.opts.main,
      fn: def,
      fnName: def.child('name')?.text ?? '<lambda>',
      ...(selfClassOf(def) ? { cls: selfClassOf(def)! } : {}),
      returns: [],
      depth: 0,
      stack: [def],
      locals: new Map(),
      closures: new Map(),
    };
    const body = def.child('body');
    // A copy: the analysis assigns into its environment, and the record keeps the sources.
    if (body) this.execBlock(body, this.withEnclosingObjects(def, new Map(env), frame), frame);
    this.trace = undefined;
    this.reads = undefined;
  }

  /**
   * A handler defined inside a function (`async def main(): runner = ScriptRunner(); ...
   * @server.call_tool() async def handle(...)`) sees that function's objects: the names its
   * body binds, before the handler's definition, to objects of the project's classes or to local
   * functions, or lists of them (mcp-server-data-exploration's `script_runner.safe_eval(script)`,
   * mcp-snowflake-server's `all_tools`). Other values
   * of the enclosing function carry no client data into the handler.
   */
  private withEnclosingObjects(def: PyNode, env: Env, frame: Frame): Env {
    const outer = enclosingFunction(def);
    const body = outer?.child('body');
    if (!outer || !body) return env;
    const scope: Env = new Map();
    const outerFrame: Frame = { ...frame, fn: outer, fnName: outer.child('name')?.text ?? '<lambda>', locals: new Map(), closures: new Map() };
    for (const st of body.namedChildren) {
      if (st.start <= def.start && def.end <= st.end) break;
      const a = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
      const left = a?.type === 'assignment' ? a.child('left') : undefined;
      const right = a?.child('right');
      if (left?.type !== 'identifier' || !right) continue;
      const v = this.eval(right, scope, outerFrame);
      // Objects and functions, and lists of them (`all_tools = [Tool(name=..., handler=fn)]`,
      // then `[t for t in all_tools if ...]`: mcp-snowflake-server's tool table).
      const listed = [...(v.items ?? []), ...(v.shapes ?? []).flat()];
      if (v.instance || v.alts || v.fn || v.registry || listed.some((i) => i.instance || i.fn)) scope.set(left.text, v);
      else scope.delete(left.text);
    }
    for (const [k, v] of scope) if (!env.has(k)) env.set(k, v);
    return env;
  }

  /**
   * A handler imported from a local module (`mcp.add_tool(grep)` after `from .tools import
   * grep`), analysed as a call of it at the registering argument with the tool's arguments: its
   * sinks are reported there, with their steps in the module, as for any call into a module.
   * Each function runs once per file, at its first registration.
   */
  private runImported(h: PyImportedHandler, env: Env, base: number): void {
    const trace: EntryTrace = { ...newReads(), def: h.ref, env, base, flows: [], bodyRuns: 0 };
    trace.touched.add(h.ref);
    this.traces.push(trace);
    this.trace = trace;
    this.reads = trace;
    try {
      const target = this.importedFunction(h.ref);
      if (!target || this.importedRuns.has(target.def)) return;
      this.importedRuns.add(target.def);
      const { main } = this.opts;
      const frame: Frame = { module: main, fnName: '<module>', returns: [], depth: 0, stack: [], locals: new Map(), closures: new Map() };
      const kw = handlerSources(handlerParams(target.def), h.kind);
      const keywords = new Map<string, PyNode>();
      for (const k of kw.keys()) keywords.set(k, h.ref);
      this.callLocal(target.def, target.module, false, h.ref, { positional: [], keywords, splats: [] }, [], kw, [], frame);
    } finally {
      this.trace = undefined;
      this.reads = undefined;
    }
  }

  /** The function of another module an imported name denotes (`grep`, `tools.grep`), if it is one of the project's. */
  private importedFunction(ref: PyNode): { def: PyNode; module: ModuleInfo } | undefined {
    const { main } = this.opts;
    const head = ref.type === 'attribute' ? ref.child('object') : ref;
    const binding = head ? main.imports.bindings.get(head.text) : undefined;
    if (!binding || isExternal(binding.qualified)) return undefined;
    const r = this.resolve(main.source.file, binding);
    if (!r) return undefined;
    const name = ref.type === 'attribute' ? (r.member ? undefined : ref.child('attribute')?.text) : r.member;
    const def = name ? r.module.functions.get(name) : undefined;
    return def ? { def, module: r.module } : undefined;
  }

  /** Sources of an HTTP handler, or undefined when the function is not one. */
  private httpSources(def: PyNode): Env | undefined {
    const params = functionParams(def);
    const names = new Set(params.map((p) => p.name));
    const env: Env = new Map();
    let isHandler = false;
    for (const p of params) {
      const ann = p.annotation ? (dottedName(p.annotation.namedChildren[0]) ?? p.annotation.text) : undefined;
      if ((ann && REQUEST_TYPES.test(ann)) || (!ann && /^(?:request|req|http_request)$/.test(p.name))) {
        env.set(p.name, { request: true });
        isHandler = true;
      }
    }
    // Raw ASGI: `async def __call__(self, scope, receive, send)`.
    if (names.has('scope') && names.has('receive') && names.has('send')) {
      const scope = params.find((p) => p.name === 'scope')!;
      env.set('scope', { taint: sourceTaint('scope', 'ASGI scope', this.step(scope.node, "ASGI scope 'scope'", this.opts.main)), keyed: true });
      isHandler = true;
    }
    const route = decoratorsOf(def).some((d) => {
      const fn = d.type === 'call' ? d.child('function') : d;
      const method = fn?.type === 'attribute' ? fn.child('attribute')?.text : undefined;
      return !!method && ROUTE_METHODS.has(method);
    });
    if (route) {
      isHandler = true;
      const enums = this.opts.main.enums;
      for (const p of params) {
        if (env.has(p.name) || p.name === 'self') continue;
        const ann = p.annotation?.text ?? '';
        if (NOT_REQUEST_DATA_TYPES.test(ann.replace(/\[.*$/s, '')) || /\bDepends\s*\(/.test(p.defaultValue?.text ?? '') || /\bDepends\s*\(/.test(ann)) continue;
        const marker = /\b(Query|Header|Body|Path|Form|Cookie|File|UploadFile)\s*\(/.exec(`${ann} ${p.defaultValue?.text ?? ''}`)?.[1];
        const kind = FASTAPI_PARAM_KINDS.get(marker ?? '') ?? 'request parameter';
        const val = paramSource(schemaOf(p.annotation, enums).kind, p.name, kind, p.node);
        if (val) env.set(p.name, val);
      }
    }
    return isHandler ? env : undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Statements

  /** Runs a block; returns whether control can fall through its end. */
  private execBlock(block: PyNode, env: Env, frame: Frame): boolean {
    for (const stmt of block.children) {
      if (!stmt.named) continue;
      if (!this.execStmt(stmt, env, frame)) return false;
    }
    return true;
  }

  private execStmt(stmt: PyNode, env: Env, frame: Frame): boolean {
    if ((++this.statements & 255) === 0 && performance.now() > this.opts.deadline) throw new DeadlineExceeded();
    switch (stmt.type) {
      case 'expression_statement':
        for (const e of stmt.namedChildren) this.execExpressionStatement(e, env, frame);
        return !this.isExitCall(stmt.namedChildren[0], env, frame);
      case 'return_statement': {
        const value = stmt.namedChildren.find((c) => c.type !== 'comment');
        if (frame.validator?.any) frame.validator.proven.push(ALL_KINDS.filter((k) => !isTainted(env.get(frame.validator!.param), k)));
        else if (frame.validator?.none) {
          if (!value || unparen(value).type === 'none') frame.validator.proven.push(ALL_KINDS.filter((k) => !isTainted(env.get(frame.validator!.param), k)));
        } else if (frame.validator && value && !/^(?:false|none|integer)$/.test(unparen(value).type)) {
          const after = new Map(env);
          this.refine(value, true, after, frame);
          const v = after.get(frame.validator.param);
          frame.validator.proven.push(ALL_KINDS.filter((k) => !isTainted(v, k)));
        }
        frame.returns.push(value ? this.eval(value, env, frame) : CLEAN);
        return false;
      }
      case 'raise_statement':
        for (const c of stmt.namedChildren) this.eval(c, env, frame);
        return false;
      case 'continue_statement':
      case 'break_statement':
        return false;
      case 'if_statement':
        return this.execIf(stmt, env, frame);
      case 'for_statement':
        return this.execFor(stmt, env, frame);
      case 'while_statement':
        return this.execWhile(stmt, env, frame);
      case 'try_statement':
        return this.execTry(stmt, env, frame);
      case 'with_statement':
        return this.execWith(stmt, env, frame);
      case 'match_statement':
        return this.execMatch(stmt, env, frame);
      case 'assert_statement': {
        const cond = stmt.namedChildren[0];
        if (cond) {
          this.eval(cond, env, frame);
          this.refine(cond, true, env, frame);
        }
        return true;
      }
      case 'function_definition':
      case 'decorated_definition': {
        const def = stmt.type === 'function_definition' ? stmt : stmt.child('definition');
        if (def?.type === 'function_definition') {
          const name = def.child('name')?.text ?? '';
          frame.locals.set(name, def);
          frame.closures?.set(def, env);
          env.delete(name);
        }
        return true;
      }
      case 'block':
        return this.execBlock(stmt, env, frame);
      case 'ERROR':
        // Recovered region: analyse whatever parsed inside it.
        for (const c of stmt.namedChildren) {
          if (isStatement(c)) {
            if (!this.execStmt(c, env, frame)) return false;
          } else if (c.type !== 'comment') this.eval(c, env, frame);
        }
        return true;
      default:
        return true;
    }
  }

  private execExpressionStatement(e: PyNode, env: Env, frame: Frame): void {
    switch (e.type) {
      case 'assignment':
        this.assign(e, env, frame);
        return;
      case 'augmented_assignment': {
        const left = e.child('left');
        const right = e.child('right');
        if (!left || !right) return;
        const lv = this.eval(left, env, frame);
        const rv = this.eval(right, env, frame);
        const op = e.child('operator')?.type ?? '+=';
        const combined = op === '+=' ? (concatLists(lv, rv) ?? concatVals([lv, rv])) : mergeVals(lv, rv);
        this.bind(left, combined, env, frame, e);
        return;
      }
      case 'string':
      case 'concatenated_string':
        return; // docstrings
      default: {
        this.eval(e, env, frame);
        // `p.relative_to(root)` as a statement raises unless p is inside root.
        const call = unparen(e.type === 'await' ? (e.namedChildren[0] ?? e) : e);
        if (call.type === 'call') this.statementGuard(call, env, frame);
      }
    }
  }

  private statementGuard(call: PyNode, env: Env, frame: Frame): void {
    const fn = unparen(call.child('function') ?? call);
    if (fn.type === 'attribute' && fn.child('attribute')?.text === 'relative_to') {
      const subject = fn.child('object');
      if (subject) this.markContained(subject, call, env, frame);
      return;
    }
    this.validatorStatement(call, fn, env, frame);
  }

  /**
   * A call of the project's own helper as a statement (`check_ref(ref)`, `reject_options(args)`,
   * `ensure_language(lang)`), where the helper raises unless its parameter passes a check: after
   * it, the argument has what every way the helper can return proves (`Frame.validator` with
   * `any`), e.g. no leading `-` (an option screen: only the argument kind, the value may still be
   * shell syntax or a path) or membership of a list of constants (every kind). Positional and
   * keyword arguments both.
   */
  private validatorStatement(call: PyNode, fn: PyNode, env: Env, frame: Frame): void {
    const args = callArgs(call);
    // Only a call handed client data is looked at (most statements are not).
    const tainted = (a: PyNode) => !!this.eval(a, env, frame).taint;
    const positional = args.positional.map(tainted);
    const keywords = [...args.keywords].filter(([, a]) => tainted(a));
    if (!positional.includes(true) && keywords.length === 0) return;
    const local = this.resolveLocal(fn, this.qualify(fn, frame, env), env, frame);
    if (!local) return;
    const params = functionParams(local.def).slice(local.skipFirst ? 1 : 0);
    const screen = (a: PyNode, i: number) => {
      if (i < 0 || params[i]?.splat) return;
      const kinds = this.validatorKinds(local.def, local.module, local.skipFirst, i, frame, false, true);
      if (kinds.length > 0) this.sanitize(a, kinds, env, frame);
    };
    args.positional.forEach((a, i) => {
      if (positional[i]) screen(a, i);
    });
    for (const [name, a] of keywords) screen(a, params.findIndex((p) => p.name === name));
  }

  /**
   * Whether a call never returns: `sys.exit()` and the like, or a function of the project that
   * always raises (`def fail(msg): log...; raise ToolError(msg)`, or annotated `-> NoReturn`).
   */
  private isExitCall(e: PyNode | undefined, env: Env, frame: Frame): boolean {
    if (e?.type !== 'call') return false;
    const fn = e.child('function');
    const q = this.qualify(fn, frame, undefined);
    if (q && EXIT_CALLS.has(q)) return true;
    if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) return false;
    const local = this.resolveLocal(fn, q, env, frame);
    return !!local && !local.closure && alwaysRaises(local.def);
  }

  private assign(a: PyNode, env: Env, frame: Frame): Val {
    const left = a.child('left');
    const right = a.child('right');
    if (!right) return CLEAN;
    const value = right.type === 'assignment' ? this.assign(right, env, frame) : this.eval(right, env, frame);
    if (left) this.bind(left, value, env, frame, a);
    const call = right.type === 'await' ? right.namedChildren[0] : right;
    if (left?.type === 'identifier' && (call?.type === 'call' || call?.type === 'subscript')) (frame.results ??= new Map()).set(left.text, call);
    return value;
  }

  /** Binds a target (name, attribute, subscript or pattern) to a value. */
  private bind(target: PyNode, value: Val, env: Env, frame: Frame, at: PyNode): void {
    const t = unparen(target);
    switch (t.type) {
      case 'identifier':
      case 'attribute':
      case 'subscript': {
        if (value.taint) {
          const stateKey = requestStateKey(t);
          if (stateKey !== undefined) this.storeState(stateKey, t, value, at, env, frame);
        }
        const key = lvalueKey(t);
        if (!key) {
          // `d[k()] = v`: the container now holds v.
          const base = t.type === 'subscript' ? t.child('value') : t.child('object');
          const baseKey = base ? lvalueKey(base) : undefined;
          if (baseKey && value.taint) env.set(baseKey, mergeVals(env.get(baseKey), { taint: value.taint }));
          return;
        }
        // Facts about `key.attr` / `key[...]` no longer hold once `key` is rebound.
        const stale: string[] = [];
        for (const k of env.keys()) {
          if (k.length > key.length && k.startsWith(key) && (k[key.length] === '.' || k[key.length] === '[')) stale.push(k);
        }
        for (const k of stale) env.delete(k);
        frame.locals.delete(key);
        frame.results?.delete(key);
        const stepped = value.taint ? withTaint(value, withStep(value.taint, this.step(t, `assigned to '${key}'`, frame.module))) : value;
        if (t.type === 'subscript') {
          const baseKey = lvalueKey(t.child('value')!);
          // A clean value stored into a container the function has not bound changes nothing here.
          const base = baseKey && (value.taint || env.has(baseKey)) ? (env.get(baseKey) ?? this.eval(t.child('value')!, env, frame)) : undefined;
          const field = stringValue(t.child('subscript'));
          if (baseKey && base?.fields && field !== undefined) {
            // A dict whose keys are known (`{}`, `{"root": ...}`) keeps each key's value apart:
            // `config["user"] = name` does not taint `config["root"]` or `config.get("root")`.
            const fields = new Map(base.fields).set(field, stepped);
            const taint = unionTaint(base.taint, stepped.taint);
            env.set(baseKey, { ...base, ...(taint ? { taint } : {}), fields });
          } else if (baseKey && value.taint) env.set(baseKey, mergeVals(base, { taint: stepped.taint! }));
        }
        env.set(key, stepped);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'expression_list':
      case 'tuple':
      case 'list': {
        const targets = t.namedChildren.filter((c) => c.type !== 'comment');
        const spread = targets.findIndex((c) => c.type === 'list_splat_pattern' || c.type === 'list_splat');
        targets.forEach((c, i) => {
          let v: Val;
          if (value.items && value.items.length === targets.length && spread < 0) v = value.items[i]!;
          else if (value.items && spread < 0) v = value.items[i] ?? elementOf(value);
          else v = elementOf(value);
          this.bind(c.type === 'list_splat_pattern' || c.type === 'list_splat' ? (c.namedChildren[0] ?? c) : c, v, env, frame, at);
        });
        return;
      }
      case 'as_pattern_target':
      case 'list_splat_pattern':
        if (t.namedChildren[0]) this.bind(t.namedChildren[0], value, env, frame, at);
        return;
      default:
        return;
    }
  }

  /**
   * `scope["state"]["k"] = v` (ASGI middleware) or `request.state.k = v` (Starlette middleware):
   * a request's state holds client data under `k` for every handler that reads it later. A dict
   * built key by key (`headers["X-Url"] = url`) keeps its keys, so that a reader's
   * `.get("X-Url")` names that header only.
   */
  private storeState(key: string, target: PyNode, value: Val, at: PyNode, env: Env, frame: Frame): void {
    let v = value;
    const right = at.type === 'assignment' ? at.child('right') : undefined;
    const base = right ? lvalueKey(right) : undefined;
    if (base && !v.fields) {
      const fields = new Map<string, Val>();
      for (const [k, f] of env) {
        if (!k.startsWith(`${base}[`) || !k.endsWith(']')) continue;
        try {
          const lit: unknown = JSON.parse(k.slice(base.length + 1, -1));
          if (typeof lit === 'string') fields.set(lit, f);
        } catch {
          // Not a literal key.
        }
      }
      if (fields.size > 0) v = { ...v, fields };
    }
    this.recordState(key, withStepAll(v, this.step(target, `stored in the request state '${key}'`, frame.module)), frame);
  }

  /** A store into the request's state: the summary's when in a helper, else the index's. */
  private recordState(key: string, v: Val, frame: Frame): void {
    if (!v.taint) return;
    if (frame.summary) (frame.summary.stateWrites ??= []).push({ key, val: v });
    else if (this.opts.collectState) this.opts.collectState.set(key, mergeVals(this.opts.collectState.get(key), v));
  }

  /**
   * `request.state.<key>` when `stateNode` is `<request>.state`: what the project's middleware
   * stores there (./request-state.ts), or undefined when `stateNode` is something else.
   */
  private stateRead(stateNode: PyNode | undefined, key: string, at: PyNode, env: Env, frame: Frame): Val | undefined {
    const states = this.opts.requestState;
    if (!states || stateNode?.type !== 'attribute' || stateNode.child('attribute')?.text !== 'state') return undefined;
    const holder = stateNode.child('object');
    if (!holder || !this.eval(holder, env, frame).request) return undefined;
    const v = states.values.get(key);
    return v?.taint ? withStepAll(v, this.step(at, `read from the request state '${key}'`, frame.module)) : CLEAN;
  }

  private execIf(stmt: PyNode, env: Env, frame: Frame): boolean {
    const cond = stmt.child('condition');
    const body = stmt.child('consequence');
    if (cond) this.eval(cond, env, frame);
    // `if output_file is None:` for a parameter the call gave a value: that branch does not run.
    const known = cond && frame.passed ? noneTestOfPassed(cond, stmt, frame) : undefined;
    const thenEnv = new Map(env);
    if (cond) this.refine(cond, true, thenEnv, frame);
    const outs: Env[] = [];
    if (known !== false && (!body || this.execBlock(body, thenEnv, frame))) outs.push(thenEnv);
    if (known === true) return this.joinInto(env, outs);
    let elseEnv = new Map(env);
    if (cond) this.refine(cond, false, elseEnv, frame);
    let handledElse = false;
    for (const alt of stmt.childrenOf('alternative')) {
      if (alt.type === 'elif_clause') {
        const c = alt.child('condition');
        if (c) this.eval(c, elseEnv, frame);
        const branch = new Map(elseEnv);
        if (c) this.refine(c, true, branch, frame);
        const b = alt.child('consequence');
        if (!b || this.execBlock(b, branch, frame)) outs.push(branch);
        const next = new Map(elseEnv);
        if (c) this.refine(c, false, next, frame);
        elseEnv = next;
      } else if (alt.type === 'else_clause') {
        handledElse = true;
        const b = alt.child('body');
        if (!b || this.execBlock(b, elseEnv, frame)) outs.push(elseEnv);
      }
    }
    if (!handledElse) outs.push(elseEnv);
    return this.joinInto(env, outs);
  }

  /** Replaces env by the join of the fall-through environments; false if there are none. */
  private joinInto(env: Env, outs: readonly Env[]): boolean {
    if (outs.length === 0) return false;
    const keys = new Set<string>();
    for (const o of outs) for (const k of o.keys()) keys.add(k);
    env.clear();
    for (const k of keys) {
      let v: Val | undefined;
      for (const o of outs) {
        // A name bound on one path only keeps its value (Python would raise on the other
        // path); a field stored on one path only holds, on the others, what its object gives
        // (`if strict: op.src = check(op.src)` leaves the client's `op.src` where not strict).
        const x = o.get(k) ?? unstoredField(o, k);
        if (x !== undefined) v = v === undefined ? x : mergeVals(v, x);
      }
      if (v) env.set(k, v);
    }
    return true;
  }

  private execFor(stmt: PyNode, env: Env, frame: Frame): boolean {
    const left = stmt.child('left');
    const right = stmt.child('right');
    const body = stmt.child('body');
    const iter = right ? this.eval(right, env, frame) : CLEAN;
    const element = iterationValue(iter, right);
    const before = new Map(env);
    const outs: Env[] = [before];
    // A table of objects holding different functions (`for t in tools: if t.name == name: return
    // t.handler(args)`): their join keeps no function, so the body also runs once per element.
    const held = heldFunctionsDiffer(iter);
    if (held && left && body) {
      for (const el of held) {
        const each = new Map(before);
        this.bind(left, el, each, frame, stmt);
        if (this.execBlock(body, each, frame)) outs.push(each);
      }
    }
    // Two passes reach the fixpoint for the flows this analysis tracks (a value taints a name, which taints another).
    let loopEnv = new Map(env);
    let screens = false;
    for (let pass = 0; pass < 2; pass++) {
      if (left) this.bind(left, element, loopEnv, frame, stmt);
      const falls = body ? this.execBlock(body, loopEnv, frame) : true;
      if (pass === 0 && falls && left && body) screens = screensElements(left, body, element, loopEnv);
      outs.push(loopEnv);
      const joined = new Map<string, Val>();
      this.joinInto(joined, [before, loopEnv]);
      loopEnv = joined;
    }
    const alt = stmt.child('alternative');
    const after = new Map<string, Val>();
    this.joinInto(after, outs);
    if (alt) {
      const b = alt.child('body');
      if (b && !this.execBlock(b, after, frame)) {
        // else-branch exits: only `break` paths fall through; approximate with the loop state.
      }
    }
    this.joinInto(env, [after]);
    // `for a in args: if a.startswith("-"): raise`: every element of `args` was screened.
    if (screens && right) this.sanitize(right, ['argument'], env, frame);
    return true;
  }

  private execWhile(stmt: PyNode, env: Env, frame: Frame): boolean {
    const cond = stmt.child('condition');
    const body = stmt.child('body');
    const before = new Map(env);
    let loopEnv = new Map(env);
    for (let pass = 0; pass < 2; pass++) {
      if (cond) {
        this.eval(cond, loopEnv, frame);
        this.refine(cond, true, loopEnv, frame);
      }
      if (body) this.execBlock(body, loopEnv, frame);
      const joined = new Map<string, Val>();
      this.joinInto(joined, [before, loopEnv]);
      loopEnv = joined;
    }
    this.joinInto(env, [before, loopEnv]);
    return true;
  }

  private execTry(stmt: PyNode, env: Env, frame: Frame): boolean {
    const body = stmt.child('body');
    const start = new Map(env);
    const bodyEnv = new Map(env);
    const bodyFalls = body ? this.execBlock(body, bodyEnv, frame) : true;
    const outs: Env[] = [];
    let elseOut: Env | undefined = bodyFalls ? bodyEnv : undefined;
    let finallyClause: PyNode | undefined;
    for (const c of stmt.namedChildren) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        const handlerEnv = new Map<string, Val>();
        this.joinInto(handlerEnv, [start, bodyEnv]);
        const block = c.namedChildren.find((x) => x.type === 'block');
        if (!block || this.execBlock(block, handlerEnv, frame)) outs.push(handlerEnv);
      } else if (c.type === 'else_clause' && elseOut) {
        const b = c.child('body');
        if (b && !this.execBlock(b, elseOut, frame)) elseOut = undefined;
      } else if (c.type === 'finally_clause') finallyClause = c;
    }
    if (elseOut) outs.push(elseOut);
    const falls = this.joinInto(env, outs);
    if (finallyClause) {
      const b = finallyClause.namedChildren.find((x) => x.type === 'block');
      if (b) {
        if (!falls) {
          const fin = new Map<string, Val>();
          this.joinInto(fin, [start, bodyEnv]);
          this.execBlock(b, fin, frame);
          return false;
        }
        return this.execBlock(b, env, frame);
      }
    }
    return falls;
  }

  private execWith(stmt: PyNode, env: Env, frame: Frame): boolean {
    const clause = stmt.children.find((c) => c.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      if (item.type !== 'with_item') continue;
      const value = item.child('value');
      if (!value) continue;
      if (value.type === 'as_pattern') {
        const expr = value.namedChildren[0];
        const alias = value.child('alias');
        const v = expr ? this.eval(expr, env, frame) : CLEAN;
        if (alias) this.bind(alias, v, env, frame, item);
      } else this.eval(value, env, frame);
    }
    const body = stmt.child('body');
    return body ? this.execBlock(body, env, frame) : true;
  }

  private execMatch(stmt: PyNode, env: Env, frame: Frame): boolean {
    const subject = stmt.child('subject');
    if (subject) this.eval(subject, env, frame);
    const outs: Env[] = [new Map(env)];
    const body = stmt.child('body');
    for (const clause of body?.namedChildren ?? []) {
      if (clause.type !== 'case_clause') continue;
      const branch = new Map(env);
      const b = clause.child('consequence');
      if (!b || this.execBlock(b, branch, frame)) outs.push(branch);
    }
    return this.joinInto(env, outs);
  }

  // ---------------------------------------------------------------------------------------
  // Expressions

  private eval(node: PyNode, env: Env, frame: Frame): Val {
    switch (node.type) {
      case 'identifier':
        return this.lookup(node, env, frame);
      case 'string':
        return this.evalString(node, env, frame);
      case 'concatenated_string':
        return concatVals(node.namedChildren.map((c) => this.eval(c, env, frame)));
      case 'integer':
      case 'float':
        return { str: node.text };
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
        return CLEAN;
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c.type !== 'comment');
        return inner ? this.eval(inner, env, frame) : CLEAN;
      }
      case 'await':
      case 'list_splat':
      case 'dictionary_splat':
      case 'keyword_argument':
        return node.namedChildren.length ? this.eval(node.namedChildren[node.namedChildren.length - 1]!, env, frame) : CLEAN;
      case 'attribute':
        return this.evalAttribute(node, env, frame);
      case 'subscript':
        return this.evalSubscript(node, env, frame);
      case 'call':
        return this.evalCall(node, env, frame);
      case 'binary_operator':
        return this.evalBinary(node, env, frame);
      case 'boolean_operator': {
        const l = node.child('left');
        const r = node.child('right');
        const lv = l ? this.eval(l, env, frame) : CLEAN;
        const renv = new Map(env);
        // `a and f(a)`: the right side only runs when the left holds.
        if (l) this.refine(l, node.child('operator')?.type === 'and', renv, frame);
        const rv = r ? this.eval(r, renv, frame) : CLEAN;
        return mergeVals(lv, rv);
      }
      case 'not_operator':
        for (const c of node.namedChildren) this.eval(c, env, frame);
        return CLEAN;
      case 'comparison_operator':
        this.evalComparison(node, env, frame);
        return CLEAN;
      case 'unary_operator':
        for (const c of node.namedChildren) this.eval(c, env, frame);
        return CLEAN;
      case 'conditional_expression': {
        const [body, cond, alt] = node.namedChildren.filter((c) => c.type !== 'comment');
        if (cond) this.eval(cond, env, frame);
        const tEnv = new Map(env);
        const fEnv = new Map(env);
        if (cond) {
          this.refine(cond, true, tEnv, frame);
          this.refine(cond, false, fEnv, frame);
        }
        return mergeVals(body ? this.eval(body, tEnv, frame) : CLEAN, alt ? this.eval(alt, fEnv, frame) : CLEAN);
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list': {
        // `[cmd, *args]`: a splatted list of known shape puts its elements in place (each of its
        // shapes, when paths built it differently).
        const parts = node.namedChildren
          .filter((c) => c.type !== 'comment')
          .map((c) => {
            const v = this.eval(c, env, frame);
            return c.type === 'list_splat' ? (shapesOf(v) ?? [[v]]) : [[v]];
          });
        const vectors = productOrWhole(parts, (p) => withTaint(CLEAN, unionTaint(...p.flat().map((i) => i.taint))));
        const all = vectors.flat();
        const taint = unionTaint(...all.map((i) => i.taint));
        const secret = all.find((i) => i.secret)?.secret;
        return { ...listShape(vectors), ...(taint ? { taint } : {}), ...(secret ? { secret } : {}) };
      }
      case 'dictionary': {
        const vals: Val[] = [];
        // Constant keys keep each value apart, so `result["uri"]` is not tainted by `result["name"]`.
        let fields: Map<string, Val> | undefined = new Map();
        for (const pair of node.namedChildren) {
          if (pair.type === 'pair') {
            const v = pair.child('value');
            const k = pair.child('key');
            const key = k ? stringValue(k) : undefined;
            // A key computed from client data is client text the dict holds (`{host_path: {...}}`).
            const kv = k ? this.eval(k, env, frame) : CLEAN;
            if (key === undefined && kv.taint) vals.push({ taint: kv.taint });
            const val = v ? this.eval(v, env, frame) : CLEAN;
            vals.push(val);
            if (key !== undefined) fields?.set(key, val);
            else fields = undefined;
          } else if (pair.type === 'dictionary_splat') {
            vals.push(this.eval(pair, env, frame));
            fields = undefined;
          }
        }
        const taint = unionTaint(...vals.map((v) => v.taint));
        return { ...(taint ? { taint } : {}), ...(fields ? { fields } : {}) };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.evalComprehension(node, env, frame);
      case 'named_expression': {
        const name = node.child('name');
        const value = node.child('value');
        const v = value ? this.eval(value, env, frame) : CLEAN;
        if (name) this.bind(name, v, env, frame, node);
        return v;
      }
      case 'yield': {
        const inner = node.namedChildren.find((c) => c.type !== 'comment');
        if (inner) frame.returns.push(this.eval(inner, env, frame));
        return CLEAN;
      }
      case 'lambda':
        return CLEAN;
      case 'ERROR': {
        let v: Val = CLEAN;
        for (const c of node.namedChildren) if (!isStatement(c) && c.type !== 'comment') v = mergeVals(v, this.eval(c, env, frame));
        return v;
      }
      default:
        return CLEAN;
    }
  }

  /** The value of a name where it is used (`id`: the imports of the functions around it come first). */
  private lookup(id: PyNode, env: Env, frame: Frame): Val {
    const name = id.text;
    const v = env.get(name);
    if (v) return v;
    const local = frame.locals.get(name);
    if (local) return { fn: this.fnRef(local, frame.module, frame.closures?.get(local)) };
    const binding = frame.module.imports.bindingAt(name, id);
    if (binding) {
      if (binding.qualified === 'flask.request' || binding.qualified === 'quart.request') return { request: true };
      const resolved = isExternal(binding.qualified) ? undefined : this.resolve(frame.module.source.file, binding);
      if (resolved?.member) {
        const g = this.globalVal(resolved.module, resolved.member);
        if (g) return g;
      }
      return isSecretName(name) ? { secret: name } : CLEAN;
    }
    const g = this.globalVal(frame.module, name);
    if (g) return g;
    return CLEAN;
  }

  /** Value of a module-level name (constants, allowlists, secrets, functions). */
  private globalVal(module: ModuleInfo, name: string): Val | undefined {
    let cache = this.cache.globals.get(module);
    if (!cache) this.cache.globals.set(module, (cache = new Map()));
    const hit = cache.get(name);
    const main = module === this.opts.main;
    if (hit) {
      if (main && this.computing.has(name)) this.orderDependent = true;
      else if (main) mergeReads(this.reads, this.globalReads.get(name));
      return hit;
    }
    const fn = module.functions.get(name);
    if (fn) {
      const v: Val = { fn: this.fnRef(fn, module) };
      cache.set(name, v);
      return v;
    }
    if (module.classes.has(name)) {
      const v: Val = module.enums.has(name) ? { enumClass: true } : { classRef: this.classRef(module.classes.get(name)!, module) };
      cache.set(name, v);
      return v;
    }
    const rhs = module.globals.get(name);
    if (!rhs) return undefined;
    cache.set(name, CLEAN); // cycle guard
    const frame: Frame = { module, fnName: '<module>', returns: [], depth: MAX_CALL_DEPTH, stack: [], locals: new Map() };
    // What the evaluation reads counts for every reader of the constant (see replay.ts).
    const outer = this.reads;
    const reads = newReads();
    if (main) {
      this.reads = reads;
      this.computing.add(name);
    }
    let v: Val;
    try {
      v = this.eval(rhs, new Map(), frame);
      const registry = isEmptyContainer(rhs) ? this.registryOf(module, name, frame) : undefined;
      if (registry?.objects) v = { ...v, registry: registry.objects };
      if (registry?.fns && !v.items) v = { ...v, fields: new Map([...(v.fields ?? []), ...registry.fns]) };
      const tables = v.instance && rhs.type === 'call' ? this.attributeRegistries(module, name, v.instance as ClassRef, frame) : undefined;
      if (tables) v = { ...v, fields: new Map([...(v.fields ?? []), ...tables]) };
    } finally {
      if (main) {
        this.reads = outer;
        this.computing.delete(name);
        this.globalReads.set(name, reads);
      }
    }
    if (main) mergeReads(outer, reads);
    // Module-level values are configuration, never attacker data.
    v = withTaint(v, undefined);
    if (isSecretName(name)) v = { ...v, secret: name };
    cache.set(name, v);
    return v;
  }

  /**
   * What a module's empty dict or list is filled with: `TABLE[k] = X()`, `TABLE.append(X())`,
   * `TABLE["ls"] = ls_handler` at the top level or inside a function (`def register_all():`), or
   * `add_handler(X())` where the module's `add_handler` stores its parameter in the table. The
   * objects of the project's classes become the table's registry (what a lookup by a computed
   * key gives), its functions entries of its fields (what a dispatch by name may call).
   */
  private registryOf(module: ModuleInfo, name: string, frame: Frame): TableContents {
    const table: TableContents = {};
    const add = (node: PyNode | undefined, key: string | undefined) => {
      if (node) addToTable(table, this.eval(node, new Map(), frame), key);
    };
    const storers = new Map<PyNode, number>();
    for (const id of moduleNameUses(module.source, name)) {
      const site = storeSite(id);
      if (!site) continue;
      const def = enclosingFunction(id);
      if (!def) {
        add(site.value, site.key);
        continue;
      }
      // The table's contents depend on the function's body (see replay.ts).
      this.reads?.touched.add(def);
      const params = functionParams(def).map((p) => p.name);
      if (params.includes(name) || bindsLocally(def, name)) continue;
      const at = site.value.type === 'identifier' ? params.indexOf(site.value.text) : -1;
      if (at < 0) add(site.value, site.key);
      else storers.set(def, at);
    }
    for (const [def, at] of storers) {
      const defName = def.child('name')?.text ?? '';
      if (module.functions.get(defName) === def) {
        // `add_handler(X())` anywhere in the module, `add_handler` storing its parameter.
        for (const id of moduleNameUses(module.source, defName)) {
          const call = id.parent;
          if (call?.type !== 'call' || call.child('function') !== id) continue;
          const inside = enclosingFunction(call);
          if (inside) this.reads?.touched.add(inside);
          add(callArgs(call).positional[at], undefined);
        }
      }
      // `@register` / `@tool("ls")`: a decorator storing the function it decorates.
      const outer = at === 0 ? enclosingFunction(def) : undefined;
      const factory = outer && module.functions.get(outer.child('name')?.text ?? '') === outer ? outer.child('name')!.text : undefined;
      if (at !== 0 || (!factory && module.functions.get(defName) !== def)) continue;
      for (const fn of module.functions.values()) {
        const decorated = decoratorsOf(fn).some((d) => (factory ? d.type === 'call' && d.child('function')?.text === factory : d.text === defName));
        if (decorated) addToTable(table, { fn: this.fnRef(fn, module) }, undefined);
      }
    }
    return table;
  }

  /**
   * The tables a module-level object of the project's classes is filled with through its own
   * methods (`registry.register("du", DuTool())` where `register` stores its parameter in
   * `self.handlers`), at the top level or inside a function: the attribute's registry and
   * functions, as registryOf gives them for a module table.
   */
  private attributeRegistries(module: ModuleInfo, name: string, ref: ClassRef, frame: Frame): Map<string, Val> | undefined {
    const tables = new Map<string, TableContents>();
    const storers = new Map<string, { attr: string; at: number } | undefined>();
    for (const id of moduleNameUses(module.source, name)) {
      const attr = id.parent;
      const call = attr?.type === 'attribute' && attr.child('object') === id ? attr.parent : undefined;
      if (call?.type !== 'call' || call.child('function') !== attr) continue;
      const method = attr.child('attribute')?.text ?? '';
      if (!storers.has(method)) {
        const found = this.methodIn(ref, method);
        // Whether and where the method stores is read from its body (see replay.ts).
        if (found) this.reads?.touched.add(found.def);
        storers.set(method, found && isInstanceMethod(found.def) ? storedAttribute(found.def) : undefined);
      }
      const store = storers.get(method);
      const arg = store ? callArgs(call).positional[store.at] : undefined;
      if (!store || !arg) continue;
      // The table's contents depend on the function calling the method (see replay.ts).
      const inside = enclosingFunction(call);
      if (inside) this.reads?.touched.add(inside);
      let table = tables.get(store.attr);
      if (!table) tables.set(store.attr, (table = {}));
      addToTable(table, this.eval(arg, new Map(), frame), undefined);
    }
    let out: Map<string, Val> | undefined;
    for (const [attr, table] of tables) {
      const v = tableVal(table);
      if (v) (out ??= new Map()).set(attr, v);
    }
    return out;
  }

  private evalString(node: PyNode, env: Env, frame: Frame): Val {
    if (!isFString(node)) {
      const s = stringValue(node);
      return s !== undefined ? { str: s } : CLEAN;
    }
    const parts: Val[] = [];
    const raw = (node.children[0]?.text.toLowerCase() ?? '').includes('r');
    for (const c of node.children) {
      if (c.type === 'string_content') parts.push({ str: c.text });
      else if (c.type === 'escape_sequence') parts.push({ str: raw ? c.text : decodeEscape(c.text) });
      else if (c.type === 'interpolation') {
        const expr = c.child('expression') ?? c.namedChildren[0];
        const v = expr ? this.eval(expr, env, frame) : CLEAN;
        // `{x!r}` / `{x:>10}` change the text around the value (it stays attacker text); a plain
        // `{x}` keeps its known start and end.
        const plain = !c.children.some((x) => x.type === 'type_conversion' || x.type === 'format_specifier');
        const text: Val = plain
          ? { ...(v.str !== undefined ? { str: v.str } : {}), ...(v.prefix ? { prefix: v.prefix } : {}), ...(v.suffix !== undefined ? { suffix: v.suffix } : {}) }
          : {};
        parts.push({ ...text, ...(v.taint ? { taint: v.taint } : {}), ...(v.secret ? { secret: v.secret } : {}) });
      }
    }
    return concatVals(parts);
  }

  private evalBinary(node: PyNode, env: Env, frame: Frame): Val {
    // `a - b * c - d ...` chains are left-deep (20,000 terms in generated code are not rare):
    // walk down the left spine and fold back up, so the stack stays flat for any operator.
    const spine: PyNode[] = [];
    let cur: PyNode | undefined = node;
    while (cur?.type === 'binary_operator') {
      spine.push(cur);
      cur = cur.child('left');
    }
    // The leftmost operand; undefined when the innermost link has no left side (broken code).
    let acc: Val | undefined = cur ? this.eval(cur, env, frame) : undefined;
    for (let i = spine.length - 1; i >= 0; i--) {
      const link = spine[i]!;
      const op = link.child('operator')?.type;
      const r = link.child('right');
      if (op === '+') {
        // A missing operand adds nothing.
        if (!r) continue;
        const v = this.eval(r, env, frame);
        if (!acc) acc = v;
        else acc = concatLists(acc, v) ?? (v.taint ? concatLists(acc, { items: [elementOf(v)], ...taintOf(v) }) : undefined) ?? concatVals([acc, v]);
        continue;
      }
      acc = this.binaryOp(op, acc ?? CLEAN, r ? this.eval(r, env, frame) : CLEAN);
    }
    return acc ?? CLEAN;
  }

  /** One non-`+` binary operation on evaluated operands. */
  private binaryOp(op: string | undefined, lv: Val, rv: Val): Val {
    if (op === '%') {
      // `"... %s" % (a, b)`: the format's constant start is kept.
      const fmt = lv.str;
      if (fmt !== undefined) {
        const cut = fmt.indexOf('%');
        const args = rv.items ?? [rv];
        const mid = withTaint(CLEAN, unionTaint(...args.map((a) => a.taint)));
        const secret = args.find((a) => a.secret)?.secret;
        return concatVals([{ str: cut < 0 ? fmt : fmt.slice(0, cut) }, secret ? { ...mid, secret } : mid]);
      }
      return concatVals([lv, rv]);
    }
    if (op === '/') {
      // pathlib: `base / name`. A string on either side means pathlib too (numbers do not divide
      // strings): `case_path / "output" / filename` is a path whatever `case_path` came from (a
      // dict of `child.resolve()` filled in a loop, in HOPE's MCP server).
      const joined = concatVals([lv, { str: '/' }, rv]);
      return lv.pathObj || rv.pathObj || lv.str !== undefined || rv.str !== undefined ? { ...joined, pathObj: true } : joined;
    }
    const taint = unionTaint(lv.taint, rv.taint);
    return taint ? { taint } : CLEAN;
  }

  private evalComprehension(node: PyNode, env: Env, frame: Frame): Val {
    const body = node.child('body');
    if (body?.type === 'pair') {
      const v = body.child('value');
      const inner = this.comprehensionScope(node, env, frame);
      const bv = v ? this.eval(v, inner, frame) : CLEAN;
      return bv.taint ? { taint: bv.taint } : CLEAN;
    }
    // `[t for t in tools if ...]`: a filter keeps the elements as they are (objects, functions).
    const loops = node.namedChildren.filter((c) => c.type === 'for_in_clause');
    const left = loops.length === 1 ? loops[0]!.child('left') : undefined;
    const right = loops.length === 1 ? loops[0]!.child('right') : undefined;
    if (body && left?.type === 'identifier' && body.type === 'identifier' && body.text === left.text && right && node.type !== 'generator_expression') {
      this.comprehensionScope(node, env, frame);
      const iter = this.eval(right, env, frame);
      if (iter.items || iter.shapes) return iter;
    }
    const bv = this.comprehensionElement(node, env, frame);
    return bv.taint || bv.secret
      ? { ...(bv.taint ? { taint: bv.taint, partial: true } : {}), ...(bv.secret ? { secret: bv.secret } : {}) }
      : CLEAN;
  }

  /**
   * The value of a comprehension's element expression, whole (functions and objects kept), with
   * its loop variables bound: what `next(t.handler for t in tools if t.name == name)` gives.
   */
  private comprehensionElement(node: PyNode, env: Env, frame: Frame): Val {
    const body = node.child('body');
    if (!body || body.type === 'pair') return CLEAN;
    return this.eval(body, this.comprehensionScope(node, env, frame), frame);
  }

  private comprehensionScope(node: PyNode, env: Env, frame: Frame): Env {
    const inner = new Map(env);
    for (const c of node.namedChildren) {
      if (c.type === 'for_in_clause') {
        const right = c.child('right');
        const left = c.child('left');
        const iter = right ? this.eval(right, inner, frame) : CLEAN;
        if (left) this.bind(left, iterationValue(iter, right), inner, frame, c);
      } else if (c.type === 'if_clause') {
        const cond = c.namedChildren[0];
        if (cond) {
          this.eval(cond, inner, frame);
          this.refine(cond, true, inner, frame);
        }
      }
    }
    return inner;
  }

  private evalAttribute(node: PyNode, env: Env, frame: Frame): Val {
    const key = lvalueKey(node);
    if (key && env.has(key)) return env.get(key)!;
    const objNode = node.child('object');
    const attr = node.child('attribute')?.text ?? '';
    if (!objNode) return CLEAN;
    const q = this.qualify(node, frame, env);
    if (q === 'os.sep' || q === 'os.path.sep' || q === 'posixpath.sep') return { str: '/' };
    if (q === 'os.environ') return { keyed: true, secret: 'os.environ' };
    const stored = this.stateRead(objNode, attr, node, env, frame);
    if (stored) return stored;
    const obj = this.eval(objNode, env, frame);
    if (obj.instance && obj.fields?.has(attr)) {
      // A table `__init__` made empty and a method filled (`self.register(LsTool())`).
      const field = obj.fields.get(attr)!;
      const table = this.selfTable(obj.instance as ClassRef, attr);
      if (!table) return field;
      return {
        ...field,
        ...(table.registry ? { registry: mergeVals(field.registry, table.registry) } : {}),
        ...(table.fields ? { fields: new Map([...(field.fields ?? []), ...table.fields]) } : {}),
      };
    }
    // `self.handlers` in an entry point, whose object the analysis did not build: what the
    // class's methods store into it (`self.handlers[name] = tool`, `self.register(LsTool())`).
    if (objNode.type === 'identifier' && objNode.text === 'self' && !env.has('self') && frame.cls) {
      const table = this.selfTable(this.classRef(frame.cls, frame.module), attr);
      if (table) return table;
    }
    const getter = this.propertyRead(obj, objNode, node, attr, frame);
    if (getter) return getter;
    if (obj.request) {
      const kind = REQUEST_ATTRIBUTES.get(attr);
      if (kind) return { taint: sourceTaint(attr, kind, this.step(node, `${kind}s '${attr}'`, frame.module)), keyed: true };
      return CLEAN;
    }
    if (obj.pathObj && (attr === 'parent' || attr === 'parents')) return { ...(obj.taint ? { taint: obj.taint } : {}), pathObj: true };
    if (obj.taint) {
      if (PATH_NAME_ATTRIBUTES.has(attr)) return cleanFor({ taint: obj.taint }, ['path']);
      const typed = this.modelField(obj, attr);
      if (typed === 'clean') return CLEAN;
      const read = obj.keyed ? this.refineOrigin(obj, attr, node, frame) : { taint: obj.taint };
      const refined = typed ? cleanFor(read, typed) : read;
      return { ...refined, ...(obj.urlOf ? { urlOf: obj.urlOf } : {}) };
    }
    if (obj.secret && obj.secret !== 'os.environ') return { secret: obj.secret };
    const selfLike = objNode.type === 'identifier' && (objNode.text === 'self' || objNode.text === 'cls');
    if (isSecretName(attr) && (selfLike || !env.has(dottedName(objNode)?.split('.')[0] ?? ''))) return { secret: dottedName(node) ?? attr };
    return CLEAN;
  }

  /**
   * What the methods of a class store into the table `self.<attr>`, as registryOf gives it for a
   * module table: `self.attr[k] = v`, `self.attr.append(v)`, or a call `self.register(v)` of a
   * method storing its parameter there. `self.method` stored is that method, bound.
   */
  private selfTable(ref: ClassRef, attr: string): Val | undefined {
    let byAttr = this.selfStores.get(ref.cls);
    if (!byAttr) this.selfStores.set(ref.cls, (byAttr = selfStoresOf(ref.cls, (m) => this.methodIn(ref, m)?.def)));
    const sites = byAttr.get(attr);
    if (!sites) return undefined;
    const frame: Frame = { module: ref.module, fnName: '<class>', cls: ref.cls, returns: [], depth: MAX_CALL_DEPTH, stack: [], locals: new Map() };
    const table: TableContents = {};
    for (const { value, key } of sites) {
      const v = unparen(value);
      const method = v.type === 'attribute' && v.child('object')?.text === 'self' ? this.methodIn(ref, v.child('attribute')?.text ?? '') : undefined;
      const val = method ? { fn: { ...this.fnRef(method.def, method.module), bound: isInstanceMethod(method.def) } } : this.eval(v, new Map([['self', { instance: ref }]]), frame);
      addToTable(table, val, key);
    }
    return tableVal(table);
  }

  /** `h.cmd` where `cmd` is a @property of the object's class (or of each class it may be): the getter's result. */
  private propertyRead(obj: Val, objNode: PyNode, node: PyNode, attr: string, frame: Frame): Val | undefined {
    let result: Val | undefined;
    for (const o of objectsOf(obj)) {
      const found = this.methodIn(o.instance as ClassRef, attr);
      const def = found?.def;
      if (!def || !decoratorsOf(def).some((d) => d.text === 'property' || d.text === 'functools.cached_property' || d.text === 'cached_property')) continue;
      const none: CallArgs = { positional: [], keywords: new Map(), splats: [] };
      result = mergeVals(result, this.callLocal(def, found.module, true, node, none, [], new Map(), [], frame, { self: { val: o, node: objNode } }));
    }
    return result;
  }

  /** A keyed source accessed by a literal key becomes that named source (`arguments["cmd"]`). */
  private refineOrigin(obj: Val, key: string, at: PyNode, frame: Frame): Val {
    const t = obj.taint!;
    const origins = t.origins.map((o): Origin => {
      if (o.placeholder !== undefined) return { ...o, rename: key, steps: [...o.steps, this.step(at, RENAME_STEP, frame.module)] };
      // The whole dict was the source; the named entry is the one that matters.
      return withOriginClean({ name: key, sourceKind: o.sourceKind, steps: [this.step(at, `${o.sourceKind} '${key}'`, frame.module)] }, o.clean);
    });
    return { taint: { ...t, origins } };
  }

  private evalSubscript(node: PyNode, env: Env, frame: Frame): Val {
    const key = lvalueKey(node);
    if (key && env.has(key)) return env.get(key)!;
    const valueNode = node.child('value');
    const indexNode = node.child('subscript');
    if (!valueNode) return CLEAN;
    const obj = this.eval(valueNode, env, frame);
    const idx = indexNode ? this.eval(indexNode, env, frame) : CLEAN;
    const literalKey = indexNode ? stringValue(indexNode) : undefined;
    if (obj.secret === 'os.environ') return literalKey && isSecretName(literalKey) ? { secret: literalKey } : CLEAN;
    if (obj.registry && literalKey === undefined) return obj.registry;
    if (obj.fields && literalKey !== undefined) return obj.fields.get(literalKey) ?? CLEAN;
    if (obj.items && indexNode?.type === 'integer') {
      const i = Number(indexNode.text);
      const item = obj.items[i < 0 ? obj.items.length + i : i];
      if (item) return item;
    }
    if (obj.taint) {
      const typed = literalKey !== undefined ? this.modelField(obj, literalKey) : undefined;
      if (typed === 'clean') return CLEAN;
      const read = obj.keyed && literalKey !== undefined ? this.refineOrigin(obj, literalKey, node, frame) : { taint: obj.taint };
      return typed ? cleanFor(read, typed) : read;
    }
    // A lookup in a constant table with an attacker key yields the table's (constant) value.
    void idx;
    if (obj.secret) return { secret: obj.secret };
    if (literalKey && isSecretName(literalKey)) return { secret: `${dottedName(valueNode) ?? '…'}['${literalKey}']` };
    return CLEAN;
  }

  // ---------------------------------------------------------------------------------------
  // Calls

  /**
   * The qualified name of a callee whose head is an import or a builtin (not a local
   * variable, local function or class): `sp.run` -> `subprocess.run`, `open` -> `open`.
   */
  private qualify(fnNode: PyNode | undefined, frame: Frame, env: Env | undefined): string | undefined {
    if (!fnNode) return undefined;
    const dotted = dottedName(fnNode);
    if (!dotted) return undefined;
    const dot = dotted.indexOf('.');
    const head = dot < 0 ? dotted : dotted.slice(0, dot);
    if (env?.has(head) || frame.locals.has(head)) return undefined;
    const imports = frame.module.imports;
    if (imports.bindings.has(head)) return imports.qualifyAt(dotted, fnNode);
    if (frame.module.functions.has(head) || frame.module.classes.has(head) || frame.module.globals.has(head)) return undefined;
    // A bare unknown name is a builtin (`open`, `eval`); `x.y` on an unknown `x` is a method call on a value.
    return dotted === head || head === 'builtins' ? dotted : undefined;
  }

  private evalCall(call: PyNode, env: Env, frame: Frame): Val {
    const fnNode = unparen(call.child('function') ?? call);
    const args = callArgs(call);
    const qualified = this.qualify(fnNode, frame, env);
    const method = fnNode.type === 'attribute' ? fnNode.child('attribute')?.text : undefined;
    const recvNode = fnNode.type === 'attribute' ? fnNode.child('object') : undefined;
    // Imported names may be modules (`os.path`) or objects (`flask.request`, a shared `db`): evaluate either way.
    const recv = recvNode ? this.eval(recvNode, env, frame) : undefined;
    // `next(t.handler for t in tools if t.name == name, None)`: an element of the generator, or the default.
    const first = args.positional[0] && unparen(args.positional[0]);
    if (qualified === 'next' && first?.type === 'generator_expression') {
      const element = this.comprehensionElement(first, env, frame);
      const fallback = args.positional[1] ? this.eval(args.positional[1], env, frame) : undefined;
      // A `None` default keeps the element's function: calling `None` would raise, not run code.
      return fallback && fallback !== CLEAN ? mergeVals(element, fallback) : element;
    }
    const pos = args.positional.map((a) => this.eval(a, env, frame));
    const kw = new Map<string, Val>();
    for (const [k, v] of args.keywords) kw.set(k, this.eval(v, env, frame));
    const splat = args.splats.map((s) => this.eval(s, env, frame));

    const local = this.resolveLocal(fnNode, qualified, env, frame, recv);
    if (local) {
      const self = local.self && recvNode ? { val: local.self, node: recvNode } : local.skipFirst && recvNode && recv ? { val: this.withStoredFields(recv, recvNode, env, frame), node: recvNode } : undefined;
      // `super().__init__(client)`: what the base's `__init__` stores is this object's too.
      const superInit = local.self && method === '__init__' && frame.fn ? functionParams(frame.fn)[0]?.name : undefined;
      // `h.collect(q)` whose method sets `self.tables = q`: `h.tables` holds q after the call.
      const recvKey = self && !superInit && recvNode ? lvalueKey(recvNode) : undefined;
      const r = this.callLocal(local.def, local.module, local.skipFirst, call, args, pos, kw, splat, frame, {
        ...(local.closure ? { closure: local.closure } : {}),
        ...(self ? { self } : {}),
        ...(superInit ? { ctor: true } : {}),
        ...(recvKey ? { selfWrites: (attr: string, v: Val) => env.set(`${recvKey}.${attr}`, mergeVals(env.get(`${recvKey}.${attr}`), v)) } : {}),
      });
      if (!superInit) return r;
      for (const [attr, v] of r.fields ?? []) env.set(`${superInit}.${attr}`, v);
      return CLEAN;
    }
    // `get_driver().run(x)` where the driver is one of several classes: each one's method runs.
    if (method && recvNode && recv?.alts) {
      let result: Val | undefined;
      for (const o of recv.alts) {
        const found = this.methodIn(o.instance as ClassRef, method);
        if (!found) continue;
        const bound = isInstanceMethod(found.def);
        const r = this.callLocal(found.def, found.module, bound, call, args, pos, kw, splat, frame, bound ? { self: { val: o, node: recvNode } } : {});
        result = mergeVals(result, r);
      }
      if (result) return result;
    }
    // `HANDLERS[name](arguments)`, `handler = HANDLERS.get(name)` then `handler(arguments)`: any function of the table runs.
    const table = this.dispatchTable(fnNode, env, frame);
    if (table.length > 0) {
      let result: Val | undefined;
      for (const ref of table) {
        const r = this.callLocal(ref.def, ref.module, !!ref.bound, call, args, pos, kw, splat, frame, ref.closure ? { closure: ref.closure } : {});
        result = mergeVals(result, r);
      }
      return result ?? CLEAN;
    }
    // `asyncio.to_thread(work, x)`, `loop.run_in_executor(None, work, x)`, `pool.submit(work, x)`:
    // a library calls our function with the arguments after it.
    const fnAt = pos.findIndex((v) => v.fn);
    if (fnAt >= 0) {
      const ref = pos[fnAt]!.fn as FnRef;
      const rest: CallArgs = { positional: args.positional.slice(fnAt + 1), keywords: new Map(), splats: [] };
      return this.callLocal(ref.def, ref.module, false, call, rest, pos.slice(fnAt + 1), new Map(), [], frame, ref.closure ? { closure: ref.closure } : {});
    }

    const c: CallSite = { call, fnNode, args, qualified, method, recvNode, recv, pos, kw, splat };
    this.checkSinks(c, env, frame);
    return this.callResult(c, env, frame);
  }

  /**
   * The receiver of a method call with the fields this function stored on it before the call
   * (`self.db_path = path` then `self._connect()`, whose `ATTACH '{self.db_path}'` reads it:
   * mcp-server-motherduck): the callee sees them as the object's fields. Only when one of those
   * stores holds client data; otherwise the receiver as it was (and the callee's summary with it).
   */
  private withStoredFields(recv: Val, recvNode: PyNode, env: Env, frame: Frame): Val {
    const n = unparen(recvNode);
    if (n.type !== 'identifier') return recv;
    const prefix = `${n.text}.`;
    let stored: Map<string, Val> | undefined;
    let tainted = false;
    for (const [k, v] of env) {
      if (!k.startsWith(prefix) || !/^\w+$/.test(k.slice(prefix.length))) continue;
      (stored ??= new Map()).set(k.slice(prefix.length), v);
      if (v.taint) tainted = true;
    }
    if (!stored || !tainted) return recv;
    const instance = recv.instance ?? (n.text === 'self' && frame.cls ? this.classRef(frame.cls, frame.module) : undefined);
    if (!instance) return recv;
    return { ...recv, instance, fields: new Map([...(recv.fields ?? []), ...stored]) };
  }

  private resolveLocal(
    fnNode: PyNode,
    qualified: string | undefined,
    env: Env,
    frame: Frame,
    recv?: Val,
  ): { def: PyNode; module: ModuleInfo; skipFirst: boolean; closure?: Env; self?: Val } | undefined {
    const module = frame.module;
    if (fnNode.type === 'identifier') {
      const name = fnNode.text;
      const bound = env.get(name)?.fn as FnRef | undefined;
      if (bound) return { def: bound.def, module: bound.module, skipFirst: false, ...(bound.closure ? { closure: bound.closure } : {}) };
      const nested = frame.locals.get(name);
      if (nested) {
        const closure = frame.closures?.get(nested);
        return { def: nested, module, skipFirst: false, ...(closure ? { closure } : {}) };
      }
      if (env.has(name)) return undefined;
      const binding = module.imports.bindingAt(name, fnNode);
      if (binding) {
        if (isExternal(binding.qualified)) return undefined;
        const r = this.resolve(module.source.file, binding);
        const def = r?.member ? r.module.functions.get(r.member) : undefined;
        return def && r ? { def, module: r.module, skipFirst: false } : undefined;
      }
      const def = module.functions.get(name);
      return def ? { def, module, skipFirst: false } : undefined;
    }
    if (fnNode.type !== 'attribute') return undefined;
    const method = fnNode.child('attribute')?.text ?? '';
    const obj = fnNode.child('object');
    if (!obj) return undefined;
    // `Job(cmd).start()`, `self.runner.run(x)`: any receiver known to be one of our objects.
    const recvClass = recv?.instance as ClassRef | undefined;
    const recvMethod = recvClass ? this.methodIn(recvClass, method) : undefined;
    if (recvMethod) return { ...recvMethod, skipFirst: isInstanceMethod(recvMethod.def) };
    // self.helper(...) / cls.helper(...) inside a class.
    if (obj.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls') && frame.cls) {
      const found = this.methodIn(this.classRef(frame.cls, module), method);
      // A @staticmethod called through self gets no self.
      if (found) return { ...found, skipFirst: isInstanceMethod(found.def) };
    }
    // `super().__init__(...)`, `super().run(x)`: the first base class's method, on this object.
    if (obj.type === 'call' && unparen(obj.child('function') ?? obj).text === 'super' && frame.cls && frame.fn) {
      const selfName = functionParams(frame.fn)[0]?.name;
      const self = selfName ? env.get(selfName) : undefined;
      for (const base of this.basesOf(this.classRef(frame.cls, module))) {
        const found = this.methodIn(base, method);
        if (!found) continue;
        const bound = isInstanceMethod(found.def);
        return { ...found, skipFirst: bound, ...(bound && self ? { self } : {}) };
      }
      return undefined;
    }
    // runner.run(...) on an object of one of the project's classes.
    if (obj.type === 'identifier' && !module.imports.bindings.has(obj.text)) {
      const inst = (env.get(obj.text) ?? this.globalVal(module, obj.text))?.instance as ClassRef | undefined;
      const found = inst ? this.methodIn(inst, method) : undefined;
      if (found) return { ...found, skipFirst: isInstanceMethod(found.def) };
    }
    if (obj.type === 'identifier' && module.imports.bindings.has(obj.text)) {
      const v = this.lookup(obj, env, frame);
      // An imported object, or an imported class's @staticmethod / @classmethod (`Handlers.handle_x(args)`).
      const ref = (v.instance ?? v.classRef) as ClassRef | undefined;
      const found = ref ? this.methodIn(ref, method) : undefined;
      if (found) return { ...found, skipFirst: isInstanceMethod(found.def) };
    }
    // Helper.run(...) on a class of this module.
    if (obj.type === 'identifier' && module.classes.has(obj.text) && !env.has(obj.text)) {
      const found = this.methodIn(this.classRef(module.classes.get(obj.text)!, module), method);
      if (found) return { ...found, skipFirst: isInstanceMethod(found.def) };
    }
    // `tool.handler(args)`: a function held in a field of an object of ours (an element of a
    // list of `Tool(name=..., handler=fn)`, mcp-snowflake-server).
    const held = recv?.fields?.get(method)?.fn as FnRef | undefined;
    if (held) return { def: held.def, module: held.module, skipFirst: !!held.bound, ...(held.closure ? { closure: held.closure } : {}) };
    // helpers.run(...) where `helpers` is a local module.
    if (qualified) {
      const head = dottedName(obj)?.split('.')[0];
      const binding = head ? module.imports.bindingAt(head, obj) : undefined;
      if (binding && !isExternal(binding.qualified)) {
        const r = this.resolve(module.source.file, binding);
        if (r && !r.member && dottedName(obj) === head) {
          const m = this.memberOf(r.module, method);
          const def = m?.module.functions.get(m.name);
          if (m && def) return { def, module: m.module, skipFirst: false };
        }
      }
    }
    return undefined;
  }

  /**
   * The functions a callee picks from a dict of them by a key that is no literal (a low-level
   * server's dispatch table): `TABLE[name]`, `TABLE.get(name)`, or a name last assigned one.
   */
  private dispatchTable(callee: PyNode, env: Env, frame: Frame, depth = 0): FnRef[] {
    let tableNode: PyNode | undefined;
    if (callee.type === 'subscript' && stringValue(callee.child('subscript')) === undefined) tableNode = callee.child('value');
    else if (callee.type === 'call') {
      const fn = unparen(callee.child('function') ?? callee);
      const key = callArgs(callee).positional[0];
      if (fn.type === 'attribute' && fn.child('attribute')?.text === 'get' && key && stringValue(key) === undefined) tableNode = fn.child('object');
      else if (fn.type === 'identifier' && fn.text === 'next' && key && unparen(key).type === 'generator_expression') return this.generatedFunctions(unparen(key), env, frame);
    } else if (callee.type === 'identifier' && depth === 0) {
      const assigned = frame.results?.get(callee.text);
      return assigned ? this.dispatchTable(unparen(assigned), env, frame, 1) : [];
    }
    const fields = tableNode ? this.eval(tableNode, env, frame).fields : undefined;
    if (!fields) return [];
    const out: FnRef[] = [];
    for (const v of fields.values()) if (v.fn && !out.includes(v.fn as FnRef)) out.push(v.fn as FnRef);
    return out;
  }

  /**
   * The functions a generator picks from a list of objects holding them (at most MAX_GENERATED), one per element
   * (`next(t.handler for t in tools if t.name == name)` over `[Tool(name=..., handler=f), ...]`:
   * mcp-snowflake-server). The elements' join keeps no function, so each element is read apart.
   */
  private generatedFunctions(gen: PyNode, env: Env, frame: Frame): FnRef[] {
    const loops = gen.namedChildren.filter((c) => c.type === 'for_in_clause');
    const left = loops.length === 1 ? loops[0]!.child('left') : undefined;
    const right = loops[0]?.child('right');
    const body = gen.child('body');
    if (left?.type !== 'identifier' || !right || !body) return [];
    const iter = this.eval(right, env, frame);
    const elements = [...(iter.items ?? []), ...(iter.shapes ?? []).flat()].slice(0, MAX_GENERATED);
    const out: FnRef[] = [];
    for (const el of elements) {
      const v = this.eval(body, new Map([...env, [left.text, el]]), frame);
      if (v.fn && !out.includes(v.fn as FnRef)) out.push(v.fn as FnRef);
    }
    return out;
  }

  /** Resolves an import binding to a project module through the loader, noting it for replay (see replay.ts). */
  private resolve(fromFile: string, binding: ImportBinding): ResolvedImport | undefined {
    // The loader's answer cannot change within a run: asked once per binding (and file).
    let byFile = this.resolved.get(binding);
    if (!byFile) this.resolved.set(binding, (byFile = new Map()));
    let r = byFile.get(fromFile);
    if (r === undefined) byFile.set(fromFile, (r = this.opts.loader.resolveBinding(fromFile, binding) ?? null));
    return this.noteResolution(fromFile, binding, r ?? undefined);
  }

  private noteResolution(fromFile: string, binding: ImportBinding, r: ResolvedImport | undefined): ResolvedImport | undefined {
    const reads = this.reads;
    if (reads) {
      const main = this.opts.main;
      if (r || fromFile !== main.source.file || main.imports.bindings.get(binding.local) !== binding) reads.shared = true;
      else reads.unresolved.add(binding.local);
    }
    return r;
  }

  private callLocal(
    def: PyNode,
    module: ModuleInfo,
    skipFirst: boolean,
    call: PyNode,
    args: CallArgs,
    pos: Val[],
    kw: Map<string, Val>,
    splat: Val[],
    frame: Frame,
    how: {
      /** The enclosing scope of a nested function. */
      readonly closure?: Env;
      /** The object a method is called on (bound to its first parameter). */
      readonly self?: { readonly val: Val; readonly node: PyNode };
      /** `__init__` run by a constructor: the result is the object's attributes. */
      readonly ctor?: boolean;
      /** Receives what a method stores in its object's attributes (Summary.selfWrites). */
      readonly selfWrites?: (attr: string, val: Val) => void;
    } = {},
  ): Val {
    const closure = how.closure;
    const all = [...pos, ...kw.values(), ...splat];
    const fallback = (): Val => {
      const taint = unionTaint(...all.map((v) => v.taint));
      return taint ? { taint } : CLEAN;
    };
    if (frame.stack.includes(def) || frame.depth >= MAX_CALL_DEPTH) return fallback();
    this.reads?.touched.add(def);
    const name = def.child('name')?.text ?? '<function>';
    const params = functionParams(def).slice(skipFirst ? 1 : 0);
    if (closure) return this.callClosure(def, module, name, params, call, args, pos, kw, frame, closure);
    // `self._safe_call(call_fn)` with a nested function: the closure's values are in this frame's
    // terms (its summary's placeholders), so the callee runs in place rather than summarised.
    if ([...pos, ...kw.values()].some((v) => (v.fn as FnRef | undefined)?.closure)) {
      const inline: Env = new Map();
      const self = skipFirst ? functionParams(def)[0]?.name : undefined;
      if (self && how.self) inline.set(self, how.self.val);
      return this.callClosure(def, module, name, params, call, args, pos, kw, frame, inline);
    }
    // Bind arguments to parameters, each taint replaced by a placeholder for the summary.
    const actuals: Actual[] = [];
    const ph = (v: Val, node: PyNode) => this.placeholderize(v, node, actuals);
    const calleeEnv: Env = new Map();
    const extra: Val[] = [];
    for (let i = 0; i < pos.length; i++) {
      const p = params[i];
      const v = ph(pos[i]!, args.positional[i]!);
      if (!p || p.splat === 'dict') extra.push(v);
      else if (p.splat === 'list') {
        for (let j = i; j < pos.length; j++) extra.push(j === i ? v : ph(pos[j]!, args.positional[j]!));
        break;
      } else calleeEnv.set(p.name, v);
    }
    const star = params.find((p) => p.splat === 'list');
    if (star) calleeEnv.set(star.name, { items: extra, ...taintOf(...extra) });
    const kwExtra: Val[] = [];
    for (const [k, v] of kw) {
      const pv = ph(v, args.keywords.get(k)!);
      if (params.some((p) => p.name === k && !p.splat)) calleeEnv.set(k, pv);
      else kwExtra.push(pv);
    }
    const splatVals = splat.map((v, i) => ph(v, args.splats[i]!));
    const dstar = params.find((p) => p.splat === 'dict');
    if (dstar) calleeEnv.set(dstar.name, { ...taintOf(...kwExtra, ...splatVals), keyed: true });
    if (splat.length > 0) {
      // `f(*args)`: every unbound positional parameter may receive the splatted values.
      const t = taintOf(...splatVals);
      for (const p of params) if (!calleeEnv.has(p.name) && !p.splat) calleeEnv.set(p.name, { ...t });
    }
    const selfName = skipFirst ? functionParams(def)[0]?.name : undefined;
    if (selfName && how.self) calleeEnv.set(selfName, ph(how.self.val, how.self.node));
    const givenNotNone = passedNotNone(params, args);
    const selfKey = selfName ? `${selfName}=${calleeEnv.has(selfName) ? this.shape(calleeEnv.get(selfName)!) : '-'};` : '';
    const key = `${this.kindsKey}|${how.ctor ? 'ctor|' : ''}${selfKey}${params.map((p) => `${p.name}=${calleeEnv.has(p.name) ? this.shape(calleeEnv.get(p.name)!) : '-'}${givenNotNone?.has(p.name) ? '!' : ''}`).join(';')}`;
    const summaries = this.cacheFor(def).summaries;
    let byShape = summaries.get(def);
    if (!byShape) summaries.set(def, (byShape = new Map()));
    let summary = byShape.get(key);
    if (summary === null) return fallback(); // recursive call of a helper being summarised
    if (!summary) {
      if (this.bodyRuns >= MAX_BODY_RUNS) return fallback();
      this.bodyRuns++;
      if (this.trace) this.trace.bodyRuns++;
      byShape.set(key, null);
      summary = { result: CLEAN, pending: [] };
      const sub: Frame = {
        module,
        fn: def,
        fnName: name,
        ...(selfClassOf(def) ? { cls: selfClassOf(def)! } : {}),
        returns: [],
        depth: frame.depth + 1,
        stack: [...frame.stack, def],
        summary,
        locals: new Map(),
        closures: new Map(),
        ...(givenNotNone ? { passed: givenNotNone } : {}),
      };
      const body = def.child('body');
      try {
        if (body) this.execBlock(body, calleeEnv, sub);
      } catch (err) {
        // An interrupted summary (time budget) must not be reused by a later analysis.
        byShape.delete(key);
        throw err;
      }
      let result: Val | undefined;
      for (const r of sub.returns) result = mergeVals(result, r);
      summary.result = !result || result.fn ? CLEAN : result;
      if (!how.ctor && objectsOf(summary.result).length === 0) {
        // A factory whose result the analysis cannot see (`spec.fetcher_cls(...)`, a value of
        // another package) may say in its return annotation which of the project's classes it
        // returns: its methods are then followed on the result (CVE-2026-77262).
        const cls = this.annotatedClass(def.child('return_type'), module);
        if (cls) summary.result = { ...summary.result, instance: cls };
      }
      if (how.ctor && selfName) {
        // What `self.x = ...` stored: the new object's attributes.
        const fields = new Map<string, Val>();
        for (const [k, v] of calleeEnv) {
          const attr = k.startsWith(`${selfName}.`) ? k.slice(selfName.length + 1) : undefined;
          if (attr && /^\w+$/.test(attr)) fields.set(attr, v);
        }
        summary.result = { fields };
      } else if (selfName) {
        for (const [k, v] of calleeEnv) {
          const attr = k.startsWith(`${selfName}.`) ? k.slice(selfName.length + 1) : undefined;
          if (attr && /^\w+$/.test(attr) && v.taint) (summary.selfWrites ??= new Map()).set(attr, v);
        }
      }
      byShape.set(key, summary);
    }
    // Apply the summary to this call: flows found inside get their sources, the result its taint.
    const passed = (a: Actual) => this.step(a.node, `passed to '${name}'`, frame.module);
    for (const p of summary.pending) {
      for (const { origin, actual } of this.substituteOrigin(p.origin, actuals, passed)) {
        const main = this.opts.main;
        // A program wrapper's flow belongs to the call that supplies the source, past helpers
        // forwarding their own parameters (`local_run(cmd, args)` calling `run(cmd, args)`).
        const here = p.atCaller ? origin.placeholder === undefined : p.module !== main;
        const anchor = p.anchor ?? (here && frame.module === main ? { call, arg: actual?.node ?? call } : undefined);
        this.deliver({ ...p, origin, ...(anchor ? { anchor } : {}) }, frame);
      }
    }
    for (const w of summary.stateWrites ?? []) this.recordState(w.key, this.substituteVal(w.val, actuals, passed), frame);
    if (how.selfWrites) for (const [attr, v] of summary.selfWrites ?? []) how.selfWrites(attr, this.substituteVal(v, actuals, passed));
    return this.substituteVal(summary.result, actuals, passed);
  }

  /**
   * A nested function sees its enclosing scope, so it is analysed in place (inlined) with that
   * scope and the actual arguments instead of being summarised on its own.
   */
  private callClosure(
    def: PyNode,
    module: ModuleInfo,
    name: string,
    params: ReturnType<typeof functionParams>,
    call: PyNode,
    args: CallArgs,
    pos: Val[],
    kw: Map<string, Val>,
    frame: Frame,
    closure: Env,
  ): Val {
    this.reads?.touched.add(def);
    if (this.bodyRuns >= MAX_BODY_RUNS) return CLEAN;
    this.bodyRuns++;
    if (this.trace) this.trace.bodyRuns++;
    const env: Env = new Map(closure);
    const passed = (node: PyNode, v: Val): Val =>
      v.taint ? withTaint(v, withStep(v.taint, this.step(node, `passed to '${name}'`, frame.module))) : v;
    params.forEach((p, i) => {
      if (p.splat) return;
      if (i < pos.length) env.set(p.name, passed(args.positional[i]!, pos[i]!));
      else if (kw.has(p.name)) env.set(p.name, passed(args.keywords.get(p.name)!, kw.get(p.name)!));
      else env.delete(p.name);
    });
    const sub: Frame = {
      module,
      fn: def,
      fnName: name,
      ...(selfClassOf(def) ? { cls: selfClassOf(def)! } : {}),
      returns: [],
      depth: frame.depth + 1,
      stack: [...frame.stack, def],
      ...(frame.summary ? { summary: frame.summary } : {}),
      locals: new Map(),
      closures: new Map(),
    };
    const body = def.child('body');
    if (body) this.execBlock(body, env, sub);
    void call;
    let result: Val | undefined;
    for (const r of sub.returns) result = mergeVals(result, r);
    return !result || result.fn ? CLEAN : result;
  }

  /**
   * What pydantic's validation of a field of a model instance proves about its value: 'clean'
   * for scalar, Literal and enum types, the kinds a strict `Field(pattern=...)` / `constr(...)`
   * excludes, undefined when nothing (or the value is no pydantic model, e.g. a dataclass).
   */
  private modelField(v: Val, name: string): 'clean' | TaintKind[] | undefined {
    const ref = v.instance as ClassRef | undefined;
    if (!ref || !isPydanticModel(ref.cls, ref.module, 0)) return undefined;
    const decl = fieldOf(ref.cls, name, ref.module, 0);
    if (!decl) return undefined;
    const kind = schemaOf(decl.child('type') ?? undefined, ref.module.enums).kind;
    if (/^(?:integer|number|boolean|literal|enum)$/.test(kind)) return 'clean';
    const kinds = fieldPatternKinds(decl);
    return kinds.length > 0 ? kinds : undefined;
  }

  /**
   * An object of one of the project's classes. With an `__init__`, its attributes are what
   * `__init__` stores; without one (dataclasses, pydantic models) it carries its arguments.
   */
  private construct(c: CallSite, cls: ClassRef, args: Val, frame: Frame): Val {
    const init = this.methodIn(cls, '__init__');
    if (!init) {
      // A dataclass or model: its fields are the keyword arguments (`Config(url=u, token=t)`), each
      // read back on its own; anything else read from it may be any argument.
      const name = cls.cls.child('name')?.text ?? 'class';
      const fields = new Map<string, Val>();
      const field = (k: string, v: Val, node: PyNode | undefined): void => {
        fields.set(k, v.taint && node ? withTaint(v, withStep(v.taint, this.step(node, `passed to '${name}' as '${k}'`, frame.module))) : v);
      };
      for (const [k, v] of c.kw) field(k, v, c.args.keywords.get(k));
      // A dataclass or NamedTuple takes its fields in the order the class declares them.
      const order = c.splat.length === 0 && c.pos.length > 0 ? positionalFields(cls.cls) : undefined;
      if (order && c.pos.length <= order.length) c.pos.forEach((v, i) => field(order[i]!, v, c.args.positional[i]));
      return { ...args, instance: cls, ...(fields.size > 0 ? { fields } : {}) };
    }
    const made = this.callLocal(init.def, init.module, true, c.call, c.args, c.pos, c.kw, c.splat, frame, {
      self: { val: { instance: cls }, node: c.call },
      ctor: true,
    });
    return { instance: cls, ...(made.fields ? { fields: made.fields } : {}) };
  }

  /** A class of a local module named through the module (`tools.ListDirHandler`). */
  private moduleClass(fnNode: PyNode, module: ModuleInfo): ClassRef | undefined {
    const head = fnNode.type === 'attribute' ? fnNode.child('object') : undefined;
    const binding = head?.type === 'identifier' ? module.imports.bindings.get(head.text) : undefined;
    if (!binding || isExternal(binding.qualified)) return undefined;
    const r = this.resolve(module.source.file, binding);
    const m = r && !r.member ? this.memberOf(r.module, fnNode.child('attribute')?.text ?? '') : undefined;
    const cls = m && !m.module.enums.has(m.name) ? m.module.classes.get(m.name) : undefined;
    return cls && m ? this.classRef(cls, m.module) : undefined;
  }

  /**
   * Where a module's member is defined: the module itself, or the module a package's
   * `__init__.py` re-exports it from (`from ._posts import create_post`).
   */
  private memberOf(module: ModuleInfo, name: string): { module: ModuleInfo; name: string } | undefined {
    if (module.functions.has(name) || module.classes.has(name)) return { module, name };
    const inner = module.imports.bindings.get(name);
    if (!inner || isExternal(inner.qualified)) return undefined;
    const r = this.resolve(module.source.file, inner);
    return r?.member ? { module: r.module, name: r.member } : undefined;
  }

  /**
   * A method of a class or, as Python's attribute lookup finds it, of one of its bases (depth
   * first, left to right: the method resolution order of the hierarchies tool classes use).
   */
  private methodIn(ref: ClassRef, name: string, depth = 0): { def: PyNode; module: ModuleInfo } | undefined {
    const own = methodOf(ref.cls, name);
    if (own) return { def: own, module: ref.module };
    if (depth >= 4) return undefined;
    for (const base of this.basesOf(ref)) {
      const found = this.methodIn(base, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** The project's classes among a class's bases: of its module, imported (`from .base import BaseTool`) or named through a local module. */
  private basesOf(ref: ClassRef): ClassRef[] {
    // Memoised per run (a method lookup that misses walks the bases again), with what resolving
    // them read, which counts for every later reader too (see replay.ts).
    const hit = this.bases.get(ref.cls);
    if (hit) {
      mergeReads(this.reads, hit.reads);
      return hit.refs;
    }
    const outer = this.reads;
    const reads = newReads();
    this.reads = reads;
    let refs: ClassRef[];
    try {
      refs = this.resolveBases(ref);
    } finally {
      this.reads = outer;
    }
    mergeReads(outer, reads);
    this.bases.set(ref.cls, { refs, reads });
    return refs;
  }

  private resolveBases(ref: ClassRef): ClassRef[] {
    const out: ClassRef[] = [];
    const module = ref.module;
    for (const b of ref.cls.child('superclasses')?.namedChildren ?? []) {
      if (b.type === 'attribute') {
        const cls = this.moduleClass(b, module);
        if (cls) out.push(cls);
        continue;
      }
      if (b.type !== 'identifier') continue;
      const found = this.classNamed(b.text, module, ref.cls);
      if (found) out.push(found);
    }
    return out;
  }

  /**
   * The project's class a bare name denotes in a module: one of its own classes, or one it
   * imports from a project module (through a package's re-exports). `except`: a class that
   * does not count (a class is not its own base).
   */
  private classNamed(name: string, module: ModuleInfo, except?: PyNode): ClassRef | undefined {
    const local = module.classes.get(name);
    if (local) return local !== except ? this.classRef(local, module) : undefined;
    const binding = module.imports.bindings.get(name);
    if (!binding || isExternal(binding.qualified)) return undefined;
    const r = this.resolve(module.source.file, binding);
    const m = r?.member ? this.memberOf(r.module, r.member) : undefined;
    const cls = m ? m.module.classes.get(m.name) : undefined;
    return cls && m ? this.classRef(cls, m.module) : undefined;
  }

  /**
   * The project's class a function's return annotation names: `-> ConfluenceFetcher`, the
   * string `-> "ConfluenceFetcher"` (a forward reference), `-> wiki.DocsFetcher` through a
   * module, and the class of `Optional[X]` or `X | None`. Undefined for anything else (unions
   * of classes, generics, `Any`, classes of other packages).
   */
  private annotatedClass(type: PyNode | undefined, module: ModuleInfo): ClassRef | undefined {
    let t = type?.type === 'type' ? type.namedChildren[0] : type;
    for (let hops = 0; t && hops < 4; hops++) {
      switch (t.type) {
        case 'identifier':
          return this.classNamed(t.text, module);
        case 'attribute':
          return this.moduleClass(t, module);
        case 'string': {
          const name = stringValue(t);
          return name !== undefined && /^[A-Za-z_]\w*$/.test(name) ? this.classNamed(name, module) : undefined;
        }
        case 'binary_operator': {
          // `X | None`, `None | X`.
          const sides = [t.child('left'), t.child('right')];
          const other = sides.filter((n) => n && n.type !== 'none' && n.text !== 'None');
          if (t.child('operator')?.text !== '|' || other.length !== 1) return undefined;
          t = other[0];
          break;
        }
        case 'generic_type':
        case 'subscript': {
          // `Optional[X]`.
          const head = t.type === 'subscript' ? t.child('value') : t.namedChildren[0];
          const args = t.type === 'subscript' ? t.childrenOf('subscript') : (t.namedChildren[1]?.namedChildren ?? []);
          if (!head || !/^(?:typing\.)?Optional$/.test(head.text) || args.length !== 1) return undefined;
          t = args[0]!.type === 'type' ? args[0]!.namedChildren[0] : args[0];
          break;
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }

  /** One object per class, so instances of the same class compare equal in summaries and merges. */
  private classRef(cls: PyNode, module: ModuleInfo): ClassRef {
    let ref = this.classRefs.get(cls);
    if (!ref) this.classRefs.set(cls, (ref = { cls, module }));
    return ref;
  }

  private fnRef(def: PyNode, module: ModuleInfo, closure?: Env): FnRef {
    return { def, module, ...(closure ? { closure } : {}) };
  }

  /** Replaces every taint in a value by a placeholder standing for it (its sanitiser facts kept). */
  private placeholderize(v: Val, node: PyNode, actuals: Actual[]): Val {
    let out = v;
    if (v.taint) {
      const index = actuals.length;
      actuals.push({ taint: v.taint, node });
      out = { ...out, taint: { ...v.taint, origins: [{ name: `$${index}`, sourceKind: '$', steps: [], placeholder: index }] } };
    }
    if (v.items) out = { ...out, items: v.items.map((i) => this.placeholderize(i, node, actuals)) };
    if (v.shapes) out = { ...out, shapes: v.shapes.map((s) => s.map((i) => this.placeholderize(i, node, actuals))) };
    if (v.fields) out = { ...out, fields: new Map([...v.fields].map(([k, f]) => [k, this.placeholderize(f, node, actuals)])) };
    if (v.urlOf) {
      const { urlOf: _u, ...rest } = out;
      out = rest;
    }
    return out;
  }

  /** A canonical text of a value's shape (everything but its sources): the summary cache key. */
  private shape(v: Val): string {
    const parts: string[] = [];
    if (v.taint) {
      const t = v.taint;
      parts.push(`t${t.origins.map((o) => o.placeholder ?? 'r').join(',')}[${[...t.clean].sort().join(',')}]${t.resolution}${t.pathNote ? 'n' : ''}`);
    }
    if (v.str !== undefined) parts.push(`s${JSON.stringify(v.str.slice(0, 200))}`);
    if (v.prefix) parts.push(`p${JSON.stringify(v.prefix.slice(0, 80))}`);
    if (v.suffix) parts.push(`e${JSON.stringify(v.suffix.slice(-20))}`);
    if (v.query) parts.push('Q');
    if (v.argPrefixOnly) parts.push('a');
    if (v.items) parts.push(`[${v.items.slice(0, 32).map((i) => this.shape(i)).join('|')}]`);
    if (v.shapes) parts.push(`S${v.shapes.map((s) => `[${s.slice(0, 32).map((i) => this.shape(i)).join('|')}]`).join('')}`);
    if (v.fields) parts.push(`{${[...v.fields].slice(0, 32).map(([k, f]) => `${JSON.stringify(k)}:${this.shape(f)}`).join('|')}}`);
    if (v.partial) parts.push('P');
    if (v.pathObj) parts.push('O');
    if (v.secret) parts.push(`k${v.secret}`);
    if (v.request) parts.push('R');
    if (v.keyed) parts.push('K');
    if (v.client) parts.push('C');
    if (v.enumClass) parts.push('E');
    if (v.instance) parts.push(`I${this.idOf((v.instance as ClassRef).cls)}`);
    // A @classmethod's `cls`: `cls()` makes an object of the class it was called on.
    if (v.classRef) parts.push(`c${this.idOf((v.classRef as ClassRef).cls)}`);
    if (v.alts) parts.push(`A${v.alts.map((a) => this.shape(a)).join('|')}`);
    if (v.registry) parts.push(`G${this.shape(v.registry)}`);
    if (v.fn) {
      parts.push(`f${this.idOf((v.fn as FnRef).def)}`);
    }
    return parts.join('');
  }

  /** The cache for a node's summaries: per run for the analysed file, shared for imported modules. */
  private cacheFor(node: PyNode): AnalysisCache {
    return node.source === this.opts.main.source ? this.local : this.cache;
  }

  /** A function's or class's id in summary keys, unique across runs for the analysed file's own nodes. */
  private idOf(node: PyNode): number {
    if (node.source !== this.opts.main.source) return this.cache.fnId(node);
    let id = this.localIds.get(node);
    if (id === undefined) this.localIds.set(node, (id = this.cache.freshId()));
    return id;
  }

  /** The real origins behind an origin seen inside a summary. */
  private substituteOrigin(o: Origin, actuals: readonly Actual[], passed: (a: Actual) => Step): { origin: Origin; actual?: Actual }[] {
    if (o.placeholder === undefined) return [{ origin: o }];
    const actual = actuals[o.placeholder];
    if (!actual) return [];
    return actual.taint.origins.map((ao) => {
      const rename = o.rename ?? ao.rename;
      const name = o.rename ?? ao.name;
      const steps = [...ao.steps, passed(actual), ...o.steps].map((s) =>
        s.message === RENAME_STEP && ao.placeholder === undefined ? { ...s, message: `${ao.sourceKind} '${o.rename}'` } : s,
      );
      const origin: Origin = withOriginClean(
        {
          name,
          sourceKind: ao.sourceKind,
          steps: steps.length > 24 ? [...steps.slice(0, 4), ...steps.slice(-20)] : steps,
          ...(ao.placeholder !== undefined ? { placeholder: ao.placeholder } : {}),
          ...(rename !== undefined && ao.placeholder !== undefined ? { rename } : {}),
        },
        // Sanitised in the caller or, as the argument, inside the helper.
        unionSets(ao.clean, o.clean),
      );
      return { origin, actual };
    });
  }

  private substituteVal(v: Val, actuals: readonly Actual[], passed: (a: Actual) => Step): Val {
    let out = v;
    if (v.taint) {
      const origins: Origin[] = [];
      for (const o of v.taint.origins) for (const { origin } of this.substituteOrigin(o, actuals, passed)) if (origins.length < 3) origins.push(origin);
      out = origins.length > 0 ? { ...out, taint: { ...v.taint, origins } } : withTaint(out, undefined);
    }
    if (v.items) out = { ...out, items: v.items.map((i) => this.substituteVal(i, actuals, passed)) };
    if (v.shapes) out = { ...out, shapes: v.shapes.map((s) => s.map((i) => this.substituteVal(i, actuals, passed))) };
    if (v.fields) out = { ...out, fields: new Map([...v.fields].map(([k, f]) => [k, this.substituteVal(f, actuals, passed)])) };
    return out;
  }

  private checkSinks(c: CallSite, env: Env, frame: Frame): void {
    const kinds = this.opts.kinds;
    if (kinds.has('command') || kinds.has('argument')) this.checkCommand(c, frame);
    if (kinds.has('sql')) this.checkSql(c, frame);
    if (kinds.has('path')) this.checkPath(c, frame);
    if (kinds.has('ssrf')) this.checkSsrf(c, frame);
    if (kinds.has('code') && c.qualified) {
      for (const s of CODE_SINKS) {
        if (!s.functions.includes(c.qualified)) continue;
        const a = pick(c, s.arg, undefined);
        if (a && isTainted(a.val, 'code')) this.report('code', c.call, a.node, a.val, c.qualified.replace(/^builtins\./, ''), {}, frame);
      }
    }
    void env;
  }

  private checkCommand(c: CallSite, frame: Frame): void {
    const q = c.qualified;
    if (c.method && COMMAND_METHODS.has(c.method) && !COMMAND_SINKS.some((s) => s.functions.includes(q ?? ''))) {
      const a = pick(c, 0, 'command');
      if (a && isTainted(a.val, 'command'))
        this.report('command', c.call, a.node, a.val, `${displayReceiver(c.recvNode)}.${c.method}`, { callee: c.method, module: 'paramiko', promisified: false, shell: true }, frame);
      return;
    }
    if (c.method && c.recvNode && this.isGitPythonWrapper(c.recvNode, frame)) {
      this.checkGitPython(c, c.method, c.recvNode, frame);
      return;
    }
    if (!q) return;
    if (STDIO_SERVER_PARAMETERS.has(q)) {
      this.checkStdioParameters(c, q, frame);
      return;
    }
    const spec = COMMAND_SINKS.find((s) => s.functions.includes(q));
    if (!spec) return;
    const dot = q.lastIndexOf('.');
    const data = { callee: q.slice(dot + 1), module: dot > 0 ? q.slice(0, dot) : q, promisified: false };
    if (spec.mode === 'argv-spread') {
      for (const { items, nodes } of spreadArgv(c)) this.checkArgv({ items }, nodes, c.call, q, data, frame);
      return;
    }
    const a = pick(c, spec.arg, spec.keyword);
    if (!a) return;
    const isList = !!shapesOf(a.val) || a.node.type === 'list' || a.node.type === 'tuple';
    let shell = spec.mode === 'shell';
    if (spec.mode === 'shell-kw') {
      const kwShell = c.args.keywords.get('shell');
      shell = !!kwShell && !/^(?:False|0|None)$/.test(kwShell.text);
    } else if (spec.mode === 'auto') shell = !isList;
    if (shell) {
      const hit = a.val.items ? a.val.items.find((i) => isTainted(i, 'command')) : isTainted(a.val, 'command') ? a.val : undefined;
      if (hit) this.report('command', c.call, a.node, hit, q, { ...data, shell: true }, frame);
      return;
    }
    this.checkArgv(a.val, a.val.items && a.node.type === 'list' ? a.node.namedChildren : undefined, c.call, q, data, frame, a.node);
  }

  /**
   * `StdioServerParameters(command=..., args=[...])`: the program and vector an MCP client spawns,
   * checked as `subprocess.run([command, *args])` is; parameters unpacked from client data
   * (`StdioServerParameters(**config)`) name the program themselves.
   */
  private checkStdioParameters(c: CallSite, q: string, frame: Frame): void {
    const data = { callee: 'StdioServerParameters', module: q.slice(0, q.lastIndexOf('.')), promisified: false };
    const command = pick(c, 0, 'command');
    if (!command) return;
    const args = pick(c, 1, 'args');
    if (!args || args.node === command.node) {
      this.checkArgv({ items: [command.val] }, [command.node], c.call, 'StdioServerParameters', data, frame);
      return;
    }
    const known = args.val.items && args.node.type === 'list';
    const items = [command.val, ...(args.val.items ?? [elementOf(args.val)])];
    const nodes = [command.node, ...(known ? args.node.namedChildren : [args.node])];
    this.checkArgv({ items }, nodes, c.call, 'StdioServerParameters', data, frame);
  }

  /** `repo.git` (a GitPython Repo's command wrapper) or `git.Git(dir)` in a module that imports GitPython. */
  private isGitPythonWrapper(recv: PyNode, frame: Frame): boolean {
    // The receiver's shape first: most method calls are on neither, and the import test loops.
    if (recv.type === 'attribute') return recv.child('attribute')?.text === GITPYTHON_WRAPPER_ATTRIBUTE && frame.module.imports.importsModule(GITPYTHON_MODULE);
    if (recv.type !== 'call') return false;
    const q = this.qualify(unparen(recv.child('function') ?? recv), frame, undefined);
    return q === 'git.Git' || q === 'git.cmd.Git';
  }

  /** `repo.git.diff(*args)` runs `git diff *args` (keywords become attached `--k=v` options); `execute` runs an argv. */
  private checkGitPython(c: CallSite, method: string, recv: PyNode, frame: Frame): void {
    const name = `${displayReceiver(recv)}.${method}`;
    const data = { callee: method, module: GITPYTHON_MODULE, promisified: false };
    if (method === 'execute') {
      const a = pick(c, 0, 'command');
      if (a) this.checkArgv(a.val, a.val.items && a.node.type === 'list' ? a.node.namedChildren : undefined, c.call, name, data, frame, a.node);
      return;
    }
    if (GITPYTHON_NON_COMMANDS.has(method) || method.startsWith('_')) return;
    // GitPython spells `diff_tree` as `diff-tree`.
    const head = [{ str: 'git' }, { str: method.replace(/_/g, '-') }];
    for (const { items, nodes } of spreadArgv(c)) this.checkArgv({ items: [...head, ...items] }, [c.call, c.call, ...nodes], c.call, name, data, frame);
  }

  /** An argv list run without a shell: the program, `sh -c` strings, and option injection. */
  private checkArgv(
    list: Val,
    nodes: readonly PyNode[] | undefined,
    call: PyNode,
    sinkName: string,
    data: Record<string, unknown>,
    frame: Frame,
    listNode?: PyNode,
  ): void {
    if (list.shapes) {
      // A list paths built differently: each shape is one argv the program may get.
      for (const items of list.shapes) this.checkArgv({ items }, undefined, call, sinkName, data, frame, listNode);
      return;
    }
    const nodeAt = (i: number) => nodes?.[i] ?? listNode ?? call;
    // `run(cmd, args)` running `[cmd, *args]`: the findings its program makes belong to each call.
    const programNode = nodes?.[0] ?? (listNode ? firstElementNode(listNode) : undefined);
    const atCaller = programNode?.type === 'identifier' && !!frame.fn && functionParams(frame.fn).some((p) => p.name === programNode.text);
    if (!list.items) {
      // The whole argv comes from the client (`shlex.split(cmd)`, a list parameter); a list
      // that merely holds some client values (built by a comprehension) has a program we cannot see.
      if (!list.partial && isTainted(list, 'command') && isTainted(list, 'argument'))
        this.report('command', call, listNode ?? call, list, sinkName, { ...data, shell: false }, frame);
      return;
    }
    const items = list.items;
    const first = items[0];
    if (!first) return;
    // A file program whose path the code looks up (`[markitdown_path, path]`, `[get_pandoc_path(), ...]`):
    // named by the variable or function that holds it. What the program is otherwise is judged below.
    const named = first.str === undefined && programNode ? fileProgramNamed(pyNameOf(programNode)) : undefined;
    if (named) this.checkFileOperands(named, items, nodeAt, call, data, frame, atCaller);
    if (isTainted(first, 'command') && isTainted(first, 'argument')) {
      this.report('command', call, nodeAt(0), first, sinkName, { ...data, shell: false }, frame);
      return;
    }
    const program = first.str !== undefined ? path.basename(first.str).replace(/\.exe$/i, '') : undefined;
    if (!program) {
      // A program the analysis cannot name run as `[prog, "-c", script]` (a shell chosen from a
      // table: blazickjp/shell-mcp-server's `[shell_path, '-c', command]`): `-c` first says shell.
      const script = items[2];
      if (items[1]?.str !== undefined && SHELL_COMMAND_FLAGS.has(items[1].str) && script && isTainted(script, 'command')) {
        this.report('command', call, nodeAt(2), script, sinkName, { ...data, shell: true }, frame, atCaller);
      }
      return;
    }
    if (SHELLS.has(program)) {
      const flag = items.findIndex((v, i) => i > 0 && v.str !== undefined && /^(?:-\w*c|\/c|-Command)$/i.test(v.str));
      if (flag > 0) {
        const script = items[flag + 1];
        if (script && isTainted(script, 'command')) this.report('command', call, nodeAt(flag + 1), script, sinkName, { ...data, shell: true, program }, frame, atCaller);
        return;
      }
    }
    // `adb shell <words>`, `ssh <host> <words>`: the words are a command line for a shell on the
    // device or the remote host; options are parsed before them only.
    const remote = remoteCommand(program, items.slice(1).map((v) => v.str));
    const optionsEnd = remote ? 1 + remote.start : items.length;
    if (remote) {
      for (let i = optionsEnd; i < items.length; i++) {
        const v = items[i]!;
        if (isTainted(v, 'command')) this.report('command', call, nodeAt(i), v, sinkName, { ...data, shell: true, program, remote: remote.where, runner: remote.runner }, frame, atCaller);
      }
    }
    if (FILE_PROGRAMS.has(program)) this.checkFileOperands(program, items, nodeAt, call, data, frame, atCaller);
    if (!this.opts.kinds.has('argument') || !OPTION_PARSING_PROGRAMS.has(program)) return;
    for (let i = 1; i < optionsEnd; i++) {
      const v = items[i]!;
      if (v.str !== undefined && END_OF_OPTIONS.has(v.str)) return;
      if (!isTainted(v, 'argument')) continue;
      const prev = items[i - 1]?.str;
      if (prev !== undefined && !HYPHEN_VALUES_ARE_OPTIONS.has(program) && (/^-[A-Za-z]$/.test(prev) || VALUE_OPTIONS.has(prev))) continue;
      this.report('argument', call, nodeAt(i), v, sinkName, { program, argIndex: i }, frame, atCaller);
    }
  }

  /**
   * A client path among the operands of a program that opens the files its arguments name
   * (`FILE_PROGRAMS`: `["markitdown", path]`): the program opens it for the server.
   */
  private checkFileOperands(program: string, items: readonly Val[], nodeAt: (i: number) => PyNode, call: PyNode, data: Record<string, unknown>, frame: Frame, atCaller: boolean): void {
    if (!this.opts.kinds.has('path')) return;
    const words = items.slice(1).map((v) => (isTainted(v, 'path') ? undefined : v.str));
    for (const i of fileOperands(program, words)) {
      const v = items[i + 1]!;
      if (isTainted(v, 'path')) this.report('path', call, nodeAt(i + 1), v, program, { ...data, program, reason: `'${program}' opens the files its arguments name.` }, frame, atCaller);
    }
  }

  private checkSql(c: CallSite, frame: Frame): void {
    const q = c.qualified;
    if (q) {
      const spec = SQL_FUNCTION_SINKS.find((s) => s.functions.includes(q));
      if (spec) {
        const a = pick(c, spec.arg, spec.keyword);
        const strict = !this.quoteDoublingHolds(frame);
        if (a && isSqlTaint(a.val, strict))
          this.report('sql', c.call, a.node, a.val, q.split('.').slice(-2).join('.'), { driver: spec.driver, ...this.placeholder(spec.driver, frame) }, frame, false, strict);
        return;
      }
    }
    const m = c.method;
    if (!m || !c.recvNode) return;
    const generic = SQL_GENERIC_METHODS.has(m);
    const library = generic || SQL_METHODS.has(m) ? undefined : LIBRARY_SQL_METHODS.find((l) => l.methods.has(m) && l.modules.some((x) => frame.module.imports.importsModule(x)));
    if (!SQL_METHODS.has(m) && !generic && !library) return;
    const recvText = displayReceiver(c.recvNode);
    if (generic) {
      if (m === 'raw' ? !/objects$/.test(c.recvNode.text) : !(DB_RECEIVER.test(recvText) || frame.module.imports.importsModule('asyncpg'))) return;
    }
    let a = pick(c, 0, undefined);
    for (const k of SQL_KEYWORDS) if (!a && c.kw.has(k)) a = { node: c.args.keywords.get(k)!, val: c.kw.get(k)! };
    const strict = !this.quoteDoublingHolds(frame);
    if (!a || !isSqlTaint(a.val, strict)) return;
    // `execute` is also a method of command runners and sandboxes: ask for a database-shaped
    // receiver, a database driver import, or SQL text.
    if ((m === 'execute' || m === 'executemany') && !DB_RECEIVER.test(recvText) && !this.importsDbDriver(frame) && !SQL_TEXT.test(prefixOf(a.val) ?? '')) return;
    const driver = m === 'exec_driver_sql' ? 'sqlalchemy' : (library?.driver ?? this.sqlDriver(frame));
    this.report('sql', c.call, a.node, a.val, `${recvText}.${m}`, { driver, ...this.placeholder(driver, frame) }, frame, false, strict);
  }

  /** Whether doubling single quotes escapes a literal for this file's SQL driver (see QUOTE_DOUBLED). */
  private quoteDoublingHolds(frame: Frame): boolean {
    const imports = frame.module.imports;
    return QUOTE_DOUBLING_DRIVERS.some((d) => imports.importsModule(d)) && !BACKSLASH_ESCAPE_DRIVERS.some((d) => imports.importsModule(d));
  }

  private importsDbDriver(frame: Frame): boolean {
    return SQL_DRIVERS.some((d) => frame.module.imports.importsModule(d.module)) || /(?:^|\.)(?:db|database|models|sql|storage|repository)$/.test([...frame.module.imports.bindings.values()].map((b) => b.module).join('\n'));
  }

  private sqlDriver(frame: Frame): string {
    for (const d of SQL_DRIVERS) if (frame.module.imports.importsModule(d.module)) return d.driver;
    return 'unknown';
  }

  private placeholder(driver: string, _frame: Frame): { placeholder?: string } {
    const d = SQL_DRIVERS.find((x) => x.driver === driver);
    return d ? { placeholder: d.placeholder } : {};
  }

  private checkPath(c: CallSite, frame: Frame): void {
    const q = c.qualified;
    const spec = q ? PATH_FUNCTION_SINKS.find((s) => s.functions.includes(q)) : undefined;
    if (spec && q) {
      const seen = new Set<PyNode>();
      for (const i of spec.args) {
        const a = pick(c, i, undefined);
        if (a && !seen.has(a.node) && isTainted(a.val, 'path')) {
          seen.add(a.node);
          this.report('path', c.call, a.node, a.val, q.replace(/^builtins\./, ''), pathData(a.val), frame);
        }
      }
      for (const k of spec.keywords ?? []) {
        const node = c.args.keywords.get(k);
        const val = c.kw.get(k);
        if (node && val && isTainted(val, 'path')) this.report('path', c.call, node, val, q, pathData(val), frame);
      }
      return;
    }
    const m = c.method;
    if (m && c.recvNode && (m === 'run' || m === 'create') && this.isDockerCollection(c.recvNode, 'containers', frame)) {
      this.checkDockerMounts(c, frame);
      return;
    }
    if (m === 'build' && c.recvNode && this.isDockerCollection(c.recvNode, 'images', frame)) {
      // The daemon reads the folder as the build context (and a Dockerfile named outside it).
      this.checkDockerKeywords(c, ['path', 'dockerfile'], { reason: 'The Docker daemon reads it from the host as the build context.', mount: true }, frame);
      return;
    }
    if (!m || !c.recv || !c.recvNode) return;
    // Names shared with str/dict/zip objects (`replace`, `copy`, `open`) count only on a pathlib path.
    const pathOnly = PATH_ONLY_METHODS.has(m) || c.recv.pathObj;
    if (PATH_METHODS.has(m) && pathOnly && isTainted(c.recv, 'path')) {
      this.report('path', c.call, c.recvNode, c.recv, `Path.${m}`, pathData(c.recv), frame);
    } else if (PATH_METHODS_WITH_TARGET.has(m) && c.recv.pathObj) {
      const a = pick(c, 0, 'target');
      if (a && isTainted(a.val, 'path')) this.report('path', c.call, a.node, a.val, `Path.${m}`, pathData(a.val), frame);
    }
  }

  /**
   * docker-py's `client.containers` / `client.images` (`X.containers.run(...)` in a module that
   * imports docker): no type is known, so the attribute's name and the import decide.
   */
  private isDockerCollection(recvNode: PyNode, name: string, frame: Frame): boolean {
    const r = unparen(recvNode);
    if (r.type !== 'attribute' || r.child('attribute')?.text !== name) return false;
    for (const b of frame.module.imports.bindings.values()) if (b.qualified === 'docker' || b.qualified.startsWith('docker.')) return true;
    return false;
  }

  /**
   * `containers.run(image, volumes={host_path: {...}})`: a host folder the client names is
   * mounted into the container, which reads and writes it as root (`/` or the Docker socket
   * give the host away). Keyword arguments splatted from the client's data (`**args.model_dump()`,
   * ckreiling/mcp-server-docker) count when they can hold `volumes` or `mounts`.
   */
  private checkDockerMounts(c: CallSite, frame: Frame): void {
    this.checkDockerKeywords(c, ['volumes', 'mounts'], { reason: 'It is mounted from the host into the container.', mount: true }, frame);
  }

  /** A docker-py call's keyword arguments `names`, given or splatted from the client's data; one report. */
  private checkDockerKeywords(c: CallSite, names: readonly string[], data: Record<string, unknown>, frame: Frame): void {
    const sink = `${displayReceiver(c.recvNode)}.${c.method}`;
    for (const k of names) {
      const node = c.args.keywords.get(k);
      const val = c.kw.get(k);
      if (node && val && isTainted(val, 'path')) {
        this.report('path', c.call, node, val, sink, data, frame);
        return;
      }
    }
    for (let i = 0; i < c.splat.length; i++) {
      const v = c.splat[i]!;
      if (!v.keyed || !isTainted(v, 'path')) continue;
      const ref = v.instance as ClassRef | undefined;
      if (ref && !names.some((f) => fieldOf(ref.cls, f, ref.module, 0))) continue;
      this.report('path', c.call, c.args.splats[i]!, v, sink, data, frame);
      return;
    }
  }

  private checkSsrf(c: CallSite, frame: Frame): void {
    const q = c.qualified;
    const check = (a: { node: PyNode; val: Val } | undefined, name: string) => {
      if (!a || !isTainted(a.val, 'ssrf')) return;
      if (FIXED_HOST_PREFIX.test(prefixOf(a.val) ?? '')) return;
      this.report('ssrf', c.call, a.node, a.val, name, { library: name.split('.')[0] }, frame);
    };
    const spec = q ? SSRF_FUNCTION_SINKS.find((s) => s.functions.includes(q)) : undefined;
    if (spec) {
      check(pick(c, spec.arg, spec.keyword), q!);
      return;
    }
    if (c.method && c.recv?.client) {
      const at = HTTP_CLIENT_METHODS.get(c.method);
      if (at !== undefined) check(pick(c, at, 'url'), `${displayReceiver(c.recvNode)}.${c.method}`);
    }
  }

  /** The value a call returns. */
  private callResult(c: CallSite, env: Env, frame: Frame): Val {
    const { qualified: q, method, recv, pos, kw, splat } = c;
    // `Model.model_validate(arguments)`: the instance holds the client's fields as `Model(**arguments)` does.
    if (method && recv?.classRef && MODEL_PARSERS.has(method)) {
      const data = pos[0] ?? kw.get('obj') ?? kw.get('json_data') ?? CLEAN;
      return { ...taintOf(data), ...(data.taint ? { keyed: true } : {}), instance: recv.classRef };
    }
    const argsVal = (): Val => {
      const all = [...pos, ...kw.values(), ...splat];
      const taint = unionTaint(...all.map((v) => v.taint));
      const secret = all.find((v) => v.secret)?.secret;
      // `Model(**arguments)`: fields of the result are still named by the client's keys.
      const keyed = splat.some((v) => v.keyed && v.taint) && ![...pos, ...kw.values()].some((v) => v.taint);
      return { ...(taint ? { taint } : {}), ...(secret ? { secret } : {}), ...(keyed ? { keyed: true } : {}) };
    };
    if (q) {
      // A digest of a secret is a secret (`hmac.new(SECRET, body, sha256)`, `hashlib.sha256(password
      // + salt)`): compared with `==` it leaks as the secret would. It carries no client text.
      if (q === 'hmac.new' || q === 'hmac.digest' || q.startsWith('hashlib.')) {
        const secret = [...pos, ...kw.values()].find((v) => v.secret && v.secret !== 'os.environ')?.secret;
        return secret ? { secret } : CLEAN;
      }
      if (TOTAL_CLEAN.has(q) || CLEAN_PREFIXES.some((p) => q.startsWith(p))) return CLEAN;
      // What a command prints is the program's, not the client's, whatever its arguments
      // (`kubectl --context <ctx> get pods -o json` lists the cluster's pod names); the call
      // itself is checked as a sink. As CodeQL's and Semgrep's models, no flow from a command
      // line to its output.
      if (COMMAND_SINKS.some((s) => s.functions.includes(q))) return CLEAN;
      const kinds = KIND_SANITIZERS.get(q);
      if (kinds) return cleanFor(argsVal(), kinds);
      // `text(...)` / `sql.SQL(...)` are reported where they are built, not again where they run.
      if (SQL_FUNCTION_SINKS.some((s) => s.functions.includes(q))) return cleanFor(argsVal(), ['sql']);
      if (REALPATH_FUNCTIONS.has(q)) return resolved(pos[0] ?? CLEAN, Resolution.Resolved);
      if (NORMALISE_FUNCTIONS.has(q)) return resolved(pos[0] ?? CLEAN, Resolution.Normalised);
      if (q === 'os.getenv' || q === 'os.environ.get') {
        const name = stringValue(c.args.positional[0]);
        return name && isSecretName(name) ? { secret: name } : CLEAN;
      }
      if (HTTP_CLIENT_CONSTRUCTORS.has(q)) return { client: true };
      if (/^(?:urllib\.parse\.|urlparse\.)?(?:urlparse|urlsplit)$/.test(q) && (q.includes('.') || frame.module.imports.bindings.has(q))) {
        const key = c.args.positional[0] ? lvalueKey(c.args.positional[0]) : undefined;
        return { ...argsVal(), ...(key ? { urlOf: key } : {}) };
      }
      // FastMCP's accessors of the HTTP request a tool runs in (streamable HTTP / SSE transports).
      if (q === 'fastmcp.server.dependencies.get_http_request') return { request: true };
      if (q === 'getattr' && c.args.positional.length >= 2) {
        const name = stringValue(c.args.positional[1]!);
        const stored = name !== undefined ? this.stateRead(c.args.positional[0], name, c.call, env, frame) : undefined;
        if (stored) return pos[2] ? mergeVals(stored, pos[2]) : stored;
      }
      if (q === 'fastmcp.server.dependencies.get_http_headers') {
        return { taint: sourceTaint('headers', 'request header', this.step(c.call, "request headers 'get_http_headers()'", frame.module)), keyed: true };
      }
      if (q === 'os.path.join' || q === 'posixpath.join') return concatVals(pos.flatMap((p, i) => (i === 0 ? [p] : [{ str: '/' }, p])));
      if (PATH_CONSTRUCTORS.has(q) || q === 'Path') {
        const joined = pos.length === 1 ? (pos[0]!.fn ? CLEAN : pos[0]!) : concatVals(pos.flatMap((p, i) => (i === 0 ? [p] : [{ str: '/' }, p])));
        const { items: _i, shapes: _s, fields: _f, partial: _p, ...rest } = joined;
        return { ...rest, pathObj: true };
      }
      if (/^pathlib\.Path\.(?:home|cwd)$/.test(q)) return { pathObj: true };
      if (q === 'str' || q === 'repr' || q === 'format' || TRANSPARENT_CALLS.has(q)) {
        if (pos.length === 1) {
          const v = pos[0]!;
          if (v.fn) return CLEAN;
          const { pathObj: _p, ...rest } = v;
          return rest;
        }
        return concatVals(pos.flatMap((p, i) => (i === 0 ? [p] : [{ str: '/' }, p])));
      }
      if (q === 'dict' || q === 'list' || q === 'tuple' || q === 'sorted' || q === 'reversed' || q === 'set') {
        const v = pos[0] ?? CLEAN;
        return q === 'dict' ? { ...(v.taint ? { taint: v.taint } : {}), keyed: !!v.keyed } : shapesOf(v) && q !== 'set' ? v : withTaint(CLEAN, v.taint);
      }
      if (q === 'shlex.split') return splitWords(pos[0] ?? CLEAN, undefined, true) ?? withTaint(CLEAN, (pos[0] ?? CLEAN).taint);
      if (frame.module.enums.has(q)) return CLEAN;
      const cls = c.fnNode.type === 'identifier' ? (this.lookup(c.fnNode, env, frame).classRef as ClassRef | undefined) : this.moduleClass(c.fnNode, frame.module);
      if (cls) return this.construct(c, cls, argsVal(), frame);
      // A module function (`json.dumps(x)`) passes its arguments on; a method of an imported object uses the object.
      if (!method || !recv || !(recv.taint || recv.request || recv.client || recv.secret || recv.keyed)) return argsVal();
    }
    if (!method) {
      // A call of a local value (lambda, callable object): propagate its arguments.
      const fnVal = c.fnNode.type === 'identifier' ? this.lookup(c.fnNode, env, frame) : undefined;
      if (fnVal?.enumClass) return CLEAN;
      // An object of one of the project's classes: its methods are analysed when called.
      if (fnVal?.classRef) return this.construct(c, fnVal.classRef as ClassRef, argsVal(), frame);
      return argsVal();
    }
    const r = recv ?? CLEAN;
    if (r.enumClass) return CLEAN;
    // `model.model_dump()["field"]` reads the field as `model.field` does.
    if (r.instance && r.taint && MODEL_DUMPS.has(method)) return { taint: r.taint, ...(r.keyed ? { keyed: true } : {}), instance: r.instance };
    if (r.request) {
      const kind = REQUEST_METHODS.get(method);
      if (kind) return { taint: sourceTaint(method === 'get_json' || method === 'json' ? 'body' : method, kind, this.step(c.call, `${kind} '${c.call.text.slice(0, 40)}'`, frame.module)), keyed: true };
      return CLEAN;
    }
    if (method === 'get' || method === 'getlist' || method === 'get_all' || method === 'pop' || method === 'setdefault') {
      const keyNode = c.args.positional[0];
      const literal = keyNode ? (stringValue(keyNode) ?? bytesValue(keyNode)) : undefined;
      if (r.secret === 'os.environ') return literal && isSecretName(literal) ? { secret: literal } : CLEAN;
      if (r.registry && literal === undefined && method !== 'setdefault') return r.registry;
      if (r.fields && literal !== undefined) return mergeVals(r.fields.get(literal), c.pos[1]);
      if (r.taint) {
        const typed = literal !== undefined ? this.modelField(r, literal) : undefined;
        if (typed === 'clean') return CLEAN;
        const read = r.keyed && literal !== undefined ? this.refineOrigin(r, literal, c.call, frame) : { taint: r.taint };
        return typed ? cleanFor(read, typed) : read;
      }
      if (r.secret) return { secret: r.secret };
      if (literal && isSecretName(literal) && c.recvNode && !env.has(dottedName(c.recvNode) ?? '')) return { secret: literal };
      return CLEAN;
    }
    if ((method === 'startswith' || method === 'endswith') && c.recvNode && c.args.positional[0]) this.checkTimingMethod(c, method, r, frame);
    // `.hexdigest()` of a hash of a secret is that secret's digest.
    if ((method === 'hexdigest' || method === 'digest') && r.secret && !r.taint) return { secret: r.secret };
    if (CLEAN_METHODS.has(method) || SQL_METHODS.has(method)) return CLEAN;
    // A dict's keys, values and pairs are the client's when the dict is (`for k, v in
    // labels.items(): argv.append(f"{k}={v}")`); a secret or client object's are not followed.
    if (method === 'items' || method === 'keys' || method === 'values') return r.taint ? { taint: r.taint } : CLEAN;
    if (REALPATH_METHODS.has(method)) return { ...resolved(r, Resolution.Resolved), ...(r.pathObj ? { pathObj: true } : {}) };
    if (r.pathObj && /^(?:joinpath|with_name|with_suffix|with_stem|absolute|expanduser)$/.test(method)) {
      const joined = concatVals([r, { str: '/' }, argsVal()]);
      return { ...(method === 'joinpath' ? joined : { ...(unionTaint(r.taint, argsVal().taint) ? { taint: unionTaint(r.taint, argsVal().taint)! } : {}) }), pathObj: true };
    }
    if ((method === 'lstrip' || method === 'strip') && /-/.test(stringValue(c.args.positional[0]) ?? '')) return cleanFor(r, ['argument']);
    if (c.recvNode && (method === 'append' || method === 'extend' || method === 'insert' || method === 'add' || method === 'update')) {
      // On a name, an attribute or a constant subscript (`session.workload.append(q)`,
      // `self.tables.add(t)`, `d["k"].append(v)`): the collection that key names grows.
      const key = lvalueKey(c.recvNode);
      if (key) {
        this.mutate(c.recvNode, key, method, r, pos, frame, env);
        return CLEAN;
      }
      // `d[k()].append(v)`: the container now holds v, as for `d[k()] = v`.
      const recv = unparen(c.recvNode);
      const base = recv.type === 'subscript' ? recv.child('value') : recv.type === 'attribute' ? recv.child('object') : undefined;
      const baseKey = base ? lvalueKey(base) : undefined;
      const added = unionTaint(...pos.map((v) => v.taint));
      if (baseKey && added) env.set(baseKey, mergeVals(env.get(baseKey), { taint: added }));
    }
    if (method === 'join' && r.str !== undefined) {
      const list = pos[0] ?? CLEAN;
      if (list.items) return concatVals(list.items.flatMap((v, i) => (i === 0 ? [v] : [{ str: r.str! }, v])));
      return withTaint(CLEAN, list.taint);
    }
    if ((method === 'format' || method === 'format_map') && r.str !== undefined) {
      const fmt = r.str;
      const open = fmt.indexOf('{');
      const close = fmt.lastIndexOf('}');
      const mid = argsVal();
      return concatVals([{ str: open < 0 ? fmt : fmt.slice(0, open) }, mid, { str: close < 0 ? '' : fmt.slice(close + 1) }]);
    }
    if (method === 'split' && pos.length <= 1 && !c.kw.size) {
      // `f"kubectl logs {name}".split(" ")`: the constant words of its start are known.
      const sep = pos[0] ? pos[0].str : undefined;
      const words = (pos[0] === undefined || sep !== undefined) && !pos[0]?.taint ? splitWords(r, sep) : undefined;
      if (words) return words;
    }
    // `v.replace("'", "''")`: every quote doubled, so the text cannot end a single-quoted SQL
    // literal, in dialects without backslash escapes (see QUOTE_DOUBLED).
    if (method === 'replace' && pos.length === 2 && pos[0]!.str === "'" && pos[1]!.str === "''" && !pos[0]!.taint && !pos[1]!.taint && r.taint)
      return cleanFor(withTaint(CLEAN, r.taint), ['sql', QUOTE_DOUBLED]);
    if (ARG_FLOW_METHODS.has(method)) {
      const taint = unionTaint(r.taint, argsVal().taint);
      const keepClean = method === 'strip' || method === 'lstrip' || method === 'rstrip' || method === 'encode' || method === 'decode';
      const base: Val = taint ? { taint } : CLEAN;
      if (keepClean) return { ...base, ...(r.prefix && method !== 'lstrip' && method !== 'strip' ? { prefix: r.prefix } : {}), ...(r.secret ? { secret: r.secret } : {}) };
      return { ...base, ...(r.secret ? { secret: r.secret } : {}) };
    }
    // Other methods (`lower()`, `strip()`, model accessors): the receiver's taint flows on.
    return { ...(r.taint ? { taint: r.taint } : {}), ...(r.secret ? { secret: r.secret } : {}), ...(r.client ? { client: true } : {}), ...(r.urlOf ? { urlOf: r.urlOf } : {}) };
  }

  /** `argv.append(x)`, `argv.extend([...])`, `allowed.add(x)` on `key`, the receiver's name or attribute path. */
  private mutate(recvNode: PyNode, key: string, method: string, r: Val, pos: Val[], frame: Frame, env: Env): void {
    const arg = pos[method === 'insert' ? 1 : 0] ?? CLEAN;
    let next: Val;
    const vectors = shapesOf(r);
    const grown =
      vectors && method === 'append' ? vectors.map((xs) => [...xs, arg]) : vectors && method === 'extend' ? productShapes([vectors, shapesOf(arg) ?? [[elementOf(arg)]]]) : undefined;
    if (grown) next = { ...listShape(grown), ...taintOf(r, arg) };
    else {
      // Some elements are attacker data now; the collection as a whole is not attacker-chosen.
      const { fields: _f, items: _i, shapes: _s, ...rest } = r;
      next = { ...rest, ...taintOf(r, arg), ...(arg.taint && (!r.taint || r.partial) ? { partial: true } : {}) };
    }
    if (next.taint && arg.taint) next = withTaint(next, withStep(next.taint, this.step(recvNode, `added to '${key}'`, frame.module)));
    env.set(key, next);
  }

  // ---------------------------------------------------------------------------------------
  // Guards (sanitising conditions)

  /** Applies what `cond` being `truth` proves to the environment. */
  private refine(cond: PyNode, truth: boolean, env: Env, frame: Frame): void {
    const c = unparen(cond);
    switch (c.type) {
      case 'not_operator': {
        const arg = c.child('argument');
        if (arg) this.refine(arg, !truth, env, frame);
        return;
      }
      case 'boolean_operator': {
        const op = c.child('operator')?.type;
        if ((op === 'and' && truth) || (op === 'or' && !truth)) {
          const l = c.child('left');
          const r = c.child('right');
          if (l) this.refine(l, truth, env, frame);
          if (r) this.refine(r, truth, env, frame);
        } else if (op === 'and') {
          // `if x and x.startswith("-"): raise`: past it `x` is empty (or None), which is no
          // option, path or URL, or it failed the check on the right.
          const l = unparen(c.child('left') ?? c);
          const r = c.child('right');
          if (l.type === 'identifier' && r && checksOnly(r, l.text)) this.refine(r, false, env, frame);
        }
        return;
      }
      case 'comparison_operator':
        this.refineComparison(c, truth, env, frame);
        return;
      case 'call':
        if (truth) this.refineCall(c, env, frame);
        else this.refineCallFalse(c, env, frame);
        return;
      case 'named_expression': {
        const v = c.child('value');
        if (v) this.refine(v, truth, env, frame);
        return;
      }
      case 'identifier': {
        // `err = check_name(x)` then `if err: return err`: what the project's helper proves.
        const call = frame.results?.get(c.text);
        if (call?.type === 'call') this.refineValidatorCall(call, truth, env, frame);
        if (!truth) env.set(c.text, CLEAN);
        return;
      }
      case 'attribute':
      case 'subscript': {
        // Where `if op.dst:` fails the field is empty or None: it carries nothing.
        const key = truth ? undefined : lvalueKey(c);
        if (key) env.set(key, CLEAN);
        return;
      }
      default:
        return;
    }
  }

  /**
   * What a call of one of the project's helpers proves about its arguments when its result is
   * truthy (a boolean validator) or falsy (a helper returning an error message or None);
   * false when the callee is no project function.
   */
  private refineValidatorCall(c: PyNode, truth: boolean, env: Env, frame: Frame): boolean {
    const fn = unparen(c.child('function') ?? c);
    const local = this.resolveLocal(fn, this.qualify(fn, frame, env), env, frame);
    if (!local) return false;
    callArgs(c).positional.forEach((a, i) => {
      const kinds = this.validatorKinds(local.def, local.module, local.skipFirst, i, frame, !truth);
      if (kinds.length > 0) this.sanitize(a, kinds, env, frame);
    });
    return true;
  }

  private refineComparison(c: PyNode, truth: boolean, env: Env, frame: Frame): void {
    const operands = c.namedChildren.filter((n) => n.field !== 'operators' && n.type !== 'comment');
    const ops = c.childrenOf('operators').map((o) => o.type);
    if (operands.length !== 2 || ops.length !== 1) return;
    const [left, right] = operands as [PyNode, PyNode];
    const op = ops[0]!;
    // `if x[0] == "-": raise`, `if x[:1] != "-":` - the value cannot be an option.
    if ((op === '==' && !truth) || (op === '!=' && truth)) {
      const subject = leadingCharOf(left, right) ?? leadingCharOf(right, left);
      if (subject) {
        this.sanitize(subject, ['argument'], env, frame);
        return;
      }
    }
    const positive = ((op === 'in' || op === '==' || op === 'is') && truth) || ((op === 'not in' || op === '!=' || op === 'is not') && !truth);
    if (!positive) return;
    // `if err is not None: return err` after `err = check_name(x)`: what check_name proves when it returns None.
    const call = op.startsWith('is') && unparen(right).type === 'none' && unparen(left).type === 'identifier' ? frame.results?.get(unparen(left).text) : undefined;
    if (call?.type === 'call') {
      this.refineValidatorCall(call, false, env, frame);
      return;
    }
    if (op === 'in' || op === 'not in') {
      // `root in p.parents` (pathlib containment).
      const r = unparen(right);
      if (r.type === 'attribute' && r.child('attribute')?.text === 'parents') {
        const subject = r.child('object');
        if (subject) this.markContained(subject, c, env, frame);
        return;
      }
      const container = this.eval(right, env, frame);
      if (container.taint) return;
      // `x in ALLOWED`: only allowlisted values pass.
      this.sanitize(left, ALL_KINDS, env, frame);
      return;
    }
    if (op === '==' || op === '!=' || op === 'is') {
      for (const [a, b] of [[left, right], [right, left]] as const) {
        const inner = unparen(a);
        if (inner.type === 'call') {
          const q = this.qualify(inner.child('function'), frame, env);
          if (q === 'os.path.commonpath' || q === 'posixpath.commonpath') {
            for (const el of listElements(inner)) if (isTainted(this.eval(el, env, frame), 'path')) this.markContained(el, c, env, frame);
            return;
          }
          if (q === 'os.path.commonprefix') {
            for (const el of listElements(inner))
              this.markBroken(el, "The check 'os.path.commonprefix' compares characters, not path segments.", c, env, frame);
            return;
          }
        }
        const other = this.eval(b, env, frame);
        if (other.str !== undefined && !other.taint) this.sanitize(a, ALL_KINDS, env, frame);
      }
    }
  }

  private refineCall(c: PyNode, env: Env, frame: Frame): void {
    const fn = unparen(c.child('function') ?? c);
    const args = callArgs(c);
    const method = fn.type === 'attribute' ? fn.child('attribute')?.text : undefined;
    const subject = fn.type === 'attribute' ? fn.child('object') : undefined;
    const q = this.qualify(fn, frame, env);
    if (q === 'bool' && args.positional[0]) {
      this.refine(args.positional[0], true, env, frame);
      return;
    }
    // `p if isinstance(p, Composable) else Literal(p)`: a psycopg SQL object is composed safely
    // (SQL(text) is reported where it is built), and no client value is one.
    if (q === 'isinstance' && args.positional[0] && args.positional[1]) {
      const types = unparen(args.positional[1]);
      const names = types.type === 'tuple' ? types.namedChildren : [types];
      if (names.length > 0 && names.every((t) => PSYCOPG_SQL_OBJECT.test(this.qualify(t, frame, env) ?? ''))) this.sanitize(args.positional[0], ['sql'], env, frame);
      return;
    }
    // `if not is_valid_id(x): raise`: what the project's own validator proves when it returns truthy.
    if (this.refineValidatorCall(c, true, env, frame)) return;
    if (method === 'startswith' && subject && !q) {
      const argNode = args.positional[0];
      if (!argNode) return;
      const arg = this.eval(argNode, env, frame);
      const prefixes = arg.items ?? [arg];
      const subjVal = this.eval(subject, env, frame);
      if (prefixes.every((p) => FIXED_HOST_PREFIX.test(p.str ?? '') && /^[a-z]/i.test(p.str ?? ''))) this.sanitize(subject, ['ssrf'], env, frame, subjVal.urlOf);
      if (prefixes.every((p) => /[/\\]$/.test(suffixOf(p) ?? ''))) this.markContained(subject, c, env, frame);
      // A literal prefix naming no directory (`p.startswith("~")` before `expanduser`, `"."`) is
      // no containment check at all: the finding gives no reason about it.
      else if (!prefixes.some((p) => p.taint) && prefixes.some((p) => p.str === undefined || DIRECTORY_PREFIX.test(p.str)))
        this.markBroken(subject, `The check '${shortText(c)}' has no trailing separator.`, c, env, frame);
      return;
    }
    if (method === 'is_relative_to' && subject) {
      this.markContained(subject, c, env, frame);
      return;
    }
    const regex = q && /^re\.(fullmatch|match|search)$/.exec(q);
    if (regex) {
      const pattern = stringValue(args.positional[0]);
      const target = args.positional[1];
      if (pattern !== undefined && target) this.regexGuard(pattern, regex[1] as 'fullmatch' | 'match' | 'search', target, env, frame);
      return;
    }
    if ((method === 'fullmatch' || method === 'match') && subject && args.positional[0]) {
      // PATTERN.fullmatch(x) with PATTERN = re.compile("...").
      const pattern = this.compiledPattern(subject, frame);
      if (pattern !== undefined) this.regexGuard(pattern, method, args.positional[0], env, frame);
      return;
    }
    if (method && /^is(?:digit|alnum|alpha|numeric|decimal|identifier)$/.test(method) && subject) {
      this.sanitize(subject, ALL_KINDS, env, frame);
      return;
    }
    if (q && /(?:^|\.)(?:is_safe_path|is_within|is_subpath|within_root|is_allowed_path)$/.test(q)) {
      // Project helpers named for containment: trusted only when their body checks soundly is beyond a syntactic pass.
      return;
    }
  }

  /**
   * Kinds a helper guarantees for parameter `index` whenever it returns a truthy value, or with
   * `none`, whenever it returns None (explicitly or by falling off its end).
   */
  private validatorKinds(def: PyNode, module: ModuleInfo, skipFirst: boolean, index: number, frame: Frame, none = false, any = false): TaintKind[] {
    this.reads?.touched.add(def);
    const validators = this.cacheFor(def).validators;
    let byIndex = validators.get(def);
    if (!byIndex) validators.set(def, (byIndex = new Map()));
    // The None facts of parameter i are kept under ~i (negative), beside the truthy ones; the
    // facts of any return past all of those.
    const slot = any ? ANY_RETURN_SLOT + index : none ? ~index : index;
    const hit = byIndex.get(slot);
    if (hit) return hit;
    byIndex.set(slot, []); // recursion guard
    const param = functionParams(def).slice(skipFirst ? 1 : 0)[index];
    const body = def.child('body');
    if (!param || param.splat || !body || frame.depth >= MAX_CALL_DEPTH || frame.stack.includes(def)) return [];
    // A parameter the helper binds anew (`name = secure_filename(name)`) is clean at its returns
    // for the helper's own reasons: that says nothing about the caller's value.
    if (rebinds(body, param.name)) return [];
    const proven: TaintKind[][] = [];
    const env: Env = new Map([[param.name, { taint: { origins: [{ name: '$v', sourceKind: '$', steps: [], placeholder: 0 }], clean: new Set(), resolution: Resolution.None } }]]);
    const sub: Frame = {
      module,
      fn: def,
      fnName: def.child('name')?.text ?? '<function>',
      returns: [],
      depth: frame.depth + 1,
      stack: [...frame.stack, def],
      // Flows inside the validator are reported through its ordinary summary, not here.
      summary: { result: CLEAN, pending: [] },
      validator: { param: param.name, proven, ...(none ? { none } : {}), ...(any ? { any } : {}) },
      locals: new Map(),
    };
    if (this.execBlock(body, env, sub) && (none || any)) proven.push(ALL_KINDS.filter((k) => !isTainted(env.get(param.name), k)));
    const kinds = proven.length === 0 ? [] : ALL_KINDS.filter((k) => proven.every((p) => p.includes(k)));
    byIndex.set(slot, kinds);
    return kinds;
  }

  private refineCallFalse(c: PyNode, env: Env, frame: Frame): void {
    // `if error_of(x): return ...`: what the project's helper proves when it returns None.
    if (this.refineValidatorCall(c, false, env, frame)) return;
    const fn = unparen(c.child('function') ?? c);
    const method = fn.type === 'attribute' ? fn.child('attribute')?.text : undefined;
    const subject = fn.type === 'attribute' ? fn.child('object') : undefined;
    if (method === 'startswith' && subject) {
      const arg = callArgs(c).positional[0];
      const v = arg ? this.eval(arg, env, frame) : CLEAN;
      const prefixes = v.items ?? [v];
      // `if x.startswith("-"): raise` - the value cannot be an option (`"--"` alone lets `-o` through).
      if (prefixes.some((p) => p.str === '-')) this.sanitize(subject, ['argument'], env, frame);
    }
  }

  private compiledPattern(node: PyNode, frame: Frame): string | undefined {
    if (node.type !== 'identifier') return undefined;
    const rhs = frame.module.globals.get(node.text);
    if (rhs?.type !== 'call') return undefined;
    const q = this.qualify(rhs.child('function'), frame, undefined);
    if (q !== 're.compile') return undefined;
    return stringValue(callArgs(rhs).positional[0]);
  }

  private regexGuard(pattern: string, how: 'fullmatch' | 'match' | 'search', target: PyNode, env: Env, frame: Frame): void {
    const kinds = regexKinds(pattern, how);
    if (kinds.length > 0) this.sanitize(target, kinds, env, frame);
  }

  /** Removes taint kinds from the value a guard checked (and the URL it was parsed from). */
  private sanitize(node: PyNode, kinds: readonly TaintKind[], env: Env, frame: Frame, urlOf?: string): void {
    const subject = stripWrappers(node, (n) => this.qualify(n, frame, env));
    const key = lvalueKey(subject);
    const v = key ? (env.get(key) ?? this.eval(subject, env, frame)) : this.eval(subject, env, frame);
    // A list's known elements are what the guard held for too (`for a in args:` screening each).
    const clean = (x: Val): Val => {
      const out = kinds.length === ALL_KINDS.length ? withTaint(x, undefined) : cleanFor(x, kinds);
      if (out.shapes) return { ...out, shapes: out.shapes.map((s) => s.map(clean)) };
      return out.items ? { ...out, items: out.items.map(clean) } : out;
    };
    if (key && (v.taint || shapesOf(v)?.some((s) => s.some((i) => i.taint)))) env.set(key, clean(v));
    const target = urlOf ?? v.urlOf;
    if (target && kinds.includes('ssrf') && env.has(target)) env.set(target, cleanFor(env.get(target)!, ['ssrf']));
  }

  /** A sound containment check passed for the path `node` (if it was resolved first). */
  private markContained(node: PyNode, guard: PyNode, env: Env, frame: Frame): void {
    const { base, level } = this.unwrapPath(node, env, frame);
    const key = lvalueKey(base);
    if (!key) return;
    const v = env.get(key) ?? this.eval(base, env, frame);
    if (!v.taint) return;
    const effective = Math.max(level, v.taint.resolution);
    if (effective >= Resolution.Resolved) env.set(key, cleanFor(v, ['path']));
    else {
      const reason =
        effective === Resolution.Normalised
          ? "The path is checked before symlinks are resolved with 'os.path.realpath' or 'Path.resolve()'."
          : "The path is checked before it is resolved with 'os.path.realpath' or 'Path.resolve()', so '..' segments pass the check.";
      env.set(key, withTaint(v, { ...v.taint, pathNote: { reason, guard: guard.span } }));
    }
  }

  /** A containment check that does not hold (prefix without separator, character-wise prefix). */
  private markBroken(node: PyNode, reason: string, guard: PyNode, env: Env, frame: Frame): void {
    const { base } = this.unwrapPath(node, env, frame);
    const key = lvalueKey(base);
    if (!key) return;
    const v = env.get(key) ?? this.eval(base, env, frame);
    if (!v.taint || v.taint.clean.has('path')) return;
    env.set(key, withTaint(v, { ...v.taint, pathNote: { reason, guard: guard.span } }));
  }

  /** Strips `str()`, `realpath()`, `.resolve()` around the checked path, noting the resolution they add. */
  private unwrapPath(node: PyNode, env: Env, frame: Frame): { base: PyNode; level: Resolution } {
    let n = unparen(node);
    let level = Resolution.None;
    for (let i = 0; i < 6; i++) {
      if (n.type === 'await') {
        n = unparen(n.namedChildren[0] ?? n);
        continue;
      }
      if (n.type !== 'call') break;
      const fn = unparen(n.child('function') ?? n);
      const q = this.qualify(fn, frame, env);
      const first = callArgs(n).positional[0];
      if (q && REALPATH_FUNCTIONS.has(q) && first) {
        level = Math.max(level, Resolution.Resolved);
        n = unparen(first);
      } else if (q && NORMALISE_FUNCTIONS.has(q) && first) {
        level = Math.max(level, Resolution.Normalised);
        n = unparen(first);
      } else if (q && (TRANSPARENT_CALLS.has(q) || PATH_CONSTRUCTORS.has(q)) && first) {
        n = unparen(first);
      } else if (fn.type === 'attribute' && REALPATH_METHODS.has(fn.child('attribute')?.text ?? '')) {
        level = Math.max(level, Resolution.Resolved);
        n = unparen(fn.child('object')!);
      } else if (fn.type === 'attribute' && fn.child('attribute')?.text === 'absolute') {
        n = unparen(fn.child('object')!);
      } else break;
    }
    return { base: n, level };
  }

  // ---------------------------------------------------------------------------------------
  // Timing

  private evalComparison(node: PyNode, env: Env, frame: Frame): void {
    const operands = node.namedChildren.filter((n) => n.field !== 'operators' && n.type !== 'comment');
    const ops = node.childrenOf('operators');
    const vals = operands.map((o) => this.eval(o, env, frame));
    if (!this.opts.kinds.has('timing')) return;
    for (let i = 0; i < ops.length && i + 1 < operands.length; i++) {
      const op = ops[i]!.type;
      if (op !== '==' && op !== '!=') continue;
      const l = vals[i]!;
      const r = vals[i + 1]!;
      for (const [att, attNode, sec, secNode] of [
        [l, operands[i]!, r, operands[i + 1]!],
        [r, operands[i + 1]!, l, operands[i]!],
      ] as const) {
        if (!isTainted(att, 'timing') || sec.taint) continue;
        const literal = sec.str !== undefined && !sec.secret;
        const credentialHeader = att.taint!.origins.some((o) => CREDENTIAL_HEADERS.test(o.name));
        const secretName = sec.secret ?? (credentialHeader && !literal && !isNoneLike(secNode) ? (dottedName(secNode) ?? shortText(secNode)) : undefined);
        if (!secretName || secretName === 'os.environ') continue;
        this.report('timing', node, attNode, att, op, { secretName, operator: op }, frame);
        break;
      }
    }
  }

  /**
   * `authorization.endswith(API_KEY)`: a prefix or suffix test of request data against a secret
   * stops at the first differing character, as `==` does (and accepts any text around it).
   */
  private checkTimingMethod(c: CallSite, method: string, recv: Val, frame: Frame): void {
    if (!this.opts.kinds.has('timing') || !isTainted(recv, 'timing')) return;
    const sec = c.pos[0] ?? CLEAN;
    const secNode = c.args.positional[0]!;
    if (sec.taint || c.pos.length !== 1) return;
    const literal = sec.str !== undefined && !sec.secret;
    const credentialHeader = recv.taint!.origins.some((o) => CREDENTIAL_HEADERS.test(o.name));
    const secretName = sec.secret ?? (credentialHeader && !literal && !isNoneLike(secNode) ? (dottedName(secNode) ?? shortText(secNode)) : undefined);
    if (!secretName || secretName === 'os.environ') return;
    this.report('timing', c.call, c.recvNode!, recv, method, { secretName, operator: method }, frame);
  }

  // ---------------------------------------------------------------------------------------
  // Reporting

  private step(node: PyNode, message: string, module: ModuleInfo): Step {
    return { file: module.source.file, span: node.span, message };
  }

  private report(kind: TaintKind, sink: PyNode, argNode: PyNode, val: Val, sinkName: string, data: Record<string, unknown>, frame: Frame, atCaller = false, strictQuotes = false): void {
    if (!this.opts.kinds.has(kind) || !val.taint) return;
    const verb = kind === 'timing' ? `compared by '${sinkName}'` : `passed to '${sinkName}'`;
    const sinkStep = this.step(kind === 'timing' ? sink : argNode, verb, frame.module);
    for (const origin of val.taint.origins) {
      this.deliver({ kind, module: frame.module, sink, argNode, sinkName, data, origin, sinkStep, ...(atCaller ? { atCaller } : {}), ...(strictQuotes ? { strictQuotes } : {}) }, frame);
    }
  }

  /** `flowKey`'s part for a flow reported at a call into another module (see there). */
  private behind(sinkFile: string, sinkSpan: Span, steps: readonly Step[]): string {
    const mainFile = this.opts.main.source.file;
    const parts = [`${sinkFile}\0${sinkSpan.start}`];
    let last = '';
    for (const st of steps) {
      if (st.file === mainFile) continue;
      const root = this.opts.loader.load(st.file)?.source.root;
      const node = root ? nodeAtSpan(root, st.span) : undefined;
      const fn = node ? (node.type === 'function_definition' ? node : enclosingFunction(node)) : undefined;
      const id = `${st.file}#${fn?.start ?? -1}`;
      if (id !== last) parts.push((last = id));
    }
    return parts.join('\0');
  }

  /** The `flowKey` `deliver` gave a flow now replayed from its entry point's record. */
  private recordedFlowKey(flow: RawFlow, entry: PyNode): string {
    const sinkFile = flow.data.sinkFile as string | undefined;
    const sinkSpan = flow.data.sinkSpan as Span | undefined;
    if (sinkFile === undefined || sinkSpan === undefined) return flowKey(flow.kind, flow.sinkSpan, entryKey(entry));
    const first = flow.origin.steps[0];
    if (first !== undefined && first.file !== this.opts.main.source.file) return flowKey(flow.kind, sinkSpan, insideKey(flow.origin, sinkFile));
    return flowKey(flow.kind, flow.sinkSpan, this.behind(sinkFile, sinkSpan, flow.steps));
  }

  /** Emits a flow, or keeps it in the helper's summary until a caller supplies its source. */
  private deliver(p: PendingFlow, frame: Frame): void {
    const main = this.opts.main;
    // A source sanitised for this kind before it was combined with another (see Origin.clean).
    if (p.origin.placeholder === undefined && p.origin.clean?.has(p.kind) && !(p.strictQuotes && p.origin.clean.has(QUOTE_DOUBLED))) return;
    if (p.origin.placeholder !== undefined || (p.module !== main && !p.anchor)) {
      frame.summary?.pending.push(p);
      return;
    }
    const sinkSpan = p.anchor ? p.anchor.call.span : p.sink.span;
    const argSpan = p.anchor ? p.anchor.arg.span : p.argNode.span;
    // Source and sink both in other modules (a helper reading the request it runs in, or what
    // middleware stored in it): every call of the helper is the same flow, reported at the first.
    const inside = p.module !== main && p.origin.steps[0] !== undefined && p.origin.steps[0].file !== main.source.file;
    const steps = [...p.origin.steps];
    const last = steps[steps.length - 1];
    const s = p.sinkStep;
    if (!(last && last.file === s.file && last.span.start === s.span.start && last.message === s.message)) steps.push(s);
    const key = inside
      ? flowKey(p.kind, p.sink.span, insideKey(p.origin, p.module.source.file))
      : p.module !== main
        ? flowKey(p.kind, sinkSpan, this.behind(p.module.source.file, p.sink.span, steps))
        : flowKey(p.kind, sinkSpan, entryKey(this.trace?.def));
    // A flow found while evaluating a module constant belongs to whichever entry point read it first.
    if (this.computing.size > 0) this.orderDependent = true;
    if (this.flowKeys.has(key)) {
      if (this.trace && this.flowKeys.get(key) !== this.trace) this.trace.shared = true;
      return;
    }
    this.flowKeys.set(key, this.trace);
    const data: Record<string, unknown> = { ...p.data };
    if (p.module !== main) {
      data.sinkFile = p.module.source.file;
      data.sinkSpan = p.sink.span;
    }
    const flow: RawFlow = { kind: p.kind, sinkSpan, argSpan, sinkName: p.sinkName, origin: p.origin, steps, data };
    this.flows.push(flow);
    this.trace?.flows.push(flow);
  }
}

interface CallSite {
  readonly call: PyNode;
  readonly fnNode: PyNode;
  readonly args: CallArgs;
  readonly qualified: string | undefined;
  readonly method: string | undefined;
  readonly recvNode: PyNode | undefined;
  readonly recv: Val | undefined;
  readonly pos: Val[];
  readonly kw: Map<string, Val>;
  readonly splat: Val[];
}

/**
 * Positional arguments in source order as argv elements, splats (`*shlex.split(cmd)`) in place:
 * one argv per combination of the splatted lists' shapes (one argv, splats of several shapes
 * standing for their taint, when there are too many).
 */
function spreadArgv(c: CallSite): { items: Val[]; nodes: PyNode[] }[] {
  const parts: { v: Val; n: PyNode }[][][] = [];
  for (const a of c.call.child('arguments')?.namedChildren ?? []) {
    const pi = c.args.positional.indexOf(a);
    const si = c.args.splats.indexOf(a);
    if (pi >= 0) parts.push([[{ v: c.pos[pi]!, n: a }]]);
    else if (si >= 0 && a.type === 'list_splat') {
      const v = c.splat[si]!;
      const whole = [[{ v: withTaint(CLEAN, v.taint), n: a }]];
      parts.push(shapesOf(v)?.map((s) => s.map((x) => ({ v: x, n: a }))) ?? whole);
    }
  }
  const vectors = productOrWhole(parts, (p) => ({ v: withTaint(CLEAN, unionTaint(...p.flat().map((x) => x.v.taint))), n: p.flat()[0]?.n ?? c.call }));
  return vectors.map((xs) => ({ items: xs.map((x) => x.v), nodes: xs.map((x) => x.n) }));
}

/** The argument at a position or keyword. */
function pick(c: CallSite, index: number, keyword: string | undefined): { node: PyNode; val: Val } | undefined {
  if (index < c.pos.length) return { node: c.args.positional[index]!, val: c.pos[index]! };
  if (keyword && c.kw.has(keyword)) return { node: c.args.keywords.get(keyword)!, val: c.kw.get(keyword)! };
  if (c.splat.length > 0 && c.splat[0]!.taint) return { node: c.args.splats[0]!, val: c.splat[0]! };
  return undefined;
}

function pathData(v: Val): Record<string, unknown> {
  const note = v.taint?.pathNote;
  return note ? { reason: note.reason, ...(note.guard ? { guard: note.guard } : {}) } : {};
}

function resolved(v: Val, level: Resolution): Val {
  if (!v.taint) return v.str !== undefined ? { str: v.str } : v.fn ? CLEAN : v;
  return { taint: { ...v.taint, resolution: Math.max(v.taint.resolution, level) as Resolution } };
}

function taintOf(...vals: Val[]): { taint?: Taint } {
  const taint = unionTaint(...vals.map((v) => v.taint));
  return taint ? { taint } : {};
}

/** What iterating a value yields: its items' join, or its taint. */
function elementOf(v: Val): Val {
  if (v.items && v.items.length > 0) return v.items.reduce<Val>((acc, x) => mergeVals(acc === CLEAN ? undefined : acc, x), CLEAN);
  // A list whose paths built it differently (`resolved.append((cid, path))` in a loop): any
  // element of any of its shapes, each kept as it is (a tuple's positions stay apart).
  if (v.shapes) {
    let acc: Val | undefined;
    for (const xs of v.shapes) for (const x of xs) acc = mergeVals(acc, x);
    if (acc) return acc;
  }
  return v.taint ? { taint: v.taint, ...(v.keyed ? { keyed: true } : {}) } : CLEAN;
}

function iterationValue(iter: Val, node: PyNode | undefined): Val {
  // `for k, v in d.items()`: both sides carry the dict's taint.
  void node;
  return elementOf(iter);
}

/**
 * The elements of a list (at most MAX_GENERATED) when two of them hold different functions in
 * the same field (`[Tool(name="a", handler=f), Tool(name="b", handler=g)]`); undefined otherwise.
 */
function heldFunctionsDiffer(list: Val): readonly Val[] | undefined {
  const items = list.items;
  if (!items || items.length < 2 || items.length > MAX_GENERATED) return undefined;
  const seen = new Map<string, unknown>();
  for (const it of items) {
    for (const [k, f] of it.fields ?? []) {
      if (!f.fn) continue;
      const other = seen.get(k);
      if (other !== undefined && other !== f.fn) return items;
      seen.set(k, f.fn);
    }
  }
  return undefined;
}

/** Elements of a list read one by one for the functions they hold (`generatedFunctions`). */
const MAX_GENERATED = 64;

const SOURCE_KINDS: Readonly<Record<PyMcpKind, string>> = { tool: 'tool argument', prompt: 'prompt argument', resource: 'resource parameter' };

/** The sources of a tool, prompt or resource handler: its parameters, as FastMCP validates them. */
function handlerSources(params: readonly PyMcpParam[], kind: PyMcpKind): Env {
  const env: Env = new Map();
  for (const p of params) {
    if (p.isContext) continue;
    const val = paramSource(p.schema.kind, p.name, SOURCE_KINDS[kind], p.node);
    const decl = p.node.parent;
    const constrained = val && decl ? fieldPatternKinds(decl) : [];
    if (val) env.set(p.name, constrained.length > 0 ? cleanFor(val, constrained) : val);
  }
  return env;
}

/** Source of a parameter by its schema kind: validated scalar kinds are not attacker text. */
function paramSource(schema: string, name: string, sourceKind: string, node: PyNode): Val | undefined {
  if (schema === 'integer' || schema === 'number' || schema === 'boolean' || schema === 'literal' || schema === 'enum' || schema === 'context') return undefined;
  const taint = sourceTaint(name, sourceKind, { file: node.source.file, span: node.span, message: `${sourceKind} '${name}'` });
  return { taint, ...(schema === 'object' || schema === 'unknown' ? { keyed: true } : {}) };
}

/** Key of an assignable expression: `x`, `self.root`, `args["path"]`. */
const alwaysRaisesCache = new WeakMap<PyNode, boolean>();

/**
 * Whether calling a function always raises: annotated `-> NoReturn` / `-> Never`, or a plain
 * (not async, not generator) function whose body ends in `raise` and holds no `return`
 * (nested functions and classes aside).
 */
function alwaysRaises(def: PyNode): boolean {
  let known = alwaysRaisesCache.get(def);
  if (known === undefined) {
    known = false;
    const body = def.child('body');
    const annotation = def.child('return_type')?.text.replace(/^typing\./, '');
    const isAsync = def.children.some((c) => !c.named && c.type === 'async');
    if (!isAsync && body) {
      if (annotation === 'NoReturn' || annotation === 'Never') known = true;
      else {
        const stmts = body.namedChildren.filter((c) => c.type !== 'comment');
        const last = stmts[stmts.length - 1];
        // `raise NotImplementedError` is a stub a subclass overrides: calling it does not end the branch.
        const stub = last?.type === 'raise_statement' && /^raise\s+NotImplemented(?:Error)?\b/.test(last.text);
        let escapes = false;
        walk(body, (n) => {
          if (escapes) return false;
          if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
          if (n.type === 'return_statement' || n.type === 'yield') escapes = true;
        });
        known = last?.type === 'raise_statement' && !stub && !escapes;
      }
    }
    alwaysRaisesCache.set(def, known);
  }
  return known;
}

/** Node types whose targets bind names (an assignment's left side, a loop or `with` variable, `:=`, `except ... as`). */
const BINDING_TYPES = ['assignment', 'augmented_assignment', 'for_statement', 'named_expression', 'as_pattern', 'import_from_statement', 'import_statement', 'global_statement', 'nonlocal_statement', 'delete_statement'];

/**
 * Whether code in `body` (nested functions, lambdas and classes left out: their names are their
 * own) may bind `name` anew: any binding statement whose target side mentions the name.
 */
function rebinds(body: PyNode, name: string): boolean {
  let found = false;
  walk(body, (n) => {
    if (found) return false;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (!BINDING_TYPES.includes(n.type)) return;
    // The target side: an assignment's or a loop's left, `:=`'s name, `with ... as` / `except ...
    // as`'s alias, or the whole statement (imports, `global`, `del`).
    const target =
      n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement'
        ? n.child('left')
        : n.type === 'named_expression'
          ? n.child('name')
          : n.type === 'as_pattern'
            ? n.child('alias')
            : n;
    if (target && mentions(target, name)) found = true;
  });
  return found;
}

function mentions(node: PyNode, name: string): boolean {
  let hit = false;
  walk(node, (n) => {
    if (hit) return false;
    if (n.type === 'identifier' && n.text === name) hit = true;
  });
  return hit;
}

/**
 * The key of a store into a request's state: `<x>["state"]["k"]` (an ASGI scope) or
 * `<x>.state.k` (a Starlette request); undefined for other targets.
 */
function requestStateKey(target: PyNode): string | undefined {
  if (target.type === 'subscript') {
    const holder = target.child('value');
    const key = target.child('subscript');
    const k = key ? stringValue(key) : undefined;
    if (k === undefined || holder?.type !== 'subscript') return undefined;
    const state = holder.child('subscript');
    return state && stringValue(state) === 'state' ? k : undefined;
  }
  if (target.type === 'attribute') {
    const holder = target.child('object');
    if (holder?.type !== 'attribute' || holder.child('attribute')?.text !== 'state') return undefined;
    return target.child('attribute')?.text;
  }
  return undefined;
}

/** `v` with `step` added to its taint and to that of each of its known fields. */
function withStepAll(v: Val, step: Step): Val {
  let out = v.taint ? withTaint(v, withStep(v.taint, step)) : v;
  if (v.fields) out = { ...out, fields: new Map([...v.fields].map(([k, f]) => [k, withStepAll(f, step)])) };
  return out;
}

/**
 * What the field `key` (`op.src`, `params["src"]`) holds in `env`, where no store to it was
 * seen: the field of its object when the object's fields are known, else the object's taint.
 * Undefined when the object is not bound here (a module global, `self`: read as before).
 */
function unstoredField(env: Env, key: string): Val | undefined {
  const m = /^(.*?)(?:\.([A-Za-z_]\w*)|\[("(?:[^"\\]|\\.)*"|\d+)\])$/.exec(key);
  if (!m) return undefined;
  const base = env.get(m[1]!) ?? unstoredField(env, m[1]!);
  if (!base) return undefined;
  const field = m[2] ?? (m[3]!.startsWith('"') ? (JSON.parse(m[3]!) as string) : m[3]!);
  const known = base.fields?.get(field);
  if (known) return known;
  return base.taint ? { taint: base.taint } : CLEAN;
}

export function lvalueKey(node: PyNode): string | undefined {
  const n = unparen(node);
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') {
    const obj = n.child('object');
    const base = obj ? lvalueKey(obj) : undefined;
    const attr = n.child('attribute')?.text;
    return base && attr ? `${base}.${attr}` : undefined;
  }
  if (n.type === 'subscript') {
    const obj = n.child('value');
    const base = obj ? lvalueKey(obj) : undefined;
    const idx = n.child('subscript');
    const lit = idx ? (stringValue(idx) ?? (idx.type === 'integer' ? idx.text : undefined)) : undefined;
    return base && lit !== undefined ? `${base}[${JSON.stringify(lit)}]` : undefined;
  }
  return undefined;
}

/** Strips calls that do not change what a guard is about (`str(x)`, `x.lower()`, `x.strip()`). */
function stripWrappers(node: PyNode, qualify: (n: PyNode | undefined) => string | undefined): PyNode {
  let n = unparen(node);
  for (let i = 0; i < 4 && n.type === 'call'; i++) {
    const fn = unparen(n.child('function') ?? n);
    const first = callArgs(n).positional[0];
    if (fn.type === 'attribute' && /^(?:lower|upper|strip|casefold|rstrip|lstrip)$/.test(fn.child('attribute')?.text ?? '')) n = unparen(fn.child('object')!);
    else if (first && ['str', 'int', 'os.fspath'].includes(qualify(fn) ?? '')) n = unparen(first);
    else break;
  }
  return n;
}

function listElements(call: PyNode): PyNode[] {
  const first = callArgs(call).positional[0];
  if (!first) return [];
  const f = unparen(first);
  return f.type === 'list' || f.type === 'tuple' ? f.namedChildren.filter((c) => c.type !== 'comment') : [];
}

/**
 * The kinds a value is safe for once it matched a regex (empty when the regex is no sanitiser):
 * it must be anchored at both ends and free of wildcards and negated classes.
 */
function regexKinds(pattern: string, how: 'fullmatch' | 'match' | 'search'): TaintKind[] {
  const full = how === 'fullmatch';
  const anchoredEnd = full || /(?:\\Z|\$)$/.test(pattern);
  // match/fullmatch anchor at the start by themselves; search needs `^` or `\A`.
  const anchoredStart = how !== 'search' || /^(?:\^|\\A)/.test(pattern);
  if (!anchoredEnd || !anchoredStart) return [];
  const body = pattern.replace(/^(?:\^|\\A)/, '');
  // Wildcards and negated classes let anything through; outside fullmatch, a top-level `|` anchors only one side.
  if (/(?<!\\)\.|\\[SWD]|\[\^/.test(body) || (!full && hasTopLevelAlternation(body))) return [];
  const kinds: TaintKind[] = ['sql', 'path', 'code', 'ssrf', 'timing'];
  // `$` also matches before a trailing newline, which a shell treats as a separator.
  if (full || /\\Z$/.test(pattern)) kinds.push('command');
  if (!firstAtomAllowsDash(body)) kinds.push('argument');
  // A value that cannot start with a separator or hold a '..' segment stays below the folder it
  // is joined to, slashes and all (arXiv's `hep-ph/9901234`); read from the pattern's structure,
  // or, for a pattern that does not parse as JavaScript, no '/' at all.
  if (!(regexKeepsPathInside(pattern, 'python') ?? !body.includes('/'))) kinds.splice(kinds.indexOf('path'), 1);
  return kinds;
}

/**
 * A pydantic constraint on a tool parameter (`Annotated[str, Field(pattern=...)]`,
 * `x: str = Field(pattern=...)`, `constr(pattern=...)`): FastMCP validates it before the
 * handler runs. Pydantic searches for the pattern, so it must be anchored.
 */
function fieldPatternKinds(decl: PyNode): TaintKind[] {
  let kinds: TaintKind[] = [];
  walk(decl, (n) => {
    if (n.type !== 'call') return true;
    const name = dottedName(n.child('function'))?.split('.').pop();
    if (name !== 'Field' && name !== 'constr' && name !== 'StringConstraints' && name !== 'Query' && name !== 'Path') return true;
    const args = callArgs(n);
    const pattern = stringValue(args.keywords.get('pattern') ?? args.keywords.get('regex'));
    if (pattern !== undefined) kinds = regexKinds(pattern, 'search');
    return false;
  });
  return kinds;
}

/** Whether a regex has a `|` outside groups and classes (`^a|b$` anchors each side once). */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

function firstAtomAllowsDash(body: string): boolean {
  if (body.startsWith('[')) {
    const end = body.indexOf(']', 1);
    const cls = body.slice(1, end < 0 ? undefined : end);
    return cls.startsWith('-') || cls.endsWith('-') || cls.includes('\\-');
  }
  if (body.startsWith('\\w') || body.startsWith('\\d') || /^[A-Za-z0-9]/.test(body)) return false;
  return true;
}

/** The name an expression reads: `x`, `o.x`, `f()` or `o.f()` give `x` or `f`; '' otherwise. */
function pyNameOf(node: PyNode): string {
  let n: PyNode | undefined = unparen(node);
  if (n?.type === 'await') n = n.namedChildren[0] ? unparen(n.namedChildren[0]) : undefined;
  if (n?.type === 'call') n = n.child('function') ?? undefined;
  if (n?.type === 'identifier') return n.text;
  if (n?.type === 'attribute') return n.child('attribute')?.text ?? '';
  return '';
}

/**
 * The parameters defaulting to None that a call passes an argument that cannot be None
 * (`neverNone`), by position or keyword; undefined when there are none.
 */
function passedNotNone(params: readonly PyParam[], args: CallArgs): Set<string> | undefined {
  let out: Set<string> | undefined;
  const notNone = (n: PyNode | undefined) => n !== undefined && neverNone(n);
  params.forEach((p, i) => {
    if (p.splat || !p.defaultValue || unparen(p.defaultValue).type !== 'none') return;
    const given = args.keywords.get(p.name) ?? (i < args.positional.length && args.splats.length === 0 ? args.positional[i] : undefined);
    if (notNone(given)) (out ??= new Set()).add(p.name);
  });
  return out;
}

/**
 * An argument that cannot be None: a literal, an f-string, a concatenation or other operation, a
 * container, a conversion (`str(x)`, `Path(x)`, `os.path.join(...)`), or the `name` of a temporary
 * file made in the same function (`tmp = tempfile.NamedTemporaryFile(...)`, then `tmp.name`). A
 * name or other call may hold None (`convert(path, output)` forwarding an optional): not this.
 */
function neverNone(node: PyNode): boolean {
  const n = unparen(node);
  if (/^(?:string|concatenated_string|integer|float|true|false|binary_operator|list|dict|set|tuple|list_comprehension|dictionary_comprehension|set_comprehension)$/.test(n.type)) return true;
  if (n.type === 'call') return /^(?:str|int|float|bytes|Path|PurePath|os\.path\.(?:join|abspath|realpath|normpath|expanduser|basename|dirname)|os\.getcwd|tempfile\.mkdtemp|tempfile\.gettempdir)$/.test(dottedName(n.child('function')) ?? '');
  if (n.type === 'attribute' && n.child('attribute')?.text === 'name' && n.child('object')?.type === 'identifier') {
    const obj = n.child('object')!.text;
    const home = enclosingFunction(n);
    let temp = false;
    if (home) {
      walkTypes(home, ['assignment'], (a) => {
        if (a.start >= n.start) return false;
        const right = a.child('right');
        if (a.child('left')?.text === obj && right?.type === 'call' && /^tempfile\.(?:NamedTemporaryFile|TemporaryFile|SpooledTemporaryFile)$/.test(dottedName(right.child('function')) ?? '')) temp = true;
        return true;
      });
    }
    return temp;
  }
  return false;
}

/**
 * Whether `X is None` (true) or `X is not None` (false) is known to be false / true: X is a
 * parameter the call gave a value (Frame.passed) and is not assigned in the function before the
 * test. The branch the test rules out does not run. Undefined otherwise.
 */
function noneTestOfPassed(cond: PyNode, stmt: PyNode, frame: Frame): boolean | undefined {
  const c = unparen(cond);
  if (c.type !== 'comparison_operator' || c.namedChildren.length !== 2) return undefined;
  const [left, right] = c.namedChildren.map(unparen) as [PyNode, PyNode];
  const op = c.text.slice(left.end - c.start, right.start - c.start).trim().replace(/\s+/g, ' ');
  if (left.type !== 'identifier' || right.type !== 'none' || (op !== 'is' && op !== 'is not')) return undefined;
  if (!frame.passed?.has(left.text) || !frame.fn) return undefined;
  let assigned = false;
  walkTypes(frame.fn, ['assignment', 'augmented_assignment', 'named_expression'], (a) => {
    if (a.start >= stmt.start || assigned) return false;
    const target = a.child('left') ?? a.child('name');
    if (target?.text === left.text) assigned = true;
    return true;
  });
  if (assigned) return undefined;
  // The test is false for `is`: the then-branch is ruled out (false); for `is not` it is true.
  return op === 'is not';
}

function displayReceiver(node: PyNode | undefined): string {
  if (!node) return '';
  const n = unparen(node);
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return n.child('attribute')?.text ?? 'obj';
  if (n.type === 'call') return `${displayReceiver(n.child('function'))}()`;
  if (n.type === 'await') return displayReceiver(n.namedChildren[0]);
  return shortText(n);
}

function shortText(node: PyNode): string {
  const t = node.text.replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function bytesValue(node: PyNode): string | undefined {
  const n = unparen(node);
  if (n.type !== 'string' || !/b/i.test(n.children[0]?.text ?? '')) return undefined;
  return n.children.filter((c) => c.type === 'string_content').map((c) => c.text).join('');
}

function isNoneLike(node: PyNode): boolean {
  const n = unparen(node);
  return n.type === 'none' || n.type === 'true' || n.type === 'false' || n.type === 'integer';
}

/** Standard-library and third-party roots never resolved as local modules. */
function isExternal(qualified: string): boolean {
  if (qualified.startsWith('.')) return false;
  const dot = qualified.indexOf('.');
  const root = dot < 0 ? qualified : qualified.slice(0, dot);
  return STDLIB_ROOTS.has(root);
}
const STDLIB_ROOTS = new Set([
  'os', 'sys', 'subprocess', 'asyncio', 'shlex', 'json', 're', 'pathlib', 'shutil', 'sqlite3', 'typing', 'hmac',
  'secrets', 'hashlib', 'urllib', 'http', 'io', 'logging', 'collections', 'functools', 'itertools', 'dataclasses',
  'enum', 'datetime', 'time', 'tempfile', 'glob', 'base64', 'uuid', 'mcp', 'fastmcp', 'pydantic', 'starlette',
  'fastapi', 'flask', 'requests', 'httpx', 'aiohttp', 'sqlalchemy', 'psycopg', 'psycopg2', 'asyncpg', 'aiosqlite',
  'pymysql', 'anyio', 'uvicorn', 'builtins', 'codecs', 'contextlib', 'abc', 'math', 'random', 'string', 'textwrap',
  'traceback', 'inspect', 'types', 'copy', 'pickle', 'zipfile', 'tarfile', 'csv', 'argparse', 'platform', 'signal',
  'threading', 'multiprocessing', 'concurrent', 'socket', 'ssl', 'email', 'html', 'xml', 'urllib3', 'aiofiles',
  'dotenv', 'yaml', 'toml', 'tomllib', 'werkzeug', 'jinja2', 'numpy', 'pandas', 'boto3', 'botocore', 'pexpect',
  'paramiko', 'ipaddress', 'posixpath', 'ntpath', 'operator', 'warnings', 'weakref', 'heapq', 'bisect', 'decimal',
]);

function isStatement(n: PyNode): boolean {
  return /_statement$|^(?:function_definition|class_definition|decorated_definition|block)$/.test(n.type);
}

/** Every function definition in the tree, outermost first. */
function classOf(def: PyNode): PyNode | undefined {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  if (p?.type === 'block' && p.parent?.type === 'class_definition') return p.parent;
  return undefined;
}

/**
 * The class whose methods `self.x()` names in a function: its own class, or for a function
 * nested in a method (a handler decorated inside `__init__`), the method's, whose `self` it sees.
 */
function selfClassOf(def: PyNode): PyNode | undefined {
  const own = classOf(def);
  if (own) return own;
  let outer = def.parent;
  for (let i = 0; outer && i < 8; i++, outer = outer.parent) {
    if (outer.type !== 'function_definition') continue;
    const cls = classOf(outer);
    const first = functionParams(outer)[0]?.name;
    const shadowed = functionParams(def).some((p) => p.name === first);
    return cls && first && !shadowed ? cls : undefined;
  }
  return undefined;
}

function isInstanceMethod(def: PyNode): boolean {
  const decos = decoratorsOf(def).map((d) => d.text);
  if (decos.includes('staticmethod')) return false;
  return true;
}

/** Whether a class of the project is a pydantic model: BaseModel (or RootModel) among its bases, here or through a base of its module. */
function isPydanticModel(cls: PyNode, module: ModuleInfo, depth: number): boolean {
  for (const b of cls.child('superclasses')?.namedChildren ?? []) {
    const name = dottedName(b);
    if (!name) continue;
    if (/(?:^|\.)(?:BaseModel|RootModel|BaseSettings)$/.test(name)) return true;
    const base = module.classes.get(name);
    if (base && base !== cls && depth < 4 && isPydanticModel(base, module, depth + 1)) return true;
  }
  return false;
}

/** The annotated declaration of a field (`name: T = ...`) in a class or a base of its module. */
function fieldOf(cls: PyNode, name: string, module: ModuleInfo, depth: number): PyNode | undefined {
  for (const stmt of cls.child('body')?.namedChildren ?? []) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type === 'assignment' && a.child('type') && a.child('left')?.text === name) return a;
  }
  if (depth >= 4) return undefined;
  for (const b of cls.child('superclasses')?.namedChildren ?? []) {
    const base = module.classes.get(dottedName(b) ?? '');
    const found = base && base !== cls ? fieldOf(base, name, module, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** Whether a function assigns a name of its own (`name = {}` without `global name`). */
function bindsLocally(def: PyNode, name: string): boolean {
  let local = false;
  let global = false;
  walk(def.child('body') ?? def, (n) => {
    if (n.type === 'function_definition' || n.type === 'class_definition') return false;
    if (n.type === 'global_statement' && n.namedChildren.some((c) => c.text === name)) global = true;
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier' && n.child('left')?.text === name) local = true;
    return true;
  });
  return local && !global;
}

/**
 * The table attribute a method stores one of its parameters into (`self.handlers[key] = fn`,
 * `self.tools.append(tool)`), with that parameter's index after `self`.
 */
function storedAttribute(def: PyNode): { attr: string; at: number } | undefined {
  const params = functionParams(def).map((p) => p.name);
  const self = params[0];
  if (!self) return undefined;
  let found: { attr: string; at: number } | undefined;
  walk(def.child('body') ?? def, (n) => {
    if (found) return false;
    const target = n.type === 'assignment' ? n.child('left')?.child('value') : n.type === 'call' ? n.child('function')?.child('object') : undefined;
    if (target?.type !== 'attribute' || target.child('object')?.text !== self) return true;
    const stored = storedInto(n, target.text);
    const at = stored?.type === 'identifier' ? params.indexOf(stored.text) : -1;
    const attr = target.child('attribute')?.text;
    if (at > 0 && attr) found = { attr, at: at - 1 };
    return true;
  });
  return found;
}

/** The node of the first element of an argument vector written as `[cmd, ...]` or `[cmd] + args`. */
function firstElementNode(node: PyNode): PyNode | undefined {
  const n = unparen(node);
  if (n.type === 'list' || n.type === 'tuple') return n.namedChildren.find((c) => c.type !== 'comment');
  if (n.type === 'binary_operator' && n.child('operator')?.text === '+') {
    const left = n.child('left');
    return left ? firstElementNode(left) : undefined;
  }
  return undefined;
}

/** `x` of `x[0] == "-"` / `x[:1] == "-"` (its first character compared with a dash). */
/** `name.startswith(...)`, `check(name)` or `not check(name)`: a test of that one variable. */
function checksOnly(test: PyNode, name: string): boolean {
  let t = unparen(test);
  if (t.type === 'not_operator') t = unparen(t.child('argument') ?? t);
  if (t.type !== 'call') return false;
  const fn = unparen(t.child('function') ?? t);
  if (fn.type === 'attribute') return fn.child('object')?.text === name;
  const args = callArgs(t);
  return args.positional.length === 1 && args.keywords.size === 0 && args.positional[0]!.text === name;
}

function leadingCharOf(side: PyNode, other: PyNode): PyNode | undefined {
  if (stringValue(other) !== '-') return undefined;
  const s = unparen(side);
  if (s.type !== 'subscript') return undefined;
  const index = s.child('subscript');
  const first = index?.type === 'integer' ? index.text === '0' : index?.type === 'slice' && /^:\s*1$/.test(index.text);
  return first ? (s.child('value') ?? undefined) : undefined;
}

/**
 * Whether one pass of a loop body screened the loop variable for options: tainted for the
 * argument kind when bound, clean of it wherever the body falls through, with no `break` or
 * `continue` letting an element past the screen and no assignment replacing the variable.
 */
function screensElements(left: PyNode, body: PyNode, element: Val, after: Env): boolean {
  if (left.type !== 'identifier' || !isTainted(element, 'argument') || isTainted(after.get(left.text), 'argument')) return false;
  let escapes = false;
  walk(body, (n) => {
    if (escapes || /^(?:function_definition|class_definition|lambda|for_statement|while_statement)$/.test(n.type)) return false;
    if (n.type === 'break_statement' || n.type === 'continue_statement') escapes = true;
    if ((n.type === 'assignment' || n.type === 'augmented_assignment') && n.child('left')?.text === left.text) escapes = true;
    return !escapes;
  });
  return !escapes;
}

/**
 * The values the methods of a class store into its own tables, by attribute: `self.x[k] = v`,
 * `self.x.append(v)`, and the arguments of `self.m(...)` where `m` (looked up by `method`)
 * stores a parameter into `self.x`.
 */
function selfStoresOf(cls: PyNode, method: (name: string) => PyNode | undefined): Map<string, { value: PyNode; key?: string }[]> {
  const out = new Map<string, { value: PyNode; key?: string }[]>();
  const add = (attr: string, value: PyNode | undefined, key?: string) => {
    if (!value) return;
    let list = out.get(attr);
    if (!list) out.set(attr, (list = []));
    list.push({ value, ...(key !== undefined ? { key } : {}) });
  };
  const storers = new Map<string, { attr: string; at: number } | undefined>();
  walk(cls.child('body') ?? cls, (n) => {
    if (n.type === 'class_definition' && n !== cls) return false;
    const target = n.type === 'assignment' ? n.child('left')?.child('value') : n.type === 'call' ? n.child('function')?.child('object') : undefined;
    if (target?.type === 'attribute' && target.child('object')?.text === 'self') {
      const stored = storedInto(n, target.text);
      const attr = target.child('attribute')?.text;
      if (stored && attr) add(attr, stored, n.type === 'assignment' ? stringValue(n.child('left')?.child('subscript')) : undefined);
      return true;
    }
    const fn = n.type === 'call' ? n.child('function') : undefined;
    if (fn?.type === 'attribute' && fn.child('object')?.text === 'self') {
      const name = fn.child('attribute')?.text ?? '';
      if (!storers.has(name)) {
        const def = method(name);
        storers.set(name, def && isInstanceMethod(def) ? storedAttribute(def) : undefined);
      }
      const store = storers.get(name);
      if (store) add(store.attr, callArgs(n).positional[store.at]);
    }
    return true;
  });
  return out;
}

/**
 * The fields a dataclass or a NamedTuple takes positionally, in the order its body declares
 * them (`url: str`, `token: str = ""`); undefined for other classes, and for classes with other
 * bases (whose own fields would come first), whose order the analysis does not know.
 */
function positionalFields(cls: PyNode): readonly string[] | undefined {
  const bases = cls.child('superclasses')?.namedChildren.filter((b) => b.type !== 'comment') ?? [];
  const namedTuple = bases.length === 1 && /^(?:typing\.)?NamedTuple$/.test(bases[0]!.text);
  const dataclass = decoratorsOf(cls).some((d) => /^(?:dataclasses\.)?dataclass\b/.test(d.text) && !/\bkw_only\s*=\s*True\b/.test(d.text));
  if (!(namedTuple || (dataclass && bases.length === 0))) return undefined;
  const out: string[] = [];
  for (const st of cls.child('body')?.namedChildren ?? []) {
    const a = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (a?.type !== 'assignment' || !a.child('type')) continue;
    const left = a.child('left');
    const type = a.child('type')!.text;
    if (left?.type !== 'identifier' || /^(?:typing\.)?ClassVar\b/.test(type)) continue;
    // Fields after `_: KW_ONLY` are keyword-only. An `InitVar` takes a place but is no field, and
    // `field(init=False)` none: the analysis does not place the arguments then.
    if (/^(?:dataclasses\.)?KW_ONLY$/.test(type)) break;
    if (/^(?:dataclasses\.)?InitVar\b/.test(type) || /\binit\s*=\s*False\b/.test(a.child('right')?.text ?? '')) return undefined;
    out.push(left.text);
  }
  return out;
}

/** Whether a value is SQL taint at a sink; `strict`: a backslash-escaping dialect's, where quote doubling is no escape (QUOTE_DOUBLED). */
function isSqlTaint(v: Val, strict: boolean): boolean {
  return isTainted(strict ? unquoteDoubled(v) : v, 'sql');
}

/** The value as a sink in a backslash-escaping SQL dialect sees it: quote doubling is no escape there (QUOTE_DOUBLED). */
function unquoteDoubled(v: Val): Val {
  const t = v.taint;
  if (!t) return v;
  const strip = (clean: ReadonlySet<TaintKind> | undefined) => {
    if (!clean?.has(QUOTE_DOUBLED)) return clean;
    const out = new Set(clean);
    out.delete('sql');
    return out;
  };
  const clean = strip(t.clean) ?? t.clean;
  const origins = t.origins.map((o) => (o.clean?.has(QUOTE_DOUBLED) ? withOriginClean(o, strip(o.clean)) : o));
  return withTaint(v, { ...t, clean, origins });
}
