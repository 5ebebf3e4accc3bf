// A hand-written Streamable HTTP "server" (no SDK, so it can break the protocol on purpose) for
// the harness's robustness tests. Listens on 127.0.0.1:$PORT. Mode in argv[2]; argv[3], when
// given, is a file that gets the pids of this process and its children as a JSON array.
//   hang-notification  answers requests, but never answers a POST that carries only a
//                      notification (notifications/initialized): the client's await on it hangs
//   trickle            answers its MCP client (the first initialize, then every request carrying
//                      the session id), but answers any other request with an SSE stream that
//                      sends one byte every 100 ms and never completes an event: the raw HTTP
//                      checks' requests, whose socket idle timeout it never trips
import * as http from 'node:http';
import { writeFileSync } from 'node:fs';

const mode = process.argv[2];
const pidFile = process.argv[3];
if (pidFile) writeFileSync(pidFile, JSON.stringify([process.pid]));
// Both modes ignore SIGTERM: only the harness's SIGKILL escalation ends them.
process.on('SIGTERM', () => {});

const TOOLS = [{ name: 'echo', description: 'Echo a message back.', inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } }];

function result(req) {
  switch (req.method) {
    case 'initialize':
      return { protocolVersion: req.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: `raw-http-${mode}`, version: '1.0.0' } };
    case 'tools/list':
      return { tools: TOOLS };
    case 'tools/call':
      return { content: [{ type: 'text', text: `echo: ${String(req.params?.arguments?.message ?? '').length} characters` }] };
    default:
      return {};
  }
}

const SESSION = 'raw-session-0123456789abcdef';
let initialized = false;
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let msg;
    try {
      msg = JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (msg.id === undefined && req.headers['mcp-session-id'] !== undefined && mode === 'hang-notification') return; // never answered, connection left open
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const client = req.headers['mcp-session-id'] === SESSION || (msg.method === 'initialize' && !initialized);
    if (msg.method === 'initialize') initialized = true;
    if (mode === 'trickle' && !client) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write(':'), 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': SESSION });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: result(msg) }));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
