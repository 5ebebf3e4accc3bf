// Integration tests inside a real VS Code, offline (see docs in test/vscode/README.md):
// the VS Code 1.100 server build shipped in the `code-server` npm package runs the extension in a
// real node extension host; Debian's Chromium, driven by playwright-core, loads the workbench.
// Sessions: the mocha suite in a trusted multi-root workspace, the untrusted-workspace suite, and
// a UI test that drives the workbench like a person (screenshots in test-results/vscode/).
// First run installs code-server into .vscode-test/ (and apt packages when missing).
// Details: /work/shared/VSCODE-TESTING.md (the route) and test/vscode/README.md (the suites).
//   node scripts/test-vscode.mjs [--grep PATTERN] [--no-ui | --ui-only] [--vsix FILE] [--keep]
// --vsix FILE also installs a packaged VSIX (`npm run package`) into a fresh VS Code and checks
// it on examples/typescript-server: diagnostics, a harness run from F1, the report.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSuite, prepareWorkspaces, suiteEnv } from '../test/vscode/support.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const CODE_SERVER_VERSION = '4.100.3'; // last release on node 20 (VS Code 1.100.3)
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const csRoot = join(root, '.vscode-test', 'code-server');
const serverMain = join(csRoot, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
const resultsDir = join(root, 'test-results', 'vscode');
const SESSION_TIMEOUT_MS = 180_000;

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const grep = option('--grep');
const vsix = option('--vsix');

const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg) => process.stdout.write(`[vscode-test ${elapsed()}] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

// --- prerequisites ------------------------------------------------------------------------

function ensureAptPackages() {
  // code-server's native modules (kerberos, node-pty) compile from source: compiler, python, krb5.
  const wanted = [
    ['chromium', '/usr/bin/chromium'],
    ['fonts-liberation', '/usr/share/fonts/truetype/liberation'],
    ['ripgrep', '/usr/bin/rg'],
    ['libkrb5-dev', '/usr/include/krb5.h'],
    ['build-essential', '/usr/bin/g++'],
    ['python3', '/usr/bin/python3'],
  ];
  const missing = wanted.filter(([, file]) => !existsSync(file)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages: ${missing.join(' ')} (apt-get install ${missing.join(' ')} as root)`);
  }
  say(`installing ${missing.join(', ')} with apt`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function ensureCodeServer() {
  if (existsSync(serverMain)) return;
  say(`installing code-server@${CODE_SERVER_VERSION} into .vscode-test/ (once)`);
  rmSync(csRoot, { recursive: true, force: true });
  mkdirSync(csRoot, { recursive: true });
  // npm 11 runs dependency install scripts only when allowed; older npm ignores the field.
  writeFileSync(join(csRoot, 'package.json'), JSON.stringify({ private: true, allowScripts: { 'code-server': true } }));
  // @vscode/ripgrep's postinstall downloads from GitHub unless its cache holds the asset.
  const tmp = mkdtempSync(join(tmpdir(), 'mcpw-cs-install-'));
  const cache = join(tmp, RIPGREP_CACHE);
  mkdirSync(join(tmp, 'rg'), { recursive: true });
  mkdirSync(cache, { recursive: true });
  cpSync('/usr/bin/rg', join(tmp, 'rg', 'rg'));
  run('tar', ['czf', join(cache, RIPGREP_ASSET), '-C', join(tmp, 'rg'), 'rg']);
  const nodePrefix = dirname(dirname(process.execPath));
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
    npm_config_nodedir: existsSync(join(nodePrefix, 'include', 'node', 'node.h')) ? nodePrefix : process.env.npm_config_nodedir ?? '',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  try {
    run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-save', '--loglevel=error'], { cwd: csRoot, env });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!existsSync(serverMain)) throw new Error('code-server installed but its VS Code server build is missing');
}

// --- the VS Code server --------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** User settings of every session: quiet, offline, no start-up editors. */
const BASE_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  // Fixture copies live outside the repo, so their imports do not resolve: keep tsserver's
  // "cannot find module" errors out of the Problems panel and the screenshots.
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
};

async function startServer(tmp, env, settings = {}) {
  const port = await freePort();
  const dirs = Object.fromEntries(['server', 'user', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp'].map((d) => [d, join(tmp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
  // With a web client the user settings live on the server side, under --user-data-dir.
  mkdirSync(join(dirs.user, 'User'), { recursive: true });
  writeFileSync(join(dirs.user, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--server-data-dir', dirs.server,
    '--user-data-dir', dirs.user,
    '--extensions-dir', dirs.extensions,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
      XDG_CONFIG_HOME: dirs['xdg-config'],
      XDG_DATA_HOME: dirs['xdg-data'],
      XDG_CACHE_HOME: dirs['xdg-cache'],
      TMPDIR: dirs.tmp,
    },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`VS Code server exited early:\n${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/version`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`VS Code server did not answer /version within 60 s:\n${log}`);
    }
    // Ask again whenever the server prints something (it logs when it starts listening).
    await new Promise((r) => {
      child.stdout.once('data', r);
      child.stderr.once('data', r);
      child.once('exit', r);
      setTimeout(r, 1000); // backstop if it stays silent
    });
  }
  return { port, stop, dirs, log: () => log };
}

function remote(port, p) {
  return `vscode-remote://127.0.0.1:${port}${p}`;
}

function workbenchUrl(port, { folder, workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(port, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(port, extensionTestsPath)]);
  const target = workspace ? `workspace=${encodeURIComponent(workspace)}` : `folder=${encodeURIComponent(folder)}`;
  return `http://127.0.0.1:${port}/?${target}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}

async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Runs one mocha session inside the workbench; resolves with the suite's pass/fail counts. */
async function runSession(browser, port, label, target) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  let counts = { passed: 0, failed: 0 };
  const logFile = join(resultsDir, `${label}.log`);
  writeFileSync(logFile, '');
  const exit = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => resolve(code));
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    const m = /^MCPW-RESULT (\{.*\})$/.exec(text);
    if (m) counts = JSON.parse(m[1]);
    appendFileSync(logFile, `${type}: ${text}\n`);
    // The workbench's own chatter goes to the log file; the suite's lines to the terminal.
    if (/^ {2}(ok|FAIL|skip) |^ {7}|^MCPW-METRIC /.test(text)) process.stdout.write(`  [${label}] ${text}\n`);
  });
  page.on('pageerror', (err) => process.stdout.write(`  [${label} page error] ${err.message}\n`));
  const url = workbenchUrl(port, target);
  await page.goto(url);
  let timer;
  const code = await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), SESSION_TIMEOUT_MS)))]);
  clearTimeout(timer);
  if (code !== 0) await page.screenshot({ path: join(resultsDir, `${label}-failure.png`) }).catch(() => undefined);
  await context.close();
  if (code === 'timeout') {
    say(`${label}: no result within ${SESSION_TIMEOUT_MS / 1000} s`);
    return { passed: counts.passed, failed: counts.failed + 1 };
  }
  if (code !== 0 && counts.failed === 0) {
    say(`${label}: the workbench exited with ${JSON.stringify(code)} (see ${logFile})`);
    counts = { ...counts, failed: 1 };
  }
  return counts;
}

// --- main -----------------------------------------------------------------------------------

async function main() {
  ensureAptPackages();
  ensureCodeServer();
  say('VS Code server build ready');
  if (!existsSync(join(root, 'dist', 'extension.js'))) run(process.execPath, ['esbuild.mjs'], { cwd: root });
  mkdirSync(resultsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'mcpw-vscode-'));
  // Inside the repo so the suite resolves mocha from node_modules (out/ is gitignored).
  const outDir = join(root, 'out', 'vscode-test');
  await buildSuite(root, outDir);
  // Tests edit files: they get a copy of the fixture workspaces.
  const { ws, workspaceFile, untrustedFolder } = prepareWorkspaces(root, join(tmp, 'ws'));
  const env = suiteEnv(root, ws, resultsDir, grep);
  if (env.MCP_WARDEN_HARNESS_CLI) say('harness CLI not built yet: using the fake CLI from test/vscode/fixtures');
  // Two servers: Workspace Trust is a user setting, and one suite needs it off, the other on.
  const [server, untrustedServer] = await Promise.all([
    startServer(join(tmp, 'server'), env, { 'security.workspace.trust.enabled': false }),
    startServer(join(tmp, 'server-untrusted'), env, { 'security.workspace.trust.startupPrompt': 'never' }),
  ]);
  say(`VS Code servers on 127.0.0.1:${server.port} and :${untrustedServer.port}`);
  const browser = await launchBrowser();
  const totals = { passed: 0, failed: 0 };
  const add = (c) => {
    totals.passed += c.passed;
    totals.failed += c.failed;
  };
  try {
    if (!flag('--ui-only')) {
      // The two mocha sessions use separate servers and browser contexts: run them side by side.
      const [trusted, untrusted] = await Promise.all([
        runSession(browser, server.port, 'trusted', {
          workspace: workspaceFile,
          extensionDevelopmentPath: root,
          extensionTestsPath: join(outDir, 'trusted', 'index.js'),
        }),
        runSession(browser, untrustedServer.port, 'untrusted', {
          folder: untrustedFolder,
          extensionDevelopmentPath: root,
          extensionTestsPath: join(outDir, 'untrusted', 'index.js'),
        }),
      ]);
      add(trusted);
      add(untrusted);
      say(`mocha suites done: trusted ${trusted.passed} passed, ${trusted.failed} failed; untrusted ${untrusted.passed} passed, ${untrusted.failed} failed`);
    }
    if (!flag('--no-ui') && !grep) {
      const { uiTest } = await import(join(outDir, 'ui', 'workbench.js'));
      add(await uiTest({ browser, port: server.port, workbenchUrl: (t) => workbenchUrl(server.port, t), ws, root, resultsDir, say }));
    }
    if (vsix) {
      const { vsixTest } = await import(join(outDir, 'ui', 'vsix.js'));
      add(await vsixTest({ browser, vsix: resolve(vsix), serverMain, tmp, root, resultsDir, say, startServer, workbenchUrl }));
    }
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
    untrustedServer.stop();
    if (!flag('--keep')) rmSync(tmp, { recursive: true, force: true });
  }
  say(`finished in ${elapsed()}`);
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
  process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}

main().catch((err) => {
  process.stdout.write(`${err.stack ?? err}\n0 passed, 1 failed\n`);
  process.exit(1);
});
