import * as ts from 'typescript';
import { accessName, stringValue, unwrap } from './ast';
import type { McpModel } from './mcp-model';
import { kindMask, walkTsKinds } from './walk';

const { isArrowFunction, isFunctionExpression, isIdentifier, SyntaxKind } = ts;

/** Parameter types the taint analysis reads as HTTP requests (taint.ts `HTTP_REQ_TYPES`, plus hono's `Context`). */
export const SOURCE_TYPE_NAMES: ReadonlySet<string> = new Set(['Request', 'IncomingMessage', 'FastifyRequest', 'NextRequest', 'ExpressRequest', 'HonoRequest', 'Context']);
/** Methods whose callbacks the taint analysis treats as HTTP handlers (`isHttpRouteCall`). */
export const HTTP_ROUTE_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'route']);
/** First-parameter names that make an HTTP callback's parameter a request (taint.ts `analyzeCallbacks`). */
const REQUEST_PARAM = /^(?:c|ctx|context|req|request)$/;

const TYPE_REFS = kindMask(SyntaxKind.TypeReference);
const CALLS = kindMask(SyntaxKind.CallExpression, SyntaxKind.NewExpression);

/** Argument forms whose value is never a function in the taint analysis (its `ev` returns no `fn` for them). */
const NEVER_FUNCTION = new Set<ts.SyntaxKind>([
  SyntaxKind.StringLiteral,
  SyntaxKind.NoSubstitutionTemplateLiteral,
  SyntaxKind.NumericLiteral,
  SyntaxKind.TrueKeyword,
  SyntaxKind.FalseKeyword,
  SyntaxKind.NullKeyword,
  SyntaxKind.RegularExpressionLiteral,
  SyntaxKind.TemplateExpression,
  SyntaxKind.ObjectLiteralExpression,
  SyntaxKind.ArrayLiteralExpression,
  SyntaxKind.PrefixUnaryExpression,
  SyntaxKind.PostfixUnaryExpression,
  SyntaxKind.TypeOfExpression,
  SyntaxKind.VoidExpression,
  SyntaxKind.DeleteExpression,
]);

/**
 * Whether the taint analysis of `sf` (taint.ts `analyzeTaint`) can create a taint source, and so
 * report a flow; false means it cannot, and the engine skips it (issue 9: in a workspace scan
 * most files are libraries, schemas and helpers with no handler, and their analysis was a
 * third of all taint time). Cheap: the parsed tree's flat node index (shared with the rules)
 * and the MCP model.
 *
 * Why false is safe. A flow is reported only for an origin that carries a source (`emit`
 * requires `o.src`), and every such origin descends from a value made by `sourceVal` in one of
 * four places; every other origin with a source (`access` leaves, request getters, summary
 * instantiation) is derived from an existing tainted value. The four places, and the
 * condition here that holds whenever one of them can run:
 *
 * 1. `onRegistration` -> `handlerParams`: only for a call found in the unit's `regs`, which is
 *    the MCP model's registrations other than `listTools` for the analysed file and empty for
 *    imported modules. Gate: `mcp.registrations` has one that is not `listTools`.
 * 2. `typedSource`: a parameter whose declared type is a type reference named one of
 *    `SOURCE_TYPE_NAMES` (last name of a qualified name), in a function run with the analysed
 *    file's unit. Gate: a TypeReference node with such a name in the tree.
 * 3. `analyzeCallbacks` with `isHttp`: a call or `new` in code run with the analysed file's
 *    unit for which `isHttpRouteCall` holds (an accessed method in `HTTP_ROUTE_METHODS`, given
 *    two or more arguments, or middleware to `use`, or one argument at the end of a chain; a
 *    method or callee named `createServer`; `on` with first argument 'request'); a source is made only for a
 *    function argument whose first parameter is named c/ctx/context/req/request or which has
 *    two or more parameters. Gate: such a call in the tree with an argument that is either such
 *    an inline function, or an expression that may evaluate to a function (anything but the
 *    literal forms in `NEVER_FUNCTION`; an identifier may hold an imported handler).
 *
 * 4. `runOAuthProviders`: the first parameter of `redirectToAuthorization` in a class or typed
 *    object of the analysed file, only when its text names `OAuthClientProvider`. Gate: both
 *    names in the text.
 *
 * "Run with the analysed file's unit" is the analysed file's own code only: functions and
 * classes of imported modules run with their module's unit (taint.ts `loadUnit`, `classHome`),
 * and there none of the three makes a source.
 *
 * Timeouts and internal errors of an analysis that is skipped are not reported: those are not
 * results of the file but of the time budget or a bug, and a skipped analysis has neither.
 */
export function mayHaveTaintSources(sf: ts.SourceFile, mcp: McpModel): boolean {
  if (mcp.registrations.some((r) => r.idiom !== 'listTools')) return true;
  // 4. taint.ts `runOAuthProviders`: an MCP client's OAuth provider, found by these two names.
  if (/\bOAuthClientProvider\b/.test(sf.text) && sf.text.includes('redirectToAuthorization')) return true;
  return hasSourceType(sf) || hasHttpCallback(sf);
}

function hasSourceType(root: ts.Node): boolean {
  let found = false;
  walkTsKinds(root, TYPE_REFS, (n) => {
    const tn = (n as ts.TypeReferenceNode).typeName;
    if (SOURCE_TYPE_NAMES.has(isIdentifier(tn) ? tn.text : tn.right.text)) found = true;
    return !found;
  });
  return found;
}

function hasHttpCallback(root: ts.Node): boolean {
  let found = false;
  walkTsKinds(root, CALLS, (n) => {
    if (!found && isHttpCall(n as ts.CallExpression | ts.NewExpression)) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether the taint analysis reads the function arguments of `call` as HTTP handlers (taint.ts
 * `analyzeCallbacks`' `isHttp`; shared, so the gate cannot drift from it). `method` is the
 * accessed method's name, `name` the method's or the called identifier's.
 *
 * A route method given a single argument (other than `use`, which takes middleware alone)
 * registers a handler only at the end of a chain: `router.route('/x').get(getUser)`, Hono's
 * `app.get('/a', h).post(h2)`. Called on anything else it is a lookup, not a route:
 * `sessions.get(id)`, `map.delete(key)`, `Promise.all(jobs)`, Express's `app.get('env')`
 * setting. Before this, every file with `cache.get(key)` was analysed as a possible HTTP
 * server (issue 9: 40 of the benchmark corpus's 773 files, a sixth of its analysis time, none
 * with a flow).
 */
export function isHttpRouteCall(call: ts.CallExpression | ts.NewExpression, method: string | undefined, name: string): boolean {
  const args = call.arguments ?? [];
  if (method === 'on') return stringValue(args[0]) === 'request';
  if (method === undefined || !HTTP_ROUTE_METHODS.has(method)) return name === 'createServer';
  if (args.length !== 1 || method === 'use') return true;
  const callee = unwrap(call.expression);
  return (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && ts.isCallExpression(unwrap(callee.expression));
}

/** Condition 3 for one call (taint.ts `analyzeCallbacks`' `isHttp` and parameter test). */
function isHttpCall(call: ts.CallExpression | ts.NewExpression): boolean {
  const args = call.arguments;
  if (!args || args.length === 0) return false;
  const callee = unwrap(call.expression);
  const method = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? accessName(callee) : undefined;
  const name = method ?? (isIdentifier(callee) ? callee.text : '');
  if (!isHttpRouteCall(call, method, name)) return false;
  for (const arg of args) {
    const a = unwrap(arg);
    if (isArrowFunction(a) || isFunctionExpression(a)) {
      const p0 = a.parameters[0];
      if (p0 && (a.parameters.length >= 2 || (isIdentifier(p0.name) && REQUEST_PARAM.test(p0.name.text)))) return true;
    } else if (!NEVER_FUNCTION.has(a.kind)) {
      return true;
    }
  }
  return false;
}
