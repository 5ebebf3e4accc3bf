import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import type { AnalysisHost } from '../../src/core/engine';
import { fileSystemHost } from '../../src/core/linter';
import { LineMap } from '../../src/core/text';
import { parseTs } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
import { ModuleCache } from '../../src/core/ts/module-cache';
import { parseRisk } from '../../src/core/ts/parse-guard';
import { HTTP_ROUTE_METHODS, mayHaveTaintSources, SOURCE_TYPE_NAMES } from '../../src/core/ts/source-gate';
import { analyzeTaint } from '../../src/core/ts/taint';

const ROOT = join(__dirname, '..', '..');
const ALL_KINDS = new Set(['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code']);

/** A host over an in-memory project. */
function memoryHost(files: Record<string, string>): AnalysisHost {
  return { readFile: (p) => files[p] };
}

/** The gate's answer and the analyzer's flows for one file. */
function run(file: string, text: string, host: AnalysisHost, modules?: ModuleCache): { gate: boolean; flows: number } {
  const sf = parseTs(file, text);
  const mcp = buildMcpModel(sf);
  const gate = mayHaveTaintSources(sf, mcp);
  const result = analyzeTaint(file, sf, new LineMap(text), mcp, { kinds: ALL_KINDS, deadline: performance.now() + 10_000, host, ...(modules ? { modules } : {}) });
  return { gate, flows: result.flows.length };
}

/** Asserts the gate is open for a file with a flow, and checks both against what the case expects. */
function expectCase(text: string, expected: { gate: boolean; flows?: boolean }, files: Record<string, string> = {}, file = '/p/src/main.ts'): void {
  const r = run(file, text, memoryHost({ ...files, [file]: text }));
  if (r.flows > 0) assert.equal(r.gate, true, 'the gate must be open wherever the analysis finds a flow');
  assert.equal(r.gate, expected.gate, `gate for:\n${text}`);
  if (expected.flows !== undefined) assert.equal(r.flows > 0, expected.flows, `flows for:\n${text}`);
}

/**
 * Idioms the gate opens for although today's analysis reports no flow in the file itself: an
 * imported handler's sink is reported in its own module, and a function whose parameter type
 * has a comment before it is not run by the analysis (its MAY_HOLD_SOURCES pre-check is a regex).
 */
const NO_FLOW_HERE = new Set(['imported route handler', 'qualified request type with comments in between']);

describe('source gate: every source idiom opens it', () => {
  const cases: [string, string, Record<string, string>?][] = [
    [
      'MCP tool registration',
      `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'; import { z } from 'zod'; import { exec } from 'child_process';
const server = new McpServer({ name: 't', version: '1' });
server.tool('t', { a: z.string() }, async ({ a }) => { exec(a); return { content: [] }; });`,
    ],
    [
      'low-level CallTool handler',
      `import { Server } from '@modelcontextprotocol/sdk/server/index.js'; import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js'; import { exec } from 'child_process';
const server = new Server({ name: 't', version: '1' }, { capabilities: { tools: {} } });
server.setRequestHandler(CallToolRequestSchema, async (request) => { exec(String(request.params.arguments?.cmd)); return { content: [] }; });`,
    ],
    ['express route with an inline handler', `import express from 'express'; import { exec } from 'child_process'; const app = express(); app.get('/x', (req, res) => { exec(req.query.cmd); res.end(); });`],
    ['route method through an element access', `import express from 'express'; import { exec } from 'child_process'; const app = express(); app['post']('/x', (req, res) => { exec(req.body.cmd); res.end(); });`],
    [
      'imported route handler',
      `import express from 'express'; import { handler } from './handler'; const app = express(); app.get('/x', handler);`,
      { '/p/src/handler.ts': `import { exec } from 'child_process'; export function handler(req: any, res: any) { exec(req.query.cmd); res.end(); }` },
    ],
    ['http.createServer', `import http from 'node:http'; import { exec } from 'child_process'; http.createServer((req, res) => { exec(req.url); res.end(); });`],
    ['createServer called by name', `import { createServer } from 'node:http'; import { exec } from 'child_process'; createServer((req, res) => { exec(req.url); res.end(); });`],
    ["server.on('request')", `import http from 'node:http'; import { exec } from 'child_process'; const s = http.createServer(); s.on('request', (req, res) => { exec(req.url); res.end(); });`],
    ['hono route with a Context parameter', `import { Hono } from 'hono'; import { exec } from 'child_process'; const app = new Hono(); app.post('/x', async (c) => { exec(c.req.query('cmd')); return c.text('ok'); });`],
    ['hono Context typed parameter', `import type { Context } from 'hono'; import { exec } from 'child_process'; export async function run(c: Context) { exec(c.req.query('cmd')); }`],
    ['request-typed parameter', `import { exec } from 'child_process'; export async function handle(req: Request) { exec(req.url); }`],
    ['qualified request type with comments in between', `import * as http from 'node:http'; import { exec } from 'child_process'; export function handle(req /* the request */ : /* node's */ http.IncomingMessage) { exec(req.url!); }`],
    [
      'express route chain with a named handler',
      `import express from 'express'; import { exec } from 'child_process'; const router = express.Router(); function getUser(req: any, res: any) { exec(req.query.id); res.end(); } router.route('/users').get(getUser);`,
    ],
    [
      'hono chain: a handler given alone after a route',
      `import { Hono } from 'hono'; import { exec } from 'child_process'; const app = new Hono(); const later = (c: any) => { exec(c.req.query('cmd')); return c.text('ok'); }; app.get('/a', (c) => c.text('a')).post(later);`,
    ],
    ['middleware alone to use', `import express from 'express'; import { exec } from 'child_process'; const app = express(); const mw = (req: any, res: any, next: any) => { exec(req.path); next(); }; app.use(mw);`],
    ['route registered inside a setup function', `import express from 'express'; import { exec } from 'child_process'; export function setup(app: express.Express) { app.use((req, res) => { exec(req.path); }); }`],
    [
      'MCP client OAuth provider',
      `import open from 'open'; import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
export class Provider implements OAuthClientProvider { async redirectToAuthorization(url: URL) { await open(url.toString()); } }`,
    ],
  ];
  for (const [name, text, files] of cases) {
    test(name, () => expectCase(text, { gate: true, ...(NO_FLOW_HERE.has(name) ? {} : { flows: true }) }, files));
  }
});

describe('source gate: files without sources keep it shut', () => {
  const cases: [string, string, Record<string, string>?][] = [
    ['a helper module', `import { exec } from 'child_process'; export function run(cmd: string) { return exec(cmd); }`],
    ['Map.get with a literal key and no function argument', `const m = new Map<string, number>(); export const x = m.get('a'); export const y = m.get(\`b\`) ?? 0;`],
    [
      'lookups through route-method names',
      `const sessions = new Map<string, (a: unknown, b: unknown) => void>(); export function drop(id: string, jobs: Promise<void>[]) { const h = sessions.get(id); sessions.delete(id); return Promise.all(jobs).then(() => h); }`,
    ],
    ['a route whose handler takes no request', `import express from 'express'; const app = express(); app.get('/health', () => 'ok'); app.get('/x', ({ query }) => query);`],
    ['a type named like a request that is not a parameter type', `export interface MyRequest { url: string } export function f(r: MyRequest) { return r.url; }`],
    [
      'local imports without classes',
      `import { helper } from './helper'; export const v = helper('x');`,
      { '/p/src/helper.ts': `import { exec } from 'child_process'; export function helper(s: string) { return exec(s); }` },
    ],
    [
      'an imported class without source idioms',
      `import { Store } from './store'; const s = new Store(); s.put('k');`,
      { '/p/src/store.ts': `export class Store { private m = new Map(); put(k: string) { this.m.set(k, 1); } }` },
    ],
  ];
  for (const [name, text, files] of cases) {
    test(name, () => expectCase(text, { gate: false, flows: false }, files));
  }
});

describe('source gate: classes of imported modules run as their own module', () => {
  test('a route inside an imported class is a source of its module, not of the file that uses the class', () => {
    const files = {
      '/p/src/srv.ts': `import express from 'express';
export class Srv { app = express(); start() { this.app.get('/', (req, res) => { eval(req.query.x); }); } }`,
    };
    expectCase(`import { Srv } from './srv'; const s = new Srv(); s.start();`, { gate: false, flows: false }, files);
    // The class's own file has the source and the flow.
    expectCase(files['/p/src/srv.ts'], { gate: true, flows: true }, {}, '/p/src/srv.ts');
  });

  test('a request-typed constructor parameter of an imported class', () => {
    expectCase(`import { S } from './b'; new S(undefined);`, { gate: false, flows: false }, {
      '/p/src/b.ts': `export class S { constructor(req: Request) { eval(req.url); } }`,
    });
  });
});

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(?:[cm]?[jt]sx?)$/.test(name)) out.push(p);
  }
  return out;
}

describe('source gate: never shut where the analysis finds a flow', () => {
  test('every TS/JS fixture and example, and the benchmark corpus when it is extracted', () => {
    const files = [...walk(join(ROOT, 'test', 'fixtures'), []), ...walk(join(ROOT, 'examples'), [])];
    const corpusList = join(ROOT, 'bench', '.work', 'list-warden-tsjs.json');
    if (existsSync(corpusList)) files.push(...(JSON.parse(readFileSync(corpusList, 'utf8')) as string[]).filter((f) => existsSync(f)));
    const modules = new ModuleCache();
    let shut = 0;
    let withFlows = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (parseRisk(text) || text.length > 1024 * 1024) continue;
      const r = run(file, text, fileSystemHost, modules);
      if (r.flows > 0) {
        withFlows++;
        assert.equal(r.gate, true, `${file}: ${r.flows} flows, but the gate is shut`);
      }
      if (!r.gate) shut++;
    }
    assert.ok(withFlows > 20, `only ${withFlows} files with flows: the sweep did not run`);
    // The gate is only worth its cost if it shuts for many files (helpers, types, tests).
    assert.ok(shut > files.length / 5, `the gate shut for only ${shut} of ${files.length} files`);
  });
});

describe('source gate: in step with taint.ts', () => {
  // The gate restates the analyzer's source conditions; when taint.ts changes them, this fails
  // so that source-gate.ts and its proof are reviewed with the change.
  const taint = readFileSync(join(ROOT, 'src', 'core', 'ts', 'taint.ts'), 'utf8');
  const setOf = (name: string): string[] => {
    const m = new RegExp(`const ${name} = new Set\\(\\[([^\\]]*)\\]\\)`).exec(taint);
    assert.ok(m, `taint.ts no longer declares ${name}`);
    return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!).sort();
  };

  test('route methods and request types are the analyzer\'s', () => {
    // Route calls: one predicate, used by both (a second copy of the method list would drift).
    assert.ok(taint.includes('isHttpRouteCall(call, method, calleeName)'), 'taint.ts no longer asks isHttpRouteCall');
    assert.ok(!/HTTP_ROUTE_METHODS/.test(taint), 'taint.ts keeps its own route method list again');
    assert.ok(HTTP_ROUTE_METHODS.has('get') && HTTP_ROUTE_METHODS.has('use'));
    assert.deepEqual([...SOURCE_TYPE_NAMES].filter((n) => n !== 'Context').sort(), setOf('HTTP_REQ_TYPES'));
  });

  test('the places that make sources are the ones the proof lists', () => {
    // typedSource (2), handlerParams (5), analyzeCallbacks (2), runOAuthProviders (1).
    assert.equal((taint.match(/this\.sourceVal\(/g) ?? []).length, 10, 'taint.ts makes sources in a new place: review source-gate.ts');
    // sourceVal (1), leaves of an existing source in access (2 shapes: with and without zod fields), request getters (1).
    assert.equal((taint.match(/src: \{/g) ?? []).length, 4, 'taint.ts builds a source origin in a new place: review source-gate.ts');
  });
});
