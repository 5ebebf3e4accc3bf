// The harness on examples/typescript-server (examples/README.md lists the planted flaws): the
// stdio server found by discovery and the Streamable HTTP variant started by the harness.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { discoverServers } from '../../src/harness';
import { confirmed, describeConfirmed, harness, makeProject, REPO } from './helpers';

const EXAMPLE = path.join(REPO, 'examples', 'typescript-server');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
const project = makeProject();
after(() => project.cleanup());

/** A private copy of the notes folder, so the canaries are planted next to it and not in the repo. */
function notesCopy(name: string): string {
  const dir = path.join(project.dir, name);
  fs.cpSync(path.join(EXAMPLE, 'notes'), dir, { recursive: true });
  return dir;
}

function keys(list: ReturnType<typeof confirmed>): string[] {
  return list.map((r) => `${r.check} ${r.tool ?? '-'}/${r.param ?? '-'}`).sort();
}

describe('examples/typescript-server', { concurrency: true }, () => {
  test('stdio (discovered from package.json): the three planted tool flaws, nothing on the safe twins', async () => {
    const [spec] = discoverServers({ cwd: EXAMPLE, env: process.env });
    const report = await harness([{ ...spec!, env: { NOTES_DIR: notesCopy('notes') } }], EXAMPLE);
    assert.deepEqual(keys(confirmed(report)), ['cmd.injection ping_host/host', 'path.traversal read_note_file/file', 'sql.injection search_notes/query'], describeConfirmed(report));
    const ping = confirmed(report).find((r) => r.tool === 'ping_host')!;
    assert.equal(path.relative(EXAMPLE, ping.source!.file), path.join('src', 'server.ts'));
    assert.equal(report.exitCode, 1);
  });

  test('HTTP (src/http.ts): fail-open, Origin and Host, plus the tool flaws over HTTP', async () => {
    const report = await harness(
      [
        {
          name: 'notes-http',
          transport: 'http',
          command: TSX,
          args: [path.join(EXAMPLE, 'src', 'http.ts')],
          cwd: EXAMPLE,
          url: 'http://127.0.0.1:{port}/mcp',
          headers: { Authorization: 'Bearer s3cret-token' },
          env: { NOTES_DIR: notesCopy('notes-http') },
          origin: 'test',
        },
      ],
      EXAMPLE,
      { env: { ...process.env, NOTES_TOKEN: 's3cret-token' } },
    );
    assert.deepEqual(
      keys(confirmed(report)),
      [
        'cmd.injection ping_host/host',
        'http.auth.fail-open -/-',
        'http.auth.www-authenticate -/-',
        'http.host -/-',
        'http.origin -/-',
        'http.rate-limit -/-',
        'path.traversal read_note_file/file',
        'sql.injection search_notes/query',
      ],
      describeConfirmed(report),
    );
    const failOpen = confirmed(report).find((r) => r.check === 'http.auth.fail-open')!;
    assert.match(failOpen.message, /'NOTES_TOKEN'.*'Authorization: Bearer undefined'/);
  });
});
