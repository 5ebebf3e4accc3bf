import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** What scripts/test-vscode.mjs hands the UI test. */
export interface UiContext {
  readonly browser: Browser;
  readonly workbenchUrl: (target: { folder?: string; workspace?: string; extensionDevelopmentPath?: string }) => string;
  readonly ws: string;
  readonly root: string;
  readonly resultsDir: string;
  readonly say: (message: string) => void;
}

export interface Counts {
  passed: number;
  failed: number;
}

const STEP_TIMEOUT_MS = 60_000;

/** Runs named steps in order; a failing step is reported (with a screenshot) and stops the test. */
export async function steps(page: Page, ctx: Pick<UiContext, 'resultsDir' | 'say'>, label: string, list: Array<[string, () => Promise<void>]>): Promise<Counts> {
  const counts = { passed: 0, failed: 0 };
  for (const [name, fn] of list) {
    const t0 = Date.now();
    try {
      await fn();
      counts.passed++;
      process.stdout.write(`  [${label}]   ok   ${name} (${Date.now() - t0} ms)\n`);
    } catch (err) {
      counts.failed++;
      const shot = path.join(ctx.resultsDir, `${label}-failure.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      process.stdout.write(`  [${label}]   FAIL ${name}\n       ${String((err as Error).message ?? err).split('\n').slice(0, 6).join('\n       ')}\n       screenshot: ${shot}\n`);
      break;
    }
  }
  return counts;
}

/** Types into the command palette and runs the first match, as a person would with F1. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
}

/** Opens a file through Quick Open (Ctrl+P). */
export async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(name);
  // Enter picks the focused row: wait until the filtered list has put the file there.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/**
 * The workbench driven like a person: command palette (F1), a file with a flaw, the Problems
 * panel, the lightbulb menu; screenshots go to test-results/vscode/.
 */
export async function uiTest(ctx: UiContext): Promise<Counts> {
  const context = await ctx.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const url = ctx.workbenchUrl({ folder: path.join(ctx.ws, 'ts-server'), extensionDevelopmentPath: ctx.root });
  const counts = await steps(page, ctx, 'ui', [
    [
      'the workbench loads with the extension',
      async () => {
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT_MS });
        // Activated by workspaceContains:.vscode/mcp.json, before any file is opened.
        await page.locator('[id$="mcpWarden.status"]').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      'F1 > "MCP Warden: Scan Workspace" fills the status bar counts',
      async () => {
        await runCommand(page, 'MCP Warden: Scan Workspace');
        // The status bar item shows "$(shield) <errors> $(warning) <warnings>" once findings exist.
        await page.locator('[id$="mcpWarden.status"]').filter({ hasText: /\d/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      'a file with a flaw shows a squiggle',
      async () => {
        await quickOpen(page, 'exec.ts');
        await page.locator('.view-overlays .squiggly-warning').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      },
    ],
    [
      'the injection grammar colours suppression directives inside comments',
      async () => {
        await quickOpen(page, 'suppressed.ts');
        const line = page.locator('.view-line', { hasText: 'mcp-warden-disable-next-line' }).first();
        await line.waitFor({ timeout: STEP_TIMEOUT_MS });
        const classOf = (text: string) => line.locator('span > span', { hasText: text }).first().getAttribute('class');
        const marker = await classOf('//');
        const keyword = await classOf('mcp-warden-disable-next-line');
        assert(keyword !== null && keyword !== marker, `directive token class ${keyword} equals the comment's ${marker}`);
        await quickOpen(page, 'exec.ts');
      },
    ],
    [
      'the Problems panel lists the finding with its rule id',
      async () => {
        await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'no-command-injection' }).first();
        await row.waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.screenshot({ path: path.join(ctx.resultsDir, 'ui-problems.png') });
      },
    ],
    [
      'the lightbulb menu offers the fix, the suppression and the documentation',
      async () => {
        // Go to the flawed line (line 8 of exec.ts) and open the quick-fix menu with Ctrl+.
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+G');
        await page.locator('.quick-input-widget input').fill(':8:3');
        await page.keyboard.press('Enter');
        await page.locator('.lightbulb-glyph, .codicon-light-bulb, .codicon-lightbulb-autofix').first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.keyboard.press('Control+.');
        const menu = page.locator('.action-widget');
        await menu.locator('.monaco-list-row', { hasText: 'Disable no-command-injection for this line' }).waitFor({ timeout: STEP_TIMEOUT_MS });
        await menu.locator('.monaco-list-row', { hasText: 'Show documentation for no-command-injection' }).waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.screenshot({ path: path.join(ctx.resultsDir, 'ui-lightbulb.png') });
        await page.keyboard.press('Escape');
      },
    ],
    [
      'F1 > "MCP Warden: Run Harness on Server..." offers the mcp.json servers and confirms the flaw',
      async () => {
        await runCommand(page, 'MCP Warden: Run Harness on Server...');
        const input = page.locator('.quick-input-widget input');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'fixture-hang' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await input.fill('fixture-ts');
        await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fixture-ts' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.keyboard.press('Enter');
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel .monaco-list-row', { hasText: 'confirmed by harness' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.screenshot({ path: path.join(ctx.resultsDir, 'ui-harness.png') });
      },
    ],
  ]);
  await context.close();
  return counts;
}
