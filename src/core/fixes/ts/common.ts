import * as ts from 'typescript';
import type { TaintFlow } from '../../rule';
import type { TextEdit } from '../../types';
import { detectStyle, type FileStyle } from '../style';
import { nodeAtSpan, type TsFixFile } from '../ts-imports';

/** What every TS fix builder works with: the file, its style, and the sink and argument nodes. */
export interface TsFixSite {
  readonly f: TsFixFile;
  readonly style: FileStyle;
  readonly sink: ts.Node;
  readonly arg: ts.Expression | undefined;
}

/** Resolves a flow's spans to nodes; undefined when the sink is not where the flow says. */
export function tsSite(flow: TaintFlow, f: TsFixFile): TsFixSite | undefined {
  const sink = nodeAtSpan(f.sourceFile, flow.sinkSpan);
  if (!sink) return undefined;
  const argNode = flow.argSpan ? nodeAtSpan(f.sourceFile, flow.argSpan) : undefined;
  const arg = argNode && ts.isExpression(argNode) ? argNode : undefined;
  return { f, style: detectStyle(f.text, /\.[cm]?jsx?$/i.test(f.file) ? 'javascript' : 'typescript'), sink, arg };
}

/** Removes parentheses, `as`/`!`/satisfies wrappers around an expression. */
export function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else if (ts.isAwaitExpression(e)) return e;
    else return e;
  }
}

/** The call expression at or around a node (the sink span may be the call or its callee). */
export function callAt(n: ts.Node): ts.CallExpression | undefined {
  let cur: ts.Node | undefined = n;
  while (cur && !ts.isCallExpression(cur)) {
    if (ts.isStatement(cur) || ts.isSourceFile(cur)) return undefined;
    cur = cur.parent;
  }
  return cur;
}

/** A piece of a string built from literal text and interpolated expressions. */
export type Segment = { readonly text: string } | { readonly expr: ts.Expression };

/**
 * Flattens a template literal, a string literal or a `+` concatenation of them into literal
 * text and expressions, in order. Undefined for anything else (e.g. a bare variable).
 */
export function segmentsOf(e: ts.Expression): Segment[] | undefined {
  e = unwrap(e);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ text: e.text }];
  if (ts.isTemplateExpression(e)) {
    const out: Segment[] = [{ text: e.head.text }];
    for (const span of e.templateSpans) out.push({ expr: span.expression }, { text: span.literal.text });
    return out.filter((s) => !('text' in s) || s.text !== '');
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = segmentsOf(e.left) ?? [{ expr: e.left }];
    const right = segmentsOf(e.right) ?? [{ expr: e.right }];
    // Numbers added together are not a string: only accept when some part is literal text.
    if (![...left, ...right].some((s) => 'text' in s)) return undefined;
    return [...left, ...right];
  }
  return undefined;
}

/** Whether any expression in the segments is tainted-looking (anything not literal). */
export function hasExpr(segs: readonly Segment[]): boolean {
  return segs.some((s) => 'expr' in s);
}

/** Source text of a node. */
export function src(f: TsFixFile, n: ts.Node): string {
  return n.getText(f.sourceFile);
}

/**
 * A const declaration's initializer when `id` names a `const` in the enclosing scopes whose only
 * other use is this one (so the sink can use the initializer's parts directly).
 */
export function constInitializer(f: TsFixFile, id: ts.Identifier): { decl: ts.VariableDeclaration; init: ts.Expression } | undefined {
  let scope: ts.Node | undefined = id.parent;
  while (scope) {
    let found: ts.VariableDeclaration | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && n.initializer && n.end <= id.getStart(f.sourceFile)) {
        const list = n.parent;
        if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) found = n;
      }
      if (!ts.isFunctionLike(n) || n === scope) ts.forEachChild(n, visit);
    };
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      ts.forEachChild(scope, visit);
      if (found) return { decl: found, init: found.initializer! };
    }
    scope = scope.parent;
  }
  return undefined;
}

/** Identifiers named like a declaration within the function (or file) that declares it. */
export function countInScope(decl: ts.Node, name: string): number {
  let scope: ts.Node = decl;
  while (scope.parent && !ts.isFunctionLike(scope)) scope = scope.parent;
  return countIdentifiers(scope, name);
}

/** Every identifier in the file with this name (a cheap reference count, without a checker). */
export function countIdentifiers(root: ts.Node, name: string): number {
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) n++;
    ts.forEachChild(node, visit);
  };
  visit(root);
  return n;
}

/** An edit replacing a node's text. */
export function replaceNode(f: TsFixFile, n: ts.Node, text: string): TextEdit {
  return { file: f.file, span: { start: n.getStart(f.sourceFile), end: n.end }, text };
}

/** The statement that contains a node (the nearest ancestor that is a statement in a block or file). */
export function enclosingStatement(n: ts.Node): ts.Statement | undefined {
  let cur: ts.Node | undefined = n;
  while (cur && !(ts.isStatement(cur) && (ts.isBlock(cur.parent) || ts.isSourceFile(cur.parent) || ts.isCaseClause(cur.parent) || ts.isDefaultClause(cur.parent)))) cur = cur.parent;
  return cur as ts.Statement | undefined;
}

/** Whether the file is TypeScript (type annotations allowed). */
export function isTypeScript(f: TsFixFile): boolean {
  return /\.[cm]?tsx?$/i.test(f.file);
}
