// Where the sibling-prefix and symlink canaries go (issue 7, safety: payloads never write outside
// the per-run temp folder unless asked). By default the server runs on a copy of a small root
// folder it is given, and the canaries are planted next to the copy; a root that cannot be copied
// gets no canaries (the message says why); --plant-next-to-root opts into planting next to it.
// Writes are watched with fs.watch during the run, not only checked afterwards.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { formatHarnessText } from '../../src/cli/formats/harness-text';
import { main } from '../../src/cli/main';
import type { HarnessReport } from '../../src/harness';
import { confirmed, FIXTURES, harness, makeProject, nodeServer, results } from './helpers';

const project = makeProject();
after(() => project.cleanup());

/**
 * A folder of its own for one test (the tests run concurrently), holding the root folder `name`;
 * with `asProject` the root looks like a project (package.json), which the harness never copies.
 */
function caseRoot(name: string, asProject: boolean): { dir: string; root: string } {
  const dir = fs.mkdtempSync(path.join(project.dir, 'case-'));
  const root = path.join(dir, name);
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'names.txt'), 'carol\nalice\nbob\n');
  if (asProject) fs.writeFileSync(path.join(root, 'package.json'), '{"name":"data"}\n');
  return { dir, root };
}

/** Names created in `dirs` while `run` runs (even ones removed before it ends). */
async function watchWrites<T>(dirs: string[], run: () => Promise<T>): Promise<{ value: T; created: string[] }> {
  const created: string[] = [];
  const watchers = dirs.map((d) => fs.watch(d, (_event, name) => name && created.push(path.join(d, String(name)))));
  try {
    const value = await run();
    return { value, created };
  } finally {
    for (const w of watchers) w.close();
  }
}

function traversal(report: HarnessReport, tool: string) {
  return results(report).find((r) => r.check === 'path.traversal' && r.tool === tool)!;
}

const TOOLS = ['read_prefixed', 'read_lexical', 'greet'];

describe('canary planting', { concurrency: true }, () => {
  test('default, root given as an argument: the server runs on a copy, the canaries sit next to the copy, nothing is written next to the root', async () => {
    const { dir, root } = caseRoot('copied', false);
    const { value: report, created } = await watchWrites([dir, root], () => harness([nodeServer('copy', 'vulnerable-stdio.mjs', [root])], dir, { tools: TOOLS }));
    const prefixed = traversal(report, 'read_prefixed');
    assert.equal(prefixed.status, 'failed', prefixed.message);
    assert.match(prefixed.message, /sibling directory sharing the root prefix/);
    assert.equal(traversal(report, 'read_lexical').status, 'failed');
    // The run says what it ran on.
    assert.match(traversal(report, 'greet').message, new RegExp(`the server ran on a copy of '${root}' in the run's temp folder`));
    assert.deepEqual(created, [], 'the harness wrote next to or inside the real root');
  });

  test('default, a root that cannot be copied: no canaries, the message says why, nothing written', async () => {
    const { dir, root } = caseRoot('project-root', true);
    const { value: report, created } = await watchWrites([dir, root], () => harness([nodeServer('nocopy', 'vulnerable-stdio.mjs', [root])], dir, { tools: TOOLS }));
    const prefixed = traversal(report, 'read_prefixed');
    assert.equal(prefixed.status, 'passed');
    assert.match(prefixed.message, /sibling-prefix and symlink probes were skipped/);
    assert.match(prefixed.message, /not copied: is a project folder \(it has package\.json\)/);
    assert.match(prefixed.message, /--plant-next-to-root/);
    // Text output says it once, not hidden in a passed result.
    assert.match(formatHarnessText(report, { color: false }), /\n {2}skipped path\.traversal: the sibling-prefix and symlink probes were skipped: '[^']*project-root' \(not copied/);
    assert.deepEqual(
      confirmed(report).filter((r) => r.check === 'path.traversal').map((r) => r.tool),
      [],
    );
    assert.deepEqual(created, []);
  });

  test('--plant-next-to-root: the canaries are planted next to the real root and removed after the run', async () => {
    const { dir, root } = caseRoot('opt-in-root', true);
    let out = '';
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const args = ['harness', '--format', 'json', '--plant-next-to-root', '--tool', 'read_prefixed', '--', process.execPath, path.join(FIXTURES, 'vulnerable-stdio.mjs'), root];
    const { value: code, created } = await watchWrites([dir, root], () => main(args, { stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }), cwd: dir, env: process.env }));
    assert.equal(code, 1);
    const report = JSON.parse(out) as HarnessReport;
    assert.match(traversal(report, 'read_prefixed').message, /sibling directory sharing the root prefix/);
    assert.ok(created.some((f) => /opt-in-root-mcpw[0-9a-f]{6}$/.test(f)), `nothing planted next to the root: ${created.join(', ')}`);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('-mcpw')), [], 'the planted sibling was not removed');
    assert.deepEqual(fs.readdirSync(root).filter((n) => n.startsWith('.mcpw')), [], 'the planted symlink was not removed');
  });
});
