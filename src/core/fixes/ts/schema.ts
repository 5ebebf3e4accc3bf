import * as ts from 'typescript';
import type { TaintFlow } from '../../rule';
import type { McpModel } from '../../ts/mcp-model';
import type { FixProposal } from '../../types';
import type { TsFixFile } from '../ts-imports';
import { tsSite } from './common';
import { nameTable } from '../../tables';

/**
 * Patterns a tool argument must match before it reaches a sink of this kind: no whitespace or
 * shell metacharacters and no leading '-' for command lines and options; a plain identifier for
 * SQL names that cannot be bound; a relative path without '..' segments for file names.
 */
const PATTERNS: Readonly<Record<string, { pattern: string; what: string }>> = nameTable({
  command: { pattern: '/^[A-Za-z0-9_.:@\\/][A-Za-z0-9_.:@\\/=+-]{0,254}$/', what: 'a value without spaces, shell characters or a leading dash' },
  argument: { pattern: '/^[A-Za-z0-9_.:@\\/][A-Za-z0-9_.:@\\/=+-]{0,254}$/', what: 'a value without spaces, shell characters or a leading dash' },
  sql: { pattern: '/^[A-Za-z_][A-Za-z0-9_]{0,62}$/', what: 'a plain SQL identifier' },
  path: { pattern: '/^(?!\\/)(?!.*\\.\\.)[\\w. \\/-]{1,255}$/', what: "a relative path without '..'" },
});

/**
 * Input validation at the tool boundary: for a flow from a tool argument declared as a bare
 * `z.string()`, a (non-preferred) suggestion narrowing the schema with `.regex(...)`, so bad
 * input is rejected by the SDK before the handler runs. Offered beside the sink rewrite, never
 * instead of it: validation alone is not the fix for injection.
 */
export function tsSchemaSuggestion(flow: TaintFlow, f: TsFixFile & { readonly mcp?: McpModel }, onlySql = false): FixProposal[] {
  const spec = PATTERNS[flow.kind];
  if (!spec || !f.mcp || flow.sourceKind !== 'tool argument') return [];
  if (flow.kind === 'sql' && !onlySql) return [];
  const site = tsSite(flow, f);
  if (!site) return [];
  const reg = f.mcp.handlerOf(site.sink);
  const param = reg?.params.find((p) => p.name === flow.sourceName);
  const node = param?.schema.node;
  if (!param || param.schema.kind !== 'string' || !node) return [];
  // Find the `z.string()` call at the root of the chain (`z.string().describe(...)` included).
  let call: ts.Node | undefined = node;
  while (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text !== 'string') call = call.expression.expression;
  if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'string' || call.arguments.length > 0) return [];
  // Already constrained further up the chain: leave it.
  if (/\.(regex|max|length|enum|uuid|url|email)\(/.test(node.getText(f.sourceFile))) return [];
  return [
    {
      kind: 'suggestion',
      title: `Accept only ${spec.what} for '${param.name}' in the tool's input schema`,
      edits: [{ file: f.file, span: { start: call.end, end: call.end }, text: `.regex(${spec.pattern})` }],
      preferred: false,
    },
  ];
}
