import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';

/** Suppressions on real findings of the core rules, through every engine, in both languages. */
let linter: Linter;
before(async () => {
  linter = await createLinter();
});

const summary = (file: string, text: string) => linter.lintText(file, text).findings.map((f) => `${f.location.startLine}:${f.ruleId}`);

test('TypeScript: a reformatted multi-line sink is covered from the line above its statement', () => {
  const text = [
    "import { exec } from 'node:child_process';",
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
    "import { z } from 'zod';",
    "const server = new McpServer({ name: 'x', version: '1.0.0' });",
    "server.tool('a', { host: z.string() }, async ({ host }) => {",
    '  // mcp-warden-disable-next-line no-command-injection -- host is checked by the gateway',
    '  const out =',
    '    exec(',
    '      `ping -c 1 ${host}`,',
    '    );',
    "  exec(`ping ${host}`); // mcp-warden-disable-line no-command-injection -- same",
    '  exec(`nslookup ${host}`);',
    "  return { content: [{ type: 'text', text: String(out) }] };",
    '});',
  ].join('\n');
  assert.deepEqual(summary('server.ts', text), ['12:no-command-injection']);
});

test('Python: file-level and next-line directives on real findings, reasons required', () => {
  const text = [
    '# mcp-warden-disable-file no-sql-string-building -- read-only replica, reviewed in #12',
    'import subprocess',
    'import sqlite3',
    'from mcp.server.fastmcp import FastMCP',
    'mcp = FastMCP("x")',
    'db = sqlite3.connect(":memory:")',
    '@mcp.tool()',
    'def run(host: str, q: str) -> str:',
    '    db.execute(f"SELECT * FROM t WHERE a = \'{q}\'")',
    '    # mcp-warden-disable-next-line no-command-injection',
    '    subprocess.run(',
    '        f"ping -c 1 {host}", shell=True',
    '    )',
    '    return ""',
  ].join('\n');
  assert.deepEqual(summary('server.py', text), ['10:invalid-suppression']);
});
