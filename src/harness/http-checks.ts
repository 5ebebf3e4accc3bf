import * as http from 'node:http';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { ReportInput } from './attacks';
import { delay } from './process';
import { Session, type LaunchOptions } from './session';
import type { Evidence, ServerSpec } from './types';
import { token } from './workspace';
import { HARNESS_VERSION as TOOL_VERSION } from './version';

export interface HttpCheckContext {
  readonly spec: ServerSpec;
  readonly session: Session;
  readonly launch: LaunchOptions;
  readonly callTimeoutMs: number;
  readonly burstSize: number;
  readonly report: (r: ReportInput) => void;
  readonly signal: AbortSignal;
}

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

interface RawRequest {
  readonly method: string;
  /** Path and query, e.g. '/mcp?x=1'. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const MAX_BODY = 16 * 1024;

/**
 * One raw HTTP exchange over loopback; resolves with status 0 when the connection fails, when the
 * whole exchange takes longer than `timeoutMs` (a server trickling bytes never trips the socket's
 * idle timeout), or when `signal` aborts.
 */
function send(url: URL, req: RawRequest, timeoutMs: number, signal?: AbortSignal): Promise<RawResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const total = setTimeout(() => {
      r.destroy();
      done({ status: 0, headers: {}, body: `no complete answer within ${timeoutMs} ms` });
    }, timeoutMs);
    const onAbort = () => {
      r.destroy();
      done({ status: 0, headers: {}, body: 'cancelled' });
    };
    if (signal?.aborted) {
      clearTimeout(total);
      resolve({ status: 0, headers: {}, body: 'cancelled' });
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const r = http.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || 80,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        const finish = () => {
          done({ status: res.statusCode ?? 0, headers: res.headers, body });
          res.destroy();
        };
        res.on('data', (chunk: string) => {
          body += chunk;
          // An SSE stream may stay open: the first complete event is enough.
          if (body.length >= MAX_BODY || (/event-stream/.test(String(res.headers['content-type'])) && /\n\n/.test(body))) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
        res.on('close', finish);
      },
    );
    r.on('timeout', () => {
      r.destroy();
      done({ status: 0, headers: {}, body: `no answer within ${timeoutMs} ms` });
    });
    r.on('error', (err) => done({ status: 0, headers: {}, body: err.message }));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function initializeBody(id = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-warden-harness', version: TOOL_VERSION } },
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** The server did what was asked: a 2xx whose body is a JSON-RPC result (or an open stream). */
function accepted(r: RawResponse): boolean {
  if (r.status < 200 || r.status >= 300) return false;
  return /"result"\s*:/.test(r.body) || /event-stream/.test(String(r.headers['content-type']));
}

const AUTH_HEADER = /^(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|x-mcp-token|x-access-token)$/i;

function authOf(spec: ServerSpec): { name: string; value: string; token: string } | undefined {
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (!AUTH_HEADER.test(name)) continue;
    const m = /^(\w+)\s+(.+)$/.exec(value);
    return { name, value, token: m && /^(?:bearer|token|basic)$/i.test(m[1]!) ? m[2]! : value };
  }
  return undefined;
}

/** Hides the configured secret (and parts of it) in evidence so reports can be shared. */
type Masker = (name: string, value: string) => string;

function masker(secret: string | undefined): Masker {
  return (name, value) => {
    if (!secret || secret.length < 4) return value;
    if (value.includes(secret)) return value.split(secret).join('<token>');
    if (!AUTH_HEADER.test(name)) return value;
    // A header carrying part of the secret shows only how much of it.
    return value.replace(/^(\w+\s+)?(.+)$/, (whole, scheme: string | undefined, v: string) =>
      secret.startsWith(v) ? `${scheme ?? ''}<first ${v.length} of ${secret.length} characters of the token>` : whole,
    );
  };
}

function evidenceOf(req: RawRequest, res: RawResponse, mask: Masker): Evidence {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${mask(k, v)}`)
    .join('\n');
  const resHeaders = ['content-type', 'www-authenticate', 'retry-after', 'mcp-session-id']
    .filter((h) => res.headers[h] !== undefined)
    .map((h) => `${h}: ${String(res.headers[h])}`)
    .join('\n');
  const body = res.body.length > 800 ? `${res.body.slice(0, 800)}…` : res.body;
  return {
    request: `${req.method} ${mask('', req.path)}\n${headers}${req.body !== undefined ? `\n\n${req.body.slice(0, 400)}` : ''}`,
    response: mask('', `HTTP ${res.status}${resHeaders ? `\n${resHeaders}` : ''}\n\n${body}`),
  };
}

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}

/** The authentication, origin, session, rate-limit and error-body checks of a Streamable HTTP server. */
export async function runHttpChecks(ctx: HttpCheckContext): Promise<void> {
  const url = ctx.session.url!;
  const auth = authOf(ctx.spec);
  const mask = masker(auth?.token);
  const t = Math.min(ctx.callTimeoutMs, 5000);
  const baseHeaders: Record<string, string> = { ...JSON_HEADERS, ...(ctx.spec.headers ?? {}) };
  const noAuthHeaders: Record<string, string> = { ...JSON_HEADERS };
  for (const [k, v] of Object.entries(ctx.spec.headers ?? {})) if (!AUTH_HEADER.test(k)) noAuthHeaders[k] = v;
  const unauthorized: Array<{ req: RawRequest; res: RawResponse }> = [];
  const exchange = async (req: RawRequest): Promise<RawResponse> => {
    const res = await send(url, req, t, ctx.signal);
    if (res.status === 401) unauthorized.push({ req, res });
    return res;
  };
  const base = pathOf(url);
  const post = (headers: Record<string, string>, path = base, body = initializeBody()): RawRequest => ({ method: 'POST', path, headers, body });
  const r = (check: string, status: 'passed' | 'failed' | 'skipped', message: string, evidence?: Evidence) =>
    ctx.report({ tool: null, param: null, check, status, confirmed: status === 'failed', message, ...(evidence ? { evidence } : {}) });

  // No token at all.
  {
    const req = post(noAuthHeaders);
    const res = await exchange(req);
    if (auth) {
      if (accepted(res)) r('http.auth.no-token', 'failed', `A request without the '${auth.name}' header was accepted.`, evidenceOf(req, res, mask));
      else r('http.auth.no-token', 'passed', `A request without the '${auth.name}' header got HTTP ${res.status}.`);
      r('http.auth.none', 'passed', `The server is configured with a '${auth.name}' header.`);
    } else {
      r('http.auth.no-token', 'skipped', 'No token is configured (pass --header "Authorization: Bearer ..." to test authentication).');
      if (accepted(res)) r('http.auth.none', 'failed', 'The server accepted an initialize request that carried no credentials.', evidenceOf(req, res, mask));
      else r('http.auth.none', 'passed', `An initialize request without credentials got HTTP ${res.status}.`);
    }
  }

  if (auth) {
    // Wrong, empty, prefix and extended tokens.
    const scheme = /^(\w+)\s+/.exec(auth.value)?.[1];
    const withToken = (v: string) => ({ ...noAuthHeaders, [auth.name]: scheme ? `${scheme} ${v}`.trimEnd() : v });
    const variants: Array<[string, Record<string, string>]> = [
      ['a wrong token', withToken(`mcpw-wrong-${token(8)}`)],
      ['an empty token', withToken('')],
      ['an empty header', { ...noAuthHeaders, [auth.name]: '' }],
      ['a one-character prefix of the token', withToken(auth.token.slice(0, 1))],
      ['the token minus its last character', withToken(auth.token.slice(0, -1))],
      ['the token plus one character', withToken(`${auth.token}x`)],
    ];
    if (auth.token.toUpperCase() !== auth.token) variants.push(['the token in upper case', withToken(auth.token.toUpperCase())]);
    let failed = false;
    for (const [label, headers] of variants) {
      const req = post(headers);
      const res = await exchange(req);
      if (accepted(res)) {
        r('http.auth.wrong-token', 'failed', `A request with ${label} was accepted.`, evidenceOf(req, res, mask));
        failed = true;
        break;
      }
    }
    if (!failed) r('http.auth.wrong-token', 'passed', `${variants.length} wrong, empty and prefix tokens were refused.`);

    // Token in the query string.
    failed = false;
    for (const name of ['token', 'access_token', 'api_key', 'key', 'auth']) {
      const sep = url.search ? '&' : '?';
      const req = post(noAuthHeaders, `${base}${sep}${name}=${encodeURIComponent(auth.token)}`);
      const res = await exchange(req);
      if (accepted(res)) {
        r('http.auth.query-token', 'failed', `The token was accepted in the query parameter '${name}'.`, evidenceOf(req, res, mask));
        failed = true;
        break;
      }
    }
    if (!failed) r('http.auth.query-token', 'passed', 'The token was refused in the query string.');

    // Path and method variants of the endpoint, without a token.
    failed = false;
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const pathVariants = [`${p}/`, `${p}?x=1`, p.toUpperCase() !== p ? p.toUpperCase() : `${p}/.`, `/${p}`, `${p}%2f`].filter((v) => v !== base);
    const probes: RawRequest[] = [
      ...pathVariants.map((v) => post(noAuthHeaders, v)),
      { method: 'GET', path: base, headers: { ...noAuthHeaders, accept: 'text/event-stream' } },
      { method: 'DELETE', path: base, headers: noAuthHeaders },
      { method: 'PUT', path: base, headers: noAuthHeaders, body: initializeBody() },
    ];
    for (const req of probes) {
      const res = await exchange(req);
      // GET/DELETE succeed with 2xx only when they did something; POST variants must return a result.
      const ok = req.method === 'POST' ? accepted(res) : res.status >= 200 && res.status < 300;
      if (ok) {
        r('http.auth.endpoint-variants', 'failed', `'${req.method} ${req.path}' without a token was answered with HTTP ${res.status}.`, evidenceOf(req, res, mask));
        failed = true;
        break;
      }
    }
    if (!failed) r('http.auth.endpoint-variants', 'passed', `${probes.length} path and method variants were refused without a token.`);
  } else {
    for (const c of ['http.auth.wrong-token', 'http.auth.query-token', 'http.auth.endpoint-variants']) r(c, 'skipped', 'No token is configured.');
  }

  // Origin and Host from another site.
  {
    const req = post({ ...baseHeaders, origin: 'https://evil.example' });
    const res = await exchange(req);
    if (accepted(res)) r('http.origin', 'failed', "A request with 'Origin: https://evil.example' was accepted; the spec requires 403.", evidenceOf(req, res, mask));
    else r('http.origin', 'passed', `A request from another Origin got HTTP ${res.status}${res.status === 403 ? '' : ' (the spec asks for 403)'}.`);
    const hreq = post({ ...baseHeaders, host: `evil.example:${url.port || 80}` });
    const hres = await exchange(hreq);
    if (accepted(hres)) r('http.host', 'failed', `A request with 'Host: evil.example:${url.port || 80}' was accepted.`, evidenceOf(hreq, hres, mask));
    else r('http.host', 'passed', `A request for another Host got HTTP ${hres.status}.`);
  }

  // Sessions: quality of the ids, and whether an id alone authenticates.
  const sessions: string[] = [];
  const inits: RawResponse[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await send(url, post(baseHeaders), t, ctx.signal);
    inits.push(res);
    const sid = res.headers['mcp-session-id'];
    if (typeof sid === 'string') sessions.push(sid);
  }
  if (sessions.length === 0) {
    r('http.session-id', 'skipped', 'The server issues no Mcp-Session-Id (stateless).');
  } else {
    const problem = sessionProblem(sessions);
    const messages: string[] = [];
    let evidence: Evidence | undefined;
    if (problem) messages.push(`Session ids ${problem}.`);
    if (auth) {
      const sid = sessions[0]!;
      await send(url, { method: 'POST', path: base, headers: { ...baseHeaders, 'mcp-session-id': sid }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) }, t, ctx.signal);
      const req: RawRequest = { method: 'POST', path: base, headers: { ...noAuthHeaders, 'mcp-session-id': sid, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) };
      const res = await exchange(req);
      if (accepted(res) && /"tools"/.test(res.body)) {
        messages.push('A request carrying only a session id and no token was answered: the session id works as a credential.');
        evidence = evidenceOf(req, res, mask);
      }
    }
    const message = messages.join(' ') || undefined;
    if (message) r('http.session-id', 'failed', message, evidence ?? { request: 'POST initialize ×3', response: sessions.map((s) => `mcp-session-id: ${s}`).join('\n') });
    else r('http.session-id', 'passed', `${sessions.length} session ids looked random${auth ? ' and did not replace the token' : ''}.`);
  }

  // Unsupported protocol version on a follow-up request.
  {
    const sid = sessions[0];
    if (sid) await send(url, { method: 'POST', path: base, headers: { ...baseHeaders, 'mcp-session-id': sid }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) }, t, ctx.signal);
    const req: RawRequest = {
      method: 'POST',
      path: base,
      headers: { ...baseHeaders, ...(sid ? { 'mcp-session-id': sid } : {}), 'mcp-protocol-version': '1999-01-01' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    };
    const res = await exchange(req);
    if (accepted(res) && /"tools"/.test(res.body)) r('http.protocol-version', 'failed', "A request with 'MCP-Protocol-Version: 1999-01-01' was answered instead of refused with 400.", evidenceOf(req, res, mask));
    else r('http.protocol-version', 'passed', `An unsupported protocol version got HTTP ${res.status}.`);
  }

  // Stack traces in error bodies.
  {
    const probes: RawRequest[] = [
      post(baseHeaders, base, '{"jsonrpc": "2.0", "id": 1, "method": '),
      post(baseHeaders, base, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 12 } })),
      post(baseHeaders, base, '[1, 2'),
      { method: 'POST', path: base, headers: { ...baseHeaders, 'content-type': 'text/plain' }, body: 'x' },
    ];
    let failed = false;
    for (const req of probes) {
      const res = await exchange(req);
      const m = STACK_TRACE.exec(res.body);
      if (m) {
        r('http.error-stack', 'failed', `The answer to a malformed request holds a stack trace ('${m[0].trim().slice(0, 60)}').`, evidenceOf(req, res, mask));
        failed = true;
        break;
      }
    }
    if (!failed) r('http.error-stack', 'passed', `${probes.length} malformed requests got error bodies without stack traces.`);
  }

  // 401 answers must say how to authenticate.
  {
    const bare = unauthorized.find((u) => u.res.headers['www-authenticate'] === undefined);
    if (unauthorized.length === 0) r('http.auth.www-authenticate', 'skipped', 'No request got 401.');
    else if (bare) r('http.auth.www-authenticate', 'failed', 'A 401 answer carried no WWW-Authenticate header.', evidenceOf(bare.req, bare.res, mask));
    else r('http.auth.www-authenticate', 'passed', `${unauthorized.length} answers with 401 carried WWW-Authenticate.`);
  }

  if (!ctx.signal.aborted) await rateLimit(ctx, url, baseHeaders, sessions[0], mask);
}

const STACK_TRACE = /\n\s+at [^\n]*\(?(?:\/|[A-Za-z]:\\|node:)[^\n]*:\d+:\d+\)?|Traceback \(most recent call last\)|\bnode:internal\/|File "[^"]+", line \d+, in /;

/** What makes a set of session ids guessable, or undefined when they look random. */
export function sessionProblem(ids: readonly string[]): string | undefined {
  for (const id of ids) {
    if (!/^[\x21-\x7E]+$/.test(id)) return `contain characters outside visible ASCII (${JSON.stringify(id)})`;
    if (id.length < 16) return `are short (${id.length} characters, e.g. '${id}')`;
    if (/^\d+$/.test(id)) return `are plain numbers (e.g. '${id}')`;
  }
  if (new Set(ids).size < ids.length) return 'repeat across sessions';
  // Sequential ids differ only in a short numeric tail.
  const prefix = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return i;
  };
  for (let i = 1; i < ids.length; i++) {
    const a = ids[i - 1]!;
    const b = ids[i]!;
    if (a.length === b.length && prefix(a, b) >= a.length - 4) return `differ only in their last characters ('${a}', '${b}')`;
  }
  const distinct = new Set(ids.join('')).size;
  if (distinct < 10) return `use only ${distinct} distinct characters`;
  return undefined;
}

/**
 * Restarts the server without the environment variable that holds its secret and sends requests
 * without the token. Independent of the other checks, so the runner starts it alongside them.
 */
export async function failOpen(ctx: HttpCheckContext): Promise<void> {
  const auth = authOf(ctx.spec);
  const mask = masker(auth?.token);
  const check = 'http.auth.fail-open';
  const skip = (message: string) => ctx.report({ tool: null, param: null, check, status: 'skipped', message });
  if (!auth) return skip('No token is configured.');
  if (!ctx.spec.command) return skip('The harness did not start this server, so it cannot restart it without its secret.');
  const env = ctx.session.env ?? {};
  const secretEnv = ctx.spec.secretEnv?.length ? [...ctx.spec.secretEnv] : Object.keys(env).filter((k) => env[k] === auth.token);
  if (secretEnv.length === 0) return skip('No environment variable of the server holds the configured token.');
  let launched: Awaited<ReturnType<typeof Session.launch>>;
  try {
    launched = await Session.launch(ctx.spec, { ...ctx.launch, startTimeoutMs: Math.min(ctx.launch.startTimeoutMs, 8000), dropEnv: secretEnv });
  } catch (err) {
    ctx.report({ tool: null, param: null, check, status: 'passed', message: `Without ${secretEnv.map((n) => `'${n}'`).join(', ')} the server did not start (${(err as Error).message.slice(0, 200)}).` });
    return;
  }
  try {
    const url = launched.url!;
    const scheme = /^(\w+)\s+/.exec(auth.value)?.[1];
    // What a missing secret typically turns the expected value into: nothing, 'undefined', 'null'.
    const attempts: Array<Record<string, string>> = [
      { ...JSON_HEADERS },
      ...['undefined', 'null', ''].map((v) => ({ ...JSON_HEADERS, [auth.name]: scheme ? `${scheme} ${v}`.trimEnd() : v })),
    ];
    let proof: { req: RawRequest; res: RawResponse } | undefined;
    let last: RawResponse | undefined;
    for (const headers of attempts) {
      const req: RawRequest = { method: 'POST', path: pathOf(url), headers, body: initializeBody() };
      const res = await send(url, req, Math.min(ctx.callTimeoutMs, 5000), ctx.signal);
      last = res;
      if (accepted(res)) {
        proof = { req, res };
        break;
      }
    }
    const without = `Started without ${secretEnv.map((n) => `'${n}'`).join(', ')}`;
    if (proof) {
      const header = proof.req.headers[auth.name];
      ctx.report({
        tool: null,
        param: null,
        check,
        status: 'failed',
        confirmed: true,
        message: `${without}, the server accepted a request with ${header === undefined ? 'no token' : `'${auth.name}: ${header}'`}.`,
        evidence: evidenceOf(proof.req, proof.res, mask),
      });
    } else {
      ctx.report({ tool: null, param: null, check, status: 'passed', message: `${without}, the server refused ${attempts.length} requests without the token (HTTP ${last?.status}).` });
    }
  } finally {
    await launched.process?.kill();
  }
}

async function rateLimit(ctx: HttpCheckContext, url: URL, headers: Record<string, string>, sid: string | undefined, mask: Masker): Promise<void> {
  const check = 'http.rate-limit';
  const n = ctx.burstSize;
  const make = (i: number): RawRequest => ({
    method: 'POST',
    path: pathOf(url),
    headers: { ...headers, ...(sid ? { 'mcp-session-id': sid, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1000 + i, method: sid ? 'tools/list' : 'ping' }),
  });
  const results: Array<{ req: RawRequest; res: RawResponse }> = [];
  // Bounded: n requests, 50 at once so the burst lands inside any limiter's window, stop at the first 429.
  for (let i = 0; i < n && !results.some((x) => x.res.status === 429); i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, k) => make(i + k));
    results.push(...(await Promise.all(batch.map(async (req) => ({ req, res: await send(url, req, 5000, ctx.signal) })))));
  }
  // A cancelled run or a server that stopped answering proves nothing about rate limiting.
  if (ctx.signal.aborted) return;
  const limited = results.find((x) => x.res.status === 429);
  if (!limited && results.every((x) => x.res.status === 0)) {
    ctx.report({ tool: null, param: null, check, status: 'error', message: `Not run: none of ${results.length} requests got an answer (${results[0]?.res.body ?? 'no request'}).` });
    return;
  }
  if (!limited) {
    const last = results[results.length - 1];
    ctx.report({
      tool: null,
      param: null,
      check,
      status: 'failed',
      confirmed: true,
      message: `A burst of ${results.length} requests was never answered with 429.`,
      ...(last ? { evidence: { ...evidenceOf(last.req, last.res, mask), request: `${results.length} × ${evidenceOf(last.req, last.res, mask).request}` } } : {}),
    });
  } else if (limited.res.headers['retry-after'] === undefined) {
    ctx.report({ tool: null, param: null, check, status: 'failed', confirmed: true, message: 'The 429 answer carried no Retry-After header.', evidence: evidenceOf(limited.req, limited.res, mask) });
  } else {
    ctx.report({ tool: null, param: null, check, status: 'passed', message: `The server answered 429 with Retry-After after ${results.indexOf(limited) + 1} requests.` });
  }
  // Let the limiter's window pass so the final liveness ping is not refused.
  const wait = Number(limited?.res.headers['retry-after']);
  if (limited) await delay(Math.min(Number.isFinite(wait) ? wait * 1000 : 1000, 2000));
}
