import * as ts from 'typescript';
import { removePoisonPy, removePoisonTs } from '../core/fixes/mcp/poisoning';
import { childCovering, topCovering } from '../core/fixes/ts-imports';
import { pyFoldText, walk } from '../core/mcp/lang/py';
import { foldText, propValue, registrationName, topLevelConsts, unwrap } from '../core/mcp/lang/ts';
import { CATEGORY_LABEL, codePointLabel, findHiddenUnicode, isExfiltrationShapedName, scanDescription, type PoisonVerdict } from '../core/mcp/poisoning';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import type { PyMcpParam, PyMcpRegistration, PyMcpServer } from '../core/python/mcp-model';
import { isTestFile } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';
import type { McpParam, McpRegistration, McpServerDecl } from '../core/ts/mcp-model';
import type { FixProposal, Span } from '../core/types';

/** One sentence naming the strongest evidence. */
function describeVerdict(subject: string, verdict: PoisonVerdict, text: string): string {
  const top = verdict.matches[0]!;
  if (top.category === 'hidden-unicode') {
    const labels = findHiddenUnicode(text).flatMap((r) => r.codePoints).slice(0, 3).map(codePointLabel);
    return `The ${subject} contains hidden Unicode characters (${[...new Set(labels)].join(', ')}).`;
  }
  if (top.category === 'length') return `The ${subject} is ${text.length} characters long, room for instructions no user reads.`;
  const excerpt = top.excerpt.length > 60 ? `${top.excerpt.slice(0, 57)}...` : top.excerpt;
  return `The ${subject} contains ${CATEGORY_LABEL[top.category]} '${excerpt}'.`;
}

function subjectOf(kind: string, name: string | undefined): string {
  return `description of ${kind} '${name ?? '?'}'`;
}

const SERVER_SUBJECT = (name: string | undefined) => `instruction text of server '${name ?? '?'}'`;

// ---------------------------------------------------------------- TypeScript

/** The outermost expression spanning exactly `span`: a descent along the one path that can hold it. */
function expressionAt(sf: ts.SourceFile, span: Span): ts.Expression | undefined {
  for (let node = topCovering(sf, span); node; node = childCovering(node, span)) {
    if (node.end === span.end && ts.isExpression(node) && node.getStart(sf) === span.start) return node;
  }
  return undefined;
}

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  let consts: Map<string, ts.Expression> | undefined;
  const nameOf = (r: McpRegistration): string => registrationName(r, (consts ??= topLevelConsts(sf)));
  // Whose text a span is: the server's instructions (no registration), a registration's
  // description or a parameter's. The subject sentence is built only for a report: a keystroke
  // scans a hundred descriptions and reports none of them.
  const subject = (server: McpServerDecl | undefined, r: McpRegistration | undefined, param: McpParam | undefined): string => {
    if (!r) return SERVER_SUBJECT(server?.name);
    return param ? `description of parameter '${param.name}' of ${r.kind} '${nameOf(r)}'` : subjectOf(r.kind, nameOf(r));
  };
  const seen = new Set<number>();
  const scan = (span: Span, fallback: string | undefined, server?: McpServerDecl, r?: McpRegistration, param?: McpParam) => {
    if (seen.has(span.start)) return;
    seen.add(span.start);
    // The model's text of a description is what folding finds when the span is one literal with
    // no escape (quotes included, it is two characters longer; wrappers, escapes and `+` make it
    // longer still): the (cached) verdict on that text clears most descriptions without a descent.
    if (fallback !== undefined && span.end - span.start === fallback.length + 2 && !scanDescription(fallback).poisoned) return;
    const expr = expressionAt(sf, span);
    const folded = expr ? foldText(expr, (consts ??= topLevelConsts(sf))) : undefined;
    const text = folded?.value ?? fallback;
    if (text === undefined) return;
    const verdict = scanDescription(text);
    if (!verdict.poisoned) return;
    const top = verdict.matches[0]!;
    // Point at the literal piece holding the strongest evidence (multi-line `[...].join()` descriptions).
    const piece = folded?.pieces.find((p) => top.start >= p.at && top.start < p.at + p.text.length);
    let at = span;
    let fixes: FixProposal[] = [];
    if (piece) {
      at = { start: piece.node.getStart(sf), end: piece.node.getEnd() };
      if (top.end <= piece.at + piece.text.length && (ts.isStringLiteral(piece.node) || ts.isNoSubstitutionTemplateLiteral(piece.node))) {
        fixes = removePoisonTs(sf, ctx.file, at, { ...top, start: top.start - piece.at, end: top.end - piece.at });
      }
    }
    ctx.report({ span: at, message: describeVerdict(subject(server, r, param), verdict, text), fixes, properties: { score: verdict.score, categories: [...new Set(verdict.matches.map((m) => m.category))] } });
  };

  for (const server of ctx.mcp.servers) {
    if (server.instructionsSpan) scan(server.instructionsSpan, server.instructions, server);
  }
  for (const r of ctx.mcp.registrations) {
    for (const span of r.descriptionSpans) scan(span, r.description, undefined, r);
    if (r.descriptionSpans.length === 0) {
      // Descriptions the model could not fold (templates, `[...].join('\n')`): find them ourselves.
      const candidate = descriptionExpression(r.call, r.idiom);
      if (candidate) scan({ start: candidate.getStart(sf), end: candidate.getEnd() }, undefined, undefined, r);
    }
    for (const p of r.params) {
      if (p.descriptionSpan) scan(p.descriptionSpan, p.description, undefined, r, p);
    }
    if (r.kind === 'tool' && r.paramsKnown && r.handler) {
      for (const p of r.params) {
        // The name first: `read` walks the handler on its first access.
        if (isExfiltrationShapedName(p.name) && !p.read) {
          ctx.report({ span: p.span, message: `The tool '${nameOf(r)}' asks for the parameter '${p.name}' but its handler never reads it.`, properties: { parameter: p.name } });
        }
      }
    }
  }
}

function descriptionExpression(call: ts.CallExpression, idiom: string): ts.Expression | undefined {
  const args = call.arguments;
  if ((idiom === 'tool' || idiom === 'prompt') && args.length >= 3) {
    const d = unwrap(args[1]!);
    return ts.isTemplateExpression(d) || ts.isBinaryExpression(d) || ts.isCallExpression(d) ? d : undefined;
  }
  if ((idiom === 'registerTool' || idiom === 'registerPrompt' || idiom === 'registerResource') && args[1]) {
    const cfg = unwrap(args[idiom === 'registerResource' ? 2 : 1] ?? args[1]);
    return ts.isObjectLiteralExpression(cfg) ? propValue(cfg, 'description') : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------- Python

/**
 * The innermost named node with exactly this range. Nodes holding a non-empty range lie on one
 * path from the root (siblings do not overlap), so this descends along it instead of walking
 * the file: a 1,000-line server has a hundred descriptions, each looked up here.
 */
function pyNodeAt(root: PyNode, span: Span): PyNode | undefined {
  let found: PyNode | undefined;
  if (span.start === span.end) {
    walk(root, (n) => {
      if (n.end < span.start || n.start > span.end) return false;
      if (n.start === span.start && n.end === span.end && n.named) found = n;
      return true;
    });
    return found;
  }
  let n: PyNode | undefined = root.start <= span.start && root.end >= span.end ? root : undefined;
  while (n) {
    if (n.start === span.start && n.end === span.end && n.named) found = n;
    const kids = n.children;
    // The first child starting after the span's start; the holder, if any, is before it.
    let lo = 0;
    let hi = kids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kids[mid]!.start <= span.start) lo = mid + 1;
      else hi = mid;
    }
    let next: PyNode | undefined;
    for (let i = lo - 1; i >= 0 && kids[i]!.end >= span.start; i--) {
      if (kids[i]!.end >= span.end) next = kids[i];
    }
    n = next;
  }
  return found;
}

function checkPy(ctx: PyContext): void {
  const root = ctx.ast.root;
  const seen = new Set<number>();
  // Whose text a span is, worded only for a report (as for TypeScript): a keystroke scans every
  // description of the file and reports none of them.
  const subject = (server: PyMcpServer | undefined, reg: PyMcpRegistration | undefined, param: PyMcpParam | undefined): string => {
    if (!reg) return SERVER_SUBJECT(server?.name);
    return param ? `description of parameter '${param.name}' of ${reg.kind} '${reg.name}'` : subjectOf(reg.kind, reg.name);
  };
  const scan = (span: Span, fallback: string | undefined, server?: PyMcpServer, reg?: PyMcpRegistration, param?: PyMcpParam) => {
    if (seen.has(span.start)) return;
    seen.add(span.start);
    const node = pyNodeAt(root, span);
    const text = (node && pyFoldText(node)) ?? fallback;
    if (text === undefined) return;
    const verdict = scanDescription(text);
    if (!verdict.poisoned) return;
    const fixes = node ? removePoisonPy(ctx.file, node, verdict.matches[0]!) : [];
    ctx.report({ span, message: describeVerdict(subject(server, reg, param), verdict, text), fixes, properties: { score: verdict.score, categories: [...new Set(verdict.matches.map((m) => m.category))] } });
  };
  for (const server of ctx.mcp.servers) {
    if (server.instructionsSpan) scan(server.instructionsSpan, server.instructions, server);
  }
  for (const reg of ctx.mcp.registrations) {
    for (const span of reg.descriptionSpans) scan(span, reg.description, undefined, reg);
    for (const p of reg.params) {
      if (p.descriptionSpan) scan(p.descriptionSpan, p.description, undefined, reg, p);
    }
    if (reg.kind === 'tool' && reg.paramsKnown && reg.handler) {
      for (const p of reg.params) {
        if (!p.read && !p.isContext && isExfiltrationShapedName(p.name)) {
          ctx.report({ span: p.span, message: `The tool '${reg.name}' asks for the parameter '${p.name}' but its handler never reads it.`, properties: { parameter: p.name } });
        }
      }
    }
  }
}

export default createRule({
  meta: {
    id: 'no-tool-description-poisoning',
    description: 'Disallow hidden instructions, concealment phrasing and exfiltration hooks in MCP tool, prompt and resource descriptions',
    cwe: [1427, 74],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
    tags: ['mcp', 'prompt-injection'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
