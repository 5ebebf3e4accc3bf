/**
 * Small TypeScript-syntax helpers shared by the MCP rules (the engine's own helpers live in
 * src/core/ts/ast.ts; these add what the rules need on top: constant folding of description
 * text, dotted callee names, lexical scopes).
 */
import * as ts from 'typescript';
import { propName, stringValue, unwrap } from '../../ts/ast';
import { kindMask, walkTs, walkTsKinds } from '../../ts/walk';
import type { Span } from '../../types';

export { propName, stringValue, unwrap };
export { kindMask, walkTs, walkTsKinds, type KindMask } from '../../ts/walk';

export function spanOfNode(node: ts.Node, sf: ts.SourceFile): Span {
  return { start: node.getStart(sf), end: node.getEnd() };
}

/** `a.b.c` for identifier/property chains (`this` included); undefined for anything else. */
export function dotted(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e)) {
    const left = dotted(e.expression);
    return left === undefined ? undefined : `${left}.${e.name.text}`;
  }
  if (ts.isElementAccessExpression(e)) {
    const key = stringValue(e.argumentExpression);
    const left = dotted(e.expression);
    return left === undefined || key === undefined ? undefined : `${left}.${key}`;
  }
  return undefined;
}

/** Dotted callee of a call or `new` (`console.log`, `server.tool`, `fetch`). */
export function calleeDotted(call: ts.CallExpression | ts.NewExpression): string | undefined {
  return dotted(call.expression);
}

/** The last segment of the callee (`log` in `console.log`, `cors` in `cors`). */
export function calleeLast(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e)) return stringValue(e.argumentExpression);
  return undefined;
}

/** Property of an object literal by name, with its initializer. */
export function findProp(obj: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined {
  for (const p of obj.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && propName(p.name) === name) return p;
  }
  return undefined;
}

export function propValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = findProp(obj, name);
  if (!p) return undefined;
  return ts.isPropertyAssignment(p) ? p.initializer : p.name;
}

/** Top-level `const NAME = <expr>` declarations, for resolving constants used by name. */
export function topLevelConsts(sf: ts.SourceFile): Map<string, ts.Expression> {
  const out = new Map<string, ts.Expression>();
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    if (!(stmt.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of stmt.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer) out.set(d.name.text, d.initializer);
    }
  }
  return out;
}

/** A piece of folded text and the literal it came from (for fixes that edit the literal). */
export interface TextPiece {
  readonly node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail;
  /** Offset of the piece in the folded text. */
  readonly at: number;
  readonly text: string;
}

export interface FoldedText {
  readonly value: string;
  readonly pieces: readonly TextPiece[];
}

/**
 * Folds an expression to the text it evaluates to where that is knowable: string and template
 * literals (substitutions become a single space), `+` chains, `[...].join(sep)`, parentheses,
 * and top-level constants. Undefined when no literal text is involved.
 */
export function foldText(expr: ts.Expression | undefined, consts?: Map<string, ts.Expression>, depth = 0): FoldedText | undefined {
  if (!expr || depth > 8) return undefined;
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { value: e.text, pieces: [{ node: e, at: 0, text: e.text }] };
  if (ts.isTemplateExpression(e)) {
    let value = e.head.text;
    const pieces: TextPiece[] = [{ node: e.head, at: 0, text: e.head.text }];
    for (const span of e.templateSpans) {
      const inner = foldText(span.expression, consts, depth + 1);
      value += inner ? inner.value : ' ';
      pieces.push({ node: span.literal, at: value.length, text: span.literal.text });
      value += span.literal.text;
    }
    return { value, pieces };
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = foldText(e.left, consts, depth + 1);
    const r = foldText(e.right, consts, depth + 1);
    if (!l && !r) return undefined;
    const lv = l?.value ?? ' ';
    return { value: lv + (r?.value ?? ' '), pieces: [...(l?.pieces ?? []), ...(r?.pieces ?? []).map((p) => ({ ...p, at: p.at + lv.length }))] };
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join') {
    const arr = unwrap(e.expression.expression);
    if (!ts.isArrayLiteralExpression(arr)) return undefined;
    const sep = e.arguments[0] ? stringValue(e.arguments[0]) : ',';
    if (sep === undefined) return undefined;
    let value = '';
    const pieces: TextPiece[] = [];
    arr.elements.forEach((el, i) => {
      if (i > 0) value += sep;
      const f = foldText(el, consts, depth + 1);
      if (f) {
        pieces.push(...f.pieces.map((p) => ({ ...p, at: p.at + value.length })));
        value += f.value;
      } else value += ' ';
    });
    return { value, pieces };
  }
  if (ts.isIdentifier(e) && consts) {
    const init = consts.get(e.text);
    if (init) return foldText(init, consts, depth + 1);
  }
  return undefined;
}

/**
 * Every identifier named `name` in the file, in source order, as a walk of all identifiers would
 * find them: by searching the text for the name and descending to the identifier starting
 * there. Identifiers are a third of a file's nodes, and looking at each (a megamorphic property
 * load per node) cost more than the search. A file with a unicode escape anywhere (`\u0061`
 * can spell an identifier) is walked instead.
 */
export function identifiersNamed(sf: ts.SourceFile, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const text = sf.text;
  let escapes = unicodeEscapes.get(sf);
  if (escapes === undefined) {
    escapes = text.includes('\\u');
    unicodeEscapes.set(sf, escapes);
  }
  if (name.length === 0 || escapes) {
    const escaped = ts.escapeLeadingUnderscores(name);
    walkTsKinds(sf, IDENTIFIER_KIND, (n) => {
      if ((n as ts.Identifier).escapedText === escaped) out.push(n as ts.Identifier);
    });
    return out;
  }
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const id = identifierAt(sf, at, at + name.length);
    if (id) out.push(id);
  }
  return out;
}

const IDENTIFIER_KIND = kindMask(ts.SyntaxKind.Identifier);
/** Whether a file's text has a `\u` escape, looked up once per parse. */
const unicodeEscapes = new WeakMap<ts.SourceFile, boolean>();

/** The identifier token spanning exactly [start, end), found along the one path that can hold it. */
function identifierAt(sf: ts.SourceFile, start: number, end: number): ts.Identifier | undefined {
  // Top-level statements are many and sorted: binary search for the one that can hold the range.
  const statements = sf.statements;
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (statements[mid]!.end < end) lo = mid + 1;
    else hi = mid;
  }
  const top = statements[lo];
  let node: ts.Node | undefined = top && top.pos <= start && top.end >= end ? top : childHolding(sf, start, end);
  while (node) {
    if (node.kind === ts.SyntaxKind.Identifier) return node.end === end && node.getStart(sf) === start ? (node as ts.Identifier) : undefined;
    node = childHolding(node, start, end);
  }
  return undefined;
}

/** The range `childHolding` looks for, read by one callback instead of a closure made per step. */
let holdStart = 0;
let holdEnd = 0;
const holds = (c: ts.Node): ts.Node | undefined => (c.pos <= holdStart && c.end >= holdEnd ? c : undefined);

/** The child of `node` whose range (leading trivia included) holds [start, end); children do not overlap. */
function childHolding(node: ts.Node, start: number, end: number): ts.Node | undefined {
  holdStart = start;
  holdEnd = end;
  return ts.forEachChild(node, holds);
}

/**
 * Whether an identifier names a member rather than reads a variable: the key of `{ auth: ... }`,
 * the member of `x.auth`, a class member's name.
 */
export function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAssignment(p) || ts.isPropertyAccessExpression(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === id;
}

/** The innermost function-like node containing `node` (not `node` itself). */
/** The name a function is called by: its own, or the variable it initialises (`const f = () => ...`). */
export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  return fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
}

/**
 * The names a file imports as values, with the module specifier and the member each names
 * (`default` for a default import): `import x, { y as z } from './m.js'`.
 */
export function importedBindings(sf: ts.SourceFile): Map<string, { spec: string; member: string }> {
  const out = new Map<string, { spec: string; member: string }>();
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const clause = stmt.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const spec = stmt.moduleSpecifier.text;
    if (clause.name) out.set(clause.name.text, { spec, member: 'default' });
    const nb = clause.namedBindings;
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) out.set(el.name.text, { spec, member: (el.propertyName ?? el.name).text });
  }
  return out;
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isArrowFunction(p) || ts.isMethodDeclaration(p) || ts.isConstructorDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) {
      return p;
    }
  }
  return undefined;
}

/** Whether the file's text (outside comments, approximately) mentions a name or string. */
export function identifiersOf(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  walkTs(sf, (n) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.add(n.text);
  });
  return out;
}

/** The string a TS/JS literal's raw source holds between its quotes (for raw == cooked checks). */
export function rawLiteralBody(node: TextPiece['node'], sf: ts.SourceFile): { start: number; raw: string } {
  const full = node.getText(sf);
  // Quotes: ' " ` for literals, `...${ for heads, }...${ for middles, }...` for tails.
  let startTrim = 1;
  let endTrim = 1;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) endTrim = 2;
  return { start: node.getStart(sf) + startTrim, raw: full.slice(startTrim, full.length - endTrim) };
}

/** A registration's name: the literal, or a top-level `const name = '...'` it refers to. */
export function registrationName(reg: { readonly name?: string; readonly call: ts.CallExpression }, consts: ReadonlyMap<string, ts.Expression>): string {
  if (reg.name !== undefined) return reg.name;
  const first = reg.call.arguments[0] && unwrap(reg.call.arguments[0]);
  if (first && ts.isIdentifier(first)) {
    const init = consts.get(first.text);
    const v = init ? stringValue(init) : undefined;
    if (v !== undefined) return v;
  }
  return '?';
}
