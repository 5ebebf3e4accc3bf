import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { quickOpen, runCommand, steps, type Counts } from './workbench';

interface Server {
  readonly port: number;
  stop(): void;
}

/** What scripts/test-vscode.mjs hands the packaged-extension test. */
export interface VsixContext {
  readonly browser: Browser;
  readonly vsix: string;
  readonly serverMain: string;
  readonly tmp: string;
  readonly root: string;
  readonly resultsDir: string;
  readonly say: (message: string) => void;
  readonly startServer: (dir: string, env: Record<string, string>, settings: Record<string, unknown>) => Promise<Server>;
  readonly workbenchUrl: (port: number, target: { folder: string }) => string;
}

const TIMEOUT_MS = 90_000;

/**
 * The packaged VSIX as a user gets it: installed with `--install-extension` into a fresh VS Code,
 * then examples/typescript-server opened: diagnostics, the harness from the command palette, the
 * "confirmed by harness" mark and the report.
 */
export async function vsixTest(ctx: VsixContext): Promise<Counts> {
  const dir = path.join(ctx.tmp, 'vsix-server');
  for (const d of ['extensions', 'server', 'user/User']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const install = spawnSync(
    process.execPath,
    [ctx.serverMain, '--install-extension', ctx.vsix, '--extensions-dir', path.join(dir, 'extensions'), '--server-data-dir', path.join(dir, 'server'), '--user-data-dir', path.join(dir, 'user'), '--accept-server-license-terms'],
    { encoding: 'utf8' },
  );
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
    const tail = `${install.stdout}${install.stderr}`.split('\n').slice(-10).map((l) => l.slice(0, 300));
    process.stdout.write(`  [vsix]   FAIL install ${ctx.vsix}\n       ${tail.join('\n       ')}\n`);
    return { passed: 0, failed: 1 };
  }
  process.stdout.write(`  [vsix]   ok   installs ${path.basename(ctx.vsix)} with --install-extension\n`);
  // The example has no .vscode/mcp.json and no local tsx, so the server is configured the way a
  // user would: the mcpWarden.harness.servers setting (run with the repository's tsx).
  const server = await ctx.startServer(dir, {}, {
    'security.workspace.trust.enabled': false,
    'mcpWarden.harness.servers': [{ name: 'notes', command: path.join(ctx.root, 'node_modules', '.bin', 'tsx'), args: ['src/index.ts'] }],
  });
  const context = await ctx.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  try {
    const counts = await steps(page, ctx, 'vsix', [
      [
        'opening examples/typescript-server activates the installed extension',
        async () => {
          await page.goto(ctx.workbenchUrl(server.port, { folder: path.join(ctx.root, 'examples', 'typescript-server') }));
          await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT_MS });
          await quickOpen(page, 'server.ts');
          await page.locator('[id$="mcpWarden.status"]').first().waitFor({ timeout: TIMEOUT_MS });
        },
      ],
      [
        'the planted flaws are underlined and listed in the Problems panel',
        async () => {
          await page.locator('.view-overlays .squiggly-error').first().waitFor({ timeout: TIMEOUT_MS });
          await page.keyboard.press('Control+Shift+M');
          for (const rule of ['no-command-injection', 'no-sql-string-building', 'no-path-traversal']) {
            await page.locator('.markers-panel .monaco-list-row', { hasText: rule }).first().waitFor({ timeout: TIMEOUT_MS });
          }
          await page.screenshot({ path: path.join(ctx.resultsDir, 'vsix-problems.png') });
        },
      ],
      [
        'F1 > "MCP Warden: Run Security Harness" confirms the flaws in the Problems panel',
        async () => {
          await runCommand(page, 'MCP Warden: Run Security Harness');
          await page.locator('.markers-panel .monaco-list-row', { hasText: 'confirmed by harness' }).first().waitFor({ timeout: TIMEOUT_MS });
        },
      ],
      [
        'the Testing view and the report show the run',
        async () => {
          await runCommand(page, 'Testing: Focus on Test Explorer View');
          // Expand the server (ArrowRight on an expanded node only moves down), then find a tool
          // row of the example (the safe twin's name appears only in the Testing view).
          const serverRow = page.locator('.monaco-list-row[aria-level="1"]', { hasText: 'notes' }).first();
          await serverRow.waitFor({ timeout: TIMEOUT_MS });
          await serverRow.click();
          await page.keyboard.press('ArrowRight');
          await page.locator('.monaco-list-row', { hasText: 'ping_host_safe' }).first().waitFor({ timeout: TIMEOUT_MS });
          await page.screenshot({ path: path.join(ctx.resultsDir, 'vsix-testing.png') });
          await runCommand(page, 'MCP Warden: Show Harness Report');
          await page.locator('.tab', { hasText: 'MCP Warden Harness Report' }).first().waitFor({ timeout: TIMEOUT_MS });
          const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
          await frame.locator('text=confirmed').first().waitFor({ timeout: TIMEOUT_MS });
          await page.screenshot({ path: path.join(ctx.resultsDir, 'vsix-report.png') });
        },
      ],
    ]);
    return { passed: counts.passed + 1, failed: counts.failed };
  } finally {
    await context.close();
    server.stop();
  }
}
