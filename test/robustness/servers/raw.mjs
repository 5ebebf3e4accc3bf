// A hand-written stdio MCP server (no SDK, so it can break the protocol on purpose) for the
// robustness tests of issue 9, in the shapes test/harness/misbehaving.test.ts does not cover.
// Mode in argv[2]; argv[3], when given, is a file that gets the pids of this process and its
// children as a JSON array.
//   exit-0            exits at once with code 0, says nothing
//   exit-3            writes a reason to stderr and exits at once with code 3
//   garbage           writes 4 MB of random bytes (newlines included) to stdout, then reads
//                     requests and never answers
//   garbage-then-ok   writes 2 MB of non-JSON lines, then behaves
//   wrong-id-init     answers initialize with another id
//   wrong-ids         answers initialize properly, then every later request with a wrong id
//   null-result       answers tools/list with a result of null and tools/call with a string
//   orphan-holds-pipe starts a detached (setsid) child that keeps stdout open, then exits at
//                     once after initialize
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const mode = process.argv[2];
const pidFile = process.argv[3];
const pids = [process.pid];
const save = () => pidFile && writeFileSync(pidFile, JSON.stringify(pids));
save();

const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const TOOLS = [
  { name: 'echo', description: 'Echo a message back.', inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } },
];

function answer(req, idShift = 0) {
  const id = typeof req.id === 'number' ? req.id + idShift : idShift ? `${req.id}-wrong` : req.id;
  switch (req.method) {
    case 'initialize':
      return send({ jsonrpc: '2.0', id, result: { protocolVersion: req.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: `raw-${mode}`, version: '1.0.0' } } });
    case 'tools/list':
      return send({ jsonrpc: '2.0', id, result: mode === 'null-result' ? null : { tools: TOOLS } });
    case 'tools/call':
      if (mode === 'null-result') return send({ jsonrpc: '2.0', id, result: 'not an object' });
      return send({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `echo: ${String(req.params?.arguments?.message ?? '').length} characters` }] } });
    case 'ping':
      return send({ jsonrpc: '2.0', id, result: {} });
    default:
      if (req.id !== undefined) send({ jsonrpc: '2.0', id, error: { code: -32601, message: 'Method not found' } });
  }
}

if (mode === 'exit-0') process.exit(0);
if (mode === 'exit-3') {
  process.stderr.write('fatal: configuration file missing\n');
  process.exit(3);
}
if (mode === 'garbage') process.stdout.write(randomBytes(4 * 1024 * 1024));
if (mode === 'garbage-then-ok') {
  const line = `${'#'.repeat(1023)}\n`;
  process.stdout.write(line.repeat(2048));
}

let buffered = '';
let initialised = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      continue;
    }
    if (mode === 'garbage') continue;
    if (mode === 'wrong-id-init') {
      answer(req, 1000);
      continue;
    }
    if (mode === 'wrong-ids') {
      answer(req, initialised ? 1000 : 0);
      if (req.method === 'initialize') initialised = true;
      continue;
    }
    answer(req);
    if (mode === 'orphan-holds-pipe' && req.method === 'notifications/initialized') {
      // The child inherits stdout and leaves the process group; then this process exits.
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
      child.unref();
      pids.push(child.pid);
      save();
      setTimeout(() => process.exit(0), 50);
    }
  }
});
