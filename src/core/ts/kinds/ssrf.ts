import type { CallView, SinkEntry, SinkHit } from './types';
import { findEntry, taintedArgs } from './types';

/**
 * Server-side request forgery (CWE-918): HTTP clients and the argument holding the URL.
 * A URL whose host was checked against an allowlist (`ALLOWED.has(new URL(u).hostname)`)
 * or that starts with a fixed `https://host/` prefix is sanitised by the engine's guards.
 */
export const SSRF_SINKS: readonly SinkEntry[] = [
  { modules: [''], members: ['fetch'], args: [0], data: { client: 'fetch' } },
  { modules: ['node-fetch', 'cross-fetch', 'isomorphic-fetch'], members: ['', 'fetch', 'default'], args: [0], data: { client: 'node-fetch' } },
  { modules: ['undici'], members: ['fetch', 'request', 'stream', 'pipeline'], args: [0], data: { client: 'undici' } },
  { modules: ['axios'], members: ['', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'getUri'], args: [0], data: { client: 'axios' } },
  { modules: ['got'], members: ['', 'get', 'post', 'put', 'patch', 'delete', 'head', 'stream'], args: [0], data: { client: 'got' } },
  // got with browser-like headers (egoist/fetch-mcp's fetch_url, its issue #3).
  {
    modules: ['got-scraping'],
    members: ['gotScraping', 'gotScraping.get', 'gotScraping.post', 'gotScraping.put', 'gotScraping.patch', 'gotScraping.delete', 'gotScraping.head', 'gotScraping.stream', 'default'],
    args: [0],
    data: { client: 'got-scraping' },
  },
  { modules: ['ky'], members: ['', 'get', 'post', 'put', 'patch', 'delete', 'head'], args: [0], data: { client: 'ky' } },
  { modules: ['superagent'], members: ['', 'get', 'post', 'put', 'patch', 'delete', 'head'], args: [0], data: { client: 'superagent' } },
  { modules: ['http', 'https'], members: ['get', 'request'], args: [0], data: { client: 'http' } },
  { modules: ['needle'], members: ['', 'get', 'post', 'request'], args: [0, 1], data: { client: 'needle' } },
  { modules: ['puppeteer', 'playwright'], members: ['goto'], args: [0], data: { client: 'browser' } },
  // An MCP client connecting to a remote server: a proxy or gateway taking the server's URL from
  // a request or a tool call connects wherever the caller says (MCP Inspector's proxy, `/sse?url=`).
  {
    modules: ['@modelcontextprotocol/sdk'],
    members: ['SSEClientTransport', 'StreamableHTTPClientTransport', 'WebSocketClientTransport'],
    args: [0],
    data: { client: 'mcp' },
  },
];

/** Config-object forms: `axios({ url })`, `http.request({ host })`. */
const URL_PROPS = ['url', 'baseURL', 'host', 'hostname'];

export function ssrfHits(call: CallView): SinkHit[] {
  const entry = findEntry(SSRF_SINKS, call.ref);
  if (!entry) {
    // `page.goto(url)` on a browser page of unknown origin.
    if (call.name === 'goto' && call.receiverName && /^page$|Page$/.test(call.receiverName) && call.args[0]?.tainted) {
      return [{ kind: 'ssrf', arg: call.args[0], data: { client: 'browser' } }];
    }
    return [];
  }
  const hits: SinkHit[] = taintedArgs(entry, call)
    .filter((a) => !a.props)
    .map((arg) => ({ kind: 'ssrf', arg, data: { ...entry.data } }));
  for (const a of call.args) {
    if (!a.props) continue;
    for (const p of URL_PROPS) {
      const v = a.props.get(p);
      if (v?.tainted) hits.push({ kind: 'ssrf', arg: v, data: { ...entry.data } });
    }
  }
  return hits;
}
