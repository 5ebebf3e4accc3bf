import type { PyNode } from '../../python/ast';
import type { TaintFlow } from '../../rule';
import type { FixProposal, TextEdit } from '../../types';
import { mergeInsertions } from '../edits';
import { ensurePyImport, insertPyTopLevelDefinition, pyFixSource, pyNodeAtSpan, pyTopLevelNames, type PyFixFile } from '../py-imports';
import { callArgs, kids, pyCallAt, pySite, type PyFixSite } from './common';

export const PY_RESOLVE_HELPER = 'resolve_inside_root';
export const PY_INSIDE_HELPER = 'is_inside_root';

/**
 * Fixes for `no-path-traversal` flows in Python: the sink's path goes through
 * `resolve_inside_root(root, target)` (inserted once per file), which follows symlinks with
 * `os.path.realpath` and checks containment with `os.path.commonpath`; the root comes from
 * `os.path.join(root, ...)`, `root / name`, a broken `startswith(root)` guard, or the working
 * folder. A broken `x.startswith(root)` guard becomes `is_inside_root(root, x)`. A suggestion.
 */
export function pyPathFixes(flow: TaintFlow, f: PyFixFile): FixProposal[] {
  // A host folder mounted into a container (docker-py) is not made safe by a containment check
  // at the call: the fix belongs to the server's design (a fixed volume, no client mounts).
  if (flow.data?.mount) return [];
  const site = pySite(flow, f);
  if (!site) return [];
  const call = pyCallAt(site.sink);
  const arg = site.arg ?? (call ? callArgs(call).positional[0] : undefined);
  if (!arg) return [];
  if (arg.type === 'call' && arg.child('function')?.text === PY_RESOLVE_HELPER) return [];
  const edits: TextEdit[] = [];
  const os = ensurePyImport(f, site.offsets, 'os', undefined, site.style);
  const guard = brokenGuard(site, flow);
  let root: string | undefined;
  let target = arg.text;
  let wrapPath = false;
  const split = rootAndRest(arg, os.ref);
  if (split) {
    ({ root, rest: target, pathlib: wrapPath } = split);
  } else if (arg.type === 'identifier') {
    const init = localInit(arg);
    const viaLocal = init && rootAndRest(init, os.ref);
    if (viaLocal) root = viaLocal.root;
  }
  if (!root && guard) root = guard.root.text;
  const byCwd = !root;
  root ??= `${os.ref}.getcwd()`;
  edits.push(...os.edits, ...helperEdits(site, os.ref, !!guard));
  let replacement = `${PY_RESOLVE_HELPER}(${root}, ${target})`;
  if (wrapPath) {
    const p = ensurePyImport(f, site.offsets, 'pathlib', 'Path', site.style);
    edits.push(...p.edits);
    replacement = `${p.ref}(${replacement})`;
  }
  edits.push({ file: f.file, span: site.offsets.span(arg), text: replacement });
  if (guard) edits.push({ file: f.file, span: site.offsets.span(guard.call), text: `${PY_INSIDE_HELPER}(${guard.root.text}, ${guard.subject.text})` });
  const title = byCwd
    ? `Confine the path to the working folder with '${PY_RESOLVE_HELPER}' (resolves symlinks)`
    : `Confine the path to '${root}' with '${PY_RESOLVE_HELPER}' (resolves symlinks)`;
  return [{ kind: 'suggestion', title, edits: mergeInsertions(edits), preferred: true }];
}

/** `os.path.join(root, a)` or `root / a` (pathlib): the root and the rest. */
function rootAndRest(n: PyNode, osRef: string): { root: string; rest: string; pathlib: boolean } | undefined {
  let e = n;
  while (e.type === 'parenthesized_expression' && kids(e)[0]) e = kids(e)[0]!;
  if (e.type === 'call' && /(^|\.)path\.join$|^join$/.test(e.child('function')?.text ?? '')) {
    const { positional, keywords } = callArgs(e);
    if (positional.length < 2 || keywords.size > 0 || positional.some((a) => a.type === 'list_splat')) return undefined;
    const [first, ...rest] = positional;
    return { root: first!.text, rest: rest.length === 1 ? rest[0]!.text : `${osRef}.path.join(${rest.map((r) => r.text).join(', ')})`, pathlib: false };
  }
  if (e.type === 'binary_operator' && e.child('operator')?.text === '/') {
    const left = e.child('left');
    const right = e.child('right');
    if (!left || !right) return undefined;
    return { root: left.text, rest: right.text, pathlib: true };
  }
  return undefined;
}

/** The single assignment `name = <expr>` before `use` in its function. */
function localInit(use: PyNode): PyNode | undefined {
  let scope: PyNode | null = use.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return undefined;
  const found: PyNode[] = [];
  const visit = (n: PyNode): void => {
    if (n.type === 'assignment' && n.child('left')?.text === use.text && n.start < use.start) {
      const r = n.child('right');
      if (r) found.push(r);
    }
    for (const c of kids(n)) visit(c);
  };
  visit(scope);
  return found.length === 1 ? found[0] : undefined;
}

function brokenGuard(site: PyFixSite, flow: TaintFlow): { call: PyNode; subject: PyNode; root: PyNode } | undefined {
  const g = flow.data?.guard as { start?: unknown; end?: unknown } | undefined;
  if (!g || typeof g.start !== 'number' || typeof g.end !== 'number') return undefined;
  const node = pyNodeAtSpan(pyFixSource(site.f), site.offsets, { start: g.start, end: g.end });
  const isStartswith = (n: PyNode) => n.type === 'call' && n.child('function')?.type === 'attribute' && n.child('function')?.child('attribute')?.text === 'startswith';
  let found: PyNode | undefined;
  const visit = (n: PyNode): void => {
    if (found) return;
    if (isStartswith(n)) found = n;
    else for (const c of kids(n)) visit(c);
  };
  if (node) visit(node);
  if (!found) return undefined;
  const args = callArgs(found).positional;
  const subject = found.child('function')!.child('object');
  if (args.length !== 1 || !subject || args[0]!.type === 'tuple') return undefined;
  return { call: found, subject, root: args[0]! };
}

function helperEdits(site: PyFixSite, osRef: string, withInside: boolean): TextEdit[] {
  const names = pyTopLevelNames(site.f);
  const i = site.style.indent;
  const eol = site.style.eol;
  const q = site.style.quote;
  const blocks: string[] = [];
  if (!names.has(PY_RESOLVE_HELPER)) {
    blocks.push(
      [
        `def ${PY_RESOLVE_HELPER}(root, target):`,
        `${i}${q}${q}${q}Return target resolved inside root with symlinks followed; raise ValueError if it leaves root.${q}${q}${q}`,
        `${i}base = ${osRef}.path.realpath(root)`,
        `${i}full = ${osRef}.path.realpath(${osRef}.path.join(base, target))`,
        `${i}if ${osRef}.path.commonpath([base, full]) != base:`,
        `${i}${i}raise ValueError(f${q}{target!r} is outside the allowed folder${q})`,
        `${i}return full`,
      ].join(eol),
    );
  }
  if (withInside && !names.has(PY_INSIDE_HELPER)) {
    blocks.push(
      [
        `def ${PY_INSIDE_HELPER}(root, target):`,
        `${i}${q}${q}${q}Whether target is root itself or inside it, compared with a trailing separator.${q}${q}${q}`,
        `${i}base = ${osRef}.path.abspath(root)`,
        `${i}full = ${osRef}.path.abspath(${osRef}.path.join(base, target))`,
        `${i}return full == base or full.startswith(base + ${osRef}.sep)`,
      ].join(eol),
    );
  }
  return blocks.length > 0 ? [insertPyTopLevelDefinition(site.f, site.offsets, blocks.join(`${eol}${eol}${eol}`), site.style)] : [];
}
