import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import type { AnalysisHost } from '../../src/core/engine';
import { LineMap } from '../../src/core/text';
import { parseTs } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
import { CODE_SINKS } from '../../src/core/ts/kinds/code';
import { PROGRAM_SINKS, SHELL_COMMAND_SINKS } from '../../src/core/ts/kinds/command';
import { PATH_SINKS } from '../../src/core/ts/kinds/path';
import { SQL_SINKS } from '../../src/core/ts/kinds/sql';
import { SSRF_SINKS } from '../../src/core/ts/kinds/ssrf';
import { entryMatches, findEntry } from '../../src/core/ts/kinds/types';
import { analyzeTaint } from '../../src/core/ts/taint';

const ALL_KINDS = new Set(['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code']);
const noFiles: AnalysisHost = { readFile: () => undefined };

function flows(text: string, opts: { file?: string; host?: AnalysisHost; deadline?: number } = {}) {
  const file = opts.file ?? '/project/src/server.ts';
  const sf = parseTs(file, text);
  const lines = new LineMap(text);
  const result = analyzeTaint(file, sf, lines, buildMcpModel(sf), {
    kinds: ALL_KINDS,
    deadline: opts.deadline ?? performance.now() + 10_000,
    host: opts.host ?? noFiles,
  });
  return {
    ...result,
    /** `kind@line source` for each flow, in report order. */
    summary: result.flows.map((f) => `${f.kind}@${lines.position(f.sinkSpan.start).line} ${f.sourceName}`),
  };
}

const HEADER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
const server = new McpServer({ name: 't', version: '1' });
`;

/** Wraps a handler body (from line 7): the tool has a string argument `a` and an enum argument `e`. */
function tool(body: string, imports = ''): string {
  return `${imports}\n// the handler body starts on line 7\n${HEADER}server.tool('t', { a: z.string(), e: z.enum(['x', 'y']) }, async ({ a, e }) => {\n${body}\nreturn { content: [] };\n});\n`;
}

describe('TS taint propagation', () => {
  const cases: [string, string, string, string[]][] = [
    ['template literal', `import { exec } from 'child_process';`, 'exec(`ls ${a}`);', ['command@7 a']],
    ['concatenation and assignment', `import { exec } from 'child_process';`, "let c = 'ls '; c += a; exec(c);", ['command@7 a']],
    ['array join and concat', `import { execSync } from 'node:child_process';`, "execSync(['ls'].concat([a]).join(' '));", ['command@7 a']],
    ['util.format', `import util from 'node:util'; import { exec } from 'child_process';`, "exec(util.format('ls %s', a));", ['command@7 a']],
    ['object property and destructuring', `import { exec } from 'child_process';`, 'const o = { cmd: a }; const { cmd } = o; exec(cmd);', ['command@7 a']],
    ['promisify alias of a namespace member', `import * as cp from 'child_process'; import { promisify } from 'util';`, 'const run = promisify(cp.exec); await run(a);', ['command@7 a']],
    ['require with member access', `const exec = require('child_process').exec;`, 'exec(a);', ['command@7 a']],
    ['enum argument is safe', `import { exec } from 'child_process';`, 'exec(`ls ${e}`);', []],
    ['Set.has guard with early return', `import { exec } from 'child_process'; const OK = new Set(['x']);`, "if (!OK.has(a)) return { content: [] };\nexec(a);", []],
    ['guard only inside the branch', `import { exec } from 'child_process'; const OK = ['x'];`, 'if (OK.includes(a)) { exec(a); }\nexec(a);', ['command@8 a']],
    ['strict regex guard', `import { exec } from 'child_process';`, 'if (!/^[a-z]+$/.test(a)) throw new Error();\nexec(a);', []],
    ['regex with a dot is no guard for paths', `import fs from 'fs';`, "if (!/^[\\w.]+$/.test(a)) throw new Error();\nfs.readFileSync('/d/' + a);", ['path@8 a']],
    ['Number() cleans', `import { exec } from 'child_process';`, 'exec(`seq ${Number(a)}`);', []],
    ['parameter binding is safe', `import Database from 'better-sqlite3'; const db = new Database('x');`, "db.prepare('SELECT * FROM t WHERE a = ?').get(a);", []],
    ['string-built SQL', `import Database from 'better-sqlite3'; const db = new Database('x');`, 'db.prepare(`SELECT * FROM t WHERE a = ${a}`).get();', ['sql@7 a']],
    ['callback of a tainted array method', `import { execSync } from 'child_process';`, "a.split(',').forEach((p) => execSync('rm ' + p));", ['command@7 a']],
    ['closure inside a Promise', `import { exec } from 'child_process';`, 'await new Promise((r) => exec(`x ${a}`, r));', ['command@7 a']],
    ['fetch with a fixed host is safe, free URL is not', '', 'await fetch(`https://api.example.com/v1/${a}`); await fetch(a);', ['ssrf@7 a']],
    ['eval of a tool argument', '', 'eval(a);', ['code@7 a']],
    // A command line split on spaces: the program is its constant first word, the argument an option of it.
    ['split command line: argument, not program', `import { spawn } from 'child_process';`, "const [cmd, ...args] = `kubectl logs ${a}`.split(' ');\nspawn(cmd, args);", ['argument@8 a']],
    ['split command line with an enum: safe', `import { spawn } from 'child_process';`, "const [cmd, ...args] = `kubectl logs -n ${e}`.split(' ');\nspawn(cmd, args);", []],
    ['split of unknown text: the program', `import { spawn } from 'child_process';`, "const [cmd, ...args] = a.split(' ');\nspawn(cmd, args);", ['command@8 a']],
    ['split words by index and slice', `import { spawn } from 'child_process';`, "const parts = `kubectl logs ${a}`.split(' ');\nspawn(parts[0], parts.slice(1));", ['argument@8 a']],
    ['a word past the known ones holds the client text', `import { execSync } from 'child_process';`, "const parts = `kubectl logs ${a}`.split(' ');\nexecSync(parts[4]);\nexecSync(parts[1]);", ['command@8 a']],
  ];
  for (const [name, imports, body, expected] of cases) {
    test(name, () => {
      assert.deepEqual(flows(tool(body, imports)).summary, expected);
    });
  }

  test('flow data and steps: source first, sink last', () => {
    const text = tool("const cmd = 'ping ' + a;\nexecAsync(cmd);", `import { exec } from 'child_process'; import { promisify } from 'util'; const execAsync = promisify(exec);`);
    const { flows: [f] } = flows(text);
    assert.ok(f);
    assert.equal(f.kind, 'command');
    assert.equal(f.sinkName, 'execAsync');
    assert.equal(f.sourceName, 'a');
    assert.equal(f.sourceKind, 'tool argument');
    assert.deepEqual(f.data, { callee: 'exec', promisified: true, module: 'child_process', shell: true });
    assert.deepEqual(f.steps.map((s) => s.message), ["tool argument 'a'", "assigned to 'cmd'", "passed to 'execAsync'"]);
    assert.equal(text.slice(f.sinkSpan.start, f.sinkSpan.end), 'execAsync(cmd)');
    assert.equal(text.slice(f.argSpan!.start, f.argSpan!.end), 'cmd');
  });

  test('argument injection data: program and position; -- ends options', () => {
    const text = tool("execFileSync('git', ['log', a]);\nexecFileSync('git', ['log', '--', a]);", `import { execFileSync } from 'child_process';`);
    const r = flows(text);
    assert.deepEqual(r.summary, ['argument@7 a']);
    assert.equal(r.flows[0]!.data?.program, 'git');
    assert.equal(r.flows[0]!.data?.argIndex, 1);
  });

  test('a literal prefix naming no directory is no check: no reason given', () => {
    // `p.startsWith('~')` decides whether to expand the home directory.
    const text = tool(
      "const p = path.normalize(a);\nif (p.startsWith('~')) fs.readFileSync(path.join(os.homedir(), p.slice(1)));",
      `import fs from 'fs'; import os from 'os'; import path from 'path';`,
    );
    const [f] = flows(text).flows;
    assert.ok(f);
    assert.equal(f.data?.reason, undefined);
  });

  test('path reasons: prefix without separator, check before normalisation', () => {
    const text = tool(
      "const p = path.resolve(ROOT, a);\nif (!p.startsWith(ROOT)) throw new Error();\nfs.readFileSync(p);",
      `import fs from 'fs'; import path from 'path'; const ROOT = path.resolve('r');`,
    );
    const [f] = flows(text).flows;
    assert.equal(f?.data?.reason, "The check 'startsWith(ROOT)' has no trailing separator.");
    const guard = f?.data?.guard as { start: number; end: number };
    assert.equal(text.slice(guard.start, guard.end), 'p.startsWith(ROOT)');
    const ok = tool("const p = path.resolve(ROOT, a);\nif (!p.startsWith(ROOT + path.sep)) throw new Error();\nfs.readFileSync(p);", `import fs from 'fs'; import path from 'path'; const ROOT = path.resolve('r');`);
    assert.deepEqual(flows(ok).summary, []);
  });

  test('timing: secret name and operator; literals are not findings', () => {
    const text = tool("if (a === process.env.API_TOKEN) {}\nif (a === 'x') {}\nif (a === undefined) {}");
    const r = flows(text);
    assert.deepEqual(r.summary, ['timing@7 a']);
    assert.deepEqual(r.flows[0]!.data, { secretName: 'API_TOKEN', operator: '===' });
  });

  test('SQL driver from the import; receivers of unknown origin by name', () => {
    const text = tool('await pool.query(`SELECT ${a}`);\nawait db.query(`SELECT ${a}`);\nawait cache.query(`SELECT ${a}`);', `import { Pool } from 'pg'; const pool = new Pool(); declare const db: any; declare const cache: any;`);
    const r = flows(text);
    assert.deepEqual(r.summary, ['sql@7 a', 'sql@8 a']);
    assert.equal(r.flows[0]!.data?.driver, 'pg');
    assert.equal(r.flows[1]!.data?.driver, 'unknown');
  });
});

describe('TS taint: helpers and modules', () => {
  test('a same-file helper reports at its sink, only when reached with input', () => {
    const text = `import { execSync } from 'child_process';\n${HEADER}function run(c: string) {\n  return execSync(c);\n}\nrun('ls');\nserver.tool('t', { a: z.string() }, async ({ a }) => { run('echo ' + a); return { content: [] }; });\n`;
    const r = flows(text);
    assert.deepEqual(r.summary, ['command@6 a']);
    assert.deepEqual(r.flows[0]!.steps.map((s) => s.message), ["tool argument 'a'", "passed to 'run'", "parameter 'c'", "passed to 'execSync'"]);
    const constantsOnly = `import { execSync } from 'child_process';\n${HEADER}function run(c: string) { return execSync(c); }\nserver.tool('t', { a: z.string() }, async ({ a }) => { run('ls'); return { content: [] }; });\n`;
    assert.deepEqual(flows(constantsOnly).summary, []);
  });

  test('a helper that splits its parameter into program and vector: each call decides the program', () => {
    const text = `import { spawn } from 'child_process';\n${HEADER}function run(line: string) {\n  const [cmd, ...args] = line.split(' ');\n  spawn(cmd, args);\n}\nserver.tool('t', { a: z.string(), e: z.enum(['x']) }, async ({ a, e }) => {\n  let c = 'kubectl logs';\n  if (e) c += \` -n \${e}\`;\n  run(c + ' ' + a);\n  run(a);\n  run('kubectl get pods');\n  return { content: [] };\n});\n`;
    // The kubectl line: an option of kubectl (argument); the client's own line: the program (command).
    assert.deepEqual(flows(text).summary.sort(), ['argument@7 a', 'command@7 a']);
  });

  test('an imported local module: reported at the call site, last step in the module', () => {
    const files: Record<string, string> = {
      '/project/src/lib/sh.ts': "import { exec } from 'node:child_process';\nexport function sh(line: string) {\n  exec(line);\n}\nexport const safe = (x: string) => exec('uptime');\n",
    };
    const host: AnalysisHost = { readFile: (p) => files[p] };
    const text = `import { sh, safe } from './lib/sh.js';\n${HEADER}server.tool('t', { a: z.string() }, async ({ a }) => {\n  sh(a);\n  safe(a);\n  return { content: [] };\n});\n`;
    const r = flows(text, { host });
    assert.deepEqual(r.summary, ['command@6 a']);
    const last = r.flows[0]!.steps[r.flows[0]!.steps.length - 1]!;
    assert.equal(last.location.file, '/project/src/lib/sh.ts');
    assert.equal(last.location.startLine, 3);
    assert.equal(r.flows[0]!.data?.via, 'sh');
  });

  test('a call reaching several sinks in an imported module reports each sink once, at the call', () => {
    // A dispatcher in another module (merajmehrabi/puppeteer-mcp-server's handleToolCall): one
    // finding per real sink, as sinks in the analysed file are reported, not one for the call
    // (the URL's was hidden behind the port's).
    const files: Record<string, string> = {
      '/project/src/tools.ts':
        "export async function handle(name: string, args: any) {\n  if (name === 'page') return fetch(args.url);\n  if (name === 'debug') return fetch(`http://localhost:${args.port}/json/version`);\n  return fetch(args.url + '/again');\n}\n",
    };
    const host: AnalysisHost = { readFile: (p) => files[p] };
    const text = `import { handle } from './tools.js';\n${HEADER}server.tool('t', { a: z.string() }, async (args) => {\n  await handle('x', args);\n  return { content: [] };\n});\n`;
    const r = flows(text, { host });
    assert.deepEqual([...r.summary].sort(), ['ssrf@6 port', 'ssrf@6 url', 'ssrf@6 url']);
    const sinks = r.flows.map((f) => f.steps[f.steps.length - 1]!.location.startLine).sort();
    assert.deepEqual(sinks, [2, 3, 4]);
    for (const f of r.flows) assert.equal(f.sinkSpan.start, r.flows[0]!.sinkSpan.start, 'all reported at the call');
  });

  test('a sink of this file reached from several tools: one finding per tool, not one for the sink', () => {
    // jparkerweb/mcp-sqlite: every tool runs its SQL through one `executeQuery` helper. A
    // finding accepted as by design (the run-any-SQL tool) must not hide the others' injections.
    const text = `import sqlite3 from 'sqlite3';\n${HEADER}const db = new sqlite3.Database(':memory:');\nfunction run(sql: string) { return db.all(sql); }\nserver.tool('query', { sql: z.string() }, async ({ sql }) => { run(sql); return { content: [] }; });\nserver.tool('schema', { t: z.string() }, async ({ t }) => { run(\`PRAGMA table_info(\${t})\`); return { content: [] }; });\nserver.tool('both', { a: z.string(), b: z.string() }, async ({ a, b }) => { run(a + b); return { content: [] }; });\n`;
    const r = flows(text);
    // One per tool: the third tool's two arguments are one finding.
    assert.deepEqual(r.summary, ['sql@6 sql', 'sql@6 t', 'sql@6 a']);
  });

  test('a call through a helper module to one of several adapter classes reports each adapter\'s sink', () => {
    // executeautomation/mcp-database-server: `dbAll(q)` calls `dbAdapter.all(q)`, the adapter a
    // factory picked (SQLite or PostgreSQL). Both sinks are rebased to the same call in db.ts;
    // they are two sinks, not one (the PostgreSQL one was dropped as a duplicate).
    const files: Record<string, string> = {
      '/project/src/sqlite.ts': "import sqlite3 from 'sqlite3';\nexport class SqliteAdapter {\n  db = new sqlite3.Database(':memory:');\n  all(q: string) { return this.db.all(q); }\n}\n",
      '/project/src/pg.ts': "import pg from 'pg';\nexport class PgAdapter {\n  client = new pg.Client();\n  all(q: string) { return this.client.query(q); }\n}\n",
      '/project/src/db.ts':
        "import { SqliteAdapter } from './sqlite';\nimport { PgAdapter } from './pg';\nlet adapter: any = null;\nexport function init(t: string) { adapter = t === 'pg' ? new PgAdapter() : new SqliteAdapter(); }\nexport function dbAll(q: string) { return adapter.all(q); }\n",
    };
    const host: AnalysisHost = { readFile: (p) => files[p] };
    const text = `import { dbAll, init } from './db';\n${HEADER}init(process.argv[2]);\nserver.tool('t', { a: z.string() }, async ({ a }) => {\n  await dbAll('SELECT * FROM ' + a);\n  return { content: [] };\n});\n`;
    const r = flows(text, { host });
    assert.deepEqual(r.summary, ['sql@7 a', 'sql@7 a']);
    const sinks = r.flows.map((f) => f.steps[f.steps.length - 2]!.location.file).sort();
    assert.deepEqual(sinks, ['/project/src/pg.ts', '/project/src/sqlite.ts']);
  });

  test('a class of an imported module runs as that module: its spans are its own, its routes are not sources here', () => {
    const files: Record<string, string> = {
      '/project/src/repo.ts': "import { exec } from 'node:child_process';\nexport class Repo {\n  constructor(private root: string) {}\n  run(cmd: string) { exec(`cd ${this.root} && ${cmd}`); }\n}\n",
      '/project/src/web.ts': "import express from 'express';\nexport class Web {\n  app = express();\n  start() { this.app.get('/', (req, res) => { eval(req.query.x); }); }\n  handle(req: Request) { eval(req.url); }\n}\n",
    };
    const host: AnalysisHost = { readFile: (p) => files[p] };
    const text = `import { Repo } from './repo';\nimport { Web } from './web';\n${HEADER}const repo = new Repo('/srv');\nconst web = new Web();\nweb.start();\nserver.tool('t', { a: z.string() }, async ({ a }) => { repo.run(a); return { content: [] }; });\n`;
    const r = flows(text, { host });
    // The tool argument reaches the imported method's 'exec': reported at the call, in this file.
    assert.deepEqual(r.summary, ['command@9 a']);
    const last = r.flows[0]!.steps[r.flows[0]!.steps.length - 1]!;
    assert.equal(last.location.file, '/project/src/repo.ts');
    assert.equal(last.location.startLine, 4);
  });

  test('a handler imported from a module: reported at the argument that registers it, with its steps in the module', () => {
    const files: Record<string, string> = {
      '/project/src/tools/grep.ts':
        "import { exec } from 'node:child_process';\nexport async function grep({ pattern }: { pattern: string }) {\n  exec(`grep -rn ${pattern} .`);\n  return { content: [] };\n}\nexport async function safe({ pattern }: { pattern: string }) {\n  exec('uptime');\n  return { content: [] };\n}\n",
    };
    const host: AnalysisHost = { readFile: (p) => files[p] };
    const text = `import { grep, safe } from './tools/grep';\n${HEADER}server.tool('grep', { pattern: z.string() }, grep);\nserver.tool('safe', { pattern: z.string() }, safe);\nserver.tool('enum', { pattern: z.enum(['a', 'b']) }, grep);\n`;
    const r = flows(text, { host });
    // The enum schema of the third registration makes the same handler safe there.
    assert.deepEqual(r.summary, ['command@5 pattern']);
    const f = r.flows[0]!;
    assert.equal(text.slice(f.sinkSpan.start, f.sinkSpan.end), 'grep');
    assert.equal(f.data?.via, 'grep');
    const last = f.steps[f.steps.length - 1]!;
    assert.deepEqual([last.location.file, last.location.startLine, last.message], ['/project/src/tools/grep.ts', 3, "passed to 'exec'"]);
  });

  test('argument injection through two helpers names the argument in the option position, not one after a value option', () => {
    const files: Record<string, string> = {
      '/project/src/pf.ts': [
        "import { spawn } from 'node:child_process';",
        "function kubectl(args: string[]) { return spawn('kubectl', args); }",
        'export function portForward(input: { namespace?: string; resource: string }) {',
        "  const args = ['port-forward'];",
        "  if (input.namespace) args.push('-n', input.namespace);",
        '  args.push(`${input.resource}/x`);',
        '  kubectl(args);',
        '}',
        'export function pods(input: { namespace?: string }) {',
        "  const args = ['get', 'pods'];",
        "  if (input.namespace) args.push('-n', input.namespace);",
        '  kubectl(args);',
        '}',
      ].join('\n'),
    };
    const host: AnalysisHost = { readFile: (p) => files[p] };
    const text = `import { portForward, pods } from './pf';\n${HEADER}server.tool('pf', { namespace: z.string().optional(), resource: z.string() }, async (input) => { portForward(input); return { content: [] }; });\nserver.tool('pods', { namespace: z.string().optional() }, async (input) => { pods(input); return { content: [] }; });\n`;
    // The namespace follows kubectl's '-n', so it is a value, never an option.
    assert.deepEqual(flows(text, { host }).summary, ['argument@5 resource']);
  });

  test('CommonJS module.exports helpers', () => {
    const files: Record<string, string> = {
      '/project/src/db.js': "const mysql = require('mysql');\nconst c = mysql.createConnection({});\nmodule.exports = { find(name) { return c.query(\"SELECT * FROM u WHERE n = '\" + name + \"'\"); } };\n",
    };
    const text = `const db = require('./db');\n${HEADER}server.tool('t', { a: z.string() }, async ({ a }) => { db.find(a); return { content: [] }; });\n`;
    const r = flows(text, { host: { readFile: (p) => files[p] }, file: '/project/src/server.js' });
    assert.deepEqual(r.summary, ['sql@5 a']);
  });

  test('an imported module over 1 MB (a checked-in bundle) is unknown code, not parsed', () => {
    // chrome-devtools-mcp re-exports a 3.5 MB lighthouse bundle: parsing it took every importing file's budget.
    const helper = "import { exec } from 'child_process';\nexport function run(x) { exec(x); }\n";
    const text = `import { run } from './bundle.js';\n${HEADER}server.tool('t', { a: z.string() }, async ({ a }) => { run(a); return { content: [] }; });\n`;
    const small = flows(text, { host: { readFile: (p) => (p === '/project/src/bundle.js' ? helper : undefined) } });
    assert.deepEqual(small.summary, ['command@5 a']);
    const big = helper + `// ${'x'.repeat(1_100_000)}\n`;
    const r = flows(text, { host: { readFile: (p) => (p === '/project/src/bundle.js' ? big : undefined) } });
    assert.deepEqual(r.summary, []);
  });
});

describe('TS taint: sources', () => {
  test('low-level CallTool handler and HTTP handlers', () => {
    const text = `import { exec } from 'child_process';
import express from 'express';
server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
  exec(params.arguments.cmd);
  exec(params.name);
});
const app = express();
app.get('/x', (req, res) => { exec(req.query.q); exec(req.method); });
`;
    const r = flows(text);
    assert.deepEqual(r.flows.map((f) => [f.sourceKind, f.sourceName]), [['tool argument', 'cmd'], ['tool name', 'name'], ['request query parameter', 'q']]);
  });

  test('prompt and resource-template arguments', () => {
    const text = `import fs from 'fs';
server.registerPrompt('p', { argsSchema: { topic: z.string() } }, ({ topic }) => { fs.readFileSync(topic); return { messages: [] }; });
server.registerResource('r', new ResourceTemplate('f://{name}', { list: undefined }), {}, async (uri, { name }) => { fs.readFileSync(String(name)); return { contents: [] }; });
server.resource('s', 'f://fixed', async (uri) => { fs.readFileSync(uri.pathname); return { contents: [] }; });
`;
    const r = flows(text);
    assert.deepEqual(r.flows.map((f) => [f.sourceKind, f.sourceName]), [['prompt argument', 'topic'], ['resource template variable', 'name']]);
  });
});

describe('TS taint: robustness', () => {
  test('an expired deadline stops the analysis without throwing', () => {
    const body = Array.from({ length: 400 }, (_, i) => `const v${i} = a + ${i}; exec(v${i});`).join('\n');
    const r = flows(tool(body, `import { exec } from 'child_process';`), { deadline: performance.now() - 1 });
    assert.equal(r.timedOut, true);
  });

  test('partial code never throws', () => {
    const full = tool("const p = path.join(ROOT, a);\nif (!p.startsWith(ROOT + path.sep)) throw new Error();\nexecAsync(`cat ${p}`);", `import { exec } from 'child_process'; import path from 'path'; const ROOT = '/r'; const execAsync = require('util').promisify(exec);`);
    // Every prefix of a real file, as when the user types it.
    for (let i = 0; i < full.length; i += 7) {
      assert.doesNotThrow(() => flows(full.slice(0, i)), `prefix of length ${i}`);
    }
    for (const weird of ['server.tool(', 'exec(`${', 'const { a: { b: [c, ...d] } } = x; exec(c)', 'class { m() { this.x(', '((((((((', 'a'.repeat(10) + '+'.repeat(50)]) {
      assert.doesNotThrow(() => flows(weird));
    }
  });

  test('deep expressions degrade instead of overflowing the stack', () => {
    const deep = tool(`exec(${'a + '.repeat(20000)}a);`, `import { exec } from 'child_process';`);
    assert.doesNotThrow(() => flows(deep));
  });
});

test('findEntry finds the first matching entry of every sink table, as a scan of the table does', () => {
  const tables = [CODE_SINKS, SHELL_COMMAND_SINKS, PROGRAM_SINKS, PATH_SINKS, SQL_SINKS, SSRF_SINKS];
  let compared = 0;
  let found = 0;
  for (const table of tables) {
    const modules = [...new Set([...table.flatMap((e) => e.modules), 'other', ''])];
    const names = [...new Set(table.flatMap((e) => e.members.flatMap((m) => (m === '' ? [] : m.split('.')))))].concat(['x', 'default']);
    for (const module of modules) {
      // Every member path, with a prefix, with calls in it, and every name alone and in pairs.
      const paths: string[][] = [[]];
      for (const e of table) for (const m of e.members) if (m !== '') paths.push(m.split('.'), ['pre', ...m.split('.')], [...m.split('.').flatMap((p) => [p, '()'])]);
      for (const a of names) {
        paths.push([a], ['()', a]);
        for (const b of names.slice(0, 12)) paths.push([a, b]);
      }
      for (const path of paths) {
        const ref = { module, path };
        const expected = table.find((e) => entryMatches(e, ref));
        assert.equal(findEntry(table, ref), expected, `${module} ${path.join('.')}`);
        compared++;
        if (expected) found++;
      }
    }
  }
  assert.ok(compared > 2000 && found > 200, `${compared} refs, ${found} matched`);
});
