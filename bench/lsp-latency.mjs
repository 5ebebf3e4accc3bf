// On-type latency as the editor sees it (issue 9): the built language server (dist/server.js,
// over stdio) gets one edit of the generated 1,000-line MCP server at a time, and the time from
// sending textDocument/didChange to receiving publishDiagnostics for that version is measured.
// It includes the server's typing debounce (CHANGE_DEBOUNCE_MS in src/server/server.ts), JSON-RPC
// and diagnostic conversion, so it is the in-process lintText time plus a constant.
//
//   node bench/lsp-latency.mjs [--runs N]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeGenerated } from './gen-server.mjs';
import { summarise } from './stats.mjs';
import { ROOT } from './tools.mjs';

const require = createRequire(import.meta.url);

/** Reads CHANGE_DEBOUNCE_MS from the server source so the note next to the number stays true. */
function debounceMs() {
  try {
    const m = /CHANGE_DEBOUNCE_MS\s*=\s*(\d+)/.exec(readFileSync(join(ROOT, 'src/server/server.ts'), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function runLspLatency({ runs = 40, lines = 1000 } = {}) {
  const serverJs = join(ROOT, 'dist', 'server.js');
  if (!existsSync(serverJs)) return { skipped: 'dist/server.js missing: run `npm run build`' };
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
  const file = writeGenerated([lines])[`typescript-${lines}`];
  const base = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).toString();
  const child = spawn(process.execPath, [serverJs, '--stdio'], { cwd: dirname(file), stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiting.get(p.version);
    if (w) {
      waiting.delete(p.version);
      w(p);
    }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  const folder = pathToFileURL(dirname(file)).toString();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'bench' }], capabilities: {} });
  await conn.sendNotification('initialized', {});
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));

  let p = published(1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: base } });
  await p;
  const points = [...base.matchAll(/description: '/g)].map((m) => m.index + m[0].length);
  const samples = [];
  let findings = 0;
  const warmup = 5;
  const started = performance.now();
  for (let i = 0; i < runs + warmup; i++) {
    // A slow analysis shows in fewer runs, not in a stuck benchmark.
    if (performance.now() - started > 120_000 && samples.length >= 5) break;
    const version = i + 2;
    const at = points[i % points.length];
    const text = `${base.slice(0, at)}${String.fromCharCode(97 + (i % 26))}${base.slice(at)}`;
    p = published(version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const d = await p;
    const dt = performance.now() - t0;
    if (i >= warmup) samples.push(dt);
    findings = d.diagnostics.length;
  }
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    await conn.sendNotification('exit');
  } catch {
    // The kill below ends it either way.
  }
  conn.dispose();
  child.kill();
  return { ...summarise(samples), findings, debounceMs: debounceMs(), lines };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--runs');
  console.log(await runLspLatency(i > 0 ? { runs: Number(process.argv[i + 1]) } : {}));
}
