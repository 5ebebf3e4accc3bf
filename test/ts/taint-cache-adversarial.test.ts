import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../fuzz/generate';
import { comparable, freshLinter, PRELUDE } from './cache-support';

// Counterexamples hunted for the taint replay cache (./src/core/ts/taint-cache.ts): sequences of
// texts after which a linter that has seen the earlier versions must return exactly what a fresh
// linter returns. Each of these once broke that promise (the cache's checks were added for them).



/**
 * Analyses each version with one editing linter, each twice (the second time with fixes, as a
 * code action does), and compares every result with a fresh linter's. `disk` is the in-memory
 * file system imports are read from.
 */
async function sequence(file: string, versions: readonly string[], disk?: ReadonlyMap<string, string>): Promise<void> {
  const linter = await freshLinter();
  const host = disk && { readFile: (f: string) => disk.get(f) };
  for (const [v, text] of versions.entries()) {
    for (const fixes of [false, true]) {
      const fresh = await freshLinter();
      const opts = { fixes, ...(host ? { host } : {}) };
      assert.equal(comparable(linter.lintText(file, text, opts)), comparable(fresh.lintText(file, text, opts)), `version ${v} fixes ${fixes}`);
    }
  }
}

/** `body` with the name of tool `name` changed: its registration runs again, the others may replay. */
const touch = (body: string, name: string, i: number) => body.replace(`'${name}'`, `'${name}${i}'`);

// Break: an instance built inside a summary made during tool 'a''s run is treated as the run's
// own (`Recording.localMaps`), so 'a' writing its field (`put` runs with the instance's `this`
// map, in place) counts as pure. But the summary of `shared` keeps returning that same map, and
// 'b' reads the field. A replay of 'a' re-makes the summary (a fresh map) without the write.
test('an instance returned by a summary made in a replayed run keeps the fields that run wrote', async () => {
  const body = `${PRELUDE}class Box {
  constructor(public c: string) {}
  put(s: string) { this.v = s; }
  v = '';
}
function shared(c: string) { return new Box(c); }
server.tool('a', { x: z.string() }, async ({ x }) => { shared('k').put(x); return ok(); });
server.tool('b', { y: z.string() }, async ({ y }) => { exec(shared('k').v); return ok(y); });
`;
  await sequence('/adv/box.ts', [body, touch(body, 'b', 1)]);
});

// Break: `mk`'s summary is made in tool 'a''s run, so the scope of its closures has a serial
// above `Recording.firstScope`: freeze() drops the summary of `set` ('a closure the run defined')
// and assign() counts the write to `m` as pure. Fresh: 'b' reads `m` (a parameter origin of
// `set`'s summary) into `exec`, which adds a hit to that summary, and 'c' calling `set(w)` then
// reports a flow at 'b''s exec. After a replay of 'a', `set` has no summary and `m` is ''.
test('closures returned by a summary made in a replayed run keep the state that run wrote', async () => {
  const body = `${PRELUDE}function mk() {
  let m = '';
  return { set: (s: string) => { m = s; }, get: () => m };
}
server.tool('a', { x: z.string() }, async ({ x }) => { mk().set('k'); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { exec(mk().get()); return ok(y); });
server.tool('c', { w: z.string() }, async ({ w }) => { mk().set(w); return ok(); });
`;
  await sequence('/adv/closure.ts', [body, touch(body, 'b', 1)]);
});

// Break: the same through an imported file that tool 'a''s run loads first. Its top scope is
// newer than `firstScope`, so the write to its module variable counts as the run's own and
// freeze() drops the summaries of its functions; a replay loads the file again but makes no
// summary of `set`, so `last` stays '' and the hit 'b' adds to `set`'s summary is never made.
test('module state of an imported file loaded by a replayed run', async () => {
  const disk = new Map([['/proj/state.ts', "let last = '';\nexport function set(s: string) { last = s; }\nexport function get() { return last; }\n"]]);
  const body = `${PRELUDE}import { set, get } from './state';
server.tool('a', { x: z.string() }, async ({ x }) => { set('k'); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { exec(get()); return ok(y); });
server.tool('c', { w: z.string() }, async ({ w }) => { set(w); return ok(); });
`;
  await sequence('/proj/index.ts', [body, touch(body, 'b', 1)], disk);
});

// Break: `api.ts` imports `BASE` from the analysed file. Fresh: tool 'a' makes `get`'s summary
// while the analysed file runs, when its exports are still empty, so `BASE` is unknown and the
// final pass reports the request URL reaching `fetch`. A replay of 'a' loads `api.ts` but (as
// above) does not re-make `get`'s summary; the final pass makes it after the exports are
// collected, `BASE` is a fixed origin, and the finding is gone. (The final pass is not replayed:
// the summary it used was made at another point.)
test('an import cycle resolved at another point after a replay', async () => {
  const disk = new Map([['/proj/api.ts', "import { BASE } from './index';\nexport function get(p: string) { return fetch(BASE + p); }\n"]]);
  const body = `${PRELUDE}import { get } from './api';
export const BASE = 'https://api.example.com/v1/';
server.tool('a', { x: z.string() }, async ({ x }) => { await get('k'); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { return ok(y); });
export async function onRequest(req: IncomingMessage) { await get(String(req.url)); }
`;
  await sequence('/proj/index.ts', [body, touch(body, 'b', 1)], disk);
});

// Break: the set of analysed functions is state one statement leaves for another, and no check
// sees it. Version 1: tool 'a' constructs `Reg`, whose registration's handler runs inside 'a''s
// run; the top-level `new Reg(server)` then finds the handler analysed (`registration`:
// `!this.analyzed.has(handlerFn.node)`) and records an empty, pure entry. Version 2: 'a' no
// longer constructs `Reg` (its own text changed, so it runs, purely); the registration inside
// the constructor has the same text, index and occurrence, so the empty entry is replayed and
// the handler is never analysed. Fresh reports exec(q).
test('a handler first analysed inside another registration\'s run', async () => {
  const v1 = `${PRELUDE}class Reg {
  constructor(s: typeof server) { s.tool('r', { q: z.string() }, async ({ q }) => { exec(q); return ok(); }); }
}
server.tool('a', { x: z.string() }, async ({ x }) => { new Reg(server); return ok(x); });
new Reg(server);
`;
  await sequence('/adv/analysed.ts', [v1, v1.replace('new Reg(server); return ok(x);', 'return ok(x);')]);
});

// Shapes that hold (pinned): registrations in a loop, in a setup function run twice, in a
// constructor run twice, prompts, resource templates and a low-level handler, each touched in turn.
test('registrations in loops, setup functions, constructors, prompts, resources and low-level handlers', async () => {
  const body = `${PRELUDE}import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
let last = '';
for (const n of ['a', 'b']) server.tool(n, { x: z.string() }, async ({ x }) => { exec(last); last = x; return ok(); });
function setup(s: typeof server, pre: string) {
  s.prompt('p', { q: z.string() }, async ({ q }) => { exec(pre + q); return { messages: [] }; });
  s.tool('t', { q: z.string() }, async ({ q }) => { execSync(q); return ok(); });
}
setup(server, 'ls ');
setup(server, 'cat ');
class Reg { constructor(s: typeof server) { s.tool('r', { q: z.string() }, async ({ q }) => { exec(q); return ok(); }); } }
new Reg(server);
new Reg(server);
server.server.setRequestHandler(CallToolRequestSchema, async (req) => { exec(String(req.params.arguments?.cmd)); return ok(); });
server.resource('r', new ResourceTemplate('f://{id}', { list: undefined }), async (uri, { id }) => { exec(String(id)); return { contents: [] }; });
server.tool('z', { y: z.string() }, async ({ y }) => { return ok(y); });
`;
  await sequence('/adv/shapes.ts', [body, touch(body, 'z', 1), touch(body, 'p', 1), touch(body, 't', 1), touch(body, 'r', 1), touch(body, 'z', 2), body]);
});

test('a registration inside a setup function first run from a handler', async () => {
  const body = `${PRELUDE}function addTools(s: typeof server) {
  s.tool('b', { y: z.string() }, async ({ y }) => { exec(y); return ok(); });
}
server.tool('a', { x: z.string() }, async ({ x }) => { addTools(server); execSync(x); return ok(); });
server.tool('c', { w: z.string() }, async ({ w }) => { exec('ls ' + w); return ok(); });
`;
  await sequence('/adv/nested.ts', [body, touch(body, 'c', 1), touch(body, 'c', 2), touch(body, 'a', 1), touch(body, 'c', 3)]);
});

test('a helper analysed by a handler, then only by the final pass', async () => {
  const v1 = `${PRELUDE}import * as http from 'node:http';
const onReq = (req: http.IncomingMessage) => { exec(String(req.url)); };
export function start() { http.createServer(onReq).listen(8080); }
server.tool('a', { x: z.string() }, async ({ x }) => { onReq({ url: 'k' } as any); return ok(x); });
`;
  await sequence('/adv/final.ts', [v1, v1.replace("onReq({ url: 'k' } as any); ", ''), v1]);
});

/** Module-level state of many kinds, which handler bodies drawn from BODIES write and read. */
const FUZZ_PRELUDE = `${PRELUDE}import { hrun } from './h';
let last = '';
const state = { cmd: '' };
const list: string[] = [];
class Svc { v = ''; constructor(public c: string) {} put(s: string) { this.v = s; } run() { exec(this.v); } }
const svc = new Svc('a');
function run(c: string) { exec('git ' + c); }
function setLast(s: string) { last = s; }
function getLast() { return last; }
const BASE = 'https://e.com/';
function get(p: string) { return fetch(BASE + p); }
export function onRequest(req: IncomingMessage) { run(String(req.url)); }
`;
// Not drawn: the patterns of the known breaks above (state reached through summaries made in a run).
const BODIES = [
  'last = V;', 'exec(last);', 'state.cmd = V;', 'exec(state.cmd);', 'list.push(V);', 'exec(list.join(" "));',
  'svc.put(V);', 'svc.run();', 'exec(svc.v);', 'run(V);', 'run("x");', 'setLast(V);', 'exec(getLast());',
  'await get(V);', 'hrun(V);', 'const f = () => exec(V); f();', 'onRequest({ url: V } as any);',
  'Object.assign(state, { cmd: V });', 'state.cmd = "ls";', 'last = "ls";',
];
const H = "import { exec } from 'node:child_process';\nlet hv = '';\nexport function hrun(s: string) { exec(s + hv); hv = s; }\n";

test('random handlers over shared module state, edited one at a time', async () => {
  const disk = new Map([['/p/h.ts', H]]);
  for (let seed = 1; seed <= 12; seed++) {
    const rnd = prng(seed);
    const pick = () => BODIES[Math.floor(rnd() * BODIES.length)]!;
    const n = 3 + Math.floor(rnd() * 3);
    const bodies = Array.from({ length: n }, () => `${pick()} ${pick()}`);
    const names = bodies.map((_, i) => `t${i}`);
    const versions: string[] = [];
    for (let step = 0; step < 5; step++) {
      if (step > 0) {
        const i = Math.floor(rnd() * n);
        if (rnd() < 0.5) names[i] += 'x';
        else bodies[i] = `${pick()} ${bodies[i]}`;
      }
      versions.push(FUZZ_PRELUDE + bodies.map((b, i) => `server.tool('${names[i]}', { v: z.string() }, async ({ v: V }) => { ${b} return ok(); });\n`).join(''));
    }
    await sequence('/p/index.ts', versions, disk);
  }
});

// A registration inside a setup function that a replay re-summarises (its run then happens
// inside the replay, muted), later summarised by top-level code instead.
test('a registration reached first while a replay makes summaries', async () => {
  const v1 = `${PRELUDE}function addTools(s: typeof server) {
  s.tool('b', { y: z.string() }, async ({ y }) => { exec(y); return ok(); });
}
server.tool('a', { x: z.string() }, async ({ x }) => { addTools(server); return ok(x); });
addTools(server);
server.tool('c', { w: z.string() }, async ({ w }) => { return ok(w); });
`;
  const v2 = touch(v1, 'c', 1);
  await sequence('/adv/muted.ts', [v1, v2, v2.replace('addTools(server); return ok(x);', 'return ok(x);')]);
});

// Break: the same analysed-set state, without nested registrations. Version 1: tool 'a' makes
// `cb`'s summary (which marks `cb` analysed); tool 'b' makes `each`'s summary, whose
// `forEach(cb)` skips `cb` as analysed (analyzeCallbacks), so `each` has no hit and 'b' reports
// nothing; 'b''s entry records no flow. Version 2: 'a' no longer calls `cb`; 'b' is replayed,
// re-making `each`'s summary (muted), which now analyses `cb` and gets the hit, but the recorded
// flows are empty. Fresh reports exec(s) from 'y'. (That version 1 reports nothing is itself a
// false negative of the engine: whether `forEach(cb)` is followed depends on who ran `cb` first.)
test('a callback one handler analysed, iterated by the helper of another', async () => {
  const v1 = `${PRELUDE}const cb = (s: string) => { exec(s); };
function each(list: string[]) { list.forEach(cb); }
server.tool('a', { x: z.string() }, async ({ x }) => { cb('k'); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { each([y]); return ok(); });
`;
  await sequence('/adv/each.ts', [v1, v1.replace("cb('k'); return ok(x);", 'return ok(x);')]);
});

// Break: the final pass over uncalled functions is replayed when it would run the same
// functions first (`runPendingCached`: `sameRefs(entry.runs, runs)`), found by segment and
// offset. `inner` lies inside the registration of 'b', whose run is not kept (it leaves `inner`
// for the final pass) but whose text changed after `inner`: same segment, same offsets, so the
// pass is replayed, and with it the SSRF found when `base` was '' (no fixed origin). Fresh, with
// `base` a fixed origin, reports nothing. Nothing checks that the text around the functions the
// pass runs (their closure) is the one the entry was recorded with.
test('the final pass over a function declared in a handler edited after it', async () => {
  const v1 = `${PRELUDE}server.tool('b', { y: z.string() }, async ({ y }) => {
  function inner(req: IncomingMessage) { return fetch(base + String(req.url)); }
  const base = '';
  return ok(y);
});
`;
  const v2 = v1.replace("const base = '';", "const base = 'https://api.example.com/v1/';");
  await sequence('/adv/inner.ts', [v1, v2]);
});

// Break: import depth (loads stop at depth 3) depends on who loaded the importing file. Version
// 1: tool 'a' loads h1 at depth 1; 'b' makes `f2`'s summary, which loads deep (2) and deeper (3):
// a command injection from 'y'. Version 2: 'a' reaches h1 through h2, so h1 is at depth 2 and,
// fresh, deep is at 3 and cannot load deeper: nothing reported. 'b' is replayed: `replay` loads
// its recorded loads (deep at 2, deeper at 3) itself, checking the depth only of files already
// loaded, not the depth the import chain would give them now, and reports the old flow.
test('a replay loads imported files at a depth the analysis would not give them', async () => {
  const disk = new Map([
    ['/d/h1.ts', "import { run } from './deep';\nexport function f1(s: string) { return s; }\nexport function f2(s: string) { run(s); }\n"],
    ['/d/h2.ts', "import { f1 } from './h1';\nexport function g() { return f1('k'); }\n"],
    ['/d/deep.ts', "import { sh } from './deeper';\nexport function run(s: string) { sh(s); }\n"],
    ['/d/deeper.ts', "import { exec } from 'node:child_process';\nexport function sh(s: string) { exec(s); }\n"],
  ]);
  const v1 = `${PRELUDE}import { f1, f2 } from './h1';
import { g } from './h2';
server.tool('a', { x: z.string() }, async ({ x }) => { f1('k'); return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { f2(y); return ok(); });
`;
  await sequence('/d/index.ts', [v1, v1.replace("f1('k'); return ok(x);", 'g(); return ok(x);')], disk);
});

// A run that ran another registration statement (through a setup function), which then changes
// in a way that keeps every node's span.
test('a run that ran another registration statement, which then changes', async () => {
  const v1 = `${PRELUDE}function addTools(s: typeof server) {
  s.tool('b', { y: z.string() }, async ({ y }) => { exec(y); return ok(); });
}
server.tool('a', { x: z.string() }, async ({ x }) => { addTools(server); return ok(x); });
`;
  await sequence('/adv/inside.ts', [v1, v1.replace('exec(y);', 'void(y);')]);
});

// Break: the reverse of the case above. Version 1: only tool 'b' reaches `cb` (through `each`)
// and reports exec(s) from 'y'. Version 2: 'a' now runs `cb` first, so fresh, `forEach(cb)`
// skips it and 'b' reports nothing; 'b' is replayed and reports its recorded flow.
test('a callback another handler now analyses first', async () => {
  const v1 = `${PRELUDE}const cb = (s: string) => { exec(s); };
function each(list: string[]) { list.forEach(cb); }
server.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });
server.tool('b', { y: z.string() }, async ({ y }) => { each([y]); return ok(); });
`;
  await sequence('/adv/each2.ts', [v1, v1.replace('return ok(x);', "cb('k'); return ok(x);")]);
});
