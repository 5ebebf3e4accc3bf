import * as ts from 'typescript';
import { dottedName, pyCalls, stringValue as pyString, walk } from '../core/mcp/lang/py';
import { calleeLast, dotted, identifiersNamed, kindMask, propName, spanOfNode, stringValue, unwrap, walkTsKinds } from '../core/mcp/lang/ts';
import { tsHttpFacts } from '../core/mcp/lang/ts-http';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { isTestFile, QUERY_CREDENTIAL } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';

const VARIABLE_DECLARATIONS = kindMask(ts.SyntaxKind.VariableDeclaration);

/** Callees that send a request upstream. */
const OUTGOING = new Set(['fetch', 'axios', 'got', 'ky', 'request', 'get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'send', 'undici', 'superagent']);

/** Methods that set one header (`headers.set('Authorization', token)`). */
const SET_HEADER = new Set(['set', 'append', 'header']);

const REQUEST_OBJECT = /(?:^|\.)(?:req|request|requestInfo|incoming)$|^r$/;

/** Whether a header or property name is `authorization` in any case (`toLowerCase` only on a length match). */
function isAuthorization(name: string | undefined): boolean {
  return name !== undefined && name.length === 13 && name.toLowerCase() === 'authorization';
}

/** Files that can hold a finding mention one of these; the rest are skipped without a walk. */
const RELEVANT = /authori[sz]ation|authInfo|get_access_token|headers|query|searchParams|query_params|\.args\b/i;

const DECLARATION_KINDS = kindMask(ts.SyntaxKind.VariableDeclaration);
const FINDING_KINDS = kindMask(
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.ShorthandPropertyAssignment,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.ElementAccessExpression,
  ts.SyntaxKind.VariableDeclaration,
);

/** The last name of `x.query` / `x['query']` / `query`, without building the dotted string. */
function lastName(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e)) return stringValue(e.argumentExpression);
  return undefined;
}

function checkTs(ctx: TsContext): void {
  if (!RELEVANT.test(ctx.text)) return;
  const sf = ctx.sourceFile;
  // Variables holding the incoming token (one or two assignment hops).
  const aliases = new Set<string>();
  // The nodes holding the client's own credential (its Authorization header, the verified
  // token the SDK hands to handlers, a use of an alias) and every ancestor of one: whether an
  // expression refers to the token is then one lookup, not a walk of it per declaration.
  let holders: Set<ts.Node> | undefined;
  const hold = (n: ts.Node): void => {
    for (let p: ts.Node | undefined = n; p && !holders!.has(p); p = p.parent) holders!.add(p);
  };
  const tokenHolders = (): Set<ts.Node> => {
    if (holders) return holders;
    holders = new Set();
    for (const n of tsHttpFacts(ctx).authorizationReads()) hold(n);
    // `authInfo.token` / `auth.token`: the members named `token`, found from the name's identifiers.
    for (const id of identifiersNamed(sf, 'token')) {
      const pa = id.parent;
      if (ts.isPropertyAccessExpression(pa) && pa.name === id && /(?:^|\.)(?:authInfo|auth)$/.test(dotted(pa.expression) ?? '')) hold(pa);
    }
    return holders;
  };
  const refersToToken = (root: ts.Node): boolean => tokenHolders().has(root);
  const addAlias = (name: string): void => {
    if (aliases.has(name)) return;
    aliases.add(name);
    tokenHolders();
    for (const n of identifiersNamed(sf, name)) if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) hold(n);
  };
  const readsToken = /authori[sz]ation|authInfo/i.test(ctx.text);
  // Two passes catch an alias declared before the one it copies; a pass that found no new alias
  // leaves the state as it found it, so the next one would find none either.
  for (let pass = 0, known = -1; readsToken && pass < 2 && aliases.size !== known; pass++) {
    known = aliases.size;
    walkTsKinds(sf, DECLARATION_KINDS, (n) => {
      if (!ts.isVariableDeclaration(n) || !n.initializer) return;
      if (ts.isIdentifier(n.name) && refersToToken(n.initializer)) addAlias(n.name.text);
      else if (ts.isObjectBindingPattern(n.name) && /(?:^|\.)headers$/.test(dotted(n.initializer) ?? '')) {
        for (const el of n.name.elements) {
          const key = el.propertyName ? propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
          if (key?.toLowerCase() === 'authorization' && ts.isIdentifier(el.name)) addAlias(el.name.text);
        }
      }
    });
  }
  walkTsKinds(sf, FINDING_KINDS, (n) => {
    // The kinds are exclusive: one load of the kind picks the branch.
    const kind = n.kind;
    // `Authorization: <the client's token>` in any outgoing header object.
    if (kind === ts.SyntaxKind.PropertyAssignment) {
      const pa = n as ts.PropertyAssignment;
      if (isAuthorization(propName(pa.name)) && isHeaderObjectTs(pa.parent) && refersToToken(pa.initializer)) {
        ctx.report({ span: spanOfNode(n, sf), message: "The client's own token is forwarded in the 'Authorization' header of an upstream request." });
      }
      return;
    }
    if (kind === ts.SyntaxKind.ShorthandPropertyAssignment) {
      const sp = n as ts.ShorthandPropertyAssignment;
      if (isAuthorization(sp.name.text) && isHeaderObjectTs(sp.parent) && aliases.has(sp.name.text)) {
        ctx.report({ span: spanOfNode(n, sf), message: "The client's own token is forwarded in the 'Authorization' header of an upstream request." });
      }
      return;
    }
    if (kind === ts.SyntaxKind.CallExpression) {
      findCall(n as ts.CallExpression);
      return;
    }
  });
  for (const read of tsQueryCredentialReads(sf)) ctx.report({ span: spanOfNode(read.node, sf), message: `The credential '${read.key}' is read from the query string.` });

  /** Calls that forward the token upstream or read a credential from the query string. */
  function findCall(n: ts.CallExpression): void {
    const last = calleeLast(n) ?? '';
    // headers.set('Authorization', token) / request.set('Authorization', token)
    if (SET_HEADER.has(last) && n.arguments.length >= 2 && stringValue(n.arguments[0])?.toLowerCase() === 'authorization') {
      const recv = ts.isPropertyAccessExpression(n.expression) ? dotted(n.expression.expression) ?? '' : '';
      if (!/(?:^|\.)(?:res|response|reply)$/.test(recv) && refersToToken(n.arguments[1]!)) {
        ctx.report({ span: spanOfNode(n, sf), message: "The client's own token is forwarded in the 'Authorization' header of an upstream request." });
      }
    }
    // fetch(url, { headers: req.headers }) forwards every incoming header, Authorization included.
    if (OUTGOING.has(last)) {
      for (const arg of n.arguments) {
        const a = unwrap(arg);
        if (!ts.isObjectLiteralExpression(a)) continue;
        for (const p of a.properties) {
          const value = ts.isPropertyAssignment(p) && propName(p.name) === 'headers' ? unwrap(p.initializer) : undefined;
          const whole = value && (isRequestHeaders(value) || (ts.isObjectLiteralExpression(value) && value.properties.some((q) => ts.isSpreadAssignment(q) && isRequestHeaders(unwrap(q.expression)))));
          if (whole) ctx.report({ span: spanOfNode(p, sf), message: "Every incoming request header, 'Authorization' included, is forwarded to an upstream request." });
        }
      }
    }
  }
}

/** A credential read from the query string of an incoming request: where, its key, and the URL object's name when it is read through one. */
export interface QueryCredentialRead {
  readonly node: ts.Node;
  readonly key: string;
  readonly url?: string;
}

const QUERY_READ_KINDS = kindMask(ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.CallExpression, ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.ElementAccessExpression);

/**
 * The credentials a TS/JS file reads from a query string (also used by no-secret-in-logs):
 * `url.searchParams.get('token')`, `req.query.get('access_token')`, `params.get('exaApiKey')` for
 * `const params = url.searchParams`, `req.query.token`, `req.query['api_key']`, `const { token } =
 * req.query`.
 */
export function tsQueryCredentialReads(sf: ts.SourceFile): QueryCredentialRead[] {
  const out: QueryCredentialRead[] = [];
  if (!/query|searchParams/.test(sf.text)) return out;
  // Locals holding a URL's search parameters, with the URL's name.
  const params = new Map<string, string | undefined>();
  walkTsKinds(sf, VARIABLE_DECLARATIONS, (d) => {
    const v = d as ts.VariableDeclaration;
    const init = v.initializer && unwrap(v.initializer);
    if (ts.isIdentifier(v.name) && init && ts.isPropertyAccessExpression(init) && init.name.text === 'searchParams') params.set(v.name.text, ts.isIdentifier(init.expression) ? init.expression.text : undefined);
  });
  walkTsKinds(sf, QUERY_READ_KINDS, (n) => {
    if (ts.isCallExpression(n)) {
      // url.searchParams.get('token') / req.query.get('access_token') / params.get('exaApiKey')
      const key = stringValue(n.arguments[0]);
      if (calleeLast(n) !== 'get' || !key || !QUERY_CREDENTIAL.test(key) || !ts.isPropertyAccessExpression(n.expression)) return;
      const recvNode = n.expression.expression;
      const recv = dotted(recvNode) ?? recvNode.getText(sf);
      if (/searchParams$|(?:^|\.)query$/.test(recv)) {
        const base = ts.isPropertyAccessExpression(recvNode) && recvNode.name.text === 'searchParams' && ts.isIdentifier(recvNode.expression) ? recvNode.expression.text : undefined;
        out.push({ node: n, key, ...(base ? { url: base } : {}) });
      } else if (params.has(recv)) {
        const url = params.get(recv);
        out.push({ node: n, key, ...(url ? { url } : {}) });
      }
    } else if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      // req.query.token / req.query['access_token']
      if (lastName(n.expression) === 'query' && /(?:^|\.)query$/.test(dotted(n.expression) ?? '') && REQUEST_OBJECT.test((dotted(n.expression) ?? '').replace(/\.query$/, ''))) {
        const key = ts.isPropertyAccessExpression(n) ? n.name.text : stringValue(n.argumentExpression);
        if (key && QUERY_CREDENTIAL.test(key)) out.push({ node: n, key });
      }
    } else if (ts.isVariableDeclaration(n) && n.initializer && ts.isObjectBindingPattern(n.name) && /(?:^|\.)(?:req|request)\.query$/.test(dotted(n.initializer) ?? '')) {
      // const { token } = req.query
      for (const el of n.name.elements) {
        const key = el.propertyName ? propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
        if (key && QUERY_CREDENTIAL.test(key)) out.push({ node: el, key });
      }
    }
  });
  return out;
}

/** An incoming request object by its name: `req`, `request`, `c.req`, `ctx.request`, `r`. */
export function isRequestObject(text: string): boolean {
  return REQUEST_OBJECT.test(text);
}


/** An object literal used as request headers: `headers: {...}`, `new Headers({...})`, `const headers = {...}`. */
function isHeaderObjectTs(obj: ts.Node): boolean {
  const p = obj.parent;
  if (!p) return false;
  if (ts.isPropertyAssignment(p) && /^headers$/i.test(propName(p.name) ?? '')) return true;
  if (ts.isNewExpression(p) && calleeLast(p) === 'Headers') return true;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && /headers?$/i.test(p.name.text)) return true;
  if (ts.isCallExpression(p) && OUTGOING.has(calleeLast(p) ?? '')) return true;
  if (ts.isBinaryExpression(p) && /headers$/i.test(p.left.getText())) return true;
  return false;
}

function isRequestHeaders(e: ts.Expression): boolean {
  const d = dotted(e);
  return !!d && /\.headers$/.test(d) && REQUEST_OBJECT.test(d.replace(/\.headers$/, ''));
}

// ---------------------------------------------------------------- Python

function incomingTokenPy(n: PyNode): boolean {
  if (n.type === 'call') {
    const fn = n.child('function');
    const name = dottedName(fn) ?? '';
    const first = n.child('arguments')?.namedChildren[0];
    if (/headers\.get$/.test(name) && pyString(first)?.toLowerCase() === 'authorization') return true;
    if (/(?:^|\.)get_access_token$/.test(name)) return true;
  }
  if (n.type === 'subscript' && /headers$/.test(n.child('value')?.text ?? '') && pyString(n.child('subscript'))?.toLowerCase() === 'authorization') return true;
  return false;
}

/** A dict used as request headers: `headers={...}`, `headers = {...}`, `client.headers.update({...})`. */
function isHeaderDictPy(dict: PyNode | null): boolean {
  const p = dict?.parent;
  if (!p) return false;
  if (p.type === 'keyword_argument' && /headers$/i.test(p.child('name')?.text ?? '')) return true;
  if (p.type === 'assignment' && /headers?$/i.test(p.child('left')?.text ?? '')) return true;
  if (p.type === 'argument_list' && /headers\.update$/.test(dottedName(p.parent?.child('function')) ?? '')) return true;
  return false;
}

function checkPy(ctx: PyContext): void {
  if (!RELEVANT.test(ctx.text)) return;
  const root = ctx.ast.root;
  const aliases = new Set<string>();
  const refersToToken = (node: PyNode): boolean => {
    let hit = false;
    walk(node, (n) => {
      if (hit) return false;
      if (incomingTokenPy(n) || (n.type === 'identifier' && aliases.has(n.text) && !(n.parent?.type === 'attribute' && n.parent.child('attribute') === n))) hit = true;
      return !hit;
    });
    return hit;
  };
  const readsToken = /authori[sz]ation|get_access_token/i.test(ctx.text);
  for (let pass = 0; readsToken && pass < 2; pass++) {
    walk(root, (n) => {
      if (n.type === 'assignment' && n.child('left')?.type === 'identifier' && n.child('right') && refersToToken(n.child('right')!)) aliases.add(n.child('left')!.text);
      return true;
    });
  }
  walk(root, (n) => {
    if (!readsToken) return false;
    if (n.type === 'pair' && pyString(n.child('key'))?.toLowerCase() === 'authorization' && isHeaderDictPy(n.parent) && n.child('value') && refersToToken(n.child('value')!)) {
      ctx.report({ span: n.span, message: "The client's own token is forwarded in the 'Authorization' header of an upstream request." });
    }
    return true;
  });
  for (const { call } of pyCalls(root)) {
    const args = call.child('arguments');
    if (!args) continue;
    // requests.get(url, headers=request.headers) / headers=dict(request.headers)
    for (const a of args.namedChildren) {
      if (a.type !== 'keyword_argument' || a.child('name')?.text !== 'headers') continue;
      const v = a.child('value');
      const inner = v?.type === 'call' && dottedName(v.child('function')) === 'dict' ? v.child('arguments')?.namedChildren[0] : v;
      if (inner && /^(?:request|req|self\.request|ctx\.request_context\.request)\.headers$/.test(inner.text)) {
        ctx.report({ span: a.span, message: "Every incoming request header, 'Authorization' included, is forwarded to an upstream request." });
      }
    }
  }
  for (const read of pyQueryCredentialReads(root, ctx.text)) ctx.report({ span: read.node.span, message: `The credential '${read.key}' is read from the query string.` });
}

/**
 * The credentials a Python file reads from a query string (also used by no-secret-in-logs):
 * `request.query_params.get("token")`, `request.args.get("access_token")`, and the same read by
 * subscript (`request.query_params["api_key"]`).
 */
export function pyQueryCredentialReads(root: PyNode, text: string): { node: PyNode; key: string }[] {
  const out: { node: PyNode; key: string }[] = [];
  if (!/query|\.args\b/.test(text)) return out;
  for (const { call, last } of pyCalls(root)) {
    if (last !== 'get') continue;
    const fn = call.child('function');
    const recv = fn?.type === 'attribute' ? fn.child('object')?.text ?? '' : '';
    const key = pyString(call.child('arguments')?.namedChildren[0]);
    if (key && QUERY_CREDENTIAL.test(key) && /(?:query_params|\.args|query)$/.test(recv)) out.push({ node: call, key });
  }
  if (/query_params|\.args\b/.test(text)) walk(root, (n) => {
    if (n.type === 'subscript' && /(?:query_params|\.args)$/.test(n.child('value')?.text ?? '')) {
      const key = pyString(n.child('subscript'));
      if (key && QUERY_CREDENTIAL.test(key)) out.push({ node: n, key });
    }
    return true;
  });
  return out;
}

export default createRule({
  meta: {
    id: 'no-token-passthrough',
    description: "Disallow forwarding the client's token to upstream APIs and reading tokens from the query string",
    cwe: [441, 598],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    tags: ['mcp', 'authentication'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
