import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { fileSystemHost } from '../core/linter';
import { addTransportSecurityPy, bindLoopbackPy, bindLoopbackTs, enableProtectionPy, protectTransportTs } from '../core/fixes/mcp/origin';
import { callArgs, dottedName, keywordArgument, pyBool, pyCalls, pyLiteralOrEnvDefault, pyStringList, stringValue as pyString, walkTypes } from '../core/mcp/lang/py';
import { calleeLast, enclosingFunction, findProp, kindMask, propName, propValue, spanOfNode, stringValue, unwrap, walkTs, walkTsKinds } from '../core/mcp/lang/ts';
import { headerReadBy, tsHttpFacts, type TsHttpEndpoint } from '../core/mcp/lang/ts-http';
import { calledFunction } from '../core/mcp/lang/secret-refs';
import { findPySdkDependency, findTsSdkDependency, PY_SDK_ADVISORY, TS_SDK_ADVISORY, type SdkDependency } from '../core/mcp/sdk-versions';
import { ALL_INTERFACES, LOOPBACK, ORIGIN_CHECK_NAMES } from '../core/mcp/transport';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { isTestFile } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';
import { importedFastMcp, moduleHost, pyChecksAuth, settingsValue, tsAuthenticates } from './require-http-auth';

const CALLS = kindMask(ts.SyntaxKind.CallExpression);
const PROPERTY_ASSIGNMENTS = kindMask(ts.SyntaxKind.PropertyAssignment);

const read = (file: string) => fileSystemHost.readFile(file);
/**
 * `read` without a thrown ENOENT for each manifest and lock that is not there: the TS check
 * probes package.json and lock files in every directory up to the root.
 */
const readExisting = (file: string) => (fs.existsSync(file) ? fileSystemHost.readFile(file) : undefined);

/**
 * Appended to a missing-check report on a server that authenticates requests. The specification
 * requires the Origin check on every Streamable HTTP request (a MUST, with no exception for
 * authenticated servers), and authentication covers only part of what a rebinding page reaches.
 */
const AUTH_CLAUSE = ' Authentication does not replace that check: the MCP specification requires it on every request, and a DNS-rebinding page still reaches routes served without a token (OAuth metadata, authorization, registration) and credentials the browser sends by itself (cookies, basic auth).';

function versionClause(dep: SdkDependency, fixed: string, cve: string): string {
  const where = path.basename(dep.manifest);
  const version = dep.locked ? `locked at '${dep.locked}'` : `declared as '${dep.declared}'`;
  return `the SDK in ${where} is ${version}, below ${fixed} (${cve})`;
}

const TRANSPORT_LABEL: Readonly<Record<TsHttpEndpoint['kind'], string>> = {
  'streamable-http': 'Streamable HTTP transport',
  sse: 'SSE transport',
  'express-app': 'MCP Express app',
};

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  const facts = tsHttpFacts(ctx);
  const reportedProps = new Set<ts.Node>();

  // Explicit switches and wildcards, wherever the options object is written.
  walkTsKinds(sf, PROPERTY_ASSIGNMENTS, (n) => {
    if (!ts.isPropertyAssignment(n)) return;
    const name = propName(n.name);
    const value = unwrap(n.initializer);
    if (name === 'enableDnsRebindingProtection' && value.kind === ts.SyntaxKind.FalseKeyword) {
      reportedProps.add(n.parent);
      ctx.report({ span: spanOfNode(n, sf), message: "DNS-rebinding protection is switched off by 'enableDnsRebindingProtection: false'." });
    } else if ((name === 'allowedHosts' || name === 'allowedOrigins') && ts.isArrayLiteralExpression(value) && value.elements.some((e) => stringValue(e) === '*')) {
      reportedProps.add(n.parent);
      ctx.report({ span: spanOfNode(n, sf), message: `The '${name}' list admits every value with '*'.` });
    }
  });

  // CORS that hands credentials to any site: reflected origin or `origin: true` with credentials.
  let reflectsOrigin: ts.Node | undefined;
  let allowsCredentials = false;
  walkTsKinds(sf, CALLS, (n) => {
    if (!ts.isCallExpression(n)) return;
    const last = calleeLast(n);
    if (last === 'cors' && n.arguments[0] && ts.isObjectLiteralExpression(unwrap(n.arguments[0]))) {
      const opts = unwrap(n.arguments[0]) as ts.ObjectLiteralExpression;
      const origin = propValue(opts, 'origin');
      const creds = propValue(opts, 'credentials');
      const o = origin && unwrap(origin);
      const reflect = o && (o.kind === ts.SyntaxKind.TrueKeyword || stringValue(o) === '*' || reflectsEverything(o));
      if (reflect && creds && unwrap(creds).kind === ts.SyntaxKind.TrueKeyword) {
        ctx.report({ span: spanOfNode(n, sf), message: "This CORS configuration lets every origin send credentialed requests ('credentials: true' with a reflected origin)." });
      }
    }
    if ((last === 'setHeader' || last === 'header' || last === 'set') && n.arguments.length >= 2) {
      const name = stringValue(n.arguments[0])?.toLowerCase();
      if (name === 'access-control-allow-origin') {
        let readsOrigin = false;
        walkTs(n.arguments[1]!, (m) => {
          if (headerReadBy(m) === 'origin') readsOrigin = true;
        });
        if (readsOrigin) reflectsOrigin ??= n;
      }
      if (name === 'access-control-allow-credentials' && stringValue(n.arguments[1]) === 'true') allowsCredentials = true;
    }
  });
  if (reflectsOrigin && allowsCredentials) {
    ctx.report({ span: spanOfNode(reflectsOrigin, sf), message: "The request's 'Origin' is reflected in 'Access-Control-Allow-Origin' together with 'Access-Control-Allow-Credentials: true'." });
  }

  if (facts.endpoints.length === 0) return;
  const allInterfaces = facts.listens.find((l) => l.host !== undefined && ALL_INTERFACES.has(l.host));
  const protectedApp = facts.endpoints.some((e) => e.kind === 'express-app' && expressAppProtected(e));
  let dep: SdkDependency | undefined | null = null;
  const sdk = () => (dep === null ? (dep = findTsSdkDependency(ctx.file, readExisting)) : dep);

  for (const ep of facts.endpoints) {
    if (ep.options && reportedProps.has(ep.options)) continue;
    const label = TRANSPORT_LABEL[ep.kind];
    if (ep.kind === 'express-app') {
      if (expressAppProtected(ep)) {
        const d = sdk();
        if (d?.vulnerable) ctx.report({ span: spanOfNode(ep.node, sf), message: `This ${label} relies on default Host validation, but ${versionClause(d, TS_SDK_ADVISORY.fixed, TS_SDK_ADVISORY.id)}.` });
        continue;
      }
      const host = ep.options ? stringValue(propValue(ep.options, 'host')) : undefined;
      ctx.report({ span: spanOfNode(ep.node, sf), message: `This ${label} binds '${host ?? 'a non-loopback host'}' without 'allowedHosts', so it validates neither Host nor Origin.` });
      continue;
    }
    const enable = ep.options && propValue(ep.options, 'enableDnsRebindingProtection');
    if (enable && unwrap(enable).kind === ts.SyntaxKind.TrueKeyword) {
      const hosts = ep.options && listLength(propValue(ep.options, 'allowedHosts'));
      const origins = ep.options && listLength(propValue(ep.options, 'allowedOrigins'));
      if (hosts === 0 && origins === 0) {
        ctx.report({ span: spanOfNode(enable.parent, sf), message: "'enableDnsRebindingProtection: true' checks nothing without 'allowedHosts' or 'allowedOrigins'." });
      }
      continue;
    }
    // A non-literal switch (`enableDnsRebindingProtection: cfg.protect`) is the user's decision.
    if (enable) continue;
    // `{ sessionIdGenerator, ...dnsOptions }` with protection the spread object always holds.
    if (ep.options && ep.options.properties.some((p) => ts.isSpreadAssignment(p) && spreadProtects(p.expression, ctx.loadLocalModule, 0))) continue;
    // Reported behind authentication too (AUTH_CLAUSE says why).
    if (facts.checksOrigin || protectedApp || forwardsCallerOptions(ep)) continue;
    const d = sdk();
    const bind = allInterfaces ? ` and the server listens on '${allInterfaces.host}'` : '';
    const message = (d?.vulnerable
      ? `This ${label} validates neither Origin nor Host${bind}, and ${versionClause(d, TS_SDK_ADVISORY.fixed, TS_SDK_ADVISORY.id)}.`
      : `This ${label} validates neither Origin nor Host${bind}.`) + (tsAuthenticates(sf, facts, ep.node) ? AUTH_CLAUSE : '');
    const fixes = [...protectTransportTs(ctx, ep, facts.listens), ...(allInterfaces ? bindLoopbackTs(ctx, allInterfaces.call) : [])];
    ctx.report({ span: spanOfNode(ep.node, sf), message, fixes, properties: { transport: ep.className } });
  }
}

/**
 * Whether a transport takes its options from the caller of a function that constructs it
 * (`constructor(options) { this.inner = new WebStandardStreamableHTTPServerTransport(options) }`,
 * `new StreamableHTTPServerTransport({ ...opts, sessionIdGenerator })`): a wrapper, such as the
 * SDK's Node.js transport around the web-standard one, whose Host and Origin settings are
 * written where the wrapper is constructed.
 */
function forwardsCallerOptions(ep: TsHttpEndpoint): boolean {
  // Handlers and fastmcp starts take no Host or Origin settings to forward.
  if (ep.kind === 'express-app' || !ts.isNewExpression(ep.node)) return false;
  // `new SSEServerTransport(endpoint, res, options)`: the options come third.
  const arg = ep.node.arguments?.[ep.kind === 'sse' ? 2 : 0];
  if (!arg) return false;
  const e = unwrap(arg);
  const names = new Set<string>();
  if (ts.isIdentifier(e)) names.add(e.text);
  else if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      const spread = ts.isSpreadAssignment(p) ? unwrap(p.expression) : undefined;
      if (spread && ts.isIdentifier(spread)) names.add(spread.text);
    }
  }
  if (names.size === 0) return false;
  for (let fn = enclosingFunction(ep.node); fn; fn = enclosingFunction(fn)) {
    if (fn.parameters.some((p) => bindsAny(p.name, names))) return true;
  }
  return false;
}

/**
 * Whether an object spread into a transport's options always switches DNS-rebinding protection
 * on with hosts or origins to allow: an object literal, a `const` holding one, or the call of a
 * function declared here or in a local module whose every return is one
 * (`getDnsRebindingProtectionOptions(port)`). A spread that may be empty
 * (`...(opts ?? {})`, a function returning protection only in one mode) does not.
 */
function spreadProtects(expr: ts.Expression, load: TsContext['loadLocalModule'], depth: number): boolean {
  if (depth > 4) return false;
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) {
    const enable = propValue(e, 'enableDnsRebindingProtection');
    if (!enable || unwrap(enable).kind !== ts.SyntaxKind.TrueKeyword) return false;
    return listLength(propValue(e, 'allowedHosts')) !== 0 || listLength(propValue(e, 'allowedOrigins')) !== 0;
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e);
    return init !== undefined && spreadProtects(init, load, depth + 1);
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
    const fn = calledFunction(e.expression, load);
    if (!fn?.body || fn.asteriskToken) return false;
    if (!ts.isBlock(fn.body)) return spreadProtects(fn.body, load, depth + 1);
    const returns: ts.ReturnStatement[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n)) returns.push(n);
      else if (!ts.isFunctionLike(n) && !ts.isClassLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(fn.body, visit);
    return returns.length > 0 && returns.every((r) => r.expression !== undefined && spreadProtects(r.expression, load, depth + 1));
  }
  return false;
}

/** The initializer of the `const` an identifier names in an enclosing scope. */
function constInitializer(id: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    for (const stmt of scope.statements) {
      if (!ts.isVariableStatement(stmt) || !(stmt.declarationList.flags & ts.NodeFlags.Const)) continue;
      const d = stmt.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && x.name.text === id.text);
      if (d) return d.initializer;
    }
  }
  return undefined;
}

function bindsAny(name: ts.BindingName, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(name)) return names.has(name.text);
  return name.elements.some((el) => !ts.isOmittedExpression(el) && bindsAny(el.name, names));
}

/** `origin: (o, cb) => cb(null, true)` or `origin: (o, cb) => cb(null, o)`: every origin allowed. */
function reflectsEverything(expr: ts.Expression): boolean {
  if (!ts.isArrowFunction(expr) && !ts.isFunctionExpression(expr)) return false;
  const first = expr.parameters[0]?.name;
  let all = false;
  walkTs(expr.body, (n) => {
    if (ts.isCallExpression(n) && n.arguments.length === 2) {
      const v = unwrap(n.arguments[1]!);
      if (v.kind === ts.SyntaxKind.TrueKeyword || (first && ts.isIdentifier(first) && ts.isIdentifier(v) && v.text === first.text)) {
        // Only when the callback is called unconditionally at the top of the body.
        if (n.parent && (ts.isExpressionStatement(n.parent) || ts.isReturnStatement(n.parent) || n.parent === expr) && isTopLevelOf(n, expr)) all = true;
      }
    }
  });
  return all;
}

function isTopLevelOf(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (ts.isIfStatement(p) || ts.isConditionalExpression(p) || ts.isSwitchStatement(p) || ts.isBinaryExpression(p)) return false;
  }
  return true;
}

function listLength(expr: ts.Expression | undefined): number | undefined {
  if (!expr) return 0;
  const e = unwrap(expr);
  return ts.isArrayLiteralExpression(e) ? e.elements.length : undefined;
}

/** `createMcpExpressApp()` validates Host when bound to loopback (its default) or given allowedHosts. */
function expressAppProtected(ep: TsHttpEndpoint): boolean {
  if (!ep.options) return true;
  if (findProp(ep.options, 'allowedHosts')) return true;
  const host = propValue(ep.options, 'host');
  if (!host) return true;
  const h = stringValue(host);
  return h === undefined ? true : LOOPBACK.has(h);
}

// ---------------------------------------------------------------- Python

function checkPy(ctx: PyContext): void {
  const root = ctx.ast.root;
  const calls = pyCalls(root);
  const reported = new Set<PyNode>();

  for (const { call } of calls) {
    const args = callArgs(call);
    const disable = args.keywords.get('enable_dns_rebinding_protection');
    if (disable && pyBool(disable) === false) {
      reported.add(call);
      const kw = keywordArgument(call, 'enable_dns_rebinding_protection')!;
      ctx.report({ span: kw.span, message: "DNS-rebinding protection is switched off by 'enable_dns_rebinding_protection=False'.", fixes: enableProtectionPy(ctx, call) });
    }
    for (const name of ['allowed_hosts', 'allowed_origins']) {
      const list = pyStringList(args.keywords.get(name));
      if (list?.includes('*')) {
        reported.add(call);
        ctx.report({ span: keywordArgument(call, name)!.span, message: `The '${name}' list admits every value with '*'.` });
      }
    }
  }

  // CORS reflecting every origin with credentials (Starlette reflects the Origin for '*' + credentials).
  for (const { call, last } of calls) {
    if (last !== 'add_middleware' && last !== 'Middleware') continue;
    const args = callArgs(call);
    const mw = args.positional[0];
    if (!mw || !/CORSMiddleware$/.test(dottedName(mw) ?? '')) continue;
    const origins = pyStringList(args.keywords.get('allow_origins'));
    const regex = pyString(args.keywords.get('allow_origin_regex'));
    if ((origins?.includes('*') || regex === '.*') && pyBool(args.keywords.get('allow_credentials')) === true) {
      ctx.report({ span: call.span, message: "This CORS configuration lets every origin send credentialed requests ('allow_credentials=True' with a wildcard origin)." });
    }
  }

  const mcp = ctx.mcp;
  const http = mcp.transports.filter((t) => t.kind !== 'stdio');
  // `app = mcp.streamable_http_app()` / `sse_app()` served by uvicorn or mounted in Starlette.
  const appCalls = calls.filter((c) => c.last === 'streamable_http_app' || c.last === 'sse_app' || c.last === 'http_app');
  if (http.length === 0 && appCalls.length === 0) return;
  if (checksOriginPy(root) || importedMiddlewareChecksOrigin(ctx)) return;

  const servers = mcp.servers.filter((s) => s.flavor === 'fastmcp');
  const lowLevelOnly = servers.length === 0;
  let dep: SdkDependency | undefined | null = null;
  const sdk = () => (dep === null ? (dep = findPySdkDependency(ctx.file, read)) : dep);
  // A subclass of the SDK's FastMCP imported from a project module counts by what it derives from.
  const official =
    ctx.imports.importsModule('mcp.server.fastmcp') ||
    ctx.imports.importsModule('mcp.server') ||
    servers.some((s) => /^mcp\.server\.(?:fastmcp\.(?:server\.)?)?FastMCP$/.test(s.constructorName));
  const seen = new Set<number>();
  let authenticates: boolean | undefined;

  const targets: { node: PyNode; host?: string; hostNode?: PyNode; kind: string }[] = [];
  for (const t of http) targets.push({ node: t.node, ...(t.host !== undefined ? { host: t.host } : {}), kind: t.kind });
  for (const c of appCalls) if (!http.some((t) => t.node === c.call)) targets.push({ node: c.call, kind: c.last === 'sse_app' ? 'sse' : 'streamable-http' });

  for (const t of targets) {
    if (seen.has(t.node.start) || reported.has(t.node)) continue;
    seen.add(t.node.start);
    // Security settings given explicitly anywhere on the server or the session manager.
    const server = servers[0];
    // `from pkg.server import mcp` then `mcp.run(transport=...)`: the server built in that module.
    const imported = server ? undefined : importedFastMcp(ctx, t.node);
    const serverKeywords = server?.keywords ?? imported?.keywords;
    const explicit =
      serverKeywords?.get('transport_security') ??
      callArgs(t.node).keywords.get('security_settings') ??
      callArgs(t.node).keywords.get('transport_security') ??
      settingsValue(ctx, t.node, 'transport_security');
    // Explicit settings are the user's decision; switched-off ones were reported above.
    if (explicit) continue;
    const serverHostNode = serverKeywords?.get('host');
    const runHostNode = callArgs(t.node).keywords.get('host');
    const uvicornHost = uvicornHostOf(calls);
    const host = pyLiteralOrEnvDefault(runHostNode) ?? (runHostNode ? moduleHost(ctx, runHostNode) : undefined) ?? t.host ?? pyLiteralOrEnvDefault(serverHostNode) ?? uvicornHost?.host;
    const hostNode = runHostNode ?? serverHostNode ?? uvicornHost?.node;
    // The official SDK's FastMCP switches the protection on in its constructor when its own
    // `host` argument is a loopback name (127.0.0.1 unless given): what a server of the app
    // binds later (`uvicorn.run(app, host=...)`, `mcp.settings.host = ...`) does not change it;
    // such a server then refuses Hosts other than localhost.
    const serverHost = pyLiteralOrEnvDefault(serverHostNode);
    const officialServer = official || imported?.official === true;
    const loopback = officialServer
      ? serverHostNode === undefined || (serverHost !== undefined && LOOPBACK.has(serverHost))
      : host === undefined
        ? !(runHostNode ?? serverHostNode ?? uvicornHost?.node)
        : LOOPBACK.has(host);
    const label = t.kind === 'sse' ? 'SSE transport' : 'Streamable HTTP transport';
    // Transports built directly (`SseServerTransport(...)`, `StreamableHTTPSessionManager(...)`)
    // get no protection from FastMCP's constructor beside them, in any SDK version: only the
    // `security_settings` they are given.
    const direct = /(?:^|\.)(?:SseServerTransport|StreamableHTTPSessionManager)$/.test(ctx.imports.qualify(t.node.type === 'call' ? t.node.child('function') : undefined) ?? '');
    if ((!lowLevelOnly || imported) && officialServer && loopback && !direct) {
      // FastMCP in the official SDK protects loopback servers by default from 1.23.0.
      const d = sdk();
      if (d?.vulnerable) {
        ctx.report({ span: t.node.span, message: `This ${label} relies on default DNS-rebinding protection, but ${versionClause(d, PY_SDK_ADVISORY.fixed, PY_SDK_ADVISORY.id)}.` });
      }
      continue;
    }
    const bind = host !== undefined && !LOOPBACK.has(host) ? ` and binds '${host}'` : '';
    const fixes = [
      ...(server && official && ctx.imports.importsModule('mcp.server.fastmcp') ? addTransportSecurityPy(ctx, server.call) : []),
      // Not an edit of the module that builds an imported server.
      ...(hostNode && host !== undefined && ALL_INTERFACES.has(host) && !(imported && hostNode === serverHostNode) ? bindLoopbackPy(ctx, hostNode) : []),
    ];
    authenticates ??= pyChecksAuth(ctx);
    ctx.report({ span: t.node.span, message: `This ${label} validates neither Origin nor Host${bind}.${authenticates ? AUTH_CLAUSE : ''}`, fixes });
  }
}

function uvicornHostOf(calls: ReturnType<typeof pyCalls>): { host?: string; node: PyNode } | undefined {
  for (const c of calls) {
    if (c.name !== 'uvicorn.run' && c.name !== 'uvicorn.Config') continue;
    const h = callArgs(c.call).keywords.get('host');
    if (!h) continue;
    const host = pyLiteralOrEnvDefault(h);
    return { ...(host !== undefined ? { host } : {}), node: h };
  }
  return undefined;
}

/** `x == "a"`, `x not in ALLOWED`, directly or within a parenthesis. */
function comparedPy(node: PyNode): boolean {
  let n: PyNode = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  return n.parent?.type === 'comparison_operator';
}

/**
 * Whether a middleware class the file installs and imports from a local module checks Origin or
 * Host (`FastMCP(..., middleware=[HTTPHeaderValidationMiddleware()])`, `app.add_middleware(X)`,
 * `Middleware(X)`; awslabs' aws-api-mcp-server).
 */
function importedMiddlewareChecksOrigin(ctx: PyContext): boolean {
  if (!ctx.resolveImport) return false;
  const names = new Set<string>();
  const add = (n: PyNode | undefined) => {
    const callee = n?.type === 'call' ? n.child('function') : n;
    if (callee?.type === 'identifier' && ctx.imports.bindings.has(callee.text)) names.add(callee.text);
  };
  walkTypes(ctx.ast.root, ['keyword_argument', 'call'], (n) => {
    if (n.type === 'keyword_argument') {
      const v = n.child('value');
      // `[X()]`, `[X()] if http else []`, `[Middleware(X)]`: every class the value calls.
      if (n.child('name')?.text === 'middleware' && v) walkTypes(v, ['call'], (c) => (add(c), true));
      return true;
    }
    const fn = n.child('function');
    const last = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
    if (last === 'add_middleware' || last === 'Middleware') add(callArgs(n).positional[0]);
    return true;
  });
  for (const name of names) {
    const r = ctx.resolveImport(name);
    const cls = r?.member ? r.module.classes.get(r.member) : undefined;
    if (cls && checksOriginPy(cls)) return true;
  }
  return false;
}

function checksOriginPy(root: PyNode): boolean {
  let found = false;
  walkTypes(root, ['identifier', 'string'], (n) => {
    if (found) return false;
    if (n.type === 'identifier' && ORIGIN_CHECK_NAMES.test(n.text)) found = true;
    else if (n.type === 'string') {
      const v = pyString(n);
      const lower = v?.toLowerCase();
      if (lower === 'origin' || lower === 'host') {
        // `request.headers.get("origin")` / `headers["Origin"]`; a Host read only when compared.
        const p = n.parent?.type === 'argument_list' ? n.parent.parent : n.parent;
        if (p && /headers/.test(p.text.slice(0, 200)) && (lower === 'origin' || comparedPy(p))) found = true;
      }
    }
    return true;
  });
  return found;
}

export default createRule({
  meta: {
    id: 'require-origin-validation',
    description: 'Require MCP HTTP transports to validate the Origin and Host headers against DNS rebinding',
    cwe: [346, 1385],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
    tags: ['mcp', 'transport'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
