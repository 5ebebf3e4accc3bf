import type { SyntaxNode } from '../../python/parser';
import type { TaintFlow } from '../../rule';
import type { TextEdit } from '../../types';
import { PyOffsets, pyNodeAtSpan, type PyFixFile } from '../py-imports';
import { detectStyle, type FileStyle } from '../style';

/** What every Python fix builder works with. */
export interface PyFixSite {
  readonly f: PyFixFile;
  readonly offsets: PyOffsets;
  readonly style: FileStyle;
  readonly sink: SyntaxNode;
  readonly arg: SyntaxNode | undefined;
}

/** Resolves a flow's spans to tree-sitter nodes. */
export function pySite(flow: TaintFlow, f: PyFixFile): PyFixSite | undefined {
  const offsets = new PyOffsets(f.text);
  const sink = pyNodeAtSpan(f.tree, offsets, flow.sinkSpan);
  if (!sink) return undefined;
  const arg = flow.argSpan ? pyNodeAtSpan(f.tree, offsets, flow.argSpan) : undefined;
  return { f, offsets, style: detectStyle(f.text, 'python'), sink, arg };
}

/** The call node at or around a node. */
export function pyCallAt(n: SyntaxNode): SyntaxNode | undefined {
  let cur: SyntaxNode | null = n;
  while (cur && cur.type !== 'call') {
    if (cur.type.endsWith('statement') || cur.type === 'module') return undefined;
    cur = cur.parent;
  }
  return cur ?? undefined;
}

/** Named children, without nulls. */
export function kids(n: SyntaxNode): SyntaxNode[] {
  return n.namedChildren.filter((c): c is SyntaxNode => !!c);
}

/** Positional and keyword arguments of a call. */
export function callArgs(call: SyntaxNode): { positional: SyntaxNode[]; keywords: Map<string, SyntaxNode>; list: SyntaxNode | undefined } {
  const list = call.childForFieldName('arguments') ?? undefined;
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  if (list) {
    for (const a of kids(list)) {
      if (a.type === 'keyword_argument') keywords.set(a.childForFieldName('name')?.text ?? '', a);
      else if (a.type !== 'comment') positional.push(a);
    }
  }
  return { positional, keywords, list };
}

/** Literal text or an expression node inside a built string. */
export type PySegment = { readonly text: string } | { readonly expr: SyntaxNode };

function stringPrefix(s: SyntaxNode): string {
  const start = s.children.find((c) => c?.type === 'string_start')?.text ?? '"';
  return start.replace(/['"]+$/, '').toLowerCase();
}

/** Segments of a single string literal (plain or f-string); undefined for bytes or escapes we do not model. */
function stringSegments(s: SyntaxNode): PySegment[] | undefined {
  const prefix = stringPrefix(s);
  if (prefix.includes('b')) return undefined;
  const isF = prefix.includes('f');
  const raw = prefix.includes('r');
  const startNode = s.children.find((c) => c?.type === 'string_start');
  const endNode = s.children.find((c) => c?.type === 'string_end');
  if (!startNode || !endNode) return undefined;
  const out: PySegment[] = [];
  let pos = startNode.endIndex;
  const text = s.text;
  const base = s.startIndex;
  const lit = (from: number, to: number): boolean => {
    let t = text.slice(from - base, to - base);
    if (!raw && t.includes('\\')) return false;
    if (isF) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    if (t) out.push({ text: t });
    return true;
  };
  for (const c of s.children) {
    if (!c || c.type !== 'interpolation') continue;
    if (!lit(pos, c.startIndex)) return undefined;
    if (c.children.some((k) => k?.type === 'type_conversion' || k?.type === 'format_specifier')) return undefined;
    const expr = c.childForFieldName('expression') ?? kids(c)[0];
    if (!expr) return undefined;
    out.push({ expr });
    pos = c.endIndex;
  }
  if (!lit(pos, endNode.startIndex)) return undefined;
  return out;
}

/**
 * Flattens how Python code builds a string: f-strings, literals, implicit concatenation,
 * `+`, and `%` formatting with `%s` (a single value or a tuple). Undefined otherwise.
 */
export function pySegmentsOf(n: SyntaxNode): PySegment[] | undefined {
  if (n.type === 'parenthesized_expression') {
    const inner = kids(n)[0];
    return inner ? pySegmentsOf(inner) : undefined;
  }
  if (n.type === 'string') return stringSegments(n);
  if (n.type === 'concatenated_string') {
    const out: PySegment[] = [];
    for (const c of kids(n)) {
      const s = c.type === 'string' ? stringSegments(c) : undefined;
      if (!s) return undefined;
      out.push(...s);
    }
    return out;
  }
  if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.text;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) return undefined;
    if (op === '+') {
      const l = pySegmentsOf(left) ?? [{ expr: left }];
      const r = pySegmentsOf(right) ?? [{ expr: right }];
      if (![...l, ...r].some((s) => 'text' in s)) return undefined;
      return [...l, ...r];
    }
    if (op === '%' && left.type === 'string') {
      return percentFormat(left, right);
    }
  }
  if (n.type === 'call') return strFormat(n);
  return undefined;
}

/** `"... %s ..." % value` or `% (a, b)`: only `%s` and `%%` are modelled. */
function percentFormat(left: SyntaxNode, right: SyntaxNode): PySegment[] | undefined {
  const fmt = stringSegments(left);
  if (!fmt || fmt.some((s) => 'expr' in s)) return undefined;
  const values = right.type === 'tuple' ? kids(right) : [right];
  const t = fmt.map((s) => ('text' in s ? s.text : '')).join('');
  const parts = t.split(/(%%|%s)/);
  const out: PySegment[] = [];
  let vi = 0;
  for (const p of parts) {
    if (p === '%%') out.push({ text: '%' });
    else if (p === '%s') {
      const v = values[vi++];
      if (!v) return undefined;
      out.push({ expr: v });
    } else if (p.includes('%')) return undefined;
    else if (p) out.push({ text: p });
  }
  if (vi !== values.length) return undefined;
  return mergeText(out);
}

/** `"... {} ... {name}".format(a, name=b)`: plain fields only (no conversions or format specs). */
function strFormat(call: SyntaxNode): PySegment[] | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return undefined;
  const recv = fn.childForFieldName('object');
  if (recv?.type !== 'string') return undefined;
  const fmt = stringSegments(recv);
  if (!fmt || fmt.some((s) => 'expr' in s)) return undefined;
  const { positional, keywords } = callArgs(call);
  const t = fmt.map((s) => ('text' in s ? s.text : '')).join('');
  const out: PySegment[] = [];
  let auto = 0;
  for (const part of t.split(/(\{\{|\}\}|\{[^{}]*\})/)) {
    if (part === '{{') out.push({ text: '{' });
    else if (part === '}}') out.push({ text: '}' });
    else if (part.startsWith('{') && part.endsWith('}')) {
      const field = part.slice(1, -1);
      let v: SyntaxNode | undefined;
      if (field === '') v = positional[auto++];
      else if (/^\d+$/.test(field)) v = positional[Number(field)];
      else if (/^[A-Za-z_]\w*$/.test(field)) v = keywords.get(field)?.childForFieldName('value') ?? undefined;
      if (!v) return undefined;
      out.push({ expr: v });
    } else if (/[{}]/.test(part)) return undefined;
    else if (part) out.push({ text: part });
  }
  return mergeText(out);
}

function mergeText(segs: PySegment[]): PySegment[] {
  const out: PySegment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if ('text' in s && last && 'text' in last) out[out.length - 1] = { text: last.text + s.text };
    else out.push(s);
  }
  return out;
}

/** A Python f-string joining literal text and expressions, in the file's quote style. */
export function pyFString(parts: readonly ({ text: string } | { code: string })[], quote: "'" | '"'): string {
  const body = parts
    .map((p) => ('text' in p ? p.text.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\{/g, '{{').replace(/\}/g, '}}').replace(/\n/g, '\\n') : `{${p.code}}`))
    .join('');
  return parts.some((p) => 'code' in p) ? `f${quote}${body}${quote}` : `${quote}${body}${quote}`;
}

/** An edit replacing a node's text. */
export function replacePyNode(site: PyFixSite, n: SyntaxNode, text: string): TextEdit {
  return { file: site.f.file, span: site.offsets.span(n), text };
}

/** Removes a keyword argument (and the comma before or after it) from a call's argument list. */
export function removeKeyword(site: PyFixSite, list: SyntaxNode, kw: SyntaxNode): TextEdit {
  const args = kids(list).filter((a) => a.type !== 'comment');
  const i = args.findIndex((a) => a.startIndex === kw.startIndex);
  let start: number;
  let end: number;
  if (i > 0) {
    start = args[i - 1]!.endIndex;
    end = kw.endIndex;
  } else if (i === 0 && args.length > 1) {
    start = kw.startIndex;
    end = args[1]!.startIndex;
  } else {
    start = kw.startIndex;
    end = kw.endIndex;
  }
  return { file: site.f.file, span: { start: site.offsets.toChar(start), end: site.offsets.toChar(end) }, text: '' };
}

/** The statement node containing a node. */
export function pyStatementOf(n: SyntaxNode): SyntaxNode | undefined {
  let cur: SyntaxNode | null = n;
  while (cur && !(cur.parent && (cur.parent.type === 'block' || cur.parent.type === 'module'))) cur = cur.parent;
  return cur ?? undefined;
}

/** Leading whitespace of the line a node starts on. */
export function pyIndentOf(site: PyFixSite, n: SyntaxNode): string {
  const text = site.f.text;
  const at = site.offsets.toChar(n.startIndex);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The function (or module) whose body holds a node. */
export function pyScopeOf(n: SyntaxNode): SyntaxNode {
  let scope: SyntaxNode = n;
  while (scope.parent && scope.type !== 'function_definition') scope = scope.parent;
  return scope;
}

/** The single assignment `name = <expr>` before `use` in the same function (or module), if there is exactly one. */
export function pyLocalAssignment(use: SyntaxNode): SyntaxNode | undefined {
  if (use.type !== 'identifier') return undefined;
  const scope = pyScopeOf(use);
  const found: SyntaxNode[] = [];
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === use.text && n.startIndex < use.startIndex) {
      const right = n.childForFieldName('right');
      if (right) found.push(right);
    }
    for (const c of kids(n)) if (c.type !== 'function_definition' && c.type !== 'class_definition') visit(c);
  };
  visit(scope);
  return found.length === 1 ? found[0] : undefined;
}

/** How many identifiers in a subtree have this name (a cheap use count). */
export function countPyIdentifiers(n: SyntaxNode, name: string): number {
  let count = n.type === 'identifier' && n.text === name ? 1 : 0;
  for (const c of kids(n)) count += countPyIdentifiers(c, name);
  return count;
}
