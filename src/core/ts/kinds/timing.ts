/**
 * Timing-unsafe comparison (CWE-208): `===`, `!==`, `==`, `!=` between a secret and
 * attacker-controlled data. The engine decides which operand is attacker data (taint);
 * this module decides what counts as a secret.
 */

/** Operators that return as soon as two strings differ. */
export const UNSAFE_OPERATORS: ReadonlySet<string> = new Set(['===', '!==', '==', '!=']);

/**
 * `key` counts after a word (`openaiKey`, `STRIPE_KEY`), not alone: a bare `key` compared with a
 * tool argument is a lookup key far more often (`entries.filter((e) => e.key === key)`), as in
 * the Python table (`KEY_QUALIFIERS`). A value known to be secret (an environment variable named
 * like one) is a secret whatever the variable holding it is called.
 */
const SECRET_NAME = /secret|token|passw(?:or)?d|passwd|pwd|passphrase|api_?key|apikey|private_?key|signature|hmac|digest|credential|bearer|[a-z0-9]_key$|[a-z0-9]Key$|auth_?code|session_?id$|(?:^|_)pin$|[a-z]Pin$/i;
/** Names that contain a secret-like word but denote metadata about it, not the secret. */
const NOT_SECRET = /(?:count|length|len|size|limit|max|min|type|kind|name|names|header|prefix|suffix|field|param|path|file|url|uri|endpoint|id|ids|index|usage|expir|ttl|format|scheme|schema|version|enabled|required|provider|hint|label|tokens|keys|keyboard|monkey|turkey)$/i;
/** Keys of data structures, not credentials (`cacheKey`, `sort_key`, `memoryKey`, `idempotencyKey`). */
const LOOKUP_KEY = /(?:^|[^a-z])(?:cache|sort|map|primary|foreign|partition|lookup|dict|row|group|unique|composite|storage|redis|query|shortcut|hash|react|list|item|field|column|record|entry|node|memory|object|public|idempotency|hot|translation|locale|i18n|state|event|route|store|config|setting|env|data|meta|metadata|cursor|page|search|index)_?key$/i;

/** Whether an identifier or property name denotes a secret (`API_TOKEN`, `expectedSignature`, `apiKey`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name) && !LOOKUP_KEY.test(name);
}

/** Calls whose result is a secret-derived value (an HMAC or hash digest to compare with a signature). */
export const SECRET_PRODUCING_METHODS: ReadonlySet<string> = new Set(['digest']);
