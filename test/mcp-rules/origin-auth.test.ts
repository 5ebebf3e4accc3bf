import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';

/**
 * require-origin-validation reports a missing Origin check behind authentication too (the
 * specification's MUST applies to every request); the message then says why authentication
 * does not replace the check, and only then.
 */
const dir = path.join(__dirname, '..', 'fixtures', 'rules', 'require-origin-validation');
const CLAUSE = 'Authentication does not replace that check';

function messages(linter: Linter, name: string): string[] {
  const file = path.join(dir, name);
  return linter.lintText(file, fs.readFileSync(file, 'utf8')).findings.filter((f) => f.ruleId === 'require-origin-validation').map((f) => f.message);
}

describe('require-origin-validation behind authentication', () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });
  for (const name of ['authenticated.ts', 'authenticated_oauth.py']) {
    test(`${name}: reported, with why authentication does not replace the check`, () => {
      const found = messages(linter, name);
      assert.equal(found.length, 1);
      assert.ok(found[0]!.startsWith('This Streamable HTTP transport validates neither Origin nor Host.'), found[0]);
      assert.ok(found[0]!.includes(CLAUSE), found[0]);
    });
  }
  for (const name of ['unprotected.ts', 'exposed.py']) {
    test(`${name}: a server without authentication gets no such clause`, () => {
      const found = messages(linter, name);
      assert.ok(found.length > 0);
      for (const m of found) assert.ok(!m.includes(CLAUSE), m);
    });
  }
});
