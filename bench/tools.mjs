// The tools being compared, loaded in-process the way an editor integration runs them:
// MCP Warden's core (bundled from src/ by esbuild, as the shipped extension and CLI are) and
// ESLint 9 with eslint-plugin-security's recommended config (TypeScript through
// @typescript-eslint/parser without type information, the fair, fast setup users pick).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { flatTypescript } from '../scripts/esbuild-flat-typescript.mjs';
import { treeSitterRuntime } from '../scripts/esbuild-tree-sitter.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..');
export const WORK = join(here, '.work');
const require = createRequire(import.meta.url);

/**
 * Bundles the named exports of the project's sources (`export { X } from './src/...'` lines,
 * paths relative to the repository root) like the shipped bundles, to bench/.work/<name>.cjs,
 * and loads it: the per-phase engine benches reach inside the engines this way.
 */
export async function bundleSources(name, exportLines) {
  mkdirSync(WORK, { recursive: true });
  const outfile = join(WORK, `${name}.cjs`);
  await esbuild.build({
    stdin: { contents: exportLines, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    external: ['vscode', 'better-sqlite3'],
    plugins: [flatTypescript(), treeSitterRuntime()],
  });
  return require(outfile);
}

/** Bundles src/core/index.ts to bench/.work/warden-core.cjs once per process and loads it. */
let corePromise;
export function loadWardenCore() {
  corePromise ??= bundleSources('warden-core', "export * from './src/core';");
  return corePromise;
}

/**
 * A warm MCP Warden linter with every rule on (default configuration). `fixes: false` is how
 * the language server analyses on each change (fixes are built when a code action asks).
 */
export async function createWarden({ fixes = true, name = 'mcp-warden' } = {}) {
  const core = await loadWardenCore();
  const linter = await core.createLinter();
  return {
    name,
    lint(file, text) {
      const r = linter.lintText(file, text, { fixes });
      return { findings: r.findings.length, problems: r.problems, ruleIds: r.findings.map((f) => f.ruleId) };
    },
  };
}

/** ESLint's in-process Linter with eslint-plugin-security's recommended rules. */
export async function createEslintSecurity() {
  const config = (await import('./eslint.config.mjs')).default;
  const { Linter } = require('eslint');
  const linter = new Linter({ configType: 'flat', cwd: '/' });
  return {
    name: 'eslint-plugin-security',
    lint(file, text) {
      const messages = linter.verify(text, config, { filename: file });
      const fatal = messages.filter((m) => m.fatal);
      // Only the plugin's rules count: directives for plugins not loaded here come back as
      // "Definition for rule ... was not found" messages.
      const findings = messages.filter((m) => !m.fatal && m.ruleId?.startsWith('security/'));
      return { findings: findings.length, problems: fatal.map((m) => ({ kind: 'parse-error', message: m.message })), ruleIds: findings.map((m) => m.ruleId) };
    },
  };
}
