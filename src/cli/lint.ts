import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, createLinter, languageOf, loadConfig, type FileProblem, type FileResult } from '../core';
import { isBaselined, readBaseline, writeBaseline } from './baseline';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { collectInputs, readSourceFile } from './files';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { CachingHost } from './host';
import { defaultJobs, lintAll } from './pool';
import { failingFindings, type LintRun } from './run';

export const LINT_USAGE = `Usage: mcp-warden lint [PATH...] [options]

Lints TypeScript, JavaScript and Python MCP servers. PATH defaults to the current folder.

Options:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE instead of standard output
  --fix                      apply behaviour-preserving fixes to the files
  --baseline FILE            do not report findings recorded in FILE
  --write-baseline FILE      record the current findings in FILE and exit 0
  --jobs N                   threads to lint with (default: the available cores, at most 8;
                             1 = no worker threads; small runs and --fix use one thread)
  -h, --help                 show this help

Exit codes: 0 no findings at warning or above, 1 findings, 2 usage or internal error.`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '' && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/** Config lookup starts at the single folder being linted, else at the working directory. */
function configStart(inputs: readonly string[], cwd: string): string {
  if (inputs.length !== 1) return cwd;
  try {
    return fs.statSync(inputs[0]!).isDirectory() ? inputs[0]! : path.dirname(inputs[0]!);
  } catch {
    return cwd;
  }
}

export { writeFixed } from './lint-file';

/**
 * Settings for the CLI's own tests, which need worker threads on small inputs and a short
 * stall limit: MCP_WARDEN_TEST_PARALLEL_MIN_BYTES and MCP_WARDEN_TEST_STALL_MS.
 */
function testKnobs(env: NodeJS.ProcessEnv): { minParallelBytes?: number; stallMs?: number } {
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const minParallelBytes = num(env.MCP_WARDEN_TEST_PARALLEL_MIN_BYTES);
  const stallMs = num(env.MCP_WARDEN_TEST_STALL_MS);
  return { ...(minParallelBytes !== undefined ? { minParallelBytes } : {}), ...(stallMs !== undefined ? { stallMs } : {}) };
}

/** `mcp-warden lint`: returns the exit code; throws UsageError for bad invocations. */
export async function runLint(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      fix: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(`${LINT_USAGE}\n`);
    return EXIT_OK;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`unknown format '${values.format}' (expected text, json or sarif)`);
  }
  let jobs = defaultJobs();
  if (values.jobs !== undefined) {
    if (!/^[1-9]\d{0,3}$/.test(values.jobs)) throw new UsageError(`--jobs needs a whole number from 1 to 9999, not '${values.jobs}'`);
    jobs = Number(values.jobs);
  }
  const inputs = positionals.length > 0 ? positionals : ['.'];
  const resolvedInputs = inputs.map((p) => path.resolve(io.cwd, p));

  let config;
  try {
    config = loadConfig(configStart(resolvedInputs, io.cwd));
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const collected = collectInputs(inputs, io.cwd, {
    extraIgnore: config.ignore,
    ...(config.root ? { extraRoot: config.root } : {}),
  });
  const baselineFile = values.baseline ? path.resolve(io.cwd, values.baseline) : undefined;
  const accepted = baselineFile ? readBaseline(baselineFile) : undefined;

  // Only the engines this run needs: a TypeScript-only run does not load the Python parser.
  const languages = [...new Set(collected.files.map(languageOf).filter((l) => l !== undefined))];
  const linter = await createLinter(config, languages);
  const outcomes = await lintAll(collected.files, { linter, host: new CachingHost(), config, jobs, fix: values.fix, log: io.stderr, ...testKnobs(io.env) });
  const results: FileResult[] = [];
  const unreadable: FileProblem[] = [...collected.problems];
  const texts = new Map<string, string>();
  const skipped = [...collected.skipped];
  for (const o of outcomes) {
    if ('problem' in o) {
      unreadable.push(o.problem);
      continue;
    }
    if ('skipped' in o) {
      skipped.push({ file: o.file, reason: o.skipped });
      continue;
    }
    results.push(o.result);
    if (o.text !== undefined) texts.set(o.file, o.text);
  }
  // Problems in path order, whichever way they were found (named special files, unreadable files).
  unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // Fix edits in a file other than the finding's own resolve against that file's text.
  for (const r of results) {
    for (const f of r.findings) {
      for (const e of f.fixes.flatMap((x) => x.edits)) {
        if (texts.has(e.file)) continue;
        const read = readSourceFile(e.file);
        if (read.ok) texts.set(e.file, read.text);
      }
    }
  }

  let baselined = 0;
  const kept = accepted
    ? results.map((r) => {
        const findings = r.findings.filter((f) => !isBaselined(accepted, path.dirname(baselineFile!), f));
        baselined += r.findings.length - findings.length;
        return { ...r, findings };
      })
    : results;
  const run: LintRun = { baseDir: io.cwd, rules: linter.rules, results: kept, unreadable, texts, baselined, skipped };

  if (values['write-baseline']) {
    const target = path.resolve(io.cwd, values['write-baseline']);
    writeBaseline(target, path.dirname(target), kept.flatMap((r) => r.findings));
    io.stderr.write(`Wrote ${kept.reduce((n, r) => n + r.findings.length, 0)} findings to ${target}\n`);
    return unreadable.length > 0 ? EXIT_USAGE : EXIT_OK;
  }

  const color = values.output === undefined && useColor(io);
  const report = format === 'json' ? formatJson(run) : format === 'sarif' ? formatSarif(run) : formatText(run, { color });
  if (values.output) {
    fs.writeFileSync(path.resolve(io.cwd, values.output), report);
  } else {
    io.stdout.write(report);
  }
  // A file we could not read at all means the result is incomplete: that is an error, not a pass.
  if (unreadable.length > 0) {
    if (format !== 'text' || values.output) {
      for (const p of unreadable) io.stderr.write(`mcp-warden: ${path.relative(io.cwd, p.file) || p.file}: ${p.message}\n`);
    }
    return EXIT_USAGE;
  }
  return failingFindings(run).length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
