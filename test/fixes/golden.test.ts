import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';
import { applyAllFixes } from './apply';

/**
 * Golden files for every fix, end to end: lint test/fixtures/fixes/<name>.<ext> with the real
 * engines, apply each finding's preferred fix (suggestions included) one at a time as an editor
 * user would, and compare with <name>.fixed.<ext>. Set UPDATE_GOLDEN=1 to rewrite the goldens
 * (then review the diff). The fixed files must lint clean for the fixed rules, be stable under a
 * second application, type-check (tsc) and compile (python3 -m py_compile).
 */
const dir = path.join(__dirname, '..', 'fixtures', 'fixes');
const cases = fs
  .readdirSync(dir)
  .filter((f) => /\.(ts|py|js|cjs|mjs)$/.test(f) && !f.includes('.fixed.') && !f.endsWith('.d.ts'))
  .sort();

describe('fix golden files', () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });
  for (const name of cases) {
    test(name, () => {
      const file = path.join(dir, name);
      const goldenFile = file.replace(/\.(ts|py|js|cjs|mjs)$/, '.fixed.$1');
      const original = fs.readFileSync(file, 'utf8');
      const before = linter.lintText(file, original).findings.filter((f) => f.fixes.length > 0);
      assert.ok(before.length > 0, `${name}: expected findings with fixes`);
      const { text, rules } = applyAllFixes(linter, file, original);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(goldenFile, text);
      assert.equal(text, fs.readFileSync(goldenFile, 'utf8'), `${name}: differs from ${path.basename(goldenFile)}`);
      const after = linter.lintText(file, text);
      const left = after.findings.filter((f) => rules.has(f.ruleId));
      assert.deepEqual(left.map((f) => `${f.location.startLine}: ${f.message}`), [], `${name}: findings left after fixing`);
      assert.deepEqual(after.problems.filter((p) => p.kind === 'parse-error'), [], `${name}: fixed file does not parse`);
      assert.equal(applyAllFixes(linter, file, text).text, text, `${name}: a second application changed the file`);
    });
  }

  test('every fixed TypeScript file type-checks with tsc', () => {
    const tsc = path.join(__dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('every fixed JavaScript file passes node --check', () => {
    for (const f of fs.readdirSync(dir).filter((n) => /\.fixed\.(js|cjs|mjs)$/.test(n))) {
      const r = spawnSync(process.execPath, ['--check', path.join(dir, f)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    }
  });

  test('every fixed Python file compiles with python3 -m py_compile', (t) => {
    const fixed = fs.readdirSync(dir).filter((f) => f.endsWith('.fixed.py'));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-pyc-'));
    try {
      const r = spawnSync('python3', ['-m', 'py_compile', ...fixed.map((f) => path.join(dir, f))], {
        encoding: 'utf8',
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
      });
      if (r.error) {
        t.skip('python3 is not installed');
        return;
      }
      assert.equal(r.status, 0, r.stderr);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
