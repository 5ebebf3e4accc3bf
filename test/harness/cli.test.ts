// `mcp-warden harness`: the CLI contract (formats, --events, exit codes, discovery, cancellation).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { discoverServers, REQUIREMENTS, type HarnessReport } from '../../src/harness';
import { FIXTURES, isRunning, makeProject, REPO } from './helpers';

const project = makeProject();
after(() => project.cleanup());

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { stream, text: () => out };
}

async function cli(args: string[], cwd = project.dir, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await main(['harness', ...args], { stdout: out.stream, stderr: err.stream, cwd, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('mcp-warden harness', { concurrency: true }, () => {
  test('--events streams contract-6 events and --output writes SARIF from the same run', async () => {
    const sarifFile = path.join(project.dir, 'out.sarif');
    const r = await cli(['--events', '--format', 'sarif', '--output', sarifFile, '--cwd', FIXTURES, '--', process.execPath, path.join(FIXTURES, 'vulnerable-stdio.mjs'), project.root]);
    assert.equal(r.code, 1, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(events[0]!.type, 'run-start');
    assert.deepEqual(events[0]!.servers, ['vulnerable-stdio.mjs']);
    assert.equal(events[1]!.type, 'server-start');
    const last = events[events.length - 1]!;
    assert.equal(last.type, 'run-end');
    assert.equal(last.exitCode, 1);
    assert.equal((last.report as HarnessReport).exitCode, 1);
    const tools = events.filter((e) => e.type === 'tool');
    assert.ok(tools.some((e) => e.tool === 'greet' && (e.params as string[]).includes('name')));
    const check = events.find((e) => e.type === 'check' && e.check === 'cmd.injection' && e.tool === 'greet')!;
    for (const key of ['server', 'tool', 'param', 'check', 'status', 'confirmed', 'message', 'evidence', 'source']) assert.ok(key in check, key);
    assert.equal(check.status, 'failed');

    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const rules = sarif.runs[0].tool.driver.rules as Array<{ id: string; helpUri: string; properties: { tags: string[] } }>;
    assert.equal(rules.length, REQUIREMENTS.length);
    for (const rule of rules) {
      assert.ok(rule.helpUri.startsWith('https://'));
      assert.ok(rule.properties.tags.includes('security'));
      assert.ok(rule.properties.tags.some((t) => /^external\/cwe\/cwe-\d+$/.test(t)), rule.id);
    }
    const result = sarif.runs[0].results.find((x: { ruleId: string; properties: { tool: string } }) => x.ruleId === 'cmd.injection' && x.properties.tool === 'greet');
    assert.deepEqual(Object.keys(result.properties).sort(), ['check', 'confirmed', 'evidence', 'param', 'server', 'tool']);
    assert.equal(result.properties.confirmed, true);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'vulnerable-stdio.mjs');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, 'SRCROOT');
    assert.ok(result.locations[0].physicalLocation.region.startLine > 1);
    // Server-level results point at the server's entry file.
    const pollution = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'stdio.stdout-pollution');
    assert.deepEqual(pollution.locations[0].physicalLocation.region, { startLine: 1 });
    assert.equal(pollution.locations[0].physicalLocation.artifactLocation.uri, 'vulnerable-stdio.mjs');
  });

  test('exit 2 when the server never answers initialize', async () => {
    const r = await cli(['--format', 'json', '--start-timeout', '1000', '--', process.execPath, path.join(FIXTURES, 'hang-init.mjs')]);
    assert.equal(r.code, 2);
    const doc = JSON.parse(r.stdout) as HarnessReport;
    assert.equal(doc.servers[0]!.status, 'not-started');
    const missing = await cli(['--format', 'json', '--', path.join(project.dir, 'no-such-server')]);
    assert.equal(missing.code, 2);
    assert.match((JSON.parse(missing.stdout) as HarnessReport).servers[0]!.error!, /could not be started \(spawn .*ENOENT\)/);
  });

  test('usage errors exit 2 with one line', async () => {
    for (const args of [['--format', 'xml'], ['--'], ['stray'], ['--timeout', '-3'], ['--url', 'http://127.0.0.1:1/mcp', '--header', 'nocolon']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^mcp-warden: .+\n$/);
    }
    const remote = await cli(['--format', 'json', '--url', 'http://example.com/mcp']);
    assert.equal(remote.code, 2);
    assert.match((JSON.parse(remote.stdout) as HarnessReport).servers[0]!.error!, /not a loopback address/);
    const none = await cli([], project.dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no MCP server found/);
  });

  test('--config (VS Code servers / Claude mcpServers), variables and --server', async () => {
    const dir = path.join(project.dir, 'cfg');
    fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.vscode', 'mcp.json'),
      `{
        // JSONC, as VS Code writes it
        "inputs": [{ "id": "api-key", "type": "promptString", "password": true }],
        "servers": {
          "hardened": { "type": "stdio", "command": "\${env:MCPW_NODE}", "args": ["${path.join(FIXTURES, 'hardened-stdio.mjs')}", "\${workspaceFolder}/../data"], "env": { "KEY": "\${input:api-key}" } },
          "other": { "command": "false" },
        },
      }`,
    );
    const env = { ...process.env, MCPW_NODE: process.execPath, MCP_WARDEN_INPUT_API_KEY: 'k' };
    const specs = discoverServers({ cwd: dir, env });
    assert.deepEqual(
      specs.map((s) => s.name),
      ['hardened', 'other'],
    );
    assert.equal(specs[0]!.command, process.execPath);
    assert.deepEqual(specs[0]!.args, [path.join(FIXTURES, 'hardened-stdio.mjs'), `${dir}/../data`]);
    assert.deepEqual(specs[0]!.env, { KEY: 'k' });
    assert.throws(() => discoverServers({ cwd: dir, env: { MCPW_NODE: 'x' } }), /MCP_WARDEN_INPUT_API_KEY/);

    fs.writeFileSync(path.join(dir, 'claude.json'), JSON.stringify({ mcpServers: { remote: { url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${env:TOK}' } } } }));
    const [remote] = discoverServers({ cwd: dir, env: { TOK: 'abc' }, config: 'claude.json' });
    assert.equal(remote!.transport, 'http');
    assert.deepEqual(remote!.headers, { Authorization: 'Bearer abc' });
    assert.deepEqual(remote!.secretEnv, ['TOK']);

    const r = await cli(['--server', 'hardened', '--format', 'json'], dir, env);
    assert.equal(r.code, 0, r.stdout.slice(0, 2000));
    assert.deepEqual((JSON.parse(r.stdout) as HarnessReport).servers.map((s) => s.name), ['hardened']);
    const unknown = await cli(['--server', 'nope'], dir, env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no server named 'nope' \(found: 'hardened', 'other'\)/);
  });

  test('project discovery: package.json bin run with tsx, Python project with python3', () => {
    const example = path.join(REPO, 'examples', 'typescript-server');
    const [ts] = discoverServers({ cwd: example, env: process.env });
    assert.equal(ts!.transport, 'stdio');
    assert.match(ts!.command!, /node_modules\/\.bin\/tsx$/);
    assert.deepEqual(ts!.args, [path.join(example, 'src', 'index.ts')]);

    const py = path.join(project.dir, 'py');
    fs.mkdirSync(py);
    fs.writeFileSync(path.join(py, 'pyproject.toml'), '[project]\nname = "x"\ndependencies = ["mcp[cli]>=1.2"]\n');
    fs.writeFileSync(path.join(py, 'server.py'), '');
    const [p] = discoverServers({ cwd: py, env: { PATH: '' } });
    assert.equal(p!.command, 'python3');
    assert.deepEqual(p!.args, ['server.py']);
  });

  test('--update-lock records the tools; a changed tool list is drift', async () => {
    const dir = path.join(project.dir, 'lock');
    fs.mkdirSync(dir);
    const cmd = ['--', process.execPath, path.join(FIXTURES, 'misbehaving.mjs'), 'never-answer'];
    // --timeout bounds every request. In the runs that attack 'stall', its control call must time
    // out for the run to end, while tools/list, every 'echo' call and the pings (a missed one is a
    // confirmed failure, exit 1) must not: 4000 ms, the budget helpers.ts gives every harness test,
    // rides out the event-loop stalls of the concurrent tests on a loaded machine (up to 1.9 s seen
    // with the CPU about ten times oversubscribed; 1500 ms timed out 'echo'). The runs that never
    // call 'stall' get a budget nothing comes near.
    const stalling = ['--timeout', '4000'];
    const patient = ['--timeout', '60000'];
    const write = await cli(['--update-lock', '--format', 'json', ...stalling, '--cwd', dir, ...cmd]);
    assert.equal(write.code, 0, write.stderr);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'mcp-warden.lock.json'), 'utf8'));
    assert.deepEqual(Object.keys(lock.servers['misbehaving.mjs'].tools), ['echo', 'stall']);
    lock.servers['misbehaving.mjs'].tools.echo.description = 'Echo a message back. (old)';
    delete lock.servers['misbehaving.mjs'].tools.stall;
    fs.writeFileSync(path.join(dir, 'mcp-warden.lock.json'), JSON.stringify(lock));
    const only = await cli(['--format', 'json', '--tool', 'echo', ...patient, '--cwd', dir, ...cmd]);
    const onlyReport = JSON.parse(only.stdout) as HarnessReport;
    assert.deepEqual([...new Set(onlyReport.servers[0]!.results.map((r) => r.tool).filter(Boolean))], ['echo']);
    const unknown = await cli(['--format', 'json', '--tool', 'nope', ...patient, '--cwd', dir, ...cmd]);
    assert.equal(unknown.code, 2);
    // Exit 2 for this reason, not for a server that failed to start or list its tools.
    assert.equal((JSON.parse(unknown.stdout) as HarnessReport).servers[0]!.error, "the server has no tool named 'nope'");
    const check = await cli(['--format', 'json', ...stalling, '--cwd', dir, ...cmd]);
    const drift = (JSON.parse(check.stdout) as HarnessReport).servers[0]!.results.find((r) => r.check === 'protocol.lock-drift')!;
    assert.equal(drift.status, 'failed');
    assert.match(drift.evidence!.response, /tool 'stall' was added/);
    assert.match(drift.evidence!.response, /the description of 'echo' changed/);
    assert.equal(check.code, 1);
  });

  test('SIGTERM to the CLI kills the server tree and exits promptly with a run-end event', async () => {
    const pidFile = path.join(project.dir, 'sigterm.json');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'src', 'cli', 'main.ts'), 'harness', '--events', '--timeout', '30000', '--cwd', project.dir, '--', process.execPath, path.join(FIXTURES, 'misbehaving.mjs'), 'never-answer', pidFile],
      // cwd: the repository, where '--import tsx' resolves.
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let sentAt = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!sentAt && /"type":"tool","server":"misbehaving.mjs","tool":"stall"/.test(out)) {
        sentAt = Date.now();
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.ok(sentAt > 0, out);
    assert.ok(Date.now() - sentAt < 5000, `exited ${Date.now() - sentAt} ms after SIGTERM`);
    assert.equal(code, 2);
    const lastLine = JSON.parse(out.trim().split('\n').pop()!) as { type: string; report: HarnessReport };
    assert.equal(lastLine.type, 'run-end');
    assert.equal(lastLine.report.servers[0]!.status, 'aborted');
    for (const pid of JSON.parse(fs.readFileSync(pidFile, 'utf8')) as number[]) assert.equal(isRunning(pid), false);
  });
});
