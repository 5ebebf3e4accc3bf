/**
 * Python-syntax helpers shared by the MCP rules, on top of the engine's PyNode copy
 * (src/core/python/ast.ts).
 */
import { callArgs, dottedName, nodesOfType, stringValue, unparen, walk, walkTypes, type PyNode, type PySource } from '../../python/ast';
import type { Span } from '../../types';

export { callArgs, dottedName, stringValue, unparen, walk, walkTypes };

/**
 * The text a string expression evaluates to where knowable: plain strings, implicit
 * concatenation, f-strings (each interpolation becomes one space), `+` of strings.
 */
export function pyFoldText(node: PyNode | undefined, depth = 0): string | undefined {
  if (!node || depth > 8) return undefined;
  const n = unparen(node);
  const plain = stringValue(n);
  if (plain !== undefined) return plain;
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of n.namedChildren) out += pyFoldText(part, depth + 1) ?? ' ';
    return out;
  }
  if (n.type === 'string') {
    let out = '';
    for (const c of n.children) {
      if (c.type === 'string_content') out += c.text;
      else if (c.type === 'interpolation') out += ' ';
      else if (c.type === 'escape_sequence') out += c.text === '\\n' ? '\n' : c.text.slice(1);
    }
    return out;
  }
  if (n.type === 'binary_operator' && n.children.some((c) => c.type === '+')) {
    const l = pyFoldText(n.child('left'), depth + 1);
    const r = pyFoldText(n.child('right'), depth + 1);
    if (l === undefined && r === undefined) return undefined;
    return (l ?? ' ') + (r ?? ' ');
  }
  return undefined;
}

/** A call with its dotted callee (`logging.info`, `mcp.run`, `print`) and the callee's last name. */
export interface PyCall {
  readonly call: PyNode;
  readonly name: string | undefined;
  readonly last: string | undefined;
}

const callsOfFile = new WeakMap<PySource, readonly PyCall[]>();

/**
 * Calls in a subtree, with their dotted callee. For a whole file (several rules ask on every
 * analysis) the answer comes from the file's type index and is computed once per file version.
 */
export function pyCalls(root: PyNode): PyCall[] {
  if (root === root.source.root) {
    let all = callsOfFile.get(root.source);
    if (!all) callsOfFile.set(root.source, (all = nodesOfType(root.source, 'call').map(describeCall)));
    return all.slice();
  }
  const out: PyCall[] = [];
  walk(root, (n) => {
    if (n.type === 'call') out.push(describeCall(n));
  });
  return out;
}

/**
 * Per call node: a pure function of the call's subtree, and the engine passes unchanged subtrees
 * on to the next version of an edited file as the same nodes, so only new calls are described.
 */
const describedCalls = new WeakMap<PyNode, PyCall>();

function describeCall(n: PyNode): PyCall {
  let described = describedCalls.get(n);
  if (!described) describedCalls.set(n, (described = computeDescribeCall(n)));
  return described;
}

function computeDescribeCall(n: PyNode): PyCall {
  const fn = n.child('function');
  const name = dottedName(fn);
  const f = fn ? unparen(fn) : undefined;
  const last = f?.type === 'attribute' ? f.child('attribute')?.text : f?.type === 'identifier' ? f.text : undefined;
  // A copy: a slice of 13 or more characters points into the file's whole text, which the
  // memoised description would keep alive after its version (see ast.ts stringValue).
  return { call: n, name, last: last === undefined ? undefined : (' ' + last).slice(1) };
}

/** Keyword-argument node (the whole `name=value`) for edits that remove or replace it. */
export function keywordArgument(call: PyNode, name: string): PyNode | undefined {
  const list = call.child('arguments');
  return list?.namedChildren.find((a) => a.type === 'keyword_argument' && a.child('name')?.text === name);
}

/** Literal bool value (`True`/`False`) of a node. */
export function pyBool(node: PyNode | undefined): boolean | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  if (n.type === 'true') return true;
  if (n.type === 'false') return false;
  return undefined;
}

/** String elements of a list/tuple/set literal, or undefined when not a literal collection. */
export function pyStringList(node: PyNode | undefined): string[] | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  if (n.type !== 'list' && n.type !== 'tuple' && n.type !== 'set') return undefined;
  const out: string[] = [];
  for (const el of n.namedChildren) {
    if (el.type === 'comment') continue;
    const v = stringValue(el);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/**
 * A literal host-like value: the string itself, or the default of `os.getenv("X", "d")` /
 * `os.environ.get("X", "d")`.
 */
export function pyLiteralOrEnvDefault(node: PyNode | undefined): string | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  const s = stringValue(n);
  if (s !== undefined) return s;
  if (n.type === 'call') {
    const name = dottedName(n.child('function'));
    if (name && /(?:^|\.)(?:getenv|environ\.get|get)$/.test(name)) {
      const args = callArgs(n);
      return stringValue(args.positional[1] ?? args.keywords.get('default'));
    }
  }
  if (n.type === 'boolean_operator') {
    // os.environ.get("HOST") or "0.0.0.0"
    return stringValue(n.child('right'));
  }
  return undefined;
}

/** The function definition enclosing a node, if any. */
export function pyEnclosingFunction(node: PyNode): PyNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return p;
  return undefined;
}

export function nodeSpan(n: PyNode): Span {
  return { start: n.start, end: n.end };
}
