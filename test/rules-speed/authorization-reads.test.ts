/**
 * no-token-passthrough asks the HTTP facts only for the reads of the Authorization header
 * (`authorizationReads`), which looks at the name's length before reading a member access's
 * header. It must find the same reads as the full list (`headerReads`), before and after that
 * list is built: checked on every TS/JS fixture, example and generated server, and on mutated
 * copies that spell the header every way.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as ts from 'typescript';
import { tsHttpFacts } from '../../src/core/mcp/lang/ts-http';
import { LineMap } from '../../src/core/text';
import { parseTs, type TsContext } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(?:[cm]?[jt]sx?)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPELLINGS = ['headers.authorization', 'headers.Authorization', 'req.headers.AUTHORIZATION', "headers['authorization']", "reqHeaders['Authorization']", 'headers.__authorization', 'headers.authorisation', 'headers.authorizations', "req.get('Authorization')", "headers.get('authorization')", 'headers.#authorization', 'h.authorization'];

function mutate(text: string, seed: number): string {
  const next = random(seed);
  return text.replace(/\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b/g, (m) => (next() < 0.1 ? SPELLINGS[Math.floor(next() * SPELLINGS.length)]! : m));
}

function context(file: string, text: string): TsContext {
  const sf = parseTs(file, text);
  return { file, text, language: 'typescript', lines: new LineMap(text), sourceFile: sf, mcp: buildMcpModel(sf), report: () => {} } as TsContext;
}

const key = (n: ts.Node): string => `${n.kind}:${n.pos}:${n.end}`;
const sorted = (nodes: readonly ts.Node[]): string[] => nodes.map(key).sort();

test('authorizationReads finds the Authorization reads of headerReads, before and after the full list is built', () => {
  const files = [...sources(join(ROOT, 'test', 'fixtures')), ...sources(join(ROOT, 'examples'))];
  const inputs: [string, string][] = files.map((f) => [f, readFileSync(f, 'utf8')]);
  inputs.push(['server-1000.ts', generateTs(1000)]);
  let found = 0;
  const compare = (file: string, text: string): void => {
    const early = tsHttpFacts(context(file, text)).authorizationReads();
    const facts = tsHttpFacts(context(file, text));
    const full = facts.headerReads.filter((r) => r.header === 'authorization').map((r) => r.node);
    assert.deepEqual(sorted(early), sorted(full), `${file}: before the full list`);
    assert.deepEqual(sorted(facts.authorizationReads()), sorted(full), `${file}: after the full list`);
    found += full.length;
  };
  for (const [file, text] of inputs) compare(file, text);
  for (let i = 0; i < inputs.length; i++) {
    const [file, text] = inputs[i]!;
    if (text.length > 60_000) continue;
    compare(file, mutate(text, i + 1));
  }
  assert.ok(found > 100, `only ${found} reads of the header`);
});
