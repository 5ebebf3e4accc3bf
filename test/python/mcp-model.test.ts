import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelOf } from './helpers';
import { parseText, type ParsedText } from '../../src/core/python/incremental';
import { loadPythonParser } from '../../src/core/python/parser';
import { buildMcpModel } from '../../src/core/python/mcp-model';
import { ImportTable } from '../../src/core/python/names';
import { prng } from '../fuzz/generate';
import { pyFiles } from '../support/source-files';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generatePy } from '../../bench/gen-server.mjs';

describe('Python MCP model', () => {
  test('handlers registered by name: curried decorator, bound methods, loops, from_function, imports', async () => {
    const text = [
      'from mcp.server.fastmcp import FastMCP',
      'from mcp.server.fastmcp.tools import Tool',
      'from .handlers import grep',
      'import helpers',
      'mcp = FastMCP("n")',
      'def dig(name: str) -> str:',
      '    return name',
      'def whois(domain: str) -> str:',
      '    return domain',
      'def host(h: str) -> str:',
      '    return h',
      'mcp.tool(name="dns", description="DNS lookup.")(dig)',
      'mcp.add_tool(Tool.from_function(host, name="host_lookup"))',
      'for fn in (whois, grep):',
      '    mcp.add_tool(fn)',
      'mcp.resource("dns://{name}")(dig)',
      'mcp.tool()(helpers.tail)',
      'class Handler:',
      '    def __init__(self, mcp):',
      '        self.mcp = mcp',
      '        self.mcp.tool(name="run")(self.run)',
      '        self.mcp.add_tool(self.missing)',
      '        self.registry.add_tool(self.run)',
      '    def run(self, cmd: str) -> str:',
      '        return cmd',
      'registry.add_tool(whois)',
    ].join('\n');
    const m = await modelOf(text);
    assert.deepEqual(
      m.registrations.map((r) => [r.kind, r.name, r.idiom, r.handler?.child('name')?.text, r.params.map((p) => p.name).join(',')]),
      [
        ['tool', 'dns', 'decorator', 'dig', 'name'],
        ['tool', 'host_lookup', 'add-call', 'host', 'h'],
        ['tool', 'whois', 'add-call', 'whois', 'domain'],
        ['resource', 'dig', 'decorator', 'dig', 'name'],
        ['tool', 'run', 'decorator', 'run', 'cmd'],
      ],
    );
    assert.equal(m.registrations[0]!.description, 'DNS lookup.');
    assert.equal(m.registrations[3]!.uri, 'dns://{name}');
    assert.deepEqual(
      m.importedHandlers.map((h) => [h.kind, h.ref.text, h.call.text]),
      [
        ['tool', 'grep', 'mcp.add_tool(fn)'],
        ['tool', 'helpers.tail', 'mcp.tool()'],
      ],
    );
  });

  test('FastMCP server, decorated tools with name/description/docstring, params and Context', async () => {
    const text = [
      'from typing import Annotated, Literal',
      'from mcp.server.fastmcp import FastMCP, Context',
      'from pydantic import Field',
      'app = FastMCP("files", instructions="Reads files.")',
      '',
      '@app.tool(name="read_file", description="Read a file.")',
      'def read(path: Annotated[str, Field(description="Relative path")], mode: Literal["r", "rb"] = "r", ctx: Context = None) -> str:',
      '    return open(path, mode).read()',
      '',
      '@app.prompt()',
      'def greet(name: str, unused: str) -> str:',
      '    """Say hello.',
      '',
      '    Twice."""',
      '    return f"hi {name}"',
      '',
      '@app.resource("file://{name}")',
      'def res(name: str) -> str:',
      '    return name',
      '',
      'if __name__ == "__main__":',
      '    app.run(transport="streamable-http", host="0.0.0.0")',
    ].join('\n');
    const m = await modelOf(text);
    assert.equal(m.servers.length, 1);
    assert.equal(m.servers[0]!.variable, 'app');
    assert.equal(m.servers[0]!.flavor, 'fastmcp');
    assert.equal(m.servers[0]!.name, 'files');
    assert.equal(m.servers[0]!.instructions, 'Reads files.');
    assert.deepEqual(m.registrations.map((e) => [e.kind, e.name]), [['tool', 'read_file'], ['prompt', 'greet'], ['resource', 'res']]);
    const [tool, prompt, res] = m.registrations;
    assert.equal(tool!.description, 'Read a file.');
    assert.equal(text.slice(tool!.nameSpan.start, tool!.nameSpan.end), '"read_file"');
    assert.deepEqual(
      tool!.params.map((p) => [p.name, p.schema.kind, p.isContext, p.description ?? null]),
      [['path', 'string', false, 'Relative path'], ['mode', 'literal', false, null], ['ctx', 'context', true, null]],
    );
    assert.deepEqual(tool!.params[1]!.schema.values, ['r', 'rb']);
    assert.equal(prompt!.description, 'Say hello.\n\nTwice.');
    assert.deepEqual(prompt!.params.map((p) => [p.name, p.read]), [['name', true], ['unused', false]]);
    assert.equal(res!.uri, 'file://{name}');
    assert.equal(m.transports.length, 1);
    assert.equal(m.transports[0]!.kind, 'streamable-http');
    assert.equal(m.transports[0]!.host, '0.0.0.0');
    const inside = text.indexOf('open(path');
    assert.equal(m.handlerOf(inside)?.name, 'read_file');
    assert.equal(m.handlerOf(text.indexOf('app.run')), undefined);
  });

  test('standalone fastmcp, bare decorator, add_tool and default stdio run', async () => {
    const m = await modelOf(
      [
        'import fastmcp',
        'srv = fastmcp.FastMCP("x")',
        '@srv.tool',
        'def a(q: str): return q',
        'def b(q: int): return q',
        'srv.add_tool(b, name="bee")',
        'srv.run()',
      ].join('\n'),
    );
    assert.equal(m.servers[0]!.constructorName, 'fastmcp.FastMCP');
    assert.deepEqual(m.registrations.map((e) => [e.name, e.idiom]), [['a', 'decorator'], ['bee', 'add-call']]);
    assert.equal(m.registrations[1]!.params[0]!.schema.kind, 'integer');
    assert.deepEqual(m.transports.map((t) => t.kind), ['stdio']);
  });

  test('low-level Server: call_tool handler and Tool declarations', async () => {
    const m = await modelOf(
      [
        'from mcp.server.lowlevel import Server',
        'from mcp.server.stdio import stdio_server',
        'import mcp.types as types',
        'server = Server("low")',
        '@server.list_tools()',
        'async def list_tools():',
        '    return [types.Tool(name="run", description="Runs.", inputSchema={"type": "object", "properties": {"cmd": {"type": "string", "description": "Command"}}})]',
        '@server.call_tool()',
        'async def call(name: str, arguments: dict):',
        '    return arguments["cmd"]',
        'async def main():',
        '    async with stdio_server() as (r, w):',
        '        await server.run(r, w, server.create_initialization_options())',
      ].join('\n'),
    );
    assert.equal(m.servers[0]!.flavor, 'lowlevel');
    assert.deepEqual(m.lowLevelHandlers.map((h) => h.method), ['call_tool']);
    const tool = m.registrations[0]!;
    assert.equal(tool.idiom, 'lowlevel');
    assert.equal(tool.description, 'Runs.');
    assert.deepEqual(tool.params.map((p) => [p.name, p.schema.kind, p.description, p.read]), [['cmd', 'string', 'Command', true]]);
    assert.equal(tool.handler?.child('name')?.text, 'call');
    assert.ok(m.transports.some((t) => t.kind === 'stdio'));
  });
});

describe('Python MCP model: less common shapes', () => {
  test('a server imported from a sibling module and tools registered inside a function', async () => {
    const m = await modelOf(
      [
        'from .app import mcp',
        'def register(server):',
        '    @server.tool(description="Inner.")',
        '    def inner(q: str) -> str:',
        '        return q',
        '@mcp.prompt("greeting")',
        'def greet(name: str) -> str:',
        '    return name',
      ].join('\n'),
    );
    assert.deepEqual(m.registrations.map((r) => [r.kind, r.name, r.receiver]), [['tool', 'inner', 'server'], ['prompt', 'greeting', 'mcp']]);
    assert.equal(m.registrations[0]!.description, 'Inner.');
    assert.equal(m.isMcpFile, true);
  });

  test('uvicorn.run gives the HTTP transport its host', async () => {
    const m = await modelOf(
      [
        'import uvicorn',
        'from mcp.server.fastmcp import FastMCP',
        'mcp = FastMCP("h")',
        'app = mcp.streamable_http_app()',
        'uvicorn.run(app, host="0.0.0.0", port=8000)',
      ].join('\n'),
    );
    assert.deepEqual(m.transports.map((t) => [t.kind, t.host]), [['streamable-http', '0.0.0.0']]);
  });

  test('enum and optional annotations', async () => {
    const m = await modelOf(
      [
        'from enum import Enum',
        'from typing import Optional',
        'from mcp.server.fastmcp import FastMCP',
        'mcp = FastMCP("e")',
        'class Color(str, Enum):',
        '    RED = "red"',
        '@mcp.tool()',
        'def paint(color: Color, note: Optional[str] = None, size: int | None = None) -> str:',
        '    return color.value',
      ].join('\n'),
    );
    assert.deepEqual(
      m.tools[0]!.params.map((p) => [p.name, p.schema.kind, p.schema.optional, p.read]),
      [['color', 'enum', false, true], ['note', 'string', true, false], ['size', 'integer', true, false]],
    );
  });

  test('a plain Python file is not an MCP file', async () => {
    const m = await modelOf('import os\nprint(os.getcwd())\n');
    assert.equal(m.isMcpFile, false);
    assert.deepEqual(m.registrations, []);
  });
});

describe('Python MCP model across edits', () => {
  // The model keeps per-node answers (a handler's parameters, a docstring's cleaned text) for the
  // nodes copyTree passes on from the last version: after any edit, above all inside docstrings,
  // an incrementally parsed file's model must describe the tools exactly as a fresh parse's does.
  test('registrations after random edits, docstrings included, equal a fresh parse', async () => {
    const parser = await loadPythonParser();
    const inputs: [string, string][] = pyFiles(path.join(__dirname, '..', 'fixtures')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
    inputs.push(['/virtual/generated.py', generatePy(1000) as string]);
    const describe = (p: ParsedText): string =>
      JSON.stringify(buildMcpModel(p.source, new ImportTable(p.source.root)).registrations.map((r) => [r.kind, r.name, r.description, r.descriptionSpans, r.nameSpan, r.params.map((x) => [x.name, x.description, x.span])]));
    let compared = 0;
    let documented = 0;
    for (const [i, [file, original]] of inputs.entries()) {
      const rnd = prng(900 + i);
      let text = original;
      let doc = parseText(parser, file, text);
      try {
        for (let step = 0; step < 10; step++) {
          // Type into a docstring (its first or a later line, indentation included) or anywhere.
          const docs = [...text.matchAll(/"""/g)].map((m) => m.index! + 3);
          const at = docs.length > 0 && rnd() < 0.7 ? docs[Math.floor(rnd() * docs.length)]! : Math.floor(rnd() * (text.length + 1));
          const r = rnd();
          text = r < 0.6 ? `${text.slice(0, at)}${['q', '\n        more', '  ', '\n', 'x"""\n'][step % 5]}${text.slice(at)}` : r < 0.8 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 12)) : original;
          doc = parseText(parser, file, text, doc);
          const fresh = parseText(parser, file, text);
          try {
            const got = describe(doc);
            assert.equal(got, describe(fresh), `${path.basename(file)} step ${step}`);
            if (got.includes('"description"') || /"tool","[^"]*","/.test(got)) documented++;
            compared++;
          } finally {
            fresh.tree.delete();
          }
        }
      } finally {
        doc.tree.delete();
      }
    }
    assert.ok(compared > 100 && documented > 20, `${compared} models compared, ${documented} with descriptions`);
  });
});
