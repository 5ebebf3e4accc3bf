/**
 * Formatting conventions of a file, detected from its text so that inserted code looks like
 * the code around it (line endings, indentation unit, quote style, semicolons).
 */

/** How a file is written; every fix builder formats its inserted code with this. */
export interface FileStyle {
  /** Line ending used by the file: `\r\n` when most line breaks are CRLF. */
  readonly eol: '\n' | '\r\n';
  /** One level of indentation: a tab or some number of spaces. */
  readonly indent: string;
  /** String quote for TS/JS (`'` or `"`); Python code always gets `'` unless the file prefers `"`. */
  readonly quote: "'" | '"';
  /** Whether TS/JS statements end with `;` (always false for Python). */
  readonly semi: boolean;
}

/** Line ending the file mostly uses (LF for a file without line breaks). */
export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Smallest consistent indentation step of the file: a tab when indented lines mostly start
 * with tabs, else the most common positive difference between consecutive indented lines
 * (2 or 4 spaces in practice). Defaults to 2 spaces for TS/JS and 4 for Python.
 */
export function detectIndent(text: string, language: 'typescript' | 'javascript' | 'python' = 'typescript'): string {
  const lines = text.split(/\r?\n/);
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let prev = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const m = /^[ \t]*/.exec(line)![0];
    if (m.startsWith('\t')) tabs++;
    else if (m.length > 0) spaces++;
    if (!m.includes('\t')) {
      const d = m.length - prev;
      if (d > 0 && d <= 8) steps.set(d, (steps.get(d) ?? 0) + 1);
      prev = m.length;
    }
  }
  if (tabs > spaces) return '\t';
  let best = 0;
  let bestCount = 0;
  for (const [d, n] of steps) {
    if (n > bestCount || (n === bestCount && d < best)) {
      best = d;
      bestCount = n;
    }
  }
  if (best === 0) return language === 'python' ? '    ' : '  ';
  return ' '.repeat(best);
}

/**
 * Quote style of string literals: counts `'...'` against `"..."` literals outside comments
 * (roughly: lines starting with `//`, `#` or `*` are skipped). Ties go to `'`.
 */
export function detectQuote(text: string): "'" | '"' {
  let single = 0;
  let double = 0;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trimStart();
    if (t.startsWith('//') || t.startsWith('#') || t.startsWith('*') || t.startsWith('/*')) continue;
    single += (line.match(/'[^'\n\\]*(?:\\.[^'\n\\]*)*'/g) ?? []).length;
    double += (line.match(/"[^"\n\\]*(?:\\.[^"\n\\]*)*"/g) ?? []).length;
  }
  return double > single ? '"' : "'";
}

/**
 * Whether statements end with semicolons: compares lines ending in `;` with lines that end a
 * statement without one (an identifier, `)`, a literal). Defaults to true.
 */
export function detectSemicolons(text: string): boolean {
  let withSemi = 0;
  let without = 0;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('//') || t.startsWith('*') || t.startsWith('/*')) continue;
    if (t.endsWith(';')) withSemi++;
    else if (/^(import|export|const|let|var|return|await)\b/.test(t) && /[\w)'"`\]]$/.test(t)) without++;
  }
  return withSemi >= without;
}

let lastStyle: { text: string; language: string; style: FileStyle } | undefined;

/** All conventions of a file at once (remembered for the last text: builders run once per flow). */
export function detectStyle(text: string, language: 'typescript' | 'javascript' | 'python'): FileStyle {
  // Keyed on the sample the style is detected from: typing further down keeps the answer.
  const sample = styleSample(text);
  if (lastStyle && lastStyle.text === sample && lastStyle.language === language) return lastStyle.style;
  const style = computeStyle(sample, language);
  lastStyle = { text: sample, language, style };
  return style;
}

/** Conventions are settled long before this: detecting on a prefix keeps fixes cheap on big files. */
const STYLE_SAMPLE_CHARS = 16_384;

function styleSample(whole: string): string {
  const cut = whole.length > STYLE_SAMPLE_CHARS ? whole.lastIndexOf('\n', STYLE_SAMPLE_CHARS) : -1;
  return cut > 0 ? whole.slice(0, cut) : whole;
}

function computeStyle(text: string, language: 'typescript' | 'javascript' | 'python'): FileStyle {
  return {
    eol: detectEol(text),
    indent: detectIndent(text, language),
    quote: detectQuote(text),
    semi: language === 'python' ? false : detectSemicolons(text),
  };
}

/** Leading whitespace of the line that contains `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, start + 200))![0];
}

/** Offset where the line containing `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset just after the line break that ends the line containing `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

/** A TS/JS string literal in the file's quote style. */
export function quoteJs(value: string, style: Pick<FileStyle, 'quote'>): string {
  const q = style.quote;
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `${q}${escaped}${q}`;
}

/** A Python string literal in the file's quote style. */
export function quotePy(value: string, style: Pick<FileStyle, 'quote'>): string {
  return quoteJs(value, style);
}

/** Re-indents a block written with `\n` and two-space steps into the file's eol and indent unit. */
export function formatBlock(lines: readonly string[], style: FileStyle, baseIndent = ''): string {
  return lines
    .map((l) => {
      if (l === '') return '';
      const m = /^( {2})*/.exec(l)![0];
      return baseIndent + style.indent.repeat(m.length / 2) + l.slice(m.length);
    })
    .join(style.eol);
}

/** `;` when the file uses semicolons, else nothing. */
export function semi(style: Pick<FileStyle, 'semi'>): string {
  return style.semi ? ';' : '';
}
