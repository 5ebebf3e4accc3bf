import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { fileSystemHost } from '../core/linter';
import { stdioEntryOf } from '../core/mcp/lang/stdio-package';
import { toStderrPy, toStderrTs } from '../core/fixes/mcp/stdout';
import { callArgs, dottedName, pyBool, pyCalls, unparen } from '../core/mcp/lang/py';
import { calleeDotted, calleeLast, dotted, enclosingFunction, functionName, identifiersNamed, importedBindings, kindMask, spanOfNode, walkTsKinds } from '../core/mcp/lang/ts';
import { decoratorsOf, enclosingFunction as enclosingPyFunction, methodOf, nodesOfType, type PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { isTestFile } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import { alwaysExits, unwrap } from '../core/ts/ast';
import type { TsContext } from '../core/ts/engine';

const CALLS = kindMask(ts.SyntaxKind.CallExpression);
const BINARY = kindMask(ts.SyntaxKind.BinaryExpression);

/** Console methods that write to stdout in Node.js (`warn`, `error` and `trace` go to stderr). */
const STDOUT_CONSOLE = new Set(['log', 'info', 'debug', 'dir', 'dirxml', 'table', 'count', 'timeLog', 'timeEnd', 'group', 'groupCollapsed']);

/**
 * Whether a call's last name allows `console.<stdout method>` or `process.stdout.write`: the
 * dotted callee (a string built per call) is only worth building then.
 */
function mayWriteStdout(call: ts.CallExpression): boolean {
  const last = calleeLast(call);
  return last !== undefined && (last === 'write' || STDOUT_CONSOLE.has(last));
}

/** Whether a later statement of the same block ends the process (`--help` / usage output). */
function followedByExitTs(node: ts.Node): boolean {
  for (let at: ts.Node = node; ; ) {
    let stmt: ts.Node = at;
    while (stmt.parent && !ts.isBlock(stmt.parent) && !ts.isSourceFile(stmt.parent) && !ts.isCaseClause(stmt.parent)) stmt = stmt.parent;
    const block = stmt.parent;
    if (!block) return false;
    const statements = ts.isBlock(block) || ts.isSourceFile(block) || ts.isCaseClause(block) ? block.statements : undefined;
    if (!statements) return false;
    const idx = statements.indexOf(stmt as ts.Statement);
    if (statements.slice(idx + 1).some((s) => ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && calleeDotted(s.expression) === 'process.exit')) return true;
    // The exit may follow the branch, loop or array callback the write sits in (tavily-mcp's
    // `--list-tools`: `tools.forEach((t) => console.log(...)); process.exit(0);`).
    const owner = block.parent;
    if (!owner || ts.isSourceFile(block)) return false;
    if (ts.isFunctionLike(owner)) {
      const call = owner.parent;
      if (!call || !ts.isCallExpression(call) || !call.arguments.includes(owner as ts.Expression) || !SYNC_ITERATION.has(calleeLast(call) ?? '')) return false;
      at = call;
    } else at = owner;
  }
}

/** Array methods that call their callback before they return. */
const SYNC_ITERATION = new Set(['forEach', 'map', 'filter', 'some', 'every', 'reduce', 'flatMap', 'find', 'findIndex']);

/**
 * Whether a condition holds only when stdout is a terminal (`process.stdout.isTTY`, alone or in
 * an `&&` chain), or with `negated` only when it is not (`!process.stdout.isTTY`, in an `||`
 * chain). A client that speaks the protocol over stdio makes stdout a pipe, so a write the
 * condition guards never reaches the protocol stream.
 */
function ttyTs(cond: ts.Expression, negated = false): boolean {
  const e = unwrap(cond);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return ttyTs(e.operand, !negated);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === (negated ? ts.SyntaxKind.BarBarToken : ts.SyntaxKind.AmpersandAmpersandToken)) {
    return ttyTs(e.left, negated) || ttyTs(e.right, negated);
  }
  return !negated && dotted(e) === 'process.stdout.isTTY';
}

/**
 * Whether `call` sits in a branch that runs in another mode than stdio: the other branch of an
 * `if` that starts the stdio transport, or the branch an `isStdio`-style condition excludes.
 */
/**
 * Whether the write `n` sits in a function of this file that is only called where nothing goes
 * to the protocol stream: each call is followed by an exit (a command-line mode: Gmail-MCP-Server's
 * `authenticate()` under `if (process.argv[2] === 'auth') { ...; process.exit(0); }`) or sits in
 * another mode's branch, directly or through one more such function. A function never called,
 * exported, or passed as a value is not one of these.
 */
function onlyCalledOffStream(n: ts.Node, sf: ts.SourceFile, stdioNodes: readonly ts.Node[], depth = 0): boolean {
  const fn = enclosingFunction(n);
  const name = fn && functionName(fn);
  if (!fn || !name || depth > 1) return false;
  let memo = offStreamMemo.get(sf);
  if (!memo) offStreamMemo.set(sf, (memo = new Map()));
  const known = depth === 0 ? memo.get(fn) : undefined;
  if (known !== undefined) return known;
  const exported = (x: ts.Node | undefined) => !!x && ts.canHaveModifiers(x) && (ts.getModifiers(x) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (exported(fn) || exported(fn.parent?.parent?.parent)) return false;
  let calls = 0;
  let off = true;
  for (const x of identifiersNamed(sf, name)) {
    if (x === fn.name || (fn.parent && ts.isVariableDeclaration(fn.parent) && x === fn.parent.name)) continue;
    const call = x.parent;
    // Any use but a plain call (`cb = authenticate`, `export { authenticate }`) may run it anywhere.
    if (!ts.isCallExpression(call) || call.expression !== x) {
      off = false;
      break;
    }
    calls++;
    if (!followedByExitTs(call) && !otherModeBranchTs(call, stdioNodes) && !onlyCalledOffStream(call, sf, stdioNodes, depth + 1)) {
      off = false;
      break;
    }
  }
  const result = off && calls > 0;
  if (depth === 0) memo.set(fn, result);
  return result;
}

/**
 * `onlyCalledOffStream`'s answers by function, for the other writes in it, per parse: an
 * incremental parse keeps the nodes of unchanged functions, whose callers may have changed.
 */
const offStreamMemo = new WeakMap<ts.SourceFile, Map<ts.Node, boolean>>();

/**
 * Whether the stdio transport starts after `stmt` in the function around it: built there, or by
 * a function of the file called there (`if (port) { ...; return; } await startStdio();`).
 */
function stdioAfter(stmt: ts.Node, stdioNodes: readonly ts.Node[]): boolean {
  const home = enclosingFunction(stmt);
  if (stdioNodes.some((s) => s.pos >= stmt.end && enclosingFunction(s) === home)) return true;
  const starters = new Set<string>();
  for (const s of stdioNodes) {
    for (let fn = enclosingFunction(s); fn; fn = enclosingFunction(fn)) {
      const name = functionName(fn);
      if (name) starters.add(name);
    }
  }
  if (starters.size === 0) return false;
  const body = home?.body ?? stmt.getSourceFile();
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.end <= stmt.end) return;
    if (n !== body && ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && n.pos >= stmt.end && ts.isIdentifier(unwrap(n.expression)) && starters.has((unwrap(n.expression) as ts.Identifier).text)) found = true;
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

function otherModeBranchTs(call: ts.Node, stdioNodes: readonly ts.Node[]): boolean {
  for (let child: ts.Node = call, p = call.parent; p; child = p, p = p.parent) {
    if (!ts.isIfStatement(p) && !ts.isConditionalExpression(p)) continue;
    const thenPart = ts.isIfStatement(p) ? p.thenStatement : p.whenTrue;
    const elsePart = ts.isIfStatement(p) ? p.elseStatement : p.whenFalse;
    const cond = ts.isIfStatement(p) ? p.expression : p.condition;
    if (child !== thenPart && child !== elsePart) continue;
    const other = child === thenPart ? elsePart : thenPart;
    if (other && stdioNodes.some((s) => s.pos >= other.pos && s.end <= other.end)) return true;
    // `if (options.port) { startHttp(); return; }` with the stdio transport after the `if`, in
    // the same function: not an early return of a tool handler or a helper (`if (!id) {
    // console.log(...); return; }` still writes into the stream).
    if (child === thenPart && ts.isIfStatement(p) && alwaysExits(thenPart as ts.Statement) && stdioAfter(p, stdioNodes)) return true;
    if (child === (ttyTs(cond) ? thenPart : ttyTs(cond, true) ? elsePart : undefined)) return true;
    const text = cond.getText();
    if (/stdio/i.test(text)) {
      const negated = /^\s*!|!==?/.test(text);
      if ((child === thenPart && negated) || (child === elsePart && !negated)) return true;
    }
  }
  return false;
}

/**
 * A file without the transport whose tool handlers run in the package's stdio server: only
 * output inside handlers is reported (it runs while the protocol stream is live).
 */
function checkHandlersOfStdioPackage(ctx: TsContext): void {
  if (ctx.mcp.registrations.length === 0 || ctx.mcp.transports.length > 0) return;
  // Checked for existence first: most directories between a file and its package.json have
  // none, and a thrown ENOENT per probe was most of this check's time on a workspace.
  const entry = stdioEntryOf(ctx.file, (f) => (fs.existsSync(f) ? fileSystemHost.readFile(f) : undefined));
  if (!entry || path.resolve(entry) === path.resolve(ctx.file)) return;
  const shown = path.relative(path.dirname(ctx.file), entry).split(path.sep).join('/');
  walkTsKinds(ctx.sourceFile, CALLS, (n) => {
    if (!ts.isCallExpression(n) || !mayWriteStdout(n) || !ctx.mcp.isInHandler(n)) return;
    const callee = calleeDotted(n);
    if (!callee) return;
    const what = (callee.startsWith('console.') && STDOUT_CONSOLE.has(callee.slice(8))) || callee === 'process.stdout.write' ? callee : undefined;
    if (!what) return;
    ctx.report({
      span: spanOfNode(n, ctx.sourceFile),
      message: `'${what}' in this tool handler writes to stdout, which carries the protocol messages of the stdio MCP server started in '${shown}'.`,
      fixes: toStderrTs(ctx, n),
    });
  });
}

/** The name a function is called by here: its declaration's, or the `const` holding it. */
function calledName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/**
 * Adds to `httpFunctions` the functions that call one of them by name (`startHttpTransport`
 * whose request callback calls `handleStreamable`, which builds the transport), transitively,
 * up to a function that starts the stdio transport or calls one that does: those run in both modes.
 */
function addHttpCallers(sf: ts.SourceFile, stdioNodes: readonly ts.Node[], httpFunctions: Set<ts.Node>): void {
  const calls: ts.CallExpression[] = [];
  walkTsKinds(sf, CALLS, (n) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) calls.push(n);
  });
  if (calls.length === 0) return;
  const stdioNames = new Set<string>();
  const addEnclosingNames = (node: ts.Node, names: Set<string>): boolean => {
    let grew = false;
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      const name = calledName(fn);
      if (name !== undefined && !names.has(name)) {
        names.add(name);
        grew = true;
      }
    }
    return grew;
  };
  for (const s of stdioNodes) addEnclosingNames(s, stdioNames);
  for (let round = 0, grew = true; grew && round < 6; round++) {
    grew = false;
    for (const c of calls) if (stdioNames.has((c.expression as ts.Identifier).text) && addEnclosingNames(c, stdioNames)) grew = true;
  }
  const httpNames = new Set<string>();
  for (const f of httpFunctions) {
    const name = calledName(f);
    if (name !== undefined && !stdioNames.has(name)) httpNames.add(name);
  }
  for (let round = 0, grew = true; grew && round < 6; round++) {
    grew = false;
    for (const c of calls) {
      if (!httpNames.has((c.expression as ts.Identifier).text)) continue;
      for (let fn = enclosingFunction(c); fn; fn = enclosingFunction(fn)) {
        const f = fn;
        const name = calledName(f);
        if ((name !== undefined && stdioNames.has(name)) || stdioNodes.some((s) => f.pos <= s.pos && s.end <= f.end)) break;
        if (!httpFunctions.has(f)) {
          httpFunctions.add(f);
          grew = true;
        }
        if (name !== undefined) httpNames.add(name);
      }
    }
  }
}

/** Whether a call chain defines a commander command: `program.command('list')`, `.command('x').description('...')`. */
function isCommandChain(expr: ts.Expression): boolean {
  for (let e = unwrap(expr); ts.isCallExpression(e); e = ts.isPropertyAccessExpression(e.expression) ? unwrap(e.expression.expression) : e.expression) {
    if (calleeLast(e) === 'command') return true;
    if (!ts.isPropertyAccessExpression(e.expression)) return false;
  }
  return false;
}

function checkTs(ctx: TsContext): void {
  const stdio = ctx.mcp.transports.filter((t) => t.kind === 'stdio');
  if (stdio.length === 0) {
    checkHandlersOfStdioPackage(ctx);
    return;
  }
  const sf = ctx.sourceFile;
  // Functions that set up an HTTP transport run in HTTP mode; their output does not hit the stdio
  // stream. Neither does the output of a CLI command that does not start the server (below).
  const httpFunctions = new Set<ts.Node>();
  for (const t of ctx.mcp.transports) {
    if (t.kind === 'stdio') continue;
    for (let fn = enclosingFunction(t.node); fn; fn = enclosingFunction(fn)) {
      const f = fn;
      if (stdio.some((s) => f.pos <= s.node.pos && s.node.end <= f.end)) break;
      httpFunctions.add(f);
    }
  }
  addHttpCallers(sf, stdio.map((t) => t.node), httpFunctions);
  // A commander program's other commands (`program.command('list').action(() => ...)`) run in
  // invocations that do not serve: their callbacks print to the terminal (as `otherCommandsPy`).
  walkTsKinds(sf, CALLS, (n) => {
    const call = n as ts.CallExpression;
    if (calleeLast(call) !== 'action' || !ts.isPropertyAccessExpression(call.expression) || !isCommandChain(call.expression.expression)) return;
    const fn = call.arguments[0] && unwrap(call.arguments[0]);
    if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !stdio.some((s) => fn.pos <= s.node.pos && s.node.end <= fn.end)) httpFunctions.add(fn);
  });
  // `console.log = console.error` (a common first line of stdio servers) reroutes every call.
  const rerouted = new Set<string>();
  walkTsKinds(sf, BINARY, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
      const target = dotted(n.left);
      if (target?.startsWith('console.')) rerouted.add(target.slice('console.'.length));
      // A replaced `process.stdout.write` (a filter that drops what is not a protocol message,
      // AgentDeskAI/browser-tools-mcp) is what `console.log` writes through too.
      if (target === 'process.stdout.write') for (const m of ['stdout.write', ...STDOUT_CONSOLE]) rerouted.add(m);
    }
  });
  walkTsKinds(sf, CALLS, (n) => {
    if (!ts.isCallExpression(n) || !mayWriteStdout(n)) return;
    const callee = calleeDotted(n);
    if (!callee) return;
    let what: string | undefined;
    if (callee.startsWith('console.') && STDOUT_CONSOLE.has(callee.slice(8)) && !rerouted.has(callee.slice(8))) what = callee;
    else if (callee === 'process.stdout.write' && !rerouted.has('stdout.write')) what = callee;
    if (!what) return;
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (httpFunctions.has(p)) return;
    if (followedByExitTs(n) || otherModeBranchTs(n, stdio.map((t) => t.node))) return;
    if (onlyCalledOffStream(n, sf, stdio.map((t) => t.node))) return;
    ctx.report({ span: spanOfNode(n, sf), message: `'${what}' writes to stdout, which carries the protocol messages of this stdio MCP server.`, fixes: toStderrTs(ctx, n) });
  });
  checkImportedWritersTs(ctx, stdio.map((t) => t.node), httpFunctions, rerouted);
}

/**
 * A function of a local module that this stdio server's tool handlers call and that writes to
 * stdout itself (a `log()` helper calling `console.info`, benborla/mcp-server-mysql's
 * utils/index.ts): reported once per function, at its first call in a handler, with no fix (the
 * write is in the other file, where `console.error` is the fix).
 */
function checkImportedWritersTs(ctx: TsContext, stdioNodes: readonly ts.Node[], httpFunctions: ReadonlySet<ts.Node>, rerouted: ReadonlySet<string>): void {
  const load = ctx.loadLocalModule;
  if (!load) return;
  const sf = ctx.sourceFile;
  const imported = importedBindings(sf);
  if (imported.size === 0) return;
  const done = new Set<string>();
  walkTsKinds(sf, CALLS, (n) => {
    if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression)) return;
    const name = n.expression.text;
    const imp = imported.get(name);
    // Inside tool handlers, as for the package's other files: they run while the protocol
    // stream is live.
    if (!imp || done.has(name) || !ctx.mcp.isInHandler(n)) return;
    for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (httpFunctions.has(p)) return;
    if (otherModeBranchTs(n, stdioNodes)) return;
    done.add(name);
    const module = load(imp.spec);
    const fn = module ? exportedFunction(module, imp.member) : undefined;
    const write = fn ? stdoutWriteIn(fn, rerouted) : undefined;
    if (!module || !write) return;
    const shown = path.relative(path.dirname(ctx.file), module.fileName).split(path.sep).join('/');
    ctx.report({
      span: spanOfNode(n, sf),
      message: `'${name}' (${shown}) writes to stdout with '${write}', which carries the protocol messages of this stdio MCP server.`,
    });
  });
}

/** The body of a module's exported function `name` (a declaration, or a const set to a function). */
function exportedFunction(sf: ts.SourceFile, name: string): ts.FunctionLikeDeclaration | undefined {
  const exported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const stmt of sf.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.body && exported(stmt) && (name === 'default' ? isDefault(stmt) : stmt.name?.text === name)) return stmt;
    if (ts.isVariableStatement(stmt) && exported(stmt) && name !== 'default') {
      for (const d of stmt.declarationList.declarations) {
        const init = d.initializer && unwrap(d.initializer);
        if (ts.isIdentifier(d.name) && d.name.text === name && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
      }
    }
  }
  return undefined;
}

/** The first stdout write in a function's own body (not in functions nested in it), by its callee. */
function stdoutWriteIn(fn: ts.FunctionLikeDeclaration, rerouted: ReadonlySet<string>): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== fn && ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && mayWriteStdout(n)) {
      const callee = calleeDotted(n);
      if (callee?.startsWith('console.') && STDOUT_CONSOLE.has(callee.slice(8)) && !rerouted.has(callee.slice(8))) found = callee;
      else if (callee === 'process.stdout.write' && !rerouted.has('stdout.write')) found = callee;
      if (found && followedByExitTs(n)) found = undefined;
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

// ---------------------------------------------------------------- Python

function followedByExitPy(node: PyNode): boolean {
  for (let at: PyNode = node; ; ) {
    let stmt: PyNode = at;
    while (stmt.parent && stmt.parent.type !== 'block' && stmt.parent.type !== 'module') stmt = stmt.parent;
    const block = stmt.parent;
    if (!block) return false;
    const idx = block.children.indexOf(stmt);
    if (block.children.slice(idx + 1).some((s) => (s.type === 'expression_statement' && /^(?:sys\.exit|exit|quit|os\._exit)\s*\(/.test(s.text)) || (s.type === 'raise_statement' && /SystemExit/.test(s.text)))) return true;
    // The exit may follow the branch or loop the write sits in, within the same function.
    const owner = block.parent;
    if (!owner || block.type === 'module' || owner.type === 'function_definition' || owner.type === 'class_definition') return false;
    at = owner;
  }
}

/** Python twin of `ttyTs`: `sys.stdout.isatty()`, `not sys.stdout.isatty()`. */
function ttyPy(cond: PyNode, negated = false): boolean {
  const e = unparen(cond);
  if (e.type === 'not_operator') {
    const operand = e.child('argument');
    return !!operand && ttyPy(operand, !negated);
  }
  if (e.type === 'boolean_operator' && e.children.some((c) => c.type === (negated ? 'or' : 'and'))) {
    const left = e.child('left');
    const right = e.child('right');
    return (!!left && ttyPy(left, negated)) || (!!right && ttyPy(right, negated));
  }
  return !negated && e.type === 'call' && dottedName(e.child('function')) === 'sys.stdout.isatty' && (e.child('arguments')?.namedChildren.length ?? 0) === 0;
}

/** Python twin of `otherModeBranchTs`. */
function otherModeBranchPy(call: PyNode, stdioNodes: readonly PyNode[]): boolean {
  for (let child: PyNode = call, p = call.parent; p; child = p, p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const cond = p.child('condition');
    const branches = [p.child('consequence'), ...p.childrenOf('alternative')].filter((b): b is PyNode => !!b);
    const mine = branches.find((b) => b.contains(child));
    if (!mine) continue;
    if (branches.some((b) => b !== mine && stdioNodes.some((s) => b.contains(s)))) return true;
    // Every branch after the first (`elif`, `else`) runs only when the condition is false.
    if (cond && (mine === p.child('consequence') ? ttyPy(cond) : ttyPy(cond, true))) return true;
    const text = cond?.text ?? '';
    if (/stdio/i.test(text)) {
      const negated = /^\s*not\b|!=/.test(text);
      const inThen = mine === p.child('consequence');
      if ((inThen && negated) || (!inThen && !negated)) return true;
    }
  }
  return false;
}

/**
 * Python twin of `onlyCalledOffStream`: the write sits in a function of the file (or in one
 * nested in it) whose every use is a call in another mode's branch or followed by an exit
 * (microsoft/markitdown's markitdown-mcp: a Starlette lifespan's `print` inside
 * `create_starlette_app`, which only the `--http` branch calls). A function used otherwise (passed
 * as a value, decorated as a tool and so called by the server) is looked past, to the one around it.
 */
function onlyCalledOffStreamPy(ctx: PyContext, write: PyNode, stdioNodes: readonly PyNode[]): boolean {
  const ids = nodesOfType(ctx.ast, 'identifier');
  for (let fn = enclosingPyFunction(write); fn; fn = enclosingPyFunction(fn)) {
    const nameNode = fn.child('name');
    if (!nameNode || decoratorsOf(fn).length > 0) continue;
    const uses = ids.filter((id) => id !== nameNode && id.text === nameNode.text);
    if (uses.length === 0) continue;
    const calls = uses.map((id) => (id.parent?.type === 'call' && id.parent.child('function') === id ? id.parent : undefined));
    if (calls.some((c) => !c)) continue;
    if (calls.every((c) => followedByExitPy(c!) || otherModeBranchPy(c!, stdioNodes))) return true;
    return false;
  }
  return false;
}

function isStdout(node: PyNode | undefined): boolean {
  return !!node && dottedName(unparen(node)) === 'sys.stdout';
}

/**
 * Stdio transports of the model that really start an MCP server: `subprocess.run(...)` and
 * `asyncio.run(...)` are calls on imported modules, not on a server object.
 */
function stdioTransportsPy(ctx: PyContext): PyNode[] {
  const out: PyNode[] = [];
  for (const t of ctx.mcp.transports) {
    if (t.kind !== 'stdio') continue;
    const fn = t.node.type === 'call' ? t.node.child('function') : undefined;
    const recv = fn?.type === 'attribute' ? dottedName(fn.child('object')) : undefined;
    if (recv && !recv.includes('.') && !ctx.mcp.servers.some((sv) => sv.variable === recv)) {
      const binding = ctx.imports.bindings.get(recv);
      if (binding && binding.member === undefined) continue;
    }
    out.push(t.node);
  }
  return out;
}

/** Command-line libraries whose commands are decorated functions (`@click.command()`, `@app.command()`). */
const CLI_LIBRARIES = new Set(['click', 'asyncclick', 'cloup', 'rich_click', 'typer', 'cyclopts']);

/**
 * Functions of the file that never run while its stdio transport serves: the CLI commands
 * (`@click.command`, `@group.command`, typer's `@app.command`) that do not start the transport,
 * and the module's private helpers (`_open_in_editor`) that only such commands use. A program
 * runs one command per invocation, so a `print-system-prompt` command prints to the terminal
 * that started it, not into the protocol stream of the `start-mcp-server` command. A group's
 * own callback (`@click.group`) runs before every command, the server's included: it is not one
 * of these. Empty unless the file imports a CLI library.
 */
function otherCommandsPy(ctx: PyContext, stdioNodes: readonly PyNode[]): Set<PyNode> {
  const out = new Set<PyNode>();
  if (![...ctx.imports.bindings.values()].some((b) => CLI_LIBRARIES.has(b.qualified.split('.')[0]!))) return out;
  const startsServer = (def: PyNode) => stdioNodes.some((s) => def.contains(s));
  const defs = nodesOfType(ctx.ast, 'function_definition');
  for (const def of defs) {
    if (startsServer(def)) continue;
    const isCommand = decoratorsOf(def).some((d) => {
      const callee = d.type === 'call' ? d.child('function') : d;
      const name = callee ? dottedName(callee) : undefined;
      return name !== undefined && (name === 'command' || name.endsWith('.command'));
    });
    if (isCommand) out.add(def);
  }
  if (out.size === 0) return out;
  // Private module functions whose every use is in one of these (grown until none is added).
  const helpers = defs.filter((def) => {
    const parent = def.parent?.type === 'decorated_definition' ? def.parent.parent : def.parent;
    return parent?.type === 'module' && (def.child('name')?.text ?? '').startsWith('_') && !startsServer(def) && !out.has(def);
  });
  if (helpers.length === 0) return out;
  // One pass over the file's identifiers collects the uses of every helper's name.
  const uses = new Map<string, PyNode[]>(helpers.map((def) => [def.child('name')?.text ?? '', []]));
  const text = ctx.ast.text;
  for (const id of nodesOfType(ctx.ast, 'identifier')) {
    if (text.charCodeAt(id.start) !== 95 /* _ */) continue;
    uses.get(id.text)?.push(id);
  }
  for (let added = true; added; ) {
    added = false;
    for (const def of helpers) {
      if (out.has(def)) continue;
      const nameNode = def.child('name');
      const used = (uses.get(nameNode?.text ?? '') ?? []).filter((id) => id !== nameNode);
      if (used.length > 0 && used.every((id) => [...out].some((other) => other.contains(id)))) {
        out.add(def);
        added = true;
      }
    }
  }
  return out;
}

/** Last names of the library callees `checkPy` reports (each branch then tests its own name exactly). */
const STDOUT_CALLEE = /(?:^|\.)(?:StreamHandler|basicConfig|Console)$/;

function checkPy(ctx: PyContext): void {
  const stdio = stdioTransportsPy(ctx).map((node) => ({ node }));
  if (stdio.length === 0) return;
  // Worked out at the first write found: most servers have none.
  let otherCommands: Set<PyNode> | undefined;
  for (const { call, name } of pyCalls(ctx.ast.root)) {
    if (!name) continue;
    // Only these callees can write to stdout: a server's other calls skip the argument lists.
    if (name !== 'print' && name !== 'sys.stdout.write' && name !== 'sys.stdout.writelines' && !STDOUT_CALLEE.test(name)) continue;
    const args = callArgs(call);
    let what: string | undefined;
    let kind: 'print' | 'write' | 'stream' = 'stream';
    if (name === 'print') {
      const file = args.keywords.get('file');
      if (file && !isStdout(file)) continue;
      what = 'print';
      kind = 'print';
    } else if (name === 'sys.stdout.write' || name === 'sys.stdout.writelines') {
      what = name;
      kind = 'write';
    } else if (/(?:^|\.)StreamHandler$/.test(name) && isStdout(args.positional[0] ?? args.keywords.get('stream'))) {
      what = 'logging.StreamHandler(sys.stdout)';
    } else if (/(?:^|\.)basicConfig$/.test(name) && isStdout(args.keywords.get('stream'))) {
      what = 'logging.basicConfig(stream=sys.stdout)';
    } else if (/(?:^|\.)Console$/.test(name) && ctx.imports.qualifyName(name).startsWith('rich.') && pyBool(args.keywords.get('stderr')) !== true && !args.keywords.has('file')) {
      what = 'rich.console.Console()';
    }
    if (!what) continue;
    if (followedByExitPy(call) || otherModeBranchPy(call, stdio.map((t) => t.node))) continue;
    if (onlyCalledOffStreamPy(ctx, call, stdio.map((t) => t.node))) continue;
    otherCommands ??= otherCommandsPy(ctx, stdio.map((t) => t.node));
    if (otherCommands.size > 0 && [...otherCommands].some((def) => def.contains(call))) continue;
    const fixes = what === 'rich.console.Console()' ? [] : toStderrPy(ctx, call, kind);
    ctx.report({ span: call.span, message: `'${what}' writes to stdout, which carries the protocol messages of this stdio MCP server.`, fixes });
  }
  checkImportedWritersPy(ctx, stdio.map((t) => t.node));
}

/** How deep the calls of an imported function are followed within its module. */
const IMPORTED_WRITER_DEPTH = 3;

/**
 * Python twin of `checkImportedWritersTs`: a function of a local module, or a method of a class
 * of one (`DockerHandlers.handle_deploy`), that this stdio server's handlers call and that
 * prints to stdout itself or through the functions and methods of its module it calls
 * (QuantGeekDev/docker-mcp's `_cleanup_files`). Reported once per callee, at its first call in
 * a handler, with no fix (the write is in the other file).
 */
function checkImportedWritersPy(ctx: PyContext, stdioNodes: readonly PyNode[]): void {
  const resolve = ctx.resolveImport;
  if (!resolve) return;
  const handlers = [...ctx.mcp.registrations.map((r) => r.handler), ...ctx.mcp.lowLevelHandlers.map((h) => h.handler)].filter((h): h is PyNode => !!h && h.source === ctx.ast);
  if (handlers.length === 0) return;
  const done = new Set<string>();
  for (const handler of handlers) {
    for (const { call, name } of pyCalls(handler)) {
      if (!name || done.has(name) || otherModeBranchPy(call, stdioNodes)) continue;
      const [head, member] = name.split('.');
      if (!head || !ctx.imports.bindings.has(head) || name.split('.').length > 2) continue;
      done.add(name);
      const r = resolve(head, call);
      if (!r) continue;
      const target = r.member ?? member;
      const cls = r.member && member ? r.module.classes.get(r.member) : undefined;
      const def = cls ? methodOf(cls, member!) : target && !(r.member && member) ? r.module.functions.get(target) : undefined;
      const write = def ? printIn(def, r.module.functions, IMPORTED_WRITER_DEPTH, new Set()) : undefined;
      if (!write) continue;
      const shown = path.relative(path.dirname(ctx.file), r.module.source.file).split(path.sep).join('/');
      ctx.report({ span: call.span, message: `'${name}' (${shown}) writes to stdout with 'print', which carries the protocol messages of this stdio MCP server.` });
    }
  }
}

/**
 * The first `print` to stdout in a function, or in the functions of its module and methods of
 * its class it calls (by name, `Cls.m`, `self.m`, `cls.m`), `depth` calls deep. A print followed
 * by an exit is a command-line message, as in the server's own file.
 */
function printIn(def: PyNode, functions: ReadonlyMap<string, PyNode>, depth: number, seen: Set<PyNode>): PyNode | undefined {
  if (seen.has(def)) return undefined;
  seen.add(def);
  let cls: PyNode | null = def.parent;
  while (cls && cls.type !== 'class_definition' && cls.type !== 'module') cls = cls.parent;
  for (const { call, name } of pyCalls(def)) {
    if (name === 'print') {
      const file = callArgs(call).keywords.get('file');
      if ((!file || isStdout(file)) && !followedByExitPy(call)) return call;
      continue;
    }
    if (depth <= 0 || !name) continue;
    const parts = name.split('.');
    let callee: PyNode | undefined;
    if (parts.length === 1) callee = functions.get(name);
    else if (parts.length === 2 && cls?.type === 'class_definition' && (parts[0] === 'self' || parts[0] === 'cls' || parts[0] === cls.child('name')?.text)) callee = methodOf(cls, parts[1]!);
    const found = callee ? printIn(callee, functions, depth - 1, seen) : undefined;
    if (found) return found;
  }
  return undefined;
}

export default createRule({
  meta: {
    id: 'no-stdout-in-stdio-server',
    description: 'Disallow writing to stdout in MCP servers that use the stdio transport',
    cwe: [116],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'fix',
    tags: ['mcp', 'transport'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
