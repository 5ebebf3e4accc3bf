import type { PyNode } from '../../python/ast';
import type { TaintFlow } from '../../rule';
import type { TextEdit } from '../../types';
import { PyOffsets, pyFixSource, pyNodeAtSpan, type PyFixFile } from '../py-imports';
import { detectStyle, type FileStyle } from '../style';

/** What every Python fix builder works with. */
export interface PyFixSite {
  readonly f: PyFixFile;
  readonly offsets: PyOffsets;
  readonly style: FileStyle;
  readonly sink: PyNode;
  readonly arg: PyNode | undefined;
}

/** Resolves a flow's spans to nodes of the file's plain-node copy. */
export function pySite(flow: TaintFlow, f: PyFixFile): PyFixSite | undefined {
  const offsets = new PyOffsets(f.text);
  const source = pyFixSource(f);
  const sink = pyNodeAtSpan(source, offsets, flow.sinkSpan);
  if (!sink) return undefined;
  const arg = flow.argSpan ? pyNodeAtSpan(source, offsets, flow.argSpan) : undefined;
  return { f, offsets, style: detectStyle(f.text, 'python'), sink, arg };
}

/** The call node at or around a node. */
export function pyCallAt(n: PyNode): PyNode | undefined {
  let cur: PyNode | null = n;
  while (cur && cur.type !== 'call') {
    if (cur.type.endsWith('statement') || cur.type === 'module') return undefined;
    cur = cur.parent;
  }
  return cur ?? undefined;
}

/** Named children (the node's own cached list: do not modify it). */
export function kids(n: PyNode): readonly PyNode[] {
  return n.namedChildren;
}

/** Positional and keyword arguments of a call. */
export function callArgs(call: PyNode): { positional: PyNode[]; keywords: Map<string, PyNode>; list: PyNode | undefined } {
  const list = call.child('arguments') ?? undefined;
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  if (list) {
    for (const a of kids(list)) {
      if (a.type === 'keyword_argument') keywords.set(a.child('name')?.text ?? '', a);
      else if (a.type !== 'comment') positional.push(a);
    }
  }
  return { positional, keywords, list };
}

/** Literal text or an expression node inside a built string. */
export type PySegment = { readonly text: string } | { readonly expr: PyNode };

function stringPrefix(s: PyNode): string {
  const start = s.children.find((c) => c.type === 'string_start')?.text ?? '"';
  return start.replace(/['"]+$/, '').toLowerCase();
}

/** Segments of a single string literal (plain or f-string); undefined for bytes or escapes we do not model. */
function stringSegments(s: PyNode): PySegment[] | undefined {
  const prefix = stringPrefix(s);
  if (prefix.includes('b')) return undefined;
  const isF = prefix.includes('f');
  const raw = prefix.includes('r');
  const startNode = s.children.find((c) => c.type === 'string_start');
  const endNode = s.children.find((c) => c.type === 'string_end');
  if (!startNode || !endNode) return undefined;
  const out: PySegment[] = [];
  let pos = startNode.end;
  const text = s.text;
  const base = s.start;
  const lit = (from: number, to: number): boolean => {
    let t = text.slice(from - base, to - base);
    if (!raw && t.includes('\\')) return false;
    if (isF) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    if (t) out.push({ text: t });
    return true;
  };
  for (const c of s.children) {
    if (c.type !== 'interpolation') continue;
    if (!lit(pos, c.start)) return undefined;
    if (c.children.some((k) => k.type === 'type_conversion' || k.type === 'format_specifier')) return undefined;
    const expr = c.child('expression') ?? kids(c)[0];
    if (!expr) return undefined;
    out.push({ expr });
    pos = c.end;
  }
  if (!lit(pos, endNode.start)) return undefined;
  return out;
}

/**
 * Flattens how Python code builds a string: f-strings, literals, implicit concatenation,
 * `+`, and `%` formatting with `%s` (a single value or a tuple). Undefined otherwise.
 */
export function pySegmentsOf(n: PyNode): PySegment[] | undefined {
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
    const op = n.child('operator')?.text;
    const left = n.child('left');
    const right = n.child('right');
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
function percentFormat(left: PyNode, right: PyNode): PySegment[] | undefined {
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
function strFormat(call: PyNode): PySegment[] | undefined {
  const fn = call.child('function');
  if (fn?.type !== 'attribute' || fn.child('attribute')?.text !== 'format') return undefined;
  const recv = fn.child('object');
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
      let v: PyNode | undefined;
      if (field === '') v = positional[auto++];
      else if (/^\d+$/.test(field)) v = positional[Number(field)];
      else if (/^[A-Za-z_]\w*$/.test(field)) v = keywords.get(field)?.child('value') ?? undefined;
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
export function replacePyNode(site: PyFixSite, n: PyNode, text: string): TextEdit {
  return { file: site.f.file, span: site.offsets.span(n), text };
}

/** Removes a keyword argument (and the comma before or after it) from a call's argument list. */
export function removeKeyword(site: PyFixSite, list: PyNode, kw: PyNode): TextEdit {
  const args = kids(list).filter((a) => a.type !== 'comment');
  const i = args.findIndex((a) => a.start === kw.start);
  let start: number;
  let end: number;
  if (i > 0) {
    start = args[i - 1]!.end;
    end = kw.end;
  } else if (i === 0 && args.length > 1) {
    start = kw.start;
    end = args[1]!.start;
  } else {
    start = kw.start;
    end = kw.end;
  }
  return { file: site.f.file, span: { start: site.offsets.toChar(start), end: site.offsets.toChar(end) }, text: '' };
}

/** The statement node containing a node. */
export function pyStatementOf(n: PyNode): PyNode | undefined {
  let cur: PyNode | null = n;
  while (cur && !(cur.parent && (cur.parent.type === 'block' || cur.parent.type === 'module'))) cur = cur.parent;
  return cur ?? undefined;
}

/** Leading whitespace of the line a node starts on. */
export function pyIndentOf(site: PyFixSite, n: PyNode): string {
  const text = site.f.text;
  const at = site.offsets.toChar(n.start);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The function (or module) whose body holds a node. */
export function pyScopeOf(n: PyNode): PyNode {
  let scope: PyNode = n;
  while (scope.parent && scope.type !== 'function_definition') scope = scope.parent;
  return scope;
}

/** The single assignment `name = <expr>` before `use` in the same function (or module), if there is exactly one. */
export function pyLocalAssignment(use: PyNode): PyNode | undefined {
  if (use.type !== 'identifier') return undefined;
  const scope = pyScopeOf(use);
  const found: PyNode[] = [];
  const visit = (n: PyNode): void => {
    if (n.type === 'assignment' && n.child('left')?.text === use.text && n.start < use.start) {
      const right = n.child('right');
      if (right) found.push(right);
    }
    for (const c of kids(n)) if (c.type !== 'function_definition' && c.type !== 'class_definition') visit(c);
  };
  visit(scope);
  return found.length === 1 ? found[0] : undefined;
}

/** How many identifiers in a subtree have this name (a cheap use count). */
export function countPyIdentifiers(n: PyNode, name: string): number {
  let count = n.type === 'identifier' && n.text === name ? 1 : 0;
  for (const c of kids(n)) count += countPyIdentifiers(c, name);
  return count;
}
