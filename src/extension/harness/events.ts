import * as path from 'node:path';

/**
 * The harness's `--events` stream (contract 6): one JSON object per stdout line. Parsed here
 * without vscode so the parsing is unit-testable.
 */

// The event vocabulary is the harness's own (the extension reads it as plain JSON).
import type { CheckStatus, Evidence, SourceLine } from '../../harness/types';

export type { CheckStatus, Evidence, SourceLine };

export interface CheckEvent {
  readonly type: 'check';
  readonly server: string;
  readonly tool: string | null;
  readonly param: string | null;
  readonly check: string;
  readonly status: CheckStatus;
  readonly confirmed: boolean;
  readonly message: string;
  readonly severity?: string;
  readonly evidence?: Evidence;
  readonly source?: SourceLine;
}

/** The JSON report (`--format json`); only the parts the editor reads are typed. */
export interface HarnessReport {
  readonly cwd?: string;
  readonly durationMs?: number;
  readonly exitCode?: number;
  readonly servers: ReadonlyArray<{
    readonly name: string;
    readonly transport?: string;
    readonly status?: string;
    readonly error?: string;
    readonly tools?: ReadonlyArray<{ readonly name: string; readonly skipped?: string; readonly source?: SourceLine }>;
    readonly results: readonly Omit<CheckEvent, 'type'>[];
    readonly durationMs?: number;
  }>;
  readonly summary?: Readonly<Record<string, number>>;
}

export type HarnessEvent =
  | { readonly type: 'run-start'; readonly servers: readonly string[] }
  | { readonly type: 'server-start'; readonly server: string; readonly transport?: string }
  | { readonly type: 'tool'; readonly server: string; readonly tool: string; readonly params: readonly string[]; readonly skipped?: string }
  | CheckEvent
  | { readonly type: 'server-end'; readonly server: string; readonly status?: string; readonly error?: string; readonly durationMs?: number }
  | { readonly type: 'run-end'; readonly exitCode: number; readonly report: HarnessReport };

/** Source lines in events are relative to the run's folder: makes them absolute. */
export function resolveSource(source: SourceLine | undefined, cwd: string): SourceLine | undefined {
  if (!source || typeof source.file !== 'string') return undefined;
  return { file: path.resolve(cwd, source.file), line: source.line };
}

/** The report with every source line made absolute (links in the webview, Test Explorer). */
export function resolveReport(report: HarnessReport, cwd: string): HarnessReport {
  const base = report.cwd ?? cwd;
  return {
    ...report,
    servers: report.servers.map((s) => ({
      ...s,
      ...(s.tools ? { tools: s.tools.map((t) => ({ ...t, ...(t.source ? { source: resolveSource(t.source, base) } : {}) })) } : {}),
      results: s.results.map((r) => ({ ...r, ...(r.source ? { source: resolveSource(r.source, base) } : {}) })),
    })),
  };
}

const STATUSES: ReadonlySet<string> = new Set(['passed', 'failed', 'skipped', 'error']);

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** One event from one line, or undefined for a line that is not a well-formed event. */
export function parseEvent(line: string): HarnessEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  switch (v.type) {
    case 'run-start':
      return Array.isArray(v.servers) ? (v as unknown as HarnessEvent) : undefined;
    case 'server-start':
    case 'server-end':
      return isString(v.server) ? (v as unknown as HarnessEvent) : undefined;
    case 'tool':
      return isString(v.server) && isString(v.tool) ? ({ params: [], ...v } as unknown as HarnessEvent) : undefined;
    case 'check':
      if (!isString(v.server) || !isString(v.check) || !isString(v.status) || !STATUSES.has(v.status)) return undefined;
      return { tool: null, param: null, confirmed: false, message: '', ...v } as unknown as HarnessEvent;
    case 'run-end':
      return typeof v.exitCode === 'number' && typeof v.report === 'object' && v.report !== null
        ? (v as unknown as HarnessEvent)
        : undefined;
    default:
      return undefined;
  }
}

/** Splits a byte stream into lines, keeping a partial last line until its newline arrives. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }

  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}
