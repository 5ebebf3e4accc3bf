import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, describe, test } from 'node:test';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';
import type { AnalysisHost } from '../../src/core/engine';
import { LineMap } from '../../src/core/text';
import { parseTs } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
import { analyzeTaint, taintShortcuts } from '../../src/core/ts/taint';

/**
 * The taint analysis's shortcuts (taint.ts `taintShortcuts`: expressions whose value is dropped
 * and whose evaluation provably does nothing else are not evaluated) must leave every flow, its
 * steps and messages exactly as the plain analysis reports them. Each input is analysed both
 * ways: the repository's fixtures and examples, a generated 1,000-line server, the benchmark
 * corpus when it is extracted, deterministic mutants of all of them, and snippets written to
 * hit each condition of the shortcut.
 */

const ALL_KINDS = new Set(['command', 'argument', 'sql', 'path', 'timing', 'ssrf', 'code']);
const ROOT = path.join(__dirname, '..', '..');
const fsHost: AnalysisHost = {
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
};

function analyse(file: string, text: string, host: AnalysisHost, shortcuts: boolean): string {
  const before = taintShortcuts.enabled;
  taintShortcuts.enabled = shortcuts;
  try {
    const sf = parseTs(file, text);
    const r = analyzeTaint(file, sf, new LineMap(text), buildMcpModel(sf), { kinds: ALL_KINDS, deadline: performance.now() + 60_000, host });
    return JSON.stringify(r);
  } finally {
    taintShortcuts.enabled = before;
  }
}

/** Analyses `text` with and without shortcuts; returns the plain result (to check it found something). */
function same(file: string, text: string, host: AnalysisHost = fsHost): string {
  const plain = analyse(file, text, host, false);
  assert.equal(analyse(file, text, host, true), plain, `results differ with shortcuts on ${file}`);
  return plain;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(?:[cm]?[jt]s|[jt]sx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Deterministic mutants: a line deleted, duplicated, swapped with the next; a string literal turned into a variable. */
function mutants(text: string, count: number, seed: number): string[] {
  let a = seed;
  const rnd = () => {
    a = (a * 1103515245 + 12345) & 0x7fffffff;
    return a / 0x7fffffff;
  };
  const vars = ['args', 'req', 'name', 'path', 'file', 'cmd', 'input', 'target', 'url'];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const lines = text.split('\n');
    const i = Math.floor(rnd() * lines.length);
    switch (k % 4) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[i]!);
        break;
      case 2:
        if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
        break;
      default:
        lines[i] = lines[i]!.replace(/'[^'\n]*'/, vars[Math.floor(rnd() * vars.length)]!);
    }
    out.push(lines.join('\n'));
  }
  return out;
}

const HEADER = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { exec, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { helper, schema, REGISTRY } from './lib';
const server = new McpServer({ name: 't', version: '1' });
`;

const LIB = `import { exec } from 'node:child_process';
export function helper(x: string) { exec(x); return x; }
export const schema = { a: 1 };
export const REGISTRY: string[] = [];
`;

/** A containment check whose `catch` hands back the path from before `realpath` (taint.ts `realpathCallIn`). */
const REALPATH_IN_TRY = `import { realpath } from 'node:fs/promises';
import * as nodePath from 'node:path';
const ROOT = '/srv';
async function resolveInside(p: string) {
  const full = nodePath.resolve(ROOT, p);
  if (!full.startsWith(ROOT + nodePath.sep)) throw new Error('outside');
  try {
    const real = await realpath(full);
    if (!real.startsWith(ROOT + nodePath.sep)) throw new Error('outside');
    return real;
  } catch {
    return full;
  }
}
server.registerTool('t', { inputSchema: { p: z.string() } }, async ({ p }) => ({ content: [{ type: 'text', text: readFileSync(await resolveInside(p), 'utf8') }] }));`;

/**
 * Snippets where skipping a dropped expression would be wrong: it runs local code, reports a
 * flow, assigns, queues a function, resolves an import, or registers a tool.
 */
const ADVERSARIAL: Record<string, string> = {
  sinkInConfig: `server.registerTool('outer', { description: 'd', inputSchema: { a: z.string() } }, async ({ a }) => {
  server.registerTool('inner', { description: exec(a) as unknown as string }, async () => ({ content: [] }));
  return { content: [] };
});`,
  helperInConfig: `function describe(x: string) { exec(x); return 'd'; }
server.registerTool('outer', { inputSchema: { a: z.string() } }, async ({ a }) => {
  server.registerTool('inner', { description: describe(a) }, async () => ({ content: [] }));
  return { content: [] };
});`,
  arrowInConfig: `server.registerTool('t', { description: 'd', later: () => { server.tool('late', { c: z.string() }, async ({ c }) => { exec(c); return { content: [] }; }); } }, async () => ({ content: [] }));`,
  methodInConfig: `server.registerTool('t', { description: 'd', run() { server.tool('m', { c: z.string() }, async ({ c }) => { exec(c); return { content: [] }; }); } }, async () => ({ content: [] }));`,
  importInConfig: `server.registerTool('t', { description: String(schema.a) }, async ({ a }: { a: string }) => { helper(a); return { content: [] }; });`,
  importedHelperInConfig: `server.registerTool('outer', { inputSchema: { a: z.string() } }, async ({ a }) => {
  server.registerTool('inner', { description: helper(a) }, async () => ({ content: [] }));
  return { content: [] };
});`,
  pushInStatement: `server.registerTool('t', { inputSchema: { a: z.string() } }, async ({ a }) => {
  const parts: string[] = ['ls'];
  parts.push(a);
  exec(parts.join(' '));
  return { content: [] };
});`,
  assignInCondition: `server.registerTool('t', { inputSchema: { a: z.string() } }, async ({ a }) => {
  let cmd = 'ls';
  if ((cmd = a)) exec(cmd);
  while ((cmd = a + '')) { exec(cmd); break; }
  return { content: [] };
});`,
  narrowingHelper: `function safe(x: string) { const ok = /^[a-z]+$/.test(x); return ok; }
server.registerTool('t', { inputSchema: { a: z.string() } }, async ({ a }) => {
  if (!safe(a)) throw new Error('bad ' + a);
  exec(a);
  safe(a) && exec(a);
  return { content: [] };
});`,
  sinksInDroppedPositions: `function run(x: string) { exec(x); return true; }
server.registerTool('t', { inputSchema: { a: z.string() } }, async ({ a }) => {
  if (run(a + '1')) { /* */ }
  run(a + '2') && a;
  const v = run(a + '3') ? 1 : 2;
  switch (run(a + '4')) { default: }
  while (run(a + '5')) break;
  do { /* */ } while (run(a + '6'));
  for (let i = 0; run(a + '7'); i++) break;
  if (v) throw run(a + '8');
  return { content: [] };
});`,
  thisCall: `class Tools {
  constructor(private cmd: string) {}
  run() { exec(this.cmd); }
  describe(x: string) { exec(x); return 'd'; }
  register() {
    server.registerTool('outer', { inputSchema: { a: z.string() } }, async ({ a }) => {
      server.registerTool('inner', { description: this.describe(a) }, async () => ({ content: [] }));
      new Tools(a).run();
      return { content: [] };
    });
  }
}
new Tools('x').register();`,
  requireInConfig: `server.registerTool('outer', { inputSchema: { a: z.string() } }, async ({ a }) => {
  server.registerTool('inner', { description: require('./lib').helper(a) }, async () => ({ content: [] }));
  return { content: [] };
});`,
  nestedRegistrationInStatement: `server.registerTool('outer', { inputSchema: { a: z.string() } }, async ({ a }) => {
  void server.registerTool('inner', { description: a }, async ({ b }: { b: string }) => { exec(b + a); return { content: [] }; });
  return { content: [] };
});`,
  timingInStatement: `const API_TOKEN = process.env.API_TOKEN ?? '';
server.registerTool('t', { inputSchema: { token: z.string() } }, async ({ token }) => {
  token === API_TOKEN;
  if (token === API_TOKEN) return { content: [] };
  return { content: [] };
});`,
  taintedVariableInConfig: `server.registerTool('outer', { inputSchema: { a: z.string() } }, async ({ a }) => {
  const cmd = a;
  server.registerTool('inner', { description: cmd, title: \`x \${cmd}\` }, async () => { exec(cmd); return { content: [] }; });
  execFile('git', ['log', cmd]);
  return { content: [] };
});`,
  callbackInStatement: `server.registerTool('t', { inputSchema: { a: z.array(z.string()) } }, async ({ a }) => {
  a.forEach((x) => exec(x));
  [1, 2].forEach((n) => exec(String(n)));
  REGISTRY.push(a[0]!);
  return { content: [] };
});`,
  objectFieldsInStatement: `const opts = { shell: true };
server.registerTool('t', { inputSchema: { a: z.string() } }, async ({ a }) => {
  ({ cmd: a }).cmd;
  opts.shell;
  readFileSync(a);
  return { content: [] };
});`,
  realpathInTry: REALPATH_IN_TRY,
  // The same with the call's name written with an escape (its text then does not say 'realpath').
  realpathWithEscapes: REALPATH_IN_TRY.replace('await realpath(', 'await real\\u0070ath('),
};

describe('taint shortcuts change no result', () => {
  const files = [...sourceFiles(path.join(ROOT, 'test', 'fixtures')), ...sourceFiles(path.join(ROOT, 'examples'))];
  const list = path.join(ROOT, 'bench', '.work', 'list-warden-tsjs.json');
  const corpus: string[] = existsSync(list) ? (JSON.parse(readFileSync(list, 'utf8')) as string[]) : [];
  after(() => {
    taintShortcuts.enabled = true;
  });

  test('fixtures and examples, with mutants', () => {
    assert.ok(files.length > 50, 'fixtures found');
    let found = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (same(f, text).includes('"sinkSpan"')) found++;
      mutants(text, 4, f.length).forEach((m) => same(f, m));
    }
    assert.ok(found > 30, 'fixtures have flows');
  });

  test('generated 1,000-line server, with mutants', () => {
    const text = generateTs(1000) as string;
    const file = '/project/src/server.ts';
    assert.ok(same(file, text).includes('"sinkSpan"'));
    mutants(text, 12, 7).forEach((m) => same(file, m));
  });

  test('benchmark corpus (when extracted), with mutants', { skip: corpus.length === 0 && 'bench/.work corpus not extracted' }, () => {
    // A third of the files (and mutants of a ninth) keeps the test under ten seconds.
    for (const [i, f] of corpus.entries()) {
      if (i % 3 !== 0 || !existsSync(f)) continue;
      const text = readFileSync(f, 'utf8');
      same(f, text);
      if (i % 9 === 0) mutants(text, 2, i).forEach((m) => same(f, m));
    }
  });

  for (const [name, body] of Object.entries(ADVERSARIAL)) {
    test(`snippet: ${name}`, () => {
      const dir = '/project/src';
      const host: AnalysisHost = { readFile: (p) => (p === `${dir}/lib.ts` ? LIB : undefined) };
      same(`${dir}/server.ts`, HEADER + body, host);
    });
  }
});
