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
  isFunctionExpression,
  isIdentifier,
  isIfStatement,
  isMethodDeclaration,
  isNoSubstitutionTemplateLiteral,
  isNonNullExpression,
  isNumericLiteral,
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
