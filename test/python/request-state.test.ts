import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createLinter } from '../../src/core';
import type { AnalysisHost } from '../../src/core/engine';

/**
 * What a project's middleware stores in each request's state (src/core/python/request-state.ts),
 * read back by a helper of another module that never imports the middleware's
 * (mcp-atlassian's CVE-2026-27826): found through the project's listing, and kept up to date
 * as the middleware's text changes in the same linter (the editor's case).
 */

const ROOT = path.resolve('/proj/app');

/** An in-memory project: file texts by path, folders listed from them. */
function projectHost(files: Map<string, string>): AnalysisHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile(f) {
      reads.push(path.resolve(f));
      return files.get(path.resolve(f));
    },
    readDir(dir) {
      const d = path.resolve(dir);
      const names = new Set<string>();
      for (const f of files.keys()) {
        if (!f.startsWith(`${d}/`)) continue;
        names.add(f.slice(d.length + 1).split('/')[0]!);
      }
      return names.size > 0 ? [...names] : undefined;
    },
  };
}

const MIDDLEWARE_HEADER = `
from starlette.types import Receive, Scope, Send

class KeepHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", []))
        scope["state"]["upstream"] = headers.get(b"x-upstream-url")
        await self.app(scope, receive, send)
`;
const MIDDLEWARE_CONSTANT = MIDDLEWARE_HEADER.replace('headers.get(b"x-upstream-url")', '"https://api.example.com"');

const DEPS = `
import httpx
from fastmcp.server.dependencies import get_http_request

def upstream_client() -> httpx.Client:
    request = get_http_request()
    return httpx.Client(base_url=request.state.upstream)
`;

const SERVER = `
from fastmcp import FastMCP
from .deps import upstream_client

mcp = FastMCP("app")

@mcp.tool()
def status() -> str:
    return upstream_client().get("/status").text
`;

function project(middleware: string): Map<string, string> {
  return new Map([
    [path.join(ROOT, '__init__.py'), ''],
    [path.join(ROOT, 'server.py'), SERVER],
    [path.join(ROOT, 'deps.py'), DEPS],
    [path.join(ROOT, 'web', '__init__.py'), ''],
    [path.join(ROOT, 'web', 'middleware.py'), middleware],
  ]);
}

function ssrfLines(r: { findings: readonly { ruleId: string; location: { startLine: number } }[] }): number[] {
  return r.findings.filter((f) => f.ruleId === 'no-ssrf').map((f) => f.location.startLine);
}

describe('request state stored by middleware (Python)', () => {
  test('a header the middleware keeps in the request state reaches a client base URL in another module', async () => {
    const linter = await createLinter(undefined, ['python']);
    const host = projectHost(project(MIDDLEWARE_HEADER));
    const r = linter.lintText(path.join(ROOT, 'server.py'), SERVER, { host });
    assert.deepEqual(ssrfLines(r), [9]);
    const flow = r.findings.find((f) => f.ruleId === 'no-ssrf')!.flow!.map((s) => `${path.basename(s.location.file)}:${s.location.startLine} ${s.message}`);
    assert.ok(flow.includes("middleware.py:10 stored in the request state 'upstream'"), flow.join('\n'));
    assert.ok(flow.includes("deps.py:7 read from the request state 'upstream'"), flow.join('\n'));
  });

  test('a constant in the request state is not client data', async () => {
    const linter = await createLinter(undefined, ['python']);
    const host = projectHost(project(MIDDLEWARE_CONSTANT));
    assert.deepEqual(ssrfLines(linter.lintText(path.join(ROOT, 'server.py'), SERVER, { host })), []);
  });

  test('an edit of the middleware changes the next analysis in the same linter (no stale summary)', async () => {
    const linter = await createLinter(undefined, ['python']);
    const files = project(MIDDLEWARE_HEADER);
    const host = projectHost(files);
    assert.deepEqual(ssrfLines(linter.lintText(path.join(ROOT, 'server.py'), SERVER, { host })), [9]);
    files.set(path.join(ROOT, 'web', 'middleware.py'), MIDDLEWARE_CONSTANT);
    assert.deepEqual(ssrfLines(linter.lintText(path.join(ROOT, 'server.py'), SERVER, { host })), []);
    files.set(path.join(ROOT, 'web', 'middleware.py'), MIDDLEWARE_HEADER);
    assert.deepEqual(ssrfLines(linter.lintText(path.join(ROOT, 'server.py'), SERVER, { host })), [9]);
  });

  test('later analyses re-read the middleware, not the whole project', async () => {
    const linter = await createLinter(undefined, ['python']);
    const host = projectHost(project(MIDDLEWARE_HEADER));
    linter.lintText(path.join(ROOT, 'server.py'), SERVER, { host });
    host.reads.length = 0;
    linter.lintText(path.join(ROOT, 'deps.py'), DEPS, { host });
    const reread = host.reads.filter((f) => f.endsWith('.py') && !f.endsWith('__init__.py'));
    assert.ok(!reread.includes(path.join(ROOT, 'server.py')), `server.py was read again: ${reread.join(', ')}`);
    assert.ok(reread.includes(path.join(ROOT, 'web', 'middleware.py')), `middleware.py was not re-read: ${reread.join(', ')}`);
  });

  test('a file outside any package is indexed with its own folder only', async () => {
    const linter = await createLinter(undefined, ['python']);
    const files = new Map([
      ['/flat/server.py', SERVER.replace('from .deps import upstream_client', 'from deps import upstream_client')],
      ['/flat/deps.py', DEPS],
      ['/flat/middleware.py', MIDDLEWARE_HEADER],
      ['/flat/sub/other.py', MIDDLEWARE_HEADER.replace('"upstream"', '"other"')],
    ]);
    const host = projectHost(files);
    assert.deepEqual(ssrfLines(linter.lintText('/flat/server.py', files.get('/flat/server.py')!, { host })), [9]);
  });
});
