import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerSpec } from './types';

/** A configuration or discovery problem the user must fix: exit code 2. */
export class DiscoveryError extends Error {}

/** Removes // and /* comments and trailing commas (VS Code's mcp.json is JSONC). */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      i = i < 0 ? text.length : i + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

interface ExpandContext {
  readonly workspaceFolder: string;
  readonly env: NodeJS.ProcessEnv;
  /** Names of ${env:X} variables met while expanding: they hold secrets when used in headers. */
  readonly usedEnv?: Set<string>;
}

/** The environment variable an `${input:id}` is read from. */
export function inputEnvName(id: string): string {
  return `MCP_WARDEN_INPUT_${id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/** Expands ${workspaceFolder}, ${userHome}, ${env:X} and ${input:id} (read from MCP_WARDEN_INPUT_<ID>). */
export function expandVariables(value: string, ctx: ExpandContext): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, expr: string) => {
    if (expr === 'workspaceFolder' || expr === 'workspaceRoot') return ctx.workspaceFolder;
    if (expr === 'workspaceFolderBasename') return path.basename(ctx.workspaceFolder);
    if (expr === 'userHome') return os.homedir();
    if (expr === 'pathSeparator' || expr === '/') return path.sep;
    if (expr.startsWith('env:')) {
      const name = expr.slice(4);
      ctx.usedEnv?.add(name);
      return ctx.env[name] ?? '';
    }
    if (expr.startsWith('input:')) {
      const id = expr.slice(6);
      const name = inputEnvName(id);
      const v = ctx.env[name] ?? ctx.env[id];
      if (v === undefined) throw new DiscoveryError(`the configuration asks for input '${id}': set ${name} in the environment`);
      ctx.usedEnv?.add(ctx.env[name] !== undefined ? name : id);
      return v;
    }
    return whole;
  });
}

type Json = Record<string, unknown>;

/** KEY=value lines of a dotenv file (VS Code's `envFile`); quotes around values are removed. */
function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DiscoveryError(`cannot read envFile '${file}': ${(err as Error).message}`);
  }
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function record(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Json)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Server specs from a VS Code mcp.json (`servers`) or a Claude/Cursor file (`mcpServers`). */
export function loadConfigFile(file: string, opts: { workspaceFolder: string; env: NodeJS.ProcessEnv }): ServerSpec[] {
  let doc: Json;
  try {
    doc = JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8'))) as Json;
  } catch (err) {
    throw new DiscoveryError(`cannot read '${file}': ${(err as Error).message}`);
  }
  const entries = (doc.servers ?? doc.mcpServers ?? (doc.mcp as Json | undefined)?.servers) as Json | undefined;
  if (!entries || typeof entries !== 'object') throw new DiscoveryError(`'${file}' has no 'servers' or 'mcpServers' object`);
  const specs: ServerSpec[] = [];
  for (const [name, raw] of Object.entries(entries)) {
    const s = raw as Json;
    if (!s || typeof s !== 'object' || s.disabled === true) continue;
    const usedEnv = new Set<string>();
    const x = (v: string) => expandVariables(v, { workspaceFolder: opts.workspaceFolder, env: opts.env, usedEnv });
    const envEntries = Object.entries(record(s.env)).map(([k, v]) => [k, x(v)] as const);
    const env = { ...(typeof s.envFile === 'string' ? readEnvFile(path.resolve(opts.workspaceFolder, x(s.envFile))) : {}), ...Object.fromEntries(envEntries) };
    const cwd = typeof s.cwd === 'string' ? path.resolve(opts.workspaceFolder, x(s.cwd)) : opts.workspaceFolder;
    const type = typeof s.type === 'string' ? s.type : s.url ? 'http' : 'stdio';
    if (typeof s.url === 'string' && type !== 'stdio') {
      usedEnv.clear();
      const headers = Object.fromEntries(Object.entries(record(s.headers)).map(([k, v]) => [k, x(v)]));
      specs.push({
        name,
        transport: 'http',
        url: x(s.url),
        headers,
        ...(typeof s.command === 'string' ? { command: x(s.command), args: strings(s.args).map(x), cwd, env } : {}),
        ...(usedEnv.size > 0 ? { secretEnv: [...usedEnv] } : {}),
        ...(type === 'sse' ? { unsupported: 'it uses the legacy HTTP+SSE transport; the harness speaks Streamable HTTP' } : {}),
        origin: file,
        configFile: file,
      });
    } else if (typeof s.command === 'string') {
      specs.push({ name, transport: 'stdio', command: x(s.command), args: strings(s.args).map(x), cwd, env, origin: file, configFile: file });
    }
  }
  return specs;
}

function readJson(file: string): Json | undefined {
  try {
    return JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8'))) as Json;
  } catch {
    return undefined;
  }
}

const SDK_PACKAGES = ['@modelcontextprotocol/sdk', 'fastmcp', 'mcp-framework', '@modelcontextprotocol/server'];

/** The tsx binary: the project's own, else the one shipped next to MCP Warden. */
function tsxBinary(project: string): string | undefined {
  // The project's own tsx first, also where a workspace or monorepo hoisted it to a parent
  // folder (as node's module resolution would find it), then the one installed beside us.
  return findUp(path.resolve(project), path.join('node_modules', '.bin', 'tsx')) ?? findUp(__dirname, path.join('node_modules', '.bin', 'tsx'));
}

/** `rel` in `dir` or the nearest ancestor that has it. */
function findUp(dir: string, rel: string): string | undefined {
  for (;;) {
    const candidate = path.join(dir, rel);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A command that runs `file` (JS with node, TS with tsx; a missing built file falls back to its TS source). */
function runFile(project: string, file: string): { command: string; args: string[] } | undefined {
  const abs = path.resolve(project, file);
  if (/\.[cm]?js$/.test(abs) && fs.existsSync(abs)) return { command: process.execPath, args: [abs] };
  const tsCandidates = /\.[cm]?ts$/.test(abs) ? [abs] : sourceOf(project, abs);
  const ts = tsCandidates.find((f) => fs.existsSync(f));
  if (!ts) return undefined;
  const tsx = tsxBinary(project);
  return tsx ? { command: tsx, args: [ts] } : undefined;
}

/** dist/index.js -> src/index.ts and friends. */
function sourceOf(project: string, built: string): string[] {
  const rel = path.relative(project, built).replace(/\.[cm]?js$/, '');
  const parts = rel.split(path.sep);
  const tail = ['dist', 'build', 'out', 'lib'].includes(parts[0]!) ? parts.slice(1).join(path.sep) : rel;
  return ['.ts', '.mts', '.cts'].flatMap((ext) => [path.join(project, 'src', tail + ext), path.join(project, tail + ext)]);
}

function fromPackageJson(project: string): ServerSpec | undefined {
  const pkg = readJson(path.join(project, 'package.json'));
  if (!pkg) return undefined;
  const deps = { ...(pkg.dependencies as Json | undefined), ...(pkg.devDependencies as Json | undefined), ...(pkg.peerDependencies as Json | undefined) };
  if (!SDK_PACKAGES.some((d) => d in deps)) return undefined;
  const name = typeof pkg.name === 'string' ? pkg.name : path.basename(project);
  const candidates: string[] = [];
  if (typeof pkg.bin === 'string') candidates.push(pkg.bin);
  else if (pkg.bin && typeof pkg.bin === 'object') candidates.push(...Object.values(pkg.bin as Json).filter((v): v is string => typeof v === 'string'));
  const start = (pkg.scripts as Json | undefined)?.start;
  if (typeof start === 'string') {
    const m = /(?:^|\s)(?:node|tsx|ts-node|bun)\s+(?:--?[\w-]+(?:=\S+)?\s+)*([^\s&|;]+\.[cm]?[jt]s)\b/.exec(start);
    if (m) candidates.push(m[1]!);
  }
  if (typeof pkg.main === 'string') candidates.push(pkg.main);
  candidates.push('src/index.ts', 'index.js', 'src/server.ts', 'server.js');
  for (const c of candidates) {
    const run = runFile(project, c);
    if (run) return { name, transport: 'stdio', ...run, cwd: project, origin: `${path.join(project, 'package.json')} (${c})`, configFile: path.join(project, 'package.json') };
  }
  return undefined;
}

function hasPythonMcp(project: string): boolean {
  const dep = /^\s*["']?(?:mcp|fastmcp)(?:\[[^\]]*\])?\s*(?:[<>=~!;,"'\]]|$)/m;
  for (const f of ['pyproject.toml', 'requirements.txt', 'requirements.in', 'setup.cfg']) {
    try {
      const text = fs.readFileSync(path.join(project, f), 'utf8');
      if (dep.test(text) || /["'](?:mcp|fastmcp)(?:\[[^\]]*\])?\s*(?:[<>=~!][^"']*)?["']/.test(text)) return true;
    } catch {
      // Absent.
    }
  }
  return false;
}

function onPath(bin: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, bin)));
}

function fromPython(project: string, env: NodeJS.ProcessEnv): ServerSpec | undefined {
  if (!hasPythonMcp(project)) return undefined;
  const venv = ['.venv', 'venv'].map((d) => path.join(project, d, 'bin', 'python')).find((p) => fs.existsSync(p));
  const python = venv ?? 'python3';
  const name = path.basename(project);
  const origin = path.join(project, fs.existsSync(path.join(project, 'pyproject.toml')) ? 'pyproject.toml' : 'requirements.txt');
  const configFile = origin;
  const pyproject = (() => {
    try {
      return fs.readFileSync(path.join(project, 'pyproject.toml'), 'utf8');
    } catch {
      return '';
    }
  })();
  const script = /\[project\.scripts\]\s*\n\s*["']?([\w.-]+)["']?\s*=/.exec(pyproject)?.[1];
  if (script && !venv && fs.existsSync(path.join(project, 'uv.lock')) && onPath('uv', env)) {
    return { name, transport: 'stdio', command: 'uv', args: ['run', '--frozen', script], cwd: project, origin, configFile };
  }
  for (const f of ['server.py', 'main.py', 'app.py']) {
    if (fs.existsSync(path.join(project, f))) return { name, transport: 'stdio', command: python, args: [f], cwd: project, origin, configFile };
  }
  for (const base of ['src', '.']) {
    let dirs: string[] = [];
    try {
      dirs = fs.readdirSync(path.join(project, base));
    } catch {
      continue;
    }
    for (const d of dirs) {
      if (fs.existsSync(path.join(project, base, d, '__main__.py'))) {
        return { name, transport: 'stdio', command: python, args: ['-m', d], cwd: project, env: base === 'src' ? { PYTHONPATH: path.join(project, 'src') } : {}, origin, configFile };
      }
    }
  }
  return undefined;
}

const INTERPRETERS = /^(?:node|nodejs|tsx|ts-node|bun|deno|python\d*(?:\.\d+)?|uv|uvx|npx|pnpm|yarn)$/;

/** A readable server name: the script an interpreter runs, else the program. */
function commandName(command: string, args: readonly string[]): string {
  const program = path.basename(command);
  if (!INTERPRETERS.test(program)) return program;
  const script = args.find((a) => !a.startsWith('-') && /[./]/.test(a));
  return script ? path.basename(script) : program;
}

export interface DiscoverOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly config?: string;
  readonly server?: string;
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
}

/**
 * The servers to attack: the `--` command and/or `--url`, else `--config`, else the project's
 * .vscode/mcp.json, .cursor/mcp.json or .mcp.json, else its package.json or Python project.
 * `--server` picks one by name.
 */
export function discoverServers(o: DiscoverOptions): ServerSpec[] {
  let specs: ServerSpec[];
  if (o.command?.length || o.url) {
    const [command, ...args] = o.command ?? [];
    const name = o.server ?? (command ? commandName(command, args) : new URL(o.url!.replace('{port}', '0')).host.replace(/:0$/, ''));
    const usedEnv = new Set<string>();
    const headers = Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, expandVariables(v, { workspaceFolder: o.cwd, env: o.env, usedEnv })]));
    specs = [
      {
        name,
        transport: o.url ? 'http' : 'stdio',
        ...(command ? { command, args, cwd: o.cwd } : {}),
        ...(o.url ? { url: o.url, headers } : {}),
        ...(usedEnv.size > 0 ? { secretEnv: [...usedEnv] } : {}),
        origin: 'command line',
      },
    ];
    return specs;
  }
  if (o.config) {
    const file = path.resolve(o.cwd, o.config);
    specs = loadConfigFile(file, { workspaceFolder: o.cwd, env: o.env });
  } else {
    specs = [];
    for (const rel of ['.vscode/mcp.json', '.cursor/mcp.json', '.mcp.json']) {
      const file = path.join(o.cwd, rel);
      if (fs.existsSync(file)) {
        specs = loadConfigFile(file, { workspaceFolder: o.cwd, env: o.env });
        if (specs.length > 0) break;
      }
    }
    if (specs.length === 0) {
      const found = fromPackageJson(o.cwd) ?? fromPython(o.cwd, o.env);
      if (found) specs = [found];
    }
    if (specs.length === 0) {
      throw new DiscoveryError(
        `no MCP server found in '${o.cwd}' (looked for .vscode/mcp.json, .cursor/mcp.json, .mcp.json, a package.json depending on the MCP SDK, a Python project depending on mcp or fastmcp); pass '-- COMMAND ARG...' or --url`,
      );
    }
  }
  if (o.server) {
    const picked = specs.filter((s) => s.name === o.server);
    if (picked.length === 0) throw new DiscoveryError(`no server named '${o.server}' (found: ${specs.map((s) => `'${s.name}'`).join(', ') || 'none'})`);
    return picked;
  }
  return specs;
}
