import * as nodePath from 'node:path';
import * as ts from 'typescript';
import type { AnalysisHost } from '../engine';
import { accessName, isLocalSpecifier, stringValue, unwrap } from './ast';
import type { McpModel } from './mcp-model';
import { type ModuleCache, parseModule } from './module-cache';
import { kindMask, walkTsKinds } from './walk';

const { isArrowFunction, isFunctionExpression, isIdentifier, SyntaxKind } = ts;

/** Parameter types the taint analysis reads as HTTP requests (taint.ts `HTTP_REQ_TYPES`, plus hono's `Context`). */
export const SOURCE_TYPE_NAMES: ReadonlySet<string> = new Set(['Request', 'IncomingMessage', 'FastifyRequest', 'NextRequest', 'ExpressRequest', 'HonoRequest', 'Context']);
/** Methods whose callbacks the taint analysis treats as HTTP handlers (taint.ts `HTTP_ROUTE_METHODS`). */
export const HTTP_ROUTE_METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'route']);
/** First-parameter names that make an HTTP callback's parameter a request (taint.ts `analyzeCallbacks`). */
const REQUEST_PARAM = /^(?:c|ctx|context|req|request)$/;

/** The depth below which the taint analysis loads no more modules (taint.ts `loadUnit`). */
const MAX_DEPTH = 3;

const TYPE_REFS = kindMask(SyntaxKind.TypeReference);
const CALLS = kindMask(SyntaxKind.CallExpression, SyntaxKind.NewExpression);
const STRINGS = kindMask(SyntaxKind.StringLiteral, SyntaxKind.NoSubstitutionTemplateLiteral);
const CLASSES = kindMask(SyntaxKind.ClassDeclaration, SyntaxKind.ClassExpression);

/** Argument forms whose value is never a function in the taint analysis (its `ev` returns no `fn` for them). */
const NEVER_FUNCTION = new Set<ts.SyntaxKind>([
  SyntaxKind.StringLiteral,
  SyntaxKind.NoSubstitutionTemplateLiteral,
  SyntaxKind.NumericLiteral,
  SyntaxKind.TrueKeyword,
  SyntaxKind.FalseKeyword,
  SyntaxKind.NullKeyword,
  SyntaxKind.RegularExpressionLiteral,
  SyntaxKind.TemplateExpression,
  SyntaxKind.ObjectLiteralExpression,
  SyntaxKind.ArrayLiteralExpression,
  SyntaxKind.PrefixUnaryExpression,
  SyntaxKind.PostfixUnaryExpression,
  SyntaxKind.TypeOfExpression,
  SyntaxKind.VoidExpression,
  SyntaxKind.DeleteExpression,
]);

/**
 * Whether the taint analysis of `sf` (taint.ts `analyzeTaint`) can create a taint source, and so
 * report a flow; false means it cannot, and the engine skips it (issue 9: in a workspace scan
 * most files are libraries, schemas and helpers with no handler, and their analysis was a
 * third of all taint time). Cheap: the parsed tree's flat node index (shared with the rules),
 * the MCP model, and for files that name local modules, those modules' parses (the analysis'
 * own cache: a module the gate parses is not parsed again when it is imported or linted).
 *
 * Why false is safe. A flow is reported only for an origin that carries a source (`emit`
 * requires `o.src`), and every such origin descends from a value made by `sourceVal` in one of
 * three places; every other origin with a source (`access` leaves, request getters, summary
 * instantiation) is derived from an existing tainted value. The three places, and the
 * condition here that holds whenever one of them can run:
 *
 * 1. `onRegistration` -> `handlerParams`: only for a call found in the unit's `regs`, which is
 *    the MCP model's registrations other than `listTools` for the analysed file and empty for
 *    imported modules. Gate: `mcp.registrations` has one that is not `listTools`.
 * 2. `typedSource`: a parameter whose declared type is a type reference named one of
 *    `SOURCE_TYPE_NAMES` (last name of a qualified name), in a function run with the analysed
 *    file's unit. Gate: a TypeReference node with such a name in the tree.
 * 3. `analyzeCallbacks` with `isHttp`: a call or `new` in code run with the analysed file's
 *    unit, whose accessed method is in `HTTP_ROUTE_METHODS`, or whose method or callee name is
 *    `createServer`, or `on` with first argument 'request'; a source is made only for a
 *    function argument whose first parameter is named c/ctx/context/req/request or which has
 *    two or more parameters. Gate: such a call in the tree with an argument that is either such
 *    an inline function, or an expression that may evaluate to a function (anything but the
 *    literal forms in `NEVER_FUNCTION`; an identifier may hold an imported handler).
 *
 * "Run with the analysed file's unit" is not only the analysed file's own code: taint.ts
 * `construct` and `methodOf` run a class's constructor, field initialisers and methods with
 * the unit of the code that instantiates it or calls the method, so a class declared in an
 * imported module and used from the analysed file runs there as the analysed file's code
 * (with conditions 2 and 3 checked against that module's nodes). Gate: the analysed file
 * names a local module (a string literal whose value is a local specifier: every import,
 * export-from, require() and import() the analysis follows has one), and a module reachable
 * from it has a class (declaration or expression) with condition 2 or 3 in its subtree.
 * Reachable: each specifier of each module visited is resolved as taint.ts `loadUnit` does
 * (same candidates, in order, the first that the host reads and `parseModule` accepts; the
 * same `modules` cache), breadth first to `loadUnit`'s depth limit, so every module the
 * analysis loads is visited, at a depth no greater than the analysis loads it at.
 *
 * Timeouts and internal errors of an analysis that is skipped are not reported: those are not
 * results of the file but of the time budget or a bug, and a skipped analysis has neither.
 */
export function mayHaveTaintSources(file: string, sf: ts.SourceFile, mcp: McpModel, host: AnalysisHost, modules?: ModuleCache): boolean {
  if (mcp.registrations.some((r) => r.idiom !== 'listTools')) return true;
  if (hasSourceType(sf) || hasHttpCallback(sf)) return true;
  const specs = localSpecifiers(sf);
  return specs.length > 0 && loadsSourceClass(file, specs, host, modules);
}

function hasSourceType(root: ts.Node): boolean {
  let found = false;
  walkTsKinds(root, TYPE_REFS, (n) => {
    const tn = (n as ts.TypeReferenceNode).typeName;
    if (SOURCE_TYPE_NAMES.has(isIdentifier(tn) ? tn.text : tn.right.text)) found = true;
    return !found;
  });
  return found;
}

function hasHttpCallback(root: ts.Node): boolean {
  let found = false;
  walkTsKinds(root, CALLS, (n) => {
    if (!found && isHttpCall(n as ts.CallExpression | ts.NewExpression)) found = true;
    return !found;
  });
  return found;
}

/** Condition 3 for one call (taint.ts `analyzeCallbacks`' `isHttp` and parameter test). */
function isHttpCall(call: ts.CallExpression | ts.NewExpression): boolean {
  const args = call.arguments;
  if (!args || args.length === 0) return false;
  const callee = unwrap(call.expression);
  const method = ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? accessName(callee) : undefined;
  const name = method ?? (isIdentifier(callee) ? callee.text : '');
  const http = (method !== undefined && HTTP_ROUTE_METHODS.has(method)) || name === 'createServer' || (method === 'on' && stringValue(args[0]) === 'request');
  if (!http) return false;
  for (const arg of args) {
    const a = unwrap(arg);
    if (isArrowFunction(a) || isFunctionExpression(a)) {
      const p0 = a.parameters[0];
      if (p0 && (a.parameters.length >= 2 || (isIdentifier(p0.name) && REQUEST_PARAM.test(p0.name.text)))) return true;
    } else if (!NEVER_FUNCTION.has(a.kind)) {
      return true;
    }
  }
  return false;
}

/** Resolved candidates per folder and specifier: every file importing a module resolves the same few. */
const resolved = new Map<string, readonly string[]>();

/**
 * The candidate files of an import, in taint.ts `loadUnit`'s order (the specifier itself only
 * when it names a script file, as there).
 */
function candidates(fromFile: string, spec: string): readonly string[] {
  const dir = nodePath.dirname(fromFile);
  const key = `${dir}\0${spec}`;
  let list = resolved.get(key);
  if (!list) {
    const base = nodePath.resolve(dir, spec);
    const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
    const all = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${stem}.js`, `${stem}.mjs`, `${stem}.cjs`, nodePath.join(base, 'index.ts'), nodePath.join(base, 'index.js')];
    list = /\.[cm]?[jt]sx?$/.test(base) ? all : all.slice(1);
    if (resolved.size >= 10_000) resolved.clear();
    resolved.set(key, list);
  }
  return list;
}

/** What the gate needs of a module, kept per parse. */
interface ModuleFacts {
  /** A class in the module holds a source idiom (conditions 2 or 3 in its subtree). */
  readonly sourceClass: boolean;
  /** Its local module specifiers. */
  readonly specs: readonly string[];
}

const factsOf = new WeakMap<ts.SourceFile, ModuleFacts>();

function moduleFacts(sf: ts.SourceFile): ModuleFacts {
  let facts = factsOf.get(sf);
  if (!facts) {
    let sourceClass = false;
    walkTsKinds(sf, CLASSES, (cls) => {
      if (!sourceClass && (hasSourceType(cls) || hasHttpCallback(cls))) sourceClass = true;
      return false;
    });
    facts = { sourceClass, specs: localSpecifiers(sf) };
    factsOf.set(sf, facts);
  }
  return facts;
}

/** The values of the string literals in the tree that are local module specifiers. */
function localSpecifiers(root: ts.Node): string[] {
  const specs: string[] = [];
  walkTsKinds(root, STRINGS, (n) => {
    const text = (n as ts.StringLiteral).text;
    if (isLocalSpecifier(text)) specs.push(text);
  });
  return specs;
}

/**
 * Whether a module the analysis of `file` could load (to taint.ts' depth limit) declares a
 * class with a source idiom. Each specifier resolves as in `loadUnit`: to a module already
 * visited, or else to the first candidate the host reads and `parseModule` accepts. The parses
 * are the analysis' own (`modules`), so a module parsed here is not parsed again by the
 * analysis, nor by the engine when it lints that file.
 */
function loadsSourceClass(file: string, specs: readonly string[], host: AnalysisHost, modules: ModuleCache | undefined): boolean {
  const seen = new Set<string>([nodePath.resolve(file)]);
  let level: { file: string; specs: readonly string[] }[] = [{ file, specs }];
  for (let depth = 1; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: { file: string; specs: readonly string[] }[] = [];
    for (const from of level) {
      for (const spec of from.specs) {
        for (const c of candidates(from.file, spec)) {
          if (seen.has(c)) break;
          const text = host.readFile(c);
          if (text === undefined) continue;
          const parsed = modules ? modules.parse(c, text) : parseModule(c, text);
          if (!parsed) continue;
          seen.add(c);
          const facts = moduleFacts(parsed.sf);
          if (facts.sourceClass) return true;
          if (depth < MAX_DEPTH && facts.specs.length > 0) next.push({ file: c, specs: facts.specs });
          break;
        }
      }
    }
    level = next;
  }
  return false;
}
