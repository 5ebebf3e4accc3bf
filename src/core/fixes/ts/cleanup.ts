import * as ts from 'typescript';
import type { TextEdit } from '../../types';
import { applyEdits } from '../../fix';
import { parseTsText } from './parse';
import { countIdentifiers } from './common';
import { diffEdits } from '../diff';
import type { TsFixFile } from '../ts-imports';

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
function deleteDeclaration(text: string, sf: ts.SourceFile, name: string): { edit: TextEdit; freed: string[]; soleSpecifier?: { start: number; end: number } } | undefined {
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
      const nb = s.importClause.namedBindings;
      if (!nb || !ts.isNamedImports(nb)) continue;
      const i = nb.elements.findIndex((e) => e.name.text === name);
      if (i < 0) continue;
      if (nb.elements.length === 1 && !s.importClause.name) {
        const only = nb.elements[0]!;
        return { edit: { file: sf.fileName, span: statementLine(text, sf, s), text: '' }, freed: [], soleSpecifier: { start: only.getStart(sf), end: only.end } };
      }
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

const wordCount = (t: string, n: string) => (t.match(new RegExp(`(?<![\\w$])${n.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')) ?? []).length;

function conflicts(e: TextEdit, others: readonly TextEdit[]): boolean {
  return others.some(
    (o) =>
      (o.span.start < e.span.end && e.span.start < o.span.end) ||
      (o.span.start === o.span.end && e.span.start < o.span.start && o.span.start < e.span.end),
  );
}

/**
 * Folds a proposal insertion that falls inside a deletion into it, for the two shapes command
 * fixes produce: a declaration inserted after the statement being deleted
 * (`const execAsync = ...` replaced by `const execFileAsync = ...`), and a name merged into an
 * import whose only other name is being deleted (`{ exec }` becomes `{ execFile }`).
 */
function mergeIntoDeletion(
  text: string,
  del: { edit: TextEdit; soleSpecifier?: { start: number; end: number } },
  edits: readonly TextEdit[],
): { edit: TextEdit; edits: TextEdit[] } | undefined {
  const inside = edits.filter((o) => conflicts(del.edit, [o]));
  if (inside.length !== 1 || inside[0]!.span.start !== inside[0]!.span.end) return undefined;
  const ins = inside[0]!;
  const rest = edits.filter((o) => o !== ins);
  const end = del.edit.span.end;
  const tailText = text.slice(ins.span.start, end);
  const eol = /^\r?\n/.exec(ins.text)?.[0];
  if (eol && /^[ \t]*(\r?\n)?$/.test(tailText)) {
    return { edit: { ...del.edit, text: ins.text.slice(eol.length) + tailText }, edits: rest };
  }
  const sole = del.soleSpecifier;
  if (sole && ins.span.start === sole.end && ins.text.startsWith(', ') && !ins.text.includes('\n')) {
    return { edit: { ...del.edit, span: sole, text: ins.text.slice(2) }, edits: rest };
  }
  return undefined;
}

/**
 * A proposal's edits plus deletions of the top-level bindings it leaves unused: a named import or
 * destructured require of one of `candidates`, or a `const x = promisify(y)` (then `y` and
 * `promisify` become candidates too); only names the original used besides their declaration,
 * so imports the user already had unused stay. Declarations are found in the already parsed
 * original, so this costs string scans, not parses; when a deletion would touch one of the
 * proposal's edits (e.g. the import it merges into), the slower parse-and-diff path decides.
 */
export function withoutUnused(f: TsFixFile, proposal: readonly TextEdit[], candidates: readonly string[]): TextEdit[] {
  let edits = proposal;
  const removed: TextEdit[] = [];
  const queue = [...new Set(candidates)];
  for (let guard = 0; guard < 20 && queue.length > 0; guard++) {
    const name = queue.shift()!;
    if (!/^[A-Za-z_$][\w$]*$/.test(name) || wordCount(f.text, name) < 2) continue;
    // Word counts over the raw text only ever overcount (strings, comments, `x.name`), so a
    // count of one means the declaration is the last mention left.
    const current = applyEdits(f.text, [...edits, ...removed]).text;
    if (wordCount(current, name) !== 1) continue;
    const del = deleteDeclaration(f.text, f.sourceFile, name);
    if (!del) continue;
    if (conflicts(del.edit, removed)) continue;
    if (conflicts(del.edit, edits)) {
      const merged = mergeIntoDeletion(f.text, del, edits);
      if (merged) {
        edits = merged.edits;
        removed.push({ ...merged.edit, file: f.file });
        queue.push(...del.freed.filter((n) => n !== name));
        continue;
      }
      const after = applyEdits(f.text, proposal);
      if (after.skipped.length > 0) return [...proposal];
      const cleaned = removeUnusedBindings(f.file, f.text, after.text, candidates);
      return diffEdits(f.file, f.text, cleaned);
    }
    removed.push({ ...del.edit, file: f.file });
    queue.push(...del.freed.filter((n) => n !== name));
  }
  return [...edits, ...removed];
}

/**
 * Removes top-level bindings a rewrite left unused from the rewritten `text` (parsing it), for
 * the cases `withoutUnused` cannot express as edits of the original. Returns the new text.
 */
export function removeUnusedBindings(file: string, original: string, text: string, candidates: readonly string[]): string {
  const queue = [...new Set(candidates)];
  for (let guard = 0; guard < 20 && queue.length > 0; guard++) {
    const name = queue.shift()!;
    if (!/^[A-Za-z_$][\w$]*$/.test(name) || wordCount(original, name) < 2 || wordCount(text, name) !== 1) continue;
    const sf = parseTsText(file, text);
    if (countIdentifiers(sf, name) !== 1) continue;
    const del = deleteDeclaration(text, sf, name);
    if (!del) continue;
    text = applyEdits(text, [del.edit]).text;
    queue.push(...del.freed.filter((n) => n !== name));
  }
  return text;
}
