import * as ts from 'typescript';
import type { TaintFlow } from '../../rule';
import type { FixProposal, TextEdit } from '../../types';
import { mergeInsertions } from '../edits';
import { formatBlock } from '../style';
import { declaredNames, ensureTsImports, insertTopLevelDeclaration, type TsFixFile } from '../ts-imports';
import { isTypeScript, src, tsSite, unwrap } from './common';

export const EQUAL_HELPER = 'constantTimeEqual';

const EQUALITY: ReadonlyMap<ts.SyntaxKind, boolean> = new Map([
  [ts.SyntaxKind.EqualsEqualsEqualsToken, true],
  [ts.SyntaxKind.EqualsEqualsToken, true],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, false],
  [ts.SyntaxKind.ExclamationEqualsToken, false],
]);

/**
 * Fix for `no-timing-unsafe-compare` flows in TS/JS: `a === b` -> `constantTimeEqual(a, b)`
 * (`!==` -> `!constantTimeEqual(a, b)`), with the helper inserted once per file. The helper
 * compares SHA-256 digests with `crypto.timingSafeEqual`: equal-length inputs, so it neither
 * throws on a length mismatch nor leaks the secret's length by returning early. Non-strings
 * compare unequal. A suggestion (`undefined === undefined` used to be true).
 */
export function tsTimingFixes(flow: TaintFlow, f: TsFixFile): FixProposal[] {
  const site = tsSite(flow, f);
  if (!site) return [];
  let cmp: ts.Node | undefined = site.sink;
  while (cmp && !(ts.isBinaryExpression(cmp) && EQUALITY.has(cmp.operatorToken.kind))) cmp = ts.isStatement(cmp) ? undefined : cmp.parent;
  if (!cmp || !ts.isBinaryExpression(cmp)) return [];
  const equal = EQUALITY.get(cmp.operatorToken.kind)!;
  const edits: TextEdit[] = [];
  if (!declaredNames(f.sourceFile).has(EQUAL_HELPER)) {
    const crypto = ensureTsImports(f, 'node:crypto', ['createHash', 'timingSafeEqual'], site.style);
    edits.push(...crypto.edits);
    const typed = isTypeScript(f);
    const semi = site.style.semi ? ';' : '';
    const q = site.style.quote;
    const { createHash, timingSafeEqual } = crypto.refs;
    edits.push(
      insertTopLevelDeclaration(
        f,
        formatBlock(
          [
            '/** Compares two strings in constant time: equal-length SHA-256 digests hide both the length and the contents. */',
            `function ${EQUAL_HELPER}(a${typed ? ': unknown' : ''}, b${typed ? ': unknown' : ''})${typed ? ': boolean' : ''} {`,
            `  if (typeof a !== ${q}string${q} || typeof b !== ${q}string${q}) return false${semi}`,
            `  const x = ${createHash}(${q}sha256${q}).update(a).digest()${semi}`,
            `  const y = ${createHash}(${q}sha256${q}).update(b).digest()${semi}`,
            `  return ${timingSafeEqual}(x, y)${semi}`,
            '}',
          ],
          site.style,
        ),
        site.style,
      ),
    );
  }
  const call = `${EQUAL_HELPER}(${src(f, unwrap(cmp.left))}, ${src(f, unwrap(cmp.right))})`;
  edits.push({ file: f.file, span: { start: cmp.getStart(f.sourceFile), end: cmp.end }, text: equal ? call : `!${call}` });
  return [{ kind: 'suggestion', title: `Compare with '${EQUAL_HELPER}' (SHA-256 digests and crypto.timingSafeEqual)`, edits: mergeInsertions(edits), preferred: true }];
}
