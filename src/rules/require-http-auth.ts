import * as path from 'node:path';
import * as ts from 'typescript';
import { callArgs, dottedName, pyCalls, pyLiteralOrEnvDefault, stringValue as pyString, walkTypes } from '../core/mcp/lang/py';
import { calleeLast, importedBindings, kindMask, spanOfNode, stringValue, unwrap, walkTsKinds } from '../core/mcp/lang/ts';
import { tsHttpFacts, tsHttpFactsOf, type TsHttpEndpoint } from '../core/mcp/lang/ts-http';
import { AUTH_HEADERS, AUTH_NAMES, LOOPBACK } from '../core/mcp/transport';
import { enclosingFunction, topLevelFunction, type PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { configString } from '../core/python/config-value';
import type { ModuleInfo } from '../core/python/modules';
import { isTestFile } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';
import { buildMcpModel, type McpTransport } from '../core/ts/mcp-model';

/** `app.use(...)` calls and `authenticate:`-style options: what globalAuth looks at. */
const USE_OR_OPTION = kindMask(ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAssignment);
const IDENTIFIERS = kindMask(ts.SyntaxKind.Identifier);

/** Middleware or helper names that read as an authentication step (`requireAuth`, `verifyJwt`, `apiKeyGuard`). */
const AUTHISH = /auth|bearer|jwt|token|api[-_]?key|passport|guard|protect|session|credential|signature|hmac/i;

const LABEL: Readonly<Record<TsHttpEndpoint['kind'], string>> = {
  'streamable-http': 'Streamable HTTP transport',
  sse: 'SSE transport',
  'express-app': 'MCP Express app',
};

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'delete', 'all', 'use', 'route', 'patch', 'on']);

/**
 * The route registrations (`app.get('/sse', mw, handler)`) around `node`, innermost first: the
 * index of the argument containing it (-1 when it is in the callee), and of the last function
 * argument (the handler; -1 if none).
 */
function* routeCalls(node: ts.Node): Generator<{ readonly call: ts.CallExpression; readonly at: number; readonly handlerIndex: number }> {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (!ts.isCallExpression(p) || !ROUTE_METHODS.has(calleeLast(p) ?? '')) continue;
    const at = p.arguments.findIndex((a) => a.pos <= node.pos && node.end <= a.end);
    let handlerIndex = -1;
    p.arguments.forEach((a, i) => {
      const e = unwrap(a);
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) handlerIndex = i;
    });
    yield { call: p, at, handlerIndex };
  }
}

/** Whether a route registration that contains `node` has an auth-looking middleware before it. */
function routeHasAuth(node: ts.Node, sf: ts.SourceFile): boolean {
  for (const r of routeCalls(node)) {
    if (r.at < 0) continue;
    for (const mw of r.call.arguments.slice(0, r.at)) {
      if (stringValue(mw) !== undefined) continue;
      if (AUTHISH.test(mw.getText(sf))) return true;
    }
  }
  return false;
}

/** `app.use(requireAuth)` / `app.use(bearer(...))` / punkpeye FastMCP's `authenticate` option. */
function globalAuth(sf: ts.SourceFile): boolean {
  let found = false;
  walkTsKinds(sf, USE_OR_OPTION, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n) && calleeLast(n) === 'use') {
      for (const a of n.arguments) {
        const e = unwrap(a);
        if (stringValue(e) !== undefined) continue;
        if ((ts.isIdentifier(e) || ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) && AUTHISH.test(e.getText(sf).slice(0, 120))) found = true;
      }
    }
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && (n.name.text === 'authenticate' || n.name.text === 'authProvider' || n.name.text === 'oauth')) found = true;
    return true;
  });
  return found;
}

/** Whether `node` is in the handler of a route registration. */
function inRouteHandler(node: ts.Node): boolean {
  for (const r of routeCalls(node)) if (r.at >= 0 && r.at === r.handlerIndex) return true;
  return false;
}

/**
 * Whether every authentication the file shows is middleware of a route registration
 * (`app.get('/sse', requireBearerAuth({ verifier }), handler)`) and so guards only that route:
 * auth-named identifiers outside imports all sit before a route's handler, and no auth header
 * is read.
 */
function authOnlyInRoutes(sf: ts.SourceFile, facts: ReturnType<typeof tsHttpFacts>): boolean {
  if (facts.headerReads.some((r) => AUTH_HEADERS.has(r.header))) return false;
  let scoped = true;
  walkTsKinds(sf, IDENTIFIERS, (n) => {
    if (!scoped) return false;
    if (!AUTH_NAMES.test((n as ts.Identifier).text)) return;
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isImportDeclaration(p)) return;
    // Middleware of the innermost route registration around it, before that route's handler.
    const r = routeCalls(n).next().value;
    if (!r || r.at < 0 || r.at >= r.handlerIndex) scoped = false;
  });
  return scoped;
}

/**
 * Whether the file shows authentication in front of a transport built at `node`: a file-wide
 * layer, or, where all the file's auth is route middleware, middleware of the route `node` is in.
 */
export function tsAuthenticates(sf: ts.SourceFile, facts: ReturnType<typeof tsHttpFacts>, node: ts.Node): boolean {
  if (!facts.checksAuth) return false;
  return !authOnlyInRoutes(sf, facts) || routeHasAuth(node, sf) || !inRouteHandler(node);
}

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  const facts = tsHttpFacts(ctx);
  if (facts.endpoints.length === 0) {
    checkImportedAppsTs(ctx, facts);
    return;
  }
  // Auth seen only as some routes' middleware guards those routes, not the file's other ones.
  const routeScoped = facts.checksAuth && authOnlyInRoutes(sf, facts);
  if (facts.checksAuth && !routeScoped) return;
  if (globalAuth(sf)) return;
  // Only a server this file provably exposes: one listening on every interface or on a
  // non-loopback address. Loopback is the spec's local setup; an unresolvable host or a listen
  // in another module cannot be judged from here.
  const exposed = facts.listens.find((l) => l.exposure === 'all' || l.exposure === 'other');
  if (!exposed) return;
  const transports = facts.endpoints.filter((e) => e.kind !== 'express-app');
  const targets = transports.length > 0 ? transports : facts.endpoints;
  for (const ep of targets) {
    if (routeHasAuth(ep.node, sf)) continue;
    // With route-scoped auth, only a transport built in a route's handler is judged: one built
    // elsewhere may be served from a guarded route.
    if (routeScoped && !inRouteHandler(ep.node)) continue;
    if (ep.className === 'FastMCP' && importedServerMayAuthenticate(ctx, ep.node)) continue;
    // The request handling call (`transport.handleRequest`) may sit in another route than the construction.
    ctx.report({ span: spanOfNode(ep.node, sf), message: `This ${LABEL[ep.kind]} is served${exposed.host ? ` on '${exposed.host}'` : ' on every interface'} without any authentication check.`, properties: { transport: ep.className } });
  }
}

/**
 * Whether a fastmcp server started here (`server.start(...)`) is imported, and its module has an
 * `authenticate` option or other authentication, or cannot be read: fastmcp takes the option
 * where the server is constructed.
 */
function importedServerMayAuthenticate(ctx: TsContext, start: ts.Node): boolean {
  const callee = ts.isCallExpression(start) ? unwrap(start.expression) : undefined;
  const recv = callee && ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
  const spec = recv && ts.isIdentifier(recv) ? importedBindings(ctx.sourceFile).get(recv.text)?.spec : undefined;
  if (spec === undefined) return false;
  const module = ctx.loadLocalModule?.(spec);
  if (!module) return true;
  return globalAuth(module) || tsHttpFactsOf(module, buildMcpModel(module).transports).checksAuth;
}

/**
 * A server this file starts on a reachable address with an app a local module builds (`const
 * app = createExpressApp(); app.listen(PORT)` with `createExpressApp` in ./server.ts, or an
 * imported `app`): the module's MCP transports are served without authentication when neither
 * that module nor this file has any (apify/actors-mcp-server's main.ts, hyperbrowser's SSE
 * mode). Reported at the `listen`, once per module.
 */
function checkImportedAppsTs(ctx: TsContext, facts: ReturnType<typeof tsHttpFacts>): void {
  const load = ctx.loadLocalModule;
  if (!load || facts.checksAuth) return;
  const sf = ctx.sourceFile;
  const exposed = facts.listens.filter((l) => l.exposure === 'all' || l.exposure === 'other');
  if (exposed.length === 0 || globalAuth(sf)) return;
  const imports = importedBindings(sf);
  const done = new Set<string>();
  for (const l of exposed) {
    const callee = unwrap(l.call.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const name = appOrigin(unwrap(callee.expression), sf);
    const spec = name !== undefined ? imports.get(name)?.spec : undefined;
    if (!spec || done.has(spec)) continue;
    done.add(spec);
    const module = load(spec);
    if (!module) continue;
    const transports = buildMcpModel(module).transports.filter((t): t is McpTransport & { kind: 'streamable-http' | 'sse' } => t.kind !== 'stdio');
    if (transports.length === 0) continue;
    // As for a transport of this file: auth that is only some routes' middleware guards those.
    const theirs = tsHttpFactsOf(module, transports);
    const routeScoped = theirs.checksAuth && authOnlyInRoutes(module, theirs);
    if ((theirs.checksAuth && !routeScoped) || globalAuth(module)) continue;
    const open = transports.filter((t) => !routeHasAuth(t.node, module) && (!routeScoped || inRouteHandler(t.node)));
    const t = open[0];
    if (!t) continue;
    const shown = path.relative(path.dirname(ctx.file), module.fileName).split(path.sep).join('/');
    ctx.report({
      span: spanOfNode(l.call, sf),
      message: `This server listens${l.host ? ` on '${l.host}'` : ' on every interface'} with the app of '${name}' (${shown}), whose ${LABEL[t.kind]} has no authentication check.`,
      properties: { transport: t.className },
    });
  }
}

/**
 * The imported name a listening app comes from: the app itself (`app` imported), the function
 * whose result it is (`createApp()`, `await createApp()`), either through a variable of this
 * file (`const app = createApp(); app.listen(...)`, the last declaration before the use), or
 * the parameter of a `.then` callback on such a call (`createSSEServer().then((app) =>
 * app.listen(port))`, hyperbrowser).
 */
function appOrigin(e: ts.Expression, sf: ts.SourceFile, depth = 0): string | undefined {
  let x = unwrap(e);
  if (ts.isAwaitExpression(x)) x = unwrap(x.expression);
  if (ts.isCallExpression(x)) {
    const c = unwrap(x.expression);
    return ts.isIdentifier(c) ? c.text : undefined;
  }
  if (!ts.isIdentifier(x)) return undefined;
  if (depth > 0) return x.text;
  const name = x.text;
  let decl: ts.VariableDeclaration | undefined;
  walkTsKinds(sf, VARIABLE_DECLARATIONS, (n) => {
    const d = n as ts.VariableDeclaration;
    if (d.pos < x.pos && ts.isIdentifier(d.name) && d.name.text === name && d.initializer) decl = d;
  });
  if (decl) return appOrigin(decl.initializer!, sf, 1);
  for (let p: ts.Node | undefined = x.parent; p; p = p.parent) {
    if (!ts.isArrowFunction(p) && !ts.isFunctionExpression(p)) continue;
    const param = p.parameters.find((q) => ts.isIdentifier(q.name) && q.name.text === name);
    if (!param) continue;
    const then = p.parent;
    if (param !== p.parameters[0] || !ts.isCallExpression(then) || calleeLast(then) !== 'then' || !ts.isPropertyAccessExpression(then.expression)) return undefined;
    return appOrigin(then.expression.expression, sf, 1);
  }
  return name;
}

const VARIABLE_DECLARATIONS = kindMask(ts.SyntaxKind.VariableDeclaration);

// ---------------------------------------------------------------- Python

/** Whether a Python MCP server file has an authentication layer (server `auth=`, verifiers, auth middleware, auth header reads). */
export function pyChecksAuth(ctx: PyContext): boolean {
  if (serverAuth(ctx)) return true;
  let found = false;
  pyAuthEvidence(ctx, () => {
    found = true;
    return false;
  });
  return found;
}

/** A FastMCP server of the file constructed with an auth provider or token verifier. */
function serverAuth(ctx: PyContext): boolean {
  for (const s of ctx.mcp.servers) {
    for (const k of ['auth', 'token_verifier', 'auth_server_provider', 'auth_provider']) {
      const v = s.keywords.get(k);
      if (v && v.type !== 'none') return true;
    }
  }
  return false;
}

/** Each node of the file that shows authentication (names, auth header reads, `auth=`/`dependencies=`), until `found` returns false. */
function pyAuthEvidence(ctx: PyContext, found: (n: PyNode) => boolean): void {
  let more = true;
  walkTypes(ctx.ast.root, ['identifier', 'string', 'keyword_argument'], (n) => {
    if (!more) return false;
    if (n.type === 'identifier' && (AUTH_NAMES.test(n.text) || /^(?:\w*Auth\w*Middleware|\w*AuthBackend|\w*TokenVerifier|\w*AuthProvider)$/.test(n.text))) more = found(n);
    else if (n.type === 'string') {
      const v = pyString(n)?.toLowerCase();
      if (v && AUTH_HEADERS.has(v) && readsHeader(n)) more = found(n);
    } else if (n.type === 'keyword_argument' && /^(?:auth|dependencies)$/.test(n.child('name')?.text ?? '') && /auth|token|key|bearer|verify/i.test(n.child('value')?.text ?? '')) {
      more = found(n);
    }
    return true;
  });
}

/**
 * The auth middleware classes of the file when all of its authentication is in them: every auth
 * name, header read or `auth=` argument sits in a middleware class of the file
 * (`class OAuthMiddleware(BaseHTTPMiddleware)`) or names one. Such auth guards the apps built
 * with it only (`Starlette(..., middleware=[Middleware(OAuthMiddleware)])`), not another app the
 * file serves (wenb1n-dev/mysql_mcp_server_pro's SSE mode). Undefined otherwise.
 */
function pyMiddlewareOnlyAuth(ctx: PyContext): ReadonlySet<string> | undefined {
  if (serverAuth(ctx)) return undefined;
  // Middleware classes of the file, or imported (`from .oauth import OAuthMiddleware`).
  const classes = new Map<string, PyNode | undefined>();
  walkTypes(ctx.ast.root, ['class_definition'], (c) => {
    const name = c.child('name')?.text;
    if (name && /Middleware$/.test(name) && /Middleware/.test(c.child('superclasses')?.text ?? '')) classes.set(name, c);
    return false;
  });
  for (const name of ctx.imports.bindings.keys()) if (/Middleware$/.test(name) && !classes.has(name)) classes.set(name, undefined);
  if (classes.size === 0) return undefined;
  const used = new Set<string>();
  let scoped = true;
  pyAuthEvidence(ctx, (n) => {
    for (const [name, c] of classes) {
      if (c && c.start <= n.start && n.end <= c.end) {
        used.add(name);
        return true;
      }
      if (n.type === 'identifier' && n.text === name) {
        used.add(name);
        return true;
      }
    }
    scoped = false;
    return false;
  });
  return scoped && used.size > 0 ? used : undefined;
}

/**
 * Whether a transport built in a function that also builds the app serving it (`Starlette(...)`,
 * `FastAPI(...)`) is served without the file's auth middleware: that function names none of
 * them. A transport built where no app is built may be served by any app: not judged.
 */
function servedWithoutMiddleware(node: PyNode, middleware: ReadonlySet<string>): boolean {
  const home = enclosingFunction(node);
  if (!home) return false;
  let app = false;
  let guarded = false;
  walkTypes(home, ['call', 'identifier'], (n) => {
    if (n.type === 'call' && /(?:^|\.)(?:Starlette|FastAPI)$/.test(dottedName(n.child('function')) ?? '')) app = true;
    if (n.type === 'identifier' && middleware.has(n.text)) guarded = true;
    return true;
  });
  return app && !guarded;
}

/**
 * The FastMCP server a transport call's receiver names when it is imported from a local module
 * (`from aws_mcp_server.server import mcp`): its constructor's keywords, and whether it is the
 * official SDK's. Undefined for a receiver of this file or one that cannot be followed.
 */
export function importedFastMcp(ctx: PyContext, transport: PyNode): { keywords: ReadonlyMap<string, PyNode>; official: boolean } | undefined {
  const fn = transport.type === 'call' ? transport.child('function') : undefined;
  const recv = fn?.type === 'attribute' ? fn.child('object') : undefined;
  if (recv?.type !== 'identifier') return undefined;
  let init: PyNode | undefined;
  let module: ModuleInfo | undefined;
  if (ctx.imports.bindings.has(recv.text)) {
    const r = ctx.resolveImport?.(recv.text, transport);
    init = r?.member ? r.module.globals.get(r.member) : undefined;
    module = r?.module;
  } else {
    // `server = create_server()` with the factory in a local module (mem0-mcp's http_entry.py):
    // the FastMCP it returns.
    const made = lastAssignment(ctx.ast.root, recv.text, transport);
    const callee = made?.type === 'call' ? made.child('function') : undefined;
    if (callee?.type !== 'identifier' || !ctx.imports.bindings.has(callee.text)) return undefined;
    const r = ctx.resolveImport?.(callee.text, transport);
    const def = r?.member ? r.module.functions.get(r.member) : undefined;
    init = def ? returnedConstruction(def) : undefined;
    module = r?.module;
  }
  if (init?.type !== 'call' || !module) return undefined;
  const ctor = module.imports.qualify(init.child('function')) ?? '';
  const official = /^mcp\.server\.fastmcp(?:\.server)?\.FastMCP$/.test(ctor);
  if (!official && !/(?:^|\.)FastMCP$/.test(ctor)) return undefined;
  return { keywords: callArgs(init).keywords, official };
}

/** The value last assigned to `name` by a plain assignment before `before`, in the file. */
function lastAssignment(root: PyNode, name: string, before: PyNode): PyNode | undefined {
  let found: PyNode | undefined;
  walkTypes(root, ['assignment'], (n) => {
    if (n.start >= before.start) return false;
    if (n.child('left')?.text === name) found = n.child('right') ?? found;
    return true;
  });
  return found;
}

/** The construction a factory returns: `return FastMCP(...)`, or a local set to one and returned. */
function returnedConstruction(def: PyNode): PyNode | undefined {
  let out: PyNode | undefined;
  walkTypes(def, ['return_statement'], (r) => {
    // Not the returns of the tools defined inside it.
    if (enclosingFunction(r) !== def) return true;
    const v = r.namedChildren[0];
    const made = v?.type === 'call' ? v : v?.type === 'identifier' ? lastAssignment(def, v.text, r) : undefined;
    if (made?.type === 'call' && /(?:^|\.)FastMCP$/.test(dottedName(made.child('function')) ?? '')) out ??= made;
    return true;
  });
  return out;
}

/** An environment read whose default is the server's current host (`os.getenv("HOST", mcp.settings.host)`). */
function keepsSettingsHost(node: PyNode): boolean {
  if (node.type !== 'call' || !/(?:^|\.)(?:getenv|get)$/.test(dottedName(node.child('function')) ?? '')) return false;
  const fallback = callArgs(node).positional[1] ?? callArgs(node).keywords.get('default');
  return !!fallback && /\.settings\.host$/.test(fallback.text.replace(/\s+/g, ''));
}

/**
 * A host given by name or through a configuration object: `HOST = os.getenv("HOST", "0.0.0.0")`
 * for `host=HOST`, or a field's value or default (`host=cfg.bind_host`, `config.server.host`).
 */
export function moduleHost(ctx: PyContext, node: PyNode): string | undefined {
  if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
  return configString(node, ctx.ast.root, ctx.resolveImport);
}

/**
 * Whether an auth header's name is read from a request (`request.headers.get("authorization")`,
 * `headers["x-api-key"]`, `"authorization" in request.headers`), not written into the headers
 * this server sends upstream (`{"Authorization": f"Bearer {TOKEN}"}`, `headers["Authorization"]
 * = ...`: an API wrapper's credential for the API it calls, prometheus-mcp-server's).
 */
function readsHeader(s: PyNode): boolean {
  const p = s.parent;
  if (!p) return false;
  if (p.type === 'pair') return false;
  if (p.type === 'comparison_operator') return true;
  if (p.type === 'subscript') {
    let top: PyNode = p;
    while (top.parent?.type === 'subscript' || top.parent?.type === 'attribute') top = top.parent;
    const a = top.parent;
    return !(a && (a.type === 'assignment' || a.type === 'augmented_assignment') && a.child('left') === top);
  }
  if (p.type === 'argument_list' || (p.type === 'keyword_argument' && p.parent?.type === 'argument_list')) {
    // `APIKeyHeader(name="X-API-Key")`, `Header(alias="authorization")`: declared for requests.
    const call = p.type === 'argument_list' ? p.parent : p.parent!.parent;
    const fn = call?.type === 'call' ? call.child('function') : undefined;
    const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
    return name === 'get' || name === 'getlist' || name === 'get_all' || name === 'getheader' || name === 'header' || name === 'Header' || name === 'APIKeyHeader';
  }
  return false;
}

/**
 * The value of the last `mcp.settings.<field> = ...` before `node`, in its function or at the
 * module's top level (graphiti's server sets the bind host after construction, then starts the
 * transport without arguments). A host set in a branch may be the one served; security settings
 * count only from a block that holds the start.
 */
export function settingsValue(ctx: PyContext, node: PyNode, field: 'host' | 'transport_security'): PyNode | undefined {
  let found: PyNode | undefined;
  const suffix = `.settings.${field}`;
  const home = enclosingFunction(node);
  walkTypes(ctx.ast.root, ['assignment'], (n) => {
    if (n.start >= node.start) return false;
    // In the function that starts the transport, or at the module's top level.
    const at = enclosingFunction(n);
    if (at && at !== home) return true;
    const left = n.child('left');
    if (left?.type !== 'attribute' || !left.text.replace(/\s+/g, '').endsWith(suffix)) return true;
    // Settings that switch a check off count only where they surely ran: in a block around the
    // start, not in a branch beside it (mcp-python-interpreter sets them in an `if` that returns).
    if (field === 'transport_security') {
      let block = n.parent;
      while (block && block.type !== 'block' && block.type !== 'module') block = block.parent;
      if (block && !block.contains(node)) return true;
    }
    found = n.child('right') ?? found;
    return true;
  });
  return found ?? (field === 'host' && home ? settingsInCallees(ctx, home, node, suffix) : undefined);
}

/**
 * A host set in a function of the file that the starting function calls first (graphiti's
 * `initialize_server()` sets `mcp.settings.host`, then `run_mcp_server()` starts the transport):
 * the last such assignment of the last such call before the start.
 */
function settingsInCallees(ctx: PyContext, home: PyNode, node: PyNode, suffix: string): PyNode | undefined {
  let found: PyNode | undefined;
  walkTypes(home, ['call'], (c) => {
    if (c.start >= node.start) return false;
    const fn = c.child('function');
    const callee = fn?.type === 'identifier' ? topLevelFunction(ctx.ast.root, fn.text) : undefined;
    if (!callee || callee === home) return true;
    walkTypes(callee, ['assignment'], (a) => {
      if (enclosingFunction(a) !== callee) return true;
      const left = a.child('left');
      if (left?.type === 'attribute' && left.text.replace(/\s+/g, '').endsWith(suffix)) found = a.child('right') ?? found;
      return true;
    });
    return true;
  });
  return found;
}

function checkPy(ctx: PyContext): void {
  const http = ctx.mcp.transports.filter((t) => t.kind !== 'stdio');
  const calls = pyCalls(ctx.ast.root);
  const appCalls = calls.filter((c) => (c.last === 'streamable_http_app' || c.last === 'sse_app' || c.last === 'http_app') && !http.some((t) => t.node === c.call));
  if (http.length === 0 && appCalls.length === 0) return;
  // Auth that is only middleware of some apps guards those apps (see servedWithoutMiddleware).
  const middleware = pyMiddlewareOnlyAuth(ctx);
  if (!middleware && pyChecksAuth(ctx)) return;
  const server = ctx.mcp.servers[0];
  const uvicorn = calls.find((c) => c.name === 'uvicorn.run' || c.name === 'uvicorn.Config');
  const uvicornHost = uvicorn ? callArgs(uvicorn.call).keywords.get('host') : undefined;
  const targets: { node: PyNode; kind: string; host?: string }[] = [
    ...http.map((t) => ({ node: t.node, kind: t.kind, ...(t.host !== undefined ? { host: t.host } : {}) })),
    ...appCalls.map((c) => ({ node: c.call, kind: c.last === 'sse_app' ? 'sse' : 'streamable-http' })),
  ];
  const reported = new Set<PyNode>();
  for (const t of targets) {
    const runHost = callArgs(t.node).keywords.get('host');
    const serverHost = server ? server.keywords.get('host') : importedFastMcp(ctx, t.node)?.keywords.get('host');
    let hostNode = runHost ?? settingsValue(ctx, t.node, 'host') ?? serverHost ?? uvicornHost;
    // `mcp.settings.host = os.getenv("HOST", mcp.settings.host)`: unset, the host stays the server's.
    if (hostNode && hostNode !== serverHost && serverHost && keepsSettingsHost(hostNode)) hostNode = serverHost;
    // A name is looked up in this file: not for a host node of an imported server's module.
    const host = pyLiteralOrEnvDefault(hostNode) ?? t.host ?? (hostNode && (server || hostNode !== serverHost) ? moduleHost(ctx, hostNode) : undefined);
    // FastMCP and uvicorn default to 127.0.0.1: a local server. A host we cannot resolve is not judged.
    if (!hostNode || host === undefined || LOOPBACK.has(host)) continue;
    if (middleware && !servedWithoutMiddleware(t.node, middleware)) continue;
    // `SseServerTransport(p, security_settings=s) if s else SseServerTransport(p)`: one transport.
    const choice = t.node.parent?.type === 'conditional_expression' ? t.node.parent : undefined;
    if (choice && reported.has(choice)) continue;
    if (choice) reported.add(choice);
    const label = t.kind === 'sse' ? 'SSE transport' : 'Streamable HTTP transport';
    const where = host !== undefined ? ` on '${host}'` : '';
    ctx.report({ span: t.node.span, message: `This ${label} is served${where} without any authentication check.` });
  }
}

export default createRule({
  meta: {
    id: 'require-http-auth',
    description: 'Require authentication in front of MCP HTTP and SSE transports that are reachable from other machines',
    cwe: [306],
    severity: 'warning',
    precision: 'medium',
    languages: ['typescript', 'javascript', 'python'],
    tags: ['mcp', 'transport', 'authentication'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
