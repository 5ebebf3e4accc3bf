import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { LineMap, type Finding, type Rule } from '../../src/core';
import { allRules } from '../../src/rules';
import { buildLintSarif } from '../../src/cli/formats/sarif';
import type { LintRun } from '../../src/cli/run';
import { sarifSchemaErrors } from '../support/sarif';

const baseDir = path.resolve('/project');
const file = path.join(baseDir, 'src', 'server.ts');
const text = [
  "import { exec } from 'node:child_process';",
  "server.tool('run', { cmd: z.string() }, async ({ cmd }) => {",
  '  exec(`ls ${cmd}`);',
  '});',
].join('\n');
const lines = new LineMap(text);
const at = (needle: string) => {
  const start = text.indexOf(needle);
  return lines.location(file, { start, end: start + needle.length });
};

const finding: Finding = {
  ruleId: 'no-command-injection',
  message: "This shell command passed to 'exec' depends on the tool argument 'cmd'.",
  severity: 'error',
  cwe: [78, 88],
  location: at('exec(`ls ${cmd}`)'),
  flow: [
    { location: at('{ cmd }'), message: "tool argument 'cmd'" },
    { location: at('exec(`ls ${cmd}`)'), message: "passed to 'exec'" },
  ],
  fixes: [
    {
      kind: 'suggestion',
      title: 'Use execFile with an argument array',
      preferred: true,
      edits: [{ file, span: at('exec(`ls ${cmd}`)').span, text: "execFile('ls', [cmd])" }],
    },
  ],
  fingerprint: 'abc123',
  properties: { tool: 'run', parameter: 'cmd' },
};

function lintRun(rules: readonly Rule[]): LintRun {
  return {
    baseDir,
    rules,
    results: [{ file, language: 'typescript', findings: [finding], problems: [], elapsedMs: 1 }],
    unreadable: [{ file: path.join(baseDir, 'blob.ts'), kind: 'binary', message: 'binary file (contains NUL bytes)' }],
    texts: new Map([[file, text]]),
    baselined: 0,
  };
}

test('a finding with a flow and a fix gives a schema-valid SARIF result with codeFlows and fixes', () => {
  const log = buildLintSarif(lintRun(allRules)) as any;
  assert.deepEqual(sarifSchemaErrors(log), []);
  const run = log.runs[0];
  assert.deepEqual(run.originalUriBaseIds, { SRCROOT: { uri: 'file:///project/' } });
  const result = run.results[0];
  assert.equal(result.ruleId, 'no-command-injection');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'no-command-injection');
  assert.equal(result.level, 'error');
  assert.deepEqual(result.locations[0].physicalLocation, {
    artifactLocation: { uri: 'src/server.ts', uriBaseId: 'SRCROOT' },
    region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 20 },
  });
  const steps = result.codeFlows[0].threadFlows[0].locations;
  assert.deepEqual(steps.map((s: any) => [s.location.message.text, s.location.physicalLocation.region.startLine]), [
    ["tool argument 'cmd'", 2],
    ["passed to 'exec'", 3],
  ]);
  const replacement = result.fixes[0].artifactChanges[0].replacements[0];
  assert.equal(replacement.insertedContent.text, "execFile('ls', [cmd])");
  assert.equal(text.slice(replacement.deletedRegion.charOffset, replacement.deletedRegion.charOffset + replacement.deletedRegion.charLength), 'exec(`ls ${cmd}`)');
  assert.equal(result.partialFingerprints['mcpWarden/v1'], 'abc123');
  assert.deepEqual(result.properties, { tool: 'run', parameter: 'cmd' });
  // The unreadable file is a tool execution notification, and the run is marked unsuccessful.
  assert.equal(run.invocations[0].executionSuccessful, false);
  assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^binary: /);
});

test('every rule descriptor carries helpUri, security and CWE tags', () => {
  const log = buildLintSarif(lintRun(allRules)) as any;
  for (const [i, rule] of allRules.entries()) {
    const d = log.runs[0].tool.driver.rules[i];
    assert.equal(d.id, rule.meta.id);
    assert.equal(d.helpUri, rule.docsUrl);
    assert.deepEqual(
      d.properties.tags.filter((t: string) => t === 'security' || t.startsWith('external/cwe/')),
      ['security', ...rule.meta.cwe.map((n) => `external/cwe/cwe-${n}`)],
    );
  }
});
