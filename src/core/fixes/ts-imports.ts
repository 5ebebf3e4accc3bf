import * as ts from 'typescript';
import type { TextEdit } from '../types';
import { detectStyle, quoteJs, type FileStyle } from './style';

/** What a fix needs to know about the file it edits (a subset of the TS engine's context). */
export interface TsFixFile {
  readonly file: string;
  readonly text: string;
  readonly sourceFile: ts.SourceFile;
}

/** Result of asking for imported names: how to refer to each, and the edits that add them. */
export interface TsImportResult {
  /** Expression to use for each requested export, e.g. `execFile` or `cp.execFile`. */
  readonly refs: Readonly<Record<string, string>>;
  /** Zero or one edit: a merge into an existing import/require, or one new statement. */
  readonly edits: readonly TextEdit[];
}

/** `child_process` and `node:child_process` name the same built-in module. */
export function sameModule(a: string, b: string): boolean {
  return a.replace(/^node:/, '') === b.replace(/^node:/, '');
}

function isRequireOf(expr: ts.Expression | undefined, mod: string): boolean {
  return (
    !!expr &&
    ts.isCallExpression(expr) &&
    ts.isIdentifier(expr.expression) &&
    expr.expression.text === 'require' &&
    expr.arguments.length === 1 &&
    ts.isStringLiteralLike(expr.arguments[0]!) &&
    sameModule((expr.arguments[0] as ts.StringLiteralLike).text, mod)
  );
}

function requireCallIn(stmt: ts.Statement): boolean {
  if (!ts.isVariableStatement(stmt)) return false;
  return stmt.declarationList.declarations.some((d) => {
    const init = d.initializer;
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

/** True when the file is written as an ES module (imports/exports), or is TypeScript without requires. */
export function usesEsm(sf: ts.SourceFile): boolean {
  const stmts = sf.statements;
  if (stmts.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s))) return true;
  if (stmts.some(requireCallIn)) return false;
  if (/\.c[jt]s$/i.test(sf.fileName)) return false;
  return true;
}

/**
 * How the file writes built-in module names: `node:fs` when any import/require of a built-in
 * already uses the prefix or when there is none to learn from, else the bare name.
 */
function builtinSpecifier(sf: ts.SourceFile, mod: string): string {
  const bare = mod.replace(/^node:/, '');
  if (!BUILTINS.has(bare)) return mod;
  let prefixed = 0;
  let plain = 0;
  for (const s of sf.statements) {
    const spec = ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : requireSpecifier(s);
    if (spec === undefined) continue;
    if (spec.startsWith('node:')) prefixed++;
    else if (BUILTINS.has(spec)) plain++;
  }
  return plain > prefixed ? bare : `node:${bare}`;
}

const BUILTINS: ReadonlySet<string> = new Set(['child_process', 'crypto', 'fs', 'fs/promises', 'path', 'util', 'os', 'url']);

function requireSpecifier(s: ts.Statement): string | undefined {
  if (!ts.isVariableStatement(s)) return undefined;
  for (const d of s.declarationList.declarations) {
    const init = d.initializer;
    if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
      const arg = init.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) return arg.text;
    }
  }
  return undefined;
}

/** Whether a list's elements sit on separate lines (then new ones get their own line too). */
function multiline(text: string, nodes: ts.NodeArray<ts.Node>): boolean {
  return nodes.length > 0 && /[\r\n]/.test(text.slice(nodes.pos, nodes[0]!.getStart()));
}

function appendToList(f: TsFixFile, list: ts.NodeArray<ts.Node>, open: ts.Node, items: readonly string[], style: FileStyle): TextEdit {
  const text = f.text;
  if (list.length === 0) {
    // `{}`: replace the braces' inside.
    return { file: f.file, span: { start: open.getStart() + 1, end: open.end - 1 }, text: ` ${items.join(', ')} ` };
  }
  const last = list[list.length - 1]!;
  if (multiline(text, list)) {
    const lineStart = text.lastIndexOf('\n', last.getStart()) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const trailing = list.hasTrailingComma ? ',' : '';
    const insertAt = list.hasTrailingComma ? text.indexOf(',', last.end) + 1 : last.end;
    return {
      file: f.file,
      span: { start: insertAt, end: insertAt },
      text: (list.hasTrailingComma ? '' : ',') + items.map((i) => `${style.eol}${indent}${i}`).join(',') + trailing,
    };
  }
  return { file: f.file, span: { start: last.end, end: last.end }, text: items.map((i) => `, ${i}`).join('') };
}

/**
 * Makes named exports of a module available in a TS/JS file and says how to refer to them.
 * Reuses what the file already imports (`import { x as y }`, `import * as m`, default imports,
 * `const { x } = require(...)`, `const m = require(...)`; `child_process` and
 * `node:child_process` are the same module); merges missing names into an existing named
 * import or destructuring require; otherwise adds one statement in the file's module style
 * (ESM import or CommonJS require), quote style and semicolon habit, after the last import.
 * Never produces a duplicate import. Type-only imports are not reused.
 */
export function ensureTsImports(f: TsFixFile, mod: string, names: readonly string[], style: FileStyle = detectStyle(f.text, 'typescript')): TsImportResult {
  const sf = f.sourceFile;
  const refs: Record<string, string> = {};
  let mergeTarget: { list: ts.NodeArray<ts.Node>; open: ts.Node } | undefined;
  let namespaceRef: string | undefined;
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier) && sameModule(stmt.moduleSpecifier.text, mod)) {
      const clause = stmt.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) namespaceRef ??= nb.name.text;
      else if (clause.name) namespaceRef ??= clause.name.text;
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          if (el.isTypeOnly) continue;
          const imported = (el.propertyName ?? el.name).text;
          if (names.includes(imported)) refs[imported] ??= el.name.text;
        }
        mergeTarget ??= { list: nb.elements, open: nb };
      }
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (!isRequireOf(d.initializer, mod)) continue;
        if (ts.isIdentifier(d.name)) namespaceRef ??= d.name.text;
        else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
            const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            if (names.includes(imported)) refs[imported] ??= el.name.text;
          }
          mergeTarget ??= { list: d.name.elements, open: d.name };
        }
      }
    }
  }
  const missing = names.filter((n) => refs[n] === undefined);
  if (missing.length === 0) return { refs, edits: [] };
  if (namespaceRef && !mergeTarget) {
    for (const n of missing) refs[n] = `${namespaceRef}.${n}`;
    return { refs, edits: [] };
  }
  // A name already bound to something else in the file would be shadowed or clash.
  const taken = declaredNames(sf);
  const clash = missing.filter((n) => taken.has(n));
  if (clash.length > 0 && namespaceRef) {
    for (const n of missing) refs[n] = `${namespaceRef}.${n}`;
    return { refs, edits: [] };
  }
  if (mergeTarget) {
    for (const n of missing) refs[n] = n;
    return { refs, edits: [appendToList(f, mergeTarget.list, mergeTarget.open, missing, style)] };
  }
  for (const n of missing) refs[n] = n;
  const spec = quoteJs(builtinSpecifier(sf, mod), style);
  const statement = usesEsm(sf)
    ? `import { ${missing.join(', ')} } from ${spec}${style.semi ? ';' : ''}`
    : `const { ${missing.join(', ')} } = require(${spec})${style.semi ? ';' : ''}`;
  return { refs, edits: [insertTopLevel(f, statement, style)] };
}

/** Top-level names declared in the file (imports, functions, classes, variables). */
export function declaredNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const addBinding = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      if (s.importClause.name) out.add(s.importClause.name.text);
      const nb = s.importClause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) out.add(el.name.text);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) {
      out.add(s.name.text);
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) addBinding(d.name);
    }
  }
  return out;
}

function isImportLike(s: ts.Statement): boolean {
  if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)) return true;
  return ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => {
    const init = d.initializer;
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

/** End offset of the last leading import/require statement, or undefined when there is none. */
export function lastImportEnd(sf: ts.SourceFile): number | undefined {
  let end: number | undefined;
  for (const s of sf.statements) {
    if (isImportLike(s)) end = s.end;
    else if (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && end === undefined) continue; // 'use strict'
    else break;
  }
  return end;
}

/**
 * An edit inserting a top-level statement on its own line: after the last leading
 * import/require, else after a 'use strict' prologue, else before the first statement
 * (below a shebang and the file's leading comments).
 */
export function insertTopLevel(f: TsFixFile, statement: string, style: FileStyle): TextEdit {
  const sf = f.sourceFile;
  const after = lastImportEnd(sf);
  if (after !== undefined) return { file: f.file, span: { start: after, end: after }, text: `${style.eol}${statement}` };
  const first = sf.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)) {
    return { file: f.file, span: { start: first.end, end: first.end }, text: `${style.eol}${style.eol}${statement}` };
  }
  if (!first) {
    const at = f.text.length;
    const sep = at > 0 && !/\n$/.test(f.text) ? style.eol : '';
    return { file: f.file, span: { start: at, end: at }, text: `${sep}${statement}${style.eol}` };
  }
  const at = first.getStart(sf);
  return { file: f.file, span: { start: at, end: at }, text: `${statement}${style.eol}${style.eol}` };
}

/**
 * An edit inserting a top-level declaration (a helper function) after the file's imports,
 * separated by blank lines; callers first check `declaredNames` so it is inserted once.
 */
export function insertTopLevelDeclaration(f: TsFixFile, declaration: string, style: FileStyle): TextEdit {
  const sf = f.sourceFile;
  const after = lastImportEnd(sf);
  if (after !== undefined) {
    return { file: f.file, span: { start: after, end: after }, text: `${style.eol}${style.eol}${declaration}` };
  }
  const first = sf.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)) {
    return { file: f.file, span: { start: first.end, end: first.end }, text: `${style.eol}${style.eol}${declaration}` };
  }
  const at = first ? first.getStart(sf) : f.text.length;
  return { file: f.file, span: { start: at, end: at }, text: `${declaration}${style.eol}${style.eol}` };
}

/** The child of `node` whose range (leading trivia included) holds `span`, if one does. */
export function childCovering(node: ts.Node, span: { start: number; end: number }): ts.Node | undefined {
  let found: ts.Node | undefined;
  ts.forEachChild(node, (c) => {
    // `pos` includes leading trivia, so it is a cheap bound before the scanner-based getStart.
    if (c.pos <= span.start && c.end >= span.end) {
      found = c;
      return true;
    }
    return undefined;
  });
  return found;
}

/**
 * The file's child covering `span`: top-level statements are many and sorted, so the first one
 * ending at or after the span is the only statement that can hold it (binary search).
 */
export function topCovering(sf: ts.SourceFile, span: { start: number; end: number }): ts.Node | undefined {
  const statements = sf.statements;
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (statements[mid]!.end < span.end) lo = mid + 1;
    else hi = mid;
  }
  const top = statements[lo];
  return top && top.pos <= span.start && top.end >= span.end ? top : childCovering(sf, span);
}

/** The innermost node whose full text range equals `span` (or, failing that, the smallest node covering it). */
export function nodeAtSpan(sf: ts.SourceFile, span: { start: number; end: number }): ts.Node | undefined {
  // Siblings do not overlap, so one path from the root holds every candidate: follow it.
  const first = topCovering(sf, span);
  let best: ts.Node | undefined;
  for (let n = first; n && n.getStart(sf) <= span.start; n = childCovering(n, span)) {
    best = n;
    if (n.getStart(sf) === span.start && n.end === span.end) {
      // The outermost exact match; go on only through wrappers with the very same range.
      for (let inner = childCovering(n, span); inner && inner.getStart(sf) === span.start && inner.end === span.end; inner = childCovering(inner, span)) best = inner;
      return best;
    }
  }
  return best;
}

/**
 * Makes a whole module available under one name (`import * as path from 'node:path'`, or
 * `const path = require('node:path')` in CommonJS) and returns that name. Reuses an existing
 * namespace, default or whole-module require of the same module; picks `<name>Module` when the
 * preferred name is taken at the top level.
 */
export function ensureTsNamespace(f: TsFixFile, mod: string, preferred: string, style: FileStyle = detectStyle(f.text, 'typescript')): { ref: string; edits: readonly TextEdit[] } {
  const sf = f.sourceFile;
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier) && sameModule(stmt.moduleSpecifier.text, mod)) {
      const clause = stmt.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) return { ref: clause.namedBindings.name.text, edits: [] };
      if (clause.name) return { ref: clause.name.text, edits: [] };
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (isRequireOf(d.initializer, mod) && ts.isIdentifier(d.name)) return { ref: d.name.text, edits: [] };
      }
    }
  }
  const taken = declaredNames(sf);
  let name = preferred;
  for (let i = 2; taken.has(name); i++) name = `${preferred}Module${i > 2 ? i : ''}`;
  const spec = quoteJs(builtinSpecifier(sf, mod), style);
  const statement = usesEsm(sf)
    ? `import * as ${name} from ${spec}${style.semi ? ';' : ''}`
    : `const ${name} = require(${spec})${style.semi ? ';' : ''}`;
  return { ref: name, edits: [insertTopLevel(f, statement, style)] };
}
