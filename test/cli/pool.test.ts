import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLinter } from '../../src/core';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { collectInputs } from '../../src/cli/files';
import { CachingHost } from '../../src/cli/host';
import { lintFile } from '../../src/cli/lint-file';
import { lintAll, type PoolStats } from '../../src/cli/pool';

const VULNERABLE = [
  "import { exec } from 'node:child_process';",
  "import { prefix } from './helper';",
  "server.tool('run', { cmd: z.string() }, async ({ cmd }) => {",
  '  exec(`${prefix} ${cmd}`);',
  '  return { content: [] };',
  '});',
  '',
].join('\n');

function tmp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-pool-')));
}

const sink = new Writable({ write: (_c, _e, cb) => cb() });

test('a file deleted between the walk and the read is skipped with a note, not a problem', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'a.ts'), VULNERABLE);
  fs.writeFileSync(path.join(dir, 'b.ts'), VULNERABLE);
  const { files } = collectInputs(['.'], dir);
  fs.rmSync(path.join(dir, 'a.ts'));
  const linter = await createLinter();
  const outcomes = await lintAll(files, { linter, host: new CachingHost(), config: DEFAULT_CONFIG, jobs: 1, fix: false, log: sink });
  assert.deepEqual(outcomes[0], { file: path.join(dir, 'a.ts'), skipped: 'deleted after the folder was listed' });
  assert.ok('result' in outcomes[1]! && outcomes[1].result.findings.length > 0);
});

test('CachingHost: reads each path once, answers undefined for missing, non-file and FIFO paths without throwing or blocking', () => {
  const dir = tmp();
  const file = path.join(dir, 'helper.ts');
  fs.writeFileSync(file, 'export const prefix = "ls";\n');
  const host = new CachingHost();
  assert.equal(host.readFile(file), 'export const prefix = "ls";\n');
  fs.writeFileSync(file, 'changed');
  assert.equal(host.readFile(file), 'export const prefix = "ls";\n', 'the run lints one snapshot');
  host.forget(file);
  assert.equal(host.readFile(file), 'changed');
  assert.equal(host.readFile(path.join(dir, 'missing.ts')), undefined);
  assert.equal(host.readFile(path.join(file, 'index.ts')), undefined, 'ENOTDIR');
  assert.equal(host.readFile(dir), undefined, 'a folder');
  if (spawnSync('mkfifo', [path.join(dir, 'pipe.ts')]).status === 0) assert.equal(host.readFile(path.join(dir, 'pipe.ts')), undefined);
});

test('lintAll on worker threads returns the same outcomes, in file order, as on one thread', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'helper.ts'), 'export const prefix = "ls";\n');
  for (let i = 0; i < 9; i++) fs.writeFileSync(path.join(dir, `s${i}.ts`), VULNERABLE.repeat(1 + (i % 3)));
  fs.writeFileSync(path.join(dir, 'blob.ts'), Buffer.from([0x61, 0, 0x62]));
  const { files } = collectInputs(['.'], dir);
  const linter = await createLinter();
  const strip = (o: object) => JSON.parse(JSON.stringify(o, (k, v) => (k === 'elapsedMs' ? undefined : v)));
  const one = await lintAll(files, { linter, host: new CachingHost(), config: DEFAULT_CONFIG, jobs: 1, fix: false, log: sink });
  const stats: PoolStats = { workersStarted: 0, filesOnWorkers: 0 };
  const three = await lintAll(files, { linter, host: new CachingHost(), config: DEFAULT_CONFIG, jobs: 3, fix: false, log: sink, minParallelBytes: 0, mainThreadLints: false, stats });
  assert.equal(stats.workersStarted, 2);
  assert.equal(stats.filesOnWorkers, files.length, 'the workers linted every file');
  assert.deepEqual(strip(three), strip(one));
  assert.deepEqual(one.map((o) => o.file), files);
  assert.ok(one.some((o) => 'problem' in o && o.problem.kind === 'binary'));
  // The file's text travels back only when SARIF needs it for fix edits.
  for (const o of three) if ('result' in o) assert.equal(o.text !== undefined, o.result.findings.some((f) => f.fixes.some((x) => x.edits.length > 0)));
});

test('lintFile: a file with no supported extension is a problem, not a crash', async () => {
  const linter = await createLinter();
  const o = lintFile(linter, new CachingHost(), '/nonexistent/readme.md', false);
  assert.deepEqual(o, { file: '/nonexistent/readme.md', problem: { file: '/nonexistent/readme.md', kind: 'unreadable', message: 'not a TypeScript, JavaScript or Python file' } });
});
