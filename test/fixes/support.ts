import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaintFlow, TaintKind } from '../../src/core/rule';
import type { FixProposal, Span } from '../../src/core/types';

/** A flow as a test writes it: the sink's exact text (nth occurrence) and the argument inside it. */
export interface FlowSpec {
  readonly kind: TaintKind;
  /** Exact text of the sink (the whole call or comparison). */
  readonly sink: string;
  /** 0-based occurrence of `sink` in the file when it appears more than once. */
  readonly nth?: number;
  /** Exact text of the tainted argument, searched inside the sink. */
  readonly arg?: string;
  readonly data?: Record<string, unknown>;
  /** Text of a broken guard (path flows), searched before the sink. */
  readonly guard?: string;
}

function find(text: string, needle: string, nth = 0, from = 0): number {
  let at = text.indexOf(needle, from);
  for (let i = 0; i < nth && at >= 0; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`'${needle}' not found`);
  return at;
}

/** Builds the TaintFlow an engine would report for a spec, over the current text. */
export function flowOf(text: string, spec: FlowSpec): TaintFlow {
  const start = find(text, spec.sink, spec.nth ?? 0);
  const sinkSpan: Span = { start, end: start + spec.sink.length };
  const argStart = spec.arg !== undefined ? find(text, spec.arg, 0, start) : undefined;
  const data: Record<string, unknown> = { ...(spec.data ?? {}) };
  if (spec.guard) {
    const g = text.lastIndexOf(spec.guard, start);
    if (g < 0) throw new Error(`guard '${spec.guard}' not found before the sink`);
    data.guard = { start: g, end: g + spec.guard.length };
  }
  return {
    kind: spec.kind,
    sinkSpan,
    ...(argStart !== undefined ? { argSpan: { start: argStart, end: argStart + spec.arg!.length } } : {}),
    sinkName: 'sink',
    sourceName: 'x',
    sourceKind: 'tool argument',
    steps: [],
    data,
  };
}

/** The proposal an editor user would pick: the preferred one, else the first. */
export function preferred(fixes: readonly FixProposal[]): FixProposal | undefined {
  return fixes.find((f) => f.preferred) ?? fixes[0];
}

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'fixes');

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}
