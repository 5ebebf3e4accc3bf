import * as ts from 'typescript';
import type { Span } from '../types';

// TypeScript exposes its API through getters; bind what the hot paths call once.
const {
  isArrowFunction,
  isAsExpression,
  isBlock,
  isBreakStatement,
  isCallExpression,
  isComputedPropertyName,
  isContinueStatement,
  isElementAccessExpression,
  isExpression,
  isExpressionStatement,
  isFunctionDeclaration,
  isForOfStatement,
  isFunctionExpression,
  isIdentifier,
  isIfStatement,
  isMethodDeclaration,
  isNoSubstitutionTemplateLiteral,
  isNonNullExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isOmittedExpression,
  isParenthesizedExpression,
  isPrivateIdentifier,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isSatisfiesExpression,
  isShorthandPropertyAssignment,
  isStringLiteral,
  isThrowStatement,
  isTypeAssertionExpression,
  isVariableDeclarationList,
} = ts;

/** The span of a node without its leading trivia. */
export function spanOf(node: ts.Node, sf: ts.SourceFile): Span {
  return { start: node.getStart(sf), end: node.getEnd() };
}

/** Strips parentheses, type assertions, `satisfies`, `!` and `<T>x`, which never change a value. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (isParenthesizedExpression(e) || isAsExpression(e) || isNonNullExpression(e) || isSatisfiesExpression(e) || isTypeAssertionExpression(e)) {
      e = e.expression;
    } else {
      return e;
    }
  }
}

/** The value of a string literal or a template without substitutions, else undefined. */
export function stringValue(expr: ts.Node | undefined): string | undefined {
  if (!expr) return undefined;
  const e = isExpression(expr) ? unwrap(expr) : expr;
  if (isStringLiteral(e) || isNoSubstitutionTemplateLiteral(e)) return e.text;
  return undefined;
}

/** The text of a property name that is an identifier, string or number literal. */
export function propName(name: ts.PropertyName | ts.MemberName | ts.Expression | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isPrivateIdentifier(name)) return name.text;
  if (isStringLiteral(name) || isNoSubstitutionTemplateLiteral(name) || isNumericLiteral(name)) return name.text;
  if (isComputedPropertyName(name)) return stringValue(name.expression);
  return undefined;
}

/** `a.b` or `a['b']`: the accessed property's name. */
export function accessName(expr: ts.Expression): string | undefined {
  if (isPropertyAccessExpression(expr)) return expr.name.text;
  if (isElementAccessExpression(expr)) return stringValue(expr.argumentExpression);
  return undefined;
}

/** The last name of a callee: `exec` for `cp.exec`, `foo` for `foo`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (isIdentifier(callee)) return callee.text;
  return accessName(callee);
}

/** Whether a node is a function expression, arrow function or function declaration with a body. */
export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return isFunctionExpression(node) || isArrowFunction(node) || isFunctionDeclaration(node) || isMethodDeclaration(node);
}

/** A property of an object literal by name (identifier, string key or shorthand). */
export function objectProp(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  for (const p of obj.properties) {
    if ((isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isMethodDeclaration(p)) && propName(p.name) === name) return p;
  }
  return undefined;
}

/** The initializer of an object literal property, or the identifier of a shorthand one. */
export function objectPropValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = objectProp(obj, name);
  if (!p) return undefined;
  if (isPropertyAssignment(p)) return p.initializer;
  if (isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

/**
 * The package a module specifier names, without `node:` and without subpaths
 * (`mysql2/promise` is `mysql2`; `@prisma/client` stays whole); `fs/promises` keeps its
 * `promises` member so that `readFile` from it matches the fs tables.
 */
export function moduleOf(spec: string): { module: string; path: string[] } {
  const s = spec.startsWith('node:') ? spec.slice(5) : spec;
  const parts = s.split('/');
  const pkgLen = s.startsWith('@') ? 2 : 1;
  const module = parts.slice(0, pkgLen).join('/');
  const rest = parts.slice(pkgLen);
  return { module, path: rest[0] === 'promises' ? ['promises'] : [] };
}

/** Whether a module specifier points into the project (`./x`, `../y`), not a package. */
export function isLocalSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
}

/** The module specifier of `require('x')`, if `expr` is exactly that. */
export function requireSpecifier(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (isCallExpression(e) && isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1) {
    return stringValue(e.arguments[0]);
  }
  return undefined;
}

/** Whether a statement list always leaves the enclosing block (throw/return/continue/break/process.exit). */
export function alwaysExits(stmt: ts.Statement | undefined): boolean {
  if (!stmt) return false;
  if (isThrowStatement(stmt) || isReturnStatement(stmt) || isContinueStatement(stmt) || isBreakStatement(stmt)) return true;
  if (isBlock(stmt)) return stmt.statements.length > 0 && stmt.statements.some((s) => alwaysExits(s));
  if (isIfStatement(stmt)) return alwaysExits(stmt.thenStatement) && alwaysExits(stmt.elseStatement);
  if (isExpressionStatement(stmt)) {
    const e = unwrap(stmt.expression);
    if (isCallExpression(e)) {
      const c = unwrap(e.expression);
      // process.exit(1)
      if (isPropertyAccessExpression(c) && c.name.text === 'exit' && isIdentifier(c.expression) && c.expression.text === 'process') return true;
    }
  }
  return false;
}

/**
 * The loop that binds `name` around `node`: a `for...of` declaring it, or an array method's
 * callback (`forEach`, `map`, ...) taking it as first parameter; with the iterated expression and
 * the property path from an element to the name (`{ handler }` gives `['handler']`, `[, def]`
 * gives `['1']`).
 */
export function loopBinding(node: ts.Node, name: string): { iterable: ts.Expression; path: string[] } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (isForOfStatement(n) && isVariableDeclarationList(n.initializer)) {
      const decl = n.initializer.declarations[0];
      const path = decl && bindingPath(decl.name, name);
      if (path) return { iterable: n.expression, path };
    } else if (isFunctionLike(n)) {
      const p0 = n.parameters[0];
      const path = p0 && bindingPath(p0.name, name);
      const call: ts.Node | undefined = n.parent;
      if (path && call && isCallExpression(call) && call.arguments[0] === n && isPropertyAccessExpression(call.expression) && ARRAY_CALLBACK_METHODS.has(call.expression.name.text)) {
        return { iterable: call.expression.expression, path };
      }
      // A function boundary that does not bind it: an outer loop's variable is one value here.
      if (n.parameters.some((p) => bindingPath(p.name, name))) return undefined;
    }
  }
  return undefined;
}

/** Array methods that call their first argument with each element. */
const ARRAY_CALLBACK_METHODS: ReadonlySet<string> = new Set(['forEach', 'map', 'flatMap']);

/** The names a binding declares: `x`, or every name of a pattern (`{ a, b: [c] }` -> a, c). */
export function bindingNames(b: ts.BindingName, out: string[] = []): string[] {
  if (isIdentifier(b)) out.push(b.text);
  else for (const el of b.elements) if (!isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

/** The property path from a bound value to `name` in a binding name, or undefined when it does not bind `name`. */
function bindingPath(b: ts.BindingName, name: string): string[] | undefined {
  if (isIdentifier(b)) return b.text === name ? [] : undefined;
  if (isObjectBindingPattern(b)) {
    for (const el of b.elements) {
      const key = el.propertyName ? propName(el.propertyName) : isIdentifier(el.name) ? el.name.text : undefined;
      const inner = bindingPath(el.name, name);
      if (inner) return key === undefined || el.dotDotDotToken ? undefined : [key, ...inner];
    }
    return undefined;
  }
  for (let i = 0; i < b.elements.length; i++) {
    const el = b.elements[i]!;
    if (isOmittedExpression(el)) continue;
    const inner = bindingPath(el.name, name);
    if (inner) return el.dotDotDotToken ? undefined : [String(i), ...inner];
  }
  return undefined;
}

/** `t.handler`, `handler`, `def.schema`: the loop whose variable it reads, and the path from an element. */
export function loopElementPath(e: ts.Expression): { iterable: ts.Expression; path: string[] } | undefined {
  const keys: string[] = [];
  while (isPropertyAccessExpression(e)) {
    keys.unshift(e.name.text);
    e = unwrap(e.expression);
  }
  if (!isIdentifier(e)) return undefined;
  const bound = loopBinding(e, e.text);
  return bound && { iterable: bound.iterable, path: [...bound.path, ...keys] };
}

/** `Object.values(x)` or `Object.entries(x)`: which of the two, and `x`; undefined for anything else. */
export function objectIteration(expr: ts.Expression): { readonly entries: boolean; readonly object: ts.Expression } | undefined {
  const e = unwrap(expr);
  if (!isCallExpression(e) || !isPropertyAccessExpression(e.expression) || !isIdentifier(e.expression.expression) || e.expression.expression.text !== 'Object') return undefined;
  const method = e.expression.name.text;
  const object = e.arguments[0];
  return (method === 'values' || method === 'entries') && object ? { entries: method === 'entries', object } : undefined;
}

/**
 * Whether a condition tests for a leading dash, that is for a command-line option:
 * `tok.startsWith('-')`, `/^-/.test(tok)`, `tok[0] === '-'`, `tok.charAt(0) === '-'`.
 */
export function isLeadingDashTest(cond: ts.Expression): boolean {
  const e = unwrap(cond);
  const dash = (x: ts.Expression | undefined) => x !== undefined && stringValue(x) === '-';
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression)) {
    const m = e.expression.name.text;
    if (m === 'startsWith') return dash(e.arguments[0]);
    const re = unwrap(e.expression.expression);
    return m === 'test' && ts.isRegularExpressionLiteral(re) && re.text.startsWith('/^-');
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || e.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)) {
    const side = (x: ts.Expression, other: ts.Expression) => {
      const u = unwrap(x);
      const index = isElementAccessExpression(u) ? unwrap(u.argumentExpression) : undefined;
      const first = (index !== undefined && isNumericLiteral(index) && index.text === '0') || (isCallExpression(u) && isPropertyAccessExpression(u.expression) && u.expression.name.text === 'charAt');
      return first && dash(other);
    };
    return side(e.left, e.right) || side(e.right, e.left);
  }
  return false;
}
