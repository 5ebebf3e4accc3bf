/**
 * Inputs of the differential tests of the rules' shortcuts: the repository's fixtures and
 * examples, and a seeded generator for their mutations (so that a failure can be replayed).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEngines } from '../../src/core/engines';
import { Linter } from '../../src/core/linter';
import type { Rule } from '../../src/core/rule';

export const ROOT = join(__dirname, '..', '..');

function sources(dir: string, wanted: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, wanted, out);
    else if (wanted(name)) out.push(path);
  }
  return out;
}

/** Path and text of every TS/JS (`ts`) or Python (`py`) file of the fixtures and examples. */
export function repositoryInputs(language: 'ts' | 'py'): [string, string][] {
  const wanted = language === 'ts' ? (name: string) => /\.(?:[cm]?[jt]sx?)$/.test(name) && !name.endsWith('.d.ts') : (name: string) => name.endsWith('.py');
  const files = [...sources(join(ROOT, 'test', 'fixtures'), wanted), ...sources(join(ROOT, 'examples'), wanted)];
  return files.map((f) => [f, readFileSync(f, 'utf8')]);
}

/** A seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Lints the inputs, and a mutation of each that is not too long, with `rule` alone on the Python
 * engine: its check gets the contexts the engine builds. A check that throws fails the test.
 */
export async function lintPython(rule: Rule, inputs: readonly [string, string][], mutate: (text: string, seed: number) => string): Promise<void> {
  const linter = await Linter.create({ rules: [rule], engines: createEngines(['python']) });
  const lint = (file: string, text: string): void => {
    const { problems } = linter.lintText(file, text, { fixes: false });
    const failed = problems.find((p) => p.kind === 'internal-error');
    if (failed) assert.fail(failed.message);
  };
  for (const [file, text] of inputs) lint(file, text);
  for (let i = 0; i < inputs.length; i++) {
    const [file, text] = inputs[i]!;
    if (text.length > 60_000) continue;
    lint(`${file}.m${i}.py`, mutate(text, i + 1));
  }
}
