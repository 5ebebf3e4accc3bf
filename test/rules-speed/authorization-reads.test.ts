/**
 * no-token-passthrough asks the HTTP facts only for the reads of the Authorization header
 * (`authorizationReads`), which looks at the name's length before reading a member access's
 * header. It must find the same reads as the full list (`headerReads`), before and after that
 * list is built: checked on every TS/JS fixture, example and generated server, and on mutated
 * copies that spell the header every way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { random, repositoryInputs } from './inputs';
import type * as ts from 'typescript';
import { tsHttpFacts } from '../../src/core/mcp/lang/ts-http';
import { LineMap } from '../../src/core/text';
import { parseTs, type TsContext } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';

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
  const inputs = repositoryInputs('ts');
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
