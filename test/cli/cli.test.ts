import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { sarifSchemaErrors } from '../support/sarif';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? root,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
    encoding: 'utf8',
    // The fixtures' JSON report is over spawnSync's default 1 MiB, which kills the child (ENOBUFS).
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A throwaway project folder (with .git so .gitignore scoping starts there). */
function project(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-cli-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function assertOneLineError(r: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) {
  assert.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^mcp-warden: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('bad invocations give a one-line error and exit 2', () => {
  assertOneLineError(run(['lint', '--bogus']), /Unknown option '--bogus'/);
  assertOneLineError(run(['lint', '--format', 'xml']), /unknown format 'xml'/);
  assertOneLineError(run(['lint', 'no/such/path']), /no such file or directory: no\/such\/path/);
  assertOneLineError(run(['frobnicate']), /unknown command 'frobnicate'/);
  assertOneLineError(run(['lint', '--baseline', 'missing.json', 'examples']), /baseline file not found/);
  const none = run([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: mcp-warden/);
});

test('the harness command, a bundle of its own, reports usage errors as lint does', () => {
  assertOneLineError(run(['harness', '--format', 'xml']), /unknown format 'xml'/);
  assertOneLineError(run(['harness', '--bogus']), /Unknown option '--bogus'/);
  assertOneLineError(run(['harness', '--cwd', 'no/such/dir']), /--cwd 'no\/such\/dir' is not a folder/);
  // Discovery fails inside the harness bundle and becomes a usage error there.
  assertOneLineError(run(['harness'], { cwd: project({}) }), /^mcp-warden: (?!internal error)/);
  const help = run(['harness', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: mcp-warden harness/);
});

test('a lint run that ends itself once its report is written leaves the report whole, on a pipe and in a file', () => {
  const fixtures = path.join('test', 'fixtures', 'rules');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-cli-')), 'report.json');
  const piped = run(['lint', '--format', 'json', '--jobs', '1', fixtures]);
  const filed = run(['lint', '--format', 'json', '--jobs', '1', '--output', out, fixtures]);
  assert.equal(piped.code, 1);
  assert.equal(filed.code, 1);
  assert.ok(piped.stdout.length > 256 * 1024, `a report larger than a pipe's buffer (${piped.stdout.length} bytes)`);
  assert.equal(piped.stdout, fs.readFileSync(out, 'utf8'));
  assert.ok(JSON.parse(piped.stdout).files.length > 100);
});

test('--help and --version exit 0', () => {
  const help = run(['lint', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--format text\|json\|sarif/);
  const version = run(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('directory walk honours .gitignore and skips dependency and build folders', () => {
  const dir = project({
    '.gitignore': 'generated/\n*.gen.ts\n',
    'src/server.ts': 'export const a = 1;\n',
    'src/nested/.gitignore': 'local.ts\n',
    'src/nested/local.ts': 'export const b = 1;\n',
    'src/nested/kept.py': 'x = 1\n',
    'src/types.d.ts': 'export type T = 1;\n',
    'src/thing.gen.ts': 'export const c = 1;\n',
    'generated/out.ts': 'export const d = 1;\n',
    'node_modules/pkg/index.js': 'module.exports = 1;\n',
    'dist/cli.js': 'x();\n',
    'build/x.js': 'x();\n',
    '.venv/lib/site.py': 'x = 1\n',
    'pkg/__pycache__/m.py': 'x = 1\n',
    'README.md': '# readme\n',
  });
  const r = run(['lint', '.', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const files = (JSON.parse(r.stdout).files as { file: string }[]).map((f) => f.file);
  assert.deepEqual(files, ['src/nested/kept.py', 'src/server.ts']);
});

test('a folder named on the command line is walked even when a .gitignore above it ignores it', () => {
  const dir = project({
    '.gitignore': 'vendor/\n*.gen.ts\n',
    'src/server.ts': 'export const a = 1;\n',
    'vendor/mcp/.gitignore': 'local.ts\n',
    'vendor/mcp/server.ts': 'export const b = 1;\n',
    'vendor/mcp/local.ts': 'export const c = 1;\n',
    'vendor/mcp/tools/run.py': 'x = 1\n',
    'vendor/mcp/node_modules/pkg/index.js': 'module.exports = 1;\n',
  });
  const files = (args: string[]) => {
    const r = run(['lint', ...args, '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout).files as { file: string }[]).map((f) => f.file);
  };
  // Walking the repository, the ignored folder stays out.
  assert.deepEqual(files(['.']), ['src/server.ts']);
  // Named, it is scanned, with its own .gitignore and the skipped folders still applied.
  assert.deepEqual(files(['vendor/mcp']), ['vendor/mcp/server.ts', 'vendor/mcp/tools/run.py']);
  assert.deepEqual(files(['vendor/mcp/tools']), ['vendor/mcp/tools/run.py']);
  // A home folder kept in git with a '*' .gitignore: a project below it is still scanned.
  fs.writeFileSync(path.join(dir, '.gitignore'), '*\n');
  assert.deepEqual(files(['vendor/mcp']), ['vendor/mcp/server.ts', 'vendor/mcp/tools/run.py']);
});

test('an unreadable or binary file is reported in one line and the rest are still scanned', () => {
  const dir = project({
    'good.ts': 'export const ok = 1;\n',
    'blob.ts': Buffer.from([0x63, 0x6f, 0x00, 0x01, 0x02]),
  });
  const r = run(['lint', '.', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 2);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['good.ts']);
  assert.deepEqual(doc.problems, [{ file: 'blob.ts', kind: 'binary', message: 'binary file (contains NUL bytes)' }]);
  assert.equal(r.stderr.trim(), 'mcp-warden: blob.ts: binary file (contains NUL bytes)');
});

test('a file that fails to parse is reported as such and the others are still scanned', () => {
  const dir = project({
    'broken.ts': 'export function f( {\n  return 1\n',
    'broken.py': 'def f(:\n    pass\n',
    'fine.ts': 'export const ok = 1;\n',
  });
  const r = run(['lint', '.', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file).sort(), ['broken.py', 'broken.ts', 'fine.ts']);
  const kinds = doc.problems.map((p: { file: string; kind: string; line: number }) => `${p.file}:${p.line}:${p.kind}`).sort();
  assert.deepEqual(kinds, ['broken.py:1:parse-error', 'broken.ts:2:parse-error']);
  const text = run(['lint', '.'], { cwd: dir });
  assert.match(text.stdout, /broken\.ts:\d+:\d+ parse-error /);
});

test('text output has colours only when asked for or on a TTY', () => {
  const dir = project({ 'a.ts': 'export function f( {\n' });
  const plain = run(['lint', '.'], { cwd: dir });
  assert.doesNotMatch(plain.stdout, /\u001b\[/);
  const forced = run(['lint', '.'], { cwd: dir, env: { FORCE_COLOR: '1' } });
  assert.match(forced.stdout, /\u001b\[/);
});

test('--output writes the report to a file and prints nothing', () => {
  const dir = project({ 'a.ts': 'export const a = 1;\n' });
  const r = run(['lint', '.', '--format', 'sarif', '--output', 'out.sarif'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const log = JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8'));
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(sarifSchemaErrors(log), []);
});

test('SARIF of the examples validates against the SARIF 2.1.0 schema', () => {
  const r = run(['lint', 'examples', '--format', 'sarif']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.deepEqual(sarifSchemaErrors(log), []);
  const run0 = log.runs[0];
  assert.equal(run0.tool.driver.name, 'MCP Warden');
  assert.match(run0.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.*\/$/);
  for (const rule of run0.tool.driver.rules) {
    assert.match(rule.helpUri, /^https:\/\/.*\/docs\/rules\/[a-z0-9-]+\.md$/);
    assert.ok(rule.properties.tags.includes('security'));
    assert.ok(rule.properties.tags.some((t: string) => /^external\/cwe\/cwe-\d+$/.test(t)), rule.id);
  }
  for (const result of run0.results) {
    const loc = result.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, 'SRCROOT');
    assert.match(loc.artifactLocation.uri, /^examples\//);
  }
});
