import * as ts from 'typescript';
import { dottedName, pyFoldText, stringValue as pyString, walkTypes } from '../core/mcp/lang/py';
import { kindMask, propName, spanOfNode, stringValue, unwrap, walkTsKinds } from '../core/mcp/lang/ts';
import { isSecretName, isTestFile, knownSecretFormat, looksLikeSecretValue } from '../core/mcp/secrets';
import type { PyNode } from '../core/python/ast';
import type { PyContext } from '../core/python/engine';
import { createRule } from '../core/rule';
import type { TsContext } from '../core/ts/engine';
import { detach } from '../core/text';
import type { Span } from '../core/types';

/** `Bearer abc...` / `Basic abc...` / `token abc...`: the credential after the scheme. */
function authHeaderCredential(value: string): string | undefined {
  const m = /^(?:Bearer|Basic|Token|token|Bot|Digest)\s+(\S+)$/.exec(value.trim());
  return m?.[1];
}

/** What kind of credential a literal stored under `name` is, or undefined when it is not one. */
function classify(name: string | undefined, value: string): string | undefined {
  const known = knownSecretFormat(value);
  if (known) return known.name;
  if (name === undefined) return undefined;
  if ((name.length === 13 || name.length === 19) && /^(?:authorization|proxy-authorization)$/i.test(name)) {
    const cred = authHeaderCredential(value);
    return cred && looksLikeSecretValue(cred) ? 'credential' : undefined;
  }
  if (!isSecretName(name)) return undefined;
  const cred = authHeaderCredential(value) ?? value;
  // A name that is a secret only by ending in `key` (`DIAGNOSTICS_KEY`) often labels a dictionary
  // entry: lower-case words and punctuation (`"diagnostics[warning-or-higher]"`) are such a label,
  // and so are names made of words (`PROTOCOL_VERSION_META_KEY =
  // 'io.modelcontextprotocol/protocolVersion'`, a `_meta` key of the TypeScript SDK;
  // `PLATFORM_NAME_KEY = 'PlatformName'`).
  if ((LOWERCASE_LABEL.test(cred) || WORD_PATH.test(cred)) && !isSecretName(name, { strict: true })) return undefined;
  return looksLikeSecretValue(cred) ? 'secret' : undefined;
}

/**
 * The `apiKey` of an Algolia search configuration (`{ appId, apiKey, indexName }`, DocSearch's
 * and InstantSearch's shape): a search-only key, public by design and shipped to every browser
 * (apify/actors-mcp-server's docs search).
 */
function algoliaSearchKey(p: ts.PropertyAssignment): boolean {
  const key = propName(p.name);
  if (key !== 'apiKey' && key !== 'searchApiKey' && key !== 'searchKey') return false;
  const obj = p.parent;
  if (!ts.isObjectLiteralExpression(obj)) return false;
  const names = new Set(obj.properties.map((q) => (q.name ? propName(q.name) : undefined)));
  return (names.has('appId') || names.has('applicationId')) && (names.has('indexName') || names.has('index'));
}

/** Lower-case words joined by punctuation, no digits or capitals. */
const LOWERCASE_LABEL = /^[a-z]+(?:[^a-z0-9\sA-Z]+[a-z]*)*$/;

/**
 * Words without digits, lower-case, camelCase or PascalCase, alone or joined by `.`, `/`, `:` or
 * `-`: `io.modelcontextprotocol/protocolVersion`, a CloudFormation `ParameterKey` such as
 * `'RouteTableIds'`.
 */
const WORD_PATH = /^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*(?:[./:-][A-Za-z][a-z]+(?:[A-Z][a-z]+)*)*$/;

function message(name: string | undefined, kind: string): string {
  const what = kind === 'secret' || kind === 'credential' ? 'credential' : kind;
  return name ? `'${name}' is set to a hard-coded ${what}.` : `This string literal is a hard-coded ${what}.`;
}

/** Methods that set one header (`headers.set(name, value)`). */
const HEADER_SETTERS = new Set(['set', 'append', 'setHeader', 'header']);

/** The nodes the walk below looks at. */
const TS_KINDS = kindMask(
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.BinaryExpression,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
);
const LITERAL_KINDS = kindMask(ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral);

type TsLiteral = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

/** A literal directly, or the fallback of `process.env.X ?? 'literal'`. */
function literalOf(expr: ts.Expression | undefined): TsLiteral | undefined {
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return literalOf(e.right);
  return undefined;
}

/**
 * The visit of the nodes that store a literal under a name (every kind of TS_KINDS but the
 * literals themselves): calls `named` with the name and the literal, as `classify` takes them.
 */
function slotVisitor(named: (name: string | undefined, lit: TsLiteral) => void): (n: ts.Node) => void {
  /** `name === <literal>` / `<literal> === name`: one side's name, the other side's literal. */
  const compared = (a: ts.Expression, b: ts.Expression) => {
    const lit = literalOf(b);
    if (!lit) return;
    const side = unwrap(a);
    named(ts.isIdentifier(side) ? side.text : ts.isPropertyAccessExpression(side) ? side.name.text : undefined, lit);
  };
  // One switch on the kind (the kinds are exclusive); a slot's name is read only once its value
  // is known to be a literal.
  return (n) => {
    switch (n.kind) {
      case ts.SyntaxKind.VariableDeclaration:
      case ts.SyntaxKind.Parameter: {
        const d = n as ts.VariableDeclaration | ts.ParameterDeclaration;
        const lit = literalOf(d.initializer);
        if (lit && ts.isIdentifier(d.name)) named(d.name.text, lit);
        return;
      }
      case ts.SyntaxKind.PropertyAssignment: {
        const lit = literalOf((n as ts.PropertyAssignment).initializer);
        if (lit && !algoliaSearchKey(n as ts.PropertyAssignment)) named(propName((n as ts.PropertyAssignment).name), lit);
        return;
      }
      case ts.SyntaxKind.PropertyDeclaration: {
        const d = n as ts.PropertyDeclaration;
        const lit = literalOf(d.initializer);
        if (lit && d.name) named(propName(d.name), lit);
        return;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = n as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsToken) {
          const lit = literalOf(b.right);
          if (!lit) return;
          const left = unwrap(b.left);
          named(ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : ts.isElementAccessExpression(left) ? stringValue(left.argumentExpression) : undefined, lit);
        } else if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
          // `token === 'hunter2-...'`: the expected secret is in the source.
          compared(b.left, b.right);
          compared(b.right, b.left);
        }
        return;
      }
      case ts.SyntaxKind.CallExpression: {
        // headers.set('Authorization', 'Bearer ...') / setHeader('x-api-key', '...')
        const c = n as ts.CallExpression;
        if (c.arguments.length >= 2 && ts.isPropertyAccessExpression(c.expression) && HEADER_SETTERS.has(c.expression.name.text)) {
          const key = stringValue(c.arguments[0]);
          const lit = key !== undefined ? literalOf(c.arguments[1]) : undefined;
          if (lit) named(key, lit);
        }
        return;
      }
    }
  };
}

/** The whole walk: every slot and every literal, in pre-order (reports in the order users see). */
function checkTsWalk(ctx: TsContext): void {
  const sf = ctx.sourceFile;
  const done = new Set<number>();
  const report = (span: Span, name: string | undefined, kind: string) => {
    if (done.has(span.start)) return;
    done.add(span.start);
    ctx.report({ span, message: message(name, kind), properties: { kind } });
  };
  const slot = slotVisitor((name, lit) => {
    const kind = classify(name, lit.text);
    if (kind) report(spanOfNode(lit, sf), name, kind);
  });
  walkTsKinds(sf, TS_KINDS, (n) => {
    const kind = n.kind;
    if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) {
      const known = knownSecretFormat((n as TsLiteral).text);
      if (known && !done.has(n.getStart(sf))) report(spanOfNode(n, sf), undefined, known.name);
      return;
    }
    slot(n);
  });
}

/**
 * Whether `classify` can call a literal with this value a credential under some name: its
 * known format, or the value (the credential after an auth scheme) looking like one. The
 * rejections `looksLikeSecretValue` makes first are made here without its other tests (most
 * literals: short, or prose), and answers are remembered (a file's literals repeat per edit).
 */
function maySecretValue(value: string): boolean {
  if (value.length < 12) return false;
  let answer = secretValues.get(value);
  if (answer === undefined) {
    const cred = (authHeaderCredential(value) ?? value).trim();
    answer = knownSecretFormat(value) !== undefined || (cred.length >= 12 && cred.length <= 512 && !/\s/.test(cred) && looksLikeSecretValue(cred)) || knownSecretFormat(cred) !== undefined;
    if (secretValues.size >= MAX_SECRET_VALUES) secretValues.clear();
    secretValues.set(detach(value), answer);
  }
  return answer;
}

const MAX_SECRET_VALUES = 8192;
const secretValues = new Map<string, boolean>();

/**
 * The node whose visit reads `lit` as the value of a named slot: up through what `literalOf`
 * looks through (parentheses and type wrappers, the right side of `??` and `||`) to the first
 * other node, the only one that can (a slot of TS_KINDS or nothing).
 */
function slotOf(lit: TsLiteral): ts.Node | undefined {
  let child: ts.Node = lit;
  for (let p = lit.parent; p; child = p, p = p.parent) {
    switch (p.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        if ((p as ts.ParenthesizedExpression).expression === child) continue;
        return p;
      case ts.SyntaxKind.BinaryExpression: {
        const b = p as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if ((op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) && b.right === child) continue;
        return p;
      }
      default:
        return p;
    }
  }
  return undefined;
}

/**
 * Whether the walk can report anything: a literal of a known format (reported wherever it is),
 * or a literal that may be a credential whose slot, visited on its own, names it as one. Every
 * report of the walk is one of these, so a file with neither (most files: their long literals
 * are prose, paths, MIME types and tool names, stored under names that hold no secret) is
 * cleared by a look at its literals instead of a visit of every slot.
 */
function mayReport(sf: ts.SourceFile): boolean {
  let found = false;
  const slot = slotVisitor((name, lit) => {
    if (!found && classify(name, lit.text) !== undefined) found = true;
  });
  walkTsKinds(sf, LITERAL_KINDS, (n) => {
    if (found) return false;
    const value = (n as TsLiteral).text;
    if (!maySecretValue(value)) return;
    if (knownSecretFormat(value)) found = true;
    else {
      const s = slotOf(n as TsLiteral);
      if (s) slot(s);
    }
  });
  return found;
}

/** For the differential test: the rule's TypeScript check with and without the pre-check. */
export const testHooks = { checkTs: (ctx: TsContext) => checkTs(ctx), checkTsWalk };

function checkTs(ctx: TsContext): void {
  if (isTestFile(ctx.file)) return;
  if (mayReport(ctx.sourceFile)) checkTsWalk(ctx);
}

// ---------------------------------------------------------------- Python

function pyTargetName(node: PyNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.child('attribute')?.text;
  if (node.type === 'subscript') return pyString(node.child('subscript'));
  return undefined;
}

/** The node types checkPy acts on. */
const PY_VISITED = ['assignment', 'keyword_argument', 'pair', 'default_parameter', 'typed_default_parameter', 'comparison_operator', 'string'];
const PY_STRINGS = ['string'];

/** A literal directly, or the default of `os.getenv("T", "literal")` / `os.environ.get("T") or "literal"`. */
function pyLiteralOf(node: PyNode | undefined): PyNode | undefined {
  if (!node) return undefined;
  if (node.type === 'string' || node.type === 'concatenated_string') return pyString(node) !== undefined ? node : undefined;
  // os.getenv("TOKEN", "literal") / os.environ.get("TOKEN", "literal") / os.environ.get("T") or "literal"
  if (node.type === 'boolean_operator') return pyLiteralOf(node.child('right'));
  if (node.type === 'call' && /(?:^|\.)(?:getenv|get)$/.test(dottedName(node.child('function')) ?? '')) {
    const args = node.child('arguments')?.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'keyword_argument') ?? [];
    return args[1] ? pyLiteralOf(args[1]) : undefined;
  }
  return undefined;
}

/**
 * The visit of the nodes that store a value under a name (every type of PY_VISITED but
 * `string`): calls `found` with each literal `classify` calls a credential, its name and kind.
 */
function pySlotVisitor(found: (lit: PyNode, name: string | undefined, kind: string) => void): (n: PyNode) => void {
  const named = (name: string | undefined, value: PyNode | undefined) => {
    // `auth=("user", "password")`: the second element of a basic-auth pair.
    if (value?.type === 'tuple' && name !== undefined && /^(?:auth|basic_auth|credentials)$/i.test(name)) {
      const parts = value.namedChildren.filter((c) => c.type !== 'comment');
      if (parts.length === 2) named('password', parts[1]);
      return;
    }
    const lit = pyLiteralOf(value);
    if (!lit) return;
    const kind = classify(name, pyString(lit)!);
    if (kind) found(lit, name, kind);
  };
  return (n) => {
    switch (n.type) {
      case 'assignment':
        named(pyTargetName(n.child('left')), n.child('right'));
        break;
      case 'keyword_argument':
        named(n.child('name')?.text, n.child('value'));
        break;
      case 'pair':
        named(pyString(n.child('key')), n.child('value'));
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        named(n.child('name')?.text, n.child('value'));
        break;
      case 'comparison_operator': {
        const [a, b] = n.namedChildren;
        if (a && b && /==|!=/.test(n.text.slice(a.end - n.start, b.start - n.start))) {
          named(pyTargetName(a), b);
          named(pyTargetName(b), a);
        }
        break;
      }
    }
  };
}

/** The whole walk: every slot and every string, in document order. */
function checkPyWalk(ctx: PyContext): void {
  const done = new Set<number>();
  const report = (node: PyNode, name: string | undefined, kind: string) => {
    if (done.has(node.start)) return;
    done.add(node.start);
    ctx.report({ span: node.span, message: message(name, kind), properties: { kind } });
  };
  const slot = pySlotVisitor(report);
  walkTypes(ctx.ast.root, PY_VISITED, (n) => {
    if (n.type !== 'string') {
      slot(n);
      return true;
    }
    if (done.has(n.start) || n.parent?.type === 'concatenated_string') return true;
    const v = pyString(n) ?? pyFoldText(n);
    const known = v !== undefined ? knownSecretFormat(v) : undefined;
    if (known) report(n, undefined, known.name);
    return true;
  });
}

/**
 * The node whose visit reads `lit` as the value of a named slot: up through what `pyLiteralOf`
 * and the basic-auth pairs look through (`or`, a call's arguments, a tuple) to the first other
 * node, the only one that can (a slot of PY_VISITED or nothing).
 */
function pySlotOf(lit: PyNode): PyNode | undefined {
  for (let p = lit.parent; p; p = p.parent) {
    const type = p.type;
    if (type !== 'boolean_operator' && type !== 'argument_list' && type !== 'call' && type !== 'tuple') return p;
  }
  return undefined;
}

/**
 * Python twin of `mayReport`: a string of a known format, or a literal that may be a credential
 * whose slot, visited on its own, names it as one. A string's value is never longer than its
 * source without the quotes (escapes and interpolations only shrink), so short strings are
 * passed over without reading their value.
 */
function mayReportPy(ctx: PyContext): boolean {
  let found = false;
  const slot = pySlotVisitor(() => {
    found = true;
  });
  walkTypes(ctx.ast.root, PY_STRINGS, (n) => {
    if (found) return false;
    if (n.end - n.start >= 18) {
      const v = pyString(n) ?? pyFoldText(n);
      if (v !== undefined && knownSecretFormat(v)) {
        found = true;
        return false;
      }
    }
    // A part of implicit concatenation is read as the whole (`pyLiteralOf`).
    const lit = n.parent?.type === 'concatenated_string' ? n.parent : n;
    if (lit.end - lit.start < 14) return true;
    const value = pyString(lit);
    if (value === undefined || !maySecretValue(value)) return true;
    const s = pySlotOf(lit);
    if (s) slot(s);
    return true;
  });
  return found;
}

/** For the differential test: the rule's Python check with and without the pre-check. */
export const pyTestHooks = { checkPy: (ctx: PyContext) => checkPy(ctx), checkPyWalk };

function checkPy(ctx: PyContext): void {
  if (isTestFile(ctx.file)) return;
  if (mayReportPy(ctx)) checkPyWalk(ctx);
}

export default createRule({
  meta: {
    id: 'no-hardcoded-secret',
    description: 'Disallow credentials written into the source code of MCP servers',
    cwe: [798],
    severity: 'error',
    precision: 'high',
    languages: ['typescript', 'javascript', 'python'],
    tags: ['mcp', 'secrets'],
  },
  check: { typescript: checkTs, python: checkPy },
});
