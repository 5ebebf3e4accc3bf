// Shared by scripts/test-vscode.mjs (code-server + Chromium) and scripts/test-electron.mjs
// (@vscode/test-electron): builds the mocha suite and copies the fixture workspaces.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bundles test/vscode/suite/** into `outDir` (inside the repo, so `mocha` resolves from node_modules). */
export async function buildSuite(root, outDir) {
  const esbuild = await import('esbuild');
  const suiteDir = join(root, 'test', 'vscode', 'suite');
  rmSync(outDir, { recursive: true, force: true });
  const entries = readdirSync(suiteDir, { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(suiteDir, f));
  await esbuild.build({
    entryPoints: entries,
    outdir: outDir,
    outbase: suiteDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'playwright-core'],
    logLevel: 'warning',
  });
}

/**
 * Copies the fixture workspaces to `dir` (tests edit and rename files) and writes the
 * multi-root workspace file; returns their paths.
 */
export function prepareWorkspaces(root, dir) {
  cpSync(join(root, 'test', 'vscode', 'fixtures'), dir, { recursive: true });
  const workspaceFile = join(dir, 'multi-root.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'ts-server' }, { path: 'py-server' }] }, null, 2));
  return { ws: dir, workspaceFile, untrustedFolder: join(dir, 'untrusted') };
}

/** Environment the suite reads (and, until the harness CLI is built, the fake CLI to use). */
export function suiteEnv(root, ws, resultsDir, grep) {
  const env = { MCPW_TEST_GREP: grep ?? '', MCPW_TEST_WORKSPACE: ws, MCPW_TEST_RESULTS: resultsDir, MCPW_TEST_REPO: root };
  const cli = join(root, 'dist', 'cli.js');
  if (spawnSync(process.execPath, [cli, 'harness', '--help'], { stdio: 'ignore' }).status !== 0) {
    env.MCP_WARDEN_HARNESS_CLI = join(ws, 'fake-harness-cli.mjs');
  }
  return env;
}
