/**
 * Language-independent checks that run before any parser (issue 9). The per-file time budget
 * is checked between analysis phases, but nothing can interrupt a parser: a 5 MB minified
 * bundle took 5-12 s in TypeScript's parser alone. Files that are too big, or minified, are
 * therefore reported as `too-large` problems, with the configuration key that includes them.
 */
import type { FileProblem } from './types';

/**
 * Default `maxFileBytes`. The whole pipeline (parse, MCP model, taint, rules) took 1.0-1.6 s of
 * CPU per MB of real JavaScript on the reference machine (lodash.js 533 KB: 0.96 s; a 850 KB
 * bundle: 1.04 s; 1 MB of generated minified code: 1.57 s), so 1 MiB is the largest file that
 * still fits the 2 s per-file budget. Semgrep's default `--max-target-bytes` is 1,000,000 for
 * the same reason. The largest file of the benchmark corpus of MCP servers under it is 397 KB
 * (generated API types); the one over it is a 1.3 MB generated HTML bundle in a string.
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Lines longer than this are what minifiers and bundlers write; people do not. */
export const LONG_LINE = 1000;

/** What the guard lets through. */
export interface GuardOptions {
  /** Files larger than this (UTF-8 bytes) are not analysed. */
  readonly maxFileBytes: number;
  /** Analyse minified code too. */
  readonly analyzeMinified: boolean;
}

export const DEFAULT_GUARD: GuardOptions = { maxFileBytes: DEFAULT_MAX_FILE_BYTES, analyzeMinified: false };

/** Shares of a text that tell minified code apart from source with long string literals. */
export interface LineStats {
  /** Share of all characters that sit on lines longer than `LONG_LINE`. */
  readonly longShare: number;
  /** '=' per character on those long lines. */
  readonly equalsRate: number;
  /** '(' and ')' per character on those long lines. */
  readonly parenRate: number;
}

/** One pass over the characters; counts only on long lines. */
export function lineStats(text: string): LineStats {
  let longChars = 0;
  let equals = 0;
  let parens = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    if (end - start > LONG_LINE) {
      longChars += end - start;
      for (let i = start; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x3d) equals++;
        else if (c === 0x28 || c === 0x29) parens++;
      }
    }
    start = end + 1;
  }
  return {
    longShare: n === 0 ? 0 : longChars / n,
    equalsRate: longChars === 0 ? 0 : equals / longChars,
    parenRate: longChars === 0 ? 0 : parens / longChars,
  };
}

/**
 * Whether a text is minified code: most of it on lines over 1,000 characters, and those lines
 * dense with code. Measured on this repository's node_modules and the benchmark corpus of MCP
 * servers: every minified bundle had at least 13 '=' and 27 parentheses per 1,000 characters
 * of its long lines; files whose long lines are data (base64 images, JSON or Markdown in test
 * strings, source maps, generated lookup tables, Unicode regexes) had at most 6 '=' or almost
 * no parentheses, and declaration files of long type signatures at most 1 parenthesis. Of
 * 14,811 files it flags 68: minified bundles, and generated modules that embed one in a string
 * (a Vite-built UI in the corpus, workerpool's embedded worker); no hand-written source.
 */
export function isMinified(text: string): boolean {
  if (text.length <= LONG_LINE) return false;
  const s = lineStats(text);
  return s.longShare >= 0.5 && s.equalsRate >= 0.01 && s.parenRate >= 0.02;
}

/** A character `controlShare` counts. */
const CONTROL_CHAR = /[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]/;

/**
 * Share of characters that text does not contain: C0 controls other than whitespace, DEL, C1
 * controls and U+FFFD (bytes that did not decode). Binary data read as text has 20-45%
 * (random bytes: 23% as Latin-1, ~45% as UTF-8); of 14,811 real files 21 had any, the most
 * 8% (iconv-lite's generated single-byte code tables), the next 0.02%.
 */
export function controlShare(text: string): number {
  // Almost every source file has none: one regex scan is several times faster than the loop.
  if (!CONTROL_CHAR.test(text)) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 ? c < 0x09 || (c > 0x0d && c < 0x20) : (c >= 0x7f && c <= 0x9f) || c === 0xfffd) n++;
  }
  return text.length === 0 ? 0 : n / text.length;
}

/** Above this share of control characters a text is binary data (see `controlShare`). */
export const MAX_CONTROL_SHARE = 0.15;

/**
 * `1,390,457 bytes`. Grouped by hand: the first `toLocaleString` of a process loads the ICU
 * data, 6 ms of a CLI run over the benchmark corpus for its one oversized file.
 */
function formatBytes(bytes: number): string {
  return `${String(bytes).replace(/\B(?=(\d{3})+$)/g, ',')} bytes`;
}

/**
 * The problem that keeps `text` from being analysed, or undefined when it may be. Cheap:
 * a length check, and a character scan only for files that have long lines.
 */
export function precheck(file: string, text: string, options: GuardOptions = DEFAULT_GUARD): FileProblem | undefined {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most files need no byte count.
  if (text.length * 3 > options.maxFileBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > options.maxFileBytes) {
      return {
        file,
        kind: 'too-large',
        message: `not analysed: ${formatBytes(bytes)} is over the ${formatBytes(options.maxFileBytes)} limit; raise 'maxFileBytes' in .mcp-warden.json to include it`,
      };
    }
  }
  // Parsers' error recovery on noise is slow (tree-sitter spent 6 s on 640 KB of random bytes).
  const control = controlShare(text);
  if (control > MAX_CONTROL_SHARE && text.length >= 256) {
    return {
      file,
      kind: 'binary',
      message: `not analysed: ${Math.round(control * 100)}% of the characters are control characters or undecodable bytes, so this is binary data, not source`,
    };
  }
  if (!options.analyzeMinified && isMinified(text)) {
    return {
      file,
      kind: 'too-large',
      message: "not analysed: the file is minified (most of it on lines over 1,000 characters); set 'analyzeMinified': true in .mcp-warden.json to include it",
    };
  }
  return undefined;
}
