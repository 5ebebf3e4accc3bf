import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Linter } from '../../src/core';
import type { FileResult } from '../../src/core/types';
import { TsEngine } from '../../src/core/ts/engine';
import { allRules } from '../../src/rules';

// Second round of counterexamples hunted for the taint replay cache (./src/core/ts/taint-cache.ts):
// after any sequence of texts (of a file and of the files it imports), a linter that has seen the
// earlier versions must return exactly what a fresh linter returns.

const comparable = (r: FileResult) => JSON.stringify({ findings: r.findings, problems: r.problems });

const PRELUDE = [
  "import { exec, execSync } from 'node:child_process';",
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { z } from 'zod';",
  "const server = new McpServer({ name: 'x', version: '1' });",
  "const ok = (t = '') => ({ content: [{ type: 'text' as const, text: t }] });",
  '',
].join('\n');

/** One analysis: `file` with `text`; `disk` (when given) replaces the in-memory file system first. */
interface Step {
  readonly file: string;
  readonly text: string;
  readonly disk?: Readonly<Record<string, string>>;
}

/**
 * Runs the steps on one editing linter, each twice (the second time with fixes, as a code action
 * does), and compares every result with a fresh linter's on the same file system.
 */
async function steps(list: readonly Step[]): Promise<void> {
  const linter = await Linter.create({ rules: allRules, engines: [new TsEngine()] });
  let disk = new Map<string, string>();
  const host = { readFile: (f: string) => disk.get(f) };
  for (const [v, s] of list.entries()) {
    if (s.disk) disk = new Map(Object.entries(s.disk));
    for (const fixes of [false, true]) {
      const fresh = await Linter.create({ rules: allRules, engines: [new TsEngine()] });
      const opts = { fixes, host };
      assert.equal(comparable(linter.lintText(s.file, s.text, opts)), comparable(fresh.lintText(s.file, s.text, opts)), `step ${v} (${s.file}) fixes ${fixes}`);
    }
  }
}

/** Versions of one file, with a fixed in-memory file system. */
const sequence = (file: string, versions: readonly string[], disk: Readonly<Record<string, string>> = {}) =>
  steps(versions.map((text, i) => ({ file, text, ...(i === 0 ? { disk } : {}) })));

/** `body` with the name of tool `name` changed: its registration runs again, the others may replay. */
const touch = (body: string, name: string, i: number) => body.replace(`'${name}'`, `'${name}${i}'`);

// Break: the `running` set (functions on the call stack) is state a replay does not recreate.
// Fresh: tool 'a' constructs `C`; with C's constructor running, `build('k')` makes `build`'s
// summary, whose `new C(p)` skips the running constructor (`construct`: `!this.running.has(ctor)`),
// so the instance it returns has no field `v`; 'b' then reads nothing tainted. A replay of 'a'
// re-makes `build`'s summary from the top level, where the constructor is not running: `new C(p)`
// runs it, `v` is build's parameter, and 'b' (run, its name changed) reports exec(this.v) from 'y'.
test('a summary made while a constructor was running, re-made by a replay where it is not', { todo: 'taint cache: summaries depend on the running set' }, async () => {
  const v1 = `${PRELUDE}class C {
  constructor(public v: string) { if (v === 'boot') build('k'); }
  run() { exec(this.v); }
}
function build(p: string) { return new C(p); }
server.tool('a', { x: z.string() }, async ({ x }) => { new C(x); return ok(); });
server.tool('b', { y: z.string() }, async ({ y }) => { build(y).run(); build(y).run(); return ok(); });
`;
  await sequence('/adv/running.ts', [v1, touch(v1, 'b', 1)]);
});

// Break: a lazy import binding resolved during a run is state of the importing module's top
// scope (`lookup` replaces the lazy value in place), and a replay does not resolve it. Fresh:
// tool 'a' constructs `Hcls`, whose constructor reads `BASE`, imported by h.ts from the file
// being analysed (a cycle) while that file's exports are still empty: h's `BASE` is fixed as
// unknown. The final pass then summarises `hget` (through `onRequest`) and reports the request
// URL reaching `fetch`. Version 2: 'a' is replayed (h.ts loaded, the constructor marked analysed,
// `BASE` not read); 'b' is impure, so the final pass runs, resolves `BASE` after the exports are
// collected (a fixed origin) and reports nothing.
test('a lazy import resolved by a replayed run while its target\'s exports were incomplete', { todo: 'taint cache: lazy import resolutions are not replayed' }, async () => {
  const disk = {
    '/p/h.ts': "import { BASE } from './index';\nexport class Hcls { base = ''; constructor() { this.base = BASE; } }\nexport function hget(p: string) { return fetch(BASE + p); }\n",
  };
  const v1 = `${PRELUDE}import type { IncomingMessage } from 'node:http';
import { Hcls, hget } from './h';
export const BASE = 'https://api.example.com/v1/';
let last = '';
server.tool('a', { x: z.string() }, async ({ x }) => { new Hcls(); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { last = y; return ok(); });
export async function onRequest(req: IncomingMessage) { await hget(String(req.url)); }
`;
  await sequence('/p/index.ts', [v1, touch(v1, 'b', 1)], disk);
});
