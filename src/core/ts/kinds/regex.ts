import { regexKeepsPathInside } from '../../regex-path';

/**
 * What a validating regular expression guarantees, per taint kind: a value that matches an
 * anchored pattern built only from character classes cannot contain characters outside them.
 * Used for zod `.regex()` schemas and `re.test(x)` guards.
 */

/** Characters that let a value break out of a shell command. */
const SHELL_META = ';&|`$()<>\n\r\'"\\*?[]{}~! \t#';
/** Characters that let a value break out of a SQL literal or identifier. */
const SQL_META = '\'"`\\;- \t\n\r/*';

export interface RegexFacts {
  /** Anchored at both ends, no alternation at top level, no `.` wildcard. */
  readonly strict: boolean;
  /** Every character a matching value can contain (approximate, over-approximated). */
  readonly chars: ReadonlySet<string>;
  /** Whether the first character can be '-'. */
  readonly leadingDash: boolean;
  /** Whether some mandatory atom excludes '.', so the value cannot be '.' or '..'. */
  readonly notDotsOnly: boolean;
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const WORD = DIGITS + LOWER + UPPER + '_';
const SPACE = ' \t\n\r\f\v';

/** A printable-ASCII stand-in for "anything", used for negated classes. */
const ANY = (() => {
  let s = '\n\r\t';
  for (let c = 32; c < 127; c++) s += String.fromCharCode(c);
  return s;
})();

function escapeChars(ch: string): string | undefined {
  switch (ch) {
    case 'd':
      return DIGITS;
    case 'w':
      return WORD;
    case 's':
      return SPACE;
    case 'D':
    case 'W':
    case 'S':
      return undefined; // negated classes: anything
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    default:
      return ch;
  }
}

/** Parses a class body `[...]` starting after '['; returns chars and the index after ']'. */
function parseClass(src: string, i: number): { chars: Set<string>; next: number } | undefined {
  let negated = false;
  if (src[i] === '^') {
    negated = true;
    i++;
  }
  const chars = new Set<string>();
  let first = true;
  while (i < src.length && (src[i] !== ']' || first)) {
    first = false;
    let ch = src[i]!;
    let set: string | undefined;
    if (ch === '\\') {
      const e = src[i + 1];
      if (e === undefined) return undefined;
      set = escapeChars(e);
      if (set === undefined) set = ANY;
      i += 2;
    } else {
      i++;
      if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        let to = src[i + 1]!;
        let skip = 2;
        if (to === '\\') {
          to = src[i + 2] ?? to;
          skip = 3;
        }
        set = '';
        for (let c = ch.charCodeAt(0); c <= to.charCodeAt(0) && set.length < 512; c++) set += String.fromCharCode(c);
        i += skip;
      } else {
        set = ch;
      }
    }
    for (const c of set) chars.add(c);
  }
  if (src[i] !== ']') return undefined;
  if (negated) {
    const all = new Set<string>();
    for (const c of ANY) if (!chars.has(c)) all.add(c);
    return { chars: all, next: i + 1 };
  }
  return { chars, next: i + 1 };
}

/** Analyses a pattern's source text. Unknown constructs make it non-strict. */
export function regexFacts(source: string): RegexFacts {
  const chars = new Set<string>();
  const fail: RegexFacts = { strict: false, chars, leadingDash: true, notDotsOnly: false };
  let s = source;
  if (!s.startsWith('^')) return fail;
  if (s.endsWith('\\z')) s = s.slice(0, -2) + '$';
  if (!s.endsWith('$') || s.endsWith('\\$')) return fail;
  s = s.slice(1, -1);
  let i = 0;
  let leadingDash = false;
  let firstDone = false;
  let notDotsOnly = false;
  // Groups are flattened: `(?:[a-z]+-)*` contributes its characters, and so do the alternatives
  // of `(png|svg)` (their union is all any match can hold). Per open group: whether its current
  // alternative, and every one before it, has a mandatory character other than a dot; a
  // mandatory group where all do counts as such a character for the group around it.
  const groups: { alt: boolean; all: boolean }[] = [];
  const nonDot = (): void => {
    const g = groups[groups.length - 1];
    if (g) g.alt = true;
    else notDotsOnly = true;
  };
  let depth = 0;
  while (i < s.length) {
    const ch = s[i]!;
    let atom: Set<string> | undefined;
    if (ch === '(') {
      if (s.startsWith('(?:', i)) i += 3;
      else if (s.startsWith('(?<', i) && s[i + 3] !== '=' && s[i + 3] !== '!') {
        const close = s.indexOf('>', i);
        if (close < 0) return fail;
        i = close + 1;
      } else if (s[i + 1] === '?') return fail;
      else i += 1;
      depth++;
      groups.push({ alt: false, all: true });
      continue;
    }
    if (ch === ')') {
      const g = groups.pop();
      if (!g) return fail;
      depth--;
      i++;
      const q = skipQuantifier(s, i);
      i = q.next;
      if (q.min > 0 && g.all && g.alt) nonDot();
      continue;
    }
    if (ch === '|') {
      // Alternation at the top would make `^a|b$` anchor only one side.
      const g = groups[groups.length - 1];
      if (!g) return fail;
      g.all &&= g.alt;
      g.alt = false;
      i++;
      continue;
    }
    if (ch === '.') return fail;
    if (ch === '[') {
      const c = parseClass(s, i + 1);
      if (!c) return fail;
      atom = c.chars;
      i = c.next;
    } else if (ch === '\\') {
      const e = s[i + 1];
      if (e === undefined) return fail;
      if (e === 'b' || e === 'B') {
        i += 2;
        continue;
      }
      const set = escapeChars(e);
      if (set === undefined) return fail;
      atom = new Set(set);
      i += 2;
    } else if (ch === '^' || ch === '$') {
      return fail;
    } else {
      atom = new Set(ch);
      i++;
    }
    const q = skipQuantifier(s, i);
    i = q.next;
    for (const c of atom) chars.add(c);
    // Atoms up to and including the first mandatory top-level one can supply the first character.
    if (!firstDone) {
      if (atom.has('-')) leadingDash = true;
      if (q.min > 0 && depth === 0) firstDone = true;
    }
    if (q.min > 0 && !atom.has('.')) nonDot();
  }
  if (depth !== 0) return fail;
  return { strict: true, chars, leadingDash, notDotsOnly };
}

function skipQuantifier(s: string, i: number): { next: number; min: number } {
  const q = s[i];
  let min = 1;
  let next = i;
  if (q === '*' || q === '?') {
    min = 0;
    next = i + 1;
  } else if (q === '+') {
    next = i + 1;
  } else if (q === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(s.slice(i));
    if (m) {
      min = Number(m[1]);
      next = i + m[0].length;
    }
  }
  if (s[next] === '?' || s[next] === '+') next++;
  return { next, min };
}

/** The kinds for which a value matching the pattern is safe. */
export function regexSafeKinds(source: string): { command: boolean; argument: boolean; sql: boolean; path: boolean; ssrf: boolean; code: boolean } {
  const f = regexFacts(source);
  if (!f.strict) return { command: false, argument: false, sql: false, path: false, ssrf: false, code: false };
  const none = (meta: string) => ![...meta].some((c) => f.chars.has(c));
  const command = none(SHELL_META);
  return {
    command,
    argument: command && !f.leadingDash,
    sql: none(SQL_META),
    // No value can start with a separator or hold a '..' segment (../regex-path.ts), or, for a
    // pattern that does not parse as JavaScript, the characters alone say so.
    path: regexKeepsPathInside(source, 'js') ?? (!f.chars.has('/') && !f.chars.has('\\') && (!f.chars.has('.') || f.notDotsOnly)),
    ssrf: !f.chars.has('/') && !f.chars.has(':') && !f.chars.has('@') && !f.chars.has('.'),
    code: none(SHELL_META) && !f.chars.has('(') && !f.chars.has('+'),
  };
}
