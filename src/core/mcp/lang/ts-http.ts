/**
 * What a TS/JS file does at the HTTP layer of an MCP server: which headers it reads, where
 * the MCP HTTP transport is created or served, what it binds to. Shared by the origin, auth
 * and passthrough rules.
 */
import * as ts from 'typescript';
import type { TsContext } from '../../ts/engine';
import { AUTH_HEADERS, AUTH_NAMES, ORIGIN_CHECK_NAMES, ORIGIN_HEADERS } from '../transport';
import { calleeLast, dotted, stringValue, unwrap, walkTs } from './ts';

/** An MCP HTTP endpoint in the file: a transport construction or `createMcpExpressApp(...)`. */
export interface TsHttpEndpoint {
  readonly kind: 'streamable-http' | 'sse' | 'express-app';
  readonly node: ts.NewExpression | ts.CallExpression;
  readonly className: string;
  readonly options?: ts.ObjectLiteralExpression;
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
  /** `x.listen(port, host)` calls with a literal host, and those without a host. */
  readonly listens: readonly { call: ts.CallExpression; host?: string }[];
}

const cache = new WeakMap<ts.SourceFile, TsHttpFacts>();

const HEADER_GETTERS = new Set(['get', 'header', 'getHeader', 'headers', 'has']);

/** Header name read by an expression like `req.headers.origin`, `req.get('Origin')`, `headers['x-api-key']`. */
export function headerReadBy(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) {
    const obj = unwrap(node.expression);
    const objName = ts.isPropertyAccessExpression(obj) ? obj.name.text : ts.isIdentifier(obj) ? obj.text : undefined;
    if (objName && /^headers$/i.test(objName)) return node.name.text.toLowerCase();
  }
  if (ts.isElementAccessExpression(node)) {
    const obj = unwrap(node.expression);
    const objName = ts.isPropertyAccessExpression(obj) ? obj.name.text : ts.isIdentifier(obj) ? obj.text : undefined;
    const key = stringValue(node.argumentExpression);
    if (objName && /headers$/i.test(objName) && key !== undefined) return key.toLowerCase();
  }
  if (ts.isCallExpression(node)) {
    const name = calleeLast(node);
    const key = node.arguments[0] ? stringValue(node.arguments[0]) : undefined;
    if (name && HEADER_GETTERS.has(name) && key !== undefined && /^[A-Za-z][A-Za-z0-9-]*$/.test(key)) {
      // `map.get('origin')` on a non-header map is rare enough; require a header-ish receiver or name.
      const recv = ts.isPropertyAccessExpression(unwrap(node.expression)) ? dotted((unwrap(node.expression) as ts.PropertyAccessExpression).expression) : undefined;
      if (name !== 'get' || !recv || /(?:^|\.)(?:headers|req|request|c\.req|ctx\.req|ctx\.request|r)$/i.test(recv)) return key.toLowerCase();
    }
  }
  return undefined;
}

/** Computes (once) the HTTP facts of a TS/JS file. */
export function tsHttpFacts(ctx: TsContext): TsHttpFacts {
  const cached = cache.get(ctx.sourceFile);
  if (cached) return cached;
  const endpoints: TsHttpEndpoint[] = [];
  for (const t of ctx.mcp.transports) {
    if (t.kind === 'stdio') continue;
    endpoints.push({ kind: t.kind, node: t.node, className: t.className, ...(t.options ? { options: t.options } : {}) });
  }
  const headersRead = new Set<string>();
  let namedOrigin = false;
  let namedAuth = false;
  const listens: { call: ts.CallExpression; host?: string }[] = [];
  walkTs(ctx.sourceFile, (n) => {
    const h = headerReadBy(n);
    if (h) headersRead.add(h);
    if (ts.isIdentifier(n)) {
      if (ORIGIN_CHECK_NAMES.test(n.text)) namedOrigin = true;
      if (AUTH_NAMES.test(n.text)) namedAuth = true;
    }
    if (ts.isCallExpression(n)) {
      const last = calleeLast(n);
      if (last === 'createMcpExpressApp') {
        const opts = n.arguments[0] && unwrap(n.arguments[0]);
        endpoints.push({ kind: 'express-app', node: n, className: 'createMcpExpressApp', ...(opts && ts.isObjectLiteralExpression(opts) ? { options: opts } : {}) });
      }
      if (last === 'listen' && n.arguments.length >= 1) {
        const second = n.arguments[1] && unwrap(n.arguments[1]);
        let host: string | undefined;
        if (second) host = stringValue(second) ?? envDefault(second);
        const first = unwrap(n.arguments[0]!);
        if (ts.isObjectLiteralExpression(first)) {
          const hp = first.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(ctx.sourceFile) === 'host') as ts.PropertyAssignment | undefined;
          if (hp) host = stringValue(hp.initializer) ?? envDefault(hp.initializer);
        }
        listens.push({ call: n, ...(host !== undefined ? { host } : {}) });
      }
    }
  });
  const facts: TsHttpFacts = {
    endpoints,
    headersRead,
    checksOrigin: namedOrigin || [...ORIGIN_HEADERS].some((h) => headersRead.has(h)),
    checksAuth: namedAuth || [...AUTH_HEADERS].some((h) => headersRead.has(h)),
    listens,
  };
  cache.set(ctx.sourceFile, facts);
  return facts;
}

/** `process.env.HOST ?? '0.0.0.0'` / `process.env.HOST || '0.0.0.0'`: the default. */
export function envDefault(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return stringValue(e.right);
  }
  return undefined;
}
