// protocol.tool-schema on servers with many tools: verdicts per tool, and no long event-loop stall
// (a stall times out the requests of every other run in the process, such as concurrent tests).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { runHarness, type ServerSpec } from '../../src/harness';
import { makeProject, results } from './helpers';

const project = makeProject();
after(() => project.cleanup());

/**
 * A stdio MCP server in plain Node (no SDK, so it starts fast) that lists `tools` and answers
 * every other request with an empty result. Tool names say 'delete', so none is attacked: the
 * run is initialize, tools/list, the static checks and a ping.
 */
function listingServer(name: string, tools: unknown[]): ServerSpec {
  const file = path.join(project.dir, `${name}.mjs`);
  fs.writeFileSync(
    file,
    `const tools = ${JSON.stringify(tools)};
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  for (let i; (i = buf.indexOf('\\n')) >= 0; ) {
    const m = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (m.id === undefined) continue;
    const result = m.method === 'initialize'
      ? { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: ${JSON.stringify(name)}, version: '1.0.0' } }
      : m.method === 'tools/list' ? { tools } : {};
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
  }
});
`,
  );
  return { name, transport: 'stdio', command: process.execPath, args: [file], origin: 'test' };
}

const tool = (name: string, inputSchema: Record<string, unknown>) => ({ name, description: 'Delete a record.', inputSchema });

test('tool-schema: each tool gets its own verdict, also when two tools share a $id', async () => {
  const shared = { $id: 'https://example.com/record.json', type: 'object', properties: { id: { type: 'string' } } };
  const server = listingServer('ids', [
    tool('delete_a', shared),
    tool('delete_b', { ...shared, properties: { id: { type: 'integer' } } }),
    tool('delete_c', { type: 'object', properties: { id: { type: 'nope' } } }),
    tool('delete_d', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', $defs: { id: { type: 'string' } }, properties: { id: { $ref: '#/$defs/id' } } }),
    tool('delete_e', { type: 'object', properties: { id: { $ref: '#/definitions/missing' } } }),
  ]);
  const report = await runHarness({ servers: [server], cwd: project.dir, callTimeoutMs: 10_000, startTimeoutMs: 10_000 });
  const verdicts = Object.fromEntries(results(report).filter((r) => r.check === 'protocol.tool-schema').map((r) => [r.tool, r.status]));
  assert.deepEqual(verdicts, { delete_a: 'passed', delete_b: 'passed', delete_c: 'failed', delete_d: 'passed', delete_e: 'failed' });
  assert.equal(report.exitCode, 1);
});

test('tool-schema: 150 tools are checked without stalling the event loop for seconds', async () => {
  // Distinct schemas (own property names and patterns), as on a real server.
  const tools = Array.from({ length: 150 }, (_, i) =>
    tool(`delete_record_${i}`, { type: 'object', properties: { [`id${i}`]: { type: 'string', pattern: `^r${i}-[a-z]+$` }, [`n${i}`]: { type: 'integer', minimum: i } }, required: [`id${i}`] }),
  );
  let longest = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 20);
  try {
    const report = await runHarness({ servers: [listingServer('many', tools)], cwd: project.dir, callTimeoutMs: 10_000, startTimeoutMs: 10_000 });
    assert.equal(report.exitCode, 0);
    assert.equal(results(report).filter((r) => r.check === 'protocol.tool-schema' && r.status === 'passed').length, 150);
  } finally {
    clearInterval(tick);
  }
  // A fresh Ajv instance per tool, all in one synchronous loop, stalled it 4.6-5.2 s here (30 ms
  // a tool); shared instances and a yield between tools leave 70-150 ms stalls, so 2 s still
  // passes with the CPU three times oversubscribed.
  assert.ok(longest < 2000, `the event loop stalled ${Math.round(longest)} ms`);
});
