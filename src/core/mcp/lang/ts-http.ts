/**
 * What a TS/JS file does at the HTTP layer of an MCP server: which headers it reads, where
 * the MCP HTTP transport is created or served, what it binds to. Shared by the origin, auth
 * and passthrough rules.
 */
import * as ts from 'typescript';
import type { TsContext } from '../../ts/engine';
import type { McpTransport } from '../../ts/mcp-model';
import { detach } from '../../text';
import { ALL_INTERFACES, AUTH_HEADERS, AUTH_NAMES, LOOPBACK, ORIGIN_CHECK_NAMES, ORIGIN_HEADERS } from '../transport';
import { calleeLast, dotted, importedBindings, kindMask, propValue, stringValue, unwrap, walkTs, walkTsKinds } from './ts';

/**
 * An MCP HTTP endpoint in the file: a transport construction, `createMcpExpressApp(...)`, SDK
 * v2's `createMcpHandler(...)` (or `toNodeHandler(...)` of one built elsewhere), or punkpeye
 * fastmcp's `start({ transportType: 'httpStream' })` (className `FastMCP`).
 */
export interface TsHttpEndpoint {
  readonly kind: 'streamable-http' | 'sse' | 'express-app';
  readonly node: ts.NewExpression | ts.CallExpression;
  readonly className: string;
  readonly options?: ts.ObjectLiteralExpression;
}

/**
 * A `listen` call. `exposure`: `all` for no host (Node binds every interface) or `0.0.0.0`/`::`,
 * `loopback`, `other` for a specific non-loopback address, `unknown` for a host expression we
 * cannot resolve in this file.
 */
export interface TsListen {
  readonly call: ts.CallExpression;
  readonly host?: string;
  readonly exposure: 'all' | 'loopback' | 'other' | 'unknown';
}

/** Facts about a file's HTTP layer, computed once per file and cached on the source file. */
export interface TsHttpFacts {
  readonly endpoints: readonly TsHttpEndpoint[];
  /** Lower-case header names the file reads (`origin`, `authorization`, ...). */
  readonly headersRead: ReadonlySet<string>;
  /** Whether the file reads the Origin/Host header or uses a known Origin/Host check. */
  readonly checksOrigin: boolean;
  /** Whether the file reads an auth header or uses a known authentication layer. */
  readonly checksAuth: boolean;
  /** `x.listen(...)` calls and fastmcp HTTP starts: the host when knowable, and whether they expose the server. */
  readonly listens: readonly TsListen[];
  /** Every header read (`headerReadBy`) with the lower-case header name (calls first, then property and element accesses). */
  readonly headerReads: readonly { readonly node: ts.Node; readonly header: string }[];
  /** The nodes of `headerReads` that read `authorization`, in no particular order. */
  authorizationReads(): readonly ts.Node[];
}

const cache = new WeakMap<ts.SourceFile, TsHttpFacts>();

const HEADER_GETTERS = new Set(['get', 'header', 'getHeader', 'headers', 'has']);

/** Whether `name` is `headers` (`exact`) or ends with it, ignoring ASCII case, as `/^headers$/i` and `/headers$/i` test. */
function isHeadersName(name: string, exact: boolean): boolean {
  const n = name.length;
  if (n < 7 || (exact && n !== 7)) return false;
  const at = n - 7;
  // `| 0x20` folds ASCII upper case onto lower case; no other code unit maps onto these letters.
  return (
    (name.charCodeAt(at) | 0x20) === 0x68 && // h
    (name.charCodeAt(at + 1) | 0x20) === 0x65 && // e
    (name.charCodeAt(at + 2) | 0x20) === 0x61 && // a
    (name.charCodeAt(at + 3) | 0x20) === 0x64 && // d
    (name.charCodeAt(at + 4) | 0x20) === 0x65 && // e
    (name.charCodeAt(at + 5) | 0x20) === 0x72 && // r
    (name.charCodeAt(at + 6) | 0x20) === 0x73 // s
  );
}

/** Header name read by an expression like `req.headers.origin`, `req.get('Origin')`, `headers['x-api-key']`. */
export function headerReadBy(node: ts.Node): string | undefined {
  const kind = node.kind;
  if (kind === ts.SyntaxKind.PropertyAccessExpression) return accessHeader(node as ts.PropertyAccessExpression);
  if (kind === ts.SyntaxKind.ElementAccessExpression) return elementHeader(node as ts.ElementAccessExpression);
  if (kind === ts.SyntaxKind.CallExpression) {
    const name = calleeLast(node as ts.CallExpression);
    return name === undefined ? undefined : callHeader(node as ts.CallExpression, name);
  }
  return undefined;
}

// One function per kind: the facts' walks below each select one kind and call its function
// directly, so that the node's kind is not loaded again (asked of most nodes of every file).

/** The name of the object `x.headers` / `headers` whose member is read, with one load of its kind. */
function objectName(obj: ts.Expression): string | undefined {
  const kind = obj.kind;
  if (kind === ts.SyntaxKind.PropertyAccessExpression) return (obj as ts.PropertyAccessExpression).name.text;
  if (kind === ts.SyntaxKind.Identifier) return (obj as ts.Identifier).text;
  return undefined;
}

/** `req.headers.origin`: the member of an object named `headers`. */
function accessHeader(pa: ts.PropertyAccessExpression): string | undefined {
  const objName = objectName(unwrap(pa.expression));
  if (objName && isHeadersName(objName, true)) return pa.name.text.toLowerCase();
  return undefined;
}

/** `headers['x-api-key']` / `reqHeaders['origin']`: a string key of an object named `...headers`. */
function elementHeader(ea: ts.ElementAccessExpression): string | undefined {
  const objName = objectName(unwrap(ea.expression));
  if (!objName || !isHeadersName(objName, false)) return undefined;
  const key = stringValue(ea.argumentExpression);
  return key !== undefined ? key.toLowerCase() : undefined;
}

/** `req.get('Origin')` / `headers.get('authorization')`: `name` is the callee's last name. */
function callHeader(call: ts.CallExpression, name: string): string | undefined {
  if (!HEADER_GETTERS.has(name)) return undefined;
  const key = call.arguments[0] ? stringValue(call.arguments[0]) : undefined;
  if (key !== undefined && /^[A-Za-z][A-Za-z0-9-]*$/.test(key)) {
    // `map.get('origin')` on a non-header map is rare enough; require a header-ish receiver or name.
    const recv = ts.isPropertyAccessExpression(unwrap(call.expression)) ? dotted((unwrap(call.expression) as ts.PropertyAccessExpression).expression) : undefined;
    if (name !== 'get' || !recv || /(?:^|\.)(?:headers|req|request|c\.req|ctx\.req|ctx\.request|r)$/i.test(recv)) return key.toLowerCase();
  }
  return undefined;
}

// The facts below come from header reads (`headerReadBy`), identifiers and calls. One walk per
// kind: no fact depends on the order across kinds, and a one-kind selection is a slice of the
// per-parse index where a mixed one is merged and sorted.
const IDENTIFIERS = kindMask(ts.SyntaxKind.Identifier);
const CALLS = kindMask(ts.SyntaxKind.CallExpression);
const PROPERTY_ACCESSES = kindMask(ts.SyntaxKind.PropertyAccessExpression);
const ELEMENT_ACCESSES = kindMask(ts.SyntaxKind.ElementAccessExpression);
const DECLARATIONS_AND_ASSIGNMENTS = kindMask(ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.BinaryExpression);

/** Computes (once) the HTTP facts of a TS/JS file. */
export function tsHttpFacts(ctx: TsContext): TsHttpFacts {
  return tsHttpFactsOf(ctx.sourceFile, ctx.mcp.transports);
}

/** The HTTP facts of a parsed file with the transports of its MCP model (also for a module the file imports). */
export function tsHttpFactsOf(sf: ts.SourceFile, transports: readonly McpTransport[]): TsHttpFacts {
  const cached = cache.get(sf);
  if (cached) return cached;
  const endpoints: TsHttpEndpoint[] = [];
  for (const t of transports) {
    if (t.kind === 'stdio') continue;
    endpoints.push({ kind: t.kind, node: t.node, className: t.className, ...(t.options ? { options: t.options } : {}) });
  }
  const listens: TsListen[] = [];
  const facts = new HttpFacts(sf, endpoints, listens);
  let imports: ReturnType<typeof importedBindings> | undefined;
  const importedFrom = (call: ts.CallExpression, spec: RegExp): boolean => {
    const callee = unwrap(call.expression);
    if (!ts.isIdentifier(callee)) return false;
    const b = (imports ??= importedBindings(sf)).get(callee.text);
    return b !== undefined && spec.test(b.spec);
  };
  let handlers = false;
  const nodeHandlers: ts.CallExpression[] = [];
  walkTsKinds(sf, CALLS, (n) => {
    const call = n as ts.CallExpression;
    const last = calleeLast(call);
    if (last === undefined) return;
    facts.record(call, callHeader(call, last));
    if (last === 'createMcpExpressApp') {
      const opts = call.arguments[0] && unwrap(call.arguments[0]);
      endpoints.push({ kind: 'express-app', node: call, className: 'createMcpExpressApp', ...(opts && ts.isObjectLiteralExpression(opts) ? { options: opts } : {}) });
    }
    // SDK v2's handler checks neither Origin/Host nor tokens (its documentation says to put both in front).
    if (last === 'createMcpHandler' && importedFrom(call, SDK_V2_SERVER)) {
      handlers = true;
      endpoints.push({ kind: 'streamable-http', node: call, className: 'createMcpHandler' });
    }
    if (last === 'toNodeHandler' && importedFrom(call, SDK_V2_NODE)) nodeHandlers.push(call);
    if (last === 'listen' && call.arguments.length >= 1) listens.push(listenOf(call, sf));
    if (last === 'start' && call.arguments.length === 1) {
      const start = fastMcpStart(call, sf);
      if (start) {
        endpoints.push({ kind: start.kind, node: call, className: 'FastMCP' });
        listens.push(start.listen);
      }
    }
  });
  // The Node adapter of a handler built in another module: the endpoint this file serves.
  if (!handlers) for (const call of nodeHandlers) endpoints.push({ kind: 'streamable-http', node: call, className: 'toNodeHandler' });
  cache.set(sf, facts);
  return facts;
}

/**
 * The endpoints and listens are found at once (every rule asks for them); the header reads of
 * property and element accesses and the identifier names are looked at on the first question
 * that needs them: most files have no HTTP endpoint, and then nothing asks whether they check
 * Origin or authentication.
 */
class HttpFacts implements TsHttpFacts {
  private readonly reads: { node: ts.Node; header: string }[] = [];
  private readonly headers = new Set<string>();
  private hostChecked = false;
  private accessesRead = false;
  private names: number | undefined;

  constructor(
    private readonly sf: ts.SourceFile,
    readonly endpoints: readonly TsHttpEndpoint[],
    readonly listens: readonly TsListen[],
  ) {}

  /** Records that `n` reads the header `h` (`headerReadBy`), if any. */
  record(n: ts.Node, h: string | undefined): void {
    if (!h) return;
    this.headers.add(h);
    this.reads.push({ node: n, header: h });
    // `allowed.includes(req.headers.host)` / `req.headers.host !== 'localhost:3000'`: a Host check.
    if (h === 'host' && isCompared(n)) this.hostChecked = true;
  }

  private readAccesses(): void {
    if (this.accessesRead) return;
    this.accessesRead = true;
    walkTsKinds(this.sf, PROPERTY_ACCESSES, (n) => this.record(n, accessHeader(n as ts.PropertyAccessExpression)));
    walkTsKinds(this.sf, ELEMENT_ACCESSES, (n) => this.record(n, elementHeader(n as ts.ElementAccessExpression)));
  }

  /** Which of the two name tables the file's identifiers hit (`ORIGIN_NAME` | `AUTH_NAME`). */
  private nameHits(): number {
    if (this.names === undefined) {
      let hits = 0;
      walkTsKinds(this.sf, IDENTIFIERS, (n) => {
        hits |= nameFlags((n as ts.Identifier).text);
      });
      this.names = hits;
    }
    return this.names;
  }

  authorizationReads(): readonly ts.Node[] {
    const out: ts.Node[] = [];
    for (const r of this.reads) if (r.header === 'authorization') out.push(r.node);
    if (this.accessesRead) return out;
    // The calls' reads are in; the accesses' are looked for without reading every access's
    // header: a member whose name lower-cases to `authorization` has 13 characters (no other
    // character lower-cases into its letters with another length; `escapedText` is the name
    // itself for a name not starting with `__`, and such a name is not this one).
    walkTsKinds(this.sf, PROPERTY_ACCESSES, (n) => {
      const pa = n as ts.PropertyAccessExpression;
      if ((pa.name.escapedText as string).length === 13 && accessHeader(pa) === 'authorization') out.push(pa);
    });
    walkTsKinds(this.sf, ELEMENT_ACCESSES, (n) => {
      if (elementHeader(n as ts.ElementAccessExpression) === 'authorization') out.push(n);
    });
    return out;
  }

  get headersRead(): ReadonlySet<string> {
    this.readAccesses();
    return this.headers;
  }

  get headerReads(): readonly { readonly node: ts.Node; readonly header: string }[] {
    this.readAccesses();
    return this.reads;
  }

  get checksOrigin(): boolean {
    this.readAccesses();
    return this.hostChecked || [...ORIGIN_HEADERS].some((h) => this.headers.has(h)) || (this.nameHits() & ORIGIN_NAME) !== 0;
  }

  get checksAuth(): boolean {
    this.readAccesses();
    return [...AUTH_HEADERS].some((h) => this.headers.has(h)) || (this.nameHits() & AUTH_NAME) !== 0;
  }
}

const ORIGIN_NAME = 1;
const AUTH_NAME = 2;
const MAX_NAMES = 8192;
/** Identifier name -> which of the two name tables it is in; files repeat names, and edits keep them. */
const nameTables = new Map<string, number>();

function nameFlags(name: string): number {
  let flags = nameTables.get(name);
  if (flags === undefined) {
    flags = (ORIGIN_CHECK_NAMES.test(name) ? ORIGIN_NAME : 0) | (AUTH_NAMES.test(name) ? AUTH_NAME : 0);
    if (nameTables.size >= MAX_NAMES) nameTables.clear();
    nameTables.set(detach(name), flags);
  }
  return flags;
}

const SDK_V2_SERVER = /^@modelcontextprotocol\/server(?:\/|$)/;
const SDK_V2_NODE = /^@modelcontextprotocol\/node(?:\/|$)/;

/**
 * punkpeye fastmcp's `server.start(options)` serving HTTP: `transportType: 'httpStream'` (or the
 * `'sse'` of fastmcp 1.x), in the call or in an object literal the argument's name is set to
 * in this file (firecrawl-mcp-server picks `args` per mode, then calls `server.start(args)`).
 * Both go through mcp-proxy's HTTP server, which checks neither Origin nor Host. The bind host:
 * `httpStream.host` when given; without it fastmcp 3.15+ binds 'localhost' and earlier versions
 * '::', so it is left unknown; fastmcp 1.x's SSE server always binds '::'.
 */
function fastMcpStart(call: ts.CallExpression, sf: ts.SourceFile): { kind: 'streamable-http' | 'sse'; listen: TsListen } | undefined {
  for (const config of configLiterals(unwrap(call.arguments[0]!), sf)) {
    const type = propValue(config, 'transportType');
    const kinds = type ? choices(unwrap(type)).map(stringValue) : [];
    if (kinds.includes('httpStream')) {
      const http = propValue(config, 'httpStream');
      const hostExpr = http && ts.isObjectLiteralExpression(unwrap(http)) ? propValue(unwrap(http) as ts.ObjectLiteralExpression, 'host') : undefined;
      const host = hostExpr ? hostValue(hostExpr, sf) : undefined;
      const exposure = host === undefined ? 'unknown' : ALL_INTERFACES.has(host) ? 'all' : LOOPBACK.has(host) ? 'loopback' : 'other';
      return { kind: 'streamable-http', listen: { call, exposure, ...(host !== undefined ? { host } : {}) } };
    }
    if (kinds.includes('sse')) return { kind: 'sse', listen: { call, host: '::', exposure: 'all' } };
  }
  return undefined;
}

/** Both values of `cond ? a : b`, else the expression. */
function choices(e: ts.Expression): ts.Expression[] {
  return ts.isConditionalExpression(e) ? [...choices(unwrap(e.whenTrue)), ...choices(unwrap(e.whenFalse))] : [e];
}

/** An object literal, or the object literals a name is declared with or assigned in the file. */
function configLiterals(e: ts.Expression, sf: ts.SourceFile): ts.ObjectLiteralExpression[] {
  if (ts.isObjectLiteralExpression(e)) return [e];
  if (!ts.isIdentifier(e)) return [];
  const out: ts.ObjectLiteralExpression[] = [];
  walkTsKinds(sf, DECLARATIONS_AND_ASSIGNMENTS, (n) => {
    let value: ts.Expression | undefined;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text) value = n.initializer;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === e.text) value = n.right;
    const v = value && unwrap(value);
    if (v && ts.isObjectLiteralExpression(v)) out.push(v);
  });
  return out;
}

function listenOf(call: ts.CallExpression, sf: ts.SourceFile): TsListen {
  const first = unwrap(call.arguments[0]!);
  let hostExpr: ts.Expression | undefined = call.arguments[1] && unwrap(call.arguments[1]);
  if (ts.isObjectLiteralExpression(first)) {
    const hp = first.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === 'host') as ts.PropertyAssignment | undefined;
    hostExpr = hp?.initializer;
  } else if (hostExpr && (ts.isArrowFunction(hostExpr) || ts.isFunctionExpression(hostExpr) || (ts.isIdentifier(hostExpr) && /^(?:cb|callback|onListen|done|ready)$/i.test(hostExpr.text)))) {
    hostExpr = undefined;
  }
  if (!hostExpr) return { call, exposure: 'all' };
  const host = hostValue(hostExpr, sf);
  if (host === undefined) return { call, exposure: 'unknown' };
  return { call, host, exposure: ALL_INTERFACES.has(host) ? 'all' : LOOPBACK.has(host) ? 'loopback' : 'other' };
}

/** A host expression's value: a literal, an env default, or a `const` in this file holding one. */
function hostValue(expr: ts.Expression, sf: ts.SourceFile, depth = 0): string | undefined {
  const e = unwrap(expr);
  const direct = stringValue(e) ?? envDefault(e);
  if (direct !== undefined || depth > 2 || !ts.isIdentifier(e)) return direct;
  let found: string | undefined;
  walkTs(sf, (n) => {
    if (found !== undefined) return false;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text && n.initializer && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) {
      found = hostValue(n.initializer, sf, depth + 1);
    }
    return true;
  });
  return found;
}

/**
 * Whether a value is compared (`=== 'x'`) or looked up (`allowed.includes(v)`) directly, through
 * `??`/`||` defaults and parentheses, or through one `const v = <value>` that is.
 */
function isCompared(node: ts.Node, follow = true): boolean {
  let n: ts.Node = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAsExpression(n.parent) ||
    (ts.isBinaryExpression(n.parent) && n.parent.left === n && (n.parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || n.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)))) {
    n = n.parent;
  }
  const p = n.parent;
  if (!p) return false;
  if (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(p.operatorToken.kind)) return true;
  if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression) && /^(?:includes|has|test|match|indexOf)$/.test(calleeLast(p) ?? '')) return true;
  if (follow && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
    const name = p.name.text;
    let used = false;
    const scope = p.parent?.parent?.parent ?? p;
    walkTs(scope, (m) => {
      if (!used && ts.isIdentifier(m) && m.text === name && m !== p.name && isCompared(m, false)) used = true;
      return !used;
    });
    return used;
  }
  return false;
}

/** `process.env.HOST ?? '0.0.0.0'` / `process.env.HOST || '0.0.0.0'`: the default. */
export function envDefault(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return stringValue(e.right);
  }
  return undefined;
}
