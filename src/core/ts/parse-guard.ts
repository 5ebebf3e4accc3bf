import { commonEnds } from '../text';

/**
 * Deepest nesting of still-open `async (` / `async <T>(` parentheses that the TypeScript
 * parser will face. Its parser tries every such parenthesis first as an arrow function's
 * parameter list and, when that fails, again as a call, so the work doubles with each level
 * (measured on TypeScript 6.0, 2 shared cores: ~45 ms at 10 levels, 0.1-0.2 s at 12, ~1.3 s at 18, ~5.5 s at 20). Real code
 * never nests more than a few; a fuzzed or half-typed file can. Part of `scanNesting`'s one pass.
 */
export function openAsyncParenDepth(text: string): number {
  return scanNesting(text).asyncDepth;
}

/** Above this many open `async (` levels the parse could take seconds: the file is not parsed. */
export const MAX_OPEN_ASYNC_PARENS = 10;

/**
 * Above this nesting depth (see `nestingDepth`) the file is not parsed. TypeScript's parser is
 * recursive descent: on node 20's default ~1 MB stack (the CLI's main thread; worker threads,
 * like the language server's analysis worker, get 4 MB) a cold parser overflowed at about 520 nested object literals, 530 type-argument
 * levels, 590 arrow functions with parenthesised parameters, 660 'class extends' levels, 730
 * parentheses and 1,210 curried arrows (measured with a fresh process per depth; once
 * warmed up, optimised code reaches ~20% deeper). Half of the worst case leaves room for the
 * callers' frames and for the rules' walks of the same tree. Real code stays far below: the
 * deepest of 14,222 files (106 MB: the benchmark corpus of MCP servers and this repository's
 * node_modules, bundles included) measured 36.
 */
export const MAX_NESTING = 256;

/** Why a text must not be handed to the TypeScript parser, or undefined when it is safe. */
export function parseRisk(text: string): string | undefined {
  return riskOf(text, scanNesting(text));
}

/** The refusal a scan of `text` calls for, or undefined when the parse is safe. */
function riskOf(text: string, scan: { depth: number; offset: number; asyncDepth: number }): string | undefined {
  if (scan.depth > MAX_NESTING) {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < scan.offset; i = text.indexOf('\n', i + 1)) line++;
    return `not analysed: the code nests ${scan.depth} levels deep at line ${line} (brackets, arrow functions, operator chains), over the ${MAX_NESTING} levels the TypeScript parser can take without overflowing its stack`;
  }
  if (scan.asyncDepth > MAX_OPEN_ASYNC_PARENS) {
    return `not analysed: ${scan.asyncDepth} nested 'async (' levels would make the TypeScript parser take exponential time`;
  }
  return undefined;
}

/**
 * `parseRisk` for the next version of a text, scanning only near the edit: the scan of the
 * last version (`GuardScan`) keeps the scanner's state at line starts outside any bracket or
 * expression, so the new text is scanned from the last such point before the edit up to the
 * first one after it where the state is again what the last version's scan had there; the
 * rest is the last scan's. The answer is the full scan's, always (tests compare them).
 */
export class GuardScan {
  private constructor(
    private readonly text: string,
    private readonly segs: Segments,
  ) {}

  /** Scans `text`, from `last` (a scan of an earlier version of the same file) when it has one. */
  static of(text: string, last?: GuardScan): GuardScan {
    return new GuardScan(text, last ? last.rescan(text) : scanSegments(text, 0, 0, undefined));
  }

  /** Why the text must not be parsed (the message `parseRisk` gives), or undefined. */
  get risk(): string | undefined {
    return riskOf(this.text, this.nesting);
  }

  /** What `scanNesting` gives for the text. */
  get nesting(): { depth: number; offset: number; asyncDepth: number } {
    return totals(this.segs, 0, this.segs.count, 0);
  }

  private rescan(text: string): Segments {
    const before = this.text;
    const old = this.segs;
    if (before === text) return old;
    // Where the texts differ: the common prefix and suffix left out.
    const { prefix: start, suffix } = commonEnds(before, text);
    const delta = text.length - before.length;
    const changedEnd = text.length - suffix;
    // The last mark far enough before the edit that the scan up to it read none of the change.
    let j = old.count - 1;
    while (j > 0 && old.pos[j]! + SAFE > start) j--;
    if (old.pos[j]! + SAFE > start) j = -1;
    const from = j < 0 ? 0 : old.pos[j]!;
    const flags = j < 0 ? 0 : old.flags[j]!;
    let resumeAt = -1;
    const fresh = scanSegments(text, from, flags, (at, f) => {
      if (at < changedEnd + SAFE) return false;
      const m = findMark(old, at - delta);
      if (m < 0 || old.flags[m] !== f) return false;
      resumeAt = m;
      return true;
    });
    const keep = j < 0 ? 0 : j;
    const tailCount = resumeAt < 0 ? 0 : old.count - resumeAt;
    return joinSegments(old, keep, fresh, resumeAt, tailCount, delta);
  }
}

/** How deeply a text nests (see `scanNesting`): the depth in levels, and where it is deepest. */
export function nestingDepth(text: string): { depth: number; offset: number } {
  const { depth, offset } = scanNesting(text);
  return { depth, offset };
}

/**
 * How deeply a text nests, in the units the TypeScript parser's recursion pays for: one level
 * per open bracket (`(`, `[`, `{`, `${`, and `<` of type arguments or JSX), and part of a level
 * per token that makes the parser recurse without a bracket: `=>` (a whole level, arrow bodies
 * cost as much as parentheses), half for `class` and `extends`, a quarter for `?`, `:`, `=` and
 * compound assignments, `else`, `if`/`for`/`while`/`do`/`with`, and prefix operators (`!`, `-`,
 * `typeof`, `await`, `new`, ...).
 * Those chain tokens count until the expression or statement ends: `,` or `;` in the same
 * bracket, a newline between the end of one statement and the start of the next, or the
 * bracket closing. Left-deep chains (`a + b + c`, `a.b.c`, `f()()`) cost the parser no stack and
 * count nothing. Strings, comments, template text and regular expressions are skipped. One
 * pass over the characters, no allocation per token: cheap enough to run on every keystroke.
 * The same pass measures `asyncDepth`, the deepest nesting of parentheses opened right after
 * `async` (see `openAsyncParenDepth`).
 */
export function scanNesting(text: string): { depth: number; offset: number; asyncDepth: number } {
  const segs = scanSegments(text, 0, 0, undefined);
  return totals(segs, 0, segs.count, 0);
}

/**
 * The scanner's state at a mark, as bits: the previous token ended an operand, a line break
 * since it, it was 'else', 'async' is pending its '('. Everything else is empty at a mark.
 */
const OPERAND = 1;
const NEWLINE = 2;
const AFTER_ELSE = 4;
const AFTER_ASYNC = 8;
/** Characters between marks, at least: a few per file keeps the arrays small. */
const MARK_GAP = 1024;
/** Characters kept between a mark and an edit: the scanner looks at most two characters ahead or behind. */
const SAFE = 8;

/**
 * One scan cut at marks: line starts where no bracket is open and no expression pending, at
 * least MARK_GAP apart. Segment k runs from `pos[k]` to the next mark (or the end); `deepest`,
 * `deepestAt` and `async` are its own maxima (depth in quarter levels).
 */
interface Segments {
  count: number;
  pos: number[];
  flags: number[];
  deepest: number[];
  deepestAt: number[];
  async: number[];
}

/** The maxima over segments [from, to), positions shifted by `shift`: the first deepest point wins. */
function totals(segs: Segments, from: number, to: number, shift: number): { depth: number; offset: number; asyncDepth: number } {
  let deepest = 0;
  let deepestAt = 0;
  let asyncDepth = 0;
  for (let k = from; k < to; k++) {
    if (segs.deepest[k]! > deepest) {
      deepest = segs.deepest[k]!;
      deepestAt = segs.deepestAt[k]! + shift;
    }
    if (segs.async[k]! > asyncDepth) asyncDepth = segs.async[k]!;
  }
  return { depth: Math.floor(deepest / 4), offset: deepestAt, asyncDepth };
}

/** The index of the mark at `at`, or -1. */
function findMark(segs: Segments, at: number): number {
  let lo = 0;
  let hi = segs.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = segs.pos[mid]!;
    if (p === at) return mid;
    if (p < at) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The old scan's segments before `keep`, the fresh ones, and the old ones from `resumeAt`
 * (`tailCount` of them) moved by `delta`; the last fresh segment ends where the old ones resume.
 */
function joinSegments(old: Segments, keep: number, fresh: Segments, resumeAt: number, tailCount: number, delta: number): Segments {
  const out: Segments = { count: 0, pos: [], flags: [], deepest: [], deepestAt: [], async: [] };
  const add = (src: Segments, k: number, shift: number) => {
    out.pos.push(src.pos[k]! + shift);
    out.flags.push(src.flags[k]!);
    out.deepest.push(src.deepest[k]!);
    out.deepestAt.push(src.deepestAt[k]! + shift);
    out.async.push(src.async[k]!);
    out.count++;
  };
  for (let k = 0; k < keep; k++) add(old, k, 0);
  for (let k = 0; k < fresh.count; k++) add(fresh, k, 0);
  for (let k = resumeAt; k < resumeAt + tailCount; k++) add(old, k, delta);
  return out;
}

/**
 * The scan proper, from `start` in state `startFlags` (a mark's, or 0 at the text's start).
 * `resync` is asked at each point that could be a mark whether the rest of the scan is known
 * (the scan stops there).
 */
function scanSegments(text: string, start: number, startFlags: number, resync: ((at: number, flags: number) => boolean) | undefined): Segments {
  const segs: Segments = { count: 0, pos: [], flags: [], deepest: [], deepestAt: [], async: [] };
  // Parallel stacks: opener kind and the chain units accumulated in that bracket.
  const kinds: number[] = [ROOT];
  const chains: number[] = [0];
  let chainSum = 0;
  const open = new Int32Array(128); // open frames per kind: a closer with none open costs nothing
  let deepest = 0;
  let deepestAt = 0;
  let operand = (startFlags & OPERAND) !== 0; // the previous token ends an operand ('/' divides, '<' compares or opens type arguments)
  let newline = (startFlags & NEWLINE) !== 0; // a line break since the previous token
  let afterElse = (startFlags & AFTER_ELSE) !== 0; // the previous token was 'else'
  let afterAsync = (startFlags & AFTER_ASYNC) !== 0; // the previous token was 'async', or 'async <...' is pending its '('
  let asyncDepth = 0;
  const n = text.length;
  let i = start;
  let lastMark = start;
  /** Ends the current segment (its maxima) and starts one at `at` in state `flags`. */
  const mark = (at: number, flags: number) => {
    segs.pos.push(at);
    segs.flags.push(flags);
    segs.deepest.push(0);
    segs.deepestAt.push(0);
    segs.async.push(0);
    segs.count++;
  };
  const endSegment = () => {
    const k = segs.count - 1;
    segs.deepest[k] = deepest;
    segs.deepestAt[k] = deepestAt;
    segs.async[k] = asyncDepth;
    deepest = 0;
    deepestAt = 0;
    asyncDepth = 0;
  };
  mark(start, startFlags);

  const bump = (units: number, at: number) => {
    chains[chains.length - 1] += units;
    chainSum += units;
    const d = (kinds.length - 1) * 4 + chainSum;
    if (d > deepest) {
      deepest = d;
      deepestAt = at;
    }
  };
  const resetChain = () => {
    const top = chains.length - 1;
    chainSum -= chains[top]!;
    chains[top] = 0;
  };
  const push = (kind: number, at: number) => {
    if (++open[kind] > asyncDepth && kind === ASYNC_PAREN) asyncDepth = open[kind]!;
    kinds.push(kind);
    chains.push(0);
    const d = (kinds.length - 1) * 4 + chainSum;
    if (d > deepest) {
      deepest = d;
      deepestAt = at;
    }
  };
  const pop = () => {
    open[kinds.pop()!]--;
    chainSum -= chains.pop()!;
  };
  /**
   * Pops to the matching opener, and the unclosed frames above it; a closer without one is
   * ignored (broken or half-typed code). Each frame is popped once: linear overall.
   */
  const close = (kind: number): void => {
    if (open[kind] === 0) return;
    const at = kinds.lastIndexOf(kind);
    while (kinds.length > at) pop();
  };
  /** ')' closes the innermost '(' or 'async ('. */
  const closeParen = (): void => {
    if (open[OPEN_PAREN] === 0 && open[ASYNC_PAREN] === 0) return;
    let k = kinds.length - 1;
    while (kinds[k] !== OPEN_PAREN && kinds[k] !== ASYNC_PAREN) k--;
    while (kinds.length > k) pop();
  };
  /** Unclosed '<' on top are comparisons or casts, and JSX never spans a statement boundary: drop them. */
  const dropAngles = () => {
    for (let k = kinds[kinds.length - 1]; k === ANGLE || k === TAG || k === ELEMENT; k = kinds[kinds.length - 1]) pop();
  };

  /** Whether a '}' closes a '${' (the innermost of '{' and '${' open) rather than a '{'. */
  const closesTemplate = (): boolean => {
    let k = kinds.length - 1;
    while (k > 0 && kinds[k] !== OPEN_BRACE && kinds[k] !== TEMPLATE) k--;
    return kinds[k] === TEMPLATE;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // Whitespace and line breaks.
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      newline = true;
      i++;
      // A line start with nothing open and no expression pending: a mark every MARK_GAP
      // characters, and where a rescan may find the rest known (at any such point).
      if (kinds.length === 1 && chainSum === 0 && (resync !== undefined || i - lastMark >= MARK_GAP)) {
        const flags = (operand ? OPERAND : 0) | NEWLINE | (afterElse ? AFTER_ELSE : 0) | (afterAsync ? AFTER_ASYNC : 0);
        if (resync?.(i, flags)) {
          endSegment();
          return segs;
        }
        if (i - lastMark >= MARK_GAP) {
          endSegment();
          mark(i, flags);
          lastMark = i;
        }
      }
      continue;
    }
    if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    // 0 past the end: reading out of bounds (NaN) makes V8 drop the optimised loop.
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    // Comments.
    if (c === SLASH && next === SLASH) {
      i = lineEnd(text, i);
      continue;
    }
    if (c === SLASH && next === STAR) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      if (!newline && lineEnd(text, i) < stop) newline = true;
      i = stop;
      continue;
    }
    const atLineStart = newline;
    newline = false;
    if (isIdentifierChar(c)) {
      const start = i;
      while (i < n && isIdentifierChar(text.charCodeAt(i))) i++;
      const word = keyword(text, start, i - start);
      // A new statement on a new line after a complete one (automatic semicolon insertion).
      if (atLineStart && operand && !(word && CONTINUES.has(word))) {
        dropAngles();
        resetChain();
      }
      const units = word ? CHAIN_WORDS.get(word) : undefined;
      if (units !== undefined) {
        // 'else if' is one level of the if-chain, counted at 'else'.
        if (!(afterElse && word === 'if')) bump(units, start);
        operand = false;
      } else {
        operand = !(word && OPERATOR_WORDS.has(word));
      }
      afterElse = word === 'else';
      // Type parameters between 'async' and '(' keep the arrow-function attempt alive.
      afterAsync = word === 'async' || (afterAsync && (word === undefined || word === 'extends'));
      continue;
    }
    afterElse = false;
    // Type parameters between 'async' and '(' keep the arrow-function attempt alive.
    if (c !== LESS_THAN && c !== GREATER_THAN && c !== COMMA && c !== OPEN_PAREN) afterAsync = false;
    if (c === QUOTE || c === DOUBLE_QUOTE) {
      if (atLineStart && operand) {
        dropAngles();
        resetChain();
      }
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === 10 || d === 13) break; // unterminated: strings end at the line
        else i++;
      }
      operand = true;
      continue;
    }
    // Template text: after '`', or after the '}' that closes the innermost '${'.
    if (c === BACKTICK || (c === CLOSE_BRACE && closesTemplate())) {
      if (c === CLOSE_BRACE) close(TEMPLATE);
      const end = templateText(text, i + 1);
      if (end < 0) {
        i = ~end;
        push(TEMPLATE, i - 2);
        operand = false;
      } else {
        i = end;
        if (i <= n && text.charCodeAt(i - 1) === BACKTICK) operand = true;
      }
      continue;
    }
    i++;
    switch (c) {
      case OPEN_PAREN:
        push(afterAsync ? ASYNC_PAREN : OPEN_PAREN, i - 1);
        afterAsync = false;
        operand = false;
        break;
      case OPEN_BRACKET:
      case OPEN_BRACE:
        push(c, i - 1);
        operand = false;
        break;
      case CLOSE_PAREN:
        closeParen();
        operand = true;
        break;
      case CLOSE_BRACKET:
        close(OPEN_BRACKET);
        operand = true;
        break;
      case CLOSE_BRACE:
        close(OPEN_BRACE);
        operand = true;
        break;
      case LESS_THAN:
        if (next === LESS_THAN || next === EQUALS) {
          i++;
          operand = false;
        } else if (next === SLASH) {
          // A JSX closing tag '</name>' closes its element.
          const end = text.indexOf('>', i);
          i = end < 0 ? n : end + 1;
          if (kinds[kinds.length - 1] === ELEMENT) pop();
          operand = true;
        } else {
          // After an operand: type arguments or a comparison; elsewhere: a JSX tag or a type assertion.
          push(operand ? ANGLE : TAG, i - 1);
          operand = false;
        }
        break;
      case GREATER_THAN: {
        const top = kinds[kinds.length - 1];
        if (top === ANGLE || top === TAG) {
          pop();
          // '<div>' opens an element whose children nest ('<br/>' does not).
          if (top === TAG && text.charCodeAt(i - 2) !== SLASH) {
            push(ELEMENT, i - 1);
            operand = false;
          } else {
            operand = true;
          }
        } else {
          if (next === EQUALS) i++;
          operand = false;
        }
        break;
      }
      case SEMICOLON:
        dropAngles();
        resetChain();
        operand = false;
        break;
      case COMMA:
        resetChain();
        operand = false;
        break;
      case EQUALS:
        if (next === GREATER_THAN) {
          i++;
          bump(4, i - 2);
        } else if (next === EQUALS) {
          i += text.charCodeAt(i + 1) === EQUALS ? 2 : 1;
        } else {
          bump(1, i - 1);
        }
        operand = false;
        break;
      case QUESTION:
        if (next === QUESTION) {
          i++;
          if (text.charCodeAt(i) === EQUALS) i++;
        } else if (next === DOT && !isDigit(text.charCodeAt(i + 1))) {
          i++;
        } else {
          bump(1, i - 1);
        }
        operand = false;
        break;
      case COLON:
        bump(1, i - 1);
        operand = false;
        break;
      case SLASH:
        if (!operand) {
          i = regexEnd(text, i);
          operand = true;
        } else {
          if (next === EQUALS) i++;
          operand = false;
        }
        break;
      case EXCLAMATION:
      case TILDE:
      case PLUS:
      case MINUS:
        if (next === c && (c === PLUS || c === MINUS)) {
          // '++' / '--': postfix after an operand, prefix (no recursion worth counting) otherwise.
          i++;
          break;
        }
        if (next === EQUALS) {
          i += c === EXCLAMATION && text.charCodeAt(i + 1) === EQUALS ? 2 : 1;
          if (c !== EXCLAMATION) bump(1, i - 2); // '+=' / '-=' assign
          operand = false;
          break;
        }
        if (!operand) bump(1, i - 1); // prefix operator: the parser recurses for its operand
        operand = false;
        break;
      default:
        // Other operators and punctuation: '.', '*', '%', '&', '|', '^', '@', '#', ...
        if (next === EQUALS && (c === STAR || c === PERCENT || c === AMPERSAND || c === BAR || c === CARET)) {
          i++;
          bump(1, i - 2);
        }
        operand = false;
    }
  }
  endSegment();
  return segs;
}

const ROOT = 0;
const TEMPLATE = 1;
const ANGLE = 2;
const TAG = 3;
const ELEMENT = 4;
const ASYNC_PAREN = 5;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const EQUALS = 0x3d;
const SEMICOLON = 0x3b;
const COMMA = 0x2c;
const COLON = 0x3a;
const QUESTION = 0x3f;
const DOT = 0x2e;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const EXCLAMATION = 0x21;
const TILDE = 0x7e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const BAR = 0x7c;
const CARET = 0x5e;

/**
 * The keyword `text` has at `start` (of `length` characters), or undefined for any other word:
 * a table lookup by first letter and length, then one comparison, and no string built for the
 * identifiers that make up most of the code.
 */
function keyword(text: string, start: number, length: number): string | undefined {
  const first = text.charCodeAt(start) - 0x61;
  if (first < 0 || first > 25 || length > 15) return undefined;
  const candidates = KEYWORDS_BY_START[first * 16 + length];
  if (!candidates) return undefined;
  for (const w of candidates) if (text.startsWith(w, start)) return w;
  return undefined;
}

/** Words that nest the parser one call deeper each (quarter-level units). */
const CHAIN_WORDS: ReadonlyMap<string, number> = new Map([
  ...['else', 'if', 'for', 'while', 'do', 'with', 'typeof', 'void', 'delete', 'await', 'new', 'yield', 'keyof'].map((w) => [w, 1] as const),
  // 'class extends class extends ...' overflowed at under 1,000 levels: half a level each.
  ['class', 2],
  ['extends', 2],
]);
/** Words after which an expression is still expected ('/' starts a regular expression). */
const OPERATOR_WORDS: ReadonlySet<string> = new Set(['return', 'throw', 'case', 'in', 'of', 'instanceof', 'as', 'satisfies', 'is', 'infer', 'readonly', 'unique', 'export', 'default']);
/** Words that continue the previous line's expression or statement. */
const CONTINUES: ReadonlySet<string> = new Set(['else', 'in', 'of', 'instanceof', 'as', 'satisfies', 'extends', 'implements', 'catch', 'finally']);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Letters, digits, '_', '$' and non-ASCII: identifiers, keywords and numbers alike are words here. */
function isIdentifierChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === DOLLAR ||
    (c >= 0x80 && c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029)
  );
}

/**
 * Skips template text from `i` (just after '`' or a '}' closing '${'): returns the index after
 * the closing '`', `~index` (negative) after the next '${', or past the text's end when the
 * template is not closed. A plain function rather than a closure over the scan's index, so
 * that the scan's hot variables stay in registers.
 */
function templateText(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === BACKTICK) return i + 1;
    else if (c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) return ~(i + 2);
    else i++;
  }
  return i;
}

function lineEnd(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i;
  }
  return i;
}

/** End of a regular expression literal whose opening '/' is before `i`; stops at the line's end. */
function regexEnd(text: string, i: number): number {
  let inClass = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i;
    i++;
    if (c === BACKSLASH) i++;
    else if (c === 0x5b) inClass = true;
    else if (c === 0x5d) inClass = false;
    else if (c === SLASH && !inClass) break;
  }
  while (i < text.length && isIdentifierChar(text.charCodeAt(i))) i++;
  return i;
}

const KEYWORDS_BY_START: Array<string[] | undefined> = [];
// 'function' only so that 'async function f(' is not taken for 'async f(' (an arrow attempt).
for (const w of new Set(['async', 'function', ...CHAIN_WORDS.keys(), ...OPERATOR_WORDS, ...CONTINUES])) {
  const key = (w.charCodeAt(0) - 0x61) * 16 + w.length;
  (KEYWORDS_BY_START[key] ??= []).push(w);
}
