import type { EngineId, Report, Rule } from './rule';
import type { LineMap } from './text';
import type { FileProblem, Language } from './types';

/** Reads other files of the project (for imported local modules). Never throws. */
export interface AnalysisHost {
  readFile(path: string): string | undefined;
  /**
   * The names of a folder's entries, or undefined when it is no readable folder. Optional: the
   * TypeScript engine lists the member folders of a monorepo with it, to follow imports of the
   * monorepo's own packages (./ts/workspaces.ts); without it those stay unresolved.
   */
  readDir?(path: string): readonly string[] | undefined;
}

export interface EngineInput {
  readonly file: string;
  readonly text: string;
  readonly language: Language;
  /** Line starts of `text`, when the caller has them already. */
  readonly lines?: LineMap;
}

export interface EngineRunOptions {
  readonly host: AnalysisHost;
  /** `performance.now()` value after which the engine should stop and report a timeout. */
  readonly deadline: number;
  /** Whether taint rules' fix builders run (absent: true). */
  readonly fixes?: boolean;
}

/** A report attributed to a rule. */
export interface RuleReport extends Report {
  readonly ruleId: string;
}

export interface EngineOutput {
  readonly reports: readonly RuleReport[];
  readonly problems: readonly FileProblem[];
}

/**
 * A language engine: parses a file, builds its MCP source model, runs taint analysis for the
 * kinds the enabled rules ask for, and runs the rules' syntactic checks for this engine.
 * `analyze` must never throw for any input text (the user may be mid-keystroke).
 */
export interface Engine {
  readonly id: EngineId;
  readonly languages: readonly Language[];
  /** Loads parsers (WASM). Called once before the first `analyze`. */
  init(): Promise<void>;
  analyze(input: EngineInput, rules: readonly Rule[], options: EngineRunOptions): EngineOutput;
}
