import * as ts from 'typescript';
import type { TextEdit } from '../../types';
import { applyEdits } from '../../fix';
import { parseTsText } from './parse';
import { countIdentifiers } from './common';

/** Span of a whole statement with its indentation and line break, for deleting it cleanly. */
function statementLine(text: string, sf: ts.SourceFile, stmt: ts.Node): { start: number; end: number } {
  let start = stmt.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() === '') start = lineStart;
  let end = stmt.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { start, end };
}

/** Removes one element of a comma list (import specifiers, binding elements) with its comma. */
function listElement(sf: ts.SourceFile, list: ts.NodeArray<ts.Node>, i: number): { start: number; end: number } {
  const el = list[i]!;
  if (i + 1 < list.length) return { start: el.getStart(sf), end: list[i + 1]!.getStart(sf) };
  if (i > 0) return { start: list[i - 1]!.end, end: el.end };
  return { start: el.getStart(sf), end: el.end };
}

/** The edit deleting the top-level declaration of `name`, plus names it used, or undefined. */
function deleteDeclaration(text: string, sf: ts.SourceFile, name: string): { edit: TextEdit; freed: string[] } | undefined {
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
      const nb = s.importClause.namedBindings;
      if (!nb || !ts.isNamedImports(nb)) continue;
      const i = nb.elements.findIndex((e) => e.name.text === name);
      if (i < 0) continue;
      if (nb.elements.length === 1 && !s.importClause.name) return { edit: { file: sf.fileName, span: statementLine(text, sf, s), text: '' }, freed: [] };
      return { edit: { file: sf.fileName, span: listElement(sf, nb.elements, i), text: '' }, freed: [] };
    }
    if (!ts.isVariableStatement(s) || s.declarationList.declarations.length !== 1) continue;
    const d = s.declarationList.declarations[0]!;
    if (ts.isObjectBindingPattern(d.name)) {
      const i = d.name.elements.findIndex((e) => ts.isIdentifier(e.name) && e.name.text === name);
      if (i < 0) continue;
      if (d.name.elements.length === 1) return { edit: { file: sf.fileName, span: statementLine(text, sf, s), text: '' }, freed: [] };
      return { edit: { file: sf.fileName, span: listElement(sf, d.name.elements, i), text: '' }, freed: [] };
    }
    if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && ts.isCallExpression(d.initializer)) {
      // Only side-effect-free initializers: `promisify(exec)` and the like.
      if (!/(^|\.)promisify$/.test(d.initializer.expression.getText(sf))) continue;
      const freed: string[] = [];
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) freed.push(n.text);
        ts.forEachChild(n, visit);
      };
      visit(d.initializer);
      return { edit: { file: sf.fileName, span: statementLine(text, sf, s), text: '' }, freed };
    }
  }
  return undefined;
}

/**
 * Removes top-level bindings a rewrite left unused: a named import or destructured require of
 * one of `candidates`, or a `const x = promisify(y)` (then `y` and `promisify` become candidates
 * too), but only names that `original` used somewhere besides their declaration, so imports the
 * user already had unused are left alone. Returns the new text.
 */
export function removeUnusedBindings(file: string, original: string, text: string, candidates: readonly string[]): string {
  const origSf = parseTsText(file, original);
  const queue = [...new Set(candidates)];
  const wasUsed = (n: string) => countIdentifiers(origSf, n) >= 2;
  for (let guard = 0; guard < 20 && queue.length > 0; guard++) {
    const name = queue.shift()!;
    if (!wasUsed(name)) continue;
    const sf = parseTsText(file, text);
    if (countIdentifiers(sf, name) !== 1) continue;
    const del = deleteDeclaration(text, sf, name);
    if (!del) continue;
    text = applyEdits(text, [del.edit]).text;
    queue.push(...del.freed.filter((n) => n !== name));
  }
  return text;
}
