import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';
import { applyAllFixes } from './apply';

/**
 * The example servers (real MCP servers with planted flaws, examples/README.md) fixed end to end:
 * every fix applied through the lightbulb path, then the TypeScript project must still
 * type-check with its own tsconfig, the Python server must compile, and no finding of a rule
 * whose fix ran may be left.
 */
const root = path.join(__dirname, '..', '..');
let linter: Linter;
let tmp: string;
before(async () => {
  linter = await createLinter();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-examples-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fixFile(file: string): { text: string; rules: Set<string> } {
  const r = applyAllFixes(linter, file, fs.readFileSync(file, 'utf8'));
  const left = linter.lintText(file, r.text).findings.filter((f) => r.rules.has(f.ruleId));
  assert.deepEqual(left.map((f) => `${path.basename(file)}:${f.location.startLine} ${f.ruleId}`), []);
  return r;
}

test('the fixed TypeScript example type-checks and lints clean for the fixed rules', () => {
  const src = path.join(root, 'examples', 'typescript-server');
  const dest = path.join(tmp, 'typescript-server');
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !p.includes('node_modules') });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
  const fixed = new Set<string>();
  for (const name of fs.readdirSync(path.join(src, 'src')).filter((n) => n.endsWith('.ts'))) {
    const r = fixFile(path.join(src, 'src', name));
    for (const id of r.rules) fixed.add(id);
    fs.writeFileSync(path.join(dest, 'src', name), r.text);
  }
  for (const id of ['no-command-injection', 'no-sql-string-building', 'no-path-traversal', 'no-timing-unsafe-compare']) {
    assert.ok(fixed.has(id), `a '${id}' fix ran on the example`);
  }
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(dest, 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('the fixed Python example compiles and lints clean for the fixed rules', (t) => {
  const file = path.join(root, 'examples', 'python-server', 'server.py');
  const r = fixFile(file);
  assert.ok(r.rules.size >= 4, `fixes ran for ${[...r.rules].join(', ')}`);
  const out = path.join(tmp, 'server.py');
  fs.writeFileSync(out, r.text);
  const py = spawnSync('python3', ['-m', 'py_compile', out], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(tmp, 'pyc') } });
  if (py.error) {
    t.skip('python3 is not installed');
    return;
  }
  assert.equal(py.status, 0, py.stderr);
});
