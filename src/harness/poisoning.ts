/**
 * Phrases in live tool descriptions that address the model instead of describing the tool
 * (shared/KNOWLEDGE.md "Tool-description poisoning"). Concealment is weighted first because it
 * is by far the most common shape in the wild.
 */
interface PoisonPattern {
  readonly kind: string;
  readonly re: RegExp;
}

const PATTERNS: readonly PoisonPattern[] = [
  { kind: 'concealment', re: /\b(?:do not|don't|never)\s+(?:tell|mention|inform|reveal|show|notify|alert)\b[^.]{0,40}\buser\b/i },
  { kind: 'concealment', re: /\buser\s+(?:must|should)\s+not\s+(?:see|know|be told)\b/i },
  { kind: 'concealment', re: /\b(?:hide|conceal)\s+(?:this|these|it|the)\b/i },
  { kind: 'concealment', re: /\bwithout\s+(?:telling|informing|notifying)\s+the\s+user\b/i },
  { kind: 'precedence', re: /\bignore\s+(?:all\s+|any\s+)?(?:previous|prior|above|other)\s+(?:instructions|rules|directions)\b/i },
  { kind: 'precedence', re: /\bbefore\s+(?:using|calling|invoking)\s+(?:any|every)\s+other\s+tools?\b/i },
  { kind: 'precedence', re: /\balways\s+(?:include|append|add|send|pass)\b/i },
  { kind: 'pseudo-tag', re: /<\/?(?:IMPORTANT|system|instructions?|admin|secret)>|\[\/?INST\]|<\|im_start\|>|<\|system\|>/i },
  { kind: 'sensitive-path', re: /~\/\.ssh|\bid_rsa\b|\bid_ed25519\b|~\/\.aws\/credentials|\.aws\/credentials|(?:^|[\s'"`/])\.env\b|\bmcp\.json\b|\/etc\/shadow/i },
  { kind: 'hidden-unicode', re: /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/ },
];

/** Descriptions longer than this are reported as hiding room for instructions. */
export const MAX_DESCRIPTION_LENGTH = 4000;

export interface PoisonHit {
  readonly kind: string;
  readonly excerpt: string;
}

/** Every poisoning phrase in one description. */
export function scanDescription(text: string): PoisonHit[] {
  const hits: PoisonHit[] = [];
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const start = Math.max(0, m.index - 30);
    const excerpt = text.slice(start, m.index + m[0].length + 30).replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    hits.push({ kind: p.kind, excerpt });
  }
  if (text.length > MAX_DESCRIPTION_LENGTH) hits.push({ kind: 'length', excerpt: `${text.length} characters` });
  return hits;
}
