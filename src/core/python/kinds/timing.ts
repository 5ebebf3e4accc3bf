/** Secrets and attacker data for the `timing` kind. Data only. */

/** Words that make a name a secret (`API_TOKEN`, `settings.secret_key`, `expectedPassword`). */
export const SECRET_WORDS: ReadonlySet<string> = new Set([
  'token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'apikey', 'credential', 'credentials',
  'signature', 'hmac', 'bearer', 'auth', 'passphrase', 'otp', 'digest',
]);
/** `key` is a secret only after one of these (`api_key`, `SECRET_KEY`), not as in `dict key`. */
export const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api', 'secret', 'access', 'private', 'signing', 'auth', 'master', 'shared', 'client', 'admin', 'webhook', 'hmac', 'session',
]);

/** Splits `expectedApiKey` / `EXPECTED_API_KEY` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a variable, attribute or environment variable name denotes a secret. */
export function isSecretName(name: string): boolean {
  let hit = secretNameCache.get(name);
  if (hit === undefined) {
    const words = nameWords(name);
    hit = words.some((w, i) => SECRET_WORDS.has(w) || (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) || w === 'apikey');
    if (secretNameCache.size > 10_000) secretNameCache.clear();
    secretNameCache.set(name, hit);
  }
  return hit;
}
const secretNameCache = new Map<string, boolean>();

/** Request header names whose values are credentials: any non-literal they are compared with is the secret. */
export const CREDENTIAL_HEADERS = /^(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|x-access-token|x-mcp-token|x-token|cookie)$/i;
