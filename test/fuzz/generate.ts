/**
 * Fuzz cases for the analyzers (issue 9): every case is a file name and a text, derived only
 * from (seed, index) and the seed files, so any failure can be replayed alone with
 * `npm run fuzz -- --seed S --case I`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileProblem } from '../../src/core';

/** A file to analyse. `name` carries the extension that picks the engine. */
export interface FuzzCase {
  readonly index: number;
  /** What produced the text, e.g. "mutate(no-path-traversal/read.ts)x3" or "nested-parens(9000)". */
  readonly kind: string;
  readonly name: string;
  readonly text: string;
  /** A problem the case must end with (e.g. 'too-large' for a 5 MB bundle), when it is certain. */
  readonly expect?: FileProblem['kind'];
}

/** A seed file the mutators start from. */
export interface SeedFile {
  readonly name: string;
  readonly text: string;
}

/** mulberry32: tiny, fast, identical on every platform for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Independent stream per case so that a case does not depend on the ones before it. */
function caseRandom(seed: number, index: number): () => number {
  const r = prng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0);
  r();
  return r;
}

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '__pycache__') walk(p, out);
    } else if (e.isFile() && SOURCE_EXT.test(e.name)) {
      out.push(p);
    }
  }
}

/** Small MCP servers that seed the mutators even when no fixture exists yet. */
const BUILTIN_SEEDS: readonly SeedFile[] = [
  {
    name: 'builtin/server.ts',
    text: `import { exec } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileProblem } from '../../src/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const ROOT = path.resolve('data');
const server = new McpServer({ name: 'seed', version: '1.0.0' });

server.registerTool('ping', { description: 'Ping a host.', inputSchema: { host: z.string() } }, async ({ host }) => {
  const out = await new Promise<string>((resolve) => exec(\`ping -c 1 \${host}\`, (_e, stdout) => resolve(stdout)));
  return { content: [{ type: 'text', text: out }] };
});

server.tool('read', 'Read a file.', { file: z.string() }, async ({ file }) => {
  const full = path.resolve(ROOT, file);
  if (!full.startsWith(ROOT)) throw new Error('denied');
  return { content: [{ type: 'text', text: await readFile(full, 'utf8') }] };
});

export function check(token: string): boolean {
  return token === process.env.API_TOKEN;
}
`,
  },
  {
    name: 'builtin/server.py',
    text: `import os
import sqlite3
import subprocess

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("seed")
conn = sqlite3.connect(":memory:")


@mcp.tool()
def ping(host: str) -> str:
    """Ping a host."""
    return subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True).stdout


@mcp.tool()
def search(name: str) -> list:
    """Search rows."""
    return conn.execute(f"SELECT * FROM t WHERE name = '{name}'").fetchall()


@mcp.tool()
def read(file: str) -> str:
    full = os.path.join("/data", file)
    with open(full) as f:
        return f.read()
`,
  },
];

/** Fixtures under test/fixtures/rules and the example servers, plus the built-in seeds. */
export function loadSeeds(): SeedFile[] {
  const files: string[] = [];
  walk(path.join(ROOT, 'test', 'fixtures', 'rules'), files);
  walk(path.join(ROOT, 'examples'), files);
  const seeds: SeedFile[] = [...BUILTIN_SEEDS];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (text.length > 200_000) continue;
    seeds.push({ name: path.relative(ROOT, f).split(path.sep).join('/'), text });
  }
  return seeds;
}

const TS_TOKENS = [
  '(', ')', '{', '}', '[', ']', '${', '`', "'", '"', '/*', '*/', '//', '=>', 'async ', 'await ', 'function ',
  'class ', 'extends ', '<T>', 'as ', 'satisfies ', '?.', '??', '...', ';', ',', '\n', '\r\n', '\t', 'exec(',
  'execSync(`', 'spawn(', "require('child_process')", 'server.tool(', 'server.registerTool(', 'z.string()',
  '.describe(', 'db.prepare(', 'fs.readFile(', 'path.join(', '.startsWith(', '===', '!==', '+', 'eval(',
  'new Function(', 'import ', 'export ', 'default ', 'yield ', 'enum ', 'namespace ', '@dec ', '#priv', '/re/g',
  '<div>', '</div>', '\\', '\u2028', '\u0000', '\ufeff', '\ud800', '\udc00', '😀', 'é', 'const { a, ...b } = ',
];
const PY_TOKENS = [
  '(', ')', '[', ']', '{', '}', ':', '\n', '\n    ', '\n        ', '\t', '"""', "'''", 'f"', 'f"{', '}"', 'rb"',
  '#', '\\\n', 'def ', 'async def ', 'lambda ', 'class ', 'return ', 'yield ', 'await ', 'with ', 'as ', 'match ',
  'case ', '@mcp.tool()\n', '@server.call_tool()\n', 'subprocess.run(', 'shell=True', 'os.system(', 'cursor.execute(',
  'open(', 'eval(', 'exec(', '==', '+', '%', '.format(', '*args', '**kwargs', '->', ':=', 'global ', 'nonlocal ',
  '\u0000', '\ufeff', '\ud800', '\udfff', '😀', 'é', '\r', '\u2028', '\x0c',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

const EXTS = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.mts', '.py'];

function extOf(name: string): string {
  return path.extname(name) || '.ts';
}

function isPy(name: string): boolean {
  return name.endsWith('.py');
}

/** One random edit of the kind a fuzzer makes: byte flips, deletions, duplications, token insertions. */
function mutateOnce(r: () => number, text: string, py: boolean): string {
  const at = int(r, 0, text.length);
  const len = int(r, 1, Math.min(64, Math.max(1, text.length)));
  switch (int(r, 0, 8)) {
    case 0: // delete a range
      return text.slice(0, at) + text.slice(at + len);
    case 1: // duplicate a range
      return text.slice(0, at + len) + text.slice(at, at + len) + text.slice(at + len);
    case 2: // insert a token
    case 3:
      return text.slice(0, at) + pick(r, py ? PY_TOKENS : TS_TOKENS) + text.slice(at);
    case 4: {
      // replace one code unit with a random one (may split surrogate pairs)
      const c = String.fromCharCode(int(r, 0, 0xffff));
      return text.slice(0, at) + c + text.slice(at + 1);
    }
    case 5: {
      // move a line elsewhere
      const lines = text.split('\n');
      if (lines.length < 2) return text;
      const [moved] = lines.splice(int(r, 0, lines.length - 1), 1);
      lines.splice(int(r, 0, lines.length), 0, moved!);
      return lines.join('\n');
    }
    case 6: {
      // swap two brackets/quotes for each other
      const from = pick(r, ['(', ')', '{', '}', '[', ']', "'", '"', '`', ':', ',']);
      const to = pick(r, ['(', ')', '{', '}', '[', ']', "'", '"', '`', ':', ',', '']);
      const i = text.indexOf(from, at);
      return i < 0 ? text : text.slice(0, i) + to + text.slice(i + 1);
    }
    case 7: // indentation damage (Python) or stray newline (TS)
      return text.slice(0, at) + (py ? pick(r, ['\n ', '\n\t', '  ', '\n   ']) : '\n') + text.slice(at);
    default: // repeat a small piece many times
      return text.slice(0, at) + text.slice(at, at + Math.min(len, 8)).repeat(int(r, 2, 200)) + text.slice(at);
  }
}

/** Decodes bytes the ways an editor or a careless tool might. */
function decodeOddly(r: () => number, bytes: Buffer): { how: string; text: string } {
  const how = pick(r, ['utf8', 'latin1', 'utf16le', 'ucs2-swapped']);
  if (how === 'ucs2-swapped') {
    const copy = Buffer.from(bytes.length % 2 ? Buffer.concat([bytes, Buffer.from([0])]) : bytes);
    copy.swap16();
    return { how, text: copy.toString('utf16le') };
  }
  return { how, text: bytes.toString(how as BufferEncoding) };
}

/** Deeply nested expressions and blocks: parser recursion, tree walks, taint propagation. */
export function nested(shape: string, depth: number): { name: string; text: string } {
  switch (shape) {
    case 'parens':
      return { name: 'nested.ts', text: `const x = ${'('.repeat(depth)}1${')'.repeat(depth)};\n` };
    case 'arrays':
      return { name: 'nested.js', text: `export const a = ${'['.repeat(depth)}${']'.repeat(depth)};\n` };
    case 'objects':
      return { name: 'nested.ts', text: `const o = ${'{a:'.repeat(depth)}1${'}'.repeat(depth)};\n` };
    case 'calls':
      return { name: 'nested.ts', text: `import { exec } from 'node:child_process';\nexec(${'f('.repeat(depth)}process.argv[2]${')'.repeat(depth)});\n` };
    case 'binary':
      return { name: 'nested.ts', text: `const cmd = 'a'${" + x".repeat(depth)};\nrequire('child_process').exec(cmd);\n` };
    case 'template':
      return { name: 'nested.ts', text: `const t = ${'`${'.repeat(depth)}x${'}`'.repeat(depth)};\n` };
    case 'arrows':
      return { name: 'nested.ts', text: `const f = ${'(a) => '.repeat(depth)}a;\n` };
    case 'blocks':
      return { name: 'nested.ts', text: `function f(x: string) {\n${'if (x) {\n'.repeat(depth)}eval(x);\n${'}\n'.repeat(depth)}}\n` };
    case 'tool-handler':
      return {
        name: 'nested.ts',
        text: `server.tool('t', 'd', {}, async ({ cmd }) => {\n${'{ const c = cmd;\n'.repeat(depth)}exec(c);\n${'}\n'.repeat(depth)}});\n`,
      };
    case 'generics':
      return { name: 'nested.ts', text: `let x: ${'A<'.repeat(depth)}B${'>'.repeat(depth)};\n` };
    case 'classes':
      return { name: 'nested.ts', text: `${'class A { m() { '.repeat(depth)}${'} }'.repeat(depth)}\n` };
    case 'class-extends':
      return { name: 'nested.js', text: `const C = ${'class extends '.repeat(depth)}Object${' {}'.repeat(depth)};\n` };
    case 'jsx':
      return { name: 'nested.tsx', text: `export const x = ${'<div>'.repeat(depth)}{cmd}${'</div>'.repeat(depth)};\n` };
    case 'curried':
      return { name: 'nested.ts', text: `const f = ${'a => '.repeat(depth)}a;\n` };
    case 'ternary':
      return { name: 'nested.ts', text: `const x = ${'a ? b : '.repeat(depth)}c;\n` };
    case 'else-if':
      return { name: 'nested.ts', text: `function f(a: number) {\n${'if (a) {} else '.repeat(depth)}{ eval(String(a)); }\n}\n` };
    case 'unary':
      return { name: 'nested.ts', text: `const x = ${'!'.repeat(depth)}a;\n` };
    case 'await':
      return { name: 'nested.ts', text: `async function f(a: any) { return ${'await '.repeat(depth)}a; }\n` };
    case 'assign':
      return { name: 'nested.ts', text: `let a; ${'a = '.repeat(depth)}1;\n` };
    case 'labels':
      return { name: 'nested.js', text: `${'l: '.repeat(depth)}x();\n` };
    case 'member':
      return { name: 'nested.ts', text: `import { exec } from 'node:child_process';\nexec(process.argv${'.b'.repeat(depth)});\n` };
    case 'method-chain':
      return { name: 'nested.ts', text: `import { exec } from 'node:child_process';\nexec(process.argv[2]${'.trim()'.repeat(depth)});\n` };
    case 'py-parens':
      return { name: 'nested.py', text: `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n` };
    case 'py-lists':
      return { name: 'nested.py', text: `x = ${'['.repeat(depth)}${']'.repeat(depth)}\n` };
    case 'py-binary':
      return { name: 'nested.py', text: `import os\ncmd = "a"${' + x'.repeat(depth)}\nos.system(cmd)\n` };
    case 'py-blocks': {
      let body = '@mcp.tool()\ndef t(cmd: str):\n';
      for (let i = 1; i <= depth; i++) body += `${' '.repeat(i)}if cmd:\n`;
      body += `${' '.repeat(depth + 1)}os.system(cmd)\n`;
      return { name: 'nested.py', text: body };
    }
    case 'py-calls':
      return { name: 'nested.py', text: `import os\nos.system(${'f('.repeat(depth)}x${')'.repeat(depth)})\n` };
    default:
      throw new Error(`unknown shape ${shape}`);
  }
}

export const NESTED_SHAPES = [
  'parens', 'arrays', 'objects', 'calls', 'binary', 'template', 'arrows', 'blocks', 'tool-handler',
  'generics', 'classes', 'class-extends', 'jsx', 'curried', 'ternary', 'else-if', 'unary', 'await', 'assign',
  'labels', 'member', 'method-chain',
  'py-parens', 'py-lists', 'py-binary', 'py-blocks', 'py-calls',
] as const;

/** About `bytes` of minified-looking JavaScript on one line, built from realistic pieces. */
export function minified(bytes: number, seed = 1): string {
  const r = prng(seed);
  const pieces = [
    'var a=function(b,c){return b+c};',
    'function q(e){if(!e)throw new Error("x");return e.map(function(t){return t*2})}',
    'require("child_process").exec("ls "+process.argv[2]);',
    'const s=`${a}/${b}`;',
    'server.tool("t","d",{x:z.string()},async({x})=>({content:[{type:"text",text:x}]}));',
    'for(var i=0;i<10;i++){o[i]=i&&i%2?"a":"b"}',
    'try{JSON.parse(n)}catch(err){}',
    'class K extends Z{constructor(){super();this.v=1}get x(){return this.v}}',
    'x=/[a-z]+\\d*/gi.test(y)?1:0;',
  ];
  const parts: string[] = ['"use strict";'];
  let size = parts[0]!.length;
  while (size < bytes) {
    const p = pick(r, pieces).replace(/\b([a-z])\b/g, (m) => (r() < 0.3 ? `${m}${int(r, 0, 99)}` : m));
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

/** A case that always runs. */
export type SpecialCase = Omit<FuzzCase, 'index'>;

/** Shapes that nest the TypeScript parser a level per repetition: 500 of them are refused. */
const REFUSED_NESTING: ReadonlySet<string> = new Set([
  'parens', 'arrays', 'objects', 'calls', 'template', 'arrows', 'blocks', 'tool-handler', 'generics', 'classes', 'class-extends', 'jsx', 'curried',
]);

/**
 * Cases that always run first, whatever the seed: the shapes the issue names explicitly.
 * `fullSize` false shrinks the expensive ones for quick smoke runs.
 */
export function specialCases(fullSize = true): SpecialCase[] {
  const out: SpecialCase[] = [];
  out.push({ kind: 'minified-5MB', name: 'bundle.min.js', text: minified(fullSize ? 5 * 1024 * 1024 : 200_000), expect: 'too-large' });
  out.push({ kind: 'minified-500KB', name: 'vendor.js', text: minified(fullSize ? 500 * 1024 : 50_000, 2), expect: 'too-large' });
  // Over the 1 MiB size limit without being minified: one statement per line.
  out.push({ kind: 'readable-2MB', name: 'big.js', text: minified(2 * 1024 * 1024, 3).replace(/;/g, ';\n'), expect: 'too-large' });
  out.push({ kind: 'nul-5MB', name: 'zeros.ts', text: '\0'.repeat(fullSize ? 5 * 1024 * 1024 : 100_000) });
  {
    // Random bytes just under the size limit, read as Latin-1: the parsers' error recovery at scale.
    const r = prng(7);
    const bytes = Buffer.alloc(fullSize ? 640 * 1024 : 64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
    out.push({ kind: 'random-bytes-640KB', name: 'noise.js', text: bytes.toString('latin1') });
    out.push({ kind: 'random-bytes-640KB-py', name: 'noise.py', text: bytes.toString('latin1'), expect: 'binary' });
    // Printable noise in lines, under the size limit: not binary, not minified, so it is parsed.
    let soup = '';
    const kb = fullSize ? 256 : 32;
    while (soup.length < kb * 1024) soup += r() < 0.03 ? '\n' : String.fromCharCode(32 + Math.floor(r() * 95));
    out.push({ kind: `printable-noise-${kb}KB-py`, name: 'noise.py', text: soup });
    out.push({ kind: `printable-noise-${kb}KB`, name: 'noise.ts', text: soup });
  }
  // Left-deep chains (binary, member, method-chain) cost the parser no stack: they run long.
  const depths: Record<string, number> = { binary: 20_000, 'py-binary': 20_000, member: 20_000, 'method-chain': 20_000 };
  for (const shape of NESTED_SHAPES) {
    const depth = depths[shape] ?? (shape.includes('blocks') || shape === 'tool-handler' ? 1_000 : 5_000);
    const d = fullSize ? depth : Math.min(depth, 500);
    const n = nested(shape, d);
    out.push({ kind: `nested-${shape}(${d})`, ...n, ...(REFUSED_NESTING.has(shape) ? { expect: 'too-large' as const } : {}) });
  }
  const seedTs = BUILTIN_SEEDS[0]!.text;
  const seedPy = BUILTIN_SEEDS[1]!.text;
  out.push({ kind: 'empty', name: 'empty.ts', text: '' });
  out.push({ kind: 'empty-py', name: 'empty.py', text: '' });
  out.push({ kind: 'bom-only', name: 'bom.ts', text: '\ufeff' });
  out.push({ kind: 'nul-only', name: 'nul.py', text: '\0'.repeat(4096) });
  out.push({ kind: 'nul-in-code-ts', name: 'nul.ts', text: seedTs.replace(/\n/g, '\n\0') });
  out.push({ kind: 'nul-in-code-py', name: 'nul.py', text: seedPy.replace(/ /g, (m) => (m === ' ' ? ' \0' : m)) });
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedTs, 'utf16le')]);
  out.push({ kind: 'utf16le-bom-as-utf8-ts', name: 'utf16.ts', text: utf16.toString('utf8') });
  out.push({ kind: 'utf16le-bom-as-utf8-py', name: 'utf16.py', text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedPy, 'utf16le')]).toString('utf8') });
  out.push({ kind: 'utf16be-as-latin1', name: 'utf16be.py', text: Buffer.from(seedPy, 'utf16le').swap16().toString('latin1') });
  out.push({ kind: 'latin1-py', name: 'latin1.py', text: Buffer.from(`# caf\u00e9\n${seedPy}`, 'utf8').toString('latin1') });
  out.push({ kind: 'lone-surrogates-ts', name: 'surrogates.ts', text: seedTs.replace(/'/g, "'\ud800").replace(/host/g, 'h\udc00ost') });
  out.push({ kind: 'lone-surrogates-py', name: 'surrogates.py', text: seedPy.replace(/"/g, '"\udfff').replace(/host/g, '\ud83dhost') });
  out.push({ kind: 'astral-identifiers', name: 'astral.ts', text: seedTs.replace(/host/g, '\u{1d4bd}\u{1d4c8}st').replace(/ROOT/g, 'R\u00d6\u00d6T') });
  out.push({ kind: 'crlf', name: 'crlf.ts', text: seedTs.replace(/\n/g, '\r\n') });
  out.push({ kind: 'cr-only', name: 'cr.py', text: seedPy.replace(/\n/g, '\r') });
  out.push({ kind: 'line-separators', name: 'ls.ts', text: seedTs.replace(/\n/g, '\u2028') });
  out.push({ kind: 'long-line-1MB', name: 'long.py', text: `x = "${'a'.repeat(fullSize ? 1 << 20 : 1 << 14)}"\n${seedPy}` });
  out.push({ kind: 'many-lines', name: 'many.ts', text: ';\n'.repeat(fullSize ? 200_000 : 5_000) });
  out.push({ kind: 'unterminated-template', name: 'tpl.ts', text: `exec(\`${'${a'.repeat(2000)}` });
  out.push({ kind: 'unterminated-docstring', name: 'doc.py', text: `@mcp.tool()\ndef t(x):\n    """${'x\n'.repeat(1000)}` });
  out.push({ kind: 'python-as-ts', name: 'swap.ts', text: seedPy });
  out.push({ kind: 'ts-as-python', name: 'swap.py', text: seedTs });
  return out;
}

/**
 * The case at `index` for `seed`. Indices below the number of special cases are those; after
 * that, random mutations of the seed files, random bytes, token soup and random nesting.
 */
export function makeCase(seed: number, index: number, seeds: readonly SeedFile[], specials: readonly SpecialCase[]): FuzzCase {
  if (index < specials.length) return { index, ...specials[index]! };
  const r = caseRandom(seed, index);
  const roll = r();
  if (roll < 0.55) {
    const s = pick(r, seeds);
    const py = isPy(s.name);
    let text = s.text;
    const n = int(r, 1, 8);
    for (let i = 0; i < n; i++) text = mutateOnce(r, text, py);
    const name = r() < 0.08 ? `mut${pick(r, EXTS)}` : `mut${extOf(s.name)}`;
    return { index, kind: `mutate(${s.name})x${n}`, name, text };
  }
  if (roll < 0.7) {
    const s = pick(r, seeds);
    const cut = int(r, 0, s.text.length);
    return { index, kind: `truncate(${s.name}@${cut})`, name: `trunc${extOf(s.name)}`, text: s.text.slice(0, cut) };
  }
  if (roll < 0.78) {
    const a = pick(r, seeds);
    const b = pick(r, seeds);
    const i = int(r, 0, a.text.length);
    const j = int(r, 0, b.text.length);
    return { index, kind: `splice(${a.name}@${i},${b.name}@${j})`, name: `splice${extOf(a.name)}`, text: a.text.slice(0, i) + b.text.slice(j) };
  }
  if (roll < 0.85) {
    const bytes = Buffer.alloc(int(r, 0, 4096));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(r() * 256);
    const { how, text } = decodeOddly(r, bytes);
    const ext = pick(r, EXTS);
    return { index, kind: `random-bytes(${bytes.length},${how})`, name: `bytes${ext}`, text };
  }
  if (roll < 0.93) {
    const py = r() < 0.4;
    const n = int(r, 1, 600);
    let text = '';
    for (let i = 0; i < n; i++) text += pick(r, py ? PY_TOKENS : TS_TOKENS) + (r() < 0.3 ? ' x' : '');
    return { index, kind: `token-soup(${n})`, name: py ? 'soup.py' : pick(r, ['soup.ts', 'soup.js', 'soup.tsx']), text };
  }
  if (roll < 0.97) {
    const shape = pick(r, NESTED_SHAPES);
    const depth = int(r, 50, 1500);
    return { index, kind: `nested-${shape}(${depth})`, ...nested(shape, depth) };
  }
  const s = pick(r, seeds);
  const { how, text } = decodeOddly(r, Buffer.from(s.text, 'utf8'));
  return { index, kind: `re-encoded(${s.name},${how})`, name: `enc${extOf(s.name)}`, text };
}
