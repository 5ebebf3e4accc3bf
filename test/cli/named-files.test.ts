import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { collectInputs } from '../../src/cli/files';
import { createEngines } from '../../src/core/engines';

/**
 * Files named one by one: their real paths come from their folders' real paths (kept per
 * folder) unless the file itself is a link. Whatever the path, the choice of one path per real
 * file must be the one fs.realpathSync of every named path gives.
 */
test('files named through linked folders and file links resolve to the real files realpathSync gives', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-named-')));
  fs.mkdirSync(path.join(dir, 'real', 'deep'), { recursive: true });
  for (const f of ['real/a.ts', 'real/b.ts', 'real/deep/c.ts', 'other.ts']) fs.writeFileSync(path.join(dir, f), 'export const x = 1;\n');
  fs.symlinkSync('real', path.join(dir, 'dirlink')); // a linked folder
  fs.symlinkSync('dirlink/deep', path.join(dir, 'chain')); // a link to a path through a link
  fs.symlinkSync('real/a.ts', path.join(dir, 'alink.ts')); // a file link
  fs.symlinkSync('../other.ts', path.join(dir, 'real', 'up.ts')); // a file link inside a real folder
  const named = ['dirlink/a.ts', 'real/b.ts', 'chain/c.ts', 'alink.ts', 'real/up.ts', 'dirlink/b.ts', 'real/deep/../a.ts', 'other.ts'];
  const got = collectInputs(named, dir);

  // What the same choice gives with realpathSync on every path: one path per real file, the
  // smallest named path wins.
  const byReal = new Map<string, string>();
  for (const n of named) {
    const abs = path.resolve(dir, n);
    const real = fs.realpathSync(abs);
    const prev = byReal.get(real);
    if (prev === undefined || abs < prev) byReal.set(real, abs);
  }
  assert.deepEqual(got.files, [...new Set(byReal.values())].sort());
  assert.deepEqual(got.files.map((f) => path.relative(dir, f)), ['alink.ts', 'chain/c.ts', 'dirlink/b.ts', 'other.ts']);
  assert.deepEqual(
    got.skipped.map((s) => [path.relative(dir, s.file), s.reason]),
    [
      ['dirlink/a.ts', "same file as 'alink.ts', linted once under that path"],
      ['real/a.ts', "same file as 'alink.ts', linted once under that path"],
      ['real/b.ts', "same file as 'dirlink/b.ts', linted once under that path"],
      ['real/up.ts', "same file as 'other.ts', linted once under that path"],
    ],
  );
  assert.deepEqual(got.problems, []);
});

test('createEngines loads only the engines for the languages asked for', () => {
  assert.deepEqual(createEngines().map((e) => e.id), ['typescript', 'python']);
  assert.deepEqual(createEngines(['typescript']).map((e) => e.id), ['typescript']);
  assert.deepEqual(createEngines(['javascript']).map((e) => e.id), ['typescript']);
  assert.deepEqual(createEngines(['python']).map((e) => e.id), ['python']);
  assert.deepEqual(createEngines([]).map((e) => e.id), []);
});
