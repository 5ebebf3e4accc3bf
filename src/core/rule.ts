import * as nodePath from 'node:path';
import type { LineMap } from './text';
import type { FixProposal, FlowStep, Language, Precision, Severity, Span } from './types';

/** Where rule documentation lives; `docsUrl` is derived from the id so the two cannot drift. */
export const DOCS_BASE_URL = 'https://github.com/mcp-warden/mcp-warden/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

/**
 * Kinds of tainted flow. A language engine knows, per kind, which calls are sinks and which
 * checks are sanitizers (the "Customizations" of that vulnerability); a rule names the kinds
 * it reports.
 */
export type TaintKind =
  | 'command' // shell command strings
  | 'argument' // option injection into argv of git/kubectl/...
  | 'sql'
  | 'path'
  | 'timing' // secret compared with attacker data by a non-constant-time operator
  | 'ssrf'
  | 'code' // eval / Function / vm / exec
  | (string & {});

export interface RuleMeta {
  /** kebab-case, e.g. `no-command-injection`. */
  readonly id: string;
  /** "Disallow ..." or "Require ...". Must equal the first paragraph of the rule's doc page. */
  readonly description: string;
  readonly cwe: readonly number[];
  readonly severity: Severity;
  readonly precision: Precision;
  readonly languages: readonly Language[];
  /** `fix` only when every offered rewrite preserves behaviour; otherwise `suggestion`. */
  readonly fixable?: 'fix' | 'suggestion';
  /** Extra SARIF tags beside `security` and the CWE tags. */
  readonly tags?: readonly string[];
}

/** A source-to-sink flow found by a language engine, handed to the rule to word. */
export interface TaintFlow {
  readonly kind: TaintKind;
  /**
   * The sink's range (what gets underlined): the whole call expression for call sinks
   * (`exec(\`ls ${dir}\`)`), the whole binary expression for comparisons (`a === b`).
   */
  readonly sinkSpan: Span;
  /** The tainted argument or operand inside the sink, where there is one. */
  readonly argSpan?: Span;
  /** Display name of the sink, e.g. `exec`, `db.prepare`, `fs.readFile`, `===`. */
  readonly sinkName: string;
  /** Display name of the source, e.g. `host` for a tool argument. */
  readonly sourceName: string;
  /** What the source is, e.g. "tool argument", "request header", "prompt argument". */
  readonly sourceKind: string;
  /** Path from source to sink, source first. */
  readonly steps: readonly FlowStep[];
  /** Engine-specific facts a rule may use in its message or fix (e.g. `{ shell: true }`). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** What a rule or engine reports; the linter turns it into a Finding. */
export interface Report {
  readonly span: Span;
  readonly message: string;
  readonly flow?: readonly FlowStep[];
  readonly fixes?: readonly FixProposal[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** What every engine gives a rule's syntactic check. Engines extend it (see EngineContexts). */
export interface BaseContext {
  readonly file: string;
  readonly text: string;
  readonly language: Language;
  readonly lines: LineMap;
  report(report: Report): void;
}

/**
 * Engine-specific rule contexts, keyed by engine id. Each engine augments this interface
 * (`declare module '../rule' { interface EngineContexts { typescript: TsContext } }`), so a
 * rule's `check.typescript` receives the TypeScript engine's full context, typed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EngineContexts {}

export type EngineId = 'typescript' | 'python';

export interface RuleDefinition {
  readonly meta: RuleMeta;
  /** Taint rules: the kinds of flow this rule reports, and how to word one. */
  readonly taint?: {
    readonly kinds: readonly TaintKind[];
    message(flow: TaintFlow): string;
    /**
     * Fixes for a flow, one builder per engine; the engine that found the flow calls its
     * builder with its own context (so a builder can walk that engine's syntax tree).
     */
    readonly fix?: { readonly [K in keyof EngineContexts]?: (flow: TaintFlow, ctx: EngineContexts[K]) => readonly FixProposal[] };
  };
  /** Syntactic or semantic checks, one per engine that supports the rule. */
  readonly check?: { readonly [K in keyof EngineContexts]?: (ctx: EngineContexts[K]) => void };
}

export interface Rule extends RuleDefinition {
  readonly docsUrl: string;
}

/** Defines a rule; the docs URL is derived from the id (typescript-eslint's createRule). */
export function createRule(def: RuleDefinition): Rule {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(def.meta.id)) {
    throw new Error(`rule id '${def.meta.id}' is not kebab-case`);
  }
  if (!/^(Disallow|Require) /.test(def.meta.description)) {
    throw new Error(`rule '${def.meta.id}': description must start with "Disallow" or "Require"`);
  }
  return { ...def, docsUrl: docsUrl(def.meta.id) };
}

/**
 * A taint rule's message for a flow. A flow whose sink is in another file is reported at the
 * call in the analysed file that leads there, where several tools behind one dispatching call
 * (`handleToolCall(name, args)`, a registration loop) share one place: the message names the
 * other files the path runs through before the sink's (the tool's handler, its helpers; the
 * sink's own file when the call goes there directly), relative to the analysed file's folder,
 * so that such findings read apart. No lines: a baseline keeps matching while those files change.
 */
export function taintMessage(rule: Rule, flow: TaintFlow, file: string): string {
  const message = rule.taint!.message(flow);
  // The sink's own step: the first to pass the value to it (a path through a dispatcher repeats
  // the sink's label at each call on its way back out).
  const label = `passed to '${flow.sinkName}'`;
  const sink = (flow.steps.find((st) => st.message === label) ?? flow.steps[flow.steps.length - 1])?.location.file;
  if (sink === undefined || sink === file) return message;
  const files: string[] = [];
  for (const st of flow.steps) {
    const f = st.location.file;
    if (f !== file && f !== sink && !files.includes(f)) files.push(f);
  }
  if (files.length === 0) files.push(sink);
  const dir = nodePath.dirname(file);
  const shown = files.map((f) => nodePath.relative(dir, f).split(nodePath.sep).join('/'));
  return `${message.replace(/\.$/, '')} (through ${shown.join(', ')}).`;
}
