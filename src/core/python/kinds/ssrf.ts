/** Outbound request sinks (kind `ssrf`) for requests, httpx, urllib, urllib3, aiohttp and curl_cffi. Data only. */

export interface SsrfFunctionSink {
  readonly functions: readonly string[];
  /** Position of the URL argument ({@link KEYWORD_ONLY} when it can only be passed by name). */
  readonly arg: number;
  readonly keyword: string;
}

/** The position of an argument that has none (a keyword-only parameter). */
export const KEYWORD_ONLY = Number.POSITIVE_INFINITY;

export const SSRF_FUNCTION_SINKS: readonly SsrfFunctionSink[] = [
  {
    functions: [
      'requests.get', 'requests.post', 'requests.put', 'requests.patch', 'requests.delete', 'requests.head',
      'requests.options', 'httpx.get', 'httpx.post', 'httpx.put', 'httpx.patch', 'httpx.delete', 'httpx.head',
      'httpx.options', 'urllib.request.urlopen', 'urllib.urlopen', 'urllib2.urlopen', 'urllib.request.urlretrieve',
      'websockets.connect', 'websocket.create_connection',
      // curl_cffi's requests-like API (browser impersonation: nickclyde/duckduckgo-mcp-server, its issue #48).
      'curl_cffi.requests.get', 'curl_cffi.requests.post', 'curl_cffi.requests.put', 'curl_cffi.requests.patch',
      'curl_cffi.requests.delete', 'curl_cffi.requests.head', 'curl_cffi.requests.options',
    ],
    arg: 0,
    keyword: 'url',
  },
  { functions: ['requests.request', 'httpx.request', 'httpx.stream', 'aiohttp.request', 'urllib3.request', 'curl_cffi.requests.request'], arg: 1, keyword: 'url' },
  // An MCP client connecting to a remote server (a gateway taking the URL from a tool call).
  {
    functions: [
      'mcp.client.sse.sse_client', 'mcp.client.streamable_http.streamablehttp_client', 'mcp.client.streamable_http.streamable_http_client',
      'mcp.client.websocket.websocket_client',
    ],
    arg: 0,
    keyword: 'url',
  },
  // A client built on a base URL sends every later relative request (and the credentials it was
  // given) to that host: mcp-atlassian's header-chosen Confluence URL (CVE-2026-27826).
  // requests.Session has no base URL; `session.mount(prefix, adapter)` only picks an adapter.
  { functions: ['httpx.Client', 'httpx.AsyncClient'], arg: KEYWORD_ONLY, keyword: 'base_url' },
  { functions: ['aiohttp.ClientSession'], arg: 0, keyword: 'base_url' },
  // A clone fetches the repository URL it is given (`https://169.254.169.254/...`, an internal
  // Git host): adhikasp/mcp-git-ingest's `git_directory_structure(repo_url)`.
  { functions: ['git.Repo.clone_from', 'git.repo.Repo.clone_from', 'git.repo.base.Repo.clone_from'], arg: 0, keyword: 'url' },
  {
    functions: [
      'atlassian.Confluence', 'atlassian.Jira', 'atlassian.Bitbucket', 'atlassian.ServiceDesk', 'atlassian.confluence.Confluence',
      'atlassian.jira.Jira', 'atlassian.bitbucket.Bitbucket', 'atlassian.service_desk.ServiceDesk',
    ],
    arg: 0,
    keyword: 'url',
  },
];

/** Constructors of client objects whose methods send requests. */
export const HTTP_CLIENT_CONSTRUCTORS: ReadonlySet<string> = new Set([
  'requests.Session', 'requests.session', 'httpx.Client', 'httpx.AsyncClient', 'aiohttp.ClientSession',
  'urllib3.PoolManager', 'urllib3.ProxyManager', 'curl_cffi.requests.Session', 'curl_cffi.requests.AsyncSession',
  'curl_cffi.Session', 'curl_cffi.AsyncSession',
  // MarkItDown fetches http(s) URIs and reads file: ones (microsoft/markitdown's markitdown-mcp
  // `convert_to_markdown(uri)`).
  'markitdown.MarkItDown', 'markitdown._markitdown.MarkItDown',
]);

/** Client methods and the position of their URL argument. */
export const HTTP_CLIENT_METHODS: ReadonlyMap<string, number> = new Map([
  ['get', 0], ['post', 0], ['put', 0], ['patch', 0], ['delete', 0], ['head', 0], ['options', 0], ['ws_connect', 0],
  ['request', 1], ['stream', 1], ['urlopen', 1],
  // MarkItDown's converters of a URI, URL or local path.
  ['convert', 0], ['convert_uri', 0], ['convert_url', 0],
]);

/** A constant URL prefix that fixes scheme and host (`https://api.example.com/`), or a relative path. */
export const FIXED_HOST_PREFIX = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#{}]+[/?#]|\/(?!\/))/i;
