import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { createLinter, type Linter } from '../src/core';
import { checkAnnotations, fixtureFiles, parseAnnotations } from './support/annotations';

/**
 * Runs every annotated fixture under test/fixtures/rules strictly: each `ruleid` line must be
 * reported, each `ok` line must not, and no finding may appear without an annotation.
 */
const root = path.join(__dirname, 'fixtures', 'rules');

describe('annotated rule fixtures', () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });
  for (const file of fixtureFiles(root)) {
    const name = path.relative(root, file);
    test(name, () => {
      const text = fs.readFileSync(file, 'utf8');
      const errors = checkAnnotations(text, linter.lintText(file, text), name);
      assert.equal(errors.length, 0, `\n${errors.join('\n')}`);
    });
  }
});

describe('annotation parser', () => {
  test('stacked annotations apply to the next code line, in both comment styles', () => {
    const ts = ['// ruleid: a', '// ok: b, c', '', 'call();'].join('\n');
    assert.deepEqual(
      parseAnnotations(ts).map((a) => [a.kind, a.ruleId, a.targetLine]),
      [['ruleid', 'a', 4], ['ok', 'b', 4], ['ok', 'c', 4]],
    );
    const py = ['# todoruleid: x', '# plain comment', 'run()'].join('\n');
    assert.deepEqual(parseAnnotations(py).map((a) => [a.kind, a.targetLine]), [['todoruleid', 3]]);
  });
  test('an annotation with no code after it is an error', () => {
    assert.throws(() => parseAnnotations('x();\n// ruleid: a\n'), /no code line/);
  });
});
