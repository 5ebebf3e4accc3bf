import * as ts from 'typescript';

/** Parses TS/JS text the way the TS engine does (same script kind rules, no parent links: cheaper), for re-checking a rewrite. */
export function parseTsText(file: string, text: string): ts.SourceFile {
  const lower = file.toLowerCase();
  const kind = lower.endsWith('.tsx') ? ts.ScriptKind.TSX : lower.endsWith('.jsx') ? ts.ScriptKind.JSX : /\.[cm]?js$/.test(lower) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
}
