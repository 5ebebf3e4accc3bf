import { detach } from '../text';
import type { Span } from '../types';
import {
  callArgs,
  decoratorsOf,
  docstring,
  dottedName,
  functionParams,
  identifiersIn,
  methodOf,
  nodesOfType,
  nodesOfTypes,
  stringValue,
  unparen,
  walk,
  type PyNode,
  type PyParam,
  type PySource,
} from './ast';
import type { ImportBinding, ImportTable } from './names';
import type { ResolvedImport } from './modules';
import { nameTable } from '../tables';

/**
 * What the Python engine knows about the MCP server(s) defined in one file (contract 3):
 * server constructions, registered tools/prompts/resources with their descriptions and
 * parameters, low-level handlers, and transports. Built syntactically from one file.
 */
export interface PyMcpModel {
  readonly servers: readonly PyMcpServer[];
  /** Every registered tool, prompt and resource, in source order. */
  readonly registrations: readonly PyMcpRegistration[];
  /** Registrations of kind `tool`. */
  readonly tools: readonly PyMcpRegistration[];
  readonly transports: readonly PyMcpTransport[];
  /** Low-level `@server.call_tool()` / `get_prompt` / `read_resource` handlers. */
  readonly lowLevelHandlers: readonly LowLevelHandler[];
  /**
   * Tools, prompts and resources registered with a function imported from another module
   * (`mcp.add_tool(grep)` after `from .tools import grep`): the taint analysis loads it.
   */
  readonly importedHandlers: readonly PyImportedHandler[];
  /** Whether the file looks like an MCP server at all (imports `mcp`/`fastmcp` or registers handlers). */
  readonly isMcpFile: boolean;
  /** The registration whose handler contains the node or offset (innermost), if any. */
  handlerOf(nodeOrOffset: PyNode | number): PyMcpRegistration | undefined;
  /** Whether the node or offset lies inside a tool/prompt/resource handler (incl. low-level ones). */
  isInHandler(nodeOrOffset: PyNode | number): boolean;
}

export type PyMcpServerFlavor = 'fastmcp' | 'lowlevel';

/** `mcp = FastMCP("name", instructions=...)` or `server = Server("name")`. */
export interface PyMcpServer {
  /** Name the server object is bound to (`mcp`, `app`, `self.mcp`), if assigned. */
  readonly variable?: string;
  /**
   * Qualified constructor (`mcp.server.fastmcp.FastMCP`, `fastmcp.FastMCP`, `mcp.server.lowlevel.Server`);
   * for an instance of a subclass of FastMCP, the FastMCP it derives from.
   */
  readonly constructorName: string;
  readonly flavor: PyMcpServerFlavor;
  readonly call: PyNode;
  readonly span: Span;
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly instructions?: string;
  readonly instructionsSpan?: Span;
  /** Keyword arguments by name (`host`, `port`, `auth`, `stateless_http`, ...), as nodes. */
  readonly keywords: ReadonlyMap<string, PyNode>;
}

export type PyMcpKind = 'tool' | 'prompt' | 'resource';

/** What a parameter's annotation guarantees (FastMCP validates arguments with pydantic). */
export interface PySchema {
  readonly kind: PySchemaKind;
  /** `literal` / `enum`: the allowed values where they are literals. */
  readonly values?: readonly string[];
  /** Has a default or is `Optional[...]` / `... | None`. */
  readonly optional: boolean;
  /** The annotation node. */
  readonly node?: PyNode;
}

export type PySchemaKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'literal'
  | 'enum'
  | 'array'
  | 'object'
  | 'context'
  | 'unknown';

/** One parameter of a handler, as the client sees it. */
export interface PyMcpParam {
  readonly name: string;
  readonly span: Span;
  readonly node: PyNode;
  /** Source text of the annotation. */
  readonly annotation?: string;
  readonly schema: PySchema;
  readonly description?: string;
  readonly descriptionSpan?: Span;
  /** Whether the handler body reads the parameter (false for unused, exfiltration-shaped ones). */
  readonly read: boolean;
  /** A FastMCP `Context` (or `ctx`) parameter: injected by the framework, not client data. */
  readonly isContext: boolean;
}

/** A registered tool, prompt or resource. */
export interface PyMcpRegistration {
  readonly kind: PyMcpKind;
  readonly idiom: 'decorator' | 'add-call' | 'lowlevel';
  /** Registered name: `name=` if given, else the function name (FastMCP's default). */
  readonly name: string;
  /** Span of the `name=` string, or of the function name when the name is implicit. */
  readonly nameSpan: Span;
  /** Resource URI / template (`file://{path}`), for resources. */
  readonly uri?: string;
  readonly uriSpan?: Span;
  /** Effective description: `description=` if given, else the handler's docstring. */
  readonly description?: string;
  /** Spans of every description text (the `description=` string, the docstring). */
  readonly descriptionSpans: readonly Span[];
  readonly params: readonly PyMcpParam[];
  /** Whether the parameters are known (false when a low-level `inputSchema` is not a literal). */
  readonly paramsKnown: boolean;
  /** The handler `function_definition`; undefined for a low-level `Tool(...)` declaration. */
  readonly handler?: PyNode;
  readonly handlerSpan?: Span;
  /** The decorator, `add_tool(...)` call or `Tool(...)` construction. */
  readonly call: PyNode;
  readonly callSpan: Span;
  /** Source text of the server object (`mcp` in `@mcp.tool()`), if any. */
  readonly receiver?: string;
  readonly server?: PyMcpServer;
}

/** A registration whose handler is a name imported from another module (see PyMcpModel.importedHandlers). */
export interface PyImportedHandler {
  readonly kind: PyMcpKind;
  /** The argument naming the function: `grep` or `tools.grep`. */
  readonly ref: PyNode;
  /** The `add_tool(...)` call or the `mcp.tool(...)` of `mcp.tool(...)(grep)`. */
  readonly call: PyNode;
  readonly receiver?: string;
  readonly server?: PyMcpServer;
}

/** What a registration's argument denotes: a function of the file, or a name imported from another module. */
type HandlerTarget =
  | { readonly def: PyNode; readonly options?: PyNode; readonly ref?: undefined }
  | { readonly def?: undefined; readonly ref: PyNode };

export type PyTransportKind = 'stdio' | 'streamable-http' | 'sse';

/** A transport the server is started with. */
export interface PyMcpTransport {
  readonly kind: PyTransportKind;
  readonly node: PyNode;
  readonly span: Span;
  /** Host it binds to, when a literal is given (`mcp.run(..., host="0.0.0.0")`, `uvicorn.run(app, host=...)`). */
  readonly host?: string;
  readonly hostSpan?: Span;
}

const FASTMCP_CONSTRUCTORS = new Set([
  'mcp.server.FastMCP',
  'mcp.server.fastmcp.FastMCP',
  'mcp.server.fastmcp.server.FastMCP',
  'fastmcp.FastMCP',
  'fastmcp.server.FastMCP',
  'fastmcp.server.server.FastMCP',
  'FastMCP',
]);
const LOWLEVEL_CONSTRUCTORS = new Set([
  'mcp.server.lowlevel.Server',
  'mcp.server.lowlevel.server.Server',
  'mcp.server.Server',
]);

const DECORATOR_KINDS: Readonly<Record<string, PyMcpKind>> = nameTable({
  tool: 'tool',
  prompt: 'prompt',
  resource: 'resource',
});
/**
 * Decorators that declare a tool without a server object in the file: FastMCP 3's standalone
 * `@tool` (picked up by FileSystemProvider) and the contrib MCPMixin's `@mcp_tool` (its
 * register_all registers the methods), by their qualified import names.
 */
const STANDALONE_DECORATORS: ReadonlyMap<string, PyMcpKind> = new Map([
  ['fastmcp.tools.tool', 'tool'],
  ['fastmcp.tools.tool.tool', 'tool'],
  ['fastmcp.prompts.prompt', 'prompt'],
  ['fastmcp.prompts.prompt.prompt', 'prompt'],
  ['fastmcp.resources.resource', 'resource'],
  ['fastmcp.resources.resource.resource', 'resource'],
  ['fastmcp.contrib.mcp_mixin.mcp_tool', 'tool'],
  ['fastmcp.contrib.mcp_mixin.mcp_prompt', 'prompt'],
  ['fastmcp.contrib.mcp_mixin.mcp_resource', 'resource'],
  ['fastmcp.contrib.mcp_mixin.mcp_mixin.mcp_tool', 'tool'],
  ['fastmcp.contrib.mcp_mixin.mcp_mixin.mcp_prompt', 'prompt'],
  ['fastmcp.contrib.mcp_mixin.mcp_mixin.mcp_resource', 'resource'],
]);
const ADD_CALL_KINDS: Readonly<Record<string, PyMcpKind>> = nameTable({
  add_tool: 'tool',
  add_prompt: 'prompt',
  add_resource_fn: 'resource',
});
/** Methods of a server object that start a transport (see transportOf). */
const TRANSPORT_METHODS: ReadonlySet<string> = new Set([
  'run',
  'run_async',
  'run_stdio_async',
  'run_sse_async',
  'sse_app',
  'run_streamable_http_async',
  'streamable_http_app',
  'http_app',
  'run_http_async',
]);
/** Low-level `Server` decorators whose handler receives client data. */
export const LOWLEVEL_HANDLER_DECORATORS: ReadonlySet<string> = new Set([
  'call_tool',
  'get_prompt',
  'read_resource',
  'complete',
]);

/** SDK v2's low-level Server constructor keywords naming a handler that receives client data. */
const V2_HANDLER_KEYWORDS: readonly (readonly [string, string])[] = [
  ['on_call_tool', 'call_tool'],
  ['on_get_prompt', 'get_prompt'],
  ['on_read_resource', 'read_resource'],
  ['on_complete', 'complete'],
];

/** Qualified callees of low-level tool, prompt and resource declarations (`types.Tool(...)`). */
const DECLARATION_CALL = /(?:^|\.)(?:types\.)?(Tool|Prompt|Resource)$/;

/** Names that plausibly hold a server object even when its construction is in another module. */
const SERVER_NAME = /^(?:mcp|server|app|mcp_server|mcp_app|self\.mcp|self\.server)$/i;

/** Resolves an import binding of a module to a project module (the engine's ModuleLoader). */
export type PyBindingResolver = (fromFile: string, binding: ImportBinding) => ResolvedImport | undefined;

/** Where a class name is looked up: a module's top-level classes and its imports. */
interface ClassScope {
  readonly file: string;
  readonly classOf: (name: string) => PyNode | undefined;
  readonly imports: ImportTable;
}

/**
 * The FastMCP a class derives from, by its qualified name: `class Mine(FastMCP)` in the module,
 * or a class of a project module it imports (mcp-atlassian's `ErrorPreservingFastMCP` from
 * `servers/error_handling.py`), through up to four levels of subclassing.
 */
function fastMcpBase(name: string, scope: ClassScope, resolve: PyBindingResolver | undefined, depth = 0): string | undefined {
  const q = scope.imports.qualifyName(name);
  if (FASTMCP_CONSTRUCTORS.has(q)) return q;
  if (depth >= 4) return undefined;
  const dot = name.indexOf('.');
  const cls = dot < 0 ? scope.classOf(name) : undefined;
  if (cls) {
    for (const written of cls.child('superclasses')?.namedChildren ?? []) {
      // `FastMCP[LifespanResultT]`: the generic class itself.
      const base = written.type === 'subscript' ? written.child('value') : written;
      const baseName = base?.type === 'identifier' || base?.type === 'attribute' ? dottedName(base) : undefined;
      const found = baseName ? fastMcpBase(baseName, scope, resolve, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  // `from .base import Mine` / `import base` then `base.Mine`: the class in that module.
  const binding = resolve ? scope.imports.bindings.get(dot < 0 ? name : name.slice(0, dot)) : undefined;
  if (!binding || (dot < 0) === (binding.member === undefined) || name.indexOf('.', dot + 1) > 0) return undefined;
  const r = resolve!(scope.file, binding);
  const member = dot < 0 ? r?.member : r && !r.member ? name.slice(dot + 1) : undefined;
  if (!r || !member || !r.module.classes.has(member)) return undefined;
  const m = r.module;
  return fastMcpBase(member, { file: m.source.file, classOf: (n) => m.classes.get(n), imports: m.imports }, resolve, depth + 1);
}

/**
 * Builds the MCP model of one file. Never throws on odd syntax. With `resolve`, an instance of a
 * subclass of FastMCP defined in a project module the file imports is a server too.
 */
export function buildMcpModel(source: PySource, imports: ImportTable, resolve?: PyBindingResolver): PyMcpModel {
  const servers: PyMcpServer[] = [];
  const registrations: PyMcpRegistration[] = [];
  const transports: PyMcpTransport[] = [];
  const functions = new Map<string, PyNode>();
  const serverByVar = new Map<string, PyMcpServer>();
  const lowLevelHandlers: LowLevelHandler[] = [];
  const importedHandlers: PyImportedHandler[] = [];
  const servedHosts: PyNode[] = [];

  // Calls and function definitions in document order: all the passes below look at.
  const defsAndCalls = nodesOfTypes(source, ['function_definition', 'call']);

  const scope: ClassScope = { file: source.file, classOf: (name) => topLevelClass(source, name), imports };
  /**
   * The FastMCP a construction's class derives from. Only a capitalised name (a class, by
   * convention) is followed into imported modules: each such import is a look-up of files.
   */
  const subclassOf = (call: PyNode): string | undefined => {
    const callee = dottedName(unparen(call.child('function') ?? call));
    if (!callee || !/^[A-Z]/.test(callee.slice(callee.lastIndexOf('.') + 1))) return undefined;
    return fastMcpBase(callee, scope, resolve);
  };

  /** `Tool(...)`-like calls with their qualified callee, for the low-level declarations below. */
  const declarationCalls: { call: PyNode; q: string }[] = [];

  // Pass 1: server constructions and top-level function definitions.
  for (const n of defsAndCalls) {
    if (n.type === 'function_definition') {
      const name = n.child('name')?.text;
      if (name && !functions.has(name)) functions.set(name, n);
    }
    if (n.type !== 'call') continue;
    const written = imports.qualify(n.child('function'));
    if (!written) continue;
    if (DECLARATION_CALL.test(written)) declarationCalls.push({ call: n, q: written });
    const ctor = FASTMCP_CONSTRUCTORS.has(written) ? written : (subclassOf(n) ?? written);
    const flavor: PyMcpServerFlavor | undefined = FASTMCP_CONSTRUCTORS.has(ctor)
      ? 'fastmcp'
      : LOWLEVEL_CONSTRUCTORS.has(ctor) || (ctor === 'Server' && imports.importsModule('mcp'))
        ? 'lowlevel'
        : undefined;
    if (!flavor) continue;
    const args = callArgs(n);
    const nameNode = args.keywords.get('name') ?? args.positional[0];
    const instrNode = args.keywords.get('instructions') ?? (flavor === 'fastmcp' ? args.positional[1] : undefined);
    const name = stringValue(nameNode);
    const instructions = stringValue(instrNode);
    const variable = assignedName(n);
    const server: PyMcpServer = {
      ...(variable ? { variable } : {}),
      constructorName: ctor,
      flavor,
      call: n,
      span: n.span,
      ...(name !== undefined && nameNode ? { name, nameSpan: nameNode.span } : {}),
      ...(instructions !== undefined && instrNode ? { instructions, instructionsSpan: instrNode.span } : {}),
      keywords: args.keywords,
    };
    servers.push(server);
    if (variable) serverByVar.set(variable, server);
  }

  // SDK v2's low-level Server takes its handlers as constructor keywords (`Server("pandoc",
  // on_call_tool=call_tool)`, vivekVells/mcp-pandoc); each gets `(ctx, params)`.
  for (const server of servers) {
    if (server.flavor !== 'lowlevel') continue;
    for (const [keyword, method] of V2_HANDLER_KEYWORDS) {
      const value = server.keywords.get(keyword);
      const ref = value ? unparen(value) : undefined;
      const def = ref?.type === 'identifier' ? functions.get(ref.text) : undefined;
      if (def && value) lowLevelHandlers.push({ method, handler: def, decorator: value, server, withParams: true });
    }
  }

  const isServerObject = (node: PyNode | undefined): PyMcpServer | undefined | null => {
    const name = dottedName(node);
    if (!name) return null;
    const known = serverByVar.get(name);
    if (known) return known;
    // A server imported from a sibling module (`from .app import mcp`) or named like one;
    // `import uvicorn` binds a module, never a server.
    const dot = name.indexOf('.');
    const binding = imports.bindings.get(dot < 0 ? name : name.slice(0, dot));
    if (binding && binding.member === undefined) return null;
    if (binding || SERVER_NAME.test(name)) return undefined;
    return null;
  };

  /**
   * The functions a registration's argument denotes (`at`: the registering call): a function of
   * the file, a method of the enclosing class (`self.run`), an import, each function of a loop
   * over a list of them (`for fn in (ping, dig): mcp.add_tool(fn)`), the function of a
   * `Tool.from_function(fn, name=...)` (its keywords name the tool: `options`), or the function
   * a wrapper of this file is applied to (`handle_errors(fn)`).
   */
  const handlerTargets = (target: PyNode, at: PyNode, options?: PyNode, depth = 0): HandlerTarget[] => {
    const t = unparen(target);
    const withOptions = options ? { options } : {};
    if (t.type === 'identifier') {
      const def = functions.get(t.text);
      if (def) return [{ def, ...withOptions }];
      const binding = imports.bindings.get(t.text);
      if (binding) return binding.member !== undefined ? [{ ref: t }] : [];
      if (depth > 0) return [];
      return loopValues(t.text, at).flatMap((e) => handlerTargets(e, at, options, depth + 1));
    }
    if (t.type === 'attribute') {
      const obj = t.child('object');
      const attr = t.child('attribute')?.text;
      if (obj?.type !== 'identifier' || !attr) return [];
      if (obj.text === 'self' || obj.text === 'cls') {
        const cls = enclosingClass(at);
        if (!cls) return [];
        // A base class registering `self.execute`: each subclass of the module registers its own.
        const defs: PyNode[] = [];
        for (const c of [cls, ...subclassesOf(cls)]) {
          const def = c === cls ? inheritedMethodOf(c, attr) : methodOf(c, attr);
          if (def && !defs.includes(def)) defs.push(def);
        }
        return defs.map((def) => ({ def, ...withOptions }));
      }
      // `tools.grep` with `tools` an imported module.
      if (imports.bindings.has(obj.text)) return [{ ref: t }];
      // `tool.execute` with `tool = LsTool()` at the top level or a loop over such objects:
      // the method of each object's class (or of a base of the module).
      const objects = loopValues(obj.text, at);
      const made = objects.length > 0 ? objects : [moduleConstant(obj)].filter((v): v is PyNode => !!v);
      const defs: PyNode[] = [];
      for (const o of made) {
        const ctor = unparen(o);
        const callee = ctor.type === 'call' ? unparen(ctor.child('function') ?? ctor) : undefined;
        const cls = callee?.type === 'identifier' ? topLevelClass(callee.source, callee.text) : undefined;
        const def = cls ? inheritedMethodOf(cls, attr) : undefined;
        if (def && !defs.includes(def)) defs.push(def);
      }
      return defs.map((def) => ({ def, ...withOptions }));
    }
    if (t.type !== 'call' || depth > 1) return [];
    const callee = unparen(t.child('function') ?? t);
    const args = callArgs(t);
    if (callee.type === 'attribute' && nameOf(callee.child('attribute')) === 'from_function') {
      const fn = args.keywords.get('fn') ?? args.positional[0];
      return fn ? handlerTargets(fn, at, t, depth + 1) : [];
    }
    // A decorator of this file applied by hand: FastMCP reads the wrapped function's signature.
    if (callee.type === 'identifier' && functions.has(callee.text) && args.positional.length === 1 && args.keywords.size === 0) {
      return handlerTargets(args.positional[0]!, at, options, depth + 1);
    }
    return [];
  };

  // Pass 2: registrations and transports.
  for (const n of defsAndCalls) {
    if (n.type === 'function_definition') {
      for (const written of decoratorsOf(n)) {
        // `t = mcp.tool()` then `@t` (andresthor/cmd-line-mcp): the decorator the name holds.
        const deco = (written.type === 'identifier' ? decoratorAlias(written, n) : undefined) ?? written;
        const target = deco.type === 'call' ? unparen(deco.child('function')!) : deco;
        const standalone = target?.type === 'identifier' && imports.bindings.has(target.text) ? STANDALONE_DECORATORS.get(imports.qualifyName(target.text)) : undefined;
        if (standalone) {
          registrations.push(decoratedEntry(standalone, n, deco, undefined, undefined));
          continue;
        }
        if (target?.type !== 'attribute') continue;
        const method = nameOf(target.child('attribute'));
        const server = isServerObject(target.child('object'));
        if (server === null) continue;
        const kind = DECORATOR_KINDS[method];
        if (kind) {
          registrations.push(decoratedEntry(kind, n, deco, server, target.child('object')?.text));
        } else if (LOWLEVEL_HANDLER_DECORATORS.has(method)) {
          lowLevelHandlers.push({ method, handler: n, decorator: deco, server });
        }
      }
      continue;
    }
    if (n.type !== 'call') continue;
    const fn = unparen(n.child('function') ?? n);
    if (fn.type === 'call') {
      // `mcp.tool()(run)`, `mcp.tool(name="x")(self.run)`: the decorator applied by hand.
      const deco = unparen(fn.child('function') ?? fn);
      const kind = deco.type === 'attribute' ? DECORATOR_KINDS[nameOf(deco.child('attribute'))] : undefined;
      const target = kind ? callArgs(n).positional[0] : undefined;
      const obj = deco.child('object');
      const server = target ? isServerObject(obj) : null;
      if (kind && target && server !== null) {
        for (const t of handlerTargets(target, n)) {
          if (t.def) registrations.push(decoratedEntry(kind, t.def, fn, server, obj?.text, t.options));
          else importedHandlers.push({ kind, ref: t.ref, call: fn, ...(obj ? { receiver: obj.text } : {}), ...(server ? { server } : {}) });
        }
      }
      continue;
    }
    if (fn.type === 'attribute') {
      const method = nameOf(fn.child('attribute'));
      const obj = fn.child('object');
      // `mcp.tool(run)` registers; `mcp.tool(name="x")(run)` is the curried form above.
      const direct = method === 'tool' && n.parent?.type !== 'decorator' && !(n.parent?.type === 'call' && n.parent.child('function') === n);
      const addKind = ADD_CALL_KINDS[method] ?? (direct ? 'tool' : undefined);
      const target = addKind ? callArgs(n).positional[0] : undefined;
      const server = target ? isServerObject(obj) : null;
      if (addKind && target && server !== null) {
        for (const t of handlerTargets(target, n)) {
          if (t.def) registrations.push(addCallEntry(addKind, t.def, n, server, obj?.text, t.options));
          else importedHandlers.push({ kind: addKind, ref: t.ref, call: n, ...(obj ? { receiver: obj.text } : {}), ...(server ? { server } : {}) });
        }
      }
      // Only a transport method can start one: the server lookup is not made for every other call.
      const srv = TRANSPORT_METHODS.has(method) ? isServerObject(obj) : null;
      if (srv !== null) transports.push(...transportsOf(n, method, srv !== undefined));
      if (method === 'run' && imports.qualify(fn) === 'uvicorn.run') servedHosts.push(n);
    } else if (fn.type === 'identifier') {
      const q = imports.qualify(fn) ?? fn.text;
      if (/(?:^|\.)stdio_server$/.test(q)) transports.push({ kind: 'stdio', node: n, span: n.span });
      else if (/(?:^|\.)SseServerTransport$/.test(q)) transports.push({ kind: 'sse', node: n, span: n.span });
      else if (/(?:^|\.)StreamableHTTPSessionManager$/.test(q)) transports.push({ kind: 'streamable-http', node: n, span: n.span });
    }
  }

  // `uvicorn.run(app, host="0.0.0.0")` serves the HTTP transports of the file on that host.
  for (const call of servedHosts) {
    const hostNode = callArgs(call).keywords.get('host');
    const host = stringValue(hostNode);
    if (host === undefined || !hostNode) continue;
    transports.forEach((t, i) => {
      if (t.kind !== 'stdio' && t.host === undefined) transports[i] = { ...t, host, hostSpan: hostNode.span };
    });
  }

  // Low-level servers declare tools as `Tool(name=..., description=..., inputSchema={...})`.
  const callToolHandler = lowLevelHandlers.find((h) => h.method === 'call_tool');
  for (const { call: n, q } of declarationCalls) {
    if (!(q.startsWith('mcp') || imports.importsModule('mcp'))) continue;
    const kind: PyMcpKind = q.endsWith('Tool') ? 'tool' : q.endsWith('Prompt') ? 'prompt' : 'resource';
    const args = callArgs(n);
    const nameNode = args.keywords.get('name');
    const name = stringValue(nameNode);
    if (name === undefined || !nameNode) continue;
    const descNode = args.keywords.get('description');
    const description = stringValue(descNode);
    const handler = kind === 'tool' ? callToolHandler?.handler : undefined;
    registrations.push({
      kind,
      name,
      nameSpan: nameNode.span,
      ...(description !== undefined ? { description } : {}),
      descriptionSpans: descNode && description !== undefined ? [descNode.span] : [],
      ...schemaParams(args.keywords.get('inputSchema') ?? args.keywords.get('input_schema') ?? args.keywords.get('arguments'), handler),
      ...(handler ? { handler, handlerSpan: handler.span } : {}),
      call: n,
      callSpan: n.span,
      idiom: 'lowlevel',
      ...(callToolHandler?.server ? { server: callToolHandler.server } : {}),
    });
  }

  registrations.sort((a, b) => a.callSpan.start - b.callSpan.start);
  const isMcpFile =
    registrations.length > 0 ||
    importedHandlers.length > 0 ||
    servers.length > 0 ||
    lowLevelHandlers.length > 0 ||
    imports.importsModule('mcp') ||
    imports.importsModule('fastmcp');

  const handlerOf = (nodeOrOffset: PyNode | number): PyMcpRegistration | undefined => {
    const offset = typeof nodeOrOffset === 'number' ? nodeOrOffset : nodeOrOffset.start;
    let best: PyMcpRegistration | undefined;
    // Innermost handler wins; for a shared low-level handler, the first declared tool.
    for (const r of registrations) {
      if (!r.handler || offset < r.handler.start || offset >= r.handler.end) continue;
      if (!best || r.handler.start > best.handler!.start) best = r;
    }
    return best;
  };
  return {
    servers,
    registrations,
    tools: registrations.filter((r) => r.kind === 'tool'),
    transports,
    lowLevelHandlers,
    importedHandlers,
    isMcpFile,
    handlerOf,
    isInHandler(nodeOrOffset) {
      if (handlerOf(nodeOrOffset)) return true;
      const offset = typeof nodeOrOffset === 'number' ? nodeOrOffset : nodeOrOffset.start;
      return lowLevelHandlers.some((h) => offset >= h.handler.start && offset < h.handler.end);
    },
  };
}

/**
 * The text of an attribute's name (`tool` in `mcp.tool`), '' without one: memoised on the node
 * (dottedName) instead of sliced from the text for every call of the file on every analysis.
 */
function nameOf(node: PyNode | undefined): string {
  if (!node) return '';
  return (node.type === 'identifier' ? dottedName(node) : undefined) ?? node.text;
}

/** A low-level `@server.call_tool()` (etc.) handler. */
export interface LowLevelHandler {
  readonly method: string;
  readonly handler: PyNode;
  readonly decorator: PyNode;
  readonly server: PyMcpServer | undefined;
  /**
   * SDK v2's form, a constructor keyword (`on_call_tool=`): the handler gets `(ctx, params)`, and
   * the client's data is in `params` (`params.arguments`, `params.name`, `params.uri`).
   */
  readonly withParams?: boolean;
}

function assignedName(call: PyNode): string | undefined {
  const parent = call.parent;
  if (parent?.type === 'assignment' && parent.child('right') === call) return dottedName(parent.child('left'));
  return undefined;
}

function decoratedEntry(
  kind: PyMcpKind,
  def: PyNode,
  deco: PyNode,
  server: PyMcpServer | undefined,
  receiver: string | undefined,
  options?: PyNode,
): PyMcpRegistration {
  const args = deco.type === 'call' ? callArgs(deco) : { positional: [], keywords: new Map<string, PyNode>(), splats: [] };
  const keywords = withOptions(args.keywords, options);
  // Resources take the URI first; tools and prompts may take the name first (`@mcp.tool("x")`).
  const uriNode = kind === 'resource' ? (keywords.get('uri') ?? args.positional[0]) : undefined;
  const nameNode = keywords.get('name') ?? (kind !== 'resource' ? args.positional[0] : undefined);
  return entryFor(kind, def, deco, keywords, nameNode, uriNode, 'decorator', server, receiver);
}

function addCallEntry(
  kind: PyMcpKind,
  def: PyNode,
  call: PyNode,
  server: PyMcpServer | undefined,
  receiver: string | undefined,
  options?: PyNode,
): PyMcpRegistration {
  const keywords = withOptions(callArgs(call).keywords, options);
  return entryFor(kind, def, call, keywords, keywords.get('name'), keywords.get('uri'), 'add-call', server, receiver);
}

/** A registration's keywords, with those of the `Tool.from_function(fn, ...)` it registers (`options`) where it gives none. */
function withOptions(keywords: ReadonlyMap<string, PyNode>, options: PyNode | undefined): ReadonlyMap<string, PyNode> {
  if (!options) return keywords;
  const merged = new Map(callArgs(options).keywords);
  merged.delete('fn');
  for (const [k, v] of keywords) merged.set(k, v);
  return merged;
}

/** The top-level classes of a module whose bases name `cls` (directly or through one another). */
function subclassesOf(cls: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const names = new Set([cls.child('name')?.text ?? '']);
  const classes = nodesOfType(cls.source, 'class_definition');
  // Up to four levels of derivation, as the analyzer's own lookups of inherited members.
  for (let depth = 0; depth < 4; depth++) {
    const before = out.length;
    for (const c of classes) {
      if (c === cls || out.includes(c)) continue;
      if ((c.child('superclasses')?.namedChildren ?? []).some((b) => b.type === 'identifier' && names.has(b.text))) out.push(c);
    }
    if (out.length === before) break;
    for (const c of out.slice(before)) names.add(c.child('name')?.text ?? '');
  }
  return out;
}

/** A top-level class of a module by name. */
function topLevelClass(source: PySource, name: string): PyNode | undefined {
  const top = (c: PyNode) => (c.parent?.type === 'decorated_definition' ? c.parent.parent : c.parent)?.type === 'module';
  return nodesOfType(source, 'class_definition').find((c) => c.child('name')?.text === name && top(c));
}

/** A method of a class or of one of its bases defined in the same module. */
function inheritedMethodOf(cls: PyNode, name: string, depth = 0): PyNode | undefined {
  const own = methodOf(cls, name);
  if (own || depth >= 4) return own;
  for (const b of cls.child('superclasses')?.namedChildren ?? []) {
    const base = b.type === 'identifier' ? topLevelClass(cls.source, b.text) : undefined;
    const found = base ? inheritedMethodOf(base, name, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The class a node is in, if any (`self.run` in a method names a method of it). */
function enclosingClass(node: PyNode): PyNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return undefined;
}

/**
 * The elements of the list a loop variable iterates over, where the registration `at` lies in
 * `for <name> in (a, b):` or `for <name> in TOOLS:` with `TOOLS = [a, b]` at module level.
 */
function loopValues(name: string, at: PyNode): readonly PyNode[] {
  for (let p = at.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') break;
    if (p.type !== 'for_statement' || p.child('left')?.type !== 'identifier' || p.child('left')?.text !== name) continue;
    let list = p.child('right') ? unparen(p.child('right')!) : undefined;
    if (list?.type === 'identifier') list = moduleConstant(list);
    return list && LIST_TYPES.has(list.type) ? list.namedChildren.filter((c) => c.type !== 'comment') : [];
  }
  return [];
}

const LIST_TYPES: ReadonlySet<string> = new Set(['list', 'tuple', 'set', 'expression_list']);

/** The value of a module-level `NAME = [...]` (the last such assignment). */
function moduleConstant(name: PyNode): PyNode | undefined {
  let value: PyNode | undefined;
  for (const stmt of name.source.root.namedChildren) {
    if (stmt.type !== 'expression_statement') continue;
    const a = stmt.namedChildren[0];
    if (a?.type === 'assignment' && a.child('left')?.text === name.text && a.child('right')) value = unparen(a.child('right')!);
  }
  return value;
}

function entryFor(
  kind: PyMcpKind,
  def: PyNode,
  registration: PyNode,
  keywords: ReadonlyMap<string, PyNode>,
  nameNode: PyNode | undefined,
  uriNode: PyNode | undefined,
  idiom: PyMcpRegistration['idiom'],
  server: PyMcpServer | undefined,
  receiver: string | undefined,
): PyMcpRegistration {
  const fnName = def.child('name');
  const explicitName = stringValue(nameNode);
  const descNode = keywords.get('description');
  const description = stringValue(descNode);
  const doc = docstring(def);
  const docText = stringValue(doc);
  const uri = stringValue(uriNode);
  const descriptionSpans: Span[] = [];
  if (descNode && description !== undefined) descriptionSpans.push(descNode.span);
  if (doc) descriptionSpans.push(doc.span);
  const effective = description ?? (doc && docText !== undefined ? cleanDocOf(doc, docText) : undefined);
  return {
    kind,
    name: explicitName ?? fnName?.text ?? '',
    nameSpan: explicitName !== undefined && nameNode ? nameNode.span : (fnName ?? def).span,
    ...(uri !== undefined && uriNode ? { uri, uriSpan: uriNode.span } : {}),
    ...(effective !== undefined ? { description: effective } : {}),
    descriptionSpans,
    params: handlerParams(def),
    paramsKnown: true,
    handler: def,
    handlerSpan: def.span,
    call: registration,
    callSpan: registration.span,
    ...(receiver ? { receiver } : {}),
    idiom,
    ...(server ? { server } : {}),
  };
}

/**
 * cleanDoc of a docstring node's text, remembered per node: copyTree passes unchanged
 * definitions on to the next version as the same nodes, and splitting and joining every
 * docstring again was a fifth of what the model allocated per keystroke.
 */
function cleanDocOf(doc: PyNode, text: string): string {
  const hit = cleanDocs.get(doc);
  if (hit && hit.text === text) return hit.clean;
  const clean = cleanDoc(text);
  // The node outlives this version: its memo must not hold the version's text (see `detach`).
  cleanDocs.set(doc, { text: detach(text), clean });
  return clean;
}

const cleanDocs = new WeakMap<PyNode, { text: string; clean: string }>();

/** Docstring text as FastMCP shows it: common indentation removed, trimmed. */
function cleanDoc(text: string): string {
  const lines = text.split('\n');
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0]!.trim(), ...lines.slice(1).map((l) => l.slice(cut))].join('\n').trim();
}

/** Parameters of a decorated handler, with schema kinds and `Field(description=...)` texts. */
export function handlerParams(def: PyNode): PyMcpParam[] {
  const enums = enumClassesOf(def);
  // They depend on the definition's subtree and the file's enum classes only: while a file is
  // edited, copyTree passes unchanged definitions on to the next version as the same nodes, and
  // their parameters' spans are read from the nodes (see paramInfo).
  const memo = paramsMemo.get(def);
  if (memo && sameNames(memo.enums, enums)) return memo.params;
  const body = def.child('body');
  const ids = body ? identifiersIn(body) : [];
  const text = def.source.text;
  // Compared in place: slicing every identifier's text would allocate a string each.
  const used = (name: string) => ids.some((n) => n.end - n.start === name.length && text.startsWith(name, n.start));
  const params = functionParams(def)
    .filter((p) => p.name !== 'self' && p.name !== 'cls')
    .map((p) => paramInfo(p, used(p.name), enums));
  paramsMemo.set(def, { enums, params });
  return params;
}

const paramsMemo = new WeakMap<PyNode, { enums: ReadonlySet<string>; params: PyMcpParam[] }>();

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function paramInfo(p: PyParam, used: boolean, enums: ReadonlySet<string>): PyMcpParam {
  const schema = schemaOf(p.annotation, enums);
  const isContext = schema.kind === 'context' || (p.name === 'ctx' && !p.annotation);
  let descNode: PyNode | undefined;
  // `x: Annotated[str, Field(description=...)]` or `x: str = Field(description=...)`.
  const candidates: PyNode[] = [];
  if (p.annotation) walk(p.annotation, (n) => void (n.type === 'call' && candidates.push(n)));
  if (p.defaultValue?.type === 'call') candidates.push(p.defaultValue);
  for (const c of candidates) {
    const fn = dottedName(c.child('function'))?.split('.').pop();
    if (fn !== 'Field' && fn !== 'Query' && fn !== 'Body' && fn !== 'Header' && fn !== 'Path') continue;
    const d = callArgs(c).keywords.get('description');
    if (stringValue(d) !== undefined) descNode = d;
  }
  const description = stringValue(descNode);
  const node = p.node;
  const annotation = p.annotation ? { annotation: detach(p.annotation.text) } : {};
  const typed: PySchema = {
    ...schema,
    kind: isContext ? 'context' : schema.kind,
    optional: schema.optional || p.defaultValue !== undefined,
    ...(p.annotation ? { node: p.annotation } : {}),
  };
  // Spans are read from the nodes: a memoised parameter outlives the file version it was made
  // for (see handlerParams). Getters written here, not spread in (a spread copies their value).
  if (description !== undefined && descNode) {
    const d = descNode;
    return {
      name: p.name,
      get span() {
        return node.span;
      },
      node,
      ...annotation,
      schema: typed,
      description,
      get descriptionSpan() {
        return d.span;
      },
      read: used,
      isContext,
    };
  }
  return {
    name: p.name,
    get span() {
      return node.span;
    },
    node,
    ...annotation,
    schema: typed,
    read: used,
    isContext,
  };
}

/** Names of classes in the file that subclass an Enum type. */
export function enumClassesOf(node: PyNode): ReadonlySet<string> {
  const root = rootOf(node);
  const cached = enumCache.get(root);
  if (cached) return cached;
  const out = new Set<string>();
  const classes: readonly PyNode[] = root === root.source.root ? nodesOfType(root.source, 'class_definition') : [];
  if (root !== root.source.root) walk(root, (n) => void (n.type === 'class_definition' && (classes as PyNode[]).push(n)));
  for (const n of classes) {
    const bases = n.child('superclasses');
    if (bases && bases.namedChildren.some((b) => /(?:^|\.)(?:Str|Int)?Enum$|(?:^|\.)(?:Int)?Flag$/.test(dottedName(b) ?? ''))) {
      const name = n.child('name')?.text;
      if (name) out.add(name);
    }
  }
  enumCache.set(root, out);
  return out;
}
const enumCache = new WeakMap<PyNode, ReadonlySet<string>>();

function rootOf(node: PyNode): PyNode {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}

/** The schema kind an annotation gives a parameter (what FastMCP's pydantic validation enforces). */
export function schemaOf(annotation: PyNode | undefined, enums: ReadonlySet<string>): Omit<PySchema, 'node'> {
  if (!annotation) return { kind: 'unknown', optional: false };
  let t = annotation.type === 'type' ? annotation.namedChildren[0] : annotation;
  if (!t) return { kind: 'unknown', optional: false };
  // `T | None` and `Optional[T]`: the non-None side decides.
  if (t.type === 'binary_operator') {
    const sides = [t.child('left'), t.child('right')].filter((s): s is PyNode => !!s && s.text !== 'None');
    if (sides.length === 1) return { ...schemaOf(sides[0], enums), optional: sides.length < 2 };
    return { kind: 'unknown', optional: false };
  }
  if (t.type === 'generic_type' || t.type === 'subscript') {
    const head = (t.type === 'generic_type' ? t.namedChildren[0] : t.child('value'))?.text.split('.').pop() ?? '';
    const params =
      t.type === 'generic_type'
        ? (t.firstOfType('type_parameter')?.namedChildren ?? [])
        : t.childrenOf('subscript');
    const inner = (i: number) => {
      const p = params[i];
      return p ? (p.type === 'type' ? p.namedChildren[0] : p) : undefined;
    };
    switch (head) {
      case 'Annotated':
        return schemaOf(inner(0), enums);
      case 'Optional':
        return { ...schemaOf(inner(0), enums), optional: true };
      case 'Union': {
        const real = params.filter((p) => p.text !== 'None');
        return real.length === 1 ? { ...schemaOf(real[0], enums), optional: real.length < params.length } : { kind: 'unknown', optional: false };
      }
      case 'Literal': {
        const values = params.map((p) => stringValue(p.type === 'type' ? p.namedChildren[0] : p) ?? p.text);
        return { kind: 'literal', values, optional: false };
      }
      case 'list':
      case 'List':
      case 'tuple':
      case 'Tuple':
      case 'set':
      case 'Set':
      case 'Sequence':
      case 'Iterable':
        return { kind: 'array', optional: false };
      case 'dict':
      case 'Dict':
      case 'Mapping':
        return { kind: 'object', optional: false };
      default:
        return { kind: 'unknown', optional: false };
    }
  }
  const name = t.text.split('.').pop() ?? '';
  switch (name) {
    case 'str':
      return { kind: 'string', optional: false };
    case 'int':
      return { kind: 'integer', optional: false };
    case 'float':
    case 'Decimal':
      return { kind: 'number', optional: false };
    case 'bool':
      return { kind: 'boolean', optional: false };
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: 'array', optional: false };
    case 'dict':
      return { kind: 'object', optional: false };
    case 'Context':
      return { kind: 'context', optional: false };
    default:
      return enums.has(name) ? { kind: 'enum', optional: false } : { kind: 'unknown', optional: false };
  }
}

/** Parameters declared by a low-level `Tool(inputSchema={"properties": {...}})`. */
function schemaParams(
  schema: PyNode | undefined,
  handler: PyNode | undefined,
): { params: PyMcpParam[]; paramsKnown: boolean } {
  if (schema?.type !== 'dictionary') return { params: [], paramsKnown: false };
  const props = dictEntry(schema, 'properties');
  if (props?.type !== 'dictionary') return { params: [], paramsKnown: false };
  const required = dictEntry(schema, 'required');
  const requiredNames = new Set(required?.type === 'list' ? required.namedChildren.map((c) => stringValue(c) ?? '') : []);
  const bodyText = handler?.child('body')?.text ?? '';
  const out: PyMcpParam[] = [];
  for (const pair of props.namedChildren) {
    if (pair.type !== 'pair') continue;
    const keyNode = pair.child('key');
    const name = stringValue(keyNode);
    const value = pair.child('value');
    if (name === undefined || !keyNode) continue;
    const typeName = value?.type === 'dictionary' ? stringValue(dictEntry(value, 'type')) : undefined;
    const hasEnum = value?.type === 'dictionary' && dictEntry(value, 'enum') !== undefined;
    const descNode = value?.type === 'dictionary' ? dictEntry(value, 'description') : undefined;
    const description = stringValue(descNode);
    const schemaKind: PySchemaKind = hasEnum
      ? 'enum'
      : typeName === 'string' || typeName === 'integer' || typeName === 'number' || typeName === 'boolean'
        ? typeName
        : typeName === 'array'
          ? 'array'
          : typeName === 'object'
            ? 'object'
            : 'unknown';
    out.push({
      name,
      span: keyNode.span,
      node: keyNode,
      schema: {
        kind: schemaKind,
        optional: !requiredNames.has(name),
        ...(value ? { node: value } : {}),
        ...(hasEnum && value?.type === 'dictionary' ? enumValues(dictEntry(value, 'enum')) : {}),
      },
      ...(description !== undefined && descNode ? { description, descriptionSpan: descNode.span } : {}),
      read: bodyText.includes(`"${name}"`) || bodyText.includes(`'${name}'`),
      isContext: false,
    });
  }
  return { params: out, paramsKnown: true };
}

function enumValues(list: PyNode | undefined): { values?: string[] } {
  if (list?.type !== 'list') return {};
  const values = list.namedChildren.map((c) => stringValue(c) ?? c.text);
  return { values };
}

function dictEntry(dict: PyNode, key: string): PyNode | undefined {
  for (const pair of dict.namedChildren) {
    if (pair.type === 'pair' && stringValue(pair.child('key')) === key) return pair.child('value');
  }
  return undefined;
}

/**
 * The transports a server's method starts (`known`: the receiver is a server of the file, not
 * only named like one). `mcp.run(transport=t)` with `t` chosen at run time starts each transport
 * the file offers for it (`transportChoices`): stdio, and one HTTP transport for the HTTP modes.
 */
function transportsOf(call: PyNode, method: string, known: boolean): PyMcpTransport[] {
  const args = callArgs(call);
  const hostNode = args.keywords.get('host');
  const host = stringValue(hostNode);
  const withHost = host !== undefined && hostNode ? { host, hostSpan: hostNode.span } : {};
  if (method === 'run' || method === 'run_async') {
    const given = args.keywords.get('transport') ?? args.positional[0];
    // `app.run(host=host, port=port, debug=False)` on an object only named like a server: a web
    // framework's app (Flask's), not an MCP server started on stdio (UltraRAG's client.py).
    if (!given && !known && (args.keywords.has('host') || args.keywords.has('port') || args.keywords.has('debug'))) return [];
    const literal = given ? stringValue(given) : 'stdio';
    if (literal !== undefined) {
      const kind = transportKind(literal);
      return kind ? [{ kind, node: call, span: call.span, ...withHost }] : [];
    }
    const choices = narrowedByBranches(call, given!, transportChoices(given!));
    const http: PyTransportKind | undefined = choices.has('streamable-http') ? 'streamable-http' : choices.has('sse') ? 'sse' : undefined;
    const out: PyMcpTransport[] = [];
    if (!http || choices.has('stdio')) out.push({ kind: 'stdio', node: call, span: call.span });
    if (http) out.push({ kind: http, node: call, span: call.span, ...withHost });
    return out;
  }
  if (method === 'run_stdio_async') return [{ kind: 'stdio', node: call, span: call.span }];
  if (method === 'run_sse_async' || method === 'sse_app') return [{ kind: 'sse', node: call, span: call.span, ...withHost }];
  if (method === 'run_streamable_http_async' || method === 'streamable_http_app' || method === 'http_app' || method === 'run_http_async')
    return [{ kind: 'streamable-http', node: call, span: call.span, ...withHost }];
  return [];
}

/** Calls declaring a command-line option or setting (argparse, click, typer, pydantic). */
const OPTION_CALLS = new Set(['add_argument', 'option', 'Option', 'argument', 'Argument', 'Field']);

/**
 * The transports a transport argument that is not a literal may name (`transport`,
 * `args.transport`, `config["transport"]`), read from the file's literals tied to that name:
 * its assignments and defaults (`transport = os.getenv("MCP_TRANSPORT", "sse")`, `def main(transport:
 * Literal["stdio", "sse"] = "stdio")`), its command-line option (`add_argument("--transport",
 * choices=[...])`, `click.option("--transport", type=click.Choice([...]))`), its comparisons
 * (`if args.transport == "streamable-http":`), and keyword arguments or dict entries of that
 * name. Empty when none is found.
 */
function transportChoices(given: PyNode): Set<PyTransportKind> {
  const e = unparen(given);
  const name =
    e.type === 'identifier'
      ? e.text
      : e.type === 'attribute'
        ? nameOf(e.child('attribute'))
        : e.type === 'subscript'
          ? stringValue(e.child('subscript'))
          : e.type === 'call' && nameOf(unparen(e.child('function') ?? e).child('attribute')) === 'get'
            ? stringValue(callArgs(e).positional[0])
            : undefined;
  const out = new Set<PyTransportKind>();
  if (!name || !/^\w+$/.test(name)) return out;
  const named = new RegExp(`(?<![\\w])${name.replace(/_/g, '[-_]')}(?![\\w])`, 'i');
  for (const s of nodesOfType(e.source, 'string')) {
    if (s.end - s.start > 20) continue;
    const kind = transportKind(stringValue(s) ?? '');
    if (kind && tiedToName(s, named)) out.add(kind);
  }
  return out;
}

/**
 * The transports `given` may name at `call`, narrowed by the conditions of the branches around
 * it that compare `given` itself: `if transport == "stdio": mcp.run(transport=transport)` runs
 * stdio only, its `else` anything but stdio (awslabs' aws-api-mcp-server).
 */
function narrowedByBranches(call: PyNode, given: PyNode, choices: Set<PyTransportKind>): Set<PyTransportKind> {
  const target = unparen(given).text;
  let out = choices;
  for (let child: PyNode = call, p = call.parent; p; child = p, p = p.parent) {
    let cond: PyNode | undefined;
    let holds: boolean;
    if (p.type === 'if_statement' || p.type === 'elif_clause') {
      cond = p.child('condition');
      holds = p.child('consequence') === child;
      // In an `elif`/`else` of an `if`, its condition was false.
      if (!holds && !p.childrenOf('alternative').includes(child)) continue;
    } else continue;
    const test = cond && comparedLiterals(cond, target);
    if (!test) continue;
    const kinds = new Set(test.values.map(transportKind).filter((k): k is PyTransportKind => k !== undefined));
    const positive = holds !== test.negated;
    out = positive ? kinds : new Set([...out].filter((k) => !kinds.has(k)));
  }
  return out;
}

/** `x == "a"`, `x != "a"`, `x in ("a", "b")`, `x not in [...]` on the expression `target`: the literals and whether the test is negated. */
function comparedLiterals(cond: PyNode, target: string): { values: string[]; negated: boolean } | undefined {
  const e = unparen(cond);
  if (e.type !== 'comparison_operator' || e.namedChildren.length !== 2) return undefined;
  const [left, right] = e.namedChildren as [PyNode, PyNode];
  if (unparen(left).text !== target) return undefined;
  const op = e.text.slice(left.end - e.start, right.start - e.start).replace(/\s+/g, ' ').trim();
  const one = stringValue(right);
  if ((op === '==' || op === '!=') && one !== undefined) return { values: [one], negated: op === '!=' };
  const list = unparen(right);
  if ((op === 'in' || op === 'not in') && (list.type === 'tuple' || list.type === 'list' || list.type === 'set')) {
    const values = list.namedChildren.map((c) => stringValue(c));
    if (values.every((v): v is string => v !== undefined)) return { values, negated: op === 'not in' };
  }
  return undefined;
}

/** Whether a literal belongs to a name's assignment, default, option, comparison, keyword argument or dict entry. */
function tiedToName(literal: PyNode, named: RegExp): boolean {
  for (let n = literal.parent, depth = 0; n && depth < 8; n = n.parent, depth++) {
    switch (n.type) {
      case 'assignment':
        return named.test(n.child('left')?.text ?? '');
      case 'comparison_operator':
        return named.test(n.text);
      case 'default_parameter':
      case 'typed_default_parameter':
      case 'typed_parameter':
        return named.test((n.child('name') ?? n.namedChildren[0])?.text ?? '');
      case 'keyword_argument':
        if (named.test(n.child('name')?.text ?? '')) return true;
        break;
      case 'pair':
        if (named.test(stringValue(n.child('key')) ?? '')) return true;
        break;
      case 'call': {
        const callee = unparen(n.child('function') ?? n);
        const last = callee.type === 'attribute' ? nameOf(callee.child('attribute')) : callee.text;
        if (OPTION_CALLS.has(last)) return callArgs(n).positional.some((a) => named.test(stringValue(a) ?? ''));
        break;
      }
      case 'expression_statement':
      case 'block':
      case 'module':
      case 'function_definition':
        return false;
    }
  }
  return false;
}

function transportKind(t: string): PyTransportKind | undefined {
  if (t === 'stdio') return 'stdio';
  if (t === 'sse') return 'sse';
  if (t === 'streamable-http' || t === 'http' || t === 'streamable_http') return 'streamable-http';
  return undefined;
}

/**
 * The decorator call a name used as a decorator was set to in the same block before the
 * definition (`tool = mcp.tool()` or `t = self.app.tool(name="x")`, then `@tool`): the last such
 * assignment of a call of a registering method; undefined otherwise.
 */
function decoratorAlias(name: PyNode, def: PyNode): PyNode | undefined {
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const block = decorated.parent;
  if (!block) return undefined;
  let found: PyNode | undefined;
  for (const st of block.namedChildren) {
    if (st === decorated) break;
    const a = st.type === 'expression_statement' ? st.namedChildren[0] : undefined;
    if (a?.type !== 'assignment' || a.child('left')?.text !== name.text) continue;
    const right = a.child('right') ? unparen(a.child('right')!) : undefined;
    const fn = right?.type === 'call' ? unparen(right.child('function') ?? right) : undefined;
    found = fn?.type === 'attribute' && DECORATOR_KINDS[nameOf(fn.child('attribute'))] ? right : undefined;
  }
  return found;
}
