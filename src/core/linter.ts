import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG, type WardenConfig } from './config';
import type { AnalysisHost, Engine, RuleReport } from './engine';
import { DEFAULT_MAX_FILE_BYTES, precheck, type GuardOptions } from './guard';
import { languageOf } from './language';
import type { Rule } from './rule';
import { applyDirectives, INVALID_SUPPRESSION, parseDirectives, UNUSED_SUPPRESSION } from './suppressions';
import { detach, LineMap } from './text';
import type { FileProblem, FileResult, Finding, FixProposal, Language, Severity } from './types';

/** Default per-file analysis budget. Big files degrade to a timeout problem, never a hang. */
export const DEFAULT_FILE_BUDGET_MS = 2_000;

export interface LinterOptions {
  readonly rules: readonly Rule[];
  readonly engines: readonly Engine[];
  readonly config?: WardenConfig;
  readonly fileBudgetMs?: number;
}

export interface LintTextOptions {
  /** Overrides the language detected from the file name (e.g. an editor's language id). */
  readonly language?: Language;
  /** Reads imported local modules; defaults to the file system. */
  readonly host?: AnalysisHost;
  /**
   * Whether to build the data-flow rules' fixes (default true). An editor publishing
   * diagnostics on every keystroke can skip them and ask again, with fixes, for a code action.
   */
  readonly fixes?: boolean;
}

/** Reads files from disk, answering undefined instead of throwing. */
export const fileSystemHost: AnalysisHost = {
  readFile: readTextFile,
  readDir: readDirNames,
};

/**
 * A file's text, or undefined when it is missing or unreadable (the hosts' `readFile`). Most
 * reads of an analysis miss: an import is tried as `x.ts`, `x.tsx`, ..., `x/index.js`, and
 * tsconfig.json and package.json are looked for in every folder up from the file. A miss is
 * answered by a stat that does not throw: an ENOENT exception cost about 0.1 ms, a stat a few
 * microseconds.
 */
export function readTextFile(file: string): string | undefined {
  try {
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The names in a folder, or undefined when it cannot be listed (the hosts' `readDir`). */
export function readDirNames(dir: string): readonly string[] | undefined {
  try {
    return fs.readdirSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * Runs the enabled rules over one file's text through the engine for its language.
 * Construct with `Linter.create` (engines load WASM parsers asynchronously); after that
 * `lintText` is synchronous, which is what the language server and the CLI want.
 */
export class Linter {
  private readonly engineByLanguage = new Map<Language, Engine>();
  private readonly enabled: readonly Rule[];
  private readonly severity = new Map<string, Severity>();
  private readonly budgetMs: number;
  private readonly guard: GuardOptions;

  private constructor(readonly options: LinterOptions) {
    const config = options.config ?? DEFAULT_CONFIG;
    for (const engine of options.engines) {
      for (const lang of engine.languages) this.engineByLanguage.set(lang, engine);
    }
    this.enabled = options.rules.filter((r) => config.rules[r.meta.id] !== 'off');
    for (const rule of this.enabled) {
      const setting = config.rules[rule.meta.id];
      this.severity.set(rule.meta.id, setting && setting !== 'off' ? setting : rule.meta.severity);
    }
    this.budgetMs = options.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS;
    this.guard = { maxFileBytes: config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, analyzeMinified: config.analyzeMinified ?? false };
  }

  static async create(options: LinterOptions): Promise<Linter> {
    await Promise.all(options.engines.map((e) => e.init()));
    return new Linter(options);
  }

  /** Rules that are switched on by the configuration. */
  get rules(): readonly Rule[] {
    return this.enabled;
  }

  /** Whether a file name is one the linter reads. */
  supports(file: string): boolean {
    const lang = languageOf(file);
    return lang !== undefined && this.engineByLanguage.has(lang);
  }

  lintText(file: string, text: string, opts: LintTextOptions = {}): FileResult {
    const started = performance.now();
    const language = opts.language ?? languageOf(file);
    if (!language) {
      return { file, language: 'typescript', findings: [], problems: [], elapsedMs: 0 };
    }
    const engine = this.engineByLanguage.get(language);
    const rules = this.enabled.filter((r) => r.meta.languages.includes(language));
    if (!engine || rules.length === 0) {
      return { file, language, findings: [], problems: [], elapsedMs: performance.now() - started };
    }
    // Parsers cannot be interrupted: files they would spend seconds on are refused up front.
    const refused = precheck(file, text, this.guard);
    if (refused) return { file, language, findings: [], problems: [refused], elapsedMs: performance.now() - started };
    const lines = new LineMap(text);
    let reports: readonly RuleReport[] = [];
    let problems: readonly FileProblem[] = [];
    try {
      const out = engine.analyze({ file, text, language, lines }, rules, {
        host: opts.host ?? fileSystemHost,
        deadline: started + this.budgetMs,
        fixes: opts.fixes ?? true,
      });
      reports = out.reports;
      problems = out.problems;
    } catch (err) {
      // An engine bug must cost one file, not the run.
      problems = [{ file, kind: 'internal-error', message: `analysis failed: ${(err as Error).message}` }];
    }
    // A partial analysis may have missed findings a directive was written for: do not call it unused.
    const complete = !problems.some((p) => p.kind === 'timeout' || p.kind === 'internal-error' || p.kind === 'parse-error');
    reports = this.suppress(file, text, lines, language, reports, complete);
    const findings = this.toFindings(file, lines, reports);
    return { file, language, findings, problems, elapsedMs: performance.now() - started };
  }

  /**
   * Drops reports covered by suppression directives and adds the directives' own findings
   * (`invalid-suppression`, `unused-suppression`) when those rules are enabled.
   */
  private suppress(file: string, text: string, lines: LineMap, language: Language, reports: readonly RuleReport[], complete: boolean): readonly RuleReport[] {
    const directives = parseDirectives(text, lines, language);
    if (directives.length === 0) return reports;
    const resolved = reports.map((r) => ({
      ruleId: r.ruleId,
      startLine: lines.position(r.span.start).line,
      endLine: lines.position(r.span.end).line,
    }));
    const known = new Set(this.options.rules.map((r) => r.meta.id));
    const ran = new Set(this.enabled.filter((r) => r.meta.languages.includes(language)).map((r) => r.meta.id));
    const { suppressed, problems } = applyDirectives(file, text, directives, resolved, known, ran);
    const kept: RuleReport[] = reports.filter((_, i) => !suppressed[i]);
    for (const p of problems) {
      if (p.ruleId === INVALID_SUPPRESSION || (p.ruleId === UNUSED_SUPPRESSION && complete)) {
        if (ran.has(p.ruleId)) kept.push({ ruleId: p.ruleId, span: p.span, message: p.message, ...(p.fixes ? { fixes: p.fixes } : {}) });
      }
    }
    return kept;
  }

  private toFindings(file: string, lines: LineMap, reports: readonly RuleReport[]): Finding[] {
    const byId = new Map(this.enabled.map((r) => [r.meta.id, r]));
    const seen = new Set<string>();
    const occurrences = new Map<string, number>();
    const findings: Finding[] = [];
    const sinkFiles = sinkFilesOfCollisions(file, reports);
    for (const report of reports) {
      const rule = byId.get(report.ruleId);
      if (!rule) continue;
      const sinkFile = sinkFiles.get(report);
      const r = sinkFile ? { ...report, message: `${report.message.replace(/\)?\.$/, '')}${report.message.endsWith(').') ? '; ' : ' ('}sink in ${sinkFile}).` } : report;
      const key = `${r.ruleId}\0${r.span.start}\0${r.span.end}\0${r.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const location = lines.location(file, r.span);
      // Fingerprints ignore line numbers so that edits elsewhere keep baselines valid.
      const basis = `${r.ruleId}\0${r.message}\0${lines.lineText(location.startLine).trim()}`;
      const n = occurrences.get(basis) ?? 0;
      occurrences.set(basis, n + 1);
      const fingerprint = fingerprintOf(`${basis}\0${n}`);
      findings.push({
        ruleId: r.ruleId,
        message: r.message,
        severity: this.severity.get(r.ruleId) ?? rule.meta.severity,
        cwe: rule.meta.cwe,
        location,
        flow: r.flow ?? [],
        fixes: normaliseFixes(r.fixes ?? []),
        fingerprint,
        ...(r.properties ? { properties: r.properties } : {}),
      });
    }
    findings.sort(
      (a, b) => a.location.span.start - b.location.span.start || a.ruleId.localeCompare(b.ruleId),
    );
    return findings;
  }
}

/**
 * The first 32 hex digits of the SHA-256 of `key`, remembered: as the user types, nearly every
 * finding of the file comes back with the same rule, message and line text, and hashing each
 * again was a tenth of what the linter allocated per keystroke outside the engines.
 */
function fingerprintOf(key: string): string {
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 32);
    if (fingerprints.size >= MAX_FINGERPRINTS) fingerprints.clear();
    // The key holds a line of the file: a copy, not a view of the whole text (see `detach`).
    fingerprints.set(detach(key), fingerprint);
  }
  return fingerprint;
}

const MAX_FINGERPRINTS = 8192;
const fingerprints = new Map<string, string>();

/** At most one preferred proposal per finding: the first one that asks for it. */
function normaliseFixes(fixes: readonly FixProposal[]): FixProposal[] {
  let preferredSeen = false;
  return fixes.map((f) => {
    if (!f.preferred) return f;
    if (preferredSeen) return { ...f, preferred: false };
    preferredSeen = true;
    return f;
  });
}

/**
 * Flows of other modules reported at one call whose messages read the same but whose sinks lie
 * in different files (tools that one factory of another module wraps, each reaching its own
 * `readFile`, registered by one loop: `server.registerTool(tool)`): the sink's file, relative to
 * the analysed file's folder, for each such report, so that they are not taken for one finding.
 * Reports whose message no other shares keep it as it is (a baseline keeps matching).
 */
function sinkFilesOfCollisions(file: string, reports: readonly RuleReport[]): Map<RuleReport, string> {
  const out = new Map<RuleReport, string>();
  const groups = new Map<string, RuleReport[]>();
  for (const r of reports) {
    const last = r.flow?.[r.flow.length - 1];
    if (!last || last.location.file === file) continue;
    const key = `${r.ruleId}\0${r.span.start}\0${r.span.end}\0${r.message}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const dir = nodePath.dirname(file);
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const files = new Set(g.map((r) => r.flow![r.flow!.length - 1]!.location.file));
    if (files.size < 2) continue;
    for (const r of g) out.set(r, nodePath.relative(dir, r.flow![r.flow!.length - 1]!.location.file).split(nodePath.sep).join('/'));
  }
  return out;
}
