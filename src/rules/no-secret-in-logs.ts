import * as ts from 'typescript';
import { redactPy, redactTs } from '../core/fixes/mcp/redact';
import { pyCalls } from '../core/mcp/lang/py';
import { pySecretRefs, tsSecretRefs, type SecretRef } from '../core/mcp/lang/secret-refs';
import { calleeDotted, calleeLast, kindMask, spanOfNode, walkTsKinds } from '../core/mcp/lang/ts';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { isTestFile } from '../core/mcp/secrets';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';

const CALLS = kindMask(ts.SyntaxKind.CallExpression);

const TS_LOG_METHODS = new Set(['log', 'info', 'debug', 'warn', 'warning', 'error', 'trace', 'fatal', 'verbose', 'silly', 'notice', 'critical']);
/** Receivers that are loggers: `console`, `logger`, `this.log`, `fastify.log`, `server.logger`. */
const TS_LOGGER = /(?:^|\.)(?:console|logger|_logger|log|_log|logging|winston|pino|signale|consola|bunyan)$/i;

function isLogCallTs(call: ts.CallExpression): boolean {
  const last = calleeLast(call);
  if (!last) return false;
  if (last === 'sendLoggingMessage') return true;
  // The dotted name (`debug`, `log` or `<logger>.<method>`) is built only for a log method's name.
  if (!TS_LOG_METHODS.has(last)) return false;
  const full = calleeDotted(call);
  if (full === 'debug' || full === 'log') return true;
  if (!full) return false;
  return TS_LOGGER.test(full.slice(0, full.length - last.length - 1));
}

function describe(refs: readonly SecretRef<unknown>[]): string {
  const r = refs[0]!;
  return r.kind === 'secret' ? `the secret ${r.label}` : r.label;
}

function checkTs(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  walkTsKinds(sf, CALLS, (n) => {
    if (!ts.isCallExpression(n) || !isLogCallTs(n)) return;
    const refs = n.arguments.flatMap((a) => tsSecretRefs(a, ctx.loadLocalModule));
    if (refs.length === 0) return;
    ctx.report({
      span: spanOfNode(n, sf),
      message: `This log call writes ${describe(refs)}.`,
      fixes: redactTs(ctx, refs),
      properties: { secrets: refs.map((r) => r.label) },
    });
  });
}

const PY_LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);
/** `logging.info`, `logger.warning`, `self.log.error`, FastMCP `ctx.info` (sent to the client). */
const PY_LOGGER = /(?:^|\.)(?:logging|logger|_logger|log|_log|LOGGER|LOG|ctx|context|structlog|loguru)$/;

function isLogCallPy(call: PyNode, name: string | undefined, last: string | undefined): boolean {
  if (!name || !last) return false;
  if (name === 'print') return true;
  if (name === 'sys.stderr.write' || name === 'sys.stdout.write') return true;
  if (!PY_LOG_METHODS.has(last)) return false;
  return PY_LOGGER.test(name.slice(0, name.length - last.length - 1)) || call.text.startsWith('logging.getLogger');
}

function checkPy(ctx: PyContext): void {
  for (const { call, name, last } of pyCalls(ctx.ast.root)) {
    if (!isLogCallPy(call, name, last)) continue;
    const args = call.child('arguments');
    if (!args) continue;
    const refs = args.namedChildren.flatMap((a) => {
      // `exc_info=...`, `extra={...}`: keyword values are logged too; their names are not.
      const v = a.type === 'keyword_argument' ? a.child('value') : a;
      if (a.type === 'keyword_argument' && /^(?:file|flush|sep|end|stacklevel)$/.test(a.child('name')?.text ?? '')) return [];
      return v ? pySecretRefs(v, ctx.resolveImport) : [];
    });
    if (refs.length === 0) continue;
    ctx.report({ span: call.span, message: `This log call writes ${describe(refs)}.`, fixes: redactPy(ctx, refs), properties: { secrets: refs.map((r) => r.label) } });
  }
}

export default createRule({
  meta: {
    id: 'no-secret-in-logs',
    description: 'Disallow writing tokens, passwords, API keys, auth headers and environments to logs',
    cwe: [532],
    severity: 'warning',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    fixable: 'suggestion',
    tags: ['mcp', 'secrets'],
  },
  // Test code is not what the server runs; its fake servers and secrets are noise here.
  check: { typescript: (ctx) => isTestFile(ctx.file) || checkTs(ctx), python: (ctx) => isTestFile(ctx.file) || checkPy(ctx) },
});
