/**
 * The harness requirements manifest: every check the harness runs, what behaviour it demands of a
 * server, where that demand comes from, which transports it applies to and its CWE. Results,
 * SARIF rules, JUnit cases and tests all refer to these ids.
 */

/** How a server is reached. */
export type HarnessTransport = 'stdio' | 'http';

/** Severity of a confirmed failure of a check. */
export type CheckSeverity = 'error' | 'warning' | 'note';

/** Where a check applies: once per server, per tool, or per free-form parameter of a tool. */
export type CheckScope = 'server' | 'tool' | 'param';

export interface Requirement {
  readonly id: string;
  /** Short title for reports and the Test Explorer. */
  readonly title: string;
  /** One sentence: the behaviour a conforming server shows. */
  readonly behaviour: string;
  /** MCP spec section, CVE or KNOWLEDGE.md section this requirement comes from. */
  readonly source: string;
  readonly transports: readonly HarnessTransport[];
  readonly scope: CheckScope;
  readonly cwe: readonly number[];
  readonly severity: CheckSeverity;
}

const BOTH: readonly HarnessTransport[] = ['stdio', 'http'];
const HTTP: readonly HarnessTransport[] = ['http'];

/** Every check, in the order reports list them. */
export const REQUIREMENTS: readonly Requirement[] = [
  {
    id: 'protocol.initialize',
    title: 'initialize answers',
    behaviour: 'The server answers initialize within the call timeout.',
    source: 'MCP spec 2025-06-18, Lifecycle: Initialization',
    transports: BOTH,
    scope: 'server',
    cwe: [400],
    severity: 'error',
  },
  {
    id: 'protocol.tools-list',
    title: 'tools/list answers',
    behaviour: 'The server answers tools/list within the call timeout with a valid tool list.',
    source: 'MCP spec 2025-06-18, Server Features: Tools, Listing Tools',
    transports: BOTH,
    scope: 'server',
    cwe: [400],
    severity: 'error',
  },
  {
    id: 'stdio.stdout-pollution',
    title: 'stdout carries only JSON-RPC',
    behaviour: 'A stdio server writes nothing to stdout that is not a JSON-RPC message.',
    source: 'MCP spec 2025-06-18, Transports: stdio ("MUST NOT write anything to its stdout that is not a valid MCP message")',
    transports: ['stdio'],
    scope: 'server',
    cwe: [532],
    severity: 'warning',
  },
  {
    id: 'protocol.tool-name',
    title: 'tool names are valid and unique',
    behaviour: "Every tool name matches '^[A-Za-z0-9._-]{1,128}$' and no two tools share a name.",
    source: 'SEP-986 tool name format; MCP spec 2025-11-25, Tools: Tool Names',
    transports: BOTH,
    scope: 'tool',
    cwe: [20],
    severity: 'warning',
  },
  {
    id: 'protocol.tool-schema',
    title: 'inputSchema is a valid object schema',
    behaviour: "Every tool's inputSchema is a JSON Schema of type 'object' that compiles, and its 'required' names declared properties.",
    source: 'MCP spec 2025-06-18, Tools: Tool (inputSchema)',
    transports: BOTH,
    scope: 'tool',
    cwe: [20],
    severity: 'warning',
  },
  {
    id: 'protocol.description-poisoning',
    title: 'no poisoning phrases in live descriptions',
    behaviour: 'Live tool and parameter descriptions hold no concealment, precedence, pseudo-tag, sensitive-path or hidden-Unicode instructions aimed at the model.',
    source: 'KNOWLEDGE.md "Tool-description poisoning"; MCP spec Security: tool annotations are untrusted',
    transports: BOTH,
    scope: 'tool',
    cwe: [1427],
    severity: 'warning',
  },
  {
    id: 'protocol.lock-drift',
    title: 'tool manifest matches mcp-warden.lock.json',
    behaviour: 'The live tool names, descriptions and schemas equal those recorded in the committed mcp-warden.lock.json.',
    source: 'KNOWLEDGE.md "Tool-description poisoning" (rug pull); issue 7',
    transports: BOTH,
    scope: 'server',
    cwe: [494],
    severity: 'warning',
  },
  {
    id: 'server.survives',
    title: 'server survives the run',
    behaviour: 'The server keeps running and answering while the harness calls its tools.',
    source: 'MCP spec 2025-06-18, Tools: Security Considerations ("MUST validate all tool inputs")',
    transports: BOTH,
    scope: 'server',
    cwe: [248, 400],
    severity: 'error',
  },
  {
    id: 'cmd.injection',
    title: 'command injection',
    behaviour: 'Shell metacharacters in a tool argument are never executed by a shell.',
    source: 'KNOWLEDGE.md payload grammar "Command"; advisories on Figma-Context-MCP, ios-simulator-mcp, aws-mcp-server',
    transports: BOTH,
    scope: 'param',
    cwe: [78],
    severity: 'error',
  },
  {
    id: 'cmd.argument-injection',
    title: 'argument injection',
    behaviour: 'A tool argument starting with - or -- is never parsed as an option by the program it is passed to.',
    source: 'KNOWLEDGE.md payload grammar "Argument injection"; git server advisories (--upload-pack, --output)',
    transports: BOTH,
    scope: 'param',
    cwe: [88],
    severity: 'error',
  },
  {
    id: 'path.traversal',
    title: 'path traversal',
    behaviour: 'A path argument never reads a file outside the allowed root, whether by ../, an absolute path, an encoded form, a sibling directory sharing the root prefix or a symlink.',
    source: 'CVE-2025-53110 (prefix check), CVE-2025-53109 (symlink), CVE-2025-68145; KNOWLEDGE.md payload grammar "Path"',
    transports: BOTH,
    scope: 'param',
    cwe: [22, 59],
    severity: 'error',
  },
  {
    id: 'sql.injection',
    title: 'SQL injection',
    behaviour: 'Quotes and SQL syntax in a tool argument never change the query: no database error, no tautology or UNION differential against the control call.',
    source: 'KNOWLEDGE.md payload grammar "SQL"; MCP SQL server advisories',
    transports: BOTH,
    scope: 'param',
    cwe: [89],
    severity: 'error',
  },
  {
    id: 'ssrf.loopback',
    title: 'server-side request forgery',
    behaviour: 'A URL in a tool argument is never fetched unless its host is allowed.',
    source: 'KNOWLEDGE.md payload grammar "SSRF"; MCP spec Security Best Practices',
    transports: BOTH,
    scope: 'param',
    cwe: [918],
    severity: 'error',
  },
  {
    id: 'code.injection',
    title: 'code injection',
    behaviour: 'A tool argument is never evaluated as JavaScript or Python code.',
    source: 'KNOWLEDGE.md (eval/Function/vm/exec sinks); CWE-94',
    transports: BOTH,
    scope: 'param',
    cwe: [94, 95],
    severity: 'error',
  },
  {
    id: 'input.wrong-type',
    title: 'wrong argument types are refused',
    behaviour: 'A call whose argument has the wrong JSON type is refused with isError or a JSON-RPC error.',
    source: 'MCP spec 2025-06-18, Tools: Security Considerations ("Servers MUST validate all tool inputs")',
    transports: BOTH,
    scope: 'tool',
    cwe: [20],
    severity: 'warning',
  },
  {
    id: 'input.oversize',
    title: 'oversize strings are refused or survived',
    behaviour: 'An oversize string argument is refused when the schema declares maxLength, and never stops the server.',
    source: 'MCP spec 2025-06-18, Tools: Security Considerations; CWE-400',
    transports: BOTH,
    scope: 'tool',
    cwe: [20, 400],
    severity: 'warning',
  },
  {
    id: 'input.unknown-field',
    title: 'unknown fields are refused',
    behaviour: "An argument the schema does not declare is refused when the schema sets 'additionalProperties: false'.",
    source: 'MCP spec 2025-06-18, Tools: Security Considerations ("Servers MUST validate all tool inputs")',
    transports: BOTH,
    scope: 'tool',
    cwe: [20],
    severity: 'warning',
  },
  {
    id: 'http.auth.no-token',
    title: 'requests without a token are refused',
    behaviour: 'When the server is configured with a token, a request without Authorization gets 401.',
    source: 'MCP spec 2025-06-18, Authorization: Access Token Usage; Security Best Practices',
    transports: HTTP,
    scope: 'server',
    cwe: [306],
    severity: 'error',
  },
  {
    id: 'http.auth.none',
    title: 'server requires authentication',
    behaviour: 'An HTTP server authenticates its connections.',
    source: 'MCP spec 2025-06-18, Transports: Streamable HTTP, Security Warning ("SHOULD implement proper authentication")',
    transports: HTTP,
    scope: 'server',
    cwe: [306],
    severity: 'note',
  },
  {
    id: 'http.auth.wrong-token',
    title: 'wrong, empty and prefix tokens are refused',
    behaviour: 'A wrong token, an empty token or a prefix of the right token gets 401.',
    source: 'MCP spec 2025-06-18, Authorization: Token Handling ("MUST validate access tokens")',
    transports: HTTP,
    scope: 'server',
    cwe: [287],
    severity: 'error',
  },
  {
    id: 'http.auth.query-token',
    title: 'tokens in the query string are refused',
    behaviour: 'A token passed in the query string instead of the Authorization header is not accepted.',
    source: 'MCP spec 2025-06-18, Authorization: Access Token Usage ("MUST NOT be included in the URI query string")',
    transports: HTTP,
    scope: 'server',
    cwe: [598],
    severity: 'error',
  },
  {
    id: 'http.auth.endpoint-variants',
    title: 'every path and method variant is authenticated',
    behaviour: "Path variants of the endpoint ('/mcp/', '/mcp?x', other case) and other methods are refused without a token.",
    source: 'MCP spec 2025-06-18, Transports: Streamable HTTP; CWE-288',
    transports: HTTP,
    scope: 'server',
    cwe: [288],
    severity: 'error',
  },
  {
    id: 'http.auth.www-authenticate',
    title: '401 carries WWW-Authenticate',
    behaviour: 'Every 401 answer carries a WWW-Authenticate header.',
    source: 'MCP spec 2025-06-18, Authorization: Authorization Server Location; RFC 9728 section 5.1',
    transports: HTTP,
    scope: 'server',
    cwe: [287],
    severity: 'note',
  },
  {
    id: 'http.auth.fail-open',
    title: 'missing secret fails closed',
    behaviour: 'Started without its configured secret, the server refuses requests (or does not start) instead of letting anyone in.',
    source: 'CWE-636 (not failing securely); issue 7',
    transports: HTTP,
    scope: 'server',
    cwe: [636, 1188],
    severity: 'error',
  },
  {
    id: 'http.origin',
    title: 'foreign Origin gets 403',
    behaviour: 'A request with an Origin header from another site gets 403.',
    source: 'MCP spec 2025-06-18, Transports: Streamable HTTP, Security Warning ("MUST validate the Origin header"); CVE-2025-66414',
    transports: HTTP,
    scope: 'server',
    cwe: [346, 350],
    severity: 'error',
  },
  {
    id: 'http.host',
    title: 'foreign Host is refused',
    behaviour: 'A request whose Host header names another site (DNS rebinding) is refused.',
    source: 'CVE-2025-66414 / CVE-2025-66416 (DNS rebinding protection); MCP spec Security Best Practices',
    transports: HTTP,
    scope: 'server',
    cwe: [350],
    severity: 'error',
  },
  {
    id: 'http.session-id',
    title: 'session ids are random and not credentials',
    behaviour: 'Mcp-Session-Id values are long, visible-ASCII and unpredictable, and a session id without the token is refused.',
    source: 'MCP spec 2025-06-18, Transports: Session Management; Security Best Practices: Session Hijacking',
    transports: HTTP,
    scope: 'server',
    cwe: [330, 384],
    severity: 'error',
  },
  {
    id: 'http.rate-limit',
    title: 'bursts are rate limited',
    behaviour: 'A bounded burst of requests is eventually answered with 429 and a Retry-After header.',
    source: 'MCP spec 2025-06-18, Tools: Security Considerations ("MUST rate limit tool invocations")',
    transports: HTTP,
    scope: 'server',
    cwe: [770],
    severity: 'note',
  },
  {
    id: 'http.error-stack',
    title: 'error bodies hold no stack traces',
    behaviour: 'Error responses to malformed requests carry no stack trace or internal file paths.',
    source: 'CWE-209; MCP spec Security Best Practices',
    transports: HTTP,
    scope: 'server',
    cwe: [209],
    severity: 'warning',
  },
  {
    id: 'http.protocol-version',
    title: 'unsupported protocol version gets 400',
    behaviour: "A request with an unsupported 'MCP-Protocol-Version' header gets 400.",
    source: 'MCP spec 2025-06-18, Transports: Protocol Version Header',
    transports: HTTP,
    scope: 'server',
    cwe: [20],
    severity: 'note',
  },
];

/**
 * Known gaps: planted flaws in the harness's own fixture servers that no oracle can prove yet.
 * Tests run them as expected-fail, so a harness that starts confirming one turns the suite red
 * until its entry is removed here.
 */
export interface KnownGap {
  readonly check: string;
  /** Fixture file under test/fixtures/servers. */
  readonly fixture: string;
  readonly tool: string;
  readonly param: string;
  readonly reason: string;
}

export const KNOWN_GAPS: readonly KnownGap[] = [
  {
    check: 'sql.injection',
    fixture: 'vulnerable-stdio.mjs',
    tool: 'record_visit',
    param: 'page',
    reason: 'Blind INSERT injection with errors swallowed and a constant answer: proving it needs a time-based or out-of-band oracle.',
  },
];

const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/** The requirement with this id; throws for an unknown id (a programming error). */
export function requirement(id: string): Requirement {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown harness check '${id}'`);
  return r;
}

/** Documentation URL of a check, derived from its id so it cannot drift. */
export function requirementDocsUrl(id: string): string {
  return `https://github.com/mcp-warden/mcp-warden/blob/main/src/harness/README.md#${id.replace(/\./g, '')}`;
}
