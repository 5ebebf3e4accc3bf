import * as ts from 'typescript';
import type { TaintFlow } from '../../rule';
import type { McpModel } from '../../ts/mcp-model';
import type { FixProposal, TextEdit } from '../../types';
import { END_OF_OPTIONS, literalWord, markerIndex, programName, splitShellWords, type Piece, type Word } from '../shell';
import { quoteJs } from '../style';
import { declaredNames, ensureTsImports, type TsFixFile } from '../ts-imports';
import { withoutUnused } from './cleanup';
import { tsSchemaSuggestion } from './schema';
import { callAt, constInitializer, countInScope, segmentsOf, src, tsSite, unwrap, type Segment, type TsFixSite } from './common';
import { nameTable } from '../../tables';

/** Shells whose `-c` script can be replaced by the program and arguments it runs. */
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

/** exec-style functions that run a shell command, and their argv-taking counterpart. */
const ARGV_FORM: Readonly<Record<string, string>> = nameTable({ exec: 'execFile', execSync: 'execFileSync' });

/**
 * Fixes for `no-command-injection` flows in TS/JS:
 * - kind `command`: `exec(\`git log ${ref}\`)` -> `execFile('git', ['log', '--end-of-options', ref])`
 *   (execSync -> execFileSync; a promisified exec gets a promisified execFile declared next to
 *   it; `spawn(..., { shell: true })` loses the shell option and gets an argument array);
 * - kind `argument`: an end-of-options marker inserted before the first user value.
 * All are suggestions (no shell means no globbing, pipes or variables any more), preferred.
 */
export function tsCommandFixes(flow: TaintFlow, f: TsFixFile & { readonly mcp?: McpModel }): FixProposal[] {
  const site = tsSite(flow, f);
  if (!site) return [];
  const call = callAt(site.sink);
  if (!call) return [];
  // A command line for a shell on a device or a remote host (`adb shell`, `ssh`): no local rewrite removes that shell.
  const remote = flow.data?.remote !== undefined;
  const main = remote ? [] : flow.kind === 'argument' ? argumentFix(site, call) : commandFix(flow, site, call).map((p) => withoutLeftovers(f, p, calleeName(call)));
  return [...main, ...tsSchemaSuggestion(flow, f)];
}

/**
 * The proposal with imports and `promisify` wrappers it left unused removed (exec, execSync,
 * `const execAsync = promisify(exec)`), re-expressed as minimal edits of the original text.
 */
function withoutLeftovers(f: TsFixFile, p: FixProposal, callee: string | undefined): FixProposal {
  if (!callee) return p;
  return { ...p, edits: withoutUnused(f, p.edits, [callee]) };
}

function calleeName(call: ts.CallExpression): string | undefined {
  const c = call.expression;
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

/** `const execAsync = promisify(exec)`: the declaration behind a promisified callee. */
function promisifiedOrigin(f: TsFixFile, name: string): { decl: ts.VariableStatement; promisify: string; inner: ts.Expression } | undefined {
  for (const s of f.sourceFile.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer) continue;
      const init = unwrap(d.initializer);
      if (ts.isCallExpression(init) && /(^|\.)promisify$/.test(init.expression.getText(f.sourceFile)) && init.arguments.length === 1) {
        return { decl: s, promisify: init.expression.getText(f.sourceFile), inner: init.arguments[0]! };
      }
    }
  }
  return undefined;
}

/** A const already declared as `promisify(<fn>)` for this function reference. */
function existingPromisified(f: TsFixFile, fnRef: string): string | undefined {
  for (const s of f.sourceFile.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      const init = d.initializer && unwrap(d.initializer);
      if (ts.isIdentifier(d.name) && init && ts.isCallExpression(init) && /(^|\.)promisify$/.test(init.expression.getText(f.sourceFile)) && init.arguments[0]?.getText(f.sourceFile) === fnRef) {
        return d.name.text;
      }
    }
  }
  return undefined;
}

function freshName(f: TsFixFile, base: string): string {
  const taken = declaredNames(f.sourceFile);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** JS source of one argv word: a string literal, the value itself, or a template joining them. */
function renderWord(site: TsFixSite, w: Word<ts.Expression>): string {
  const lit = literalWord(w);
  if (lit !== undefined) return quoteJs(lit, site.style);
  if (w.length === 1 && 'value' in w[0]!) return src(site.f, w[0].value);
  const body = w
    .map((p) => ('text' in p ? p.text.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${') : `\${${src(site.f, p.value)}}`))
    .join('');
  return `\`${body}\``;
}

/** The argv words of a command expression (following one const it was assigned to). */
function commandWords(site: TsFixSite, cmd: ts.Expression): { words: Word<ts.Expression>[]; removeDecl?: ts.VariableDeclaration } | undefined {
  let segs = segmentsOf(cmd);
  let removeDecl: ts.VariableDeclaration | undefined;
  const bare = unwrap(cmd);
  if (!segs && ts.isIdentifier(bare)) {
    const origin = constInitializer(site.f, bare);
    if (!origin) return undefined;
    segs = segmentsOf(origin.init);
    // Declaration + this use and nothing else: the declaration goes away with the rewrite.
    if (segs && countInScope(origin.decl, bare.text) === 2) removeDecl = origin.decl;
  }
  if (!segs || !segs.some((s) => 'expr' in s)) return undefined;
  const pieces: Piece<ts.Expression>[] = segs.map((s: Segment) => ('text' in s ? { text: s.text } : { value: s.expr }));
  const words = splitShellWords(pieces);
  if (!words || words.length === 0 || literalWord(words[0]!) === undefined || literalWord(words[0]!) === '') return undefined;
  return { words, ...(removeDecl ? { removeDecl } : {}) };
}

/** Rendered arguments after the program, with the end-of-options marker where it is safe. */
function argvSource(site: TsFixSite, program: string, args: readonly Word<ts.Expression>[]): string[] {
  const rendered = args.map((w) => renderWord(site, w));
  const at = markerIndex(
    program,
    args.map((w) => w.some((p) => 'value' in p)),
    args.map((w) => literalWord(w)),
  );
  if (at !== undefined) rendered.splice(at, 0, quoteJs(END_OF_OPTIONS[programName(program)]!, site.style));
  return rendered;
}

/** Removes `shell: ...` from an options object literal; the whole argument when nothing else is left. */
function withoutShell(site: TsFixSite, call: ts.CallExpression, optIndex: number): { edits: TextEdit[]; removed: boolean } {
  const opt = call.arguments[optIndex];
  if (!opt || !ts.isObjectLiteralExpression(opt)) return { edits: [], removed: false };
  const props = opt.properties;
  const i = props.findIndex((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'shell');
  if (i < 0) return { edits: [], removed: false };
  const sf = site.f.sourceFile;
  if (props.length === 1) {
    const prevEnd = call.arguments[optIndex - 1]!.end;
    const end = optIndex + 1 < call.arguments.length ? call.arguments[optIndex + 1]!.getStart(sf) : opt.end;
    const span = optIndex + 1 < call.arguments.length ? { start: opt.getStart(sf), end } : { start: prevEnd, end: opt.end };
    return { edits: [{ file: site.f.file, span, text: '' }], removed: true };
  }
  const p = props[i]!;
  const span = i + 1 < props.length ? { start: p.getStart(sf), end: props[i + 1]!.getStart(sf) } : { start: props[i - 1]!.end, end: p.end };
  return { edits: [{ file: site.f.file, span, text: '' }], removed: false };
}

function commandFix(flow: TaintFlow, site: TsFixSite, call: ts.CallExpression): FixProposal[] {
  const f = site.f;
  const name = calleeName(call);
  if (!name) return [];
  const cmd = call.arguments[0];
  if (!cmd) return [];
  const edits: TextEdit[] = [];

  // spawn/execFile/... with { shell: true }: drop the shell, split a command string if needed.
  if (!ARGV_FORM[name] && !promisifiedOrigin(f, name)) {
    // spawn('sh', ['-c', `git log ${ref}`]): the script becomes the program and its arguments.
    const prog0 = unwrap(cmd);
    const arr0 = call.arguments[1] && unwrap(call.arguments[1]);
    if (ts.isStringLiteralLike(prog0) && SHELLS.has(programName(prog0.text)) && arr0 && ts.isArrayLiteralExpression(arr0) && arr0.elements.length === 2) {
      const [flag, script] = arr0.elements;
      if (!flag || !ts.isStringLiteralLike(flag) || flag.text !== '-c' || !script) return [];
      const split = commandWords(site, script);
      if (!split) return [];
      const [program, ...args] = split.words;
      const prog = literalWord(program!)!;
      edits.push({ file: f.file, span: { start: cmd.getStart(f.sourceFile), end: arr0.end }, text: `${quoteJs(prog, site.style)}, [${argvSource(site, prog, args).join(', ')}]` });
      if (split.removeDecl) edits.push(removeDeclaration(f, split.removeDecl));
      edits.push(...withoutShell(site, call, 2).edits);
      return [{ kind: 'suggestion', title: `Run '${prog}' directly instead of '${prog0.text} -c'`, edits, preferred: true }];
    }
    const hasArgs = call.arguments[1] && ts.isArrayLiteralExpression(unwrap(call.arguments[1]));
    const optIndex = hasArgs ? 2 : 1;
    const shell = withoutShell(site, call, optIndex);
    if (shell.edits.length === 0) return [];
    edits.push(...shell.edits);
    if (!hasArgs) {
      const split = commandWords(site, cmd);
      if (!split) return [];
      const [program, ...args] = split.words;
      const prog = literalWord(program!)!;
      edits.push({ file: f.file, span: { start: cmd.getStart(f.sourceFile), end: cmd.end }, text: `${quoteJs(prog, site.style)}, [${argvSource(site, prog, args).join(', ')}]` });
      if (split.removeDecl) edits.push(removeDeclaration(f, split.removeDecl));
    }
    return [{ kind: 'suggestion', title: `Run '${name}' without a shell`, edits, preferred: true }];
  }

  // exec -> execFile exists only in child_process (shelljs's exec has no argv form).
  const mod = typeof flow.data?.module === 'string' ? flow.data.module : 'child_process';
  if (mod.replace(/^node:/, '') !== 'child_process') return [];
  const split = commandWords(site, cmd);
  if (!split) return [];
  const [program, ...args] = split.words;
  const prog = literalWord(program!)!;
  let callee: string;
  const origin = promisifiedOrigin(f, name);
  if (origin) {
    // `const execAsync = promisify(exec)`: call a promisified execFile, declared once next to it.
    const innerName = ts.isPropertyAccessExpression(origin.inner) ? origin.inner.name.text : origin.inner.getText(f.sourceFile);
    const target = ARGV_FORM[innerName] ?? (innerName === 'execFile' ? 'execFile' : undefined);
    if (!target) return [];
    let fnRef: string;
    if (ts.isPropertyAccessExpression(origin.inner)) {
      fnRef = `${origin.inner.expression.getText(f.sourceFile)}.${target}`;
    } else {
      const imp = ensureTsImports(f, 'node:child_process', [target], site.style);
      fnRef = imp.refs[target]!;
      edits.push(...imp.edits);
    }
    const existing = existingPromisified(f, fnRef);
    if (existing) {
      callee = existing;
    } else {
      callee = freshName(f, `${target}Async`);
      const decl = `const ${callee} = ${origin.promisify}(${fnRef})${site.style.semi ? ';' : ''}`;
      edits.push({ file: f.file, span: { start: origin.decl.end, end: origin.decl.end }, text: `${site.style.eol}${decl}` });
    }
  } else {
    const target = ARGV_FORM[name]!;
    if (ts.isPropertyAccessExpression(call.expression)) {
      callee = `${call.expression.expression.getText(f.sourceFile)}.${target}`;
    } else {
      const imp = ensureTsImports(f, 'node:child_process', [target], site.style);
      callee = imp.refs[target]!;
      edits.push(...imp.edits);
    }
  }
  // An options object keeps its settings, except `shell`, which would bring the shell back.
  const rest = call.arguments.slice(1).map((a) => {
    const u = unwrap(a);
    if (!ts.isObjectLiteralExpression(u)) return a.getText(f.sourceFile);
    const kept = u.properties.filter((p) => !(p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'shell'));
    if (kept.length === u.properties.length) return a.getText(f.sourceFile);
    return kept.length === 0 ? '{}' : `{ ${kept.map((p) => p.getText(f.sourceFile)).join(', ')} }`;
  });
  const argList = [quoteJs(prog, site.style), `[${argvSource(site, prog, args).join(', ')}]`, ...rest];
  const typeArgs = call.typeArguments ? `<${call.typeArguments.map((t) => t.getText(f.sourceFile)).join(', ')}>` : '';
  edits.push({ file: f.file, span: { start: call.getStart(f.sourceFile), end: call.end }, text: `${callee}${typeArgs}(${argList.join(', ')})` });
  if (split.removeDecl) edits.push(removeDeclaration(f, split.removeDecl));
  return [{ kind: 'suggestion', title: `Run '${prog}' with '${callee.replace(/^.*\./, '')}' and an argument array, without a shell`, edits, preferred: true }];
}

/** Removes a `const x = ...;` statement (with its line) or one declarator of several. */
function removeDeclaration(f: TsFixFile, decl: ts.VariableDeclaration): TextEdit {
  const list = decl.parent as ts.VariableDeclarationList;
  const stmt = list.parent;
  const sf = f.sourceFile;
  if (list.declarations.length === 1 && ts.isVariableStatement(stmt)) {
    const text = f.text;
    let start = stmt.getStart(sf);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (text.slice(lineStart, start).trim() === '') start = lineStart;
    let end = stmt.end;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    return { file: f.file, span: { start, end }, text: '' };
  }
  const i = list.declarations.indexOf(decl);
  const span = i + 1 < list.declarations.length
    ? { start: decl.getStart(sf), end: list.declarations[i + 1]!.getStart(sf) }
    : { start: list.declarations[i - 1]!.end, end: decl.end };
  return { file: f.file, span, text: '' };
}

/** `execFile('git', ['clone', url])` -> `execFile('git', ['clone', '--end-of-options', url])`. */
function argumentFix(site: TsFixSite, call: ts.CallExpression): FixProposal[] {
  const f = site.f;
  const progNode = call.arguments[0] && unwrap(call.arguments[0]);
  const arr = call.arguments[1] && unwrap(call.arguments[1]);
  if (!progNode || !ts.isStringLiteralLike(progNode) || !arr || !ts.isArrayLiteralExpression(arr)) return [];
  const program = progNode.text;
  const els = arr.elements;
  const literal = els.map((e) => (ts.isStringLiteralLike(e) ? e.text : undefined));
  const isValue = els.map((e) => !ts.isStringLiteralLike(e));
  const at = markerIndex(program, isValue, literal);
  if (at === undefined) return [];
  const marker = END_OF_OPTIONS[programName(program)]!;
  const pos = els[at]!.getStart(f.sourceFile);
  return [
    {
      kind: 'suggestion',
      title: `Insert '${marker}' before the first user value`,
      edits: [{ file: f.file, span: { start: pos, end: pos }, text: `${quoteJs(marker, site.style)}, ` }],
      preferred: true,
    },
  ];
}
