import * as fs from 'node:fs';
import * as path from 'node:path';

/** A server the user can run the harness on, and the CLI arguments that select it. */
export interface HarnessTarget {
  /** Shown in the quick pick and as the Test Explorer server item. */
  readonly label: string;
  readonly detail: string;
  /** Workspace folder the harness runs in (`--cwd`). */
  readonly folder: string;
  /** Arguments after `harness --events`. */
  readonly args: readonly string[];
  /**
   * True when the target is exactly one named server (mcp.json entry, configured server); false
   * when the CLI discovers the project's servers, whose names come from its events.
   */
  readonly named: boolean;
}

/** A server from `mcpWarden.harness.servers`. */
export interface ConfiguredServer {
  readonly name?: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Removes // and /* *\/ comments and trailing commas (mcp.json is JSONC), leaving strings alone. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** Server names declared in a VS Code `mcp.json` (`servers`) or a Claude/Cursor-style file (`mcpServers`). */
export function mcpJsonServers(text: string): Array<{ name: string; kind: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripJsonc(text));
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const obj = parsed as Record<string, unknown>;
  const servers = (obj.servers ?? obj.mcpServers) as Record<string, unknown> | undefined;
  if (typeof servers !== 'object' || servers === null) return [];
  return Object.entries(servers).map(([name, spec]) => {
    const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
    const kind = typeof s.url === 'string' || s.type === 'http' || s.type === 'sse' ? 'http' : 'stdio';
    return { name, kind };
  });
}

/**
 * Every server the harness can run in these folders: each server of `.vscode/mcp.json`, each
 * configured server, and, for a folder with neither, the CLI's own discovery (package.json,
 * pyproject.toml).
 */
export function harnessTargets(folders: readonly string[], configured: (folder: string) => readonly ConfiguredServer[]): HarnessTarget[] {
  const out: HarnessTarget[] = [];
  for (const folder of folders) {
    const before = out.length;
    const mcpJson = path.join(folder, '.vscode', 'mcp.json');
    let text: string | undefined;
    try {
      text = fs.readFileSync(mcpJson, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      for (const s of mcpJsonServers(text)) {
        out.push({
          label: s.name,
          detail: `${s.kind} server from .vscode/mcp.json in ${path.basename(folder)}`,
          folder,
          args: ['--cwd', folder, '--config', mcpJson, '--server', s.name],
          named: true,
        });
      }
    }
    configured(folder).forEach((s, i) => {
      const name = s.name ?? `server ${i + 1}`;
      const headers = Object.entries(s.headers ?? {}).flatMap(([k, v]) => ['--header', `${k}: ${v}`]);
      if (s.url) {
        out.push({ label: name, detail: `${s.url} (settings)`, folder, args: ['--cwd', folder, '--url', s.url, ...headers], named: true });
      } else if (s.command) {
        out.push({
          label: name,
          detail: `${[s.command, ...(s.args ?? [])].join(' ')} (settings)`,
          folder,
          args: ['--cwd', folder, '--', s.command, ...(s.args ?? [])],
          named: true,
        });
      }
    });
    if (out.length === before) {
      out.push({ label: path.basename(folder), detail: `servers discovered in ${path.basename(folder)}`, folder, args: ['--cwd', folder], named: false });
    }
  }
  return out;
}
