import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTs } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';

function model(text: string, file = 'server.ts') {
  const sf = parseTs(file, text);
  return { sf, text, mcp: buildMcpModel(sf) };
}

describe('TS MCP source model', () => {
  test('McpServer construction, registerTool with zod shape, descriptions and parameter reads', () => {
    const { text, mcp } = model(`
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
const server = new McpServer({ name: 'files', version: '1.0.0' }, { instructions: 'Use me.' });
server.registerTool('read', {
  title: 'Read',
  description: 'Reads a file',
  inputSchema: { path: z.string().describe('File path'), mode: z.enum(['a', 'b']).optional(), note: z.string() },
  annotations: { readOnlyHint: true },
}, async ({ path, mode, note }) => ({ content: [{ type: 'text', text: path + mode }] }));
await server.connect(new StdioServerTransport());
`);
    assert.equal(mcp.servers.length, 1);
    assert.equal(mcp.servers[0]!.name, 'files');
    assert.equal(mcp.servers[0]!.variable, 'server');
    assert.equal(mcp.servers[0]!.instructions, 'Use me.');
    assert.equal(mcp.tools.length, 1);
    const t = mcp.tools[0]!;
    assert.equal(t.idiom, 'registerTool');
    assert.equal(t.name, 'read');
    assert.equal(t.title, 'Read');
    assert.equal(t.description, 'Reads a file');
    assert.equal(text.slice(t.descriptionSpans[0]!.start, t.descriptionSpans[0]!.end), "'Reads a file'");
    assert.deepEqual(t.params.map((p) => [p.name, p.schema.kind, p.read]), [['path', 'string', true], ['mode', 'enum', true], ['note', 'string', false]]);
    assert.equal(t.params[0]!.description, 'File path');
    assert.deepEqual(t.params[1]!.schema.values, ['a', 'b']);
    assert.ok(t.annotations);
    assert.equal(mcp.transports[0]!.kind, 'stdio');
  });

  test('server.tool overloads: name+cb, description, shape, annotations', () => {
    const { mcp } = model(`
server.tool('a', async () => ({ content: [] }));
server.tool('b', 'desc b', async () => ({ content: [] }));
server.tool('c', { x: z.number().int() }, async ({ x }) => ({ content: [] }));
server.tool('d', 'desc d', { y: z.string().regex(/^[a-z]+$/) }, { destructiveHint: true }, async (args) => ({ content: [{ type: 'text', text: args.y }] }));
`);
    assert.deepEqual(mcp.tools.map((t) => [t.name, t.description ?? null, t.params.map((p) => p.schema.kind).join(',')]), [
      ['a', null, ''],
      ['b', 'desc b', ''],
      ['c', null, 'integer'],
      ['d', 'desc d', 'regex'],
    ]);
    assert.equal(mcp.tools[3]!.params[0]!.schema.pattern, '^[a-z]+$');
    assert.equal(mcp.tools[3]!.params[0]!.read, true);
    assert.ok(mcp.tools[3]!.annotations);
  });

  test('prompts, resource templates and low-level handlers', () => {
    const { sf, mcp } = model(`
server.registerPrompt('review', { description: 'Review code', argsSchema: { code: z.string() } }, ({ code }) => ({ messages: [] }));
server.registerResource('file', new ResourceTemplate('file:///{name}', { list: undefined }), { description: 'A file' }, async (uri, { name }) => ({ contents: [] }));
server.resource('static', 'config://app', async (uri) => ({ contents: [] }));
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'run', description: 'Runs', inputSchema: { type: 'object', properties: { cmd: { type: 'string', description: 'Command' } } } }] }));
server.setRequestHandler(CallToolRequestSchema, async (request) => { const x = request.params.arguments; return { content: [] }; });
const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
`);
    const kinds = mcp.registrations.map((r) => [r.kind, r.idiom, r.name ?? null, r.inputShape]);
    assert.deepEqual(kinds, [
      ['prompt', 'registerPrompt', 'review', 'args'],
      ['resource', 'registerResource', 'file', 'resource-template'],
      ['resource', 'resource', 'static', 'resource'],
      ['tool', 'listTools', 'run', 'request'],
      ['tool', 'setRequestHandler', null, 'request'],
    ]);
    assert.deepEqual(mcp.registrations[1]!.params.map((p) => p.name), ['name']);
    assert.equal(mcp.registrations[3]!.params[0]!.description, 'Command');
    assert.equal(mcp.transports[0]!.kind, 'streamable-http');
    assert.ok(mcp.transports[0]!.options);
    // handlerOf: a node inside the low-level handler maps to it.
    const low = mcp.registrations[4]!;
    let inner: import('typescript').Node | undefined;
    const find = (n: import('typescript').Node): void => {
      if (n.getText(sf) === 'request.params.arguments') inner = n;
      n.forEachChild(find);
    };
    find(sf);
    assert.equal(mcp.handlerOf(inner!), low);
    assert.equal(mcp.isInHandler(sf.statements[0]!), false);
  });

  test('malformed code never throws', () => {
    for (const text of ['server.tool(', 'server.registerTool("x", {', 'new McpServer(', 'server.setRequestHandler(CallToolRequestSchema, async (r) => { r.params.', 'server.resource("a", new ResourceTemplate(']) {
      assert.doesNotThrow(() => model(text));
    }
  });
});
