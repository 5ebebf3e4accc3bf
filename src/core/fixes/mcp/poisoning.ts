/**
 * Suggestions for no-tool-description-poisoning: delete the offending sentence, tag block,
 * comment or hidden characters from the literal that holds the description. Offered only when
 * the literal's source text equals its value (no escapes), so offsets map one to one.
 */
import * as ts from 'typescript';
import { removalRange, type PoisonMatch } from '../../mcp/poisoning';
import type { PyNode } from '../../python/ast';
import type { FixProposal, Span } from '../../types';

const TITLE = 'Remove the manipulative text from the description';

function proposal(file: string, bodyStart: number, text: string, match: PoisonMatch): FixProposal[] {
  const range = removalRange(text, match);
  if (!range || range.end <= range.start) return [];
  return [{ kind: 'suggestion', title: TITLE, preferred: true, edits: [{ file, span: { start: bodyStart + range.start, end: bodyStart + range.end }, text: '' }] }];
}

/** For a description held by one TS/JS string or plain template literal at `span`. */
export function removePoisonTs(sf: ts.SourceFile, file: string, span: Span, match: PoisonMatch): FixProposal[] {
  const node = literalAt(sf, span);
  if (!node) return [];
  const full = node.getText(sf);
  const raw = full.slice(1, -1);
  if (raw !== node.text) return [];
  return proposal(file, node.getStart(sf) + 1, raw, match);
}

function literalAt(sf: ts.SourceFile, span: Span): ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | undefined {
  let found: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | undefined;
  const visit = (n: ts.Node): void => {
    if (found || n.getEnd() < span.start || n.getStart(sf) > span.end) return;
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.getStart(sf) === span.start && n.getEnd() === span.end) {
      found = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** For a description held by one Python string (docstring or argument) without escapes or interpolation. */
export function removePoisonPy(file: string, node: PyNode, match: PoisonMatch): FixProposal[] {
  if (node.type !== 'string') return [];
  const parts = node.children.filter((c) => c.type !== 'string_start' && c.type !== 'string_end');
  if (parts.length !== 1 || parts[0]!.type !== 'string_content') return [];
  const content = parts[0]!;
  return proposal(file, content.start, content.text, match);
}
