import { performance } from 'node:perf_hooks';
import type { Engine, EngineInput, EngineOutput, EngineRunOptions, RuleReport } from '../engine';
import type { BaseContext, Report, Rule } from '../rule';
import { LineMap } from '../text';
import type { FileProblem } from '../types';
import { loadPythonParser, type SyntaxNode, type TreeSitterParser, type TreeSitterTree } from './parser';

/** What a rule's `check.python` receives. */
export interface PyContext extends BaseContext {
  readonly tree: TreeSitterTree;
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
    const lines = new LineMap(text);
    const problems: FileProblem[] = [];
    try {
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
 * tree-sitter reports byte offsets into the UTF-8 encoding; the rest of the engine uses
 * UTF-16 offsets. Fast path for ASCII text.
 */
export function charOffset(text: string, byteOffset: number): number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return byteOffset;
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}
