import * as ts from 'typescript';
import { redactPy, redactTs } from '../core/fixes/mcp/redact';
import { dottedName, stringValue as pyString, walk, walkTypes } from '../core/mcp/lang/py';
import { isSecretRefName, pySecretRefs, tsSecretRefs, type SecretRef } from '../core/mcp/lang/secret-refs';
import { enclosingFunction, isMemberName, kindMask, registrationName, spanOfNode, topLevelConsts, unwrap, walkTs, walkTsKinds } from '../core/mcp/lang/ts';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import type { PyMcpRegistration } from '../core/python/mcp-model';
import { isTestFile, mayBeSecretName } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';
import type { FixProposal } from '../core/types';

interface Leak<N> {
  readonly node: N;
  readonly what: string;
  readonly fixes: readonly FixProposal[];
}

const DECLARATION_KINDS = kindMask(ts.SyntaxKind.VariableDeclaration);
const OUTPUT_KINDS = kindMask(ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.ThrowStatement);

function tsLeaks(ctx: TsContext, expr: ts.Node, locals: ReadonlyMap<string, ts.Expression>, seen?: Set<string>): Leak<ts.Node>[] {
  const sf = ctx.sourceFile;
  const leaks: Leak<ts.Node>[] = [];
  // One walk of the (small) output expression finds the error stacks it holds and the locals it
  // reads; functions inside it are not run by it. Lists are made only for what is found.
  let stacks: ts.PropertyAccessExpression[] | undefined;
  let used: string[] | undefined;
  const withLocals = locals.size > 0;
  walkTs(expr, (n) => {
    const kind = n.kind;
    if (kind === ts.SyntaxKind.ArrowFunction || kind === ts.SyntaxKind.FunctionExpression) return false;
    if (kind === ts.SyntaxKind.PropertyAccessExpression) {
      // `escapedText` is `text` for 'stack' (no leading underscores) without the unescaping getter.
      if ((n as ts.PropertyAccessExpression).name.escapedText === 'stack') (stacks ??= []).push(n as ts.PropertyAccessExpression);
    } else if (withLocals && (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.ShorthandPropertyAssignment)) {
      const name = kind === ts.SyntaxKind.Identifier ? (n as ts.Identifier).text : (n as ts.ShorthandPropertyAssignment).name.text;
      // `inputRequests: { auth: ... }` names a key; a local `auth` only compared is not in the output.
      if (name && locals.has(name) && !(kind === ts.SyntaxKind.Identifier && isMemberName(n as ts.Identifier))) (used ??= []).push(name);
    }
    return true;
  });
  if (stacks) for (const s of stacks) {
    leaks.push({
      node: s,
      what: `the error stack trace '${s.getText(sf)}'`,
      fixes: [{ kind: 'suggestion', title: "Return the error message instead of its stack", preferred: true, edits: [{ file: ctx.file, span: spanOfNode(s.name, sf), text: 'message' }] }],
    });
  }
  const refs: SecretRef<ts.Node>[] = tsSecretRefs(expr, ctx.loadLocalModule);
  for (const r of refs) leaks.push({ node: r.node, what: r.kind === 'secret' ? `the secret ${r.label}` : r.label, fixes: redactTs(ctx, [r]) });
  // One level of local variables: `const text = \`failed: ${err.stack}\`; return { content: [{ text }] }`.
  if (used) for (const name of used) {
    seen ??= new Set();
    if (seen.has(name)) continue;
    seen.add(name);
    for (const l of tsLeaks(ctx, locals.get(name)!, locals, seen)) if (!leaks.some((x) => x.node === l.node)) leaks.push(l);
  }
  return leaks;
}

/** Last names of the callees `buildsValueTs` accepts (`String`, `JSON.stringify`, `x.join`, ...). */
const VALUE_BUILDERS = new Set(['String', 'stringify', 'inspect', 'format', 'join', 'concat', 'toString']);

/**
 * Whether a local's initializer carries its parts into its value (string building, objects,
 * `JSON.stringify`), as opposed to a call that merely uses them (`await fetch(url, { headers })`).
 */
function buildsValueTs(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    // The callee's text matches below only when its last name is one of these: skip the slice otherwise.
    const c = e.expression;
    const last = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
    if (last !== undefined && !VALUE_BUILDERS.has(last)) return false;
    const callee = c.getText();
    return /^(?:String|JSON\.stringify|util\.inspect|inspect|format|util\.format)$/.test(callee) || /\.(?:join|concat|toString)$/.test(callee);
  }
  return !ts.isAwaitExpression(e) && !ts.isNewExpression(e) && !ts.isArrowFunction(e) && !ts.isFunctionExpression(e);
}

/** Names `mayLeakTs` looks for besides secret names and locals: `x.stack`, `process.env`, `req.headers`. */
const LEAK_NAMES = new Set(['stack', 'env', 'headers']);

/**
 * The handler being checked. The walks below run once per handler and per output on every
 * keystroke; their callbacks are module functions reading this state rather than closures made
 * per handler, and the locals map is reused (cleared after each handler, so that it keeps no
 * tree alive). Checks never nest, so one state serves.
 */
const state = {
  locals: new Map<string, ts.Expression>(),
  handler: undefined as ts.FunctionLikeDeclaration | undefined,
  found: false,
  /** The locals `probeLeak` checks names against (the handler's, or a test's). */
  probed: undefined as ReadonlyMap<string, ts.Expression> | undefined,
  outputs: [] as { node: ts.Node; kind: 'result' | 'error' }[],
};

function collectLocal(n: ts.Node): void {
  if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && buildsValueTs(n.initializer)) state.locals.set(n.name.text, n.initializer);
}

function probeLeak(n: ts.Node): boolean {
  if (state.found) return false;
  const kind = n.kind;
  if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier) {
    const name = (n as ts.Identifier | ts.PrivateIdentifier).text;
    state.found = LEAK_NAMES.has(name) || state.probed!.has(name) || isSecretRefName(name);
  } else if (kind === ts.SyntaxKind.ElementAccessExpression) state.found = true;
  return !state.found;
}

/**
 * Whether `tsLeaks(expr)` can find anything: a name it reacts to somewhere in `expr` (a member
 * named stack, env or headers, a secret name, a local), or an element access (whose key may be
 * a secret-named string). Every leak `tsLeaks` reports hangs off one of these, so when none is
 * there the answer is no leaks, found by one walk that allocates nothing (most results and
 * errors of a server: `return text(out)`, `throw new Error('not found')`).
 */
function mayLeakTs(expr: ts.Node, locals: ReadonlyMap<string, ts.Expression>): boolean {
  state.found = false;
  state.probed = locals;
  walkTs(expr, probeLeak);
  state.probed = undefined;
  return state.found;
}

/**
 * For the differential test of the probe: `tsLeaks` and `mayLeakTs` on any expression (the
 * probe must say yes wherever the search finds a leak).
 */
export const testHooks = { tsLeaks, mayLeakTs };

/** Outputs of the current handler that may leak, in source order. */
function collectOutput(n: ts.Node): void {
  if ((ts.isReturnStatement(n) || ts.isThrowStatement(n)) && n.expression && enclosingFunction(n) === state.handler && mayLeakTs(n.expression, state.locals)) {
    state.outputs.push({ node: n.expression, kind: ts.isThrowStatement(n) ? 'error' : 'result' });
  }
}

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  let reported: Set<ts.Node> | undefined;
  // Only a reported leak's label needs the file's constants (a registration named by one).
  let consts: Map<string, ts.Expression> | undefined;
  const { locals, outputs } = state;
  for (const reg of ctx.mcp.registrations) {
    const handler = reg.handler;
    if (!handler?.body) continue;
    try {
      state.handler = handler;
      // Every local is known before any output is probed (a local may be declared after a return).
      walkTsKinds(handler.body, DECLARATION_KINDS, collectLocal);
      if (!ts.isBlock(handler.body) && mayLeakTs(handler.body, locals)) outputs.push({ node: handler.body, kind: 'result' });
      walkTsKinds(handler.body, OUTPUT_KINDS, collectOutput);
      let label: string | undefined;
      for (const out of outputs) {
        for (const leak of tsLeaks(ctx, out.node, locals)) {
          reported ??= new Set();
          if (reported.has(leak.node)) continue;
          reported.add(leak.node);
          label ??= `${reg.kind} '${registrationName(reg, (consts ??= topLevelConsts(sf)))}'`;
          const message = out.kind === 'result' ? `The result of ${label} includes ${leak.what}.` : `The error thrown by ${label} includes ${leak.what}.`;
          ctx.report({ span: spanOfNode(leak.node, sf), message, fixes: leak.fixes });
        }
      }
    } finally {
      state.handler = undefined;
      outputs.length = 0;
      if (locals.size > 0) locals.clear();
    }
  }
}

// ---------------------------------------------------------------- Python

const TRACEBACK = /^(?:traceback\.format_exc|traceback\.format_exception|traceback\.format_tb|traceback\.format_stack|format_exc|format_exception)$/;

function pyLeaks(ctx: PyContext, expr: PyNode, locals: ReadonlyMap<string, PyNode>, seen = new Set<string>()): Leak<PyNode>[] {
  const leaks: Leak<PyNode>[] = [];
  walk(expr, (n) => {
    if (n.type === 'lambda') return false;
    if (n.type === 'call') {
      const raw = dottedName(n.child('function')) ?? '';
      if (TRACEBACK.test(ctx.imports.qualifyName(raw)) || TRACEBACK.test(raw)) leaks.push({ node: n, what: `the traceback '${raw}()'`, fixes: [] });
    }
    if (n.type === 'attribute' && n.child('attribute')?.text === '__traceback__') leaks.push({ node: n, what: `the traceback '${n.text}'`, fixes: [] });
    if (n.type === 'identifier' && locals.has(n.text) && !seen.has(n.text)) {
      seen.add(n.text);
      for (const l of pyLeaks(ctx, locals.get(n.text)!, locals, seen)) if (!leaks.some((x) => x.node === l.node)) leaks.push(l);
    }
    return true;
  });
  for (const r of pySecretRefs(expr, ctx.resolveImport)) leaks.push({ node: r.node, what: r.kind === 'secret' ? `the secret ${r.label}` : r.label, fixes: redactPy(ctx, [r]) });
  return leaks;
}

/** Python twin of `buildsValueTs`: strings, f-strings, `str()`/`json.dumps()`/`format_exc()` carry their parts. */
function buildsValuePy(expr: PyNode): boolean {
  if (expr.type === 'await') return false;
  if (expr.type === 'call') {
    const name = dottedName(expr.child('function')) ?? '';
    return /^(?:str|repr|json\.dumps|dict|traceback\.\w+|format_exc|\w+\.format|\w+\.join)$/.test(name);
  }
  return true;
}

/**
 * The Python output being probed (`mayLeakPy`): the handler's locals' names and the file's
 * text. As for TypeScript, the probe's callback is a module function reading this state.
 */
const pyState = {
  names: [] as string[],
  text: '',
  ctx: undefined as PyContext | undefined,
  found: false,
};

/**
 * Whether an identifier is a name `pyLeaks` reacts to: a member named `environ`, `headers` or
 * `__traceback__` (the attribute of an `attribute` node is an identifier), a local, or a secret
 * name. Compared in the file's text, so that the usual answer, no, slices no string.
 */
function identifierMayLeak(n: PyNode): boolean {
  const { text, names } = pyState;
  const start = n.start;
  const length = n.end - start;
  if (length === 7 && (text.startsWith('environ', start) || text.startsWith('headers', start))) return true;
  if (length === 13 && text.startsWith('__traceback__', start)) return true;
  for (let i = 0; i < names.length; i++) if (names[i]!.length === length && text.startsWith(names[i]!, start)) return true;
  return mayBeSecretName(text, start, n.end) && isSecretRefName(text.slice(start, n.end));
}

/** Last names a traceback call (TRACEBACK) can have once qualified: a dotted callee keeps its last name. */
const TRACEBACK_LAST = ['.format_exc', '.format_exception', '.format_tb', '.format_stack'];

/** Whether `pyLeaks` takes a call for a traceback: the same tests, after a check of the last name that needs no string. */
function isTracebackCall(raw: string, ctx: PyContext): boolean {
  if (raw.includes('.') && !TRACEBACK_LAST.some((t) => raw.endsWith(t))) return false;
  return TRACEBACK.test(ctx.imports.qualifyName(raw)) || TRACEBACK.test(raw);
}

/** The nodes `probeLeakPy` looks at. */
const PROBED_TYPES = ['identifier', 'call', 'subscript'];

function probeLeakPy(n: PyNode): boolean {
  if (pyState.found) return false;
  const type = n.type;
  if (type === 'identifier') pyState.found = identifierMayLeak(n);
  else if (type === 'call') {
    const raw = dottedName(n.child('function'));
    if (raw !== undefined && isTracebackCall(raw, pyState.ctx!)) pyState.found = true;
    else {
      // `x.get("token")` / `os.getenv("API_KEY")`: a secret-named key (`pySecretRefs`).
      const first = n.child('arguments')?.namedChildren[0];
      const key = first ? pyString(first) : undefined;
      pyState.found = key !== undefined && isSecretRefName(key);
    }
  } else if (type === 'subscript') {
    const key = pyString(n.child('subscript'));
    pyState.found = key !== undefined && isSecretRefName(key);
  }
  return !pyState.found;
}

/**
 * Whether `pyLeaks(expr)` can find anything: every leak it reports is a traceback call, an
 * identifier it reacts to (a local, a secret name, or the member name of `x.__traceback__`,
 * `os.environ`, `req.headers`, `x.token`), or a call or subscript with a secret-named string
 * key, somewhere in `expr`. When none is there the answer is no leaks, found by one walk that
 * allocates nothing for the usual output (`return text(out)`, `raise ValueError("not found")`).
 */
function mayLeakPy(ctx: PyContext, expr: PyNode, names: readonly string[]): boolean {
  pyState.found = false;
  pyState.ctx = ctx;
  pyState.text = expr.source.text;
  pyState.names = names as string[];
  walkTypes(expr, PROBED_TYPES, probeLeakPy);
  pyState.ctx = undefined;
  pyState.names = [];
  return pyState.found;
}

/** For the differential test of the Python probe, as `testHooks` for TypeScript. */
export const pyTestHooks = { pyLeaks, mayLeakPy };

/** The nodes of a handler's body `checkPy` acts on: nested definitions (skipped), assignments and outputs. */
const BODY_TYPES = ['function_definition', 'class_definition', 'lambda', 'assignment', 'return_statement', 'raise_statement'];

/**
 * The Python handler being checked: its locals and outputs, filled by `collectPy` (a module
 * function, not a closure per handler) and emptied after each handler so that they keep no tree
 * alive. Checks never nest, so one state serves.
 */
const pyBody = {
  locals: new Map<string, PyNode>(),
  outputs: [] as { node: PyNode; kind: 'result' | 'error' }[],
};

const NO_NAMES: readonly string[] = [];

function collectPy(n: PyNode): boolean {
  const type = n.type;
  if (type === 'function_definition' || type === 'class_definition' || type === 'lambda') return false;
  if (type === 'assignment') {
    const right = n.child('right');
    const left = right ? n.child('left') : undefined;
    if (right && left?.type === 'identifier' && buildsValuePy(right)) pyBody.locals.set(left.text, right);
  } else {
    // A return or raise: its value, the first named child that is not a comment.
    for (const c of n.namedChildren) {
      if (c.type === 'comment') continue;
      pyBody.outputs.push({ node: c, kind: type === 'raise_statement' ? 'error' : 'result' });
      break;
    }
  }
  return true;
}

function checkPy(ctx: PyContext): void {
  const reported = new Set<PyNode>();
  // The label is worded only for a report: most handlers have none.
  const handlers: { def: PyNode; reg?: PyMcpRegistration; method?: string }[] = [];
  for (const reg of ctx.mcp.registrations) if (reg.handler) handlers.push({ def: reg.handler, reg });
  for (const h of ctx.mcp.lowLevelHandlers) if (!handlers.some((x) => x.def === h.handler)) handlers.push({ def: h.handler, method: h.method });
  const labelOf = ({ def, reg, method }: (typeof handlers)[number]): string => (reg ? `${reg.kind} '${reg.name}'` : `handler '${def.child('name')?.text ?? method}'`);
  const { locals, outputs } = pyBody;
  for (const handler of handlers) {
    const body = handler.def.child('body');
    if (!body) continue;
    try {
      // Over the file index's type column: only the nodes of these types are read (a handler's
      // other nodes, most of it, cost no load of their own).
      walkTypes(body, BODY_TYPES, collectPy);
      if (outputs.length === 0) continue;
      const names = locals.size > 0 ? [...locals.keys()] : NO_NAMES;
      let text: string | undefined;
      for (const out of outputs) {
        if (!mayLeakPy(ctx, out.node, names)) continue;
        for (const leak of pyLeaks(ctx, out.node, locals)) {
          if (reported.has(leak.node)) continue;
          reported.add(leak.node);
          text ??= labelOf(handler);
          const message = out.kind === 'result' ? `The result of ${text} includes ${leak.what}.` : `The error raised by ${text} includes ${leak.what}.`;
          ctx.report({ span: leak.node.span, message, fixes: leak.fixes });
        }
      }
    } finally {
      outputs.length = 0;
      if (locals.size > 0) locals.clear();
    }
  }
}

export default createRule({
  meta: {
    id: 'no-secret-in-tool-output',
    description: 'Disallow error stacks, environments and secrets in the results and errors of MCP tools',
    cwe: [209, 200],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
    tags: ['mcp', 'secrets'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
