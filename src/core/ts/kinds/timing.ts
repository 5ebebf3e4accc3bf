/**
 * Timing-unsafe comparison (CWE-208): `===`, `!==`, `==`, `!=` between a secret and
 * attacker-controlled data. The engine decides which operand is attacker data (taint);
 * this module decides what counts as a secret.
 */

/** Operators that return as soon as two strings differ. */
export const UNSAFE_OPERATORS: ReadonlySet<string> = new Set(['===', '!==', '==', '!=']);

const SECRET_NAME = /secret|token|passw(?:or)?d|passwd|pwd|passphrase|api_?key|apikey|private_?key|signature|hmac|digest|credential|bearer|(?:^|_)key$|[a-z0-9]Key$|^key$|auth_?code|session_?id$|(?:^|_)pin$|[a-z]Pin$/i;
/** Names that contain a secret-like word but denote metadata about it, not the secret. */
const NOT_SECRET = /(?:count|length|len|size|limit|max|min|type|kind|name|names|header|prefix|suffix|field|param|path|file|url|uri|endpoint|id|ids|index|usage|expir|ttl|format|scheme|schema|version|enabled|required|provider|hint|label|tokens|keys|keyboard|monkey|turkey)$/i;

/** Whether an identifier or property name denotes a secret (`API_TOKEN`, `expectedSignature`, `apiKey`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

/** Calls whose result is a secret-derived value (an HMAC or hash digest to compare with a signature). */
export const SECRET_PRODUCING_METHODS: ReadonlySet<string> = new Set(['digest']);
