import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createLinter } from '../../src/core';
import { MAX_OPEN_ASYNC_PARENS, openAsyncParenDepth, parseRisk } from '../../src/core/ts/parse-guard';

test('open async-paren depth counts only unclosed async calls and async arrows', () => {
  // Parameter lists close before the body, so async arrows nested in calls stay at depth 1.
  assert.equal(openAsyncParenDepth('f(async (a) => g(async (b) => 1));'), 1);
  assert.equal(openAsyncParenDepth('f(async (a, g(async (b, 1' + '))));'), 2);
  assert.equal(openAsyncParenDepth(`${'async () => 1;\n'.repeat(50)}`), 1);
  assert.equal(openAsyncParenDepth(`x(${'async <T, U>( '.repeat(20)}`), 20);
  // Strings and comments do not count.
  assert.equal(openAsyncParenDepth(`const s = "${'async ( '.repeat(30)}"; // ${'async ( '.repeat(30)}`), 0);
  assert.equal(parseRisk('server.tool("x", {}, async ({ a }) => run(a));'), undefined);
});

test('a file with a deep async-paren chain is refused quickly with a reason, not parsed for seconds', async () => {
  const linter = await createLinter();
  const text = [
    "const { exec } = require('child_process');",
    `server.tool('t', {}, ${'async ( '.repeat(40)}({ cmd }) => { exec(cmd); });`,
  ].join('\n');
  const started = performance.now();
  const result = linter.lintText('/tmp/deep.cjs', text);
  assert.ok(performance.now() - started < 1000, 'finishes well inside the per-file budget');
  assert.equal(result.findings.length, 0);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]!.kind, 'too-large');
  assert.match(result.problems[0]!.message, /40 nested 'async \(' levels/);
  assert.ok(MAX_OPEN_ASYNC_PARENS < 40);
});

test('real fixture files are all below the limit', () => {
  const dir = `${__dirname}/../fixtures/rules`;
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${d}/${e.name}`) : /\.[cm]?[jt]sx?$/.test(e.name) ? [`${d}/${e.name}`] : []));
  for (const f of walk(dir)) assert.equal(parseRisk(fs.readFileSync(f, 'utf8')), undefined, f);
});
