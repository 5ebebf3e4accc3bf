/**
 * Fixes for require-secure-session-id: generate the id from the platform CSPRNG. Suggestions,
 * because the id's format changes (clients treat it as opaque, but logs and tests may not).
 */
import type * as ts from 'typescript';
import type { PyNode } from '../../python/ast';
import type { PyContext } from '../../python/engine';
import type { TsContext } from '../../ts/engine';
import type { FixProposal } from '../../types';
import { ensurePyImport, PyOffsets } from '../py-imports';
import { detectStyle } from '../style';
import { ensureTsImports } from '../ts-imports';

/** Replaces a `sessionIdGenerator` value with `() => randomUUID()` from `node:crypto`. */
export function secureSessionIdTs(ctx: TsContext, generator: ts.Expression): FixProposal[] {
  const lang = ctx.language === 'python' ? 'typescript' : ctx.language;
  const imp = ensureTsImports({ file: ctx.file, text: ctx.text, sourceFile: ctx.sourceFile }, 'node:crypto', ['randomUUID'], detectStyle(ctx.text, lang));
  const ref = imp.refs.randomUUID;
  if (!ref) return [];
  return [
    {
      kind: 'suggestion',
      title: "Generate session ids with 'crypto.randomUUID()'",
      preferred: true,
      edits: [...imp.edits, { file: ctx.file, span: { start: generator.getStart(ctx.sourceFile), end: generator.getEnd() }, text: `() => ${ref}()` }],
    },
  ];
}

/** Replaces a session-id expression with `secrets.token_urlsafe(32)`. */
export function secureSessionIdPy(ctx: PyContext, expr: PyNode): FixProposal[] {
  const imp = ensurePyImport(ctx, new PyOffsets(ctx.text), 'secrets', undefined, detectStyle(ctx.text, 'python'));
  return [
    {
      kind: 'suggestion',
      title: "Generate session ids with 'secrets.token_urlsafe(32)'",
      preferred: true,
      edits: [...imp.edits, { file: ctx.file, span: expr.span, text: `${imp.ref}.token_urlsafe(32)` }],
    },
  ];
}
