// Writes deterministic, realistic MCP server files of a given length for the on-type latency
// benchmark (issue 9): TypeScript on the official SDK and Python on FastMCP, built from the
// tool-handler shapes real servers use (shell commands, SQL, file reads, HTTP fetches, helper
// functions, prompts, resources, an HTTP bearer check), vulnerable and safe versions mixed.
//
//   node bench/gen-server.mjs            writes bench/.work/generated/server-{1000,5000}.{ts,py}
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const GENERATED_DIR = join(here, '.work', 'generated');

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ['host', 'repo', 'branch', 'table', 'user', 'project', 'bucket', 'cluster', 'ticket', 'invoice', 'note', 'image', 'report', 'log', 'job'];
const VERBS = ['get', 'list', 'read', 'check', 'sync', 'search', 'export', 'inspect', 'describe', 'count'];

function names(rand, i) {
  const noun = NOUNS[Math.floor(rand() * NOUNS.length)];
  const verb = VERBS[Math.floor(rand() * VERBS.length)];
  return { noun, verb, tool: `${verb}_${noun}_${i}`, fn: `${verb}${noun[0].toUpperCase()}${noun.slice(1)}${i}` };
}

const TS_HEADER = `import { exec, execFile, execSync } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);
const ROOT = path.resolve(process.env.DATA_DIR ?? './data');
const API_TOKEN = process.env.API_TOKEN ?? '';
const db = new Database(process.env.DB_PATH ?? ':memory:');

function text(value: string) {
  return { content: [{ type: 'text' as const, text: value }] };
}

function failure(err: unknown) {
  return { ...text(\`failed: \${(err as Error).message}\`), isError: true };
}

export const server = new McpServer({ name: 'generated', version: '1.0.0' }, { instructions: 'Operations tools.' });

export function checkAuth(req: IncomingMessage, res: ServerResponse): boolean {
  const header = req.headers.authorization ?? '';
  const token = header.replace(/^Bearer /, '');
  if (token !== API_TOKEN) {
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    return false;
  }
  return true;
}
`;

const TS_FOOTER = `
export async function main(): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  createServer((req, res) => {
    if (!checkAuth(req, res)) return;
    res.end('ok');
  }).listen(0, '127.0.0.1');
}
`;

const TS_TEMPLATES = [
  (n) => `
// Runs a diagnostic command for the ${n.noun}.
server.registerTool(
  '${n.tool}',
  {
    description: 'Run a diagnostic for one ${n.noun}.',
    inputSchema: { target: z.string().describe('The ${n.noun} to check'), verbose: z.boolean().optional() },
  },
  async ({ target, verbose }) => {
    try {
      const flags = verbose ? '-v' : '';
      const { stdout } = await execAsync(\`diag \${flags} --${n.noun} \${target}\`);
      return text(stdout.trim());
    } catch (err) {
      return failure(err);
    }
  },
);
`,
  (n) => `
// Same diagnostic without a shell: one argv entry per value.
server.registerTool(
  '${n.tool}',
  {
    description: 'Run a diagnostic for one ${n.noun} (argument array).',
    inputSchema: { target: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).describe('The ${n.noun} to check') },
  },
  async ({ target }) => {
    try {
      const { stdout } = await execFileAsync('diag', ['--${n.noun}', '--', target]);
      return text(stdout.trim());
    } catch (err) {
      return failure(err);
    }
  },
);
`,
  (n) => `
server.registerTool(
  '${n.tool}',
  {
    description: 'Search ${n.noun} records by name.',
    inputSchema: { name: z.string().describe('Name fragment'), limit: z.number().int().max(100).default(20) },
  },
  async ({ name, limit }) => {
    try {
      const sql = "SELECT id, name, updated_at FROM ${n.noun}s WHERE name LIKE '%" + name + "%' LIMIT " + limit;
      const rows = db.prepare(sql).all();
      return text(JSON.stringify(rows, null, 2));
    } catch (err) {
      return failure(err);
    }
  },
);
`,
  (n) => `
server.registerTool(
  '${n.tool}',
  {
    description: 'Look up one ${n.noun} by id.',
    inputSchema: { id: z.string().uuid().describe('The ${n.noun} id') },
  },
  async ({ id }) => {
    const row = db.prepare('SELECT * FROM ${n.noun}s WHERE id = ?').get(id);
    if (!row) return { ...text('not found'), isError: true };
    return text(JSON.stringify(row));
  },
);
`,
  (n) => `
server.registerTool(
  '${n.tool}',
  {
    description: 'Read a ${n.noun} file from the data folder.',
    inputSchema: { file: z.string().describe('Path relative to the data folder') },
  },
  async ({ file }) => {
    const full = path.resolve(ROOT, file);
    if (!full.startsWith(ROOT)) {
      return { ...text('access denied'), isError: true };
    }
    try {
      return text(await readFile(full, 'utf8'));
    } catch (err) {
      return failure(err);
    }
  },
);
`,
  (n) => `
server.registerTool(
  '${n.tool}',
  {
    description: 'Read a ${n.noun} file from the data folder (contained).',
    inputSchema: { file: z.string().describe('Path relative to the data folder') },
  },
  async ({ file }) => {
    try {
      const root = await realpath(ROOT);
      const full = await realpath(path.resolve(root, file));
      if (full !== root && !full.startsWith(root + path.sep)) {
        return { ...text('access denied'), isError: true };
      }
      const info = await stat(full);
      if (info.size > 1_000_000) return { ...text('file too large'), isError: true };
      return text(await readFile(full, 'utf8'));
    } catch (err) {
      return failure(err);
    }
  },
);
`,
  (n) => `
server.registerTool(
  '${n.tool}',
  {
    description: 'Fetch the ${n.noun} status page.',
    inputSchema: { url: z.string().url().describe('Status page address') },
  },
  async ({ url }) => {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) return { ...text(\`HTTP \${response.status}\`), isError: true };
    const body = await response.text();
    return text(body.slice(0, 10_000));
  },
);
`,
  (n) => `
function ${n.fn}Command(ref: string, extra: string[]): string {
  const args = extra.filter((a) => a.length > 0).join(' ');
  return execSync(\`git log --oneline \${ref} \${args}\`, { cwd: ROOT, encoding: 'utf8' });
}

server.tool(
  '${n.tool}',
  'Show recent ${n.noun} history.',
  { ref: z.string().describe('Branch or tag'), paths: z.array(z.string()).default([]) },
  async ({ ref, paths }) => {
    try {
      return text(${n.fn}Command(ref, paths));
    } catch (err) {
      return failure(err);
    }
  },
);
`,
  (n) => `
/** Summarises ${n.noun} rows for display. */
export function summarise${n.fn[0].toUpperCase()}${n.fn.slice(1)}(rows: Array<{ name: string; size: number; tags?: string[] }>): string {
  const total = rows.reduce((sum, r) => sum + r.size, 0);
  const tags = new Map<string, number>();
  for (const row of rows) {
    for (const tag of row.tags ?? []) tags.set(tag, (tags.get(tag) ?? 0) + 1);
  }
  const top = [...tags.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  const lines = rows.map((r) => \`- \${r.name}: \${(r.size / 1024).toFixed(1)} KiB\`);
  lines.push(\`total: \${(total / 1024).toFixed(1)} KiB\`);
  if (top.length > 0) lines.push(\`tags: \${top.map(([t, c]) => \`\${t} (\${c})\`).join(', ')}\`);
  return lines.join('\\n');
}
`,
  (n) => `
export class ${n.fn[0].toUpperCase()}${n.fn.slice(1)}Cache {
  private readonly entries = new Map<string, { value: string; expires: number }>();

  constructor(private readonly ttlMs = 30_000) {}

  get(key: string): string | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: string): void {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }
}
`,
  (n) => `
server.registerPrompt(
  '${n.tool}_prompt',
  {
    description: 'Draft a ${n.noun} summary.',
    argsSchema: { topic: z.string().describe('What the summary is about') },
  },
  ({ topic }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: \`Summarise the ${n.noun} notes about \${topic}.\` } }],
  }),
);
`,
  (n) => `
server.registerResource(
  '${n.tool}_resource',
  new ResourceTemplate('${n.noun}://{name}', { list: undefined }),
  { description: 'One ${n.noun} document.' },
  async (uri, { name }) => ({
    contents: [{ uri: uri.href, text: await readFile(path.join(ROOT, '${n.noun}s', String(name)), 'utf8') }],
  }),
);
`,
  (n) => `
server.registerTool(
  '${n.tool}',
  {
    description: 'List ${n.noun} entries in a folder.',
    inputSchema: { folder: z.enum(['incoming', 'archive', 'shared']).describe('Which folder') },
  },
  async ({ folder }) => {
    const entries = await readdir(path.join(ROOT, folder), { withFileTypes: true });
    const listing = entries.map((e) => (e.isDirectory() ? \`\${e.name}/\` : e.name)).sort();
    return text(listing.join('\\n'));
  },
);
`,
  (n) => `
export function verify${n.fn[0].toUpperCase()}${n.fn.slice(1)}Signature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
`,
];

const PY_HEADER = `"""Generated FastMCP server for the MCP Warden latency benchmark."""
import hmac
import os
import sqlite3
import subprocess
from pathlib import Path

import httpx
from mcp.server.fastmcp import Context, FastMCP

ROOT = Path(os.environ.get("DATA_DIR", "./data")).resolve()
API_TOKEN = os.environ.get("API_TOKEN", "")
conn = sqlite3.connect(os.environ.get("DB_PATH", ":memory:"))
mcp = FastMCP("generated", instructions="Operations tools.")


def check_token(header: str) -> bool:
    token = header.removeprefix("Bearer ")
    return token == API_TOKEN
`;

const PY_FOOTER = `

if __name__ == "__main__":
    mcp.run()
`;

const PY_TEMPLATES = [
  (n) => `

@mcp.tool()
def ${n.tool}(target: str, verbose: bool = False) -> str:
    """Run a diagnostic for one ${n.noun}."""
    flags = "-v" if verbose else ""
    result = subprocess.run(f"diag {flags} --${n.noun} {target}", shell=True, capture_output=True, text=True)
    return result.stdout.strip()
`,
  (n) => `

@mcp.tool()
def ${n.tool}(target: str) -> str:
    """Run a diagnostic for one ${n.noun} (argument list)."""
    result = subprocess.run(["diag", "--${n.noun}", "--", target], capture_output=True, text=True, check=False)
    return result.stdout.strip()
`,
  (n) => `

@mcp.tool()
def ${n.tool}(name: str, limit: int = 20) -> list:
    """Search ${n.noun} records by name."""
    cur = conn.cursor()
    cur.execute(f"SELECT id, name FROM ${n.noun}s WHERE name LIKE '%{name}%' LIMIT {limit}")
    return cur.fetchall()
`,
  (n) => `

@mcp.tool()
def ${n.tool}(item_id: str) -> dict | None:
    """Look up one ${n.noun} by id."""
    cur = conn.execute("SELECT * FROM ${n.noun}s WHERE id = ?", (item_id,))
    row = cur.fetchone()
    return dict(zip([c[0] for c in cur.description], row)) if row else None
`,
  (n) => `

@mcp.tool()
def ${n.tool}(file: str) -> str:
    """Read a ${n.noun} file from the data folder."""
    full = os.path.abspath(os.path.join(ROOT, file))
    if not full.startswith(str(ROOT)):
        raise ValueError("access denied")
    with open(full, encoding="utf-8") as handle:
        return handle.read()
`,
  (n) => `

@mcp.tool()
def ${n.tool}(file: str) -> str:
    """Read a ${n.noun} file from the data folder (contained)."""
    full = (ROOT / file).resolve()
    if not full.is_relative_to(ROOT):
        raise ValueError("access denied")
    return full.read_text(encoding="utf-8")
`,
  (n) => `

@mcp.tool()
async def ${n.tool}(url: str, ctx: Context) -> str:
    """Fetch the ${n.noun} status page."""
    await ctx.info(f"fetching {url}")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(url)
    return response.text[:10_000]
`,
  (n) => `

def ${n.tool}_command(ref: str, extra: list[str]) -> str:
    args = " ".join(a for a in extra if a)
    return subprocess.check_output(f"git log --oneline {ref} {args}", shell=True, cwd=ROOT, text=True)


@mcp.tool()
def ${n.tool}(ref: str, paths: list[str] | None = None) -> str:
    """Show recent ${n.noun} history."""
    return ${n.tool}_command(ref, paths or [])
`,
  (n) => `

def summarise_${n.tool}(rows: list[dict]) -> str:
    """Summarise ${n.noun} rows for display."""
    total = sum(r["size"] for r in rows)
    tags: dict[str, int] = {}
    for row in rows:
        for tag in row.get("tags", []):
            tags[tag] = tags.get(tag, 0) + 1
    top = sorted(tags.items(), key=lambda kv: -kv[1])[:5]
    lines = [f"- {r['name']}: {r['size'] / 1024:.1f} KiB" for r in rows]
    lines.append(f"total: {total / 1024:.1f} KiB")
    if top:
        lines.append("tags: " + ", ".join(f"{t} ({c})" for t, c in top))
    return "\\n".join(lines)
`,
  (n) => `

@mcp.prompt()
def ${n.tool}_prompt(topic: str) -> str:
    """Draft a ${n.noun} summary."""
    return f"Summarise the ${n.noun} notes about {topic}."
`,
  (n) => `

@mcp.resource("${n.noun}://{name}")
def ${n.tool}_resource(name: str) -> str:
    """One ${n.noun} document."""
    return (ROOT / "${n.noun}s" / name).read_text(encoding="utf-8")
`,
  (n) => `

def verify_${n.tool}(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
`,
];

function lineCount(s) {
  return s.split('\n').length - 1;
}

function generate(targetLines, seed, header, footer, templates, filler) {
  const rand = prng(seed);
  let body = '';
  let used = lineCount(header) + lineCount(footer);
  for (let i = 0; ; i++) {
    const chunk = templates[i % templates.length](names(rand, i));
    if (used + lineCount(chunk) > targetLines) break;
    body += chunk;
    used += lineCount(chunk);
  }
  // Pad with one-line constants so every file has exactly the requested number of lines.
  let pad = '';
  for (let k = 0; used < targetLines; k++, used++) pad += filler(k, Math.floor(rand() * 9000) + 1000);
  return header + pad + body + footer;
}

/** A TypeScript MCP server (official SDK) of exactly `lines` lines. */
export function generateTs(lines, seed = 1) {
  return generate(lines, seed, TS_HEADER, TS_FOOTER, TS_TEMPLATES, (k, v) => `export const LIMIT_${k} = ${v};\n`);
}

/** A Python FastMCP server of exactly `lines` lines. */
export function generatePy(lines, seed = 1) {
  return generate(lines, seed, PY_HEADER, PY_FOOTER, PY_TEMPLATES, (k, v) => `LIMIT_${k} = ${v}\n`);
}

/** Writes the benchmark inputs; returns their paths keyed by `${language}-${lines}`. */
export function writeGenerated(sizes = [1000, 5000]) {
  mkdirSync(GENERATED_DIR, { recursive: true });
  const out = {};
  for (const n of sizes) {
    const ts = join(GENERATED_DIR, `server-${n}.ts`);
    const py = join(GENERATED_DIR, `server_${n}.py`);
    writeFileSync(ts, generateTs(n));
    writeFileSync(py, generatePy(n));
    out[`typescript-${n}`] = ts;
    out[`python-${n}`] = py;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [k, p] of Object.entries(writeGenerated())) console.log(`${k.padEnd(16)} ${p}`);
}
