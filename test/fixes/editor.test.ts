import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import { createLinter, type Linter } from '../../src/core';
import { applyEdits } from '../../src/core/fix';
import { codeActions } from '../../src/server/codeActions';
import { toDiagnostic } from '../../src/server/diagnostics';

/**
 * What the editor applies is what the linter proposes: for every finding with fixes in the fix
 * fixtures (LF and CRLF variants), the language server's QuickFix edits, applied by
 * vscode-languageserver-textdocument, give the same text as the FixProposal edits, and exactly
 * one action per finding is preferred.
 */
let linter: Linter;
before(async () => {
  linter = await createLinter();
});

test('LSP code action edits equal the FixProposal edits, one preferred per finding', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'fixes');
  const names = fs.readdirSync(dir).filter((f) => /\.(ts|py|cjs)$/.test(f) && !f.includes('.fixed.') && !f.endsWith('.d.ts'));
  let compared = 0;
  for (const name of names) {
    for (const eol of ['\n', '\r\n']) {
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8').replace(/\n/g, eol);
      const uri = pathToFileURL(file).toString();
      const language = name.endsWith('.py') ? 'python' : 'typescript';
      const findings = linter.lintText(file, text).findings.filter((f) => f.fixes.length > 0);
      for (const f of findings) {
        const actions = codeActions({ uri, file, text, language, findings, diagnostics: [toDiagnostic(f)], snippets: false, readText: () => undefined });
        const fixActions = actions.filter((a) => f.fixes.some((x) => x.title === a.title));
        assert.equal(fixActions.length, f.fixes.length, `${name}: one action per proposal`);
        assert.equal(fixActions.filter((a) => a.isPreferred).length, 1, `${name}: exactly one preferred action`);
        for (const [i, action] of fixActions.entries()) {
          const lspEdits = (action.edit?.changes?.[uri] ?? []) as LspTextEdit[];
          const doc = TextDocument.create(uri, language, 1, text);
          const byEditor = TextDocument.applyEdits(doc, lspEdits);
          assert.equal(byEditor, applyEdits(text, f.fixes[i]!.edits).text, `${name}: '${action.title}'`);
          compared++;
        }
      }
    }
  }
  assert.ok(compared >= 40, `compared ${compared} actions`);
});
