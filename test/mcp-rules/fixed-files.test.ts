import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';
import { applyEdits, autoFixEdits } from '../../src/core/fix';

/**
 * For the MCP rules' fixtures that have a `<name>.fixed.<ext>` golden file: applying every
 * behaviour-preserving fix (what `--fix` does) must produce exactly the golden text.
 */
const RULES = ['no-stdout-in-stdio-server', 'no-secret-in-logs', 'require-secure-session-id', 'no-tool-description-poisoning', 'require-origin-validation'];
const root = path.join(__dirname, '..', 'fixtures', 'rules');

describe('MCP rule fixes reproduce the .fixed golden files', () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });
  for (const rule of RULES) {
    const dir = path.join(root, rule);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const m = /^(.*)\.fixed\.([a-z]+)$/.exec(name);
      if (!m) continue;
      const input = path.join(dir, `${m[1]}.${m[2]}`);
      test(`${rule}/${m[1]}.${m[2]}`, () => {
        const text = fs.readFileSync(input, 'utf8');
        const result = linter.lintText(input, text);
        const edits = autoFixEdits(input, result.findings.filter((f) => f.ruleId === rule));
        assert.ok(edits.length > 0, 'no fix was offered');
        assert.equal(applyEdits(text, edits).text, fs.readFileSync(path.join(dir, name), 'utf8'));
      });
    }
  }
});
