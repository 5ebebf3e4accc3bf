/**
 * Tool-description poisoning: what in a description the model reads but the user never sees.
 * The phrase table is data (category, weight, pattern); `scanDescription` scores a description
 * and reports the strongest evidence. Weights follow the survey of live tool descriptions in
 * KNOWLEDGE.md: concealment phrasing is common in real attacks, so it alone is enough; ordinary
 * emphasis ("important", "always use absolute paths") never is.
 */

import { detach } from '../text';

/** What kind of manipulation a phrase is evidence of. */
export type PoisonCategory =
  | 'concealment'
  | 'precedence'
  | 'pseudo-tag'
  | 'sensitive-path'
  | 'exfiltration'
  | 'shadowing'
  | 'hidden-unicode'
  | 'hidden-markup'
  | 'length';

export interface PoisonPattern {
  readonly category: PoisonCategory;
  /** Score added when the pattern matches; a description is reported at `POISON_THRESHOLD`. */
  readonly weight: number;
  /** Matched against the normalised description (lower case, straight quotes, single spaces). */
  readonly pattern: RegExp;
}

/** Total weight at which a description is reported. */
export const POISON_THRESHOLD = 3;

/** A description longer than this (in characters) is reported on length alone. */
export const MAX_DESCRIPTION_LENGTH = 8000;

/** Length above which a long description adds weight to other evidence. */
export const LONG_DESCRIPTION_LENGTH = 2500;

const USER = String.raw`(?:the |this |your )?(?:user|human|client|person|operator|developer)s?`;
const TELL = String.raw`(?:tell|mention|inform|notify|reveal|show|disclose|alert|say|explain|display|let)`;
/** Any character that does not end a sentence (dots inside `~/.ssh` or `mcp.json` do not). */
const NS = String.raw`(?:[^.!?\n]|[.!?](?=\S))`;

/**
 * The phrase table. Patterns are anchored on word boundaries and require the manipulative
 * construction, not a keyword: "important" alone matches nothing.
 */
export const POISON_PATTERNS: readonly PoisonPattern[] = [
  // Concealment: keeping the user from learning what the model does.
  { category: 'concealment', weight: 3, pattern: new RegExp(String.raw`\b(?:do not|don't|never|must not|mustn't|should not|shouldn't|avoid|without)\s+(?:ever\s+)?${TELL}(?:ing)?\s+(?:[a-z']+\s+){0,3}?(?:to\s+)?${USER}\b`) },
  { category: 'concealment', weight: 3, pattern: new RegExp(String.raw`\b${USER}\s+(?:must|should|may|will|can)\s*(?:not|never)\s+(?:see|know|notice|find out|learn|be told|be informed|be aware)\b`) },
  { category: 'concealment', weight: 3, pattern: new RegExp(String.raw`\b${USER}\s+(?:cannot|can't|won't)\s+(?:see|know|notice|find out)\b`) },
  { category: 'concealment', weight: 3, pattern: /\bhide (?:this|these|it|the (?:following|instructions?|details?|steps?))\b/ },
  { category: 'concealment', weight: 3, pattern: new RegExp(String.raw`\b(?:hide|conceal|keep)\b${NS}{0,40}\bfrom\s+${USER}\b`) },
  { category: 'concealment', weight: 3, pattern: new RegExp(String.raw`\bwithout\s+(?:the\s+)?${USER}(?:'s)?\s+(?:knowing|knowledge|noticing|awareness|consent)\b`) },
  { category: 'concealment', weight: 3, pattern: /\b(?:keep|treat) (?:this|these|it|the following)(?: instructions?| steps?)? (?:secret|confidential|hidden|private)\b/ },
  { category: 'concealment', weight: 2, pattern: /\b(?:do not|don't|never) (?:mention|reveal|disclose|acknowledge) (?:this|these|that|the) (?:instruction|step|note|requirement|side ?note|parameter)s?\b/ },
  { category: 'concealment', weight: 2, pattern: /\bsilently (?:read|send|include|append|add|pass|call|forward|upload|copy|collect|attach)\b/ },
  // Precedence: overriding the model's other instructions or tools.
  { category: 'precedence', weight: 3, pattern: /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|preceding|above|earlier|other|system)\s+(?:instructions?|prompts?|rules?|directions?|guidelines?)\b/ },
  { category: 'precedence', weight: 2, pattern: /\bbefore (?:using|calling|invoking|running) any other tools?\b/ },
  { category: 'precedence', weight: 2, pattern: /\b(?:this|these) (?:instructions?|rules?) (?:take|takes|have|has) (?:precedence|priority)\b/ },
  { category: 'precedence', weight: 2, pattern: /\b(?:you are now|from now on,? you (?:are|must|will)|new (?:system )?instructions?:)/ },
  { category: 'precedence', weight: 1.5, pattern: new RegExp(String.raw`\balways (?:include|append|prepend|attach|add|send|pass|cc|bcc)\b${NS}{0,60}\b(?:contents?|token|key|password|credential|secret|history|conversation|messages?|file|email|address)\b`) },
  { category: 'precedence', weight: 1, pattern: new RegExp(String.raw`\b(?:otherwise|or else)\b${NS}{0,30}\b(?:tool|system|application|server) (?:will|would) (?:crash|fail|break|not work|stop working)\b`) },
  // Pseudo-system markup that imitates prompt structure.
  { category: 'pseudo-tag', weight: 3, pattern: /<\/?(?:important|system|instructions?|secret|hidden|admin|critical|sys|assistant)>/ },
  { category: 'pseudo-tag', weight: 3, pattern: /\[\/?inst\]|<\|im_(?:start|end)\|>|<\|system\|>|<<\/?sys>>|<\|begin_of_text\|>|<\|eot_id\|>/ },
  { category: 'pseudo-tag', weight: 2, pattern: /(?:^|\n)\s*(?:#{1,3}\s*)?system\s*(?:prompt|message|override)?\s*:/ },
  // Sensitive files an honest tool description has no reason to name.
  { category: 'sensitive-path', weight: 2, pattern: /~\/\.ssh\b|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\.ssh\/(?:id_|authorized_keys|known_hosts)/ },
  { category: 'sensitive-path', weight: 2, pattern: /~\/\.aws\/credentials|\.aws\/credentials|~\/\.netrc|\.git-credentials|~\/\.npmrc|~\/\.pypirc|~\/\.docker\/config\.json|~\/\.kube\/config/ },
  { category: 'sensitive-path', weight: 2, pattern: /(?:~\/)?\.cursor\/mcp\.json|claude_desktop_config\.json|\bmcp\.json\b/ },
  { category: 'sensitive-path', weight: 1, pattern: /(?:^|[\s'"`(])(?:~\/|\.\/)?\.env\b(?!\.example|\.sample|[a-z])/ },
  { category: 'sensitive-path', weight: 1, pattern: /\/etc\/(?:passwd|shadow)\b/ },
  // Exfiltration: asking the model to put data into a parameter or send it somewhere.
  { category: 'exfiltration', weight: 3, pattern: new RegExp(String.raw`\b(?:read|open|cat|load|get)\b${NS}{0,60}\b(?:and|then)\s+(?:pass|send|include|put|provide|insert|attach|add)\b${NS}{0,40}\b(?:contents?|it|them|text)\b`) },
  { category: 'exfiltration', weight: 3, pattern: new RegExp(String.raw`\b(?:pass|send|include|put|provide|insert|attach|add|copy)\s+(?:the\s+|its\s+|their\s+|all\s+)?(?:full\s+|entire\s+|complete\s+|whole\s+)?(?:contents?|content of|text of|conversation|chat history|message history|previous messages|system prompt|api keys?|tokens?|passwords?|credentials?|secrets?|private keys?)\b${NS}{0,60}\b(?:as|in|into|to|inside)\s+(?:the\s+)?['"\`]?[a-z_]*['"\`]?\s*(?:parameter|argument|field|param|arg)\b`) },
  { category: 'exfiltration', weight: 2, pattern: new RegExp(String.raw`\b(?:send|post|upload|forward|transmit|exfiltrate)\b${NS}{0,60}\bto\s+https?:\/\/`) },
  { category: 'exfiltration', weight: 2, pattern: new RegExp(String.raw`\b(?:conversation|chat) history\b${NS}{0,40}\b(?:parameter|argument|field)\b`) },
  // Shadowing: changing how the agent uses other tools.
  { category: 'shadowing', weight: 3, pattern: /\bside effects? on (?:the )?(?:also present |other )?['"`]?[a-z0-9_.-]+['"`]? tools?\b/ },
  { category: 'shadowing', weight: 3, pattern: /\b(?:change|modify|override|replace|alter)s? (?:the )?(?:behaviou?r|recipient|arguments?|parameters?|instructions?) of (?:the )?(?:other|all|any|every|another) tools?\b/ },
  { category: 'shadowing', weight: 3, pattern: new RegExp(String.raw`\bwhen(?:ever)? (?:the user |you )?(?:uses?|calls?|invokes?) (?:the |any )?(?:other |another )?['"\`]?[a-z0-9_.-]+['"\`]? tool\b${NS}{0,80}\b(?:instead|also|must|always)\b${NS}{0,60}\b(?:send|sends|forward|cc|bcc|recipient|redirect|change)\b`) },
  // Markup a client renders invisibly.
  { category: 'hidden-markup', weight: 2, pattern: /<!--[\s\S]*?-->/ },
];

/** One piece of evidence found in a description. */
export interface PoisonMatch {
  readonly category: PoisonCategory;
  readonly weight: number;
  /** Offsets into the original (not normalised) description text. */
  readonly start: number;
  readonly end: number;
  /** The matched text as it appears in the description (invisible characters escaped). */
  readonly excerpt: string;
}

export interface PoisonVerdict {
  readonly score: number;
  /** Strongest match first. */
  readonly matches: readonly PoisonMatch[];
  /** Whether the description crosses the reporting threshold. */
  readonly poisoned: boolean;
}

/** Invisible or direction-changing code points and what they are. */
const HIDDEN_RANGES: readonly { from: number; to: number; name: string }[] = [
  { from: 0x200b, to: 0x200f, name: 'zero-width or directional mark' },
  { from: 0x202a, to: 0x202e, name: 'bidirectional override' },
  { from: 0x2060, to: 0x2064, name: 'invisible operator' },
  { from: 0x2066, to: 0x2069, name: 'bidirectional isolate' },
  { from: 0x00ad, to: 0x00ad, name: 'soft hyphen' },
  { from: 0x180e, to: 0x180e, name: 'Mongolian vowel separator' },
  { from: 0xfeff, to: 0xfeff, name: 'zero-width no-break space' },
  { from: 0xe0000, to: 0xe007f, name: 'Unicode tag character' },
];

/** A run of hidden code points in a text. */
export interface HiddenRun {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly codePoints: readonly number[];
}

/** Finds runs of invisible / bidi / tag characters (offsets in UTF-16 code units). */
export function findHiddenUnicode(text: string): HiddenRun[] {
  const runs: HiddenRun[] = [];
  let current: { start: number; end: number; name: string; codePoints: number[] } | undefined;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const range = HIDDEN_RANGES.find((r) => cp >= r.from && cp <= r.to);
    if (range) {
      if (current && current.end === i) {
        current.end = i + size;
        current.codePoints.push(cp);
      } else {
        current = { start: i, end: i + size, name: range.name, codePoints: [cp] };
        runs.push(current);
      }
    }
    i += size;
  }
  return runs;
}

/** Renders a code point as `U+XXXX` for messages. */
export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Normalises a description for matching while keeping a map back to original offsets:
 * lower case, typographic quotes and dashes made plain, markdown emphasis and runs of
 * whitespace collapsed, hidden characters dropped (so "ig\u200bnore" still reads "ignore").
 */
export function normaliseForMatching(text: string): { norm: string; map: number[] } {
  let norm = '';
  const map: number[] = [];
  let lastSpace = true;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    let ch = String.fromCodePoint(cp);
    if (HIDDEN_RANGES.some((r) => cp >= r.from && cp <= r.to)) {
      i += size;
      continue;
    }
    if ('\u2018\u2019\u201b\u2032'.includes(ch)) ch = "'";
    else if ('\u201c\u201d\u201f\u2033'.includes(ch)) ch = '"';
    else if ('\u2013\u2014'.includes(ch)) ch = '-';
    else if (ch === '*' || ch === '_' && (text[i - 1] === '_' || text[i + 1] === '_')) {
      // Markdown emphasis markers ("**do not**", "__never__") carry no words.
      i += size;
      continue;
    }
    if (/\s/.test(ch)) {
      // Keep line breaks (pseudo-tag patterns anchor on them), collapse other runs.
      const isBreak = ch === '\n';
      if (lastSpace && !isBreak) {
        i += size;
        continue;
      }
      ch = isBreak ? '\n' : ' ';
      lastSpace = true;
    } else {
      lastSpace = false;
    }
    const lower = ch.toLowerCase();
    for (let k = 0; k < lower.length; k++) {
      norm += lower[k];
      map.push(i);
    }
    i += size;
  }
  map.push(text.length);
  return { norm, map };
}

function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu, (c) => codePointLabel(c.codePointAt(0)!)).replace(/\s+/g, ' ');
}

/**
 * Scores a description. Each pattern counts once (its first match); hidden Unicode counts as
 * its own evidence at full weight; length adds weight only on top of other evidence unless it
 * exceeds `MAX_DESCRIPTION_LENGTH`.
 */
export function scanDescription(text: string): PoisonVerdict {
  // Descriptions rarely change between two analyses of a file (the user types elsewhere).
  const cached = verdicts.get(text);
  if (cached) return cached;
  const verdict = computeVerdict(text);
  if (verdicts.size >= MAX_CACHED_VERDICTS) verdicts.clear();
  // The key outlives the analysis: not a view of the file it was cut from (see `detach`).
  verdicts.set(detach(text), verdict);
  return verdict;
}

const MAX_CACHED_VERDICTS = 4096;
const verdicts = new Map<string, PoisonVerdict>();
/** The patterns without the global flag, so `exec` always starts at 0 and never keeps state. */
const SINGLE_MATCH_PATTERNS = POISON_PATTERNS.map((p) => ({ ...p, pattern: new RegExp(p.pattern.source, p.pattern.flags.replace('g', '')) }));

function computeVerdict(text: string): PoisonVerdict {
  const matches: PoisonMatch[] = [];
  const { norm, map } = normaliseForMatching(text);
  for (const p of SINGLE_MATCH_PATTERNS) {
    const m = p.pattern.exec(norm);
    if (!m) continue;
    // Skip leading separators the pattern consumed so the excerpt starts at the words.
    let s = m.index;
    let e = m.index + m[0].length;
    while (s < e && /[\s'"`(]/.test(norm[s]!)) s++;
    const start = map[s]!;
    const end = map[e - 1]! + 1;
    matches.push({ category: p.category, weight: p.weight, start, end, excerpt: visible(text.slice(start, end)).trim() });
  }
  for (const run of findHiddenUnicode(text)) {
    // A lone BOM at the very start is an editor artefact, not a hiding place.
    if (run.start === 0 && run.codePoints.length === 1 && run.codePoints[0] === 0xfeff) continue;
    matches.push({
      category: 'hidden-unicode',
      weight: 3,
      start: run.start,
      end: run.end,
      excerpt: run.codePoints.slice(0, 4).map(codePointLabel).join(' ') + (run.codePoints.length > 4 ? ' ...' : ''),
    });
  }
  let score = matches.reduce((sum, m) => sum + m.weight, 0);
  if (text.length > MAX_DESCRIPTION_LENGTH || (score > 0 && text.length > LONG_DESCRIPTION_LENGTH)) {
    const weight = text.length > MAX_DESCRIPTION_LENGTH ? POISON_THRESHOLD : 1;
    matches.push({ category: 'length', weight, start: 0, end: text.length, excerpt: `${text.length} characters` });
    score += weight;
  }
  matches.sort((a, b) => b.weight - a.weight || a.start - b.start);
  return { score, matches, poisoned: score >= POISON_THRESHOLD };
}

/**
 * Parameter names shaped for exfiltration: a poisoned description asks the model to fill
 * them with file contents or conversation history. Findings only when the handler never
 * reads the parameter (an honest `context` parameter is used).
 */
export const EXFILTRATION_PARAMETER_NAMES: ReadonlySet<string> = new Set([
  'note', 'notes', 'sidenote', 'side_note', 'sidenotes',
  'context', 'additional_context', 'additionalcontext', 'extra_context', 'extracontext',
  'feedback', 'metadata', 'debug', 'debug_info', 'debuginfo',
]);

/** Whether a parameter name is exfiltration-shaped (case and separator insensitive). */
export function isExfiltrationShapedName(name: string): boolean {
  // Every parameter of every tool is asked about on every analysis: answer repeats from memory.
  let answer = exfiltrationShaped.get(name);
  if (answer === undefined) {
    const key = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    answer = EXFILTRATION_PARAMETER_NAMES.has(key) || EXFILTRATION_PARAMETER_NAMES.has(key.replace(/_/g, ''));
    if (exfiltrationShaped.size >= MAX_SHAPED) exfiltrationShaped.clear();
    exfiltrationShaped.set(detach(name), answer);
  }
  return answer;
}

const MAX_SHAPED = 4096;
const exfiltrationShaped = new Map<string, boolean>();

/** Human label of a category for messages. */
export const CATEGORY_LABEL: Readonly<Record<PoisonCategory, string>> = {
  concealment: 'concealment phrasing',
  precedence: 'instruction-override phrasing',
  'pseudo-tag': 'a pseudo-system tag',
  'sensitive-path': 'a sensitive file path',
  exfiltration: 'exfiltration phrasing',
  shadowing: 'tool-shadowing phrasing',
  'hidden-unicode': 'hidden Unicode characters',
  'hidden-markup': 'a hidden HTML comment',
  length: 'an excessively long text',
};

/**
 * The range of a description to delete to remove one piece of evidence: a pseudo-tag block
 * with its closing tag, an HTML comment, a run of hidden characters, or else the sentence
 * holding the match (with the whitespace after it). Offsets into `text`.
 */
export function removalRange(text: string, match: PoisonMatch): { start: number; end: number } | undefined {
  if (match.category === 'length') return undefined;
  if (match.category === 'hidden-unicode') return { start: match.start, end: match.end };
  if (match.category === 'pseudo-tag') {
    const open = /^<\s*([a-z_|]+)\s*>$/i.exec(text.slice(match.start, match.end).trim());
    if (open) {
      const close = text.toLowerCase().indexOf(`</${open[1]!.toLowerCase()}>`, match.end);
      if (close >= 0) return trimAround(text, match.start, close + open[1]!.length + 3);
    }
  }
  if (match.category === 'hidden-markup') return trimAround(text, match.start, match.end);
  // The sentence: back to the previous terminator or line break, forward through the next one.
  let start = match.start;
  while (start > 0 && !/[.!?\n]/.test(text[start - 1]!)) start--;
  while (start < match.start && /\s/.test(text[start]!)) start++;
  let end = match.end;
  while (end < text.length && !/[.!?\n]/.test(text[end]!)) end++;
  if (end < text.length && text[end] !== '\n') end++;
  return trimAround(text, start, end);
}

function trimAround(text: string, start: number, end: number): { start: number; end: number } {
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  // Leave one line break when the removed part ends a line.
  if (start > 0 && text[start - 1] === ' ' && e === text.length) {
    let s = start;
    while (s > 0 && text[s - 1] === ' ') s--;
    return { start: s, end: e };
  }
  return { start, end: e };
}
