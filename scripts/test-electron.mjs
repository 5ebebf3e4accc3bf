// The same VS Code test suite on desktop VS Code through @vscode/test-electron, for machines that
// can download VS Code or have one installed. (`npm test` uses scripts/test-vscode.mjs, which
// needs no download.) The UI test needs a browser-served workbench and runs only there.
//   node scripts/test-electron.mjs [--grep PATTERN]
//   VSCODE_EXECUTABLE_PATH=/path/to/code node scripts/test-electron.mjs   (no download)
//   VSCODE_VERSION=1.100.3 node scripts/test-electron.mjs                  (default: 1.100.3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSuite, prepareWorkspaces, suiteEnv } from '../test/vscode/support.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const argv = process.argv.slice(2);
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : undefined;
const resultsDir = join(root, 'test-results', 'vscode');

async function main() {
  const { runTests } = await import('@vscode/test-electron');
  if (!existsSync(join(root, 'dist', 'extension.js'))) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  mkdirSync(resultsDir, { recursive: true });
  const outDir = join(root, 'out', 'vscode-test');
  await buildSuite(root, outDir);
  const tmp = mkdtempSync(join(tmpdir(), 'mcpw-electron-'));
  const { ws, workspaceFile, untrustedFolder } = prepareWorkspaces(root, join(tmp, 'ws'));
  const env = suiteEnv(root, ws, resultsDir, grep);
  const common = {
    extensionDevelopmentPath: root,
    extensionTestsEnv: env,
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
  };
  // Each session gets its own user data: Workspace Trust is a user setting.
  const userData = (name, settings) => {
    const dir = join(tmp, name);
    mkdirSync(join(dir, 'User'), { recursive: true });
    writeFileSync(join(dir, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false, ...settings }));
    return dir;
  };
  let failed = 0;
  const sessions = [
    {
      name: 'trusted',
      extensionTestsPath: join(outDir, 'trusted', 'index.js'),
      launchArgs: [workspaceFile, '--disable-extensions', `--user-data-dir=${userData('user-trusted', { 'security.workspace.trust.enabled': false })}`],
    },
    {
      name: 'untrusted',
      extensionTestsPath: join(outDir, 'untrusted', 'index.js'),
      launchArgs: [untrustedFolder, '--disable-extensions', `--user-data-dir=${userData('user-untrusted', { 'security.workspace.trust.startupPrompt': 'never' })}`],
    },
  ];
  try {
    for (const s of sessions) {
      process.stdout.write(`\n> ${s.name} workspace (@vscode/test-electron)\n`);
      try {
        await runTests({ ...common, extensionTestsPath: s.extensionTestsPath, launchArgs: s.launchArgs });
      } catch (err) {
        failed++;
        process.stdout.write(`${s.name}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`${sessions.length - failed} session(s) passed, ${failed} failed\n`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  process.stdout.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
