import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Linter } from '../../src/core';
import { TsEngine } from '../../src/core/ts/engine';
import { allRules } from '../../src/rules';
import { comparable, freshLinter, PRELUDE } from './cache-support';

// Second round of counterexamples hunted for the taint replay cache (./src/core/ts/taint-cache.ts):
// after any sequence of texts (of a file and of the files it imports), a linter that has seen the
// earlier versions must return exactly what a fresh linter returns.



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
  const linter = await freshLinter();
  let disk = new Map<string, string>();
  const host = { readFile: (f: string) => disk.get(f) };
  for (const [v, s] of list.entries()) {
    if (s.disk) disk = new Map(Object.entries(s.disk));
    for (const fixes of [false, true]) {
      const fresh = await freshLinter();
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
// runs it, `v` is build's parameter. 'b' (run, its name changed): the first `build(y).run()`
// runs `run` with that field (still build's parameter origin), which adds a hit to `build`'s
// summary; the second call applies it and reports exec(this.v) from 'y'. Fresh reports nothing
// (itself a false negative of the engine: what `build` returns depends on who called it first).
test('a summary made while a constructor was running, re-made by a replay where it is not', async () => {
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
test('a lazy import resolved by a replayed run while its target\'s exports were incomplete', async () => {
  const disk = {
    '/p/h.ts': "import { BASE } from './index';\nexport class Hcls { base = ''; constructor() { this.base = BASE; } }\nexport function hget(p: string) { return fetch(BASE + p); }\n",
  };
  const v1 = `${PRELUDE}import { Hcls, hget } from './h';
export const BASE = 'https://api.example.com/v1/';
let last = '';
server.tool('a', { x: z.string() }, async ({ x }) => { new Hcls(); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { last = y; return ok(); });
export async function onRequest(req: IncomingMessage) { await hget(String(req.url)); }
`;
  await sequence('/p/index.ts', [v1, touch(v1, 'b', 1)], disk);
});

/** A file of a pair that import each other: `other`'s helpers, with tool bodies given. */
const pairFile = (other: string, bodies: readonly string[], names: readonly string[]) => `${PRELUDE}import { run as orun, Box as OBox, BASE as OBASE, set as oset, get as oget } from './${other}';
import * as peer from './${other}';
let last = '';
export const BASE = 'https://e.com/';
export function run(s: string) { exec(s + last); }
export function set(s: string) { last = s; }
export function get() { return last; }
export class Box { v = OBASE; constructor(public c: string) {} go(s: string) { exec(this.c + s); } }
export function onRequest(req: IncomingMessage) { orun(String(req.url)); fetch(OBASE + req.url); }
${bodies.map((b, i) => `server.tool('${names[i]}', { v: z.string() }, async ({ v: V }) => { ${b} return ok(); });`).join('\n')}
`;

// Pinned: two files that import each other, both edited in turn, saved (the host sees the new
// text) or not; each file's cache holds the other's text as read.
test('two files that import each other, edited in turn, saved or not', async () => {
  const a = ['orun(V); new OBox(V).go("k");', 'oset(V);', 'await fetch(OBASE + V); exec(peer.get());'];
  const b = ['exec(oget()); peer.run(V);', 'onRequest({ url: V } as any);'];
  const an = ['a0', 'a1', 'a2'];
  const bn = ['b0', 'b1'];
  const A = (bodies = a, names = an) => pairFile('b', bodies, names);
  const B = (bodies = b, names = bn) => pairFile('a', bodies, names);
  const disk = (x: string, y: string) => ({ '/m/a.ts': x, '/m/b.ts': y });
  await steps([
    { file: '/m/a.ts', text: A(), disk: disk(A(), B()) },
    { file: '/m/b.ts', text: B() },
    { file: '/m/a.ts', text: A(a, ['a0x', 'a1', 'a2']) },
    { file: '/m/b.ts', text: B(['exec(oget());', b[1]!]) },
    { file: '/m/a.ts', text: A(a, ['a0x', 'a1', 'a2']), disk: disk(A(a, ['a0x', 'a1', 'a2']), B()) },
    { file: '/m/b.ts', text: B(), disk: disk(A(a, ['a0x', 'a1', 'a2']), B(['new OBox("k").go(V);', b[1]!])) },
    { file: '/m/a.ts', text: A(['last = V;', a[1]!, a[2]!], an) },
    { file: '/m/b.ts', text: B(b, ['b0', 'b1y']) },
    { file: '/m/a.ts', text: A() },
  ]);
});

// Pinned: an imported file that appears, changes, disappears and comes back between edits of a
// file whose text outside its registrations stays the same.
test('an imported file that appears, changes and disappears between edits', async () => {
  const h1 = "import { exec } from 'node:child_process';\nexport function hrun(s: string) { exec(s); }\n";
  const h2 = "export function hrun(s: string) { return s; }\n";
  const body = `${PRELUDE}import { hrun } from './h';
import * as h from './h';
server.tool('a', { x: z.string() }, async ({ x }) => { hrun(x); return ok(); });
server.tool('b', { y: z.string() }, async ({ y }) => { h.hrun(y); return ok(); });
server.tool('c', { w: z.string() }, async ({ w }) => { return ok(w); });
`;
  const f = '/h/index.ts';
  await steps([
    { file: f, text: body, disk: {} },
    { file: f, text: touch(body, 'c', 1) },
    { file: f, text: touch(body, 'c', 2), disk: { '/h/h.ts': h1 } },
    { file: f, text: touch(body, 'c', 3) },
    { file: f, text: touch(body, 'c', 4), disk: { '/h/h.js': h1 } },
    { file: f, text: touch(body, 'c', 5), disk: { '/h/h.js': h1, '/h/h.ts': h2 } },
    { file: f, text: touch(body, 'c', 6), disk: { '/h/h/index.ts': h1 } },
    { file: f, text: touch(body, 'c', 7), disk: {} },
    { file: f, text: touch(body, 'c', 8), disk: { '/h/h.ts': h1 } },
  ]);
});

// Pinned: a version the guards refuse (too large for `maxFileBytes`) between two that are analysed:
// the next analysis starts from the last analysed version's tree and cache.
test('a version refused by the size guard between edits', async () => {
  const body = `${PRELUDE}server.tool('a', { x: z.string() }, async ({ x }) => { exec(x); return ok(); });
server.tool('b', { y: z.string() }, async ({ y }) => { execSync('ls ' + y); return ok(); });
`;
  const config = { rules: {}, ignore: [], maxFileBytes: 2000 };
  const linter = await Linter.create({ rules: allRules, engines: [new TsEngine()], config });
  const versions = [body, touch(body, 'a', 1), touch(body, 'a', 1).replace('return ok(); });\n', `return ok(); });\n// ${'x'.repeat(3000)}\n`), touch(body, 'b', 1), touch(body, 'b', 1)];
  for (const [v, text] of versions.entries()) {
    const fresh = await Linter.create({ rules: allRules, engines: [new TsEngine()], config });
    assert.equal(comparable(linter.lintText('/g/index.ts', text, { fixes: true })), comparable(fresh.lintText('/g/index.ts', text, { fixes: true })), `version ${v}`);
  }
});

// Break: `replay` accepts a summary made at the recorded point (`createdAt`, a statement counter)
// as the one the run used, but a statement whose text changed makes it anew, and a summary's
// content depends on the analysed set when it is made (`analyzeCallbacks` skips analysed
// callbacks). Version 1: tool 'a' runs `cb` first, so `each`'s summary (made in 'a', counter 1)
// skips `forEach(cb)` and has no hit; 'b' reports nothing. Version 2: 'a' calls `each` first:
// its summary (made in 'a' again, counter 1) analyses `cb` and has the hit, and fresh 'b' reports
// exec(s) from 'y'; 'b' is replayed with its recorded (empty) flows. The reverse order breaks too.
test('a summary made at the same point by a statement whose text changed', async () => {
  const v1 = `${PRELUDE}const cb = (s: string) => { exec(s); };
function each(list: string[]) { list.forEach(cb); }
server.tool('a', { x: z.string() }, async ({ x }) => { cb('k'); each(['k']); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { each([y]); return ok(); });
`;
  const v2 = v1.replace("cb('k'); each(['k']);", "each(['k']); cb('k');");
  await sequence('/adv/order.ts', [v1, v2]);
  await sequence('/adv/order.ts', [v2, v1]);
});

// Break: the same with the summary made by a statement whose text did not change, run because its
// replay no longer fits: tool 'z' (changed) now analyses `cb`, so 'a''s entry (which analysed
// `cb`) is refused and 'a' runs, making `each`'s summary without the hit at the same counter.
// 'b' is replayed with its recorded flow; fresh reports nothing. (A fix keyed on the text of the
// statement that made the summary would still miss this.)
test('a summary re-made at the same point by an unchanged statement that had to run', async () => {
  const v1 = `${PRELUDE}const cb = (s: string) => { exec(s); };
function each(list: string[]) { list.forEach(cb); }
server.tool('z', { w: z.string() }, async ({ w }) => { return ok(w); });
server.tool('a', { x: z.string() }, async ({ x }) => { each(['k']); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { each([y]); return ok(); });
`;
  const v2 = v1.replace('return ok(w);', "cb('k'); return ok(w);");
  await sequence('/adv/rerun.ts', [v1, v2]);
  await sequence('/adv/rerun.ts', [v2, v1]);
});

// Break: the same with the summary made by top-level code between the statements (never cached,
// always run, but in the context the changed statement 'z' left).
test('a summary made by top-level code after a changed statement', async () => {
  const v1 = `${PRELUDE}const cb = (s: string) => { exec(s); };
function each(list: string[]) { list.forEach(cb); }
server.tool('z', { w: z.string() }, async ({ w }) => { return ok(w); });
each(['k']);
server.tool('b', { y: z.string() }, async ({ y }) => { each([y]); return ok(); });
`;
  const v2 = v1.replace('return ok(w);', "cb('k'); return ok(w);");
  await sequence('/adv/toplevel.ts', [v1, v2]);
  await sequence('/adv/toplevel.ts', [v2, v1]);
});

// Break: the same for the final pass, replayed with the flows it found when `each`'s summary (made
// by the changed tool 'a' at the same counter) had or lacked the hit through `cb`.
test('the final pass over a summary a changed statement made at the same point', async () => {
  const v1 = `${PRELUDE}const cb = (s: string) => { exec(s); };
function each(list: string[]) { list.forEach(cb); }
server.tool('a', { x: z.string() }, async ({ x }) => { cb('k'); each(['k']); return ok(x); });
export function onRequest(req: IncomingMessage) { each([String(req.url)]); }
`;
  const v2 = v1.replace("cb('k'); each(['k']);", "each(['k']); cb('k');");
  await sequence('/adv/pending.ts', [v1, v2]);
  await sequence('/adv/pending.ts', [v2, v1]);
});

// Pinned: flows of several statements at one sink (the first reported wins, by statement order),
// of several kinds at one call, with the winner changing as tools are edited, swapped and removed.
test('flows of several statements and kinds at the same sink', async () => {
  const tools = {
    a: "server.tool('a', { x: z.string() }, async ({ x }) => { run(x); return ok(); });\n",
    b: "server.tool('b', { y: z.string() }, async ({ y }) => { run('ls ' + y); execSync(y, { cwd: y }); return ok(); });\n",
    c: "server.tool('c', { w: z.string() }, async ({ w }) => { run(w); fs.readFileSync(w); fs.writeFileSync(w, w); return ok(); });\n",
  };
  const head = `${PRELUDE}import * as fs from 'node:fs';\nfunction run(c: string) { exec(c); fs.readFileSync(c); }\n`;
  const v = (...order: (keyof typeof tools)[]) => head + order.map((k) => tools[k]).join('');
  await sequence('/adv/ties.ts', [v('a', 'b', 'c'), v('a', 'b', 'c').replace('run(x); ', ''), v('a', 'b', 'c'), v('b', 'a', 'c'), touch(v('b', 'a', 'c'), 'b', 1), v('c', 'b'), v('a', 'b', 'c')]);
});
