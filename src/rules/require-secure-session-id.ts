import * as ts from 'typescript';
import { secureSessionIdPy, secureSessionIdTs } from '../core/fixes/mcp/session';
import { dottedName, pyEnclosingFunction, stringValue as pyString, walk, walkTypes } from '../core/mcp/lang/py';
import { calleeDotted, calleeLast, enclosingFunction, kindMask, propName, spanOfNode, stringValue, unwrap, walkTs, walkTsKinds } from '../core/mcp/lang/ts';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { isTestFile } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';

/** Names of slots that hold an MCP session id. */
const SESSION_NAME = /^(?:mcp[-_]?)?session[-_]?id$/i;
const SESSION_FN = /^(?:generate|create|new|make)[-_]?(?:mcp[-_]?)?session[-_]?id$/i;

// The shortest names the two patterns accept are `sessionid` and `newsessionid`: shorter names,
// most of a file's, skip the regex.
const isSessionName = (name: string): boolean => name.length >= 9 && SESSION_NAME.test(name);
const isSessionFn = (name: string): boolean => name.length >= 12 && SESSION_FN.test(name);

/** Methods that set a response header. */
const HEADER_SETTERS = new Set(['setHeader', 'header', 'set', 'append']);

/*
 * A slot named `sessionId` / `session_id` holds many kinds of ids: a search's (DesktopCommander
 * search-manager.ts), an index-tuning run's (postgres-mcp index_opt_base.py). The name alone is
 * reported when it says MCP (`mcpSessionId`) or sits in a class or function about sessions
 * (`class SessionStore`, `createSession()`); otherwise the id must reach what the transport or
 * the client sees, in the function that sets it: the `Mcp-Session-Id` header, a cookie, a store
 * of transports keyed by it, a transport's options.
 */

/** Callees that set a cookie: `res.cookie(name, id)`, `response.set_cookie(key, id)`. */
const COOKIE_SETTERS = new Set(['cookie', 'setCookie', 'set_cookie']);
/** Stores of transports keyed by session id: `transports[sessionId] = t`, `self._transports[sid] = t`. */
const TRANSPORT_STORE = /transports?$/i;
/** Header-name constants: `MCP_SESSION_ID_HEADER`. */
const SESSION_HEADER_CONST = /session[-_]?id[-_]?header/i;
/** Classes and functions about sessions. */
const SESSION_SCOPE = /session/i;
/**
 * Scopes about another kind of session (`createBrowserSessionCore`, `ChatSessionStore`,
 * `open_terminal_session`): a browser's, a chat's, a shell's id is no MCP session's
 * (ZMCPTools' `browser_${Date.now()}_...` handles).
 */
const OTHER_SESSION_SCOPE = /(?:browser|chat|user|login|auth|db|database|sql|terminal|shell|ssh|search|pty|tty|playwright|puppeteer|selenium|page|tab|repl|kernel|jupyter|notebook|conversation|debug|debugger|tmux|screen|process|worker|game|recording|upload|download|payment|checkout|cart)[-_]?sessions?/i;
const aboutMcpSessions = (name: string): boolean => SESSION_SCOPE.test(name) && !OTHER_SESSION_SCOPE.test(name);
/** Text of a file that handles MCP sessions: an HTTP transport, its session-id option or header. */
const MCP_SESSION_TEXT = /sessionIdGenerator|mcp-session-id|StreamableHTTPServerTransport|SSEServerTransport|SESSION_ID_HEADER/i;

const isSessionHeader = (key: string | undefined): boolean => key?.toLowerCase() === 'mcp-session-id';

/** Whether a read of the session-id variable hands it to the transport or the client. */
function reachesSessionTs(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isCallExpression(p) && p.arguments.includes(id)) {
    const last = calleeLast(p) ?? '';
    if (COOKIE_SETTERS.has(last)) return true;
    if (HEADER_SETTERS.has(last) && isSessionHeader(stringValue(p.arguments[0]))) return true;
    // `transports.set(sessionId, transport)`
    return last === 'set' && p.arguments[0] === id && ts.isPropertyAccessExpression(p.expression) && TRANSPORT_STORE.test(lastNameTs(p.expression.expression));
  }
  // `transports[sessionId] = transport`
  if (ts.isElementAccessExpression(p) && p.argumentExpression === id) return TRANSPORT_STORE.test(lastNameTs(p.expression));
  // `res.headers['mcp-session-id'] = sessionId`
  if (ts.isBinaryExpression(p) && p.right === id && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(p.left)) {
    const key = p.left.argumentExpression;
    return isSessionHeader(stringValue(key)) || (ts.isIdentifier(key) && SESSION_HEADER_CONST.test(key.text));
  }
  // `{ 'mcp-session-id': sessionId }`, or `{ sessionId }` given to `new XTransport(...)`.
  const prop = ts.isPropertyAssignment(p) && p.initializer === id ? p : ts.isShorthandPropertyAssignment(p) ? p : undefined;
  if (!prop) return false;
  if (isSessionHeader(propName(prop.name))) return true;
  const obj = prop.parent;
  return ts.isNewExpression(obj.parent) && /Transport$/.test(calleeLast(obj.parent) ?? '');
}

/** The last name of a receiver (`transports` of `this.transports`), '' for anything else. */
function lastNameTs(e: ts.Expression): string {
  const u = unwrap(e);
  return ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : '';
}

/** Whether a class or function around `node` is about sessions (`class SessionStore`, `createSession`). */
function inSessionScopeTs(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    const name = (ts.isClassLike(p) || ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p)) && p.name && ts.isIdentifier(p.name) ? p.name.text : undefined;
    if (name && aboutMcpSessions(name)) return true;
  }
  return false;
}

/** Whether the variable `decl` declares is an MCP session id by more than its name (see above). */
function isMcpSessionVariableTs(decl: ts.VariableDeclaration & { name: ts.Identifier }): boolean {
  const name = decl.name.text;
  if (/mcp/i.test(name) || inSessionScopeTs(decl)) return true;
  const scope = enclosingFunction(decl) ?? decl.getSourceFile();
  let found = false;
  walkTs(scope, (n) => {
    if (found) return false;
    if (ts.isIdentifier(n) && n.text === name && n !== decl.name && reachesSessionTs(n)) found = true;
    return !found;
  });
  return found;
}

/** Callees whose output is predictable (time, non-cryptographic PRNG, time-based UUID). */
const WEAK_TS = /^(?:Math\.random|Date\.now|performance\.now|process\.hrtime(?:\.bigint)?|uuid\.v1|uuidv1|v1|uuid\.v6|v6)$/;
/** Callees whose output is cryptographically random. */
const STRONG_TS = /(?:^|\.)(?:randomUUID|randomBytes|getRandomValues|randomInt|nanoid|customAlphabet|v4|uuidv4|v7|uuidv7|ulid|createId|cuid|generateId)$/;

/** Why an expression is a predictable id, or undefined when it is not (or cannot be told). */
function weaknessTs(node: ts.Node, counters: ReadonlySet<string>): string | undefined {
  let weak: string | undefined;
  let strong = false;
  walkTs(node, (n) => {
    if (ts.isCallExpression(n)) {
      const name = calleeDotted(n) ?? calleeLast(n) ?? '';
      if (STRONG_TS.test(name)) strong = true;
      else if (WEAK_TS.test(name)) weak ??= `'${name}()'`;
    } else if (ts.isNewExpression(n) && calleeLast(n) === 'Date') {
      weak ??= "'new Date()'";
    } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      weak ??= `the counter '${unwrap(n.operand).getText()}'`;
    } else if (ts.isIdentifier(n) && counters.has(n.text) && !ts.isPropertyAccessExpression(n.parent)) {
      weak ??= `the counter '${n.text}'`;
    }
  });
  return strong ? undefined : weak;
}

/** Module-level `let n = 0` variables: ids built from them are sequential. */
function counterVariables(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  for (const s of sf.statements) {
    if (!ts.isVariableStatement(s) || s.declarationList.flags & ts.NodeFlags.Const) continue;
    for (const d of s.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer && ts.isNumericLiteral(unwrap(d.initializer))) out.add(d.name.text);
    }
  }
  return out;
}

function functionNamed(sf: ts.SourceFile, name: string): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  walkTs(sf, (n) => {
    if (found) return false;
    if (ts.isFunctionDeclaration(n) && n.name?.text === name && n.body) found = n;
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) {
      const init = unwrap(n.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) found = init;
    }
    return true;
  });
  return found;
}

/** The nodes the check looks at: generator options, helper functions, session-id slots, header writes. */
const CHECK_KINDS = kindMask(ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.FunctionDeclaration, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.CallExpression);

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  const counters = counterVariables(sf);
  const reported = new Set<ts.Node>();
  const report = (node: ts.Node, why: string, fixable: boolean) => {
    if (reported.has(node)) return;
    reported.add(node);
    ctx.report({
      span: spanOfNode(node, sf),
      message: `This MCP session id is derived from ${why}, which is predictable.`,
      fixes: fixable ? secureSessionIdTs(ctx, node as ts.Expression) : [],
    });
  };
  const mcpSessions = MCP_SESSION_TEXT.test(sf.text);
  walkTsKinds(sf, CHECK_KINDS, (n) => {
    if (ts.isPropertyAssignment(n) && propName(n.name) === 'sessionIdGenerator') {
      const value = unwrap(n.initializer);
      const fn = ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : ts.isIdentifier(value) ? functionNamed(sf, value.text) : undefined;
      const why = fn?.body && weaknessTs(fn.body, counters);
      if (why) report(value, why, true);
      return;
    }
    // A helper named like a session-id generator, in a file that deals in MCP sessions (an
    // HTTP transport, `sessionIdGenerator`, the Mcp-Session-Id header): XcodeBuildMCP's
    // `createSessionId` names video-capture sessions.
    if (mcpSessions && ((ts.isFunctionDeclaration(n) && n.name && isSessionFn(n.name.text) && n.body) || (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && isSessionFn(n.name.text) && n.initializer && (ts.isArrowFunction(unwrap(n.initializer)) || ts.isFunctionExpression(unwrap(n.initializer)))))) {
      const fn = ts.isFunctionDeclaration(n) ? n : (unwrap((n as ts.VariableDeclaration).initializer!) as ts.ArrowFunction);
      const why = fn.body && weaknessTs(fn.body, counters);
      if (why) report(fn, why, false);
      return false;
    }
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && isSessionName(n.name.text) && n.initializer) {
      const why = weaknessTs(n.initializer, counters);
      if (why && isMcpSessionVariableTs(n as ts.VariableDeclaration & { name: ts.Identifier })) report(n.initializer, why, false);
    }
    if (ts.isCallExpression(n) && n.arguments.length >= 2 && HEADER_SETTERS.has(calleeLast(n) ?? '') && stringValue(n.arguments[0])?.toLowerCase() === 'mcp-session-id') {
      const why = weaknessTs(n.arguments[1]!, counters);
      if (why) report(n.arguments[1]!, why, false);
    }
    return true;
  });
}

// ---------------------------------------------------------------- Python

const WEAK_PY = /^(?:time\.time|time\.time_ns|time\.monotonic|time\.perf_counter|datetime\.now|datetime\.datetime\.now|datetime\.utcnow|datetime\.datetime\.utcnow|random\.\w+|uuid\.uuid1|uuid1|uuid\.uuid3|uuid\.uuid5)$/;
const STRONG_PY = /^(?:secrets\.\w+|uuid\.uuid4|uuid4|os\.urandom|token_urlsafe|token_hex|token_bytes|uuid\.uuid7)$/;

function weaknessPy(node: PyNode, ctx: PyContext): string | undefined {
  let weak: string | undefined;
  let strong = false;
  walk(node, (n) => {
    if (n.type === 'call') {
      const raw = dottedName(n.child('function')) ?? '';
      const q = ctx.imports.qualifyName(raw);
      if (STRONG_PY.test(q) || STRONG_PY.test(raw)) strong = true;
      else if (WEAK_PY.test(q) || WEAK_PY.test(raw)) weak ??= `'${raw}()'`;
      else if (/(?:^|\.)__next__$|^next$/.test(raw)) weak ??= `the counter '${n.text}'`;
    } else if (n.type === 'augmented_assignment' && /\+=/.test(n.text)) {
      weak ??= `the counter '${n.child('left')?.text ?? ''}'`;
    }
    return true;
  });
  return strong ? undefined : weak;
}

/** Python twin of `reachesSessionTs`. */
function reachesSessionPy(id: PyNode): boolean {
  let p = id.parent;
  if (!p) return false;
  // A value passed by keyword: `StreamableHTTPServerTransport(mcp_session_id=session_id)`.
  let keyword: string | undefined;
  if (p.type === 'keyword_argument' && p.child('value') === id) {
    keyword = p.child('name')?.text;
    p = p.parent;
  }
  if (p?.type === 'argument_list') {
    const fn = p.parent?.child('function');
    const last = (fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text) ?? '';
    return COOKIE_SETTERS.has(last) || (keyword !== undefined && /Transport$/.test(last));
  }
  if (!p || keyword !== undefined) return false;
  // `self._transports[session_id] = transport`
  if (p.type === 'subscript' && p.child('subscript') === id) return TRANSPORT_STORE.test(dottedName(p.child('value'))?.split('.').pop() ?? '');
  // `response.headers["mcp-session-id"] = session_id`
  if (p.type === 'assignment' && p.child('right') === id) {
    const left = p.child('left');
    const key = left?.type === 'subscript' ? left.child('subscript') : undefined;
    return !!key && (isSessionHeader(pyString(key)) || (key.type === 'identifier' && SESSION_HEADER_CONST.test(key.text)));
  }
  // `{"mcp-session-id": session_id}`
  return p.type === 'pair' && p.child('value') === id && isSessionHeader(pyString(p.child('key')));
}

/** Python twin of `isMcpSessionVariableTs`, for an assignment to `name` (a variable, attribute or key). */
function isMcpSessionSlotPy(assignment: PyNode, name: string, left: PyNode): boolean {
  if (/mcp/i.test(name)) return true;
  for (let p = assignment.parent; p; p = p.parent) {
    if ((p.type === 'class_definition' || p.type === 'function_definition') && aboutMcpSessions(p.child('name')?.text ?? '')) return true;
  }
  if (left.type !== 'identifier') return false;
  let found = false;
  walkTypes(pyEnclosingFunction(assignment) ?? assignment.source.root, ['identifier'], (n) => {
    if (!found && n !== left && n.text === name && reachesSessionPy(n)) found = true;
    return !found;
  });
  return found;
}

function checkPy(ctx: PyContext): void {
  walkTypes(ctx.ast.root, ['function_definition', 'assignment', 'pair'], (n) => {
    if (n.type === 'function_definition' && SESSION_FN.test(n.child('name')?.text ?? '')) {
      const body = n.child('body');
      const why = body && weaknessPy(body, ctx);
      if (why) ctx.report({ span: n.child('name')!.span, message: `This MCP session id is derived from ${why}, which is predictable.` });
      return false;
    }
    if (n.type === 'assignment') {
      const left = n.child('left');
      const name = left?.type === 'identifier' ? left.text : left?.type === 'attribute' ? left.child('attribute')?.text : left?.type === 'subscript' ? pyString(left.child('subscript')) : undefined;
      const right = n.child('right');
      if (name && right && left && SESSION_NAME.test(name) && !pyEnclosingFunction(n)?.text.startsWith('def test')) {
        const why = weaknessPy(right, ctx);
        if (why && isMcpSessionSlotPy(n, name, left)) ctx.report({ span: right.span, message: `This MCP session id is derived from ${why}, which is predictable.`, fixes: secureSessionIdPy(ctx, right) });
      }
    }
    if (n.type === 'pair' && pyString(n.child('key'))?.toLowerCase() === 'mcp-session-id') {
      const v = n.child('value');
      const why = v && weaknessPy(v, ctx);
      if (why) ctx.report({ span: v.span, message: `This MCP session id is derived from ${why}, which is predictable.`, fixes: secureSessionIdPy(ctx, v) });
    }
    return true;
  });
}

export default createRule({
  meta: {
    id: 'require-secure-session-id',
    description: 'Require MCP session ids to come from a cryptographically secure random source',
    cwe: [330],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
    tags: ['mcp', 'session'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
