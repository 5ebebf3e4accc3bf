import * as ts from 'typescript';
import { performance } from 'node:perf_hooks';
import type { Engine, EngineInput, EngineOutput, EngineRunOptions, RuleReport } from '../engine';
import type { BaseContext, Report, Rule, TaintFlow } from '../rule';
import { taintMessage } from '../rule';
import { commonEnds, LineMap } from '../text';
import type { FileProblem, FixProposal } from '../types';
import { buildMcpModel, type McpModel } from './mcp-model';
import { localModuleCandidates, ModuleCache, PARSE_OPTIONS, scriptKindOf } from './module-cache';
import { GuardScan } from './parse-guard';
import { PathAliases } from './path-aliases';
import { isLocalSpecifier } from './ast';
import { mayHaveTaintSources } from './source-gate';
import { analyzeTaint } from './taint';
import { TaintCache } from './taint-cache';
import { detachNewTexts, setParents, succeed } from './walk';

/** What a rule's `check.typescript` (and a taint rule's TypeScript fix builder) receives. */
export interface TsContext extends BaseContext {
  readonly sourceFile: ts.SourceFile;
  /** The file's MCP servers, registrations, parameters, handlers and transports. */
  readonly mcp: McpModel;
  /**
   * The tree of the local module an import specifier of this file (or of `from`, a module loaded
   * this way) names (`./helpers/x.js`, a tsconfig path alias `~/x`, a package of the file's
   * monorepo `@org/core`), read through the analysis host (an open editor's text first) and
   * parsed once per text; undefined for other packages, when it is missing, or when the parser
   * could hang on it.
   */
  readonly loadLocalModule?: (spec: string, from?: string) => ts.SourceFile | undefined;
}

declare module '../rule' {
  interface EngineContexts {
    typescript: TsContext;
  }
}

/**
 * Parses a file with the TypeScript compiler's parser (no type checker, no program), with
 * every node's `parent` set: by the walk that builds the tree's flat node array
 * (`setParents`), not by the parser's own extra pass over the tree.
 */
export function parseTs(file: string, text: string): ts.SourceFile {
  const sf = ts.createSourceFile(file, text, PARSE_OPTIONS, false, scriptKindOf(file));
  setParents(sf);
  return sf;
}

/** The edit that turns `before` into `after`: their common prefix and suffix left out. */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const { prefix, suffix } = commonEnds(before, after);
  return ts.createTextChangeRange(ts.createTextSpan(prefix, before.length - prefix - suffix), after.length - prefix - suffix);
}

/** One step of an edit: the text after it, and its range in the text before it. */
export interface EditStep {
  readonly text: string;
  readonly range: ts.TextChangeRange;
}

/** Past this many characters changed, one range is tried as two edits (`editSteps`). */
const SPLIT_AT = 2048;
/** The largest first edit `editSteps` looks for, in characters removed and inserted. */
const MAX_FIRST_EDIT = 24;
/** Characters after a first edit that must agree before the rest is taken for a second edit. */
const AGREE = 48;

/**
 * The edits that turn `before` into `after`, for the incremental parser: one range (common
 * prefix and suffix left out), or two when the text changed in two places far apart and the
 * first change is small (typing in one place, then in another, between two analyses; an edit
 * undone here and made there). One range would span all the text between the two places and
 * make the parser re-parse it all, or the engine parse the file afresh; two small ranges, each
 * applied with `ts.updateSourceFile`, keep every node between them. `splitAt`: the change (in
 * characters removed plus inserted) from which two steps are looked for (the Python engine's
 * parser gains from two steps on smaller changes).
 */
export function editSteps(before: string, after: string, splitAt = SPLIT_AT): EditStep[] {
  const whole = changeRange(before, after);
  const start = whole.span.start;
  const oldLength = whole.span.length;
  const newLength = whole.newLength;
  if (oldLength + newLength < splitAt) return [{ text: after, range: whole }];
  // The first edit: `removed` characters of `before` replaced by `inserted` of `after` at
  // `start`, after which the texts agree again (smallest edit first).
  for (let size = 1; size <= MAX_FIRST_EDIT; size++) {
    for (let removed = 0; removed <= size; removed++) {
      const inserted = size - removed;
      if (removed + AGREE > oldLength || inserted + AGREE > newLength) continue;
      if (before.startsWith(after.slice(start + inserted, start + inserted + AGREE), start + removed)) {
        const middle = after.slice(0, start + inserted) + before.slice(start + removed);
        const first = ts.createTextChangeRange(ts.createTextSpan(start, removed), inserted);
        return [
          { text: middle, range: first },
          { text: after, range: changeRange(middle, after) },
        ];
      }
    }
  }
  return [{ text: after, range: whole }];
}

/** Sets `key` as the most recently used entry of `map`, dropping the least recently used past `capacity`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) map.delete(map.keys().next().value!);
  return value;
}

/** The parser's syntax errors of a tree, in the order it reported them. */
function parseDiagnosticsOf(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

/**
 * Whether the incremental parser dropped a syntax error of the last tree outside the edited
 * range. It reports no error inside a node it reuses, and some errors are not inside any node
 * the tree keeps: one scanned before a spread's '...' (`{§...a}`, `{a...b}`) lands on the '...'
 * token, which the parser discards; the '=' after a block (`{} =`) is reported after the block
 * is finished. Reused, such a node loses the error, and a fresh parse would report it (the
 * engine reports the first one). A dropped error was in the last tree (as a fresh parse had it)
 * outside the edit, so looking each of those up in the new tree finds every drop; errors that
 * go away for good reasons (the user closed a bracket) cost a fresh parse too. A tree without
 * errors, the usual case, costs nothing here.
 */
function lostDiagnostic(before: ts.SourceFile, after: ts.SourceFile, range: ts.TextChangeRange): boolean {
  const old = parseDiagnosticsOf(before);
  if (old.length === 0) return false;
  const kept = new Set(parseDiagnosticsOf(after).map((d) => `${d.start}:${d.code}`));
  const start = range.span.start;
  const end = start + range.span.length;
  const delta = range.newLength - range.span.length;
  for (const d of old) {
    const at = d.start ?? 0;
    if (at < start ? !kept.has(`${at}:${d.code}`) : at >= end && !kept.has(`${at + delta}:${d.code}`)) return true;
  }
  return false;
}

/**
 * Keeps the last parse of the few most recently analysed files so that the next version of
 * the same file (the user typed) is re-parsed incrementally: TypeScript's incremental parser
 * reuses every node outside the edited range, the way tsserver does on each keystroke. A
 * cached tree is handed out once and then replaced, because the incremental parser
 * repositions the reused nodes of the old tree.
 */
export class ParseCache {
  private readonly entries = new Map<string, { text: string; sf: ts.SourceFile }>();

  /**
   * @param modules parses of imported modules: a tree found there for the same text is reused,
   * and released from there before the incremental parser repositions its nodes.
   */
  constructor(
    private readonly capacity = 8,
    private readonly modules?: ModuleCache,
  ) {}

  /** Whether an earlier version of `file` was parsed here (the file is being edited). */
  has(file: string): boolean {
    return this.entries.has(file);
  }

  /**
   * @param guard the parse guard's scan of `text`, when the caller has one: the in-between text
   * of a two-step re-parse is then rescanned from it near the second edit instead of in full.
   */
  parse(file: string, text: string, guard?: GuardScan): ts.SourceFile {
    const last = this.entries.get(file);
    this.entries.delete(file);
    let sf: ts.SourceFile | undefined;
    if (last && last.text === text) sf = last.sf;
    else if (last) {
      const steps = editSteps(last.text, text);
      // Past a few kilobytes of change the incremental parser saves little and risks more.
      const limit = Math.max(4096, text.length / 4);
      // The text between two steps passed no parse guard: the first edit can uncover what the
      // second removes (code commented out between them), on which the parser could hang.
      const between = steps.length > 1 ? GuardScan.of(steps[0]!.text, guard).risk : undefined;
      if (!between && steps.every((s) => s.range.newLength + s.range.span.length < limit)) {
        try {
          this.modules?.release(file, last.sf);
          sf = last.sf;
          for (const step of steps) {
            const next: ts.SourceFile = ts.updateSourceFile(sf, step.text, step.range);
            sf = lostDiagnostic(sf, next, step.range) ? undefined : next;
            if (!sf) break;
          }
          if (sf) {
            detachNewTexts(sf);
            succeed(last.sf, sf);
          }
        } catch {
          // An assertion inside the incremental parser: a fresh parse is always correct.
          sf = undefined;
        }
      }
    }
    sf ??= this.modules?.peek(file, text) ?? parseTs(file, text);
    remember(this.entries, file, { text, sf }, this.capacity);
    return sf;
  }
}

/**
 * The TypeScript/JavaScript engine: parses once, builds the MCP model, runs the taint
 * analysis for the kinds the enabled rules ask for (./taint.ts), words each flow with its
 * rule and asks the rule's fix builder for fixes, then runs the rules' syntactic checks.
 */
export class TsEngine implements Engine {
  readonly id = 'typescript' as const;
  readonly languages = ['typescript', 'javascript'] as const;

  /** Parses of imported local modules, shared by every file this engine analyses. */
  private readonly modules = new ModuleCache();
  /** Previous parses of analysed files, for incremental re-parsing of their next version. */
  private readonly parses = new ParseCache(8, this.modules);
  /**
   * Replayable runs of registration statements, per file analysed more than once (a file being
   * edited; a one-pass CLI run never makes one), least recently used first out.
   */
  private readonly taintCaches = new Map<string, TaintCache>();
  /** The parse guard's last scan of the few most recently analysed files. */
  private readonly guards = new Map<string, GuardScan>();

  /** How often the taint cache of `file` replayed and recorded statements (for tests and benchmarks). */
  taintCacheStats(file: string): { readonly replayed: number; readonly recorded: number } | undefined {
    return this.taintCaches.get(file)?.stats;
  }

  /** The parse guard's scan of `text`, rescanned near the edit from the last version's (an edited file). */
  private guardScan(file: string, text: string): GuardScan {
    return remember(this.guards, file, GuardScan.of(text, this.guards.get(file)), 8);
  }

  private taintCacheFor(file: string): TaintCache {
    return remember(this.taintCaches, file, this.taintCaches.get(file) ?? new TaintCache(), 8);
  }

  async init(): Promise<void> {}

  analyze(input: EngineInput, rules: readonly Rule[], options: EngineRunOptions): EngineOutput {
    const { file, text, language } = input;
    const problems: FileProblem[] = [];
    const reports: RuleReport[] = [];
    const lines = input.lines ?? new LineMap(text);
    // A tree the module cache holds for this exact text passed this check when it was parsed.
    const guard = this.modules.peek(file, text) ? undefined : this.guardScan(file, text);
    const risk = guard?.risk;
    if (risk) return { reports, problems: [{ file, kind: 'too-large', message: risk }] };
    let sourceFile: ts.SourceFile;
    const edited = this.parses.has(file);
    try {
      sourceFile = this.parses.parse(file, text, guard);
      this.modules.adopt(file, text, sourceFile);
    } catch (err) {
      return { reports, problems: [{ file, kind: 'internal-error', message: `parser failed: ${(err as Error).message}` }] };
    }
    // The parser recovers from errors: report the first one and still analyse the tree.
    const parseDiagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
    const first = parseDiagnostics?.[0];
    if (first) {
      const start = first.start ?? 0;
      problems.push({
        file,
        kind: 'parse-error',
        message: ts.flattenDiagnosticMessageText(first.messageText, ' '),
        location: lines.location(file, { start, end: start + (first.length ?? 0) }),
      });
    }
    let mcp: McpModel;
    try {
      mcp = buildMcpModel(sourceFile);
    } catch (err) {
      problems.push({ file, kind: 'internal-error', message: `MCP model failed: ${(err as Error).message}` });
      mcp = { servers: [], registrations: [], transports: [], tools: [], handlerOf: () => undefined, isInHandler: () => false };
    }
    // Path aliases and the monorepo's own packages too (`~/x`, `@org/core`), as the taint analysis follows them.
    let aliases: PathAliases | undefined;
    const loadLocalModule = (spec: string, from = file): ts.SourceFile | undefined => {
      const target = isLocalSpecifier(spec) ? spec : (aliases ??= new PathAliases((f) => options.host.readFile(f), options.host.readDir && ((d) => options.host.readDir!(d)))).resolve(from, spec);
      if (target === undefined) return undefined;
      for (const c of localModuleCandidates(from, target)) {
        const found = options.host.readFile(c);
        if (found !== undefined) return this.modules.parse(c, found)?.sf;
      }
      return undefined;
    };
    const contextFor = (rule: Rule): TsContext => ({
      file,
      text,
      language,
      lines,
      sourceFile,
      mcp,
      loadLocalModule,
      report: (r: Report) => reports.push({ ...r, ruleId: rule.meta.id }),
    });

    const taintRules = rules.filter((r) => r.taint && r.taint.kinds.length > 0);
    if (taintRules.length > 0) {
      const kinds = new Set(taintRules.flatMap((r) => r.taint!.kinds));
      try {
        const cache = edited ? this.taintCacheFor(file) : undefined;
        // Most files of a workspace (helpers, types, schemas) can create no source: skip them (./source-gate.ts).
        const result = mayHaveTaintSources(sourceFile, mcp)
          ? analyzeTaint(file, sourceFile, lines, mcp, { kinds, deadline: options.deadline, host: options.host, modules: this.modules, ...(cache ? { cache } : {}) })
          : { flows: [], timedOut: false };
        if (result.timedOut) problems.push({ file, kind: 'timeout', message: 'taint analysis stopped: the per-file time budget ran out' });
        for (const rule of taintRules) {
          const mine = result.flows.filter((f) => rule.taint!.kinds.includes(f.kind));
          if (mine.length === 0) continue;
          const ctx = contextFor(rule);
          for (const flow of mine) reports.push(this.toReport(rule, flow, ctx, options.fixes !== false));
        }
      } catch (err) {
        problems.push({ file, kind: 'internal-error', message: `taint analysis failed: ${(err as Error).message}` });
      }
    }

    for (const rule of rules) {
      const check = rule.check?.typescript;
      if (!check) continue;
      if (performance.now() > options.deadline) {
        problems.push({ file, kind: 'timeout', message: 'analysis stopped: the per-file time budget ran out' });
        break;
      }
      try {
        check(contextFor(rule));
      } catch (err) {
        problems.push({ file, kind: 'internal-error', message: `rule '${rule.meta.id}' failed: ${(err as Error).message}` });
      }
    }
    return { reports, problems };
  }

  private toReport(rule: Rule, flow: TaintFlow, ctx: TsContext, withFixes: boolean): RuleReport {
    let fixes: readonly FixProposal[] = [];
    const builder = withFixes ? rule.taint?.fix?.typescript : undefined;
    if (builder) {
      try {
        fixes = builder(flow, ctx);
      } catch {
        // A throwing fix builder costs the fix, not the finding (contract 2).
        fixes = [];
      }
    }
    return {
      ruleId: rule.meta.id,
      span: flow.sinkSpan,
      message: taintMessage(rule, flow, ctx.file),
      flow: flow.steps,
      fixes,
      properties: { taintKind: flow.kind, source: flow.sourceName, sourceKind: flow.sourceKind, sink: flow.sinkName },
    };
  }
}
