import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

// The built language server (dist/server.js) over stdio, driven as an editor would drive it.
const root = path.join(__dirname, '..', '..');
const serverJs = path.join(root, 'dist', 'server.js');

interface PublishParams {
  uri: string;
  diagnostics: Array<{ code: string; message: string; severity: number; range: { start: { line: number } }; data?: unknown; source: string }>;
}

let child: ChildProcess;
let conn: MessageConnection;
let dir: string;
const published = new Map<string, PublishParams[]>();
const waiters: Array<() => void> = [];
const logs: string[] = [];

function nextPublish(uri: string, accept: (p: PublishParams) => boolean = () => true): Promise<PublishParams> {
  return new Promise((resolve) => {
    const check = () => {
      const last = published.get(uri)?.at(-1);
      if (last && accept(last)) {
        resolve(last);
        return true;
      }
      return false;
    };
    if (check()) return;
    const waiter = () => {
      if (check()) waiters.splice(waiters.indexOf(waiter), 1);
    };
    waiters.push(waiter);
  });
}

const EXEC_TOOL = [
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { exec } from 'node:child_process';",
  "import { z } from 'zod';",
  '',
  "const server = new McpServer({ name: 'x', version: '1.0.0' });",
  "server.tool('list', { dir: z.string() }, async ({ dir }) => {",
  '    exec(`ls ${dir}`);',
  '  return { content: [] };',
  '});',
  '',
].join('\n');

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-lsp-'));
  child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishParams) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
    [...waiters].forEach((w) => w());
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onNotification('mcpWarden/counts', () => undefined);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'w' }],
    capabilities: { workspace: { workspaceEdit: { snippetEditSupport: true } } },
  });
  await conn.sendNotification('initialized', {});
});

after(() => {
  conn.dispose();
  child.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(name: string, text: string, languageId = 'typescript'): string {
  const uri = pathToFileURL(path.join(dir, name)).toString();
  void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

test('publishes a diagnostic with source, rule code, docs link and fingerprint data', async () => {
  const uri = open('a.ts', EXEC_TOOL);
  const p = await nextPublish(uri, (x) => x.diagnostics.length > 0);
  const d = p.diagnostics.find((x) => x.code === 'no-command-injection');
  assert.ok(d, JSON.stringify(p.diagnostics));
  assert.equal(d.source, 'MCP Warden');
  assert.equal(d.range.start.line, 6);
  assert.ok((d.data as { fingerprint?: string }).fingerprint);
});

test('code actions: disable-for-line as a snippet edit indented like the line, documentation command', async () => {
  const uri = pathToFileURL(path.join(dir, 'a.ts')).toString();
  const p = await nextPublish(uri, (x) => x.diagnostics.length > 0);
  const d = p.diagnostics.find((x) => x.code === 'no-command-injection')!;
  const actions = await conn.sendRequest<Array<{ title: string; edit?: { documentChanges?: Array<{ edits: Array<{ snippet?: { value: string } }> }> }; command?: { command: string; arguments: unknown[] } }>>(
    'textDocument/codeAction',
    { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } },
  );
  const titles = actions.map((a) => a.title);
  const disable = actions.find((a) => a.title === 'Disable no-command-injection for this line');
  assert.ok(disable, titles.join(' | '));
  assert.equal(disable.edit?.documentChanges?.[0]?.edits[0]?.snippet?.value, '    // mcp-warden-disable-next-line no-command-injection -- ${1:reason}\n');
  const docs = actions.find((a) => a.title === 'Show documentation for no-command-injection');
  assert.deepEqual(docs?.command, { title: 'Show documentation for no-command-injection', command: 'mcpWarden.showRuleDocumentation', arguments: ['no-command-injection'] });
});

test('an exception in one analysis is logged and the server keeps serving', async () => {
  // A file URI with a host cannot be turned into a path on this platform: the analysis throws.
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file://remote-host/x.ts', languageId: 'typescript', version: 1, text: EXEC_TOOL } });
  const uri = open('b.ts', EXEC_TOOL);
  const p = await nextPublish(uri, (x) => x.diagnostics.length > 0);
  assert.ok(p.diagnostics.some((x) => x.code === 'no-command-injection'));
  assert.ok(logs.some((l) => l.includes('file://remote-host/x.ts') && l.includes('failed')), logs.join('\n'));
});

test('closing a document clears its diagnostics', async () => {
  const uri = open('c.ts', EXEC_TOOL);
  await nextPublish(uri, (x) => x.diagnostics.length > 0);
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await nextPublish(uri, (x) => x.diagnostics.length === 0);
});

test('after a workspace scan, closing a file falls back to the findings of its saved text', async () => {
  const file = path.join(dir, 'd.ts');
  fs.writeFileSync(file, EXEC_TOOL);
  const uri = pathToFileURL(file).toString();
  // The editor shows an unsaved clean version...
  void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: '' } });
  await nextPublish(uri, (x) => x.diagnostics.length === 0);
  const scan = await conn.sendRequest<{ files: number; findings: number; cancelled: boolean }>('mcpWarden/scanWorkspace', {});
  assert.equal(scan.cancelled, false);
  assert.ok(scan.files >= 1);
  // ...and after closing it the saved, vulnerable text counts again.
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  const p = await nextPublish(uri, (x) => x.diagnostics.length > 0);
  assert.ok(p.diagnostics.some((x) => x.code === 'no-command-injection'));
});

test('a deleted file loses its diagnostics', async () => {
  const file = path.join(dir, 'd.ts');
  const uri = pathToFileURL(file).toString();
  fs.rmSync(file);
  await conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
  await nextPublish(uri, (x) => x.diagnostics.length === 0);
});
