/**
 * Secret knowledge shared by the leak and hard-coded-secret rules: which names hold secrets,
 * which literal values are credentials (known prefixes, then entropy), and which are
 * placeholders that only look like one.
 */

import { detach } from '../text';

/** A credential format recognised by its prefix and shape. */
export interface SecretFormat {
  readonly name: string;
  readonly pattern: RegExp;
}

/**
 * Query-string parameter names that carry a credential: the common ones, and a service's own key
 * named after it (`exaApiKey`, `tavily_api_key`, `<x>_access_token`, `<x>ClientSecret`); not a bare
 * `<x>Token` (`nextPageToken`, a pagination cursor), nor OAuth's `code` and `state`.
 */
export const QUERY_CREDENTIAL = /^(?:token|access_token|accesstoken|id_token|auth|auth_token|authtoken|api_key|apikey|api-key|jwt|bearer|session_token|password|secret|[a-z0-9]+[_-]?(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key|client[_-]?secret))$/i;

/**
 * Keys that are public by design (write-only ingest keys, publishable keys): embedding them is
 * how the vendor tells you to use them.
 */
export const PUBLIC_KEY_PATTERN = /^(?:phc_[A-Za-z0-9]{20,}|pk_(?:live|test)_[A-Za-z0-9]{20,}|pk\.eyJ[A-Za-z0-9_.-]+|NRJS-[a-f0-9]{10,}|sntrys_[A-Za-z0-9_]+|G-[A-Z0-9]{6,}|UA-\d+-\d+)$/;

/** Known credential formats; each pattern must match the whole literal value. */
export const SECRET_FORMATS: readonly SecretFormat[] = [
  { name: 'GitHub token', pattern: /^(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}$/ },
  { name: 'GitHub fine-grained token', pattern: /^github_pat_[A-Za-z0-9_]{60,255}$/ },
  { name: 'GitLab token', pattern: /^glpat-[A-Za-z0-9_-]{20,}$/ },
  { name: 'Anthropic API key', pattern: /^sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}$/ },
  { name: 'OpenAI API key', pattern: /^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}$/ },
  { name: 'Stripe key', pattern: /^(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,}$/ },
  { name: 'Slack token', pattern: /^xox[abposr]-[A-Za-z0-9-]{10,}$/ },
  { name: 'Slack webhook URL', pattern: /^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{20,}$/ },
  { name: 'AWS access key id', pattern: /^(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}$/ },
  { name: 'Google API key', pattern: /^AIza[0-9A-Za-z_-]{35}$/ },
  { name: 'Hugging Face token', pattern: /^hf_[A-Za-z0-9]{30,}$/ },
  { name: 'npm token', pattern: /^npm_[A-Za-z0-9]{36}$/ },
  { name: 'PyPI token', pattern: /^pypi-[A-Za-z0-9_-]{50,}$/ },
  { name: 'SendGrid key', pattern: /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}$/ },
  { name: 'Twilio key', pattern: /^SK[0-9a-f]{32}$/ },
  { name: 'Linear API key', pattern: /^lin_api_[A-Za-z0-9]{32,}$/ },
  { name: 'Notion token', pattern: /^(?:secret_|ntn_)[A-Za-z0-9]{40,}$/ },
  { name: 'Figma token', pattern: /^figd_[A-Za-z0-9_-]{30,}$/ },
  { name: 'JSON Web Token', pattern: /^eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}$/ },
  { name: 'private key', pattern: /^-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/ },
];

/** Cheap first test: every known format starts with one of these. */
const FORMAT_PREFIX = /^\s*(?:gh[pousr]_|github_pat_|glpat-|sk-|sk_|rk_|xox[abposr]-|https:\/\/hooks\.slack\.com|A(?:KIA|SIA|BIA|CCA)|AIza|hf_|npm_|pypi-|SG\.|SK[0-9a-f]|lin_api_|secret_|ntn_|figd_|eyJ|-----BEGIN)/;

/** The known format a literal matches, if any. */
export function knownSecretFormat(value: string): SecretFormat | undefined {
  if (value.length < 16 || !FORMAT_PREFIX.test(value)) return undefined;
  const v = value.trim();
  if (isPlaceholder(v)) return undefined;
  return SECRET_FORMATS.find((f) => f.pattern.test(v));
}

/**
 * Words that make a name a secret holder. Matched on name segments (camelCase, snake_case,
 * kebab-case split), so `apiKey`, `API_KEY`, `x-api-key`, `clientSecret` match and
 * `keyboard`, `monkey`, `tokenizer` do not.
 */
export const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'authorization',
  'cookie', 'credential', 'credentials', 'privatekey', 'accesskey', 'secretkey', 'sessiontoken',
  'bearer', 'jwt', 'pat', 'auth',
]);

/** Segment pairs that form a secret word when adjacent (`api_key`, `private-key`, `access key`). */
export const SECRET_PAIRS: ReadonlySet<string> = new Set([
  'api key', 'private key', 'access key', 'secret key', 'signing key', 'encryption key', 'master key',
  'client secret', 'auth token', 'access token', 'refresh token', 'id token', 'session token',
  'session secret', 'app secret', 'webhook secret', 'set cookie', 'x api', 'license key',
]);

/**
 * Last segments that make a secret-word name describe something else: `tokenCount`,
 * `passwordPolicy`, `secretName`, `authUrl`, `hasToken`, `tokenizer`.
 */
const NOT_SECRET_TAILS: ReadonlySet<string> = new Set([
  'count', 'counts', 'length', 'len', 'limit', 'limits', 'max', 'min', 'usage', 'used', 'size', 'budget',
  'type', 'types', 'kind', 'name', 'names', 'id', 'ids', 'field', 'fields', 'label', 'prefix', 'suffix',
  'url', 'uri', 'endpoint', 'path', 'file', 'dir', 'env', 'var', 'header', 'headers', 'param', 'policy',
  'policies', 'rule', 'rules', 'pattern', 'regex', 're', 'schema', 'format', 'expiry', 'expires',
  'expiration', 'expired', 'ttl', 'age', 'timeout', 'provider', 'providers', 'manager', 'service',
  'store', 'mode', 'method', 'methods', 'required', 'enabled', 'valid', 'missing', 'present', 'set',
  'error', 'errors', 'message', 'description', 'hint', 'location', 'scope', 'scopes', 'index',
  'estimate', 'estimator', 'cost', 'price', 'rate', 'ratio', 'status', 'state', 'flow', 'config',
  'options', 'settings', 'info', 'callback', 'handler', 'middleware', 'verifier', 'validator',
  'generator', 'parser', 'hash', 'hashed', 'digest', 'salt', 'rounds', 'strength', 'reset', 'changed',
  'version', 'tokens', 'keys', 'length', 'server', 'client', 'context', 'request', 'response', 'result',
  'page', 'route', 'routes', 'box', 'input', 'prompt', 'dialog', 'form', 'button', 'metadata', 'meta',
  // When a secret or its file changed, not the secret (`lastCookieMtime`, `tokenTimestamp`).
  'mtime', 'ctime', 'atime', 'time', 'timestamp', 'date', 'at',
]);

/** First segments that negate a secret name: `isSecret`, `hasToken`, `maxTokens`, `numTokens`. */
/**
 * Words before `token` that make it a pagination cursor, or the MCP progress token a client
 * sends in `_meta.progressToken` to correlate progress notifications (no credential).
 */
const PAGINATION_WORDS: ReadonlySet<string> = new Set(['next', 'page', 'continuation', 'pagination', 'resumption', 'sync', 'progress']);

const NOT_SECRET_HEADS: ReadonlySet<string> = new Set([
  'is', 'has', 'should', 'can', 'use', 'with', 'no', 'max', 'min', 'num', 'total', 'count', 'n',
  'show', 'hide', 'require', 'requires', 'needs', 'validate', 'verify', 'check', 'get', 'set',
  'fetch', 'load', 'read', 'parse', 'generate', 'create', 'rotate', 'revoke', 'mask',
  'redact', 'redacted', 'masked', 'hashed', 'hash', 'sanitize', 'sanitized', 'obfuscate', 'obfuscated',
  'scrub', 'scrubbed', 'censor', 'censored', 'input', 'output', 'prompt',
  'completion', 'cached', 'reasoning', 'remaining', 'estimated', 'new', 'old', 'allow', 'allowed',
]);

/**
 * Pieces one of which every strict secret name holds (case aside): each word of SECRET_WORDS,
 * and one word of each pair of SECRET_PAIRS, contains one (test/rules-speed checks the lists).
 * A name's segments are ASCII runs of it, lower-cased (`nameSegments`), so a name with none of
 * these pieces, in any ASCII case, has no secret segment.
 */
export const SECRET_NAME_PIECES: readonly string[] = ['pass', 'pwd', 'secret', 'token', 'api', 'auth', 'cookie', 'credential', 'key', 'bearer', 'jwt', 'pat'];

/**
 * Whether `text.slice(start, end)` may be a strict secret name (`isSecretName(name, { strict:
 * true })`): false only when it holds none of SECRET_NAME_PIECES in any ASCII case. Reads the
 * characters in place, so that probes of every name in an expression allocate no string.
 */
export function mayBeSecretName(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    // `| 0x20` folds ASCII upper case onto lower case; the pieces are lower-case letters only.
    switch (text.charCodeAt(i) | 0x20) {
      case 0x70: // p: pass, pwd, pat
        if (hasPiece(text, i, end, 'pass') || hasPiece(text, i, end, 'pwd') || hasPiece(text, i, end, 'pat')) return true;
        break;
      case 0x73: // s
        if (hasPiece(text, i, end, 'secret')) return true;
        break;
      case 0x74: // t
        if (hasPiece(text, i, end, 'token')) return true;
        break;
      case 0x61: // a: api, auth
        if (hasPiece(text, i, end, 'api') || hasPiece(text, i, end, 'auth')) return true;
        break;
      case 0x63: // c: cookie, credential
        if (hasPiece(text, i, end, 'cookie') || hasPiece(text, i, end, 'credential')) return true;
        break;
      case 0x6b: // k
        if (hasPiece(text, i, end, 'key')) return true;
        break;
      case 0x62: // b
        if (hasPiece(text, i, end, 'bearer')) return true;
        break;
      case 0x6a: // j
        if (hasPiece(text, i, end, 'jwt')) return true;
        break;
    }
  }
  return false;
}

/** Whether `piece` (lower-case ASCII letters) is at `at` in `text`, ignoring ASCII case, before `end`. */
function hasPiece(text: string, at: number, end: number, piece: string): boolean {
  if (at + piece.length > end) return false;
  for (let k = 0; k < piece.length; k++) if ((text.charCodeAt(at + k) | 0x20) !== piece.charCodeAt(k)) return false;
  return true;
}

/** Splits an identifier or header name into lower-case segments. */
export function nameSegments(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((s) => s.toLowerCase());
}

/**
 * Whether a variable, property, parameter or header name holds a secret value
 * (`token`, `apiKey`, `GITHUB_TOKEN`, `x-api-key`, `Authorization`, `client_secret`), as opposed
 * to describing one (`tokenCount`, `passwordPolicy`, `maxTokens`, `authUrl`).
 */
export function isSecretName(name: string, options: { strict?: boolean } = LOOSE): boolean {
  // Every identifier of a file is asked about on every analysis: answer repeats from memory.
  const memo = options.strict ? strictNames : looseNames;
  let answer = memo.get(name);
  if (answer === undefined) {
    answer = computeIsSecretName(name, options.strict === true);
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(detach(name), answer);
  }
  return answer;
}

const KNOWN_SETTINGS: ReadonlySet<string> = new Set(['fastmcp server auth']);

const MAX_MEMO = 8192;
/** The default options, one object rather than one per call (every identifier of a file is asked about). */
const LOOSE: { strict?: boolean } = Object.freeze({});
const strictNames = new Map<string, boolean>();
const looseNames = new Map<string, boolean>();

function computeIsSecretName(name: string, strict: boolean): boolean {
  const segs = nameSegments(name);
  if (segs.length === 0) return false;
  const last = segs[segs.length - 1]!;
  const first = segs[0]!;
  if (segs.length > 1 && (NOT_SECRET_TAILS.has(last) || NOT_SECRET_HEADS.has(first))) return false;
  // Plural "tokens" is about counting model tokens far more often than about credentials.
  if (last === 'tokens') return false;
  // Settings named like credentials that hold none: FastMCP's `FASTMCP_SERVER_AUTH` names the
  // auth provider's class (`fastmcp.server.auth.providers.azure.AzureProvider`).
  if (KNOWN_SETTINGS.has(segs.join(' '))) return false;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    // `auth` alone is too broad (authMode, authorName); only as the whole name or the last segment.
    if (s === 'auth' && !(segs.length === 1 || i === segs.length - 1)) continue;
    if (s === 'pat' && segs.length > 1 && i !== segs.length - 1) continue;
    // Pagination cursors (`NextToken`, `next_page_token_value`, `continuationToken`): AWS and
    // Google APIs hand them to every caller, and tools return them so the model can ask for more.
    if (s === 'token' && i > 0 && PAGINATION_WORDS.has(segs[i - 1]!)) continue;
    // `secret_arn`, `secretArns`: the Amazon Resource Name that identifies a secret, as `secret_id` does.
    if (SECRET_WORDS.has(s) && i + 1 < segs.length && (segs[i + 1] === 'arn' || segs[i + 1] === 'arns')) continue;
    if (SECRET_WORDS.has(s)) return true;
    if (i + 1 < segs.length && SECRET_PAIRS.has(`${s} ${segs[i + 1]}`)) return true;
  }
  // `key` alone or as a suffix after a service name (`openaiKey`, `STRIPE_KEY`), not `keyboard`.
  // Strict callers (rules that only see a name, never a value) skip this: `fileKey`,
  // `subscription_key` and `cacheKey` are identifiers far more often than credentials.
  if (strict) return false;
  if (last === 'key' && segs.length >= 2 && !['primary', 'foreign', 'sort', 'cache', 'map', 'public', 'object', 'partition', 'lookup', 'dict', 'hot', 'idempotency', 'row', 'group', 'unique', 'composite', 'storage', 'redis', 'query', 'shortcut', 'hash', 'react', 'list', 'item', 'field', 'column', 'record', 'entry', 'node'].includes(segs[segs.length - 2]!)) {
    return true;
  }
  return false;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (!value) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...value].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Values that stand in for a secret in docs and samples (the ellipsis as an escape: the CLI bundle stays ASCII, which loads faster, src/cli/launch.ts). */
const PLACEHOLDER = /^(?:<[^>]*>|\{\{[^}]*\}\}|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|%\(?[a-z_]*\)?s|\*+|x+|\.+|-+|_+|#+)$|your|example|sample|placeholder|changeme|change[-_ ]?me|replace[-_ ]?me|dummy|fake|mock|^demo[-_]|redacted|insert|enter[-_ ]|put[-_ ]your|xxxx|test[-_]?(?:key|token|secret|password)|^(?:test|testing|password|secret|token|admin|root|none|null|undefined|todo|tbd|foo|bar|baz|abc|default|empty)$|\.\.\.|\u2026/i;

/** Whether a literal is a documentation placeholder rather than a credential. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER.test(v)) return true;
  // Repeated single characters or sequences ("aaaaaaaa", "12345678", "abcdefgh").
  if (/^(.)\1+$/.test(v)) return true;
  if ('abcdefghijklmnopqrstuvwxyz0123456789'.includes(v.toLowerCase()) && v.length >= 4) return true;
  return false;
}

/**
 * Whether a literal assigned to a secret name is a real credential: not a placeholder, no
 * spaces (prose), not a URL/path/identifier-like word, long enough, and either a known
 * format or high in entropy with a mix of character classes.
 */
export function looksLikeSecretValue(value: string): boolean {
  const v = value.trim();
  if (knownSecretFormat(v)) return true;
  if (PUBLIC_KEY_PATTERN.test(v)) return false;
  if (v.length < 12 || v.length > 512) return false;
  if (isPlaceholder(v)) return false;
  if (/\s/.test(v)) return false;
  // Templates and key paths: "fastmcp:task:{id}:status", "user-%s", "/api/{token}".
  if (/[{}]|%[sd]/.test(v) || /^[\w.-]+(?::[\w.-]+){2,}$/.test(v)) return false;
  if (/^(?:https?|file|wss?):\/\//i.test(v) || /^[./~]/.test(v) || /[\\/].*[\\/]/.test(v)) return false;
  // Environment-variable names and identifiers: "GITHUB_TOKEN", "api_key", "Authorization",
  // "_global_resource" (a dict key: MaaMCP's `_GLOBAL_RESOURCE_KEY`).
  if (/^[A-Z][A-Z0-9_]*$/.test(v) || /^_*[a-z]+(?:[-_.][a-z]+)*_*$/.test(v) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(v)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  if (classes < 2) return false;
  return shannonEntropy(v) >= (v.length >= 24 ? 3.5 : 3.0);
}

/** File names conventionally holding tests, where fake credentials are expected. */
export const TEST_FILE_PATTERN = /(?:^|[\\/])(?:__tests__|__mocks__|__fixtures__)[\\/]|\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_test|conftest|tests?)\.py$/;

/** Whether a file is test code by its name (the MCP rules' syntactic checks skip it). */
export function isTestFile(file: string): boolean {
  return TEST_FILE_PATTERN.test(file);
}
