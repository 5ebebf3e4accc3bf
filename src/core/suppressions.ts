/**
 * Suppression directives (contract 5), parsed from comments and applied centrally by the
 * linter, so every engine and rule gets the same behaviour:
 *
 *   // mcp-warden-disable-next-line <rule>[, <rule>] -- <reason>
 *   exec(cmd); // mcp-warden-disable-line <rule> -- <reason>
 *   /* mcp-warden-disable-file <rule> -- <reason> *\/
 *
 * (`#` comments in Python). The reason is required: a directive without one still applies but
 * produces an `invalid-suppression` warning, so it cannot pass CI unexplained. A listed rule that
 * suppresses nothing produces an `unused-suppression` note.
 */
import type { LineMap } from './text';
import type { Language, Span, TextEdit } from './types';

export const INVALID_SUPPRESSION = 'invalid-suppression';
export const UNUSED_SUPPRESSION = 'unused-suppression';

export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface Directive {
  readonly kind: DirectiveKind;
  /** Rule ids in the order written. */
  readonly rules: readonly string[];
  /** Text after `--`, trimmed; empty when missing. */
  readonly reason: string;
  /** The whole comment. */
  readonly span: Span;
  /** The span of the rule list inside the comment (for precise warnings and for appending). */
  readonly rulesSpan: Span;
  /** 1-based line of the comment. */
  readonly line: number;
  /**
   * Lines whose findings it covers (inclusive). next-line: the whole statement that starts on
   * the next code line; line: the comment's own line; file: every line.
   */
  readonly fromLine: number;
  readonly toLine: number;
}

const DIRECTIVE = /mcp-warden-disable(-next-line|-line|-file)(?![\w-])/;

/** Whether the text before a comment marker leaves a string literal open (then it is no comment). */
function insideString(before: string, language: Language): boolean {
  let quote: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || (c === '`' && language !== 'python')) {
      quote = c;
    }
  }
  return quote !== undefined;
}

interface Comment {
  readonly start: number;
  readonly end: number;
  readonly body: string;
  /** Offset of `body` in the text (just after the comment marker). */
  readonly bodyStart: number;
  /** Whether code precedes the comment on its line. */
  readonly trailing: boolean;
}

/**
 * Ranges of strings that span lines (Python triple-quoted strings, JS template literals), where
 * text that looks like a directive is documentation, not a comment.
 */
function multilineStrings(text: string, language: Language): Span[] {
  const re = language === 'python' ? /("""|''')[\s\S]*?\1/g : /`(?:[^`\\]|\\[\s\S])*`/g;
  const out: Span[] = [];
  for (const m of text.matchAll(re)) if (m[0].includes('\n')) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** Comments that may hold directives: `//`, `/* *\/` (single line) or `#`, not inside strings. */
function directiveComments(text: string, lines: LineMap, language: Language): Comment[] {
  const out: Comment[] = [];
  if (!text.includes('mcp-warden-disable')) return out;
  const strings = multilineStrings(text, language);
  for (let line = 1; line <= lines.lineCount; line++) {
    const lineText = lines.lineText(line);
    if (!lineText.includes('mcp-warden-disable')) continue;
    const markers = language === 'python' ? /#/g : /\/\/|\/\*/g;
    for (let m = markers.exec(lineText); m; m = markers.exec(lineText)) {
      const before = lineText.slice(0, m.index);
      if (insideString(before, language)) continue;
      let body = lineText.slice(m.index + m[0].length);
      let length = lineText.length - m.index;
      if (m[0] === '/*') {
        const close = body.indexOf('*/');
        if (close >= 0) {
          length = m[0].length + close + 2;
          body = body.slice(0, close);
        }
      }
      const start = lines.lineStart(line) + m.index;
      if (strings.some((r) => r.start < start && start < r.end)) break;
      out.push({ start, end: start + length, body, bodyStart: start + m[0].length, trailing: before.trim() !== '' });
      break; // the first comment on a line runs to its end (or is the only block comment we read)
    }
  }
  return out;
}

/**
 * Last line of the statement starting on `line`: follows unbalanced brackets and lines that
 * end in (or whose successor starts with) an operator or `.`, so that a directive above a
 * statement a formatter split over several lines still covers it. Stops where a block body
 * opens (`=> {`, `) {`, Python `:`), so a directive above a function does not cover its body.
 */
export function statementEnd(lines: LineMap, line: number, language: Language): number {
  let depth = 0;
  let cur = line;
  const maxLine = Math.min(lines.lineCount, line + 200);
  for (; cur <= maxLine; cur++) {
    const code = stripComment(lines.lineText(cur), language);
    let quote: string | undefined;
    for (let i = 0; i < code.length; i++) {
      const c = code[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '(' || c === '[') depth++;
      else if (c === '{') {
        if (language !== 'python' && /(=>|\)|\belse|\btry|\bdo|\bfinally)\s*$/.test(code.slice(0, i))) return cur;
        depth++;
      } else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    }
    const t = code.trimEnd();
    if (language === 'python' && depth === 0 && t.endsWith(':')) return cur;
    if (depth > 0) continue;
    if (language === 'python' ? t.endsWith('\\') : /(=|\+|-|\*|\/|,|\?|:|&&|\|\||\(|\.|\?\?)$/.test(t)) continue;
    const next = cur < lines.lineCount ? stripComment(lines.lineText(cur + 1), language).trimStart() : '';
    if (language !== 'python' && /^(\.|\?\.|\?|:|\+|&&|\|\||\?\?)/.test(next)) continue;
    return cur;
  }
  return Math.min(cur, lines.lineCount);
}

function stripComment(line: string, language: Language): string {
  const marker = language === 'python' ? /#/g : /\/\/|\/\*/g;
  for (let m = marker.exec(line); m; m = marker.exec(line)) {
    if (!insideString(line.slice(0, m.index), language)) return line.slice(0, m.index);
  }
  return line;
}

function isBlankOrComment(line: string, language: Language): boolean {
  const t = line.trim();
  if (t === '') return true;
  return language === 'python' ? t.startsWith('#') : t.startsWith('//') || (t.startsWith('/*') && t.endsWith('*/'));
}

/** Every directive in a file, in order. */
export function parseDirectives(text: string, lines: LineMap, language: Language): Directive[] {
  const out: Directive[] = [];
  for (const c of directiveComments(text, lines, language)) {
    const m = DIRECTIVE.exec(c.body);
    if (!m || c.body.slice(0, m.index).trim() !== '') continue;
    const kind = m[1]!.slice(1) as DirectiveKind;
    const rest = c.body.slice(m.index + m[0].length);
    const sep = rest.search(/(^|\s)--(\s|$)/);
    const list = sep >= 0 ? rest.slice(0, sep) : rest;
    const reason = sep >= 0 ? rest.slice(sep).replace(/^\s*--/, '').trim() : '';
    const rules = list.split(/[\s,]+/).filter(Boolean);
    const listStart = c.bodyStart + m.index + m[0].length + (list.length - list.trimStart().length);
    const rulesSpan = { start: listStart, end: listStart + list.trim().length };
    const line = lines.position(c.start).line;
    let fromLine = line;
    let toLine = line;
    if (kind === 'file') {
      fromLine = 1;
      toLine = lines.lineCount;
    } else if (kind === 'next-line') {
      let target = line + 1;
      while (target <= lines.lineCount && isBlankOrComment(lines.lineText(target), language)) target++;
      // Only the next line counts: a blank line between directive and code detaches it.
      if (target !== line + 1 && lines.lineText(line + 1).trim() === '') target = line + 1;
      fromLine = target;
      toLine = target <= lines.lineCount ? statementEnd(lines, target, language) : target;
    }
    out.push({ kind, rules, reason, span: { start: c.start, end: c.end }, rulesSpan, line, fromLine, toLine });
  }
  return out;
}

/** A report the linter turns into a finding of `invalid-suppression` or `unused-suppression`. */
export interface DirectiveReport {
  readonly ruleId: typeof INVALID_SUPPRESSION | typeof UNUSED_SUPPRESSION;
  readonly span: Span;
  readonly message: string;
  readonly fixes?: readonly { readonly kind: 'fix'; readonly title: string; readonly edits: readonly TextEdit[]; readonly preferred?: boolean }[];
}

/** Something with a rule id and a start line, i.e. a report resolved to lines. */
export interface Suppressible {
  readonly ruleId: string;
  readonly startLine: number;
  readonly endLine: number;
}

/**
 * Applies directives to a file's reports. Returns which reports are suppressed, plus the
 * directive problems: missing reason or rule list, unknown rule ids (`invalid-suppression`) and
 * rules a directive lists but that had nothing to suppress (`unused-suppression`). Directive
 * findings are never themselves suppressible by a directive (that would hide the audit trail).
 *
 * @param knownRules every rule id the linter knows (enabled or not)
 * @param enabledRules rules that ran: only these can make a directive unused
 */
export function applyDirectives(
  file: string,
  text: string,
  directives: readonly Directive[],
  reports: readonly Suppressible[],
  knownRules: ReadonlySet<string>,
  enabledRules: ReadonlySet<string>,
): { suppressed: boolean[]; problems: DirectiveReport[] } {
  const suppressed = reports.map(() => false);
  const used = directives.map((d) => d.rules.map(() => false));
  reports.forEach((r, i) => {
    if (r.ruleId === INVALID_SUPPRESSION || r.ruleId === UNUSED_SUPPRESSION) return;
    directives.forEach((d, di) => {
      const ri = d.rules.indexOf(r.ruleId);
      if (ri < 0) return;
      const covered =
        d.kind === 'file' ||
        (d.kind === 'line' ? r.startLine <= d.line && d.line <= r.endLine : d.fromLine <= r.startLine && r.startLine <= d.toLine);
      if (!covered) return;
      suppressed[i] = true;
      used[di]![ri] = true;
    });
  });
  const problems: DirectiveReport[] = [];
  directives.forEach((d, di) => {
    const name = `mcp-warden-disable-${d.kind}`;
    if (d.rules.length === 0) {
      problems.push({ ruleId: INVALID_SUPPRESSION, span: d.span, message: `The directive '${name}' names no rule, so it suppresses nothing.` });
      return;
    }
    if (d.reason === '') {
      problems.push({ ruleId: INVALID_SUPPRESSION, span: d.span, message: `The directive '${name}' gives no reason after '--'.` });
    }
    d.rules.forEach((id, ri) => {
      if (!knownRules.has(id)) {
        problems.push({ ruleId: INVALID_SUPPRESSION, span: d.span, message: `The directive '${name}' names the unknown rule '${id}'.` });
      } else if (!used[di]![ri] && enabledRules.has(id)) {
        problems.push({
          ruleId: UNUSED_SUPPRESSION,
          span: d.span,
          message: `The directive '${name}' suppresses no '${id}' finding.`,
          fixes: [{ kind: 'fix', title: `Remove '${id}' from the directive`, edits: [removeRuleEdit(file, text, d, ri)], preferred: true }],
        });
      }
    });
  });
  return { suppressed, problems };
}

/** Removes one rule from a directive, or the whole comment (and its line if alone) when it is the last. */
function removeRuleEdit(file: string, text: string, d: Directive, index: number): TextEdit {
  if (d.rules.length === 1) {
    let start = d.span.start;
    let end = d.span.end;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const before = text.slice(lineStart, start);
    if (before.trim() === '') {
      // The comment is the line: drop the line with its break.
      start = lineStart;
      while (end < text.length && text[end] !== '\n') end++;
      if (end < text.length) end++;
    } else {
      start = lineStart + before.trimEnd().length;
    }
    return { file, span: { start, end }, text: '' };
  }
  const kept = d.rules.filter((_, i) => i !== index).join(', ');
  return { file, span: d.rulesSpan, text: kept };
}
