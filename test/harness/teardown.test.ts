// How the harness ends what it started (issue 7): a server's escaped (setsid) children are
// killed as soon as its leader exits, by a marker unique to that server process, so a live
// server of the same run keeps its own; a write to a server that died with a full pipe settles;
// a restarted server that dies right after initialize leaves nothing behind. Checked by PID,
// right when the harness says it is done (no grace period), and under CPU load, where orphans
// were seen.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { markedProcesses, ProcessTransport, ServerProcess, serverEnvironment } from '../../src/harness/process';
import { cpuLoad, harness, isRunning, makeProject, nodeServer, results } from './helpers';

const project = makeProject();
after(() => project.cleanup());

/** Starts a setsid child that outlives this process, prints the child's pid, and exits. */
const LEAVE_CHILD = `const { spawn } = require('node:child_process');
const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
c.unref();
process.stdout.write(c.pid + '\\n', () => process.exit(0));`;

/** Starts a setsid child, prints its pid, and keeps running. */
const KEEP_CHILD = `const { spawn } = require('node:child_process');
const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
c.unref();
process.stdout.write(c.pid + '\\n');
setInterval(() => {}, 1000);`;

let count = 0;
function start(script: string, marker = `teardown-${process.pid}-${++count}`): ServerProcess {
  const env = serverEnvironment(process.env, { home: project.dir, tmp: project.dir }, marker);
  return new ServerProcess(process.execPath, ['-e', script], { cwd: project.dir, env }, marker);
}

/**
 * The first line the process prints (the signal that its child exists). Call it right after
 * start(): Node drops what a child printed when it exits with no reader on its stdout.
 */
function firstLine(p: ServerProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    p.child.stdout!.setEncoding('utf8');
    p.child.stdout!.on('data', (c: string) => {
      buf += c;
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    p.child.once('exit', () => setImmediate(() => reject(new Error(`exited before printing a line (${buf})`))));
  });
}

describe('process teardown', { timeout: 60_000 }, () => {
  test('a setsid child is killed as soon as its leader exits, before `exited` resolves (under CPU load)', async () => {
    const stop = cpuLoad();
    try {
      for (let i = 0; i < 3; i++) {
        const proc = start(LEAVE_CHILD);
        try {
          const child = Number(await firstLine(proc));
          assert.ok(child > 0);
          await proc.exited;
          // Nobody called kill(): the leader's exit alone swept its marker.
          assert.equal(isRunning(child), false, `setsid child ${child} outlived its leader (round ${i})`);
          assert.deepEqual(markedProcesses(proc.marker), []);
        } finally {
          await proc.kill();
        }
      }
    } finally {
      stop();
    }
  });

  test('the sweep after one server exits never touches another live server, even one whose marker it prefixes', async () => {
    const marker = `teardown-${process.pid}-prefix`;
    const live = start(KEEP_CHILD, `${marker}0`);
    const dying = start(LEAVE_CHILD, marker);
    try {
      const [liveChild, dyingChild] = (await Promise.all([firstLine(live), firstLine(dying)])).map(Number) as [number, number];
      await dying.exited;
      assert.equal(isRunning(dyingChild), false);
      assert.equal(isRunning(live.pid!), true, 'the other server was killed');
      assert.equal(isRunning(liveChild), true, "the other server's child was killed");
      await live.kill();
      assert.equal(isRunning(live.pid!), false);
      assert.equal(isRunning(liveChild), false, 'kill() left the setsid child alive');
    } finally {
      await live.kill();
      await dying.kill();
    }
  });

  test('markedProcesses: `ps axeww` (the fallback off Linux) finds what /proc finds', { skip: process.platform !== 'linux' }, async () => {
    const proc = start(KEEP_CHILD);
    try {
      const child = Number(await firstLine(proc));
      const fromProc = markedProcesses(proc.marker, 'proc').sort();
      assert.deepEqual(fromProc, [proc.pid!, child].sort());
      assert.deepEqual(markedProcesses(proc.marker, 'ps').sort(), fromProc);
    } finally {
      await proc.kill();
    }
  });

  test('a send to a server that dies with a full pipe settles instead of waiting for a drain', { timeout: 15_000 }, async () => {
    // Never reads stdin, and exits 300 ms after saying it is ready (in a JSON-RPC notification).
    const proc = start(`process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'ready' }) + '\\n'); setTimeout(() => process.exit(0), 300);`);
    const transport = new ProcessTransport(proc);
    const ready = new Promise<void>((resolve) => (transport.onmessage = () => resolve()));
    await transport.start();
    await ready;
    // 4 MB cannot fit in a pipe: the write stays pending until the server reads it, which it never does.
    const big = { jsonrpc: '2.0' as const, id: 1, method: 'tools/call', params: { name: 'x', arguments: { v: 'A'.repeat(4 * 1024 * 1024) } } };
    await assert.rejects(transport.send(big), /server (?:exited|was killed)|closed its stdin/);
    await transport.close();
  });
});

describe('restarts', { timeout: 60_000 }, () => {
  test('a restarted server that dies right after initialize: every process of every start is gone when the run resolves (under CPU load)', async () => {
    const pidFile = path.join(project.dir, 'orphan-on-restart.json');
    const stop = cpuLoad();
    let report;
    try {
      report = await harness([nodeServer('restart', 'misbehaving.mjs', ['orphan-on-restart', pidFile])], project.dir, { concurrency: 1 });
    } finally {
      stop();
    }
    const pids = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as number[];
    // First start and its setsid child, the restart and its setsid child.
    assert.equal(pids.length, 4, `pids: ${JSON.stringify(pids)}`);
    for (const pid of pids) assert.equal(isRunning(pid), false, `pid ${pid} outlived the run`);
    const survives = results(report).find((r) => r.check === 'server.survives')!;
    assert.equal(survives.status, 'failed');
    assert.match(survives.message, /exited with code 3/);
  });
});
