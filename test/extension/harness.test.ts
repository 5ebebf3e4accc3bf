import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LineSplitter, parseEvent, resolveReport } from '../../src/extension/harness/events';
import { runHarnessProcess } from '../../src/extension/harness/process';
import { escapeHtml, renderReport } from '../../src/extension/harness/reportHtml';
import { harnessTargets, mcpJsonServers, stripJsonc } from '../../src/extension/harness/servers';

const fakeCli = path.join(__dirname, '..', 'vscode', 'fixtures', 'fake-harness-cli.mjs');

test('parses contract-6 events and rejects anything else', () => {
  assert.deepEqual(parseEvent('{"type":"run-start","servers":["a"]}'), { type: 'run-start', servers: ['a'] });
  const check = parseEvent('{"type":"check","server":"a","check":"cmd.injection","status":"failed","confirmed":true,"tool":"t","param":"p","message":"m"}');
  assert.equal(check?.type, 'check');
  assert.equal(parseEvent('{"type":"check","server":"a","check":"x","status":"weird"}'), undefined);
  assert.equal(parseEvent('not json'), undefined);
  assert.equal(parseEvent('{"type":"unknown"}'), undefined);
  assert.equal(parseEvent('{"type":"run-end","exitCode":1}'), undefined);
});

test('splits a stream into lines across chunk boundaries', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"a":'), []);
  assert.deepEqual(s.push('1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(s.push(':2}\n'), ['{"b":2}']);
  assert.deepEqual(s.push('tail'), []);
  assert.deepEqual(s.flush(), ['tail']);
});

test('makes report sources absolute against the run folder', () => {
  const r = resolveReport({ cwd: '/p', servers: [{ name: 's', results: [{ server: 's', tool: 't', param: null, check: 'c', status: 'passed', confirmed: false, message: '', source: { file: 'src/a.ts', line: 3 } }] }] }, '/x');
  assert.deepEqual(r.servers[0]!.results[0]!.source, { file: '/p/src/a.ts', line: 3 });
});

test('reads server names from JSONC mcp.json files of both dialects', () => {
  const text = '{\n // comment\n "servers": { "a": { "command": "node", "args": ["x // not a comment"] }, "b": { "type": "http", "url": "http://127.0.0.1:1/mcp" }, },\n}';
  assert.equal(JSON.parse(stripJsonc(text)).servers.a.args[0], 'x // not a comment');
  assert.deepEqual(mcpJsonServers(text), [{ name: 'a', kind: 'stdio' }, { name: 'b', kind: 'http' }]);
  assert.deepEqual(mcpJsonServers('{"mcpServers":{"c":{"command":"python"}}}'), [{ name: 'c', kind: 'stdio' }]);
  assert.deepEqual(mcpJsonServers('{'), []);
});

test('offers mcp.json servers, configured servers, and discovery for a folder with neither', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-targets-'));
  try {
    fs.mkdirSync(path.join(dir, 'a', '.vscode'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a', '.vscode', 'mcp.json'), '{"servers":{"srv":{"command":"node","args":["s.js"]}}}');
    const targets = harnessTargets([path.join(dir, 'a'), path.join(dir, 'b')], (f) =>
      f.endsWith('a') ? [{ name: 'cfg', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer t' } }] : [],
    );
    assert.deepEqual(
      targets.map((t) => [t.label, t.named, t.args]),
      [
        ['srv', true, ['--cwd', path.join(dir, 'a'), '--config', path.join(dir, 'a', '.vscode', 'mcp.json'), '--server', 'srv']],
        ['cfg', true, ['--cwd', path.join(dir, 'a'), '--url', 'http://127.0.0.1:9/mcp', '--header', 'Authorization: Bearer t']],
        ['b', false, ['--cwd', path.join(dir, 'b')]],
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the report page escapes everything from the run and allows only nonce scripts', () => {
  const html = renderReport(
    [{ cwd: '/p', servers: [{ name: '<b>srv</b>', results: [{ server: 's', tool: 't"x', param: null, check: 'cmd.injection', status: 'failed', confirmed: true, message: "<img src=x onerror='1'>", evidence: { request: '{"a":"</pre><script>"}', response: '<script>alert(1)</script>' }, source: { file: '/p/a.ts', line: 2 } }] }] }],
    { nonce: 'N0nce', cspSource: 'vscode-resource:', styleUri: 'vscode-resource:/r.css', scriptUri: 'vscode-resource:/r.js' },
  );
  assert.doesNotMatch(html, /<script>alert|<img|<b>srv/);
  assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
  assert.match(html, /content="default-src 'none'; style-src vscode-resource:; script-src 'nonce-N0nce'/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the nonce script tag');
  assert.match(html, /<script nonce="N0nce" src="vscode-resource:\/r.js">/);
  assert.equal(escapeHtml(`&<>"'`), '&#38;&#60;&#62;&#34;&#39;');
});

test('streams the CLI events and reports the final report', async () => {
  const events: string[] = [];
  const r = await runHarnessProcess({ cli: fakeCli, args: ['--server', 'fixture-ts'], cwd: os.tmpdir(), onEvent: (e) => events.push(e.type) });
  assert.equal(r.exitCode, 1);
  assert.equal(r.cancelled, false);
  assert.equal(r.report?.servers[0]?.name, 'fixture-ts');
  assert.deepEqual(events, ['run-start', 'server-start', 'tool', 'tool', 'check', 'check', 'check', 'server-end', 'run-end']);
});

test('cancellation stops a hanging CLI promptly', async () => {
  const abort = new AbortController();
  const started = Date.now();
  const r = await runHarnessProcess({
    cli: fakeCli,
    args: ['--server', 'fixture-hang'],
    cwd: os.tmpdir(),
    signal: abort.signal,
    onEvent: (e) => {
      if (e.type === 'server-start') abort.abort();
    },
  });
  assert.equal(r.cancelled, true);
  assert.equal(r.report, undefined);
  assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
});
