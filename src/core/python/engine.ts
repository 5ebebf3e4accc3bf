import { performance } from 'node:perf_hooks';
import type { Engine, EngineInput, EngineOutput, EngineRunOptions, RuleReport } from '../engine';
import type { BaseContext, Report, Rule, TaintFlow, TaintKind } from '../rule';
import type { FileProblem, FixProposal, FlowStep } from '../types';
import { AnalysisCache, Analyzer, DeadlineExceeded, type RawFlow } from './analyzer';
import { copyTree, type PySource } from './ast';
import { blankBrokenStatements } from './recover';
import { buildMcpModel, type PyMcpModel } from './mcp-model';
import { indexModule, ModuleLoader, type ModuleInfo } from './modules';
import { ImportTable } from './names';
import { loadPythonParser, type SyntaxNode, type TreeSitterParser, type TreeSitterTree } from './parser';

/** What a rule's `check.python` (and a taint rule's `fix.python`) receives. */
export interface PyContext extends BaseContext {
  /** The tree-sitter tree; valid only during the call (it is deleted after analysis). */
  readonly tree: TreeSitterTree;
  /**
   * A plain-object copy of the tree with UTF-16 spans; stable node identities, safe to keep.
   * When a broken statement swallowed the rest of the file, this is the tree of the text with
   * the statements that do not parse blanked out (same offsets and lines; see recover.ts).
   */
  readonly ast: PySource;
  /** Import bindings of the file (`sp` -> `subprocess`). */
  readonly imports: ImportTable;
  /** The file's MCP servers, tools/prompts/resources, low-level handlers and transports. */
  readonly mcp: PyMcpModel;
}

declare module '../rule' {
  interface EngineContexts {
    python: PyContext;
  }
}

/** First ERROR or MISSING node in document order, if any (iterative: error trees can be deep). */
function firstSyntaxError(root: SyntaxNode): SyntaxNode | undefined {
  if (!root.hasError) return undefined;
  let node = root;
  for (;;) {
    if (node.type === 'ERROR' || node.isMissing) return node;
    const next = node.children.find((c): c is SyntaxNode => !!c && (c.hasError || c.isMissing));
    if (!next) return node;
    node = next;
  }
}

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

  async init(): Promise<void> {
    this.parser ??= await loadPythonParser();
  }

  analyze(input: EngineInput, rules: readonly Rule[], options: EngineRunOptions): EngineOutput {
    const { file, text, language } = input;
    const problems: FileProblem[] = [];
    const reports: RuleReport[] = [];
    if (!this.parser) {
      return { reports, problems: [{ file, kind: 'internal-error', message: 'the Python parser is not initialised' }] };
    }
    let tree: TreeSitterTree | null = null;
    try {
      tree = this.parser.parse(text);
      if (!tree) return { reports, problems: [{ file, kind: 'internal-error', message: 'tree-sitter returned no tree' }] };
      // Analyse a repaired copy when a broken statement swallowed the rest of the file.
      const repaired = tree.rootNode.hasError ? blankBrokenStatements(text, this.parser) : undefined;
      const repairedTree = repaired !== undefined ? this.parser.parse(repaired) : null;
      const ast = repairedTree ? copyTree(file, repaired!, repairedTree) : copyTree(file, text, tree);
      repairedTree?.delete();
      const lines = ast.lines;
      const imports = new ImportTable(ast.root);
      const mcp = buildMcpModel(ast, imports);
      const bad = firstSyntaxError(tree.rootNode);
      if (bad) {
        const span = { start: charOffset(text, bad.startIndex), end: charOffset(text, bad.endIndex) };
        problems.push({ file, kind: 'parse-error', message: 'invalid Python syntax', location: lines.location(file, span) });
      }
      const ctxFor = (rule: Rule): PyContext => ({
        file,
        text,
        language,
        lines,
        tree: tree!,
        ast,
        imports,
        mcp,
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
      if (kinds.size > 0) {
        const loader = new ModuleLoader(this.parser, options.host, this.modules, this.missingModules);
        const analyzer = new Analyzer({ main: indexModule(ast, imports), mcp, loader, kinds, deadline: options.deadline, cache: this.analysisCache });
        try {
          analyzer.run();
        } catch (err) {
          if (err instanceof DeadlineExceeded) {
            problems.push({ file, kind: 'timeout', message: 'taint analysis stopped: the per-file time budget ran out' });
          } else {
            problems.push({ file, kind: 'internal-error', message: `taint analysis failed: ${(err as Error).message}` });
          }
        }
        const toStep = (s: RawFlow['steps'][number]): FlowStep | undefined => {
          const map = s.file === file ? lines : loader.linesOf(s.file);
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
            const build = rule.taint.fix?.python;
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
              message: rule.taint.message(flow),
              flow: flow.steps,
              fixes,
              properties: { sourceName: flow.sourceName, sourceKind: flow.sourceKind, sinkName: flow.sinkName, taintKind: flow.kind, ...(flow.data ? { data: flow.data } : {}) },
            });
          }
        }
      }

      return { reports, problems };
    } catch (err) {
      problems.push({ file, kind: 'internal-error', message: `Python analysis failed: ${(err as Error).message}` });
      return { reports, problems };
    } finally {
      tree?.delete();
    }
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
