import * as ts from 'typescript';
import { redactPy, redactTs } from '../core/fixes/mcp/redact';
import { pyCalls } from '../core/mcp/lang/py';
import { pySecretRefs, tsSecretRefs, type SecretRef } from '../core/mcp/lang/secret-refs';
import { calleeDotted, calleeLast, enclosingFunction as tsEnclosingFunction, kindMask, spanOfNode, walkTs, walkTsKinds } from '../core/mcp/lang/ts';
import { enclosingFunction, topLevelFunction, unparen, walkTypes, type PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { isTestFile } from '../core/mcp/secrets';
import { isRequestObject, pyQueryCredentialReads, tsQueryCredentialReads } from './no-token-passthrough';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';

const CALLS = kindMask(ts.SyntaxKind.CallExpression);

const TS_LOG_METHODS = new Set(['log', 'info', 'debug', 'warn', 'warning', 'error', 'trace', 'fatal', 'verbose', 'silly', 'notice', 'critical']);
/** Receivers that are loggers: `console`, `logger`, `this.log`, `fastify.log`, `server.logger`. */
const TS_LOGGER = /(?:^|\.)(?:console|logger|_logger|log|_log|logging|winston|pino|signale|consola|bunyan)$/i;

function isLogCallTs(call: ts.CallExpression): boolean {
  const last = calleeLast(call);
  if (!last) return false;
  if (last === 'sendLoggingMessage') return true;
  // The dotted name (`debug`, `log` or `<logger>.<method>`) is built only for a log method's name.
  if (!TS_LOG_METHODS.has(last)) return false;
  const full = calleeDotted(call);
  if (full === 'debug' || full === 'log') return true;
  if (!full) return false;
  return TS_LOGGER.test(full.slice(0, full.length - last.length - 1));
}

function describe(refs: readonly SecretRef<unknown>[]): string {
  const r = refs[0]!;
  return r.kind === 'secret' ? `the secret ${r.label}` : r.label;
}

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  const queryKeys = tsQueryCredentials(sf);
  walkTsKinds(sf, CALLS, (n) => {
    if (!ts.isCallExpression(n) || !isLogCallTs(n)) return;
    // The request URL, logged where a credential is read from its query string (exa-mcp-server's
    // `?exaApiKey=` and its `Request URL: ${req.url}` debug log).
    const carried = queryKeys.length > 0 ? urlCarryingCredential(n, queryKeys) : undefined;
    if (carried) {
      ctx.report({ span: spanOfNode(n, sf), message: `This log call writes the request URL, whose query string carries the credential '${carried}'.`, properties: { secrets: [carried] } });
      return;
    }
    const refs = n.arguments.flatMap((a) => tsSecretRefs(a, ctx.loadLocalModule));
    if (refs.length > 0) {
      ctx.report({
        span: spanOfNode(n, sf),
        message: `This log call writes ${describe(refs)}.`,
        fixes: redactTs(ctx, refs),
        properties: { secrets: refs.map((r) => r.label) },
      });
      return;
    }
    // A local built to hold a secret, logged by its name (Python's twin: `heldSecretRefs`).
    for (const id of tsLoggedNames(n.arguments)) {
      const held = tsHeldSecretRefs(ctx, id, n, 0);
      if (held.length === 0) continue;
      ctx.report({ span: spanOfNode(n, sf), message: `This log call writes ${describe(held)} (held in '${id.text}').`, properties: { secrets: held.map((r) => r.label) } });
      break;
    }
  });
}

/** A credential read from a request's query string (`tsQueryCredentialReads`), with the function reading it. */
interface QueryCredential {
  readonly home: ts.Node;
  readonly key: string;
  readonly url?: string;
}

function tsQueryCredentials(sf: ts.SourceFile): QueryCredential[] {
  return tsQueryCredentialReads(sf).map((r) => ({ home: tsEnclosingFunction(r.node) ?? sf, key: r.key, ...(r.url ? { url: r.url } : {}) }));
}

/**
 * Whether `fn` calls `target`, a function declared by name (exa-mcp-server's request handler
 * calls `hasAuth(request)`, which reads `?exaApiKey=` from the same request).
 */
function callsByName(fn: ts.Node, target: ts.Node): boolean {
  const name = ts.isFunctionDeclaration(target) ? target.name?.text : undefined;
  if (!name) return false;
  let found = false;
  walkTsKinds(fn, CALLS, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) found = true;
  });
  return found;
}

/**
 * The credential a log call writes with the whole request URL: `req.url`, `req.originalUrl`,
 * `request.url`, or the URL object the credential is read from (`url`, `url.href`, `url.search`,
 * `url.toString()`), in the function reading the credential from the query string or one
 * nested in it.
 */
function urlCarryingCredential(call: ts.CallExpression, creds: readonly QueryCredential[]): string | undefined {
  const home = tsEnclosingFunction(call);
  for (const c of creds) {
    if (c.home !== home && !(home && c.home.pos <= home.pos && home.end <= c.home.end) && !(home && callsByName(home, c.home))) continue;
    let found = false;
    const visit = (n: ts.Node): boolean => {
      if (found || isFunctionNode(n)) return false;
      if (ts.isPropertyAccessExpression(n) && /^(?:url|originalUrl)$/.test(n.name.text) && isRequestObject(n.expression.getText())) found = true;
      else if (c.url && ts.isIdentifier(n) && n.text === c.url) {
        const parent = n.parent;
        // `url.pathname`, `url.host`: parts without the query string.
        const part = parent && ts.isPropertyAccessExpression(parent) && parent.expression === n ? parent.name.text : undefined;
        if (part === undefined || /^(?:href|search|toString|toJSON)$/.test(part)) found = true;
      }
      return !found;
    };
    for (const a of call.arguments) walkTs(a, visit);
    if (found) return c.key;
  }
  return undefined;
}

/** Names logged as values: `console.log(headers)`, `` `${headers}` ``, `{ headers }`, `JSON.stringify(headers)`. */
function tsLoggedNames(args: readonly ts.Expression[]): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (e: ts.Node): void => {
    if (ts.isIdentifier(e)) {
      out.push(e);
      return;
    }
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return visit(e.expression);
    if (ts.isTemplateExpression(e)) return e.templateSpans.forEach((t) => visit(t.expression));
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isShorthandPropertyAssignment(p)) out.push(p.name);
        else if (ts.isPropertyAssignment(p)) visit(p.initializer);
        else if (ts.isSpreadAssignment(p)) visit(p.expression);
      }
      return;
    }
    if (ts.isArrayLiteralExpression(e)) return e.elements.forEach(visit);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return (visit(e.left), visit(e.right));
    if (ts.isCallExpression(e) && /^(?:String|JSON\.stringify|util\.inspect|inspect)$/.test(calleeDotted(e) ?? '')) return e.arguments.forEach(visit);
  };
  args.forEach(visit);
  return out;
}

function isFunctionNode(n: ts.Node): boolean {
  return ts.isFunctionLike(n) || ts.isClassLike(n);
}

/**
 * The secrets a local holds when it is logged: what the function around the log call assigned to
 * it before the call (an object, string or template built with a secret, or what a function of
 * the file returns), stored into it (`headers.Authorization = ...`) or merged into it
 * (`Object.assign(headers, auth)`).
 */
function tsHeldSecretRefs(ctx: TsContext, id: ts.Identifier, before: ts.Node, depth: number): SecretRef<ts.Node>[] {
  if (depth > 2) return [];
  const home: ts.Node = tsEnclosingFunction(before) ?? ctx.sourceFile;
  const name = id.text;
  const end = before.getStart(ctx.sourceFile);
  const out: SecretRef<ts.Node>[] = [];
  const visit = (n: ts.Node): void => {
    if (n.pos >= end) return;
    if (n !== home && isFunctionNode(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) out.push(...tsValueRefs(ctx, n.initializer, depth));
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = n.left;
      const target = ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left) ? left.expression : left;
      if (ts.isIdentifier(target) && target.text === name) out.push(...tsValueRefs(ctx, n.right, depth));
    } else if (ts.isCallExpression(n) && calleeDotted(n) === 'Object.assign' && ts.isIdentifier(n.arguments[0] ?? n) && (n.arguments[0] as ts.Identifier).text === name) {
      for (const a of n.arguments.slice(1)) out.push(...(ts.isIdentifier(a) ? tsHeldSecretRefs(ctx, a, n, depth + 1) : tsValueRefs(ctx, a, depth)));
    }
    ts.forEachChild(n, visit);
  };
  visit(home);
  return out;
}

/** Secrets in a value built in place, or returned by a function of the file it calls. */
function tsValueRefs(ctx: TsContext, value: ts.Expression, depth: number): SecretRef<ts.Node>[] {
  let v = value;
  while (ts.isParenthesizedExpression(v) || ts.isAsExpression(v) || ts.isNonNullExpression(v) || ts.isAwaitExpression(v)) v = v.expression;
  if (ts.isCallExpression(v)) {
    if (!ts.isIdentifier(v.expression) || depth > 1) return [];
    const callee = v.expression.text;
    const def = ctx.sourceFile.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === callee && !!s.body);
    if (!def?.body) return [];
    const out: SecretRef<ts.Node>[] = [];
    const visit = (n: ts.Node): void => {
      if (isFunctionNode(n)) return;
      if (ts.isReturnStatement(n) && n.expression && tsBuilt(n.expression)) out.push(...tsSecretRefs(n.expression, ctx.loadLocalModule));
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(def.body, visit);
    return out;
  }
  return tsBuilt(v) ? tsSecretRefs(v, ctx.loadLocalModule) : [];
}

/** Values that hold their parts as they are: an object, a string or template, a concatenation, a member read. */
function tsBuilt(e: ts.Expression): boolean {
  return ts.isObjectLiteralExpression(e) || ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) || ts.isBinaryExpression(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isConditionalExpression(e);
}

const PY_LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);
/** `logging.info`, `logger.warning`, `self.log.error`, FastMCP `ctx.info` (sent to the client). */
const PY_LOGGER = /(?:^|\.)(?:logging|logger|_logger|log|_log|LOGGER|LOG|ctx|context|structlog|loguru)$/;

function isLogCallPy(call: PyNode, name: string | undefined, last: string | undefined): boolean {
  if (!name || !last) return false;
  if (name === 'print') return true;
  if (name === 'sys.stderr.write' || name === 'sys.stdout.write') return true;
  if (!PY_LOG_METHODS.has(last)) return false;
  return PY_LOGGER.test(name.slice(0, name.length - last.length - 1)) || call.text.startsWith('logging.getLogger');
}

function checkPy(ctx: PyContext): void {
  const queryKeys = pyQueryCredentials(ctx.ast.root, ctx.text);
  for (const { call, name, last } of pyCalls(ctx.ast.root)) {
    if (!isLogCallPy(call, name, last)) continue;
    const args = call.child('arguments');
    if (!args) continue;
    // The request URL, logged in a function reading a credential from its query string.
    const carried = queryKeys.length > 0 ? pyUrlCarryingCredential(call, args, queryKeys) : undefined;
    if (carried) {
      ctx.report({ span: call.span, message: `This log call writes the request URL, whose query string carries the credential '${carried}'.`, properties: { secrets: [carried] } });
      continue;
    }
    const refs = args.namedChildren.flatMap((a) => {
      // `exc_info=...`, `extra={...}`: keyword values are logged too; their names are not.
      const v = a.type === 'keyword_argument' ? a.child('value') : a;
      if (a.type === 'keyword_argument' && /^(?:file|flush|sep|end|stacklevel)$/.test(a.child('name')?.text ?? '')) return [];
      return v ? pySecretRefs(v, ctx.resolveImport) : [];
    });
    if (refs.length > 0) {
      ctx.report({ span: call.span, message: `This log call writes ${describe(refs)}.`, fixes: redactPy(ctx, refs), properties: { secrets: refs.map((r) => r.label) } });
      continue;
    }
    // A local built to hold a secret, logged by its name (prometheus-mcp-server's `headers`,
    // updated with a helper's `{"Authorization": f"Bearer {config.token}"}`). The secret is
    // written where the local is built: no in-place fix at the log call.
    for (const id of loggedNames(args)) {
      const held = heldSecretRefs(ctx, id, call, 0);
      if (held.length === 0) continue;
      ctx.report({
        span: call.span,
        message: `This log call writes ${describe(held)} (held in '${id.text}').`,
        properties: { secrets: held.map((r) => r.label) },
      });
      break;
    }
  }
}

/** The credentials read from a query string (`pyQueryCredentialReads`), with the function reading each. */
function pyQueryCredentials(root: PyNode, text: string): { home: PyNode | undefined; key: string }[] {
  return pyQueryCredentialReads(root, text).map((r) => ({ home: enclosingFunction(r.node), key: r.key }));
}

/** A request object: `request`, `req`, `ctx.request`. */
const PY_REQUEST_LIKE = /^(?:request|req|(?:ctx|context)\.request)$/;

/** The credential a log call writes with `request.url` (or `str(request.url)`, `request.query_params`), in the function reading it from the query string. */
function pyUrlCarryingCredential(call: PyNode, args: PyNode, creds: readonly { home: PyNode | undefined; key: string }[]): string | undefined {
  const home = enclosingFunction(call);
  const cred = creds.find((c) => c.home === home);
  if (!cred) return undefined;
  let found = false;
  walkTypes(args, ['attribute'], (n) => {
    if (found) return false;
    if (/^(?:url|query_params|query_string|full_path|args)$/.test(n.child('attribute')?.text ?? '') && PY_REQUEST_LIKE.test(n.child('object')?.text ?? '')) {
      // `request.url.path`, `request.url.hostname`: parts without the query string.
      const parent = n.parent;
      const part = parent?.type === 'attribute' && parent.child('object') === n ? parent.child('attribute')?.text : undefined;
      found = part === undefined || /^(?:query|_url|components)$/.test(part);
    }
    return !found;
  });
  return found ? cred.key : undefined;
}

/** Names logged as values: `logger.debug("...", headers=headers)`, `print(headers)`, `f"{headers}"`. */
function loggedNames(args: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const a of args.namedChildren) {
    if (a.type === 'keyword_argument' && /^(?:file|flush|sep|end|stacklevel|exc_info)$/.test(a.child('name')?.text ?? '')) continue;
    const v = a.type === 'keyword_argument' ? a.child('value') : a;
    if (!v) continue;
    walkTypes(v, ['identifier', 'attribute', 'call', 'lambda', 'keyword_argument'], (n) => {
      if (n.type === 'identifier') {
        out.push(n);
        return false;
      }
      // `headers.keys()`, `len(headers)`, `obj.headers`: not the value; the arguments of other calls are.
      if (n.type === 'attribute' || n.type === 'lambda') return false;
      if (n.type === 'keyword_argument') {
        const value = n.child('value');
        if (value) walkTypes(value, ['identifier'], (i) => (out.push(i), false));
        return false;
      }
      const fn = n.child('function');
      return fn?.type === 'identifier' && /^(?:str|repr|dict|format|json\.dumps)$/.test(fn.text);
    });
  }
  return out;
}

/**
 * The secrets a local holds when it is logged: what the function around the log call assigned to
 * it before the call (a dict, string or f-string built with a secret, or the result of a function
 * of the file that returns one), stored into it (`headers["Authorization"] = ...`), or merged
 * into it (`headers.update(auth)`, with `auth` followed the same way).
 */
function heldSecretRefs(ctx: PyContext, id: PyNode, before: PyNode, depth: number): SecretRef<PyNode>[] {
  if (depth > 2) return [];
  const home = enclosingFunction(before);
  if (!home) return [];
  const name = id.text;
  const out: SecretRef<PyNode>[] = [];
  walkTypes(home, ['assignment', 'call', 'function_definition', 'lambda', 'class_definition'], (n) => {
    if (n.start >= before.start) return false;
    if (n !== home && (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')) return false;
    if (n.type === 'assignment') {
      const left = n.child('left');
      const right = n.child('right');
      if (!left || !right) return true;
      const stored = left.type === 'subscript' && left.child('value')?.type === 'identifier' && left.child('value')!.text === name;
      if ((left.type === 'identifier' && left.text === name) || stored) out.push(...valueSecretRefs(ctx, right, depth));
      return true;
    }
    if (n.type === 'call') {
      const fn = n.child('function');
      if (fn?.type === 'attribute' && fn.child('attribute')?.text === 'update' && fn.child('object')?.text === name) {
        for (const arg of n.child('arguments')?.namedChildren ?? []) {
          if (arg.type === 'identifier') out.push(...heldSecretRefs(ctx, arg, n, depth + 1));
          else out.push(...valueSecretRefs(ctx, arg, depth));
        }
      }
    }
    return true;
  });
  return out;
}

/** Secrets in a value built in place, or returned by the function of the file it calls. */
function valueSecretRefs(ctx: PyContext, value: PyNode, depth: number): SecretRef<PyNode>[] {
  const v = unparen(value);
  if (v.type === 'call') {
    const fn = v.child('function');
    // `key = os.getenv("SERVICE_API_KEY")`, `token = headers.get("Authorization")`.
    if (fn?.type === 'attribute' && /^(?:get|getenv)$/.test(fn.child('attribute')?.text ?? '')) return pySecretRefs(v, ctx.resolveImport);
    if (fn?.type !== 'identifier' || depth > 1) return [];
    if (fn.text === 'getenv') return pySecretRefs(v, ctx.resolveImport);
    const def = topLevelFunction(ctx.ast.root, fn.text);
    if (!def) return [];
    const out: SecretRef<PyNode>[] = [];
    walkTypes(def, ['return_statement', 'function_definition', 'lambda', 'class_definition'], (r) => {
      if (r.type !== 'return_statement') return r === def;
      const e = r.namedChildren.find((c) => c.type !== 'comment');
      if (e && BUILT.has(unparen(e).type)) out.push(...pySecretRefs(e, ctx.resolveImport));
      return false;
    });
    return out;
  }
  return BUILT.has(v.type) ? pySecretRefs(v, ctx.resolveImport) : [];
}

/** Values that hold their parts as they are: a dict, a string, an f-string, a concatenation. */
const BUILT: ReadonlySet<string> = new Set(['dictionary', 'string', 'concatenated_string', 'binary_operator', 'attribute', 'subscript']);


export default createRule({
  meta: {
    id: 'no-secret-in-logs',
    description: 'Disallow writing tokens, passwords, API keys, auth headers and environments to logs',
    cwe: [532],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
    tags: ['mcp', 'secrets'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
