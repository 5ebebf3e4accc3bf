import * as ts from 'typescript';
import { performance } from 'node:perf_hooks';
import type { Engine, EngineInput, EngineOutput, EngineRunOptions, RuleReport } from '../engine';
import type { BaseContext, Report, Rule } from '../rule';
import { LineMap } from '../text';
import type { FileProblem } from '../types';
import { buildMcpModel, type McpModel } from './mcp-model';

/** What a rule's `check.typescript` receives. */
export interface TsContext extends BaseContext {
  readonly sourceFile: ts.SourceFile;
  /** The file's MCP servers, registrations, parameters, handlers and transports. */
  readonly mcp: McpModel;
}

declare module '../rule' {
  interface EngineContexts {
    typescript: TsContext;
  }
}

function scriptKind(file: string): ts.ScriptKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Parses a file with the TypeScript compiler's parser (no type checker, no program). */
export function parseTs(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
}

/** The TypeScript/JavaScript engine. */
export class TsEngine implements Engine {
  readonly id = 'typescript' as const;
  readonly languages = ['typescript', 'javascript'] as const;

  async init(): Promise<void> {}

  analyze(input: EngineInput, rules: readonly Rule[], options: EngineRunOptions): EngineOutput {
    const { file, text, language } = input;
    const sourceFile = parseTs(file, text);
    const lines = new LineMap(text);
    const problems: FileProblem[] = [];
    // The parser recovers from errors: report the first one and still analyse the tree.
    const parseDiagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] })
      .parseDiagnostics;
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
    const reports: RuleReport[] = [];
    const mcp = buildMcpModel(sourceFile);
    for (const rule of rules) {
      const check = rule.check?.typescript;
      if (!check) continue;
      if (performance.now() > options.deadline) {
        problems.push({ file, kind: 'timeout', message: 'analysis stopped: the per-file time budget ran out' });
        break;
      }
      const ctx: TsContext = {
        file,
        text,
        language,
        lines,
        sourceFile,
        mcp,
        report: (r: Report) => reports.push({ ...r, ruleId: rule.meta.id }),
      };
      check(ctx);
    }
    return { reports, problems };
  }
}
