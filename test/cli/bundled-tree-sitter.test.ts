import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createLinter } from '../../src/core';
import { fixtureFiles } from '../support/annotations';

/**
 * The bundles rewrite tree-sitter's cursor marshalling (scripts/esbuild-tree-sitter.mjs); the
 * tests that import src/ run the package's own runtime. The shipped CLI must find exactly what
 * the sources find on every Python fixture: same rule, place and message, finding for finding.
 */
const root = path.join(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'rules');

interface Row {
  readonly file: string;
  readonly ruleId: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const key = (r: Row) => `${r.file}:${r.line}:${r.column} ${r.ruleId} ${r.message}`;

describe('bundled tree-sitter runtime', () => {
  test('the CLI bundle and the sources report the same findings on every Python fixture', async () => {
    const files = fixtureFiles(fixtures).filter((f) => f.endsWith('.py'));
    assert.ok(files.length >= 50, `only ${files.length} Python fixtures found`);
    const bundle = fs.readFileSync(path.join(root, 'dist', 'cli-main.js'), 'utf8');
    assert.match(bundle, /HOST_LITTLE_ENDIAN/, 'dist/cli-main.js was built without the cursor rewrite');

    const run = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'lint', '--format', 'json', '--jobs', '1', ...files], { cwd: fixtures, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
    const doc = JSON.parse(run.stdout) as { files: { file: string; findings: { ruleId: string; message: string; location: { startLine: number; startColumn: number } }[] }[] };
    const bundled = doc.files.flatMap((f) => f.findings.map((x) => ({ file: path.resolve(fixtures, f.file), ruleId: x.ruleId, line: x.location.startLine, column: x.location.startColumn, message: x.message })));

    const linter = await createLinter();
    const direct = files.flatMap((file) =>
      linter.lintText(file, fs.readFileSync(file, 'utf8')).findings.map((x) => ({ file, ruleId: x.ruleId, line: x.location.startLine, column: x.location.startColumn, message: x.message })),
    );

    assert.ok(direct.length >= 100, `only ${direct.length} findings from the sources: the comparison would prove little`);
    assert.deepEqual(bundled.map(key).sort(), direct.map(key).sort());
  });
});
