/**
 * Finds secret-bearing expressions inside a value that is written somewhere (a log call's
 * arguments, a tool result): secret-named variables and properties, auth headers, whole
 * request-header objects and whole environments. Expressions that only test or measure a
 * secret (`!!token`, `token.length`, `token ? 'set' : 'unset'`, `mask(token)`) are skipped.
 */
import * as ts from 'typescript';
import type { PyNode } from '../../python/ast';
import { isSecretName as isSecretNameLoose, nameSegments } from '../secrets';
import { dottedName, stringValue as pyString, walk } from './py';
import { dotted, stringValue, unwrap } from './ts';

export interface SecretRef<N> {
  readonly node: N;
  /** How the secret is named in the message: `'apiKey'`, `the request headers`, `the environment`. */
  readonly label: string;
  readonly kind: 'secret' | 'headers' | 'environment';
}

/** Functions whose result no longer reveals the secret. */
const MASKING_CALL = /(?:mask|redact|hash|sha\d*|digest|hmac|truncate|obfuscate|censor|fingerprint|Boolean|isNaN|len|bool|type|isinstance|keys|has|exists|count|startswith|endswith|startsWith|endsWith|includes|test|match|compare|verify|validate|check)/i;

/** Methods that keep (most of) the secret's value. */
const VALUE_PRESERVING = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'valueOf', 'concat', 'normalize', 'padStart', 'padEnd', 'split', 'strip', 'lower', 'upper', 'decode', 'encode', 'removeprefix', 'format']);

const STRICT = { strict: true } as const;

/**
 * The name test the secret-reference finders apply: only names, never values, are seen here,
 * so the strict one. Exported for prefilters that must agree with the finders exactly.
 */
export function isSecretRefName(name: string): boolean {
  return isSecretNameLoose(name, STRICT);
}

const isSecretName = isSecretRefName;

/** Objects that describe secrets rather than hold them: `configSources.apiKey`, `fieldNames.token`. */
const DESCRIPTIVE_OBJECT = new Set(['source', 'sources', 'name', 'names', 'type', 'types', 'kind', 'kinds', 'label', 'labels', 'field', 'fields', 'hint', 'hints', 'status', 'flag', 'flags', 'description', 'descriptions', 'length', 'lengths', 'count', 'counts', 'schema', 'schemas', 'env', 'vars', 'placeholder', 'placeholders', 'errors', 'messages']);

function describesSecret(objectText: string | undefined): boolean {
  if (!objectText) return false;
  const last = objectText.split('.').pop() ?? '';
  const segs = nameSegments(last);
  return segs.length > 0 && DESCRIPTIVE_OBJECT.has(segs[segs.length - 1]!);
}

const REQUEST_NAMES = /(?:^|\.)(?:req|request|requestInfo|incoming|event)$|^r$/;

function tsMasked(node: ts.Node, root: ts.Node): boolean {
  for (let child = node, p = node.parent; p && child !== root; child = p, p = p.parent) {
    if (ts.isPropertyAccessExpression(p) && p.expression === child) {
      // `token.length` or `token.slice(0, 4)`: a measurement or a short prefix.
      if (!VALUE_PRESERVING.has(p.name.text)) return true;
      continue;
    }
    if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isTypeOfExpression(p)) return true;
    if (ts.isConditionalExpression(p) && p.condition === child) return true;
    if (ts.isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken && p.left === child) return true;
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken ||
        op === ts.SyntaxKind.InKeyword || op === ts.SyntaxKind.InstanceOfKeyword ||
        op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.GreaterThanToken
      ) return true;
    }
    if (ts.isCallExpression(p) && p.arguments.includes(child as ts.Expression)) {
      const callee = unwrap(p.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (MASKING_CALL.test(name)) return true;
    }
  }
  return false;
}

/** Secret-bearing expressions within `root` (a log argument, a returned value). */
export function tsSecretRefs(root: ts.Node): SecretRef<ts.Node>[] {
  const out: SecretRef<ts.Node>[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      const key = ts.isPropertyAccessExpression(n) ? n.name.text : stringValue(n.argumentExpression);
      if (key === 'env' && isProcess(n.expression) && !isAccessed(n)) {
        if (!tsMasked(n, root)) out.push({ node: n, label: "the environment 'process.env'", kind: 'environment' });
        return;
      }
      if (key === 'headers' && !isAccessed(n) && REQUEST_NAMES.test(dotted(n.expression) ?? '')) {
        if (!tsMasked(n, root)) out.push({ node: n, label: `the request headers '${n.getText()}'`, kind: 'headers' });
        return;
      }
      if (key !== undefined && isSecretName(key) && !isAccessedSecretPart(n) && !describesSecret(dotted(n.expression))) {
        if (!tsMasked(n, root)) out.push({ node: n, label: `'${n.getText().length <= 40 ? n.getText() : key}'`, kind: 'secret' });
        return;
      }
      // The member name is not a read of a variable; only the object (and a computed key) are.
      visit(n.expression);
      if (ts.isElementAccessExpression(n)) visit(n.argumentExpression);
      return;
    }
    if (ts.isShorthandPropertyAssignment(n) && isSecretName(n.name.text)) {
      out.push({ node: n, label: `'${n.name.text}'`, kind: 'secret' });
      return;
    }
    if (ts.isPropertyAssignment(n)) {
      // `{ apiKey: x }` keys do not leak; the values are visited.
      visit(n.initializer);
      return;
    }
    if (ts.isIdentifier(n) && isSecretName(n.text)) {
      if (!tsMasked(n, root)) out.push({ node: n, label: `'${n.text}'`, kind: 'secret' });
      return;
    }
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

/**
 * Whether `expr` is `process` (so that `expr.env` is the environment): what `dotted(n) ===
 * 'process.env'` asks, without building the dotted name of every member read.
 */
function isProcess(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return ts.isIdentifier(e) && e.text === 'process';
}

/** `x.headers.foo` / `process.env.FOO`: the object is only a step on the way to a member. */
function isAccessed(n: ts.Node): boolean {
  const p = n.parent;
  return !!p && (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n;
}

/** `config.token.expiresAt`: the secret-named object is followed by a non-secret member. */
function isAccessedSecretPart(n: ts.Node): boolean {
  const p = n.parent;
  if (!p || !(ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) || p.expression !== n) return false;
  const key = ts.isPropertyAccessExpression(p) ? p.name.text : stringValue(p.argumentExpression);
  return key !== undefined && !VALUE_PRESERVING.has(key);
}

// ---------------------------------------------------------------- Python

function pyMasked(node: PyNode, root: PyNode): boolean {
  for (let child = node, p = node.parent; p && child !== root; child = p, p = p.parent) {
    switch (p.type) {
      case 'attribute':
        if (p.child('object') === child) {
          const attr = p.child('attribute')?.text ?? '';
          if (!VALUE_PRESERVING.has(attr)) return true;
        }
        break;
      case 'not_operator':
      case 'comparison_operator':
        return true;
      case 'conditional_expression':
        // `"set" if token else "unset"`: the middle operand is the condition.
        if (p.namedChildren[1] === child) return true;
        break;
      case 'boolean_operator':
        if (p.child('left') === child && p.children.some((c) => c.type === 'and')) return true;
        break;
      case 'subscript':
        if (p.child('value') === child && p.child('subscript')?.type === 'slice') return true;
        break;
      case 'argument_list': {
        const call = p.parent;
        const fn = call?.child('function');
        const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
        if (name && MASKING_CALL.test(name)) return true;
        break;
      }
    }
  }
  return false;
}

/** Secret-bearing expressions within a Python expression. */
export function pySecretRefs(root: PyNode): SecretRef<PyNode>[] {
  const out: SecretRef<PyNode>[] = [];
  // An iterative walk (a returned false skips the subtree): expressions can nest thousands deep.
  walk(root, (n: PyNode): boolean => {
    if (n.type === 'attribute') {
      const full = dottedName(n);
      const parentIsAccess = n.parent?.type === 'attribute' && n.parent.child('object') === n || n.parent?.type === 'subscript' && n.parent.child('value') === n;
      if (full === 'os.environ' && !parentIsAccess) {
        if (!pyMasked(n, root)) out.push({ node: n, label: "the environment 'os.environ'", kind: 'environment' });
        return false;
      }
      const attr = n.child('attribute')?.text ?? '';
      const obj = n.child('object');
      if (attr === 'headers' && !parentIsAccess && obj && /^(?:request|req|self\.request|ctx\.request_context\.request)$/.test(obj.text)) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `the request headers '${n.text}'`, kind: 'headers' });
        return false;
      }
      if (isSecretName(attr) && !describesSecret(dottedName(obj)) && !(parentIsAccess && !VALUE_PRESERVING.has(n.parent?.child('attribute')?.text ?? ''))) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text.length <= 40 ? n.text : attr}'`, kind: 'secret' });
        return false;
      }
    }
    if (n.type === 'subscript') {
      const key = pyString(n.child('subscript'));
      if (key !== undefined && isSecretName(key) && !describesSecret(dottedName(n.child('value')))) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text.length <= 40 ? n.text : key}'`, kind: 'secret' });
        return false;
      }
    }
    if (n.type === 'call') {
      // headers.get("Authorization") / os.getenv("API_KEY") / os.environ.get("TOKEN")
      const fn = n.child('function');
      const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
      const first = n.child('arguments')?.namedChildren[0];
      const key = first ? pyString(first) : undefined;
      if ((name === 'get' || name === 'getenv') && key !== undefined && isSecretName(key)) {
        if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text.length <= 50 ? n.text : key}'`, kind: 'secret' });
        return false;
      }
      if (dottedName(fn) === 'dict' && first && dottedName(first) === 'os.environ') {
        if (!pyMasked(n, root)) out.push({ node: n, label: "the environment 'os.environ'", kind: 'environment' });
        return false;
      }
    }
    if (n.type === 'identifier' && isSecretName(n.text)) {
      const p = n.parent;
      // Keyword names (`token=...`) and attribute names are not reads.
      if (p?.type === 'keyword_argument' && p.child('name') === n) return false;
      if (!pyMasked(n, root)) out.push({ node: n, label: `'${n.text}'`, kind: 'secret' });
      return false;
    }
    return n.type !== 'lambda';
  });
  return out;
}
