import type * as ts from 'typescript';
import type { Location, Span } from '../types';

/**
 * What analysing one MCP registration statement (`server.registerTool(...)` and its handler,
 * at the top level or inside a setup function) did, kept across analyses of the same file so
 * that the next keystroke can replay it instead of running the handler again (./taint.ts,
 * `Analyzer.cachedStatement`). The final pass over functions nothing called is kept the same
 * way (`Analyzer.runPendingCached`).
 *
 * Positions in the analysed file are stored against its segments (`SegmentIndex`): each
 * registration statement, and the stretches of text between them. An edit inside one
 * registration statement moves the others, and the replay maps every span to where the same
 * text now is. Positions in imported files are absolute (their text is checked unchanged).
 */
export interface CachedStatement {
  /** Imported files the run loaded first, in order, with the importing file and the depth of the import chain. */
  readonly loads: readonly { readonly file: string; readonly from: string; readonly depth: number }[];
  /** Imports of the analysed file the run resolved first, in order. */
  readonly lazies: readonly string[];
  /** Summaries the run asked for, in order, with the point of the analysis each was made at. */
  readonly summaries: readonly CachedSummary[];
  /** Functions the run analysed (the engine analyses each function once): unanalysed before a replay. */
  readonly analyzed: readonly NodeRef[];
  /** Functions the run did not run because they were analysed already: analysed before a replay. */
  readonly skipped: readonly NodeRef[];
  /** Flows the run reported or would have reported (a flow already reported at the same sink is dropped). */
  readonly flows: readonly CachedFlow[];
  /** The final pass over functions nothing called: the functions it ran first, in order. */
  readonly runs?: readonly NodeRef[];
  /** What the run changed that other statements see (functions analysed, summaries made, loads, imports resolved), in order. */
  readonly log: string;
}

export interface CachedSummary {
  readonly fn: NodeRef;
  /** For a function of the analysed file: how many scopes up from the statement's it was defined. */
  readonly hops: number;
  readonly name: string;
  readonly createdAt: number;
}

/** A position in the analysed file: segment index, offsets from the segment's start. */
export interface RelSpan {
  readonly seg: number;
  readonly start: number;
  readonly end: number;
}

/** A node: in the analysed file by segment (`file` absent), in an imported file by absolute offsets. */
export interface NodeRef {
  readonly file?: string;
  readonly seg: number;
  readonly start: number;
  readonly end: number;
  readonly kind: ts.SyntaxKind;
}

export interface CachedFlow {
  readonly kind: string;
  readonly sinkSpan: RelSpan;
  readonly argSpan?: RelSpan;
  readonly sinkName: string;
  readonly sourceName: string;
  readonly sourceKind: string;
  /** Steps in the analysed file by position; steps in imported files as they were reported. */
  readonly steps: readonly ({ readonly span: RelSpan; readonly label: string } | { readonly location: Location; readonly label: string })[];
  /** Plain facts, with spans (`guard`) stored as RelSpan under the same key. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly spanKeys: readonly string[];
  /** What tells apart flows reported at one call into another module (see the analyzer's Candidate). */
  readonly behind?: string;
}

/**
 * Replayable statement runs of one file. An entry made in one analysis is valid in a later one
 * when (checked by the analyzer): the file's text outside its registration statements is
 * unchanged, as are the enabled taint kinds (`env`) and every file the analyses read through
 * the host (`reads`); the statement's own text is unchanged, as is how often it has run before
 * in the analysis; every statement before it in the analysis was replayed, or ran and changed
 * what other statements see (summaries made, functions analysed, files loaded, imports
 * resolved, in that order) exactly as its version of the last analysis did; no statement
 * changed state that other
 * statements can see (assignments to variables of enclosing scopes, fields of shared objects,
 * exports, summaries made before it); the functions it analysed are unanalysed and the ones it
 * skipped analysed; every summary it used was made at the same point of both analyses, none
 * depending on which functions were running; and the imported files it loaded first are loaded
 * at the same depth, its imports resolved at the same point.
 */
export class TaintCache {
  env: string | undefined;
  entries = new Map<string, CachedStatement>();
  /** Every file read through the host by the analyses the entries come from, with what it held. */
  reads = new Map<string, string | undefined>();
  /** What each registration statement changed in the last analysis, by statement and occurrence. */
  logs = new Map<string, string>();
  /** Statements replayed and recorded over the cache's life (tests and benchmarks read them). */
  readonly stats = { replayed: 0, recorded: 0 };

  /** Forgets everything (the file changed outside its registration statements, or a file it read changed). */
  clear(): void {
    this.env = undefined;
    this.entries = new Map();
    this.reads = new Map();
    this.logs = new Map();
  }
}

/**
 * The analysed file cut into segments: each registration statement ([pos, end)) and the text
 * before, between and after them. Two texts with the same text outside their registration
 * statements have the same segments in the same order, so (segment, offset) pairs carry over.
 */
export class SegmentIndex {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  /** @param statements the registration statements, ascending, none inside another. */
  constructor(statements: readonly ts.Statement[], length: number) {
    const n = statements.length * 2 + 1;
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    let at = 0;
    statements.forEach((s, i) => {
      this.starts[2 * i] = at;
      this.ends[2 * i] = s.pos;
      this.starts[2 * i + 1] = s.pos;
      this.ends[2 * i + 1] = s.end;
      at = s.end;
    });
    this.starts[n - 1] = at;
    this.ends[n - 1] = length;
  }

  /** The segment holding the whole span, with offsets relative to it; undefined if none does. */
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
    return { seg: at, start: span.start - starts[at]!, end: span.end - starts[at]! };
  }

  toSpan(rel: RelSpan): Span {
    const base = this.starts[rel.seg]!;
    return { start: base + rel.start, end: base + rel.end };
  }
}
