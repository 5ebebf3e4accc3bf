import { createServer } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createNotesServer } from './server.js';

const PORT = Number(process.env.PORT ?? 3333);

// FLAW (CWE-208 and fail-open): a plain string compare leaks the token through timing, and when
// NOTES_TOKEN is unset the expected value becomes 'Bearer undefined', which anyone can send.
function authorized(header: string | undefined): boolean {
  return header === `Bearer ${process.env.NOTES_TOKEN}`;
}

// FLAW (CWE-346): no Origin/Host validation (DNS rebinding protection is off by default here).
const httpServer = createServer(async (req, res) => {
  if (!req.url?.startsWith('/mcp')) {
    res.writeHead(404).end();
    return;
  }
  if (!authorized(req.headers.authorization)) {
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
    return;
  }
  // Stateless mode: one server and transport per request.
  const server = createNotesServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
});

httpServer.listen(PORT, '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : PORT;
  console.error(`notes MCP server listening on http://127.0.0.1:${port}/mcp`);
});
