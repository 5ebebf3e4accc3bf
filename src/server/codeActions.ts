import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { LineMap, type Finding, type FixProposal, type Language } from '../core';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics';
import { SHOW_DOCUMENTATION_COMMAND } from './protocol';
import { disableLineEdit } from './suppress';

/** Rules whose findings are about directives themselves: disabling them per line makes no sense. */
const NOT_DISABLEABLE: ReadonlySet<string> = new Set(['invalid-suppression', 'unused-suppression']);

export interface CodeActionInput {
  readonly uri: string;
  readonly file: string;
  readonly text: string;
  readonly language: Language;
  /** Findings of the current analysis of this document. */
  readonly findings: readonly Finding[];
  /** The diagnostics VS Code passes in the request's context. */
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the client applies snippet edits (LSP 3.18 workspaceEdit.snippetEditSupport). */
  readonly snippets: boolean;
  /** Text of another file a fix edits (open document or disk), if it can be read. */
  readonly readText: (file: string) => string | undefined;
}

/** Finds the finding behind a diagnostic by fingerprint, then by rule id and range: never by message text. */
export function findingFor(d: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (data?.fingerprint) {
    const byPrint = findings.find((f) => f.fingerprint === data.fingerprint);
    if (byPrint) return byPrint;
  }
  return findings.find(
    (f) =>
      f.ruleId === d.code &&
      f.location.startLine - 1 === d.range.start.line &&
      f.location.startColumn - 1 === d.range.start.character,
  );
}

function fixEdit(fix: FixProposal, input: CodeActionInput): WorkspaceEdit | undefined {
  const byFile = new Map<string, LspTextEdit[]>();
  const maps = new Map<string, LineMap>();
  for (const e of fix.edits) {
    let map = maps.get(e.file);
    if (!map) {
      const text = e.file === input.file ? input.text : input.readText(e.file);
      if (text === undefined) return undefined;
      map = new LineMap(text);
      maps.set(e.file, map);
    }
    const s = map.position(e.span.start);
    const t = map.position(e.span.end);
    const list = byFile.get(e.file) ?? [];
    list.push({ range: { start: { line: s.line - 1, character: s.column - 1 }, end: { line: t.line - 1, character: t.column - 1 } }, newText: e.text });
    byFile.set(e.file, list);
  }
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [file, edits] of byFile) changes[file === input.file ? input.uri : pathToFileURL(file).toString()] = edits;
  return { changes };
}

function disableAction(f: Finding, d: Diagnostic, input: CodeActionInput): CodeAction | undefined {
  if (NOT_DISABLEABLE.has(f.ruleId)) return undefined;
  const edit = disableLineEdit(input.text, d.range.start.line, f.ruleId, input.language);
  if (edit.kind === 'present') return undefined;
  const range = { start: edit.at, end: edit.at };
  let workspaceEdit: WorkspaceEdit;
  if (edit.kind === 'insert' && input.snippets) {
    // A snippet edit puts the cursor on the reason placeholder, so the user types the reason.
    workspaceEdit = {
      documentChanges: [
        { textDocument: { uri: input.uri, version: null }, edits: [{ range, snippet: { kind: 'snippet', value: edit.snippet } }] },
      ],
    } as WorkspaceEdit;
  } else {
    workspaceEdit = { changes: { [input.uri]: [{ range, newText: edit.text }] } };
  }
  return {
    title: `Disable ${f.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: workspaceEdit,
  };
}

/**
 * Code actions for the MCP Warden diagnostics in a request: each fix proposal of the finding
 * (the linter keeps at most one preferred), "Disable <rule> for this line", and
 * "Show documentation for <rule>".
 */
export function codeActions(input: CodeActionInput): CodeAction[] {
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const docs = new Map<string, CodeAction>();
  for (const d of input.diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'string') continue;
    const f = findingFor(d, input.findings);
    if (!f) continue;
    for (const fix of f.fixes) {
      const edit = fixEdit(fix, input);
      if (!edit) continue;
      fixes.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix.preferred === true,
        edit,
      });
    }
    const disable = disableAction(f, d, input);
    if (disable) disables.push(disable);
    if (!docs.has(f.ruleId)) {
      docs.set(f.ruleId, {
        title: `Show documentation for ${f.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: `Show documentation for ${f.ruleId}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [f.ruleId] },
      });
    }
  }
  return [...fixes, ...disables, ...docs.values()];
}

