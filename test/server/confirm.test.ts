import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core';
import { confirmedFingerprints, ruleForCheck } from '../../src/server/confirm';

function finding(ruleId: string, sourceLine: number, fingerprint: string): Finding {
  const loc = { file: '/p/s.ts', span: { start: 0, end: 1 }, startLine: sourceLine + 2, startColumn: 1, endLine: sourceLine + 2, endColumn: 2 };
  return {
    ruleId,
    message: 'm',
    severity: 'error',
    cwe: [],
    location: loc,
    flow: [{ location: { ...loc, startLine: sourceLine, endLine: sourceLine }, message: 'tool argument' }],
    fixes: [],
    fingerprint,
  };
}

test('maps harness check ids to the rules they prove', () => {
  assert.equal(ruleForCheck('cmd.injection'), 'no-command-injection');
  assert.equal(ruleForCheck('cmd.argument-injection'), 'no-command-injection');
  assert.equal(ruleForCheck('sql.injection'), 'no-sql-string-building');
  assert.equal(ruleForCheck('path.traversal'), 'no-path-traversal');
  assert.equal(ruleForCheck('ssrf.loopback'), 'no-ssrf');
  assert.equal(ruleForCheck('code.injection'), 'no-code-injection');
  assert.equal(ruleForCheck('http.auth.no-token'), undefined);
});

test('confirms only the finding of the proven tool and rule', () => {
  const findings = [finding('no-command-injection', 12, 'a'), finding('no-command-injection', 32, 'b'), finding('no-sql-string-building', 33, 'c')];
  const tools = [
    { tool: 'one', file: '/p/s.ts', line: 10 },
    { tool: 'two', file: '/p/s.ts', line: 30 },
  ];
  const confirmed = [{ check: 'cmd.injection', tool: 'two', param: 'x', file: '/p/s.ts', line: 30 }];
  assert.deepEqual([...confirmedFingerprints('/p/s.ts', findings, confirmed, tools)], ['b']);
  assert.deepEqual([...confirmedFingerprints('/p/other.ts', findings, confirmed, tools)], []);
});
