import type * as ts from 'typescript';
import type { Span } from '../types';

/**
 * What analysing one top-level MCP registration statement (`server.registerTool(...)` and its
 * handler) did, kept across analyses of the same file so that the next keystroke can replay it
 * instead of running the handler again (./taint.ts, `Analyzer.execMain`). The final pass over
 * functions nothing called is kept the same way (`Analyzer.runPendingCached`).
 *
 * Positions are stored against the file's top-level statements (index, offset from the
 * statement's `pos`): an edit elsewhere moves the statement, and the replay maps every span to
 * where the same text now is. Entries are only made and used under the conditions that make a
 * replay give exactly what a fresh run gives; see `TaintCache`.
 */
export interface CachedStatement {
  /** Summaries the statement's run asked for, in order, with the statement each was made in. */
  readonly summaries: readonly { readonly fn: NodeRef; readonly name: string; readonly createdAt: number }[];
  /** Functions the run analysed (the engine analyses each function once). */
  readonly analyzed: readonly NodeRef[];
  /** Flows the run reported or would have reported (a flow already reported at the same sink is dropped). */
  readonly flows: readonly CachedFlow[];
  /** The final pass over functions nothing called: the functions it ran first, in order. */
  readonly runs?: readonly NodeRef[];
}

/** A position in the file: top-level statement index, offsets from its `pos`. */
export interface RelSpan {
  readonly stmt: number;
  readonly start: number;
  readonly end: number;
}

export interface NodeRef extends RelSpan {
  readonly kind: ts.SyntaxKind;
}

export interface CachedFlow {
  readonly kind: string;
  readonly sinkSpan: RelSpan;
  readonly argSpan?: RelSpan;
  readonly sinkName: string;
  readonly sourceName: string;
  readonly sourceKind: string;
  readonly steps: readonly { readonly span: RelSpan; readonly label: string }[];
  /** Plain facts, with spans (`guard`) stored as RelSpan under the same key. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly spanKeys: readonly string[];
}

/**
 * Replayable statement runs of one file. An entry made in one analysis is valid in a later one
 * when (checked by the analyzer): the text of every top-level statement other than the
 * registration statements is unchanged, as are the enabled taint kinds (`env`); neither analysis
 * read another file (imports of local modules end caching for the file); the statement's own
 * text is unchanged; no statement run before it in either analysis changed state that other
 * statements can see (assignments to module variables, fields of shared objects, exports); and
 * every summary the run used was made in the same statement in both analyses.
 */
export class TaintCache {
  env: string | undefined;
  entries = new Map<string, CachedStatement>();
  /** Statements replayed and recorded over the cache's life (tests and benchmarks read them). */
  readonly stats = { replayed: 0, recorded: 0 };

  /** Forgets everything (the file changed outside its registration statements, or read another file). */
  clear(): void {
    this.env = undefined;
    this.entries = new Map();
  }
}

/**
 * Maps offsets to (statement, offset) pairs and back, for one parse: `pos` of each top-level
 * statement, ascending.
 */
export class StatementIndex {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(statements: readonly ts.Statement[]) {
    this.starts = new Int32Array(statements.length);
    this.ends = new Int32Array(statements.length);
    statements.forEach((s, i) => {
      this.starts[i] = s.pos;
      this.ends[i] = s.end;
    });
  }

  /** The statement holding the whole span, with offsets relative to it; undefined if none does. */
  toRel(span: Span): RelSpan | undefined {
    const { starts, ends } = this;
    let lo = 0;
    let hi = starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= span.start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0 || span.end > ends[at]!) return undefined;
    return { stmt: at, start: span.start - starts[at]!, end: span.end - starts[at]! };
  }

  toSpan(rel: RelSpan): Span {
    const base = this.starts[rel.stmt]!;
    return { start: base + rel.start, end: base + rel.end };
  }
}
