import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { sarifSchemaErrors } from '../support/sarif';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');

function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? root,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    // A run that blocks (on a FIFO, a symlink loop) fails the test instead of hanging it.
    timeout: opts.timeout ?? 60_000,
  });
  assert.equal(r.signal, null, `the CLI was stopped by ${r.signal}: it hung\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A throwaway project folder (with .git so .gitignore scoping starts there). */
function project(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-robust-')));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const VULNERABLE = [
  "import { exec } from 'node:child_process';",
  "server.tool('run', { cmd: z.string() }, async ({ cmd }) => {",
  '  exec(`ls ${cmd}`);',
  "  return { content: [] };",
  '});',
  '',
].join('\n');

function mkfifo(file: string): boolean {
  return spawnSync('mkfifo', [file]).status === 0;
}

test('a FIFO named on the command line is a per-file problem and never blocks the run', (t) => {
  const dir = project({ 'good.ts': 'export const ok = 1;\n' });
  if (!mkfifo(path.join(dir, 'pipe.ts'))) return t.skip('mkfifo is not available');
  const r = run(['lint', 'pipe.ts', 'good.ts', '--format', 'json'], { cwd: dir, timeout: 20_000 });
  assert.equal(r.code, 2, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['good.ts']);
  assert.deepEqual(doc.problems, [{ file: 'pipe.ts', kind: 'unreadable', message: 'a named pipe, not a regular file' }]);
  assert.equal(r.stderr.trim(), 'mcp-warden: pipe.ts: a named pipe, not a regular file');
});

test('a FIFO met in a directory walk (or imported as a module) is skipped with a note, without blocking', (t) => {
  const dir = project({ 'good.ts': "import { x } from './pipe';\nexport const ok = x;\n" });
  if (!mkfifo(path.join(dir, 'pipe.ts'))) return t.skip('mkfifo is not available');
  const r = run(['lint', '.', '--format', 'json'], { cwd: dir, timeout: 20_000 });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['good.ts']);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.skipped, [{ file: 'pipe.ts', reason: 'a named pipe, not a regular file' }]);
  const text = run(['lint', '.'], { cwd: dir, timeout: 20_000 });
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^pipe\.ts skipped a named pipe, not a regular file$/m);
  assert.match(text.stdout, /No problems found in 1 file\.$/m);
});

test('symbolic links: followed inside the scanned folders, each real file linted once, never out of the folders or round a loop', () => {
  const outside = project({ 'elsewhere.ts': VULNERABLE });
  const dir = project({ 'src/server.ts': VULNERABLE, 'lib/util.ts': 'export const u = 1;\n' });
  fs.symlinkSync('server.ts', path.join(dir, 'src', 'alias.ts')); // a second path to a scanned file
  fs.symlinkSync('../lib', path.join(dir, 'src', 'lib-link')); // a folder scanned under its real path too
  fs.symlinkSync(path.join(outside, 'elsewhere.ts'), path.join(dir, 'src', 'outside.ts')); // out of the root
  fs.symlinkSync(outside, path.join(dir, 'outside-dir'));
  fs.symlinkSync('..', path.join(dir, 'lib', 'loop')); // a loop back to the root
  fs.symlinkSync('missing.ts', path.join(dir, 'src', 'dangling.ts'));
  fs.symlinkSync('self.ts', path.join(dir, 'src', 'self.ts'));

  const r = run(['lint', '.', '--format', 'json'], { cwd: dir, timeout: 20_000 });
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['lib/util.ts', 'src/server.ts']);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.skipped, [
    { file: 'lib/loop', reason: "symbolic link to the folder '.', which is scanned already" },
    { file: 'outside-dir', reason: `symbolic link to '${outside}', outside the scanned folders, not followed` },
    { file: 'src/alias.ts', reason: "same file as 'src/server.ts', linted once under that path" },
    { file: 'src/dangling.ts', reason: 'broken symbolic link (ENOENT)' },
    { file: 'src/lib-link', reason: "symbolic link to the folder 'lib', which is scanned already" },
    { file: 'src/outside.ts', reason: `symbolic link to '${path.join(outside, 'elsewhere.ts')}', outside the scanned folders, not followed` },
    { file: 'src/self.ts', reason: 'symbolic link loop' },
  ]);

  // A link is followed when its target is scanned only through it, and reported under the link.
  const only = project({ 'real/inner.ts': VULNERABLE });
  fs.mkdirSync(path.join(only, 'app'));
  fs.symlinkSync('../real', path.join(only, 'app', 'linked'));
  const viaLink = JSON.parse(run(['lint', 'app', 'real/../app', '--format', 'json'], { cwd: only }).stdout);
  assert.deepEqual(viaLink.skipped, [{ file: 'app/linked', reason: `symbolic link to '${path.join(only, 'real')}', outside the scanned folders, not followed` }]);
  const both = JSON.parse(run(['lint', '.', '--format', 'json'], { cwd: only }).stdout);
  assert.deepEqual(both.files.map((f: { file: string }) => f.file), ['real/inner.ts']);
  fs.writeFileSync(path.join(only, '.gitignore'), 'real/\n');
  const ignoredTarget = JSON.parse(run(['lint', '.', '--format', 'json'], { cwd: only }).stdout);
  assert.deepEqual(ignoredTarget.files.map((f: { file: string }) => f.file), ['app/linked/inner.ts']);

  // Named on the command line, a link is always followed (the user asked for that file).
  const named = JSON.parse(run(['lint', path.join(dir, 'src', 'outside.ts'), '--format', 'json'], { cwd: dir }).stdout);
  assert.deepEqual(named.files.map((f: { file: string }) => f.file), ['src/outside.ts']);

  // SARIF: the skipped paths are notes; the run is still complete.
  const sarif = JSON.parse(run(['lint', '.', '--format', 'sarif'], { cwd: dir }).stdout);
  assert.deepEqual(sarifSchemaErrors(sarif), []);
  const inv = sarif.runs[0].invocations[0];
  assert.equal(inv.executionSuccessful, true);
  const notes = inv.toolExecutionNotifications.filter((n: { level: string }) => n.level === 'note');
  assert.equal(notes.length, 7);
  assert.ok(notes.every((n: { message: { text: string } }) => n.message.text.startsWith('skipped: ')));
});

test('a file name that is not valid UTF-8 is skipped with a note; the other files are linted', (t) => {
  const dir = project({ 'good.ts': 'export const ok = 1;\n' });
  const bad = Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.ts')]);
  try {
    fs.writeFileSync(bad, VULNERABLE);
  } catch {
    return t.skip('this file system does not take non-UTF-8 names');
  }
  const r = run(['lint', '.', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['good.ts']);
  assert.equal(doc.skipped.length, 1);
  assert.match(doc.skipped[0].reason, /not valid UTF-8/);
});

test('an unreadable file is a per-file problem; an unlistable folder is a skipped note', (t) => {
  // Root reads whatever the mode says: as root, the CLI runs as 'nobody' for this test.
  const asRoot = process.getuid?.() === 0;
  const dir = project({ 'good.ts': 'export const ok = 1;\n', 'secret.ts': VULNERABLE, 'closed/inner.ts': VULNERABLE });
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'secret.ts'), 0);
  fs.chmodSync(path.join(dir, 'closed'), 0);
  const r = spawnSync(process.execPath, [cli, 'lint', '.', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
    timeout: 60_000,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (asRoot && r.status === null) return t.skip(`cannot run as nobody: ${r.error?.message ?? r.signal}`);
  if (asRoot && !r.stdout.startsWith('{')) return t.skip(`nobody cannot run the CLI here: ${r.stderr.split('\n')[0]}`);
  assert.equal(r.status, 2, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['good.ts']);
  assert.deepEqual(doc.problems, [{ file: 'secret.ts', kind: 'unreadable', message: 'cannot read file (EACCES)' }]);
  assert.deepEqual(doc.skipped, [{ file: 'closed', reason: 'cannot list the folder (EACCES)' }]);
});

/** Writes `count` small files over a few folders; returns the folder. */
function manyFiles(count: number, body: (i: number) => string): string {
  const dir = project();
  for (let d = 0; d < Math.ceil(count / 1000); d++) fs.mkdirSync(path.join(dir, `d${d}`));
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `d${Math.floor(i / 1000)}`, `f${i}.ts`), body(i));
  return dir;
}

test('20,000 tiny files: linted in bounded time and memory', () => {
  const dir = manyFiles(20_000, (i) => `export const v${i} = ${i};\n`);
  const started = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'lint', '.', '--format', 'json', '--jobs', '1'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  const wallMs = Date.now() - started;
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.summary.files, 20_000);
  const peakKiB = Number(r.stderr.trim().split('\n').pop());
  // Generous bounds for a shared, loaded machine: the point is no blow-up (seconds, not minutes).
  assert.ok(peakKiB < 600 * 1024, `peak RSS ${Math.round(peakKiB / 1024)} MiB`);
  assert.ok(wallMs < 90_000, `took ${wallMs} ms`);
});

test('--jobs: worker threads give byte-identical json and sarif to --jobs 1', () => {
  // Servers with findings, fixes (SARIF resolves their edits against the texts), parse errors.
  const inputs = ['examples', 'test/fixtures/servers', 'test/fixtures/fixes'];
  const env = { MCP_WARDEN_TEST_PARALLEL_MIN_BYTES: '0' };
  // (The text format is made from the same run data as these two.)
  for (const format of ['json', 'sarif']) {
    const one = run(['lint', ...inputs, '--format', format, '--jobs', '1'], { env });
    const three = run(['lint', ...inputs, '--format', format, '--jobs', '3'], { env });
    assert.equal(three.code, one.code, `${format} exit code`);
    assert.ok(one.stdout.length > 1000);
    assert.equal(three.stdout, one.stdout, `${format} output differs between --jobs 1 and --jobs 3`);
    assert.equal(three.stderr, one.stderr);
  }
});

test('--jobs: a worker that crashes or hangs costs its file, not the run', () => {
  const dir = project();
  for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(dir, `s${i}.ts`), VULNERABLE);
  // The largest file goes to a worker first (the main thread takes the smallest).
  fs.writeFileSync(path.join(dir, 'big.ts'), VULNERABLE.repeat(4));
  const base = { MCP_WARDEN_TEST_PARALLEL_MIN_BYTES: '0' };
  for (const [fault, kind, message] of [
    ['crash:big.ts', 'internal-error', /^analysis stopped its worker thread: /],
    ['hang:big.ts', 'timeout', /^analysis did not finish within 1\.5 s; its worker thread was stopped$/],
  ] as const) {
    const r = run(['lint', '.', '--format', 'json', '--jobs', '2'], { cwd: dir, env: { ...base, MCP_WARDEN_TEST_WORKER_FAULT: fault, MCP_WARDEN_TEST_STALL_MS: '1500' } });
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.files.map((f: { file: string }) => f.file), ['s0.ts', 's1.ts', 's2.ts', 's3.ts', 's4.ts', 's5.ts', 's6.ts', 's7.ts'], fault);
    assert.equal(doc.problems.length, 1, JSON.stringify(doc.problems));
    assert.equal(doc.problems[0].file, 'big.ts');
    assert.equal(doc.problems[0].kind, kind);
    assert.match(doc.problems[0].message, message);
    assert.ok(doc.files.every((f: { findings: unknown[] }) => f.findings.length > 0));
  }
  assertOneLine(run(['lint', '.', '--jobs', '0'], { cwd: dir }).stderr, /--jobs needs a whole number/);
});

function assertOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, pattern);
}
