import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** The committed tool manifest: a rug pull (changed description or schema) shows up as drift. */
export const LOCK_FILE = 'mcp-warden.lock.json';

interface LockedTool {
  readonly description: string;
  readonly inputSchema: unknown;
}

interface LockFile {
  readonly version: 1;
  readonly servers: Record<string, { readonly tools: Record<string, LockedTool> }>;
}

/** Key order must not count as drift. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function lockedTools(tools: readonly Tool[]): Record<string, LockedTool> {
  const out: Record<string, LockedTool> = {};
  for (const t of [...tools].sort((a, b) => a.name.localeCompare(b.name))) {
    out[t.name] = { description: t.description ?? '', inputSchema: canonical(t.inputSchema) };
  }
  return out;
}

function read(file: string): LockFile | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockFile;
    return parsed && parsed.version === 1 && parsed.servers ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Records the live tools of `server` in the lock file (other servers' entries are kept). */
export function updateLock(dir: string, server: string, tools: readonly Tool[]): string {
  const file = path.join(dir, LOCK_FILE);
  const existing = read(file) ?? { version: 1 as const, servers: {} };
  const servers = { ...existing.servers, [server]: { tools: lockedTools(tools) } };
  const sorted = Object.fromEntries(Object.keys(servers).sort().map((k) => [k, servers[k]!]));
  fs.writeFileSync(file, `${JSON.stringify({ version: 1, servers: sorted }, null, 2)}\n`);
  return file;
}

export type LockDiff = { readonly status: 'no-lock' | 'no-entry' } | { readonly status: 'ok' } | { readonly status: 'drift'; readonly changes: string[] };

/** Differences between the live tools and the lock file's entry for `server`. */
export function diffLock(dir: string, server: string, tools: readonly Tool[]): LockDiff {
  const lock = read(path.join(dir, LOCK_FILE));
  if (!lock) return { status: 'no-lock' };
  const entry = lock.servers[server];
  if (!entry) return { status: 'no-entry' };
  const live = lockedTools(tools);
  const changes: string[] = [];
  for (const name of Object.keys(entry.tools)) if (!live[name]) changes.push(`tool '${name}' was removed`);
  for (const [name, t] of Object.entries(live)) {
    const old = entry.tools[name];
    if (!old) {
      changes.push(`tool '${name}' was added`);
      continue;
    }
    if (old.description !== t.description) changes.push(`the description of '${name}' changed to ${JSON.stringify(t.description.slice(0, 200))}`);
    if (JSON.stringify(canonical(old.inputSchema)) !== JSON.stringify(t.inputSchema)) changes.push(`the inputSchema of '${name}' changed`);
  }
  return changes.length > 0 ? { status: 'drift', changes } : { status: 'ok' };
}
