import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules } from '../src/rules';

const docsDir = path.join(__dirname, '..', 'docs', 'rules');

/** The first paragraph after the page title. */
function firstParagraph(markdown: string): string {
  const body = markdown.replace(/^#[^\n]*\n/, '').trim();
  return body.split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, ' ').trim();
}

test('rules are registered in alphabetical order with unique ids', () => {
  const ids = allRules.map((r) => r.meta.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.equal(new Set(ids).size, ids.length);
});

for (const rule of allRules) {
  test(`${rule.meta.id} has a doc page whose first paragraph is its description`, () => {
    const file = path.join(docsDir, `${rule.meta.id}.md`);
    assert.ok(fs.existsSync(file), `missing docs/rules/${rule.meta.id}.md`);
    const md = fs.readFileSync(file, 'utf8');
    assert.match(md, new RegExp(`^# ${rule.meta.id}\\b`), 'title is the rule id');
    assert.equal(firstParagraph(md).replace(/\.$/, ''), rule.meta.description);
    for (const cwe of rule.meta.cwe) assert.ok(md.includes(`CWE-${cwe}`), `doc mentions CWE-${cwe}`);
  });
}

test('every doc page belongs to a rule', () => {
  const ids = new Set(allRules.map((r) => r.meta.id));
  const orphans = fs.existsSync(docsDir)
    ? fs.readdirSync(docsDir).filter((f) => f.endsWith('.md') && !ids.has(f.slice(0, -3)))
    : [];
  assert.deepEqual(orphans, []);
});
