/**
 * Long-lived caches must not keep the files their keys were cut from (src/core/text.ts
 * `detach`): V8 makes a slice of 13 or more characters a view of the whole string, so a cache
 * keyed by a description or a name sliced from a file held that file, one version per
 * keystroke while the user typed in a description. Measured as heap growth: each round makes
 * a fresh 200 KB file text, hands a slice of it to the cache and drops the text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';
import { createLinter } from '../../src/core';
import { scanDescription, isExfiltrationShapedName } from '../../src/core/mcp/poisoning';
import { isSecretName } from '../../src/core/mcp/secrets';
import { detach } from '../../src/core/text';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const ROUNDS = 100;
const FILE_CHARS = 200_000;

/** Heap bytes still used after `ROUNDS` calls of `use` with a slice of a new, dropped file text each. */
function retainedBy(use: (slice: string, round: number) => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let round = 0; round < ROUNDS; round++) {
    // A new flat string per round (Buffer decoding makes one, not a view of a constant).
    const text = Buffer.from(`${'x'.repeat(1000)}description number ${String(round).padStart(4, '0')} of the tool ${'y'.repeat(FILE_CHARS)}`).toString();
    use(text.slice(1000, 1040), round);
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed - before;
}

/** Far below one file per round (20 MB in all), far above the caches' own entries. */
const LIMIT = (ROUNDS * FILE_CHARS) / 10;

describe('caches keep no file versions alive', () => {
  it('the check is able to see a pinned file (a cache keyed by the raw slice)', () => {
    const naive = new Map<string, number>();
    const grew = retainedBy((slice, round) => naive.set(`${slice}`, round));
    assert.ok(grew > LIMIT, `a raw slice should pin its file: grew ${grew} bytes`);
    naive.clear();
  });

  it('detach copies: a map keyed by detached slices holds only the slices', () => {
    const kept = new Map<string, number>();
    const grew = retainedBy((slice, round) => kept.set(detach(slice), round));
    assert.ok(grew < LIMIT, `grew ${grew} bytes`);
    assert.equal(kept.size, ROUNDS);
    for (const key of kept.keys()) assert.equal(key.length, 40);
  });

  it('detach keeps the value', () => {
    for (const s of ['', 'a', 'twelve chars', 'thirteen char', 'x'.repeat(5000), 'ünïcödé 😀 text of some length']) assert.equal(detach(s), s);
  });

  it('the poisoning verdict cache (descriptions being typed)', () => {
    const grew = retainedBy((slice) => scanDescription(slice));
    assert.ok(grew < LIMIT, `grew ${grew} bytes`);
  });

  it('the parameter-name and secret-name caches', () => {
    assert.ok(retainedBy((slice) => isExfiltrationShapedName(slice)) < LIMIT);
    assert.ok(retainedBy((slice) => isSecretName(slice)) < LIMIT);
    assert.ok(retainedBy((slice) => isSecretName(slice, { strict: true })) < LIMIT);
  });
});

describe('an edited TypeScript file keeps one version of its text', () => {
  it('statements re-parsed at different versions do not each hold their version (walk.ts detachNewTexts)', async () => {
    const linter = await createLinter(undefined, ['typescript']);
    const file = '/virtual/server-5000.ts';
    let text = generateTs(5000, 3);
    linter.lintText(file, text, { fixes: false });
    const edits = 60;
    const starts = [...text.matchAll(/description: '/g)].map((m) => m.index);
    assert.ok(starts.length > edits * 3);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < edits; i++) {
      // One letter typed into every third description, front to back: each edit leaves a
      // statement parsed from its own version of the file.
      const at = [...text.matchAll(/description: '/g)][i * 3]!.index + "description: '".length;
      text = `${text.slice(0, at)}q${text.slice(at)}`;
      const result = linter.lintText(file, text, { fixes: false });
      assert.ok(result.findings.length > 0);
    }
    gc();
    gc();
    const grew = process.memoryUsage().heapUsed - before;
    // Pinned, the versions take edits x the text size (60 x 157 KB, 9.4 MB) on top of the new
    // statements themselves (2.4 MB).
    assert.ok(grew < (edits * text.length) / 2, `grew ${grew} bytes for ${edits} edits of a ${text.length}-character file`);
  });
});
