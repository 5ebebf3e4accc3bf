import { RegExpParser, type AST } from '@eslint-community/regexpp';

/**
 * Whether every string a validating regular expression matches is a relative path that stays
 * below the folder it is joined to: it cannot start with a separator ('/' or '\'), and none of
 * its segments can be '..'. Separators inside the value are allowed, so that identifiers with a
 * slash pass (arXiv's old-style ids, `hep-ph/9901234`, matched by
 * `^(\d{4}\.\d{4,5}(v\d+)?|[a-z\-]+(/[a-z\-]+)?/\d{7}(v\d+)?)$`), while `^[\w/.-]+$` does not.
 *
 * `source` is the whole pattern; whether it is anchored at both ends is the caller's to check.
 * It is read as JavaScript (Python's `(?P<name>`, `(?P=name)`, `\A` and `\Z` are translated
 * first); the answer is undefined when it does not parse that way.
 *
 * The analysis over-approximates what the pattern matches: every character, class or escape is
 * a position, and the positions that can follow each other are those of the pattern's
 * structure, with every bounded repetition (`{7}`) read as unbounded and every assertion and
 * lookaround as matching the empty string. So a pattern found safe is safe; some safe ones
 * (`^(?!\.\.)[\w./]+$`) are not recognised.
 */
export function regexKeepsPathInside(source: string, flavour: 'js' | 'python'): boolean | undefined {
  const key = `${flavour}\u0000${source}`;
  let hit = cache.get(key);
  if (hit === undefined && !cache.has(key)) {
    hit = analyse(flavour === 'python' ? fromPython(source) : source);
    if (cache.size >= 500) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

const cache = new Map<string, boolean | undefined>();

/** Python's regular-expression syntax that JavaScript spells otherwise, or undefined when some cannot be translated. */
function fromPython(source: string): string | undefined {
  // Inline flags (`(?i)`, `(?x)`): verbose mode changes what the text means; the others do not
  // change which of '.', '/', '\' a position matches.
  const flags = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (flags && flags[1]!.includes('x')) return undefined;
  let s = flags ? source.slice(flags[0].length) : source;
  s = s.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  // Escapes JavaScript lacks, outside classes (an escaped backslash before them is kept).
  s = s.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^').replace(/(^|[^\\])((?:\\\\)*)\\Z/g, '$1$2$');
  return s;
}

/** A character, class or escape of the pattern, by what it can match of the three that matter. */
interface Position {
  readonly dot: boolean;
  readonly sep: boolean;
}

interface Shape {
  readonly nullable: boolean;
  readonly first: readonly Position[];
  readonly last: readonly Position[];
}

function analyse(source: string | undefined): boolean | undefined {
  if (source === undefined) return undefined;
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, { unicode: false });
  } catch {
    return undefined;
  }
  const follow = new Map<Position, Set<Position>>();
  const link = (from: readonly Position[], to: readonly Position[]): void => {
    for (const p of from) {
      let set = follow.get(p);
      if (!set) follow.set(p, (set = new Set()));
      for (const q of to) set.add(q);
    }
  };
  const whole = alternativesShape(pattern.alternatives, link);
  if (!whole) return undefined;
  const last = new Set(whole.last);
  // No absolute path: the first character is not a separator.
  if (whole.first.some((p) => p.sep)) return false;
  // Where a segment can start: at the start, and after each separator.
  const starts = new Set(whole.first);
  for (const [p, next] of follow) if (p.sep) for (const q of next) starts.add(q);
  for (const p of starts) {
    if (!p.dot) continue;
    for (const q of follow.get(p) ?? []) {
      if (!q.dot) continue;
      // '..' ending the value, or followed by a separator.
      if (last.has(q)) return false;
      for (const r of follow.get(q) ?? []) if (r.sep) return false;
    }
  }
  return true;
}

type Link = (from: readonly Position[], to: readonly Position[]) => void;

function alternativesShape(alternatives: readonly AST.Alternative[], link: Link): Shape | undefined {
  let nullable = false;
  const first: Position[] = [];
  const last: Position[] = [];
  for (const alt of alternatives) {
    const s = sequenceShape(alt.elements, link);
    if (!s) return undefined;
    nullable ||= s.nullable;
    first.push(...s.first);
    last.push(...s.last);
  }
  return { nullable, first, last };
}

function sequenceShape(elements: readonly AST.Element[], link: Link): Shape | undefined {
  let nullable = true;
  let first: Position[] = [];
  let last: Position[] = [];
  for (const el of elements) {
    const s = elementShape(el, link);
    if (!s) return undefined;
    link(last, s.first);
    if (nullable) first = [...first, ...s.first];
    last = s.nullable ? [...last, ...s.last] : [...s.last];
    nullable &&= s.nullable;
  }
  return { nullable, first, last };
}

const EMPTY_SHAPE: Shape = { nullable: true, first: [], last: [] };

function elementShape(el: AST.Element, link: Link): Shape | undefined {
  switch (el.type) {
    case 'Assertion':
      // `^`, `$`, `\b` and lookarounds match no character: read as matching the empty string.
      return EMPTY_SHAPE;
    case 'Group':
    case 'CapturingGroup':
      return alternativesShape(el.alternatives, link);
    case 'Quantifier': {
      const inner = elementShape(el.element, link);
      if (!inner) return undefined;
      if (el.max > 1) link(inner.last, inner.first);
      return { nullable: inner.nullable || el.min === 0, first: inner.first, last: inner.last };
    }
    case 'Backreference': {
      // What the group matched: any number of any characters, as far as this analysis knows.
      const p: Position = { dot: true, sep: true };
      link([p], [p]);
      return single(p);
    }
    case 'Character':
      return single({ dot: el.value === DOT, sep: el.value === SLASH || el.value === BACKSLASH });
    case 'CharacterSet':
      {
      const any = setMatches(el);
      return single({ dot: any, sep: any });
    }
    case 'CharacterClass':
      return single({ dot: classMatches(el, DOT), sep: classMatches(el, SLASH) || classMatches(el, BACKSLASH) });
    default:
      return undefined;
  }
}

function single(p: Position): Shape {
  return { nullable: false, first: [p], last: [p] };
}

const DOT = 0x2e;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;

/**
 * Whether an escape or `.` can match '.', '/' or '\': the same answer for all three, none of
 * which is a digit, word or space character.
 */
function setMatches(set: AST.CharacterSet): boolean {
  switch (set.kind) {
    case 'any':
      return true;
    case 'digit':
    case 'word':
    case 'space':
      return set.negate;
    default:
      // Unicode properties and string sets: not known here.
      return true;
  }
}

function classMatches(cls: AST.CharacterClass, c: number): boolean {
  let found = false;
  for (const e of cls.elements) {
    if (e.type === 'Character') found ||= e.value === c;
    else if (e.type === 'CharacterClassRange') found ||= e.min.value <= c && c <= e.max.value;
    else if (e.type === 'CharacterSet') found ||= setMatches(e);
    else return true; // nested classes and string literals (the `v` flag): not read here
  }
  return cls.negate ? !found : found;
}

/**
 * A literal prefix that names a directory (`'/srv/data'`, `'C:\\data'`, `'./notes'`), whose
 * `startsWith` test is a containment check (one without a trailing separator, a broken one). Not
 * `'~'` (tested before expanding the home directory), `'.'`, `'-'` or a scheme.
 */
export const DIRECTORY_PREFIX = /[/\\]|^[A-Za-z]:/;
