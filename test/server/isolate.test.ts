// The language server's analysis worker (src/server/isolate.ts): queued analyses survive a
// hang or a crash of the one in flight, a failed text is not tried again, a newer text of a
// queued open document replaces the older one, and open documents are what imports read.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { WardenConfig } from '../../src/core';
import { AnalysisIsolate, type IsolatedRequest, type IsolatedResult } from '../../src/server/isolate';

// Read by the worker threads the isolate starts (they inherit this environment).
process.env.MCP_WARDEN_TEST_ANALYSIS_FAULT = 'hang:/hangs.ts,crash:/crashes.ts';

const CONFIG: WardenConfig = { rules: {}, ignore: [] };
const VULNERABLE = `import { exec } from 'node:child_process';
server.tool('t', {}, async ({ cmd }) => { exec(cmd); });
`;

const logs: string[] = [];
const isolate = new AnalysisIsolate({ log: (m) => logs.push(m), timeoutMs: 1500 });
after(() => isolate.dispose());

function req(file: string, text: string, open = true, fixes = false): IsolatedRequest {
  return { file, text, language: 'typescript', config: CONFIG, open, fixes };
}

function rules(r: IsolatedResult): string[] {
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.findings.map((f) => f.ruleId);
}

test('a hang and a crash cost only their own file; the queue behind them is analysed by a new worker', { timeout: 60_000 }, async () => {
  const warm = await isolate.analyse(req('/w/first.ts', VULNERABLE));
  assert.deepEqual(rules(warm), ['no-command-injection']);
  const startedWorkers = isolate.restarts;

  const hang = isolate.analyse(req('/w/hangs.ts', VULNERABLE));
  const queued = isolate.analyse(req('/w/after-hang.ts', VULNERABLE));
  const crash = isolate.analyse(req('/w/crashes.ts', VULNERABLE));
  const last = isolate.analyse(req('/w/after-crash.ts', VULNERABLE, false));

  const h = await hang;
  assert.equal(h.ok, false);
  assert.match(h.ok ? '' : h.message, /^timed out after \d+ ms$/);
  assert.deepEqual(rules(await queued), ['no-command-injection']);
  const c = await crash;
  assert.match(c.ok ? '' : c.message, /^the analysis worker crashed: test fault: the analysis worker crashed$/);
  assert.deepEqual(rules(await last), ['no-command-injection']);
  assert.equal(isolate.restarts, startedWorkers + 2, 'one new worker after the hang, one after the crash');
  assert.ok(logs.some((l) => /analysis of \/w\/hangs\.ts timed out after \d+ ms; the analysis worker was stopped/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /the analysis worker crashed: .* while analysing \/w\/crashes\.ts/.test(l)), logs.join('\n'));

  // The same text is not tried again (it would cost another timeout); another text is.
  const again = await isolate.analyse(req('/w/hangs.ts', VULNERABLE));
  assert.deepEqual(again, { ok: false, message: 'not analysed again: this text failed before' });
  assert.equal(isolate.restarts, startedWorkers + 2);
  // An edit of a file that hung is tried, with a shorter timeout: it holds the queue for less.
  const edited = await isolate.analyse(req('/w/hangs.ts', `${VULNERABLE}\n`));
  assert.match(edited.ok ? '' : edited.message, /^timed out after \d+ ms$/);
  const ms = Number(/(\d+) ms/.exec(edited.ok ? '' : edited.message)![1]);
  assert.ok(ms < 1400, `${ms} ms: the suspect's timeout is 40% of 1,500 ms`);
});

test('a newer text of a queued document replaces the older one, and imports read open documents', { timeout: 60_000 }, async () => {
  // Keep the worker busy so that the next two requests queue.
  const busy = isolate.analyse(req('/w/busy.ts', VULNERABLE.repeat(20)));
  const older = isolate.analyse(req('/w/doc.ts', 'export const clean = 1;\n'));
  const newer = isolate.analyse(req('/w/doc.ts', VULNERABLE));
  await busy;
  const [o, n] = await Promise.all([older, newer]);
  assert.deepEqual(rules(o), ['no-command-injection'], 'the superseded caller gets the newer result');
  assert.deepEqual(o, n);

  // A code action's request (with fixes) is not replaced by a diagnostics one (without).
  const TEMPLATE_EXEC = "import { exec } from 'node:child_process';\nserver.tool('t', {}, async ({ cmd }) => { exec(`ls ${cmd}`); });\n";
  const busy2 = isolate.analyse(req('/w/busy.ts', VULNERABLE.repeat(21)));
  const withFixes = isolate.analyse(req('/w/fix.ts', TEMPLATE_EXEC, true, true));
  const withoutFixes = isolate.analyse(req('/w/fix.ts', TEMPLATE_EXEC, true, false));
  await busy2;
  const [wf, wof] = await Promise.all([withFixes, withoutFixes]);
  assert.ok(wf.ok && wof.ok);
  assert.deepEqual(wf.findings.map((f) => f.fixes.length), [1]);
  assert.deepEqual(wof.findings.map((f) => f.fixes.length), [0]);

  // An open, unsaved helper module: the importing file's analysis follows its text.
  const helper = `import { exec } from 'node:child_process';\nexport function run(c: string) { exec(c); }\n`;
  await isolate.analyse(req('/w/helper.ts', helper));
  const user = `import { run } from './helper';\nserver.tool('t', {}, async ({ cmd }) => { run(cmd); });\n`;
  assert.deepEqual(rules(await isolate.analyse(req('/w/user.ts', user))), ['no-command-injection']);
  isolate.close('/w/helper.ts');
  assert.deepEqual(rules(await isolate.analyse(req('/w/user.ts', `${user}\n`))), [], 'closed: the helper is not on disk');
});
