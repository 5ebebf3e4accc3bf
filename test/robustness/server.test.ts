// The language server keeps serving when the analysis of one document fails (issue 9).
// 1. Pathological documents (nesting that would overflow the parser's stack, a 20,000-term
//    concatenation, NUL bytes, lone surrogates, a 1 MB minified bundle) are refused or analysed
//    without taking the server down; an ordinary document opened after them gets diagnostics,
//    and a refused one is analysed again once edited into valid code.
// 2. An analysis that hangs or crashes its worker thread (test faults injected through
//    MCP_WARDEN_TEST_ANALYSIS_FAULT): the server answers requests meanwhile, stops the worker at
//    the hard timeout, logs it, publishes an empty result for that file, and analyses the next
//    documents in a new worker.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { minified, nested } from '../fuzz/generate';

const REPO = path.resolve(__dirname, '../..');
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-lsp-robust-')));

const GOOD = `import { exec } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const server = new McpServer({ name: 'x', version: '1.0.0' });
server.registerTool('ping', { description: 'Ping a host.', inputSchema: { host: z.string() } }, async ({ host }) => {
  exec(\`ping -c 1 \${host}\`);
  return { content: [] };
});
`;

interface Diagnostic {
  code?: string | number;
  range: { start: { line: number } };
}
interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

/** A language server under tsx, driven over stdio like a minimal editor. */
class Client {
  readonly logs: string[] = [];
  readonly published: Published[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly server: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;

  constructor(env: Record<string, string> = {}) {
    this.server = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/server/main.ts'), '--stdio'], {
      cwd: REPO,
      stdio: 'pipe',
      env: { ...process.env, ...env },
    });
    this.server.stderr.setEncoding('utf8').on('data', (d: string) => this.logs.push(`stderr: ${d.trim()}`));
    this.conn = createMessageConnection(new StreamMessageReader(this.server.stdout), new StreamMessageWriter(this.server.stdin));
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.changed();
    });
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      this.changed();
    });
    // The server may ask for settings or register capabilities; answer like a minimal client.
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  async initialize(): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'w' }],
      capabilities: {},
    });
    await this.conn.sendNotification('initialized', {});
  }

  private changed(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `ok` holds (checked at every notification); rejects after `timeoutMs`. */
  until<T>(what: string, ok: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms; log:\n${this.logs.join('\n')}`)), timeoutMs);
      const look = () => {
        const hit = ok();
        if (hit !== undefined) {
          clearTimeout(timer);
          resolve(hit);
        } else {
          this.waiters.push(look);
        }
      };
      look();
    });
  }

  /** The first publication for `uri` (and `version`, when given). */
  diagnosticsFor(uri: string, version: number | undefined, timeoutMs: number): Promise<Published> {
    return this.until(`diagnostics for ${uri} v${version}`, () => this.published.find((p) => p.uri === uri && (version === undefined || p.version === version)), timeoutMs);
  }

  logLine(re: RegExp, timeoutMs: number): Promise<string> {
    return this.until(`a log line matching ${re}`, () => this.logs.find((l) => re.test(l)), timeoutMs);
  }

  open(name: string, languageId: string, text: string): string {
    const uri = uriOf(name);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(name: string, version: number, text: string): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(name), version }, contentChanges: [{ text }] });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch {
      // Already gone: the assertions say why.
    }
    this.conn.dispose();
    this.server.kill('SIGKILL');
  }
}

function uriOf(name: string): string {
  return pathToFileURL(path.join(dir, name)).toString();
}

const clients: Client[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('pathological documents are refused or analysed, and the server keeps serving other documents', { timeout: 120_000 }, async () => {
  const c = new Client();
  clients.push(c);
  await c.initialize();
  c.open('deep.ts', 'typescript', nested('parens', 5000).text);
  c.open('chain.ts', 'typescript', nested('binary', 20_000).text);
  c.open('nul.ts', 'typescript', `${GOOD}\0\0`);
  c.open('surrogate.py', 'python', 'x = "\ud800"\n'.repeat(50));
  c.open('bundle.min.js', 'javascript', minified(512 * 1024));
  c.open('bundle.js', 'javascript', minified(2 * 1024 * 1024).replace(/;/g, ';\n'));
  c.open('good.ts', 'typescript', GOOD);

  const good = await c.diagnosticsFor(uriOf('good.ts'), 1, 90_000);
  assert.deepEqual(good.diagnostics.map((d) => [d.code, d.range.start.line]), [['no-command-injection', 6]]);
  assert.equal(c.server.exitCode, null, 'the server exited');
  // Every pathological document got an answer (possibly empty), none took the server down.
  for (const name of ['deep.ts', 'chain.ts', 'nul.ts', 'surrogate.py', 'bundle.min.js', 'bundle.js']) await c.diagnosticsFor(uriOf(name), 1, 30_000);
  // The refusals say why, and nothing crashed.
  await c.logLine(/deep\.ts: too-large: not analysed: the code nests 5000 levels deep/, 5_000);
  await c.logLine(/bundle\.min\.js: too-large: not analysed: the file is minified/, 5_000);
  await c.logLine(/bundle\.js: too-large: not analysed: [\d,]+ bytes is over the 1,048,576 bytes limit; raise 'maxFileBytes'/, 5_000);
  assert.ok(!c.logs.some((l) => /internal-error|crashed|timed out/.test(l)), c.logs.join('\n'));

  // Editing the refused document into valid code brings its diagnostics back.
  c.change('deep.ts', 2, GOOD);
  const fixed = await c.diagnosticsFor(uriOf('deep.ts'), 2, 30_000);
  assert.deepEqual(fixed.diagnostics.map((d) => d.code), ['no-command-injection']);
  assert.equal(c.server.exitCode, null, 'the server exited');
});

test('an analysis that hangs or crashes its worker is stopped, logged and replaced; the server keeps serving', { timeout: 120_000 }, async () => {
  const c = new Client({ MCP_WARDEN_TEST_ANALYSIS_FAULT: 'hang:hangs.ts,crash:crashes.ts', MCP_WARDEN_ANALYSIS_TIMEOUT_MS: '3000' });
  clients.push(c);
  await c.initialize();
  const good = c.open('fine.ts', 'typescript', GOOD);
  const first = await c.diagnosticsFor(good, 1, 60_000);
  assert.deepEqual(first.diagnostics.map((d) => d.code), ['no-command-injection']);
  const askActions = () =>
    c.conn.sendRequest<Array<{ title: string }>>('textDocument/codeAction', {
      textDocument: { uri: good },
      range: first.diagnostics[0]!.range,
      context: { diagnostics: first.diagnostics },
    });
  // The first code action request analyses the document again with its fixes, which are kept.
  assert.ok((await askActions()).some((a) => a.title === 'Disable no-command-injection for this line'));

  // The worker spins on this one...
  const started = Date.now();
  const hangs = c.open('hangs.ts', 'typescript', GOOD);
  // ...while the server still answers requests that need no new analysis.
  const actions = await askActions();
  assert.ok(actions.some((a) => a.title === 'Disable no-command-injection for this line'), JSON.stringify(actions));
  assert.ok(!c.logs.some((l) => /timed out/.test(l)), 'the code actions were answered before the hang was detected');
  // At the hard timeout the worker is stopped; the file gets an empty result and a log line.
  const hung = await c.diagnosticsFor(hangs, 1, 30_000);
  assert.deepEqual(hung.diagnostics, []);
  assert.ok(Date.now() - started >= 2000, 'not before the timeout');
  await c.logLine(/analysis of .*hangs\.ts timed out after \d+ ms; the analysis worker was stopped and is restarted/, 1000);

  // A new worker analyses the next edit.
  c.change('fine.ts', 2, `\n${GOOD}`);
  const again = await c.diagnosticsFor(good, 2, 60_000);
  assert.deepEqual(again.diagnostics.map((d) => [d.code, d.range.start.line]), [['no-command-injection', 7]]);

  // A crash of the worker: the same, without waiting for the timeout.
  const crashes = c.open('crashes.ts', 'typescript', GOOD);
  const crashed = await c.diagnosticsFor(crashes, 1, 30_000);
  assert.deepEqual(crashed.diagnostics, []);
  await c.logLine(/the analysis worker crashed: test fault: the analysis worker crashed while analysing .*crashes\.ts; it is restarted/, 1000);
  c.change('fine.ts', 3, GOOD);
  const third = await c.diagnosticsFor(good, 3, 60_000);
  assert.deepEqual(third.diagnostics.map((d) => d.code), ['no-command-injection']);
  assert.equal(c.server.exitCode, null, 'the server exited');
});
