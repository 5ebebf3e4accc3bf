// The language server keeps serving when the analysis of one document fails (issue 9): a
// document that overflows the parser's stack, a 20,000-term concatenation, NUL bytes, lone
// surrogates and a 1 MB minified bundle are opened first; the server must log the failure,
// stay alive, publish diagnostics for an ordinary document opened after them, and analyse the
// broken document again once it is edited into valid code.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
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

let server: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
const logs: string[] = [];
const published: Published[] = [];
const waiters: Array<() => void> = [];

function onChange(): void {
  for (const w of waiters.splice(0)) w();
}

/** Resolves with the first publication for `uri` (and `version`, when given) that satisfies `ok`. */
function diagnosticsFor(uri: string, version: number | undefined, timeoutMs: number): Promise<Published> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; log:\n${logs.join('\n')}`)), timeoutMs);
    const look = () => {
      const hit = published.find((p) => p.uri === uri && (version === undefined || p.version === version));
      if (hit) {
        clearTimeout(timer);
        resolve(hit);
      } else {
        waiters.push(look);
      }
    };
    look();
  });
}

function uriOf(name: string): string {
  return pathToFileURL(path.join(dir, name)).toString();
}

function open(name: string, languageId: string, text: string): void {
  void conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(name), languageId, version: 1, text } });
}

before(async () => {
  server = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/server/main.ts'), '--stdio'], { cwd: REPO, stdio: 'pipe' });
  server.stderr.setEncoding('utf8').on('data', (d: string) => logs.push(`stderr: ${d.trim()}`));
  conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
    onChange();
  });
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.push(p);
    onChange();
  });
  // The server may ask for settings or register capabilities; answer like a minimal client.
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'w' }],
    capabilities: {},
  });
  await conn.sendNotification('initialized', {});
});

after(async () => {
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    void conn.sendNotification('exit');
  } catch {
    // Already gone: the assertions say why.
  }
  conn.dispose();
  server.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a failing analysis is logged and the server keeps serving other documents', { timeout: 120_000 }, async () => {
  open('deep.ts', 'typescript', nested('parens', 5000).text);
  open('chain.ts', 'typescript', nested('binary', 20_000).text);
  open('nul.ts', 'typescript', `${GOOD}\0\0`);
  open('surrogate.py', 'python', 'x = "\ud800"\n'.repeat(50));
  open('bundle.min.js', 'javascript', minified(1024 * 1024));
  open('good.ts', 'typescript', GOOD);

  const good = await diagnosticsFor(uriOf('good.ts'), 1, 90_000);
  assert.deepEqual(good.diagnostics.map((d) => [d.code, d.range.start.line]), [['no-command-injection', 6]]);
  assert.equal(server.exitCode, null, 'the server exited');
  // Every pathological document got an answer (possibly empty), none took the server down.
  for (const name of ['deep.ts', 'chain.ts', 'nul.ts', 'surrogate.py', 'bundle.min.js']) await diagnosticsFor(uriOf(name), 1, 30_000);
  assert.ok(
    logs.some((l) => l.includes('deep.ts') && /internal-error|too-large|timeout|failed/.test(l)),
    `the failed analysis of deep.ts is logged; log:\n${logs.join('\n')}`,
  );

  // Editing the broken document into valid code brings its diagnostics back.
  void conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: uriOf('deep.ts'), version: 2 },
    contentChanges: [{ text: GOOD }],
  });
  const fixed = await diagnosticsFor(uriOf('deep.ts'), 2, 30_000);
  assert.deepEqual(fixed.diagnostics.map((d) => d.code), ['no-command-injection']);
  assert.equal(server.exitCode, null, 'the server exited');
});
