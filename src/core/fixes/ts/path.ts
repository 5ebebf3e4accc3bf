import * as ts from 'typescript';
import type { TaintFlow } from '../../rule';
import type { McpModel } from '../../ts/mcp-model';
import type { FixProposal, TextEdit } from '../../types';
import { mergeInsertions } from '../edits';
import { formatBlock } from '../style';
import { declaredNames, ensureTsImports, ensureTsNamespace, insertTopLevelDeclaration, nodeAtSpan, type TsFixFile } from '../ts-imports';
import { tsSchemaSuggestion } from './schema';
import { callAt, constInitializer, isTypeScript, src, tsSite, unwrap, type TsFixSite } from './common';

export const RESOLVE_HELPER = 'resolveInsideRoot';
export const INSIDE_HELPER = 'isInsideRoot';

/**
 * Fixes for `no-path-traversal` flows in TS/JS: the sink's path goes through a helper (inserted
 * once per file, reused after) that resolves it against the allowed root, follows symlinks with
 * realpath and checks `root + path.sep`; the root is taken from `path.join/resolve(root, ...)`
 * (directly or via a const), from a broken `startsWith(root)` guard, else the working folder.
 * A broken `x.startsWith(root)` guard is rewritten to the separator-aware helper too.
 * A suggestion (paths outside the root now throw).
 */
export function tsPathFixes(flow: TaintFlow, f: TsFixFile & { readonly mcp?: McpModel }): FixProposal[] {
  // A mail attachment's `path` field (nodemailer): no path argument to confine in place.
  if (flow.data?.attachment) return tsSchemaSuggestion(flow, f);
  const site = tsSite(flow, f);
  if (!site) return [];
  const call = callAt(site.sink);
  const arg = site.arg ?? call?.arguments[0];
  if (!arg) return [];
  // Already routed through the helper: nothing left to offer (keeps fixes idempotent).
  const inner = unwrap(arg);
  if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === RESOLVE_HELPER) return [];
  const edits: TextEdit[] = [];
  const pathNs = ensureTsNamespace(f, 'node:path', 'path', site.style);
  const guard = brokenGuard(site, flow);
  let root: string | undefined;
  let target = src(f, arg);
  const joined = rootAndRest(site, arg, pathNs.ref);
  if (joined) {
    root = joined.root;
    target = joined.rest;
  } else {
    const bare = unwrap(arg);
    if (ts.isIdentifier(bare)) {
      const origin = constInitializer(f, bare);
      const viaConst = origin && rootAndRest(site, origin.init, pathNs.ref);
      if (viaConst) root = viaConst.root;
    }
  }
  if (!root && guard) root = src(f, guard.root);
  const byCwd = !root;
  root ??= 'process.cwd()';

  const helpers = helperEdits(site, pathNs.ref, !!guard);
  edits.push(...pathNs.edits, ...helpers);
  edits.push({ file: f.file, span: { start: arg.getStart(f.sourceFile), end: arg.end }, text: `${RESOLVE_HELPER}(${root}, ${target})` });
  if (guard) edits.push({ file: f.file, span: { start: guard.call.getStart(f.sourceFile), end: guard.call.end }, text: `${INSIDE_HELPER}(${src(f, guard.root)}, ${src(f, guard.subject)})` });
  const title = byCwd
    ? `Confine the path to the working folder with '${RESOLVE_HELPER}' (resolves symlinks)`
    : `Confine the path to '${root}' with '${RESOLVE_HELPER}' (resolves symlinks)`;
  return [{ kind: 'suggestion', title, edits: mergeInsertions(edits), preferred: true }, ...tsSchemaSuggestion(flow, f)];
}

/** `path.join(root, a, b)` / `path.resolve(root, a)` / `join(root, a)`: the root and the rest as one path. */
function rootAndRest(site: TsFixSite, e: ts.Expression, pathRef: string): { root: string; rest: string } | undefined {
  const u = unwrap(e);
  if (!ts.isCallExpression(u) || u.arguments.length < 2) return undefined;
  const callee = src(site.f, u.expression);
  if (!/(^|\.)(join|resolve)$/.test(callee) || !/^(path\.|path$|join$|resolve$|\w+\.)/.test(callee)) return undefined;
  if (u.arguments.some((a) => ts.isSpreadElement(a))) return undefined;
  const [first, ...rest] = u.arguments;
  const restText = rest.length === 1 ? src(site.f, rest[0]!) : `${pathRef}.join(${rest.map((r) => src(site.f, r)).join(', ')})`;
  return { root: src(site.f, first!), rest: restText };
}

/** The `subject.startsWith(root)` call the engine flagged as a broken check, if any. */
function brokenGuard(site: TsFixSite, flow: TaintFlow): { call: ts.CallExpression; subject: ts.Expression; root: ts.Expression } | undefined {
  const g = flow.data?.guard as { start?: unknown; end?: unknown } | undefined;
  if (!g || typeof g.start !== 'number' || typeof g.end !== 'number') return undefined;
  const node = nodeAtSpan(site.f.sourceFile, { start: g.start, end: g.end });
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'startsWith' && n.arguments.length === 1) found = n;
    else ts.forEachChild(n, visit);
  };
  if (node) visit(node);
  let up: ts.Node | undefined = node;
  while (!found && up && !ts.isStatement(up)) {
    if (ts.isCallExpression(up) && ts.isPropertyAccessExpression(up.expression) && up.expression.name.text === 'startsWith') found = up;
    up = up.parent;
  }
  if (!found) return undefined;
  return { call: found, subject: (found.expression as ts.PropertyAccessExpression).expression, root: found.arguments[0]! };
}

/** The helper declarations (and their fs import), unless the file already has them. */
function helperEdits(site: TsFixSite, pathRef: string, withInside: boolean): TextEdit[] {
  const f = site.f;
  const taken = declaredNames(f.sourceFile);
  const typed = isTypeScript(f);
  const t = (s: string) => (typed ? s : '');
  const semi = site.style.semi ? ';' : '';
  const q = site.style.quote;
  const edits: TextEdit[] = [];
  const blocks: string[] = [];
  if (!taken.has(RESOLVE_HELPER)) {
    const fs = ensureTsImports(f, 'node:fs', ['existsSync', 'realpathSync'], site.style);
    edits.push(...fs.edits);
    const real = fs.refs.realpathSync!;
    const exists = fs.refs.existsSync!;
    blocks.push(
      formatBlock(
        [
          `/** \`target\` resolved inside \`root\` with symlinks followed; throws when it would leave \`root\`. */`,
          `function ${RESOLVE_HELPER}(root${t(': string')}, target${t(': string')})${t(': string')} {`,
          `  const base = ${real}(${pathRef}.resolve(root))${semi}`,
          `  const full = ${pathRef}.resolve(base, target)${semi}`,
          `  // A file about to be created has no real path yet: resolve its folder instead.`,
          `  const real = ${exists}(full) ? ${real}(full) : ${pathRef}.join(${real}(${pathRef}.dirname(full)), ${pathRef}.basename(full))${semi}`,
          `  if (!real.startsWith(base + ${pathRef}.sep)) {`,
          `    throw new Error(\`${q === '"' ? '"${target}"' : "'${target}'"} is outside the allowed folder\`)${semi}`,
          `  }`,
          `  return real${semi}`,
          `}`,
        ],
        site.style,
      ),
    );
  }
  if (withInside && !taken.has(INSIDE_HELPER)) {
    blocks.push(
      formatBlock(
        [
          `/** Whether \`target\` is \`root\` itself or inside it, compared with a trailing separator. */`,
          `function ${INSIDE_HELPER}(root${t(': string')}, target${t(': string')})${t(': boolean')} {`,
          `  const base = ${pathRef}.resolve(root)${semi}`,
          `  const full = ${pathRef}.resolve(base, target)${semi}`,
          `  return full === base || full.startsWith(base + ${pathRef}.sep)${semi}`,
          `}`,
        ],
        site.style,
      ),
    );
  }
  if (blocks.length > 0) edits.push(insertTopLevelDeclaration(f, blocks.join(`${site.style.eol}${site.style.eol}`), site.style));
  return edits;
}
