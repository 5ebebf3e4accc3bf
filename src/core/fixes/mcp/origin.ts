/**
 * Fixes for require-origin-validation: turn on the SDK's DNS-rebinding protection with
 * loopback allowed hosts, and bind loopback instead of every interface. Both are suggestions:
 * they change which requests the server accepts.
 */
import * as ts from 'typescript';
import type { TsHttpEndpoint } from '../../mcp/lang/ts-http';
import { callArgs, keywordArgument, stringValue as pyString, unparen } from '../../mcp/lang/py';
import { stringValue, unwrap } from '../../mcp/lang/ts';
import type { PyNode } from '../../python/ast';
import type { PyContext } from '../../python/engine';
import type { TsContext } from '../../ts/engine';
import type { FixProposal, TextEdit } from '../../types';
import { insertPyTopLevel, PyOffsets } from '../py-imports';
import { detectStyle, quoteJs, quotePy } from '../style';

/**
 * The Host values a loopback server is reached by, with the port the file listens on:
 * `['127.0.0.1:3000', 'localhost:3000', '[::1]:3000']`, or template literals over a top-level
 * port variable. Undefined when the port is not knowable (the SDK compares the whole Host header).
 */
function loopbackHostsTs(ctx: TsContext, listens: readonly { call: ts.CallExpression }[]): string | undefined {
  const style = detectStyle(ctx.text, ctx.language === 'python' ? 'typescript' : ctx.language);
  for (const l of listens) {
    const arg = l.call.arguments[0] && unwrap(l.call.arguments[0]);
    if (!arg) continue;
    if (ts.isNumericLiteral(arg)) return ['127.0.0.1', 'localhost', '[::1]'].map((h) => quoteJs(`${h}:${arg.text}`, style)).join(', ');
    if (ts.isIdentifier(arg) && isTopLevelVariable(ctx.sourceFile, arg.text)) {
      return ['127.0.0.1', 'localhost', '[::1]'].map((h) => `\`${h}:\${${arg.text}}\``).join(', ');
    }
  }
  return undefined;
}

function isTopLevelVariable(sf: ts.SourceFile, name: string): boolean {
  return sf.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
}

/** Adds `enableDnsRebindingProtection: true, allowedHosts: [...]` to a transport's options. */
export function protectTransportTs(ctx: TsContext, ep: TsHttpEndpoint, listens: readonly { call: ts.CallExpression }[]): FixProposal[] {
  if (ep.kind === 'express-app' || !ts.isNewExpression(ep.node)) return [];
  const hosts = loopbackHostsTs(ctx, listens);
  if (!hosts) return [];
  const added = `enableDnsRebindingProtection: true, allowedHosts: [${hosts}]`;
  const title = 'Enable DNS-rebinding protection with loopback allowed hosts';
  const args = ep.node.arguments ?? ts.factory.createNodeArray();
  // Streamable HTTP takes the options first; SSE takes (endpoint, res, options).
  const index = ep.kind === 'sse' ? 2 : 0;
  const opts = args[index] && unwrap(args[index]);
  if (opts && ts.isObjectLiteralExpression(opts)) {
    const props = opts.properties;
    if (props.length === 0) {
      return [{ kind: 'suggestion', title, preferred: true, edits: [{ file: ctx.file, span: { start: opts.getStart(ctx.sourceFile), end: opts.getEnd() }, text: `{ ${added} }` }] }];
    }
    const last = props[props.length - 1]!;
    return [{ kind: 'suggestion', title, preferred: true, edits: [{ file: ctx.file, span: { start: last.getEnd(), end: last.getEnd() }, text: `, ${added}` }] }];
  }
  if (opts) return [];
  if (args.length !== index) return [];
  // No options argument at all: add one.
  const closeParen = ep.node.getEnd() - 1;
  if (ctx.text[closeParen] !== ')') return [];
  const sep = args.length > 0 ? ', ' : '';
  return [{ kind: 'suggestion', title, preferred: true, edits: [{ file: ctx.file, span: { start: closeParen, end: closeParen }, text: `${sep}{ ${added} }` }] }];
}

/** Replaces a literal all-interfaces host in `listen(port, '0.0.0.0')` with `'127.0.0.1'`. */
export function bindLoopbackTs(ctx: TsContext, listen: ts.CallExpression): FixProposal[] {
  const second = listen.arguments[1] && unwrap(listen.arguments[1]);
  if (!second) return [];
  let lit: ts.Expression | undefined;
  if (stringValue(second) !== undefined) lit = second;
  else if (ts.isBinaryExpression(second) && stringValue(second.right) !== undefined) lit = unwrap(second.right);
  if (!lit) return [];
  const quote = ctx.text[lit.getStart(ctx.sourceFile)] === '"' ? '"' : "'";
  return [
    {
      kind: 'suggestion',
      title: "Listen on '127.0.0.1' only",
      edits: [{ file: ctx.file, span: { start: lit.getStart(ctx.sourceFile), end: lit.getEnd() }, text: `${quote}127.0.0.1${quote}` }],
    },
  ];
}

/** `enable_dns_rebinding_protection=False` -> `True`, adding loopback `allowed_hosts` when absent. */
export function enableProtectionPy(ctx: PyContext, call: PyNode): FixProposal[] {
  const kw = keywordArgument(call, 'enable_dns_rebinding_protection');
  const value = kw?.child('value');
  if (!kw || !value) return [];
  const style = detectStyle(ctx.text, 'python');
  const edits = [{ file: ctx.file, span: value.span, text: 'True' }];
  if (!callArgs(call).keywords.has('allowed_hosts')) {
    const hosts = ['127.0.0.1:*', 'localhost:*', '[::1]:*'].map((h) => quotePy(h, style)).join(', ');
    edits.push({ file: ctx.file, span: { start: kw.end, end: kw.end }, text: `, allowed_hosts=[${hosts}]` });
  }
  return [{ kind: 'suggestion', title: 'Enable DNS-rebinding protection with loopback allowed hosts', preferred: true, edits }];
}

/** `host="0.0.0.0"` (or an env default of it) -> `"127.0.0.1"`. */
export function bindLoopbackPy(ctx: PyContext, hostNode: PyNode): FixProposal[] {
  let lit: PyNode | undefined = unparen(hostNode);
  if (pyString(lit) === undefined) {
    if (lit.type === 'call') {
      const args = callArgs(lit);
      lit = args.positional[1] ?? args.keywords.get('default');
    } else if (lit.type === 'boolean_operator') lit = lit.child('right');
    else lit = undefined;
  }
  if (!lit || pyString(lit) === undefined || lit.type !== 'string') return [];
  const quote = lit.text.startsWith("'") ? "'" : '"';
  return [{ kind: 'suggestion', title: "Bind '127.0.0.1' only", edits: [{ file: ctx.file, span: lit.span, text: `${quote}127.0.0.1${quote}` }] }];
}

/**
 * Adds `transport_security=TransportSecuritySettings(...)` with loopback allowed hosts to a
 * `FastMCP(...)` construction of the official SDK, importing the settings class when missing.
 */
export function addTransportSecurityPy(ctx: PyContext, serverCall: PyNode): FixProposal[] {
  const list = serverCall.child('arguments');
  if (!list || list.type !== 'argument_list') return [];
  const style = detectStyle(ctx.text, 'python');
  // `from ... import` keeps the file's `mcp = FastMCP(...)` variable from being shadowed by `import mcp...`.
  const known = [...ctx.imports.bindings.values()].find((b) => b.qualified === 'mcp.server.transport_security.TransportSecuritySettings');
  const imp = known
    ? { ref: known.local, edits: [] as TextEdit[] }
    : { ref: 'TransportSecuritySettings', edits: [insertPyTopLevel(ctx, new PyOffsets(ctx.text), 'from mcp.server.transport_security import TransportSecuritySettings', style)] };
  const hosts = ['127.0.0.1:*', 'localhost:*', '[::1]:*'].map((h) => quotePy(h, style)).join(', ');
  const arg = `transport_security=${imp.ref}(enable_dns_rebinding_protection=True, allowed_hosts=[${hosts}])`;
  const close = list.end - 1;
  const before = ctx.text.slice(list.start + 1, close);
  const trimmed = before.trimEnd();
  const at = list.start + 1 + trimmed.length;
  const text = trimmed.length === 0 ? arg : trimmed.endsWith(',') ? ` ${arg}` : `, ${arg}`;
  return [{ kind: 'suggestion', title: 'Enable DNS-rebinding protection with loopback allowed hosts', preferred: true, edits: [...imp.edits, { file: ctx.file, span: { start: at, end: at }, text }] }];
}
