import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLinter } from '../../src/core';
import { parsePy } from './helpers';

test('tree-sitter offsets from @vscode/tree-sitter-wasm are UTF-16 code units', async () => {
  // 'é' is 2 UTF-8 bytes and '😀' 4 (a surrogate pair in UTF-16): byte offsets would drift by 4.
  const text = 'x = "héllo 😀"\ny = os.system(x)\n';
  const src = await parsePy(text);
  const stack = [src.root];
  let call;
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') call = n;
    stack.push(...n.children);
  }
  assert.ok(call);
  assert.equal(call.start, text.indexOf('os.system'));
  assert.equal(call.text, 'os.system(x)');
});

test('findings in a non-ASCII file point at the right columns', async () => {
  const linter = await createLinter();
  const text = [
    'import subprocess',
    'from mcp.server.fastmcp import FastMCP',
    'mcp = FastMCP("ünïcødé 😀")',
    '@mcp.tool()',
    'def run(cmd: str) -> str:',
    '    """Führt 😀 aus."""',
    '    return subprocess.check_output(f"echo 😀 {cmd}", shell=True).decode()',
  ].join('\n');
  const r = linter.lintText('/virtual/u.py', text);
  const f = r.findings.find((x) => x.ruleId === 'no-command-injection');
  assert.ok(f, 'expected a finding');
  assert.equal(text.slice(f.location.span.start, f.location.span.end), 'subprocess.check_output(f"echo 😀 {cmd}", shell=True)');
  assert.equal(f.location.startLine, 7);
  assert.equal(f.location.startColumn, 12);
});
