/**
 * Fixes for no-stdout-in-stdio-server: send the output to stderr. In a stdio server stdout
 * belongs to the protocol, so moving a log line to stderr keeps the line and repairs the
 * stream; these are offered as behaviour-preserving fixes.
 */
import * as ts from 'typescript';
import { callArgs, keywordArgument } from '../../mcp/lang/py';
import type { PyNode } from '../../python/ast';
import type { PyContext } from '../../python/engine';
import type { TsContext } from '../../ts/engine';
import type { FixProposal } from '../../types';
import { ensurePyImport, PyOffsets } from '../py-imports';
import { detectStyle } from '../style';

/** `console.log(...)` -> `console.error(...)`, `process.stdout.write` -> `process.stderr.write`. */
export function toStderrTs(ctx: TsContext, call: ts.CallExpression): FixProposal[] {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return [];
  if (ts.isIdentifier(callee.expression) && callee.expression.text === 'console') {
    const name = callee.name;
    return [{ kind: 'fix', title: `Use 'console.error' (stderr)`, preferred: true, edits: [{ file: ctx.file, span: { start: name.getStart(ctx.sourceFile), end: name.getEnd() }, text: 'error' }] }];
  }
  const inner = callee.expression;
  if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'stdout') {
    return [{ kind: 'fix', title: `Write to 'process.stderr'`, preferred: true, edits: [{ file: ctx.file, span: { start: inner.name.getStart(ctx.sourceFile), end: inner.name.getEnd() }, text: 'stderr' }] }];
  }
  return [];
}

/** `print(x)` -> `print(x, file=sys.stderr)`; `file=sys.stdout` -> `file=sys.stderr`; `sys.stdout.write` -> `sys.stderr.write`. */
export function toStderrPy(ctx: PyContext, call: PyNode, kind: 'print' | 'write' | 'stream'): FixProposal[] {
  const style = detectStyle(ctx.text, 'python');
  const imp = ensurePyImport(ctx, new PyOffsets(ctx.text), 'sys', undefined, style);
  const stderr = `${imp.ref}.stderr`;
  if (kind === 'print') {
    const existing = keywordArgument(call, 'file');
    const list = call.child('arguments');
    if (!list) return [];
    let edit;
    if (existing) {
      const v = existing.child('value')!;
      edit = { file: ctx.file, span: v.span, text: stderr };
    } else {
      const args = callArgs(call);
      const close = list.end - 1;
      const sep = args.positional.length + args.keywords.size + args.splats.length > 0 ? ', ' : '';
      // Keep a trailing comma's layout: insert before the closing parenthesis.
      const before = ctx.text.slice(list.start, close).trimEnd();
      const at = before.endsWith(',') ? list.start + before.length : close;
      edit = { file: ctx.file, span: { start: at, end: at }, text: before.endsWith(',') ? ` file=${stderr},` : `${sep}file=${stderr}` };
    }
    return [{ kind: 'fix', title: 'Print to stderr', preferred: true, edits: [...imp.edits, edit] }];
  }
  // `sys.stdout.write(...)` / `StreamHandler(sys.stdout)` / `basicConfig(stream=sys.stdout)`: rename the stream.
  const stdout = findStdout(call);
  if (!stdout) return [];
  const attr = stdout.child('attribute')!;
  return [{ kind: 'fix', title: 'Write to stderr', preferred: true, edits: [{ file: ctx.file, span: attr.span, text: 'stderr' }] }];
}

function findStdout(node: PyNode): PyNode | undefined {
  if (node.type === 'attribute' && node.child('attribute')?.text === 'stdout') return node;
  for (const c of node.children) {
    const f = findStdout(c);
    if (f) return f;
  }
  return undefined;
}
