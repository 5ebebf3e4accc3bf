/**
 * Redaction for no-secret-in-logs / no-secret-in-tool-output: replace each secret expression
 * in the written value with the text `[REDACTED]`. A suggestion: the output changes.
 */
import * as ts from 'typescript';
import type { SecretRef } from '../../mcp/lang/secret-refs';
import type { PyNode } from '../../python/ast';
import type { PyContext } from '../../python/engine';
import type { TsContext } from '../../ts/engine';
import type { FixProposal, TextEdit } from '../../types';
import { detectStyle, quoteJs, quotePy } from '../style';

const REDACTED = '[REDACTED]';

/** Edits replacing each TS/JS secret reference with a redaction marker. */
export function redactTs(ctx: TsContext, refs: readonly SecretRef<ts.Node>[]): FixProposal[] {
  const style = detectStyle(ctx.text, ctx.language === 'python' ? 'typescript' : ctx.language);
  const sf = ctx.sourceFile;
  const edits: TextEdit[] = refs.map((r) => {
    const n = r.node;
    if (ts.isShorthandPropertyAssignment(n)) {
      return { file: ctx.file, span: { start: n.getStart(sf), end: n.getEnd() }, text: `${n.name.text}: ${quoteJs(REDACTED, style)}` };
    }
    const p = n.parent;
    if (p && ts.isTemplateSpan(p) && p.expression === n) {
      // `${token}` inside a template literal: replace the whole substitution with plain text.
      const start = n.getFullStart() - 2;
      const end = p.literal.getStart(sf) + 1;
      if (ctx.text.slice(start, start + 2) === '${' && ctx.text[end - 1] === '}') return { file: ctx.file, span: { start, end }, text: REDACTED };
    }
    return { file: ctx.file, span: { start: n.getStart(sf), end: n.getEnd() }, text: quoteJs(REDACTED, style) };
  });
  return edits.length > 0 ? [{ kind: 'suggestion', title: 'Redact the secret from this output', preferred: true, edits }] : [];
}

/** Edits replacing each Python secret reference with a redaction marker. */
export function redactPy(ctx: PyContext, refs: readonly SecretRef<PyNode>[]): FixProposal[] {
  const style = detectStyle(ctx.text, 'python');
  const edits: TextEdit[] = refs.map((r) => {
    const n = r.node;
    const p = n.parent;
    if (p?.type === 'interpolation' && p.namedChildren[0] === n) {
      // `{token}` / `{token!r}` inside an f-string: replace the whole interpolation.
      return { file: ctx.file, span: p.span, text: REDACTED };
    }
    return { file: ctx.file, span: n.span, text: quotePy(REDACTED, style) };
  });
  return edits.length > 0 ? [{ kind: 'suggestion', title: 'Redact the secret from this output', preferred: true, edits }] : [];
}
