import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as ts from 'typescript';
import { identifiersNamed, walkTsKinds, kindMask } from '../../src/core/mcp/lang/ts';

const IDENTIFIERS = kindMask(ts.SyntaxKind.Identifier);

function parse(text: string, file = 'x.ts'): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
}

/** What `identifiersNamed` must return: every identifier of the walk with that text, in order. */
function walked(sf: ts.SourceFile, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  walkTsKinds(sf, IDENTIFIERS, (n) => {
    if ((n as ts.Identifier).text === name) out.push(n as ts.Identifier);
  });
  return out;
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (/\.[cm]?[jt]sx?$/.test(name)) out.push(p);
  }
  return out;
}

describe('identifiersNamed', () => {
  test('skips the name inside longer names, strings, comments and JSDoc; keeps property names and declarations', () => {
    const sf = parse(
      [
        '/** token: the {@link token} */',
        'const token = req.headers.authorization; // token',
        "const tokens = 'token' + `${token}`;",
        'obj.token = { token, mytoken: token };',
        'function f(token: string) { return token; }',
      ].join('\n'),
    );
    const found = identifiersNamed(sf, 'token');
    assert.deepEqual(found, walked(sf, 'token'));
    assert.equal(found.length, 7);
  });

  test('names with leading underscores and unicode escapes match what the walk finds', () => {
    const sf = parse('const __x = 1; const \\u0074oken = __x; token.__x;');
    for (const name of ['__x', 'token', '_x', 'x']) assert.deepEqual(identifiersNamed(sf, name), walked(sf, name), name);
  });

  test('every identifier name of every fixture file', () => {
    const root = join(__dirname, '..', 'fixtures');
    let checked = 0;
    for (const file of tsFiles(root)) {
      const sf = parse(readFileSync(file, 'utf8'), file);
      const names = new Set<string>();
      walkTsKinds(sf, IDENTIFIERS, (n) => {
        names.add((n as ts.Identifier).text);
      });
      for (const name of names) {
        assert.deepEqual(identifiersNamed(sf, name), walked(sf, name), `${file}: ${name}`);
        checked++;
      }
    }
    assert.ok(checked > 1000, `only ${checked} names checked`);
  });
});
