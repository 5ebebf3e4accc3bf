import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dottedName, nodesOfType } from '../../src/core/python/ast';
import { ImportTable } from '../../src/core/python/names';
import { pyFiles } from '../support/source-files';
import { parsePy } from './helpers';

// ImportTable.qualifyName remembers its answers per table: each must be what a table that never
// answered anything else says, whatever was asked before (same heads, other tails, aliases).
test('qualifyName answers as a fresh table does, after any other question', async () => {
  const files = [...pyFiles(path.join(__dirname, '..', 'fixtures')), ...pyFiles(path.join(__dirname, '..', '..', 'examples'))];
  let asked = 0;
  let rewritten = 0;
  for (const file of files) {
    const source = await parsePy(fs.readFileSync(file, 'utf8'), file);
    const names = new Set<string>();
    for (const type of ['call', 'attribute', 'identifier']) for (const n of nodesOfType(source, type)) names.add(dottedName(n) ?? '');
    names.delete('');
    // Each name also with another tail and as a bare head, asked in turn of one table.
    const questions = [...names].flatMap((n) => [n, `${n}.extra`, n.split('.')[0]!]);
    const table = new ImportTable(source.root);
    for (const q of [...questions, ...questions.reverse()]) {
      const want = new ImportTable(source.root).qualifyName(q);
      assert.equal(table.qualifyName(q), want, `${path.basename(file)}: ${q}`);
      asked++;
      if (want !== q) rewritten++;
    }
  }
  assert.ok(asked > 5000 && rewritten > 500, `${asked} asked, ${rewritten} qualified through an import`);
});
