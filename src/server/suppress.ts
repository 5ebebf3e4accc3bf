import type { Language } from '../core';

/** A zero-based LSP position. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * How to disable one rule on one line: insert a new directive comment above it, or append the
 * rule to the directive that is already there (so directives never stack), or nothing to do.
 */
export type DisableEdit =
  | { readonly kind: 'insert'; readonly at: Position; readonly text: string; readonly snippet: string }
  | { readonly kind: 'append'; readonly at: Position; readonly text: string }
  | { readonly kind: 'present' };

/** Placeholder the user types over; the snippet selects it. */
export const REASON_PLACEHOLDER = 'reason';

const NEXT_LINE_DIRECTIVE = /^(\s*)(\/\/|#)(\s*)mcp-warden-disable-next-line(?![\w-])(.*)$/;

/** Escapes text for a snippet body (`$`, `}` and `\` are special there). */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The edit that disables `ruleId` for the zero-based `line` of `text`: a
 * `mcp-warden-disable-next-line <rule> -- <reason>` comment (`#` in Python) indented like the
 * line, or the rule appended to such a directive on the line above.
 */
export function disableLineEdit(text: string, line: number, ruleId: string, language: Language): DisableEdit {
  const lines = linesOf(text);
  const target = lines[line] ?? '';
  const marker = language === 'python' ? '#' : '//';
  const above = line > 0 ? lines[line - 1] : undefined;
  const m = above === undefined ? null : NEXT_LINE_DIRECTIVE.exec(above);
  if (above !== undefined && m && m[2] === marker) {
    const rest = m[4]!;
    const sep = rest.search(/\s--(\s|$)/);
    const rulesPart = sep >= 0 ? rest.slice(0, sep) : rest;
    const rules = rulesPart
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    if (rules.includes(ruleId)) return { kind: 'present' };
    const rulesStart = above.length - rest.length;
    const character = rulesStart + rulesPart.trimEnd().length;
    return { kind: 'append', at: { line: line - 1, character }, text: rules.length ? `, ${ruleId}` : ` ${ruleId}` };
  }
  const indent = /^\s*/.exec(target)![0];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const head = `${indent}${marker} mcp-warden-disable-next-line ${ruleId} -- `;
  return {
    kind: 'insert',
    at: { line, character: 0 },
    text: `${head}${REASON_PLACEHOLDER}${eol}`,
    snippet: `${escapeSnippet(head)}\${1:${REASON_PLACEHOLDER}}${eol}`,
  };
}
