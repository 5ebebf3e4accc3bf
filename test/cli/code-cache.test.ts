import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { codeCacheDir, loadWithCodeCache, SETTLED_MS } from '../../src/cli/launch';

const root = path.join(__dirname, '..', '..');

/** A fresh cache home and a small CommonJS bundle (with a '#!' line, like the CLI's). */
function setup(body = 'exports.answer = () => 42; exports.file = __filename;'): { env: NodeJS.ProcessEnv; bundle: string; dir: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-cc-'));
  const bundle = path.join(tmp, 'bundle.js');
  fs.writeFileSync(bundle, `#!/usr/bin/env node\n'use strict';\n${body}\n`);
  const env = { XDG_CACHE_HOME: path.join(tmp, 'cache') };
  return { env, bundle, dir: path.join(tmp, 'cache', 'mcp-warden') };
}

function cacheFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.bin')) : [];
}

describe('CLI code cache (src/cli/launch.ts)', () => {
  test('the first load compiles and saves; the next one runs from the cache', () => {
    const { env, bundle, dir } = setup();
    const first = loadWithCodeCache(bundle, env);
    assert.equal(first.fromCache, false);
    assert.equal((first.exports.answer as () => number)(), 42);
    assert.equal(first.exports.file, bundle);
    first.save();
    assert.equal(cacheFiles(dir).length, 1);
    const second = loadWithCodeCache(bundle, env);
    assert.equal(second.fromCache, true);
    assert.equal((second.exports.answer as () => number)(), 42);
  });

  test('a corrupted or truncated cache is not used, and is replaced', () => {
    const { env, bundle, dir } = setup();
    loadWithCodeCache(bundle, env).save();
    const file = path.join(dir, cacheFiles(dir)[0]!);
    const data = fs.readFileSync(file);
    data[data.length - 10] ^= 0xff;
    fs.writeFileSync(file, data);
    const corrupted = loadWithCodeCache(bundle, env);
    assert.equal(corrupted.fromCache, false);
    assert.equal((corrupted.exports.answer as () => number)(), 42);
    corrupted.save();
    assert.equal(loadWithCodeCache(bundle, env).fromCache, true);
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 40));
    const truncated = loadWithCodeCache(bundle, env);
    assert.equal(truncated.fromCache, false);
    assert.equal((truncated.exports.answer as () => number)(), 42);
  });

  test('a changed bundle of the same length never meets the old cache, and its save drops it', () => {
    const { env, bundle, dir } = setup('exports.answer = () => 42;');
    loadWithCodeCache(bundle, env).save();
    const before = cacheFiles(dir);
    fs.writeFileSync(bundle, fs.readFileSync(bundle, 'utf8').replace('42', '43'));
    const changed = loadWithCodeCache(bundle, env);
    assert.equal(changed.fromCache, false);
    assert.equal((changed.exports.answer as () => number)(), 43);
    changed.save();
    const after = cacheFiles(dir);
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before);
  });

  test('a bundle with characters beyond ASCII is read as UTF-8, compiled and from the cache', () => {
    const { env, bundle } = setup("// \u2014 a note\nexports.answer = () => 42; exports.text = /\u2026\u00e9/.source + '\u00e9\u{1F600}';");
    const first = loadWithCodeCache(bundle, env);
    assert.equal(first.exports.text, '\u2026\u00e9\u00e9\u{1F600}');
    first.save();
    const second = loadWithCodeCache(bundle, env);
    assert.equal(second.fromCache, true);
    assert.equal(second.exports.text, '\u2026\u00e9\u00e9\u{1F600}');
  });

  test('a settled bundle is cached under its file identity, which a same-length rewrite changes', () => {
    const { env, bundle, dir } = setup('exports.answer = () => 42;');
    const answer = (b: { exports: Record<string, unknown> }) => (b.exports.answer as () => number)();
    // A whole-second modification time, restored exactly below: only the change time can tell.
    const mtime = new Date('2024-01-02T03:04:05Z');
    fs.utimesSync(bundle, mtime, mtime);
    const later = Date.now() + 10 * SETTLED_MS;
    // Just written, the file is named by its bytes; settled, by its identity: one more compile.
    loadWithCodeCache(bundle, env).save();
    const byContent = cacheFiles(dir);
    const settled = loadWithCodeCache(bundle, env, later);
    assert.equal(settled.fromCache, false);
    settled.save();
    assert.notDeepEqual(cacheFiles(dir), byContent);
    assert.equal(loadWithCodeCache(bundle, env, later).fromCache, true);
    fs.writeFileSync(bundle, fs.readFileSync(bundle, 'utf8').replace('42', '43'));
    fs.utimesSync(bundle, mtime, mtime);
    const changed = loadWithCodeCache(bundle, env, later);
    assert.equal(changed.fromCache, false);
    assert.equal(answer(changed), 43);
  });

  test('a cache folder others can write to, or a cache file that is a link, is not used', { skip: process.platform === 'win32' }, () => {
    const { env, bundle, dir } = setup();
    loadWithCodeCache(bundle, env).save();
    fs.chmodSync(dir, 0o777);
    assert.equal(codeCacheDir(env), undefined);
    const open = loadWithCodeCache(bundle, env);
    assert.equal(open.fromCache, false);
    assert.equal((open.exports.answer as () => number)(), 42);
    fs.chmodSync(dir, 0o700);
    const file = path.join(dir, cacheFiles(dir)[0]!);
    const elsewhere = `${file}.real`;
    fs.renameSync(file, elsewhere);
    fs.symlinkSync(elsewhere, file);
    assert.equal(loadWithCodeCache(bundle, env).fromCache, false);
  });

  test('MCP_WARDEN_NO_CODE_CACHE switches it off', () => {
    const { env, bundle, dir } = setup();
    const off = { ...env, MCP_WARDEN_NO_CODE_CACHE: '1' };
    const loaded = loadWithCodeCache(bundle, off);
    loaded.save();
    assert.equal(cacheFiles(dir).length, 0);
    assert.equal((loaded.exports.answer as () => number)(), 42);
  });
});

describe('dist/cli.js through its code cache', { skip: !fs.existsSync(path.join(root, 'dist', 'cli-main.js')) && 'dist/ is not built with the launcher' }, () => {
  test('the CLI bundle is ASCII only, so that the launcher decodes it as Latin-1', () => {
    const text = fs.readFileSync(path.join(root, 'dist', 'cli-main.js'), 'latin1');
    const at = text.search(/[^\x00-\x7f]/);
    const line = text.slice(0, at).split('\n').length;
    assert.equal(at, -1, `dist/cli-main.js line ${line} has a character beyond ASCII (a regular expression literal? write it as \\uXXXX)`);
  });

  test('the report is the same without, into and from the cache, and from a corrupted one', () => {
    const { env, dir } = setup();
    const fixtures = path.join(root, 'test', 'fixtures', 'rules', 'no-command-injection');
    const run = (extra: NodeJS.ProcessEnv = {}) => {
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'lint', '--format', 'json', '--jobs', '1', fixtures], {
        encoding: 'utf8',
        env: { ...process.env, ...env, ...extra },
      });
      assert.equal(r.stderr, '');
      return r.stdout;
    };
    const plain = run({ MCP_WARDEN_NO_CODE_CACHE: '1' });
    assert.equal(cacheFiles(dir).length, 0);
    assert.ok(JSON.parse(plain).files.length > 0);
    assert.equal(run(), plain);
    assert.equal(cacheFiles(dir).length, 1, 'a lint run leaves a cache');
    assert.equal(run(), plain);
    const file = path.join(dir, cacheFiles(dir)[0]!);
    const data = fs.readFileSync(file);
    data[Math.floor(data.length / 2)] ^= 0xff;
    fs.writeFileSync(file, data);
    assert.equal(run(), plain);
  });
});
