import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..');
const IMPORTS_VSCODE = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.[cm]?[jt]s$/.test(e.name) ? [p] : [];
  });
}

test('only src/extension imports vscode', () => {
  const offenders = sources(join(root, 'src'))
    .filter((f) => !relative(root, f).startsWith(join('src', 'extension')))
    .filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('the boundary check recognises each import form', () => {
  for (const line of ["import * as vscode from 'vscode';", 'const v = require("vscode");', "import type { Uri } from 'vscode'", "await import('vscode')"]) {
    assert.ok(IMPORTS_VSCODE.test(line), line);
  }
  assert.ok(!IMPORTS_VSCODE.test("import x from 'vscode-languageserver/node';"));
});
