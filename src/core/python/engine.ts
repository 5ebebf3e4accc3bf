import { performance } from 'node:perf_hooks';
import type { Engine, EngineInput, EngineOutput, EngineRunOptions, RuleReport } from '../engine';
import type { BaseContext, Report, Rule, TaintFlow, TaintKind } from '../rule';
import { taintMessage } from '../rule';
import type { FileProblem, FixProposal, FlowStep } from '../types';
import { AnalysisCache, Analyzer, DeadlineExceeded, type RawFlow, type RequestState } from './analyzer';
import type { LineMap } from '../text';
import type { PyNode, PySource, TextChange } from './ast';
import { ParseCancelled, parseText, textEdits, type ParsedText } from './incremental';
import type { AnalysisRecord } from './replay';
import { BrokenMemo, recoverStatements } from './recover';
import { buildMcpModel, type PyMcpModel } from './mcp-model';
import { indexModule, ModuleLoader, type ModuleInfo, type ResolvedImport } from './modules';
import { ImportTable } from './names';
import { RequestStateIndex } from './request-state';
import { loadPythonParser, type TreeSitterParser, type TreeSitterTree } from './parser';

/** What a rule's `check.python` (and a taint rule's `fix.python`) receives. */
export interface PyContext extends BaseContext {
  /**
   * The tree-sitter tree; valid during the call only (the engine keeps it for the next
   * analysis of the same file, which edits and then deletes it).
   */
  readonly tree: TreeSitterTree;
  /**
   * A plain-object copy of the tree with UTF-16 spans and stable node identities. The next
   * analysis of the same file takes over unchanged subtrees (re-pointed and shifted), so keep
   * nodes no longer than the call. When a broken statement swallowed the rest of the file,
   * this is the tree of the text with the statements that do not parse blanked out (same
   * offsets and lines; see recover.ts).
   */
  readonly ast: PySource;
  /**
   * The plain-object copy of `tree` itself: the same as `ast` unless the file needed repair.
   * Fix builders resolve spans against it so that they edit the text as written, reading plain
   * nodes instead of crossing into WASM for every tree-sitter node property.
   */
  readonly parsed: PySource;
  /** Import bindings of the file (`sp` -> `subprocess`). */
  readonly imports: ImportTable;
  /** The file's MCP servers, tools/prompts/resources, low-level handlers and transports. */
  readonly mcp: PyMcpModel;
  /**
   * The local module (and member) an import binding of this file names (`protection_tools` of
   * `from pkg.tools import protection_tools`), loaded as the taint analysis loads it; undefined
   * for third-party and standard-library modules. `at`, the use of the name, picks an import of
   * the functions around it over the file's (`ImportTable.bindingAt`).
   */
  readonly resolveImport?: (local: string, at?: PyNode) => ResolvedImport | undefined;
}

declare module '../rule' {
  interface EngineContexts {
    python: PyContext;
  }
}

/**
 * Files whose last parse is kept for incremental re-parsing (the ones being edited), and the
 * most text they may hold together: a kept parse holds its tree in the WASM heap (which never
 * shrinks) and its copy in the JS heap: measured, about 190 bytes per character of source
 * (a 5,000-line, 166,000-character server: 15 MB of JS heap, 32 MB of RSS).
 */
const KEPT_FILES = 8;
const KEPT_CHARS = 500_000;

/**
 * Nesting depth (PySource.depth) above which the taint analysis, which recurses along the
 * tree, is skipped with a `too-large` problem instead of risking the stack. Real code stays
 * far below: CPython itself refuses more than 200 nested brackets or 100 indentation levels,
 * and each of those is one or two tree levels.
 */
export const MAX_TAINT_DEPTH = 400;

/**
 * The Python engine: tree-sitter (VS Code's own WASM grammar build, so it needs no Python
 * installed and works in untrusted workspaces), an MCP source model, and an interprocedural
 * taint analysis over the file and the local modules it imports.
 */
export class PythonEngine implements Engine {
  readonly id = 'python' as const;
  readonly languages = ['python'] as const;
  private parser: TreeSitterParser | undefined;
  /** Parsed imported modules, reused across files while their text is unchanged. */
  private readonly modules = new Map<string, { text: string; module: ModuleInfo }>();
  private readonly missingModules = new Map<string, number>();
  /** Summaries of imported modules' functions, reused while those modules are unchanged. */
  private readonly analysisCache = new AnalysisCache();
  /** What each project's middleware stores in a request's state (CVE-2026-27826's shape). */
  private readonly requestStates = new RequestStateIndex();
  /**
   * The last parse of recently analysed files, by path (least recently used first), and of
   * their repaired text (recover.ts): the next analysis of the same file re-parses and copies
   * incrementally from it.
   */
  private readonly documents = new Map<string, ParsedText>();
  private readonly repairedDocuments = new Map<string, ParsedText>();
  private readonly brokenMemo = new BrokenMemo();
  /**
   * The last taint analysis of recently analysed files, by path (least recently used first):
   * the next analysis of the same file replays the entry points the edit left alone (replay.ts).
   */
  private readonly analyses = new Map<string, AnalysisRecord>();
  private lastReplay: { file: string; replayed: number; ran: number } | undefined;

  async init(): Promise<void> {
    this.parser ??= await loadPythonParser();
  }

  /**
   * Drops the kept parse of a file (e.g. when its editor closes), or of every file: the next
   * analysis then parses from scratch.
   */
  forget(file?: string): void {
    if (file === undefined) this.analyses.clear();
    else this.analyses.delete(file);
    for (const docs of [this.documents, this.repairedDocuments]) {
      for (const [name, doc] of [...docs]) {
        if (file !== undefined && name !== file) continue;
        docs.delete(name);
        doc.tree.delete();
      }
    }
  }

  analyze(input: EngineInput, rules: readonly Rule[], options: EngineRunOptions): EngineOutput {
    const { file, text, language } = input;
    const problems: FileProblem[] = [];
    const reports: RuleReport[] = [];
    if (!this.parser) {
      return { reports, problems: [{ file, kind: 'internal-error', message: 'the Python parser is not initialised' }] };
    }
    const parser = this.parser;
    let parsed: ParsedText | undefined;
    // Taken out whatever happens next: a record is only valid for the analysis right after it,
    // whose parse reused the nodes of the record's own parse (see replay.ts).
    const previous = this.analyses.get(file);
    this.analyses.delete(file);
    this.lastReplay = undefined;
    try {
      parsed = this.parse(this.documents, file, text, input.lines, options.deadline);
      const tree = parsed.tree;
      // Analyse a repaired copy when a broken statement swallowed the rest of the file.
      const recovery = tree.rootNode.hasError ? recoverStatements(text, parser, this.brokenMemo, options.deadline) : undefined;
      const repaired = recovery?.text;
      const original = parsed.source;
      let ast = original;
      /** The parse of the text analysed. */
      let analysed = parsed;
      if (repaired !== undefined) {
        const fixed = this.parse(this.repairedDocuments, file, repaired, undefined, options.deadline);
        keep(this.repairedDocuments, fixed);
        ast = fixed.source;
        analysed = fixed;
      }
      const lines = ast.lines;
      const imports = new ImportTable(ast.root);
      let moduleLoader: ModuleLoader | undefined;
      const loaderOf = (): ModuleLoader => (moduleLoader ??= new ModuleLoader(parser, options.host, this.modules, this.missingModules));
      // A server built from a FastMCP subclass of a project module is a FastMCP server.
      const mcp = buildMcpModel(ast, imports, (from, binding) => loaderOf().resolveBinding(from, binding));
      // Located from the text alone (see Recovery.error), not from `tree`: an incremental
      // re-parse can recover from the same mistake with other ERROR nodes than a fresh parse.
      if (recovery?.error) problems.push({ file, kind: 'parse-error', message: 'invalid Python syntax', location: lines.location(file, recovery.error) });
      const resolveImport = (local: string, at?: PyNode): ResolvedImport | undefined => {
        const binding = at ? imports.bindingAt(local, at) : imports.bindings.get(local);
        return binding ? loaderOf().resolveBinding(file, binding) : undefined;
      };
      const ctxFor = (rule: Rule): PyContext => ({
        file,
        text,
        language,
        lines,
        tree,
        ast,
        parsed: original,
        imports,
        mcp,
        resolveImport,
        report: (r: Report) => reports.push({ ...r, ruleId: rule.meta.id }),
      });

      // Syntactic checks first: they are cheap, and must not lose their budget to the taint analysis.
      for (const rule of rules) {
        const check = rule.check?.python;
        if (!check) continue;
        if (performance.now() > options.deadline) {
          problems.push({ file, kind: 'timeout', message: 'analysis stopped: the per-file time budget ran out' });
          break;
        }
        try {
          check(ctxFor(rule));
        } catch (err) {
          problems.push({ file, kind: 'internal-error', message: `rule '${rule.meta.id}' failed: ${(err as Error).message}` });
        }
      }

      const kinds = new Set<TaintKind>(rules.flatMap((r) => r.taint?.kinds ?? []));
      if (kinds.size > 0 && ast.depth > MAX_TAINT_DEPTH) {
        problems.push({
          file,
          kind: 'too-large',
          message: `taint analysis skipped: the code nests ${ast.depth} levels deep, more than the ${MAX_TAINT_DEPTH} it analyses`,
        });
      } else if (kinds.size > 0) {
        const loader = loaderOf();
        let requestState: RequestState | undefined;
        try {
          requestState = this.requestStates.stateFor(file, text, { host: options.host, loader, kinds, deadline: options.deadline, cache: this.analysisCache });
        } catch (err) {
          problems.push({ file, kind: 'internal-error', message: `request state of the project's middleware: ${(err as Error).message}` });
        }
        // A module of its own per analyzer: the shared cache keeps module constants' values per module.
        const analyzerFor = (replay: boolean): Analyzer =>
          new Analyzer({
            main: indexModule(ast, imports),
            mcp,
            loader,
            kinds,
            deadline: options.deadline,
            cache: this.analysisCache,
            ...(requestState ? { requestState } : {}),
            ...(replay && previous ? { replay: { previous, changes: changesOf(analysed, previous.text) } } : {}),
          });
        let analyzer = analyzerFor(true);
        try {
          analyzer.run();
          if (analyzer.replayFailed) {
            analyzer = analyzerFor(false);
            analyzer.run();
          }
          this.lastReplay = { file, ...analyzer.replayStats() };
          const record = analyzer.record();
          if (record) this.keepAnalysis(file, record);
        } catch (err) {
          if (err instanceof DeadlineExceeded) {
            problems.push({ file, kind: 'timeout', message: 'taint analysis stopped: the per-file time budget ran out' });
          } else if (err instanceof RangeError && /call stack/i.test(err.message)) {
            // Nesting below MAX_TAINT_DEPTH per function, but deep again in each helper it calls.
            problems.push({ file, kind: 'too-large', message: 'taint analysis stopped: the code nests too deeply across its function calls' });
          } else {
            problems.push({ file, kind: 'internal-error', message: `taint analysis failed: ${(err as Error).message}` });
          }
        }
        const toStep = (s: RawFlow['steps'][number]): FlowStep | undefined => {
          // A step in a module only the request-state index loaded (a middleware) is loaded here too.
          const map = s.file === file ? lines : (loader.linesOf(s.file) ?? loader.load(s.file)?.source.lines);
          return map ? { location: map.location(s.file, s.span), message: s.message } : undefined;
        };
        for (const raw of analyzer.flows) {
          const flow: TaintFlow = {
            kind: raw.kind,
            sinkSpan: raw.sinkSpan,
            ...(raw.argSpan ? { argSpan: raw.argSpan } : {}),
            sinkName: raw.sinkName,
            sourceName: raw.origin.name,
            sourceKind: raw.origin.sourceKind,
            steps: raw.steps.map(toStep).filter((s): s is FlowStep => !!s),
            data: raw.data,
          };
          for (const rule of rules) {
            if (!rule.taint?.kinds.includes(flow.kind)) continue;
            let fixes: readonly FixProposal[] = [];
            // An editor publishing diagnostics per keystroke asks without fixes (half the time of a 1,000-line lint).
            const build = options.fixes === false ? undefined : rule.taint.fix?.python;
            if (build) {
              try {
                fixes = build(flow, ctxFor(rule));
              } catch {
                // A failing fix builder costs the fix, not the finding.
              }
            }
            reports.push({
              ruleId: rule.meta.id,
              span: flow.sinkSpan,
              message: taintMessage(rule, flow, file),
              flow: flow.steps,
              fixes,
              properties: { sourceName: flow.sourceName, sourceKind: flow.sourceKind, sinkName: flow.sinkName, taintKind: flow.kind, ...(flow.data ? { data: flow.data } : {}) },
            });
          }
        }
      }

      return { reports, problems };
    } catch (err) {
      if (err instanceof ParseCancelled) problems.push({ file, kind: 'timeout', message: err.message });
      else problems.push({ file, kind: 'internal-error', message: `Python analysis failed: ${(err as Error).message}` });
      return { reports, problems };
    } finally {
      // Kept for the next analysis of this file (whose incremental parse consumes it).
      if (parsed) keep(this.documents, parsed);
    }
  }

  /**
   * How many entry points the taint analysis of a file replayed and analysed (see replay.ts),
   * if it was the last file analysed and its analysis completed; for tests and benchmarks.
   */
  replayStats(file: string): { replayed: number; ran: number } | undefined {
    if (this.lastReplay?.file !== file) return undefined;
    const { replayed, ran } = this.lastReplay;
    return { replayed, ran };
  }

  /** Keeps a file's analysis record as the most recently used, dropping the oldest beyond KEPT_FILES and those of files whose parse is gone. */
  private keepAnalysis(file: string, record: AnalysisRecord): void {
    this.analyses.delete(file);
    this.analyses.set(file, record);
    // A record holds nodes of its file's tree: it goes when the kept parse does.
    for (const f of [...this.analyses.keys()]) if (f !== file && !this.documents.has(f)) this.analyses.delete(f);
    while (this.analyses.size > KEPT_FILES) this.analyses.delete(this.analyses.keys().next().value as string);
  }

  /**
   * Parses a file's text, incrementally from its previous parse in `docs` when there is one.
   * The previous parse is taken out of `docs` first: it is consumed (or failed) either way.
   */
  private parse(docs: Map<string, ParsedText>, file: string, text: string, lines?: LineMap, deadline?: number): ParsedText {
    const previous = docs.get(file);
    docs.delete(file);
    if (previous) {
      try {
        return parseText(this.parser!, file, text, previous, lines, deadline);
      } catch (err) {
        if (err instanceof ParseCancelled) throw err;
        // Fall back to a fresh parse: the previous tree is gone, and a fresh one is always right.
      }
    }
    return parseText(this.parser!, file, text, undefined, lines, deadline);
  }
}

/**
 * The edits from `from` to the text of a parse (see textEdits): those the parse was made with
 * when it was parsed from that text, the copy's reused nodes moved by them.
 */
function changesOf(parsed: ParsedText, from: string): readonly TextChange[] {
  if (parsed.edited?.from === from) return parsed.edited.changes;
  return textEdits(from, parsed.text).map((e) => e.change);
}

/**
 * Stores a file's parse as the most recently used, dropping (and freeing) the oldest beyond
 * KEPT_FILES or KEPT_CHARS; the file just analysed stays whatever its size.
 */
function keep(docs: Map<string, ParsedText>, parsed: ParsedText): void {
  docs.delete(parsed.file);
  docs.set(parsed.file, parsed);
  let chars = 0;
  for (const d of docs.values()) chars += d.text.length;
  while (docs.size > 1 && (docs.size > KEPT_FILES || chars > KEPT_CHARS)) {
    const [oldest, doc] = docs.entries().next().value as [string, ParsedText];
    docs.delete(oldest);
    chars -= doc.text.length;
    doc.tree.delete();
  }
}

/**
 * Converts a tree-sitter offset to the UTF-16 offsets of a Span. The @vscode/tree-sitter-wasm
 * runtime feeds JavaScript strings to the parser as UTF-16, so its `startIndex`/`endIndex`
 * already count UTF-16 code units (not UTF-8 bytes, as native tree-sitter does): the
 * conversion is the identity, kept as the one place to change should the runtime ever parse
 * UTF-8. test/python/offsets.test.ts pins this down.
 */
export function charOffset(_text: string, treeSitterOffset: number): number {
  return treeSitterOffset;
}
