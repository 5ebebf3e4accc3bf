/**
 * no-secret-in-tool-output searches a handler's output for leaks only when a cheap probe of the
 * expression (`mayLeakTs`) says it may hold one. A probe that says no where the search finds a
 * leak would hide a finding: every expression of every TS/JS fixture, example and generated
 * server, and of mutated copies that plant the names the search reacts to, is checked both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { random, repositoryInputs } from './inputs';
import * as ts from 'typescript';
import { LineMap } from '../../src/core/text';
import { parseTs, type TsContext } from '../../src/core/ts/engine';
import { buildMcpModel } from '../../src/core/ts/mcp-model';
import { walkTs } from '../../src/core/ts/walk';
import { testHooks } from '../../src/rules/no-secret-in-tool-output';
// @ts-expect-error: a plain ES module of the benchmarks, without types.
import { generateTs } from '../../bench/gen-server.mjs';

const PLANTED = ['token', 'apiKey', 'env', 'headers', 'stack', 'password', 'secret', 'req', 'process', 'AUTH_TOKEN', 'tokenCount', 'flags', 'err'];

/**
 * The text with some identifiers renamed to names the leak search reacts to (and some it must
 * not), and some member reads written as element accesses with a string key (`config['token']`).
 */
function mutate(text: string, seed: number): string {
  const next = random(seed);
  return text
    .replace(/\b[A-Za-z_]\w*\b/g, (w) => (next() < 0.08 ? PLANTED[Math.floor(next() * PLANTED.length)]! : w))
    .replace(/\.([A-Za-z_]\w*)\b/g, (m, name: string) => (next() < 0.3 ? `['${name}']` : m));
}

function check(file: string, text: string): number {
  const sf = parseTs(file, text);
  const ctx: TsContext = { file, text, language: 'typescript', lines: new LineMap(text), sourceFile: sf, mcp: buildMcpModel(sf), report: () => {} } as TsContext;
  // Locals as a handler would have them: none, and every variable of the file that has an initializer.
  const all = new Map<string, ts.Expression>();
  walkTs(sf, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) all.set(n.name.text, n.initializer);
  });
  let leaking = 0;
  walkTs(sf, (n) => {
    if (!ts.isExpression(n) && !ts.isShorthandPropertyAssignment(n)) return;
    for (const locals of [new Map<string, ts.Expression>(), all]) {
      const found = testHooks.tsLeaks(ctx, n, locals).length > 0;
      if (found) leaking++;
      if (found && !testHooks.mayLeakTs(n, locals)) assert.fail(`${file}: probe says no leak in '${n.getText(sf).slice(0, 120)}' at ${n.getStart(sf)}`);
    }
  });
  return leaking;
}

test('the output probe says yes wherever the leak search finds a leak (fixtures, examples, generated servers, mutations)', () => {
  const inputs = repositoryInputs('ts');
  inputs.push(['server-300.ts', generateTs(1000)]);
  let leaking = 0;
  for (const [file, text] of inputs) leaking += check(file, text);
  for (let i = 0; i < inputs.length; i++) {
    const [file, text] = inputs[i]!;
    if (text.length > 60_000) continue;
    leaking += check(file, mutate(text, i + 1));
  }
  // The inputs hold many leaks: the test exercised the search, not only the probe.
  assert.ok(leaking > 100, `only ${leaking} leaking expressions`);
});
