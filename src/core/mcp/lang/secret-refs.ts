/**
 * Finds secret-bearing expressions inside a value that is written somewhere (a log call's
 * arguments, a tool result): secret-named variables and properties, auth headers, whole
 * request-header objects and whole environments. Expressions that only test or measure a
 * secret (`!!token`, `token.length`, `token ? 'set' : 'unset'`, `mask(token)`) are skipped.
 */
import * as ts from 'typescript';
import { enclosingFunction as pyEnclosingFunction, functionParams, topLevelFunction, unparen, type PyNode } from '../../python/ast';
import { HTTP_CLIENT_METHODS } from '../../python/kinds/ssrf';
import type { ResolvedImport } from '../../python/modules';
import { isSecretName as isSecretNameLoose, looksLikeSecretValue, nameSegments } from '../secrets';
import { dottedName, stringValue as pyString, walk } from './py';
import { dotted, enclosingFunction, isMemberName, propName, stringValue, unwrap } from './ts';

export interface SecretRef<N> {
  readonly node: N;
  /** How the secret is named in the message: `'apiKey'`, `the request headers`, `the environment`. */
  readonly label: string;
  readonly kind: 'secret' | 'headers' | 'environment';
}

/** Functions whose result no longer reveals the secret. */
const MASKING_CALL = /(?:mask|redact|hash|sha\d*|digest|hmac|truncate|obfuscate|censor|fingerprint|Boolean|isNaN|len|bool|type|isinstance|keys|has|exists|count|startswith|endswith|startsWith|endsWith|includes|test|match|compare|verify|validate|check)/i;

/** Methods that keep (most of) the secret's value. */
const VALUE_PRESERVING = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'valueOf', 'concat', 'normalize', 'padStart', 'padEnd', 'split', 'strip', 'lower', 'upper', 'decode', 'encode', 'removeprefix', 'format']);

const STRICT = { strict: true } as const;

/**
 * The name test the secret-reference finders apply: only names, never values, are seen here,
 * so the strict one. Exported for prefilters that must agree with the finders exactly.
 */
export function isSecretRefName(name: string): boolean {
  return isSecretNameLoose(name, STRICT);
}

const isSecretName = isSecretRefName;

/**
 * Code about progress, pagination, cursors or lexing, where a bare `token` is an id of that kind
 * (an LSP `$/progress` token, a page or continuation token, a lexer token), not a credential:
 * oraios/serena's language-server wrappers log progress tokens in `on_progress(params)` and
 * `work_done_progress_create(params)` handlers.
 */
const OTHER_TOKEN_CONTEXT = /progress|paginat|cursor|continuation|lexer|tokeni[sz]/i;

/** A bare `token` read inside a TypeScript function about another kind of token (see OTHER_TOKEN_CONTEXT). */
function tsOtherToken(name: string, n: ts.Node): boolean {
  if (name.toLowerCase() !== 'token') return false;
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    const holder = p.parent;
    const named = p.name && ts.isIdentifier(p.name) ? p.name.text : holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : holder && ts.isPropertyAssignment(holder) ? propName(holder.name) : undefined;
    if (named !== undefined) return OTHER_TOKEN_CONTEXT.test(named);
    // A callback registered for such a message: `connection.onNotification('$/progress', (params) => ...)`.
    if (holder && ts.isCallExpression(holder) && holder.arguments.some((a) => ts.isStringLiteralLike(a) && OTHER_TOKEN_CONTEXT.test(a.text))) return true;
  }
  return false;
}

/**
 * A bare `token` read inside a Python function about another kind of token (see
 * OTHER_TOKEN_CONTEXT), or a loop's `token` over the pieces of a split string (see splitPiece).
 */
function pyOtherToken(name: string, n: PyNode): boolean {
  if (name.toLowerCase() !== 'token') return false;
  if (n.type === 'identifier' && splitPiece(n)) return true;
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return OTHER_TOKEN_CONTEXT.test(p.child('name')?.text ?? '');
  return false;
}

/**
 * Whether a loop variable read here is a piece of a string split apart, directly or through a
 * local list built from it (`for token in [t.strip() for t in raw.split(",")]`), where nothing
 * in the split string, or in the values of the names it reads, has a credential's word:
 * mcp-atlassian's toolset names from the TOOLSETS setting. The pieces of
 * `os.getenv("API_TOKENS").split(",")` stay secret.
 */
function splitPiece(id: PyNode): boolean {
  const home = pyEnclosingFunction(id);
  let loop: PyNode | undefined;
  for (let p = id.parent; p && p !== home; p = p.parent) {
    if (p.type === 'for_statement' && p.child('left')?.text === id.text && p.child('body')?.contains(id)) {
      loop = p;
      break;
    }
  }
  let iterable = loop?.child('right');
  if (!loop || !iterable || !home) return false;
  // Through a few locals and comprehensions (`tokens = [t for t in tokens if t]`).
  for (let at: PyNode = loop, i = 0; i < 4 && iterable; i++) {
    const e: PyNode = unparen(iterable);
    if (e.type === 'identifier') {
      const a = localAssignment(home, e.text, at);
      iterable = a?.child('right');
      if (a) at = a;
    } else if (e.type === 'list_comprehension' || e.type === 'generator_expression') {
      iterable = e.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right');
    } else break;
  }
  const split = iterable ? unparen(iterable) : undefined;
  const fn = split?.type === 'call' ? split.child('function') : undefined;
  const text = fn?.type === 'attribute' && /^(?:r?split|splitlines)$/.test(fn.child('attribute')?.text ?? '') ? fn.child('object') : undefined;
  if (!text || CREDENTIAL_WORD.test(text.text)) return false;
  // The names in the split string, followed to their values in the function.
  let secret = false;
  walk(text, (n) => {
    if (secret) return false;
    if (n.type !== 'identifier' || (n.parent?.type === 'attribute' && n.parent.child('attribute') === n)) return true;
    const v = localAssignment(home, n.text, loop!)?.child('right');
    if (v && CREDENTIAL_WORD.test(v.text)) secret = true;
    return false;
  });
  return !secret;
}

/** Words of a credential anywhere in a split string's text (`API_TOKENS`, `keys`, `auth_header`). */
const CREDENTIAL_WORD = /token|secret|passw|key|auth|cred|bearer|cookie|session/i;

/** The last assignment to a plain name in a function before a node, if any. */
function localAssignment(home: PyNode, name: string, before: PyNode): PyNode | undefined {
  let found: PyNode | undefined;
  walk(home, (n) => {
    if (n.start >= before.start) return false;
    if (n !== home && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')) return false;
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier' && n.child('left')!.text === name && n.child('right')) found = n;
    return true;
  });
  return found;
}

/** Objects that describe secrets rather than hold them: `configSources.apiKey`, `fieldNames.token`, `LogId.tokenFetch` (a log event's id). */
const DESCRIPTIVE_OBJECT = new Set(['id', 'ids', 'source', 'sources', 'name', 'names', 'type', 'types', 'kind', 'kinds', 'label', 'labels', 'field', 'fields', 'hint', 'hints', 'status', 'flag', 'flags', 'description', 'descriptions', 'length', 'lengths', 'count', 'counts', 'schema', 'schemas', 'env', 'vars', 'placeholder', 'placeholders', 'errors', 'messages']);

function describesSecret(objectText: string | undefined): boolean {
  if (!objectText) return false;
  const last = objectText.split('.').pop() ?? '';
  const segs = nameSegments(last);
  return segs.length > 0 && DESCRIPTIVE_OBJECT.has(segs[segs.length - 1]!);
}

const REQUEST_NAMES = /(?:^|\.)(?:req|request|requestInfo|incoming|event)$|^r$/;

function tsMasked(node: ts.Node, root: ts.Node): boolean {
  for (let child = node, p = node.parent; p && child !== root; child = p, p = p.parent) {
    if (ts.isPropertyAccessExpression(p) && p.expression === child) {
      // `token.length` or `token.slice(0, 4)`: a measurement or a short prefix.
      if (!VALUE_PRESERVING.has(p.name.text)) return true;
      continue;
    }
    if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isTypeOfExpression(p)) return true;
    if (ts.isConditionalExpression(p) && p.condition === child) return true;
    if (ts.isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken && p.left === child) return true;
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken ||
        op === ts.SyntaxKind.InKeyword || op === ts.SyntaxKind.InstanceOfKeyword ||
        op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.GreaterThanToken
      ) return true;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(child as ts.Expression)) {
      const callee = unwrap(p.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (MASKING_CALL.test(name)) return true;
      // The argument is the secret itself (not an object or text around it): the helper's reads
      // of it are judged as they would be here (`requestIdAttr(req.headers)` returns one header).
      if (dropsArgument(callee, p.arguments.indexOf(child as ts.Expression), unwrap(child as ts.Expression) === node)) return true;
    }
  }
  return false;
}

/**
 * The function a called name declares in an enclosing block or the file (`function f() {}`,
 * `const f = () => ...`), the nearest first; null when the nearest declaration is something
 * else, undefined when the blocks declare no such name (an import, a global).
 */
function declaredFunction(callee: ts.Identifier): ts.FunctionLikeDeclaration | null | undefined {
  for (let scope: ts.Node | undefined = callee.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope) && !ts.isModuleBlock(scope)) continue;
    const found = functionDeclaredIn(scope.statements, callee.text);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The function a called name stands for: declared in an enclosing scope of the call, or imported
 * from a local module `load` reads (`import { f } from './h.js'`, `import * as h`, re-exports
 * followed); undefined when neither.
 */
export function calledFunction(callee: ts.Identifier, load?: ModuleLoad): ts.FunctionLikeDeclaration | undefined {
  const declared = declaredFunction(callee);
  if (declared !== undefined) return declared ?? undefined;
  if (!load) return undefined;
  const prev = importer;
  importer = { sf: callee.getSourceFile(), load };
  try {
    return importedFunction(callee);
  } finally {
    importer = prev;
  }
}

/**
 * The function `name` is declared as among `statements` (`function name() {}`, `const name = ()
 * => ...`); null when the name is declared as something else, undefined when it is not declared.
 */
function functionDeclaredIn(statements: readonly ts.Statement[], name: string): ts.FunctionLikeDeclaration | null | undefined {
  for (const stmt of statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === name) return stmt.body ? stmt : null;
    if (!ts.isVariableStatement(stmt)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
      const init = d.initializer && unwrap(d.initializer);
      return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : null;
    }
  }
  return undefined;
}

/**
 * Per function, per parameter: whether its value cannot reach the function's result
 * (`dropsArgument`), for an argument that only holds the secret and for one that holds more.
 */
const droppedParams = [new WeakMap<ts.FunctionLikeDeclaration, (boolean | undefined)[]>(), new WeakMap<ts.FunctionLikeDeclaration, (boolean | undefined)[]>()] as const;

/**
 * How the file being searched (`tsSecretRefs`) loads its local imports, so that a helper it
 * imports is judged as one it declares. Only calls in that file resolve through it: a module's
 * own import specifiers are relative to the module.
 */
let importer: { readonly sf: ts.SourceFile; readonly load: ModuleLoad } | undefined;

/** Loads the module a specifier of the searched file, or of the module `from`, names (`TsContext.loadLocalModule`): relative, a path alias or a package of the monorepo. */
type ModuleLoad = (spec: string, from?: string) => ts.SourceFile | undefined;

/** How many re-exports (`export { f } from './impl.js'`) are followed to a function, as the taint analysis follows imports. */
const MAX_REEXPORTS = 5;

/**
 * Whether a call of a function the file declares or imports from a local module cannot return
 * (or throw) what it is given at `index`: `requireScope(auth, 'files:read')` returns `undefined`
 * or an error result built from constants, so the token passed in is not in what the call
 * yields. The parameter's value is followed through the function's locals (`const x = f(p)`,
 * `a.b = p`, `list.push(p)` make `x`, `a`, `list` carry it); the answer is no as soon as a
 * result or a thrown value carries one of them, or the function reads `arguments`, spreads its
 * parameters, or yields. When the argument is the secret itself (`exact`), reads of the
 * parameter are judged as reads of the secret are where it is written: a member that is not
 * secret-named (`headers['x-request-id']`, `auth.clientId`) or a measurement (`token.length`,
 * `Object.keys(headers)`) does not carry it. Otherwise any read does (`f({ h: req.headers })`
 * may return `p.h`).
 */
function dropsArgument(callee: ts.Expression, index: number, exact: boolean): boolean {
  if (index < 0) return false;
  const declared = ts.isIdentifier(callee) ? declaredFunction(callee) : undefined;
  const fn = declared === undefined && (ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)) ? importedFunction(callee) : declared;
  if (!fn?.body || fn.asteriskToken) return false;
  const cache = droppedParams[exact ? 1 : 0];
  let known = cache.get(fn);
  if (known?.[index] !== undefined) return known[index]!;
  if (!known) cache.set(fn, (known = []));
  // A helper that calls itself with the value: assumed to return it while it is being judged.
  known[index] = false;
  const param = fn.parameters[index];
  let dropped = false;
  if (param && !param.dotDotDotToken && ts.isIdentifier(param.name) && !fn.parameters.slice(0, index).some((q) => q.dotDotDotToken)) {
    const name = param.name.text;
    dropped = !carriedToResult(fn, fn.body, new Set([name]), exact ? (n, names) => carries(n, names, name) : mentions);
  }
  known[index] = dropped;
  return dropped;
}

/**
 * Modules loaded per loader: the rule context makes one loader per analysis, so a module read
 * for one log call serves the file's other calls without reading the host again.
 */
const importedModules = new WeakMap<ModuleLoad, Map<string, ts.SourceFile | undefined>>();

/** `importer.load`, once per loader and module. */
function loadModule(load: ModuleLoad, spec: string, from?: string): ts.SourceFile | undefined {
  let loaded = importedModules.get(load);
  if (!loaded) importedModules.set(load, (loaded = new Map()));
  const key = from === undefined ? spec : `${from}\u0000${spec}`;
  if (!loaded.has(key)) loaded.set(key, load(spec, from));
  return loaded.get(key);
}

/**
 * The function a called name of the searched file imports from a local module: `f` of `import
 * { f } from './h.js'` or `import f from './h.js'`, `h.f` of `import * as h from './h.js'`; the
 * module's function declaration or `const f = () => ...` exported under that name.
 */
function importedFunction(callee: ts.Identifier | ts.PropertyAccessExpression): ts.FunctionLikeDeclaration | undefined {
  if (!importer) return undefined;
  const local = ts.isIdentifier(callee) ? callee : unwrap(callee.expression);
  if (!ts.isIdentifier(local) || local.getSourceFile() !== importer.sf) return undefined;
  for (const stmt of importer.sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause || stmt.importClause.isTypeOnly) continue;
    // Any specifier: the loader resolves relative ones, path aliases and the monorepo's packages, and no others.
    const spec = stringValue(stmt.moduleSpecifier);
    if (spec === undefined || spec.startsWith('node:')) continue;
    const clause = stmt.importClause;
    const bindings = clause.namedBindings;
    let exported: string | undefined;
    if (ts.isIdentifier(callee)) {
      if (clause.name?.text === callee.text) exported = 'default';
      else if (bindings && ts.isNamedImports(bindings)) {
        const el = bindings.elements.find((e) => e.name.text === callee.text);
        if (el) exported = el.propertyName ? propName(el.propertyName) : el.name.text;
      }
    } else if (bindings && ts.isNamespaceImport(bindings) && bindings.name.text === local.text) exported = callee.name.text;
    if (exported === undefined) continue;
    const module = loadModule(importer.load, spec);
    return module ? exportedFunction(module, exported, importer.load, 0) : undefined;
  }
  return undefined;
}

function isExported(stmt: ts.Statement): boolean {
  return ts.canHaveModifiers(stmt) && (ts.getModifiers(stmt) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * The function a module exports as `name` (`default` included), declared at its top level or
 * re-exported from another local module (`export { f } from './impl.js'`, `export * from`).
 */
function exportedFunction(module: ts.SourceFile, name: string, load: ModuleLoad, depth: number): ts.FunctionLikeDeclaration | undefined {
  let localName: string | undefined;
  const reexports: { spec: string; name: string }[] = [];
  for (const stmt of module.statements) {
    if (ts.isExportDeclaration(stmt) && stmt.moduleSpecifier && !stmt.isTypeOnly) {
      const spec = stringValue(stmt.moduleSpecifier);
      if (spec === undefined || spec.startsWith('node:')) continue;
      if (!stmt.exportClause) {
        if (name !== 'default') reexports.push({ spec, name });
      } else if (ts.isNamedExports(stmt.exportClause)) {
        const el = stmt.exportClause.elements.find((e) => e.name.text === name);
        if (el) reexports.unshift({ spec, name: el.propertyName ? propName(el.propertyName) ?? name : name });
      }
      continue;
    }
    if (ts.isFunctionDeclaration(stmt) && isExported(stmt)) {
      const isDefault = (ts.getModifiers(stmt) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if ((name === 'default' ? isDefault : stmt.name?.text === name && !isDefault) && stmt.body) return stmt;
    } else if (ts.isVariableStatement(stmt) && isExported(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
        const init = d.initializer && unwrap(d.initializer);
        return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
      }
    } else if (ts.isExportDeclaration(stmt) && !stmt.moduleSpecifier && stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
      // `export { run as name }`: the module's own declaration under its local name.
      const el = stmt.exportClause.elements.find((e) => e.name.text === name);
      if (el) localName = el.propertyName ? propName(el.propertyName) : el.name.text;
    } else if (ts.isExportAssignment(stmt) && !stmt.isExportEquals && name === 'default') {
      const e = unwrap(stmt.expression);
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
      if (ts.isIdentifier(e)) localName = e.text;
    }
  }
  if (localName !== undefined) return functionDeclaredIn(module.statements, localName) ?? undefined;
  if (depth >= MAX_REEXPORTS) return undefined;
  for (const r of reexports) {
    const next = loadModule(load, r.spec, module.fileName);
    const fn = next && exportedFunction(next, r.name, load, depth + 1);
    if (fn) return fn;
  }
  return undefined;
}

/** Whether `node` reads one of `names` (nested functions included: a returned closure keeps what it reads). */
function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      found = (names.has(n.text) && !isMemberName(n)) || n.text === 'arguments';
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * Whether `node` carries the value a helper's parameter `param` was given, or one of the locals
 * (`names`) that took it: any read of a local does, and a read of the parameter itself is
 * judged as a read of the secret is where it is written (`tsSecretRefs`): a member that is not
 * secret-named (`p.clientId`, `p[key]`, `p.get('x-request-id')`: a part of the object, as
 * `req.headers[key]` is) or a measurement (`p.length`, `Object.keys(p)`) does not carry it.
 */
function carries(node: ts.Node, names: ReadonlySet<string>, param: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      if (n.text === 'arguments') found = true;
      else if (names.has(n.text) && !isMemberName(n)) found = n.text !== param || paramReadCarries(n, node);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function paramReadCarries(id: ts.Identifier, root: ts.Node): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === id) {
    const key = ts.isPropertyAccessExpression(p) ? p.name.text : stringValue(p.argumentExpression);
    if (key !== undefined && isSecretName(key)) return !tsMasked(p, root);
    const call = p.parent;
    if (!ts.isCallExpression(call) || call.expression !== p) return false;
    // A method of the value: `headers.get(name)` reads one entry; others may return it all.
    const got = key === 'get' && call.arguments.length > 0 ? stringValue(call.arguments[0]!) : undefined;
    if (got !== undefined) return isSecretName(got) && !tsMasked(call, root);
  }
  return !tsMasked(id, root);
}

/** The variable a write through `target` changes: `a` of `a`, `a.b[c]`, `a.push`. */
function rootName(target: ts.Expression): string | undefined {
  let e = unwrap(target);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
  return ts.isIdentifier(e) ? e.text : undefined;
}

function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, into);
}

/**
 * Whether a value held by `names` at the start of `fn` can be in its result: the names grow with
 * every local that takes a value mentioning one of them, until none is added; then the results
 * (returns of `fn` itself, an expression body) and thrown values are checked.
 */
function carriedToResult(fn: ts.FunctionLikeDeclaration, body: ts.Node, names: Set<string>, reads: (node: ts.Node, names: ReadonlySet<string>) => boolean): boolean {
  const outputs: ts.Node[] = ts.isBlock(body) ? [] : [body];
  const flows: { from: ts.Node; to: (into: Set<string>) => void }[] = [];
  const collect = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) || ts.isThrowStatement(n)) {
      // A nested function's returns are its own; its throws may still end this call.
      if (n.expression && (ts.isThrowStatement(n) || enclosingFunction(n) === fn)) outputs.push(n.expression);
    } else if (ts.isVariableDeclaration(n) && n.initializer) {
      const target = n.name;
      flows.push({ from: n.initializer, to: (into) => bindingNames(target, into) });
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const root = rootName(n.left);
      // A write to something that is not a variable (`this.x = p`, `f().x = p`) may come back any way.
      flows.push({ from: n.right, to: (into) => into.add(root ?? 'arguments') });
    } else if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      // `list.push(p)`, `Object.assign(out, p)`, `map.set(k, p)`: the call may store an argument in
      // its receiver or in another argument (a receiver that only is read, `p.scopes.includes(s)`,
      // gives nothing to its arguments).
      const call = n;
      if (call.arguments?.length) flows.push({
        from: call,
        to: (into) => {
          if (!call.arguments!.some((a) => reads(a, into))) return;
          const root = ts.isPropertyAccessExpression(call.expression) || ts.isElementAccessExpression(call.expression) ? rootName(call.expression.expression) : undefined;
          if (root) into.add(root);
          for (const a of call.arguments ?? []) {
            const r = rootName(a);
            if (r) into.add(r);
          }
        },
      });
    } else if (ts.isForOfStatement(n) || ts.isForInStatement(n)) {
      const init = n.initializer;
      flows.push({ from: n.expression, to: (into) => (ts.isVariableDeclarationList(init) ? init.declarations.forEach((d) => bindingNames(d.name, into)) : into.add(rootName(init) ?? 'arguments')) });
    } else if (ts.isTryStatement(n) && n.catchClause?.variableDeclaration) {
      // An error thrown while the try block handles the value may quote it (`JSON.parse(p)`).
      const caught = n.catchClause.variableDeclaration.name;
      flows.push({ from: n.tryBlock, to: (into) => bindingNames(caught, into) });
    } else if (ts.isYieldExpression(n)) {
      outputs.push(n);
    }
    ts.forEachChild(n, collect);
  };
  collect(body);
  for (let size = -1; size !== names.size; ) {
    size = names.size;
    for (const f of flows) if (reads(f.from, names)) f.to(names);
  }
  return names.has('arguments') || outputs.some((o) => reads(o, names));
}

/**
 * Secret-bearing expressions within `root` (a log argument, a returned value). With `load` (the
 * rule context's `loadLocalModule`), helpers the file imports from local modules are followed
 * as those it declares.
 */
export function tsSecretRefs(root: ts.Node, load?: (spec: string) => ts.SourceFile | undefined): SecretRef<ts.Node>[] {
  const outer = importer;
  importer = load ? { sf: root.getSourceFile(), load } : undefined;
  try {
    return findTsSecretRefs(root);
  } finally {
    importer = outer;
  }
}

function findTsSecretRefs(root: ts.Node): SecretRef<ts.Node>[] {
  const out: SecretRef<ts.Node>[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      const key = ts.isPropertyAccessExpression(n) ? n.name.text : stringValue(n.argumentExpression);
      if (key === 'env' && isProcess(n.expression) && !isAccessed(n)) {
        if (!tsMasked(n, root)) out.push({ node: n, label: "the environment 'process.env'", kind: 'environment' });
        return;
      }
      if (key === 'headers' && !isAccessed(n) && REQUEST_NAMES.test(dotted(n.expression) ?? '')) {
        if (!tsMasked(n, root)) out.push({ node: n, label: `the request headers '${n.getText()}'`, kind: 'headers' });
        return;
      }
      // `process.env.API_KEY` is the value itself; `schema.env.API_KEY` describes one.
      if (key !== undefined && isSecretName(key) && !isAccessedSecretPart(n) && (isProcessEnv(n.expression) || !describesSecret(dotted(n.expression))) && !tsOtherToken(key, n)) {
        if (!tsMasked(n, root) && !holdsConstant(n)) out.push({ node: n, label: `'${n.getText().length <= 40 ? n.getText() : key}'`, kind: 'secret' });
        return;
      }
      // The member name is not a read of a variable; only the object (and a computed key) are.
      visit(n.expression);
      if (ts.isElementAccessExpression(n)) visit(n.argumentExpression);
      return;
    }
    if (ts.isShorthandPropertyAssignment(n) && isSecretName(n.name.text)) {
      if (!holdsConstant(n.name)) out.push({ node: n, label: `'${n.name.text}'`, kind: 'secret' });
      return;
    }
    if (ts.isPropertyAssignment(n)) {
      // `{ apiKey: x }` keys do not leak; the values are visited.
      visit(n.initializer);
      return;
    }
    if (ts.isIdentifier(n) && isSecretName(n.text)) {
      if (!tsMasked(n, root) && !holdsConstant(n) && !tsOtherToken(n.text, n)) out.push({ node: n, label: `'${n.text}'`, kind: 'secret' });
      return;
    }
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/**
 * Whether a secret-named variable or member holds, where it is read, a value the source spells
 * out in full with no credential in it: the last write before the read, in the same function
 * (`req.auth = { token: 'dev-mode-placeholder-token', scopes: ['dev'] }` in a dev-mode branch,
 * then logged). Such a value is no secret taken from the environment or a request; a literal
 * that looks like a real credential (`looksLikeSecretValue`) keeps the read reported (and
 * no-hardcoded-secret reports the literal). The write must be a statement of the read's block
 * or of an enclosing one, with no other write to the name in between.
 */
function holdsConstant(n: ts.Expression): boolean {
  const name = dotted(n);
  if (name === undefined) return false;
  for (let child: ts.Node = n, p = n.parent; p && !ts.isFunctionLike(p); child = p, p = p.parent) {
    // A loop may write the name after the read, for the next turn's read.
    if (ts.isIterationStatement(p, false) && writesName(p, name)) return false;
    if (!ts.isBlock(p) && !ts.isSourceFile(p) && !ts.isModuleBlock(p) && !ts.isCaseClause(p) && !ts.isDefaultClause(p)) continue;
    for (let i = p.statements.indexOf(child as ts.Statement) - 1; i >= 0; i--) {
      const stmt = p.statements[i]!;
      const value = writtenValue(stmt, name);
      if (value !== undefined) return value !== null && isCredentialFreeLiteral(value);
      if (writesName(stmt, name)) return false;
    }
  }
  return false;
}

/**
 * The value a statement gives `name` when the statement is that write (`name = v;`, `const name
 * = v;`), null when it is a write of another form (`name += v`, `let name;`), undefined when it
 * writes `name` no such way.
 */
function writtenValue(stmt: ts.Statement, name: string): ts.Expression | null | undefined {
  if (ts.isExpressionStatement(stmt)) {
    const e = stmt.expression;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && e.operatorToken.kind <= ts.SyntaxKind.LastAssignment && dotted(e.left) === name) {
      return e.operatorToken.kind === ts.SyntaxKind.EqualsToken ? e.right : null;
    }
  } else if (ts.isVariableStatement(stmt)) {
    for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer ?? null;
  }
  return undefined;
}

/** Whether a statement may write `name` (or a member of it) anywhere inside. */
function writesName(stmt: ts.Statement, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = dotted(n.left);
      if (target !== undefined && (target === name || target.startsWith(`${name}.`) || name.startsWith(`${target}.`))) found = true;
    } else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(stmt);
  return found;
}

/** Literals only (strings, numbers, booleans, null, arrays and objects of them), with no string that looks like a credential. */
function isCredentialFreeLiteral(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  const text = stringValue(e);
  if (text !== undefined) return !looksLikeSecretValue(text);
  switch (e.kind) {
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && isCredentialFreeLiteral(x));
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isCredentialFreeLiteral(p.initializer));
  return false;
}

/**
 * Whether `expr` is `process` (so that `expr.env` is the environment): what `dotted(n) ===
 * 'process.env'` asks, without building the dotted name of every member read.
 */
function isProcessEnv(expr: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(expr) && expr.name.text === 'env' && isProcess(expr.expression);
}

function isProcess(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return ts.isIdentifier(e) && e.text === 'process';
}

/** `x.headers.foo` / `process.env.FOO`: the object is only a step on the way to a member. */
function isAccessed(n: ts.Node): boolean {
  const p = n.parent;
  return !!p && (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n;
}

/** `config.token.expiresAt`: the secret-named object is followed by a non-secret member. */
function isAccessedSecretPart(n: ts.Node): boolean {
  const p = n.parent;
  if (!p || !(ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) || p.expression !== n) return false;
  const key = ts.isPropertyAccessExpression(p) ? p.name.text : stringValue(p.argumentExpression);
  return key !== undefined && !VALUE_PRESERVING.has(key);
}

// ---------------------------------------------------------------- Python

function pyMasked(node: PyNode, root: PyNode): boolean {
  for (let child = node, p = node.parent; p && child !== root; child = p, p = p.parent) {
    switch (p.type) {
      case 'attribute':
        if (p.child('object') === child) {
          const attr = p.child('attribute')?.text ?? '';
          if (!VALUE_PRESERVING.has(attr)) return true;
        }
        break;
      case 'not_operator':
      case 'comparison_operator':
        return true;
      case 'conditional_expression':
        // `"set" if token else "unset"`: the middle operand is the condition.
        if (p.namedChildren[1] === child) return true;
        break;
      case 'boolean_operator':
        if (p.child('left') === child && p.children.some((c) => c.type === 'and')) return true;
        break;
      case 'subscript':
        if (p.child('value') === child && p.child('subscript')?.type === 'slice') return true;
        break;
      case 'argument_list': {
        const call = p.parent;
        const fn = call?.child('function');
        const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
        if (name && MASKING_CALL.test(name)) return true;
        if (call && fn && pyDropsArgument(fn, p, child, child === node || (child.type === 'keyword_argument' && child.child('value') === node))) return true;
        break;
      }
    }
  }
  return false;
}

/**
 * How the file being searched (`pySecretRefs`) resolves its imports (the rule context's
 * `resolveImport`): only calls in that file resolve through it.
 */
let pyImporter: { readonly file: string; readonly resolve: (local: string, at?: PyNode) => ResolvedImport | undefined } | undefined;

/** Per function, per parameter name: whether a call cannot return what it is given there (`pyDropsArgument`), for exact and other arguments. */
const pyDropped = [new WeakMap<PyNode, Map<string, boolean>>(), new WeakMap<PyNode, Map<string, boolean>>()] as const;

/**
 * Python twin of `dropsArgument`: whether the function a call names (a function of the module
 * the call is in, or one the searched file imports from a local module: `helper(x)`,
 * `module.helper(x)`) cannot return or raise the value passed as `arg` (a positional argument
 * or a keyword argument of `args`).
 */
function pyDropsArgument(fn: PyNode, args: PyNode, arg: PyNode, exact: boolean): boolean {
  const def = pyCalledFunction(fn);
  if (!def) return false;
  let param: string | undefined;
  const params = functionParams(def);
  if (arg.type === 'keyword_argument') {
    const name = arg.child('name')?.text;
    param = params.find((q) => q.name === name && !q.splat)?.name;
  } else {
    const before = args.namedChildren.slice(0, args.namedChildren.indexOf(arg)).filter((c) => c.type !== 'comment');
    // A splat or keyword before it moves it to an unknown parameter.
    if (before.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat' || c.type === 'keyword_argument')) return false;
    const q = params[before.length];
    param = q && !params.slice(0, before.length + 1).some((x) => x.splat) ? q.name : undefined;
  }
  const body = def.child('body');
  if (param === undefined || !body) return false;
  const cache = pyDropped[exact ? 1 : 0];
  let known = cache.get(def);
  const hit = known?.get(param);
  if (hit !== undefined) return hit;
  if (!known) cache.set(def, (known = new Map()));
  // A helper that calls itself with the value: assumed to return it while it is being judged.
  known.set(param, false);
  const name = param;
  const dropped = !pyCarriedToResult(def, body, new Set([name]), exact ? (n, names, data) => pyCarries(n, names, name, data) : pyMentions);
  known.set(param, dropped);
  return dropped;
}

/** The function a callee names: `f` of the callee's module, or an imported module's `f` / `m.f`. */
function pyCalledFunction(fn: PyNode): PyNode | undefined {
  let root: PyNode = fn;
  while (root.parent) root = root.parent;
  if (fn.type === 'identifier') {
    const own = topLevelFunction(root, fn.text);
    if (own) return own;
  }
  if (!pyImporter || fn.source.file !== pyImporter.file) return undefined;
  if (fn.type === 'identifier') {
    const r = pyImporter.resolve(fn.text, fn);
    return r?.member !== undefined ? r.module.functions.get(r.member) : undefined;
  }
  const obj = fn.type === 'attribute' ? fn.child('object') : undefined;
  const attr = fn.child('attribute')?.text;
  if (obj?.type !== 'identifier' || attr === undefined) return undefined;
  const r = pyImporter.resolve(obj.text, obj);
  return r && r.member === undefined ? r.module.functions.get(attr) : undefined;
}


/** Calls that hand a function every local (`locals()`, `vars()`): whatever reads them reads the value. */
const PY_ALL_LOCALS = /^(?:locals|vars)$/;

/** `locals()` read as a value, not only tested (`'x' in locals()`). */
function readsAllLocals(id: PyNode, root: PyNode): boolean {
  const call = id.parent;
  return PY_ALL_LOCALS.test(id.text) && call?.type === 'call' && call.child('function') === id && !pyMasked(call, root);
}

/**
 * Whether `node` reads one of `names` (or all locals); with `data`, not counting the values of
 * credential keywords (`isCredentialKeyword`).
 */
function pyMentions(node: PyNode, names: ReadonlySet<string>, data = false): boolean {
  let found = false;
  walk(node, (n) => {
    if (found || (data && isCredentialKeyword(n))) return false;
    if (n.type === 'identifier') {
      found = names.has(n.text) && !isPyMemberName(n) && !isPyResponseRead(n) || readsAllLocals(n, node);
      return false;
    }
    return true;
  });
  return found;
}

/**
 * `exc.response` (httpx's and requests' HTTP errors): what the remote server sent, not the
 * credential the request carried (`except httpx.HTTPStatusError as exc: return
 * exc.response.text`). `exc.request`, `str(exc)` and the rest of `exc` still count.
 */
function isPyResponseRead(n: PyNode): boolean {
  const p = n.parent;
  return !!p && p.type === 'attribute' && p.child('object') === n && p.child('attribute')?.text === 'response';
}

/** `x.name` / `f(name=...)`: the identifier names a member or a keyword, it reads no variable. */
function isPyMemberName(n: PyNode): boolean {
  const p = n.parent;
  return !!p && (p.type === 'attribute' && p.child('attribute') === n || p.type === 'keyword_argument' && p.child('name') === n);
}

/**
 * Python twin of `carries`: any read of a local that took the value, and a read of the
 * parameter itself as `pySecretRefs` judges a read of the secret (`p["x-request-id"]`,
 * `p.get("user-agent")`, `p.client_id`, `len(p)`: not the secret).
 */
function pyCarries(node: PyNode, names: ReadonlySet<string>, param: string, data = false): boolean {
  let found = false;
  walk(node, (n) => {
    if (found || (data && isCredentialKeyword(n))) return false;
    if (n.type === 'identifier') {
      if (readsAllLocals(n, node)) found = true;
      else if (names.has(n.text) && !isPyMemberName(n) && !isPyResponseRead(n)) found = n.text !== param || pyParamReadCarries(n, node);
      return false;
    }
    return true;
  });
  return found;
}

function pyParamReadCarries(id: PyNode, root: PyNode): boolean {
  const p = id.parent;
  if (p?.type === 'subscript' && p.child('value') === id) {
    const key = pyString(p.child('subscript'));
    return key !== undefined && isSecretName(key) && !pyMasked(p, root);
  }
  if (p?.type === 'attribute' && p.child('object') === id) {
    const attr = p.child('attribute')?.text ?? '';
    if (isSecretName(attr)) return !pyMasked(p, root);
    const call = p.parent;
    if (call?.type !== 'call' || call.child('function') !== p) return false;
    const first = call.child('arguments')?.namedChildren[0];
    const got = attr === 'get' && first ? pyString(first) : undefined;
    if (got !== undefined) return isSecretName(got) && !pyMasked(call, root);
  }
  return !pyMasked(id, root);
}

/** The names a binding target sets (`a`, `a, b`, `a.b` and `a[i]` set `a`). */
function pyTargetNames(target: PyNode, into: Set<string>): void {
  walk(target, (n) => {
    if (n.type === 'identifier' && !isPyMemberName(n)) into.add(n.text);
    // `a[i] = v` sets `a`, not `i`.
    return n.type !== 'subscript' || (n.child('value') && pyTargetNames(n.child('value')!, into), false);
  });
}

/**
 * A keyword argument named as a secret (`load_key(password=password)`, `connect(token=t)`):
 * the callee takes the value as its credential. It does not store it in its receiver or in
 * its other arguments, and its errors do not quote it (a value handed over as data,
 * `int(p)` or `json.loads(p)`, may be quoted); its result still may hold it (`Config(password=p)`).
 */
function isCredentialKeyword(n: PyNode): boolean {
  return n.type === 'keyword_argument' && isSecretName(n.child('name')?.text ?? '');
}

/**
 * Python twin of `carriedToResult`: whether a value held by `names` at the start of `def` can
 * be in what it returns, yields or raises, the names growing with each local that takes it.
 */
function pyCarriedToResult(def: PyNode, body: PyNode, names: Set<string>, reads: (node: PyNode, names: ReadonlySet<string>, data?: boolean) => boolean): boolean {
  const outputs: PyNode[] = [];
  const flows: { from: PyNode; to: (into: Set<string>) => void; data?: boolean }[] = [];
  walk(body, (n) => {
    switch (n.type) {
      case 'return_statement':
        // A nested function's returns are its own; its raises may still end this call.
        if (n.ancestor('function_definition', 'lambda') !== def) return true;
        for (const c of n.namedChildren) if (c.type !== 'comment') outputs.push(c);
        break;
      case 'raise_statement':
      case 'yield':
        outputs.push(n);
        break;
      case 'assignment':
      case 'augmented_assignment':
      case 'named_expression': {
        const left = n.child('left') ?? n.child('name');
        const right = n.child('right') ?? n.child('value');
        // A response is what the remote server sent, not the credential the request carried.
        if (left && right && !isHttpRequestPy(right)) flows.push({ from: right, to: (into) => pyTargetNames(left, into) });
        break;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const left = n.child('left');
        const right = n.child('right');
        if (left && right) flows.push({ from: right, to: (into) => pyTargetNames(left, into) });
        break;
      }
      case 'as_pattern': {
        const alias = n.child('alias');
        const value = n.namedChildren[0];
        if (!alias) break;
        // `except E as e`: an error raised while the try block handles the value as data may quote it.
        const tryBlock = n.parent?.type === 'except_clause' ? n.parent.parent?.child('body') : undefined;
        if (tryBlock) flows.push({ from: tryBlock, to: (into) => pyTargetNames(alias, into), data: true });
        else if (value) flows.push({ from: value, to: (into) => pyTargetNames(alias, into) });
        break;
      }
      case 'call': {
        // `out.append(p)`, `d.update(p)`, `f(p, buf)`: the call may store an argument in its
        // receiver or in another argument.
        const args = n.child('arguments');
        if (!args || args.namedChildren.length === 0) break;
        const fn = n.child('function');
        flows.push({
          from: args,
          data: true,
          to: (into) => {
            const receiver = fn?.type === 'attribute' ? fn.child('object') : undefined;
            if (receiver) pyTargetNames(receiver, into);
            for (const a of args.namedChildren) if (!isCredentialKeyword(a)) pyTargetNames(a.type === 'keyword_argument' ? (a.child('value') ?? a) : a, into);
          },
        });
        break;
      }
    }
    return true;
  });
  for (let size = -1; size !== names.size; ) {
    size = names.size;
    for (const f of flows) if (reads(f.from, names, f.data)) f.to(names);
  }
  return outputs.some((o) => reads(o, names));
}

/**
 * Secret-bearing expressions within a Python expression. With `resolve` (the rule context's
 * `resolveImport`), helpers the file imports from local modules are followed as its own.
 */
export function pySecretRefs(root: PyNode, resolve?: (local: string, at?: PyNode) => ResolvedImport | undefined): SecretRef<PyNode>[] {
  const outer = pyImporter;
  pyImporter = resolve ? { file: root.source.file, resolve } : undefined;
  try {
    return findPySecretRefs(root);
  } finally {
    pyImporter = outer;
  }
}

function findPySecretRefs(root: PyNode): SecretRef<PyNode>[] {
  const out: SecretRef<PyNode>[] = [];
  // An iterative walk (a returned false skips the subtree): expressions can nest thousands deep.
  walk(root, (n: PyNode): boolean => {
    if (n.type === 'attribute') {
      const full = dottedName(n);
      const parentIsAccess = n.parent?.type === 'attribute' && n.parent.child('object') === n || n.parent?.type === 'subscript' && n.parent.child('value') === n;
      if (full === 'os.environ' && !parentIsAccess) {
        if (!pyMasked(n, root)) out.push({ node: n, label: "the environment 'os.environ'", kind: 'environment' });
        return false;
      }
      const attr = n.child('attribute')?.text ?? '';
      const obj = n.child('object');
      if (attr === 'headers' && !parentIsAccess && obj && /^(?:request|req|self\.request|ctx\.request_context\.request)$/.test(obj.text)) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `the request headers '${n.text}'`, kind: 'headers' });
        return false;
      }
      if (isSecretName(attr) && !describesSecret(dottedName(obj)) && !(parentIsAccess && !VALUE_PRESERVING.has(n.parent?.child('attribute')?.text ?? '')) && !pyOtherToken(attr, n)) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text.length <= 40 ? n.text : attr}'`, kind: 'secret' });
        return false;
      }
    }
    if (n.type === 'subscript') {
      const key = pyString(n.child('subscript'));
      if (key !== undefined && isSecretName(key) && !describesSecret(dottedName(n.child('value'))) && !pyOtherToken(key, n)) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text.length <= 40 ? n.text : key}'`, kind: 'secret' });
        return false;
      }
    }
    if (n.type === 'call') {
      // headers.get("Authorization") / os.getenv("API_KEY") / os.environ.get("TOKEN")
      const fn = n.child('function');
      const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
      const first = n.child('arguments')?.namedChildren[0];
      const key = first ? pyString(first) : undefined;
      if ((name === 'get' || name === 'getenv') && key !== undefined && isSecretName(key) && !pyOtherToken(key, n)) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text.length <= 50 ? n.text : key}'`, kind: 'secret' });
        return false;
      }
      if (dottedName(fn) === 'dict' && first && dottedName(first) === 'os.environ') {
        if (!pyMasked(n, root)) out.push({ node: n, label: "the environment 'os.environ'", kind: 'environment' });
        return false;
      }
    }
    if (n.type === 'identifier' && isSecretName(n.text)) {
      const p = n.parent;
      // Keyword names (`token=...`) and attribute names are not reads.
      if (p?.type === 'keyword_argument' && p.child('name') === n) return false;
      if (!pyMasked(n, root) && !pyOtherToken(n.text, n)) out.push({ node: n, label: `'${n.text}'`, kind: 'secret' });
      return false;
    }
    return n.type !== 'lambda';
  });
  return out;
}

/** Receivers that are HTTP clients by name (`client`, `http_client`, `session`, `requests`, `httpx`). */
const HTTP_CLIENT_RECEIVER = /^(?:requests|httpx|aiohttp|urllib3|session|\w*(?:client|session|http|api))$/i;

/**
 * Whether an assigned value is an HTTP request's response (`await client.post(url,
 * headers=headers)`, `requests.get(url, headers=h)`): its value is the remote server's, and a
 * credential in the request's headers is not in it (impecablemee/gtm-mcp's helpers send an API
 * key and return the response: their tools were reported as returning the key).
 */
function isHttpRequestPy(value: PyNode): boolean {
  let e = unparen(value);
  if (e.type === 'await') e = unparen(e.namedChildren[0] ?? e);
  if (e.type !== 'call') return false;
  const fn = unparen(e.child('function') ?? e);
  if (fn.type !== 'attribute' || !HTTP_CLIENT_METHODS.has(fn.child('attribute')?.text ?? '')) return false;
  const recv = unparen(fn.child('object') ?? fn);
  const name = recv.type === 'identifier' ? recv.text : recv.type === 'attribute' ? (recv.child('attribute')?.text ?? '') : '';
  return HTTP_CLIENT_RECEIVER.test(name);
}
