import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { prng } from '../fuzz/generate';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';
import { comparable, freshLinter, PRELUDE, tsLinter } from './cache-support';
import { tsFiles } from '../support/source-files';

// While a file is edited, the engine replays the analysis of top-level registration statements
// whose text did not change (./src/core/ts/taint-cache.ts). These tests hold it to one promise:
// whatever the edits, the results are exactly those of a fresh analysis of the same text, with
// and without fixes; and to doing its job: on typing inside one tool, the others are replayed.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'typescript-server', 'src');


const editingLinter = tsLinter;

const SNIPPETS = ['x', ' ', '\n', ';', ' + cmd', 'exec(', ')', '{', '}', "'", '`${a}`', 'let q = 1;\n', 'helper(args);\n'];

/** A typing-like edit, mostly inside registration calls (where replays happen), sometimes anywhere. */
function edit(text: string, rnd: () => number): string {
  const anchors: number[] = [];
  for (const m of text.matchAll(/\.(?:tool|registerTool|registerPrompt|registerResource|prompt|resource)\(/g)) anchors.push(m.index!);
  let at = Math.floor(rnd() * (text.length + 1));
  if (anchors.length > 0 && rnd() < 0.7) {
    const a = anchors[Math.floor(rnd() * anchors.length)]!;
    at = Math.min(text.length, a + Math.floor(rnd() * 400));
  }
  const r = rnd();
  if (r < 0.6) return text.slice(0, at) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + text.slice(at);
  return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 8)));
}

test('analyses of edited files equal fresh analyses, with and without fixes', async () => {
  const files = [...tsFiles(FIXTURES), ...tsFiles(EXAMPLES)];
  const { linter, engine } = await editingLinter();
  let replayed = 0;
  for (const [n, file] of files.entries()) {
    const rnd = prng(500 + n);
    let text = fs.readFileSync(file, 'utf8');
    for (let step = 0; step < 10; step++) {
      if (step > 0) text = edit(text, rnd);
      const fixes = rnd() < 0.3;
      const fresh = await freshLinter();
      assert.equal(
        comparable(linter.lintText(file, text, { fixes })),
        comparable(fresh.lintText(file, text, { fixes })),
        `${path.relative(FIXTURES, file)} seed ${500 + n} step ${step}`,
      );
    }
    replayed += engine.taintCacheStats(file)?.replayed ?? 0;
  }
  assert.ok(replayed > 100, `replayed ${replayed} statements`);
});

test('typing in one tool of a generated server replays the others and changes no result', async () => {
  const base: string = generateTs(300, 3);
  const file = '/gen/server.ts';
  const points = [...base.matchAll(/description: '/g)].map((m) => m.index! + m[0].length);
  assert.ok(points.length > 10);
  const { linter, engine } = await editingLinter();
  const fresh = await freshLinter();
  for (let i = 0; i < 30; i++) {
    const at = points[(i * 5) % points.length]!;
    const text = `${base.slice(0, at)}${String.fromCharCode(97 + (i % 26))}${base.slice(at)}`;
    assert.equal(comparable(linter.lintText(file, text, { fixes: i % 3 === 0 })), comparable(fresh.lintText(file, text, { fixes: i % 3 === 0 })), `edit ${i}`);
  }
  const stats = engine.taintCacheStats(file)!;
  // From the third analysis on, the tools before the first edited one are replayed (the rest
  // run again: they were recorded after the edited ones ran).
  assert.ok(stats.replayed >= 27 * Math.floor(points.length / 5), `replayed ${stats.replayed}`);
});

/** Versions of one file whose analyses depend on what other registration statements did. */
const ORDER_CASES: readonly (readonly string[])[] = [
  // A handler writes a module variable that a later handler passes to a shell.
  [
    `let last = '';\nserver.tool('a', { x: z.string() }, async ({ x }) => { last = x; return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { exec(last); return ok(y); });\n`,
    `let last = '';\nserver.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { exec(last); return ok(y); });\n`,
    `let last = '';\nserver.tool('a', { x: z.string() }, async ({ x }) => { last = x; return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { exec(last); return ok(y); });\n`,
  ],
  // Two handlers reach the same sink through one helper: the first reports it.
  [
    `function run(c: string) { exec('git ' + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { run(x); return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
    `function run(c: string) { exec('git ' + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { run('status'); return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
    `function run(c: string) { exec('git ' + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
    `function run(c: string) { exec('git ' + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { run(x); return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
  ],
  // A helper first summarised by one handler, then (after an edit) by a later one, with a
  // module constant declared between them.
  [
    `function run(c: string) { return execSync(prefix + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { run(x); return ok(); });\nconst prefix = 'ls ';\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
    `function run(c: string) { return execSync(prefix + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });\nconst prefix = 'ls ';\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
    `function run(c: string) { return execSync(prefix + c); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { run(x); return ok(); });\nconst prefix = 'ls ';\nserver.tool('b', { y: z.string() }, async ({ y }) => { run(y); return ok(); });\n`,
  ],
  // The same, where it matters: before 'BASE' is declared the helper's URL has no fixed origin
  // (a request forgery), after it, it has one.
  [
    `function get(p: string) { return fetch(BASE + p); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { await get(x); return ok(); });\nconst BASE = 'https://api.example.com/v1/';\nserver.tool('b', { y: z.string() }, async ({ y }) => { await get(y); return ok(); });\n`,
    `function get(p: string) { return fetch(BASE + p); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });\nconst BASE = 'https://api.example.com/v1/';\nserver.tool('b', { y: z.string() }, async ({ y }) => { await get(y); return ok(); });\n`,
    `function get(p: string) { return fetch(BASE + p); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { await get(x); return ok(); });\nconst BASE = 'https://api.example.com/v1/';\nserver.tool('b', { y: z.string() }, async ({ y }) => { await get(y); return ok(); });\n`,
  ],
  // A function nothing calls runs once at the end, with its request-typed parameter as a
  // source; once a handler calls it (with constants), it no longer does.
  [
    `export function onRequest(req: IncomingMessage) { exec(String(req.headers['x-cmd'])); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });\n`,
    `export function onRequest(req: IncomingMessage) { exec(String(req.headers['x-cmd'])); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { onRequest({ headers: {} } as IncomingMessage); return ok(x); });\n`,
    `export function onRequest(req: IncomingMessage) { exec(String(req.headers['x-cmd'])); }\nserver.tool('a', { x: z.string() }, async ({ x }) => { return ok(x); });\n`,
  ],
  // Handlers with their own closures, one of which reaches a sink through what it captured.
  [
    `server.tool('a', { x: z.string() }, async ({ x }) => { const go = () => exec(x); go(); return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { const q = (s: string) => s.trim(); exec(q(y)); return ok(); });\n`,
    `server.tool('a', { x: z.string() }, async ({ x }) => { const go = () => exec('ls'); go(); return ok(x); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { const q = (s: string) => s.trim(); exec(q(y)); return ok(); });\n`,
    `server.tool('a', { x: z.string() }, async ({ x }) => { const go = () => exec(x); go(); return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { const q = (s: string) => s.trim(); exec(q(y)); return ok(); });\n`,
  ],
  // A handler that fills the field of a shared object another handler reads.
  [
    `const state = { cmd: '' };\nserver.tool('a', { x: z.string() }, async ({ x }) => { state.cmd = x; return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { exec(state.cmd); return ok(y); });\n`,
    `const state = { cmd: '' };\nserver.tool('a', { x: z.string() }, async ({ x }) => { state.cmd = 'ls'; return ok(x); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { exec(state.cmd); return ok(y); });\n`,
    `const state = { cmd: '' };\nserver.tool('a', { x: z.string() }, async ({ x }) => { state.cmd = x; return ok(); });\nserver.tool('b', { y: z.string() }, async ({ y }) => { exec(state.cmd); return ok(y); });\n`,
  ],
  // The same handler function registered twice: the engine analyses it once.
  [
    `const h = async ({ x }: { x: string }) => { exec(x); return ok(); };\nserver.tool('a', { x: z.string() }, h);\nserver.tool('b', { x: z.string() }, h);\n`,
    `const h = async ({ x }: { x: string }) => { exec(x); return ok(); };\nserver.tool('a', { x: z.string().regex(/^[a-z]+$/) }, h);\nserver.tool('b', { x: z.string() }, h);\n`,
    `const h = async ({ x }: { x: string }) => { exec(x); return ok(); };\nserver.tool('a', { x: z.string() }, h);\nserver.tool('b', { x: z.string() }, h);\n`,
  ],
];


test('state one registration leaves for another is never replayed stale', async () => {
  for (const [c, versions] of ORDER_CASES.entries()) {
    const { linter } = await editingLinter();
    const file = `/order/case${c}.ts`;
    // Each version twice and with a trailing edit, so that the cache holds entries of the
    // version before when the next one is analysed.
    for (const [v, body] of versions.entries()) {
      for (const tail of ['', '// edit\n', '// edit 2\n']) {
        const text = `${PRELUDE}${body}${tail}`;
        const fresh = await freshLinter();
        assert.equal(comparable(linter.lintText(file, text)), comparable(fresh.lintText(file, text)), `case ${c} version ${v} '${tail.trim()}'`);
      }
    }
  }
});

test('a file that imports local modules is replayed until one of them changes', async () => {
  const disk = new Map<string, string>([
    ['/proj/helper.ts', "import { exec } from 'node:child_process';\nexport function run(c: string) { exec(c); }\n"],
    ['/proj/util.ts', "export function quote(s: string) { return s; }\n"],
  ]);
  const host = { readFile: (f: string) => disk.get(f) };
  const index = [
    PRELUDE,
    "import { run } from './helper';",
    "import { quote } from './util';",
    "server.tool('a', { x: z.string() }, async ({ x }) => { run(x); return ok(); });",
    "server.tool('b', { y: z.string() }, async ({ y }) => { run(quote(y)); return ok(); });",
    "server.tool('c', { z: z.string() }, async ({ z }) => { return ok(quote(z)); });",
    '',
  ].join('\n');
  const { linter, engine } = await editingLinter();
  const check = (text: string) => {
    const fresh = engineFreshLint(text);
    return fresh.then((f) => assert.equal(comparable(linter.lintText('/proj/index.ts', text, { host })), f));
  };
  const engineFreshLint = async (text: string) => comparable((await freshLinter()).lintText('/proj/index.ts', text, { host }));
  for (let i = 0; i < 4; i++) await check(index.replace("'c'", `'c${i}'`));
  assert.ok(engine.taintCacheStats('/proj/index.ts')!.replayed >= 4, `replayed ${engine.taintCacheStats('/proj/index.ts')!.replayed}`);
  // The helper changes on disk: the next analysis sees it, and the one after replays it.
  disk.set('/proj/helper.ts', "import { execFile } from 'node:child_process';\nexport function run(c: string) { execFile('ls', ['--', c]); }\n");
  await check(index.replace("'a'", "'a9'"));
  await check(index.replace("'a'", "'a10'"));
  // A change that moves nothing: 'run' keeps its position, and loses its sink.
  disk.set('/proj/helper.ts', "import { exec } from 'node:child_process';\nexport function run(c: string) { exec(c); }\n");
  await check(index.replace("'a'", "'a12'"));
  await check(index.replace("'a'", "'a13'"));
  disk.set('/proj/helper.ts', "import { exec } from 'node:child_process';\nexport function run(c: string) { void(c); }\n");
  await check(index.replace("'a'", "'a14'"));
  // A module appears where an import found none.
  disk.set('/proj/util.ts', "import { exec } from 'node:child_process';\nexport function quote(s: string) { exec(s); return s; }\n");
  await check(index.replace("'a'", "'a11'"));
  await check(index.replace("'c'", "'c1'"));
});

test('registrations inside a setup function are replayed, with the helpers of its scope', async () => {
  const body = (extra: string) =>
    [
      PRELUDE,
      'function text(t: string) { return ok(t); }',
      'export function createTools(s: typeof server, root: string) {',
      "  const list = (c: string) => execSync('ls ' + c);",
      '  const inRoot = (c: string) => execSync(`${root} ${c}`);',
      "  s.tool('a', { x: z.string() }, async ({ x }) => { list(x); return text('a'); });",
      "  s.tool('b', { y: z.string() }, async ({ y }) => { exec('ls ' + y); return text('b'); });",
      `  s.tool('c', { q: z.string() }, async ({ q }) => { ${extra} return text(q); });`,
      "  s.tool('d', { y: z.string() }, async ({ y }) => { list(y); return text('d'); });",
      // Uses the setup function's parameter: its run changes the setup function's summary.
      "  s.tool('e', { w: z.string() }, async ({ w }) => { inRoot(w); return text('e'); });",
      "  s.tool('f', { v: z.string() }, async ({ v }) => { list(v); return text('f'); });",
      '}',
      "createTools(server, '/srv');",
      "createTools(server, '/tmp');",
      '',
    ].join('\n');
  const { linter, engine } = await editingLinter();
  const file = '/setup/tools.ts';
  // Typing inside tool 'c' (each text twice, as a code action re-analyses it).
  for (const extra of ['', 'list(q);', 'list(q); ', 'exec(q);', '', 'inRoot(q);', 'list("x");']) {
    for (const again of [false, true]) {
      const text = body(extra);
      const fresh = await freshLinter();
      assert.equal(comparable(linter.lintText(file, text, { fixes: again })), comparable(fresh.lintText(file, text, { fixes: again })), `'${extra}' ${again}`);
    }
  }
  assert.ok(engine.taintCacheStats(file)!.replayed > 20, `replayed ${engine.taintCacheStats(file)!.replayed}`);
});
