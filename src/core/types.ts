/**
 * Shared vocabulary of the analysis engine, the CLI, the language server and the harness.
 * Pure data types: no behaviour, no imports of parsers.
 */

/** Languages the engine reads. JSX/TSX are folded into their base language. */
export type Language = 'typescript' | 'javascript' | 'python';

/**
 * Finding severity. `error` and `warning` make `mcp-warden lint` exit 1; `note` does not.
 * The names are SARIF's `level` values so no mapping can drift.
 */
export type Severity = 'error' | 'warning' | 'note';

/** How often a rule's findings are true positives (CodeQL's `@precision`). */
export type Precision = 'very-high' | 'high' | 'medium' | 'low';

/** A half-open range of UTF-16 code-unit offsets into a file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A span resolved to 1-based lines and columns (columns count UTF-16 code units, as SARIF does by default). */
export interface Location {
  /** Absolute, normalised file path. */
  readonly file: string;
  readonly span: Span;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One step on a source-to-sink path (SARIF threadFlowLocation, LSP relatedInformation). */
export interface FlowStep {
  readonly location: Location;
  /** Short factual label, e.g. "tool argument 'host'" or "passed to 'exec'". */
  readonly message: string;
}

/** A replacement of `span` in `file` by `text`. */
export interface TextEdit {
  readonly file: string;
  readonly span: Span;
  readonly text: string;
}

/**
 * A proposed change. `fix` preserves behaviour and may be applied by `--fix`;
 * `suggestion` can change behaviour and is only offered (eslint's "Providing Suggestions").
 */
export interface FixProposal {
  readonly kind: 'fix' | 'suggestion';
  /** Imperative title shown in the lightbulb menu, e.g. "Use execFile with an argument array". */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** At most one proposal per finding is preferred. */
  readonly preferred?: boolean;
}

/** A reported problem. */
export interface Finding {
  readonly ruleId: string;
  /** One factual sentence naming the argument and the sink; code in 'single quotes'. */
  readonly message: string;
  readonly severity: Severity;
  readonly cwe: readonly number[];
  /** The sink (or the offending construct). */
  readonly location: Location;
  /** Source-to-sink path, first step the source, last step the sink. Empty for non-flow rules. */
  readonly flow: readonly FlowStep[];
  readonly fixes: readonly FixProposal[];
  /** Stable across unrelated edits: used by baselines and by the harness to match findings. */
  readonly fingerprint: string;
  /** Rule-specific extras (tool name, parameter name, ...). Must be JSON-serialisable. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** Why a file produced no (or partial) analysis. Reported next to findings, never thrown. */
export interface FileProblem {
  readonly file: string;
  readonly kind: 'parse-error' | 'unreadable' | 'binary' | 'too-large' | 'timeout' | 'internal-error';
  readonly message: string;
  /** Present for parse errors: where the first one is. */
  readonly location?: Location;
}

/** The result of analysing one file. */
export interface FileResult {
  readonly file: string;
  readonly language: Language;
  readonly findings: readonly Finding[];
  readonly problems: readonly FileProblem[];
  /** Wall time spent on this file, in milliseconds. */
  readonly elapsedMs: number;
}
