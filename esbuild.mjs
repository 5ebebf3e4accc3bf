// Bundles the three entry points into dist/ and copies the WASM parsers beside them.
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { flatTypescript } from './scripts/esbuild-flat-typescript.mjs';
import { treeSitterRuntime } from './scripts/esbuild-tree-sitter.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // Native modules of optional test dependencies are never bundled.
  external: ['vscode', 'better-sqlite3'],
  plugins: [flatTypescript()],
};

/**
 * The `harness` command's code (MCP SDK, zod, ajv, node:http) is a bundle of its own,
 * dist/cli-harness.js, which src/cli/main.ts requires only when that command runs: a `lint`
 * run reads, compiles and starts none of it (issue 9). The build fails if the CLI bundle
 * still holds any of it, so that a new static import cannot quietly undo the split.
 */
function harnessApart() {
  const main = join(process.cwd(), 'src', 'cli', 'main.ts');
  return {
    name: 'harness-apart',
    setup(build) {
      build.onResolve({ filter: /^\.\/harness$/ }, (args) => {
        if (args.importer !== main) return undefined;
        if (args.kind !== 'require-call') throw new Error(`${main}: the harness command must be loaded with require(), not imported`);
        return { path: './cli-harness.js', external: true };
      });
      build.onEnd((result) => {
        const leaked = Object.keys(result.metafile?.inputs ?? {}).filter((f) => /(^|\/)src\/harness\/|node_modules\/(zod|ajv|@modelcontextprotocol)\//.test(f));
        if (leaked.length > 0) throw new Error(`dist/cli-main.js holds harness code (${leaked[0]} and ${leaked.length - 1} more)`);
      });
    },
  };
}

const entries = [
  { in: 'src/extension/main.ts', out: 'extension' },
  { in: 'src/server/main.ts', out: 'server', plugins: [treeSitterRuntime()] },
  // dist/cli.js is a small launcher that runs the CLI bundle from a V8 code cache (src/cli/launch.ts).
  { in: 'src/cli/main.ts', out: 'cli-main', banner: 'var __cliRequire = require;', plugins: [treeSitterRuntime({ requireBuiltins: true }), harnessApart()] },
  { in: 'src/cli/harness.ts', out: 'cli-harness' },
  { in: 'src/cli/launch.ts', out: 'cli', banner: '#!/usr/bin/env node' },
];

mkdirSync('dist', { recursive: true });
const wasmDir = dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
for (const name of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) {
  copyFileSync(join(wasmDir, name), join('dist', name));
}

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      ...common,
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      ...(e.banner ? { banner: { js: e.banner } } : {}),
      ...(e.plugins ? { plugins: [...common.plugins, ...e.plugins], metafile: true } : {}),
    }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
