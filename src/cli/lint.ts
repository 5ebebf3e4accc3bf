import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, createLinter, loadConfig, type FileProblem, type FileResult, type Linter } from '../core';
import { applyEdits, autoFixEdits } from '../core/fix';
import { isBaselined, readBaseline, writeBaseline } from './baseline';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { collectFiles, readSourceFile } from './files';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { failingFindings, type LintRun } from './run';

export const LINT_USAGE = `Usage: mcp-warden lint [PATH...] [options]

Lints TypeScript, JavaScript and Python MCP servers. PATH defaults to the current folder.

Options:
  --format text|json|sarif   output format (default: text)
  --output FILE              write the report to FILE instead of standard output
  --fix                      apply behaviour-preserving fixes to the files
  --baseline FILE            do not report findings recorded in FILE
  --write-baseline FILE      record the current findings in FILE and exit 0
  -h, --help                 show this help

Exit codes: 0 no findings at warning or above, 1 findings, 2 usage or internal error.`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Largest number of --fix passes over one file (fixes can uncover or shift other fixes). */
const MAX_FIX_PASSES = 10;

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

function lintOne(linter: Linter, file: string, text: string): FileResult {
  return linter.lintText(file, text);
}

/**
 * Writes a fixed file back the way it was encoded: a UTF-8 byte-order mark stays (the reader
 * strips it), and in a file that used CRLF throughout, line breaks a fix inserted as a bare LF
 * become CRLF, so --fix never leaves mixed line endings.
 */
export function writeFixed(file: string, original: string, fixed: string): void {
  let out = fixed;
  const crlf = original.includes('\r\n') && !/(^|[^\r])\n/.test(original);
  if (crlf) out = out.replace(/\r?\n/g, '\r\n');
  let bom = false;
  try {
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(3);
    fs.readSync(fd, head, 0, 3, 0);
    fs.closeSync(fd);
    bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } catch {
    // Unreadable now: write without a BOM rather than fail the run.
  }
  fs.writeFileSync(file, bom ? `\ufeff${out}` : out);
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
  const inputs = positionals.length > 0 ? positionals : ['.'];
  const resolvedInputs = inputs.map((p) => path.resolve(io.cwd, p));

  let config;
  try {
    config = loadConfig(configStart(resolvedInputs, io.cwd));
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const files = collectFiles(inputs, io.cwd, {
    extraIgnore: config.ignore,
    ...(config.root ? { extraRoot: config.root } : {}),
  });
  const baselineFile = values.baseline ? path.resolve(io.cwd, values.baseline) : undefined;
  const accepted = baselineFile ? readBaseline(baselineFile) : undefined;

  const linter = await createLinter(config);
  const results: FileResult[] = [];
  const unreadable: FileProblem[] = [];
  const texts = new Map<string, string>();
  for (const file of files) {
    if (!linter.supports(file)) {
      unreadable.push({ file, kind: 'unreadable', message: 'not a TypeScript, JavaScript or Python file' });
      continue;
    }
    const read = readSourceFile(file);
    if (!read.ok) {
      unreadable.push({ file, kind: read.kind, message: read.message });
      continue;
    }
    let text = read.text;
    let result = lintOne(linter, file, text);
    if (values.fix) {
      const broken = (r: FileResult) => r.problems.some((p) => p.kind === 'parse-error');
      // Like eslint: a file that does not parse is not fixed (the tree the fixes came from is a guess).
      for (let pass = 0; pass < MAX_FIX_PASSES && !broken(result); pass++) {
        const edits = autoFixEdits(file, result.findings);
        if (edits.length === 0) break;
        const next = applyEdits(text, edits).text;
        if (next === text) break;
        const nextResult = lintOne(linter, file, next);
        // A fix that breaks the syntax is dropped with its pass, never written.
        if (broken(nextResult)) break;
        text = next;
        result = nextResult;
      }
      if (text !== read.text) writeFixed(file, read.text, text);
    }
    texts.set(file, text);
    results.push(result);
  }

  let baselined = 0;
  const kept = accepted
    ? results.map((r) => {
        const findings = r.findings.filter((f) => !isBaselined(accepted, path.dirname(baselineFile!), f));
        baselined += r.findings.length - findings.length;
        return { ...r, findings };
      })
    : results;
  const run: LintRun = { baseDir: io.cwd, rules: linter.rules, results: kept, unreadable, texts, baselined };

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
