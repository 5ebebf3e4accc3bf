// Robustness: servers that hang, crash, spam stdout, answer hugely, never answer or leave
// children behind. Each run must end in bounded time and leave no process alive (checked by
// PID). Requirement ids: protocol.initialize, server.survives, stdio.stdout-pollution.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { HarnessRun } from '../../src/harness';
import { harness, isRunning, makeProject, nodeServer, results } from './helpers';

const project = makeProject();

function pidsOf(file: string): number[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as number[];
}

/** The pid file of a fixture run, checked after every test. */
const pidFiles: string[] = [];
function pid(name: string): string {
  const file = path.join(project.dir, `${name}.pids.json`);
  pidFiles.push(file);
  return file;
}

after(() => {
  // Every server these tests started (and every child it forked) is gone.
  try {
    for (const file of pidFiles) for (const p of pidsOf(file)) assert.equal(isRunning(p), false, `pid ${p} from ${path.basename(file)} outlived its run`);
  } finally {
    project.cleanup();
  }
});

describe('misbehaving servers', { concurrency: true, timeout: 120_000 }, () => {
  test('hang at initialize: protocol.initialize errors, exit 2, process gone', async () => {
    const pidFile = path.join(project.dir, 'hang.json');
    const started = Date.now();
    const report = await harness([nodeServer('hang', 'hang-init.mjs', [pidFile])], project.dir, { startTimeoutMs: 1500 });
    assert.ok(Date.now() - started < 6000, `took ${Date.now() - started} ms`);
    assert.equal(report.exitCode, 2);
    assert.equal(report.servers[0]!.status, 'not-started');
    const init = results(report).find((r) => r.check === 'protocol.initialize')!;
    assert.equal(init.status, 'error');
    assert.match(init.message, /initialize failed/);
    // The server ignores SIGTERM: only the SIGKILL escalation ends it.
    for (const pid of pidsOf(pidFile)) assert.equal(isRunning(pid), false, `pid ${pid} survived`);
  });

  test('crash mid-run: server.survives fails with evidence, later checks report errors, exit 1', async () => {
    const pidFile = path.join(project.dir, 'crash.json');
    const report = await harness([nodeServer('crash', 'misbehaving.mjs', ['crash', pidFile])], project.dir);
    const all = results(report);
    const survives = all.find((r) => r.check === 'server.survives')!;
    assert.equal(survives.status, 'failed');
    assert.equal(survives.confirmed, true);
    assert.match(survives.message, /exited with code|was killed/);
    assert.match(survives.evidence!.response, /boom: crashed mid-run/);
    assert.ok(all.some((r) => r.status === 'error' && /exited|killed the server/.test(r.message)), 'checks after the crash are reported as not run');
    assert.equal(report.exitCode, 1);
    for (const pid of pidsOf(pidFile)) assert.equal(isRunning(pid), false);
  });

  test('a payload that kills the server: the request is the evidence, the server is restarted and the other tools are still tested', async () => {
    const report = await harness([nodeServer('quote', 'misbehaving.mjs', ['crash-on-quote', pid('quote')])], project.dir);
    const survives = results(report).filter((r) => r.check === 'server.survives');
    assert.equal(survives.length, 1);
    assert.equal(survives[0]!.status, 'failed');
    assert.match(survives[0]!.message, /exited with code 7 while answering a tools\/call request/);
    assert.match(survives[0]!.evidence!.request, /^tools\/call \{"name":"parse".*'/);
    assert.ok(results(report).some((r) => r.tool === 'parse' && r.status === 'error' && /a call of tool 'parse' killed the server/.test(r.message)));
    // 'echo' never sees a quote crash: all its checks ran on the restarted server.
    const echo = results(report).filter((r) => r.tool === 'echo');
    assert.ok(echo.length > 0 && echo.every((r) => r.status !== 'error'), JSON.stringify(echo.filter((r) => r.status === 'error')));
    assert.equal(report.servers[0]!.status, 'ok');
  });

  test('stdout spam: stdio.stdout-pollution confirmed, the run still completes', async () => {
    const report = await harness([nodeServer('spam', 'misbehaving.mjs', ['spam-stdout', pid('spam')])], project.dir);
    const pollution = results(report).find((r) => r.check === 'stdio.stdout-pollution')!;
    assert.equal(pollution.status, 'failed');
    assert.match(pollution.evidence!.response, /tick: still alive|debug: echo called/);
    assert.equal(report.servers[0]!.status, 'ok');
    assert.ok(results(report).some((r) => r.check === 'cmd.injection' && r.status === 'passed'));
  });

  test('huge output: the oversized answer fails fast instead of waiting for the timeout', async () => {
    const started = Date.now();
    const report = await harness([nodeServer('huge', 'misbehaving.mjs', ['huge-output', pid('huge')])], project.dir, { callTimeoutMs: 20_000 });
    assert.equal(report.servers[0]!.status, 'ok');
    // Every call of 'dump' answers 12 MB; each is dropped with a synthetic error, not awaited for 20 s.
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.ok(results(report).some((r) => r.tool === 'dump'));
  });

  test('never answers a call: bounded by the call timeout, the tool is reported as not run', async () => {
    const started = Date.now();
    // The timeout 'stall' must reach is also the budget of every 'echo' call and ping, which must
    // be answered (echo's checks pass, exit 0): 4000 ms, as in every other harness test, rides out
    // the event-loop stalls of the concurrent tests on a loaded machine; 1500 did not.
    const report = await harness([nodeServer('stall', 'misbehaving.mjs', ['never-answer', pid('stall')])], project.dir, { callTimeoutMs: 4000 });
    // One timed-out control call, not one per probe (about 50 of them).
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    const stalled = results(report).filter((r) => r.tool === 'stall' && r.check === 'cmd.injection');
    assert.equal(stalled.length, 1);
    assert.equal(stalled[0]!.status, 'error');
    assert.match(stalled[0]!.message, /no answer within 4000 ms/);
    assert.ok(results(report).some((r) => r.tool === 'echo' && r.check === 'cmd.injection' && r.status === 'passed'));
    assert.equal(report.exitCode, 0);
  });

  test('forked children: the escaped (setsid) child and the in-group child are killed', async () => {
    const pidFile = path.join(project.dir, 'fork.json');
    await harness([nodeServer('fork', 'misbehaving.mjs', ['fork-orphan', pidFile])], project.dir);
    const pids = pidsOf(pidFile);
    assert.equal(pids.length, 3);
    for (const pid of pids) assert.equal(isRunning(pid), false, `pid ${pid} outlived the run`);
  });

  test('cancellation: aborting the signal ends the run promptly and kills the server', async () => {
    const pidFile = path.join(project.dir, 'cancel.json');
    const controller = new AbortController();
    const run = new HarnessRun({ servers: [nodeServer('stall2', 'misbehaving.mjs', ['never-answer', pidFile])], cwd: project.dir, callTimeoutMs: 30_000, signal: controller.signal });
    let abortedAt = 0;
    const types: string[] = [];
    // The async iterator starts the run and ends after run-end.
    for await (const e of run) {
      types.push(e.type);
      // Cancel while the 'stall' tool's control call is hanging.
      if (e.type === 'tool' && e.tool === 'stall') {
        abortedAt = Date.now();
        controller.abort();
      }
    }
    assert.equal(types[0], 'run-start');
    assert.deepEqual(types.slice(-2), ['server-end', 'run-end']);
    const report = await run.run();
    assert.ok(abortedAt > 0);
    assert.ok(Date.now() - abortedAt < 4000, `took ${Date.now() - abortedAt} ms after the abort`);
    assert.equal(report.servers[0]!.status, 'aborted');
    assert.equal(report.exitCode, 2);
    for (const pid of pidsOf(pidFile)) assert.equal(isRunning(pid), false);
  });
});
