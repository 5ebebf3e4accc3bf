import type { PyNode } from '../../python/ast';
import type { TaintFlow } from '../../rule';
import type { FixProposal } from '../../types';
import { ensurePyImport, type PyFixFile } from '../py-imports';
import { kids, pySite } from './common';

/**
 * Fix for `no-timing-unsafe-compare` flows in Python: `a == b` -> `hmac.compare_digest(a, b)`
 * (`!=` -> `not hmac.compare_digest(a, b)`), importing `hmac` once. A suggestion:
 * compare_digest raises TypeError for None or non-ASCII str where `==` returned a bool.
 */
export function pyTimingFixes(flow: TaintFlow, f: PyFixFile): FixProposal[] {
  const site = pySite(flow, f);
  if (!site) return [];
  let cmp: PyNode | null = site.sink;
  while (cmp && cmp.type !== 'comparison_operator') cmp = cmp.type.endsWith('statement') ? null : cmp.parent;
  if (!cmp) return [];
  const operands = kids(cmp);
  const ops = cmp.children.filter((c) => c && (c.type === '==' || c.type === '!='));
  if (operands.length !== 2 || ops.length !== 1) return [];
  const imp = ensurePyImport(f, site.offsets, 'hmac', 'compare_digest', site.style);
  const call = `${imp.ref}(${operands[0]!.text}, ${operands[1]!.text})`;
  const text = ops[0]!.type === '==' ? call : `not ${call}`;
  return [
    {
      kind: 'suggestion',
      title: "Compare with 'hmac.compare_digest'",
      edits: [...imp.edits, { file: f.file, span: site.offsets.span(cmp), text }],
      preferred: true,
    },
  ];
}
