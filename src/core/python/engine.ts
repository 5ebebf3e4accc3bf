import { performance } from 'node:perf_hooks';
import type { Engine, EngineInput, EngineOutput, EngineRunOptions, RuleReport } from '../engine';
import type { BaseContext, Report, Rule } from '../rule';
import type { FileProblem } from '../types';
import { copyTree, type PySource } from './ast';
import { buildMcpModel, type PyMcpModel } from './mcp-model';
import { ImportTable } from './names';
import { loadPythonParser, type SyntaxNode, type TreeSitterParser, type TreeSitterTree } from './parser';

/** What a rule's `check.python` (and a taint rule's `fix.python`) receives. */
export interface PyContext extends BaseContext {
  /** The tree-sitter tree; valid only during the call (it is deleted after analysis). */
  readonly tree: TreeSitterTree;
  /** A plain-object copy of the tree with UTF-16 spans; stable node identities, safe to keep. */
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

/** First ERROR or MISSING node in document order, if any. */
function firstSyntaxError(node: SyntaxNode): SyntaxNode | undefined {
  if (!node.hasError) return undefined;
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    if (!child) continue;
    const found = firstSyntaxError(child);
    if (found) return found;
  }
  return node;
}

/** The Python engine (tree-sitter, VS Code's own grammar build; needs no Python installed). */
export class PythonEngine implements Engine {
  readonly id = 'python' as const;
  readonly languages = ['python'] as const;
  private parser: TreeSitterParser | undefined;

  async init(): Promise<void> {
    this.parser ??= await loadPythonParser();
  }

  analyze(input: EngineInput, rules: readonly Rule[], options: EngineRunOptions): EngineOutput {
    const { file, text, language } = input;
    if (!this.parser) throw new Error('PythonEngine.init() was not awaited');
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    const problems: FileProblem[] = [];
    try {
      const ast = copyTree(file, text, tree);
      const lines = ast.lines;
      const imports = new ImportTable(ast.root);
      const mcp = buildMcpModel(ast, imports);
      const bad = firstSyntaxError(tree.rootNode);
      if (bad) {
        const span = { start: charOffset(text, bad.startIndex), end: charOffset(text, bad.endIndex) };
        problems.push({ file, kind: 'parse-error', message: 'invalid Python syntax', location: lines.location(file, span) });
      }
      const reports: RuleReport[] = [];
      for (const rule of rules) {
        const check = rule.check?.python;
        if (!check) continue;
        if (performance.now() > options.deadline) {
          problems.push({ file, kind: 'timeout', message: 'analysis stopped: the per-file time budget ran out' });
          break;
        }
        const ctx: PyContext = {
          file,
          text,
          language,
          lines,
          tree,
          ast,
          imports,
          mcp,
          report: (r: Report) => reports.push({ ...r, ruleId: rule.meta.id }),
        };
        check(ctx);
      }
      return { reports, problems };
    } finally {
      tree.delete();
    }
  }
}

/**
 * Converts a tree-sitter offset to the UTF-16 offsets of {@link Span}. The
 * @vscode/tree-sitter-wasm runtime feeds JavaScript strings to the parser as UTF-16, so its
 * `startIndex`/`endIndex` already count UTF-16 code units (not UTF-8 bytes, as native
 * tree-sitter does): the conversion is the identity, kept as the one place to change should
 * the runtime ever parse UTF-8. test/python/offsets.test.ts pins this down.
 */
export function charOffset(_text: string, treeSitterOffset: number): number {
  return treeSitterOffset;
}
