// Every planted flaw of the fixture servers is confirmed with evidence; the hardened twins give
// nothing. Each expectation cites the requirement id it tests (src/harness/requirements.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatHarnessJson } from '../../src/cli/formats/harness-json';
import { formatHarnessJunit } from '../../src/cli/formats/harness-junit';
import { formatHarnessText } from '../../src/cli/formats/harness-text';
import { KNOWN_GAPS, REQUIREMENTS, type HarnessReport } from '../../src/harness';
import { confirmed, describeConfirmed, FIXTURES, harness, makeProject, nodeServer, results } from './helpers';

const project = makeProject();
after(() => project.cleanup());

/** [check, tool, param]: every planted flaw of a fixture. */
type Planted = ReadonlyArray<readonly [string, string | null, string | null]>;

/** Check ids some fixture in this file confirmed. */
const covered = new Set<string>();

/**
 * Requirements no fixture in this file confirms, and why. The last test fails when one of them
 * becomes covered (remove it here) or when a requirement is neither covered nor listed.
 */
const NOT_CONFIRMED_HERE: Readonly<Record<string, string>> = {
  'protocol.initialize': 'a server that never answers is reported as not run (exit 2), see misbehaving.test.ts',
  'protocol.tools-list': 'same as protocol.initialize',
  'protocol.lock-drift': 'needs a lock file; confirmed in cli.test.ts',
  'server.survives': 'needs a crashing server; confirmed in misbehaving.test.ts',
  'http.auth.no-token': 'no fixture accepts a missing token while requiring one',
  'http.auth.none': 'every HTTP fixture is configured with a token',
  'http.protocol-version': 'the SDK transport refuses unsupported protocol versions itself',
};

function assertExactly(report: HarnessReport, planted: Planted, fixture: string): void {
  const found = confirmed(report);
  for (const r of found) covered.add(r.check);
  for (const [check, tool, param] of planted) {
    const hit = found.find((r) => r.check === check && r.tool === tool && (param === null || r.param === param));
    assert.ok(hit, `${fixture}: ${check} on ${tool}/${param} not confirmed; confirmed:\n${describeConfirmed(report)}`);
    assert.ok(hit.evidence && hit.evidence.request.length > 0 && hit.evidence.response.length > 0, `${check} on ${tool} has no evidence`);
  }
  const unexpected = found.filter((r) => !planted.some(([c, t, p]) => c === r.check && t === r.tool && (p === null || p === r.param)));
  assert.deepEqual(unexpected.map((r) => `${r.check} ${r.tool}/${r.param}: ${r.message}`), [], `${fixture}: unexpected confirmations`);
  for (const gap of KNOWN_GAPS.filter((g) => g.fixture === fixture)) {
    const fixed = found.some((r) => r.check === gap.check && r.tool === gap.tool && r.param === gap.param);
    assert.equal(fixed, false, `known gap ${gap.check} on ${gap.tool} is now confirmed: remove it from KNOWN_GAPS`);
  }
}

describe('stdio fixture servers', { concurrency: true }, () => {
  let vulnerable: HarnessReport;
  before(async () => {
    // cwd: the fixtures folder, so results point at the registration lines in vulnerable-stdio.mjs.
    vulnerable = await harness([nodeServer('vulnerable', 'vulnerable-stdio.mjs', [project.root])], FIXTURES);
  });
  test('format json: relative source paths at the registration line of each tool', () => {
    const doc = JSON.parse(formatHarnessJson(vulnerable)) as HarnessReport;
    const greet = doc.servers[0]!.results.find((r) => r.check === 'cmd.injection' && r.tool === 'greet')!;
    const text = fs.readFileSync(path.join(FIXTURES, 'vulnerable-stdio.mjs'), 'utf8').split('\n');
    assert.equal(greet.source!.file, 'vulnerable-stdio.mjs');
    assert.match(text[greet.source!.line - 1]!, /registerTool\('greet'/);
    assert.equal(doc.exitCode, 1);
  });

  test('format junit: one testcase per check, failures carry the evidence', () => {
    const xml = formatHarnessJunit(vulnerable);
    const failures = vulnerable.servers[0]!.results.filter((r) => r.status === 'failed').length;
    assert.equal((xml.match(/<failure /g) ?? []).length, failures);
    assert.equal((xml.match(/<testcase /g) ?? []).length, vulnerable.servers[0]!.results.length);
    assert.match(xml, /<testcase classname="vulnerable.greet" name="cmd.injection \[name\]">/);
    assert.ok(!/[\u0000-\u0008]/.test(xml));
  });

  test('format text: confirmed failures with evidence and a summary', () => {
    const text = formatHarnessText(vulnerable, { color: false });
    assert.match(text, /error cmd\.injection greet › name: /);
    assert.match(text, /at vulnerable-stdio\.mjs:\d+/);
    assert.match(text, /\d+ confirmed failures, \d+ passed/);
  });

  test('vulnerable-stdio: every planted flaw is confirmed with evidence, nothing else', () => {
    assertExactly(
      vulnerable,
      [
        ['cmd.injection', 'greet', 'name'],
        ['cmd.injection', 'queue_job', 'label'],
        ['cmd.injection', 'run_script', 'args'],
        ['cmd.argument-injection', 'sort_names', 'flags'],
        // sort also reads any file named in 'flags': an arbitrary file read through an argument.
        ['path.traversal', 'sort_names', 'flags'],
        ['path.traversal', 'read_any', 'file'],
        ['path.traversal', 'read_prefixed', 'file'],
        ['path.traversal', 'read_lexical', 'file'],
        ['sql.injection', 'find_user', 'name'],
        ['sql.injection', 'count_users', 'prefix'],
        ['ssrf.loopback', 'fetch_page', 'url'],
        ['code.injection', 'calc', 'expr'],
        ['protocol.description-poisoning', 'weather', null],
        ['stdio.stdout-pollution', null, null],
      ],
      'vulnerable-stdio.mjs',
    );
    assert.equal(vulnerable.exitCode, 1);
  });

  test('path.traversal: the prefix bug is proven by the sibling directory, the symlink bug by the planted link', () => {
    const byTool = (tool: string) => confirmed(vulnerable).find((r) => r.check === 'path.traversal' && r.tool === tool)!;
    assert.match(byTool('read_prefixed').message, /sibling directory sharing the root prefix/);
    assert.match(byTool('read_lexical').message, /symlink/);
    assert.match(byTool('read_any').evidence!.response, /mcpw-canary-/);
    // Planted canaries are removed after the run.
    assert.deepEqual(fs.readdirSync(project.dir).filter((n) => n.startsWith('data-')), []);
    assert.deepEqual(fs.readdirSync(project.root).filter((n) => n.startsWith('.mcpw')), []);
  });

  test('cmd.injection: proof is computed output or a marker file, never the echoed payload', () => {
    const greet = confirmed(vulnerable).find((r) => r.check === 'cmd.injection' && r.tool === 'greet')!;
    const [, a, b] = /\$\(\((\d+)\*(\d+)\)\)/.exec(greet.evidence!.request) ?? [];
    assert.ok(a && b, greet.evidence!.request);
    assert.ok(greet.evidence!.response.includes(String(Number(a) * Number(b))));
    const blind = confirmed(vulnerable).find((r) => r.check === 'cmd.injection' && r.tool === 'queue_job')!;
    assert.match(blind.message, /blind, proven by a marker file/);
  });

  test('destructive tools are skipped unless asked for', () => {
    const tool = vulnerable.servers[0]!.tools.find((t) => t.name === 'delete_user')!;
    assert.match(tool.skipped!, /name says 'delete'/);
    assert.ok(results(vulnerable).filter((r) => r.tool === 'delete_user' && r.check === 'cmd.injection').every((r) => r.status === 'skipped'));
  });

  test('hardened-stdio: nothing is reported', async () => {
    const report = await harness([nodeServer('hardened', 'hardened-stdio.mjs', [project.root])], project.dir);
    assertExactly(report, [], 'hardened-stdio.mjs');
    assert.equal(report.exitCode, 0);
    assert.equal(results(report).filter((r) => r.status === 'error').length, 0);
  });

  test('python_stdio.py (standard library only): every planted flaw is confirmed', async () => {
    const report = await harness(
      [{ name: 'python', transport: 'stdio', command: 'python3', args: [path.join(FIXTURES, 'python_stdio.py'), project.root], origin: 'test' }],
      project.dir,
    );
    assertExactly(
      report,
      [
        ['cmd.injection', 'disk_usage', 'folder'],
        ['sql.injection', 'find_book', 'title'],
        ['path.traversal', 'open_doc', 'name'],
        // urlopen also follows file:// URLs.
        ['path.traversal', 'fetch', 'url'],
        ['ssrf.loopback', 'fetch', 'url'],
        ['code.injection', 'evaluate', 'expression'],
        // Hand-rolled JSON-RPC: nothing checks the declared types.
        ['input.wrong-type', 'disk_usage', 'folder'],
        ['input.wrong-type', 'find_book', 'title'],
        ['input.unknown-field', 'find_book', null],
        ['protocol.tool-name', 'say hi!', null],
        ['protocol.tool-schema', 'tag', null],
        ['input.oversize', 'set_nick', 'nick'],
        // Hand-rolled JSON-RPC: wrong types reach the lambdas, which ignore them.
        ['input.wrong-type', 'tag', null],
        ['input.wrong-type', 'set_nick', null],
      ],
      'python_stdio.py',
    );
  });
});

describe('Streamable HTTP fixture servers', { concurrency: true }, () => {
  const TOKEN = 'tok-0123456789abcdef';
  const spec = (file: string) => ({
    name: file,
    transport: 'http' as const,
    url: 'http://127.0.0.1:{port}/mcp',
    headers: { Authorization: `Bearer ${TOKEN}` },
    command: process.execPath,
    args: [path.join(FIXTURES, file)],
    origin: 'test',
  });
  const env = { ...process.env, MCP_TOKEN: TOKEN };

  test('vulnerable-http: every planted authentication flaw is confirmed, the token never appears in evidence', async () => {
    const report = await harness([spec('vulnerable-http.mjs')], project.dir, { env });
    assertExactly(
      report,
      [
        ['cmd.injection', 'lookup', 'host'],
        ['http.auth.wrong-token', null, null],
        ['http.auth.query-token', null, null],
        ['http.auth.endpoint-variants', null, null],
        ['http.auth.www-authenticate', null, null],
        ['http.auth.fail-open', null, null],
        ['http.origin', null, null],
        ['http.host', null, null],
        ['http.session-id', null, null],
        ['http.error-stack', null, null],
        ['http.rate-limit', null, null],
      ],
      'vulnerable-http.mjs',
    );
    const all = JSON.stringify(report);
    assert.ok(!all.includes(TOKEN), 'the configured token leaked into the report');
    assert.match(confirmed(report).find((r) => r.check === 'http.auth.wrong-token')!.evidence!.request, /<first \d+ of 20 characters of the token>/);
    const session = confirmed(report).find((r) => r.check === 'http.session-id')!;
    assert.match(session.message, /Session ids are short .* the session id works as a credential/);
    assert.doesNotMatch(session.evidence!.request, /authorization/i);
  });

  test('hardened-http: nothing is reported', async () => {
    const report = await harness([spec('hardened-http.mjs')], project.dir, { env });
    assertExactly(report, [], 'hardened-http.mjs');
    assert.equal(report.exitCode, 0);
    const failOpen = results(report).find((r) => r.check === 'http.auth.fail-open')!;
    assert.equal(failOpen.status, 'passed');
    assert.match(failOpen.message, /did not start/);
  });
});

test('every requirement is confirmed by a fixture above, or listed with the reason it is not', () => {
  for (const r of REQUIREMENTS) {
    if (r.id in NOT_CONFIRMED_HERE) assert.equal(covered.has(r.id), false, `${r.id} is now confirmed: remove it from NOT_CONFIRMED_HERE`);
    else assert.ok(covered.has(r.id), `no fixture confirms ${r.id}`);
  }
});
