import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { applyEdits } from '../../src/core/fix';
import {
  detectStyle,
  diffEdits,
  ensurePyImport,
  ensureTsImports,
  PyOffsets,
  pyNodeAtSpan,
} from '../../src/core/fixes';
import { loadPythonParser, type TreeSitterParser } from '../../src/core/python/parser';
import { parseTs } from '../../src/core/ts/engine';

function tsImport(text: string, mod: string, names: string[], file = 'a.ts') {
  const sf = parseTs(file, text);
  const r = ensureTsImports({ file, text, sourceFile: sf }, mod, names);
  return { refs: r.refs, out: applyEdits(text, r.edits).text };
}

describe('ensureTsImports', () => {
  test('merges into an existing named import (node: prefix is the same module)', () => {
    const r = tsImport(`import { exec } from 'node:child_process';\nexec('x');\n`, 'child_process', ['execFile']);
    assert.equal(r.out, `import { exec, execFile } from 'node:child_process';\nexec('x');\n`);
    assert.deepEqual(r.refs, { execFile: 'execFile' });
  });
  test('reuses an existing import and its alias, adding nothing', () => {
    const r = tsImport(`import { execFile as ef } from "child_process";\n`, 'node:child_process', ['execFile']);
    assert.equal(r.out, `import { execFile as ef } from "child_process";\n`);
    assert.deepEqual(r.refs, { execFile: 'ef' });
  });
  test('uses a namespace import', () => {
    const r = tsImport(`import * as cp from 'child_process';\n`, 'child_process', ['execFile']);
    assert.deepEqual(r.refs, { execFile: 'cp.execFile' });
    assert.equal(r.out, `import * as cp from 'child_process';\n`);
  });
  test('merges into a CommonJS destructuring require', () => {
    const r = tsImport(`const { exec } = require('child_process')\nexec('x')\n`, 'child_process', ['execFile'], 'a.js');
    assert.equal(r.out, `const { exec, execFile } = require('child_process')\nexec('x')\n`);
  });
  test('uses a CommonJS namespace require', () => {
    const r = tsImport(`const cp = require('child_process');\n`, 'child_process', ['execFileSync'], 'a.js');
    assert.deepEqual(r.refs, { execFileSync: 'cp.execFileSync' });
  });
  test('adds a require in a CommonJS file, following quotes and semicolons', () => {
    const r = tsImport(`const fs = require("fs")\n\nfs.readFileSync("x")\n`, 'node:crypto', ['createHash', 'timingSafeEqual'], 'a.js');
    assert.equal(r.out, `const fs = require("fs")\nconst { createHash, timingSafeEqual } = require("crypto")\n\nfs.readFileSync("x")\n`);
  });
  test('adds an ESM import after the last import', () => {
    const r = tsImport(`import * as fs from 'node:fs';\nimport { z } from 'zod';\n\nconst a = 1;\n`, 'util', ['promisify']);
    assert.equal(r.out, `import * as fs from 'node:fs';\nimport { z } from 'zod';\nimport { promisify } from 'node:util';\n\nconst a = 1;\n`);
  });
  test('merges into a multi-line import list with a trailing comma, CRLF kept', () => {
    const text = `import {\r\n  exec,\r\n  spawn,\r\n} from 'node:child_process';\r\n`;
    const r = tsImport(text, 'child_process', ['execFile']);
    assert.equal(r.out, `import {\r\n  exec,\r\n  spawn,\r\n  execFile,\r\n} from 'node:child_process';\r\n`);
  });
  test('does not reuse a type-only import', () => {
    const r = tsImport(`import type { ExecOptions } from 'node:child_process';\n`, 'child_process', ['execFile']);
    assert.equal(r.out, `import type { ExecOptions } from 'node:child_process';\nimport { execFile } from 'node:child_process';\n`);
  });
  test('inserts below a shebang and leading comment when the file has no imports', () => {
    const r = tsImport(`#!/usr/bin/env node\n// licence\nconst a = 1;\n`, 'crypto', ['timingSafeEqual']);
    assert.equal(r.out, `#!/usr/bin/env node\n// licence\nimport { timingSafeEqual } from 'node:crypto';\n\nconst a = 1;\n`);
  });
});

describe('detectStyle', () => {
  test('finds tabs, double quotes, no semicolons and CRLF', () => {
    const s = detectStyle(`import x from "y"\r\nfunction f() {\r\n\tconst a = "b"\r\n\treturn a\r\n}\r\n`, 'typescript');
    assert.deepEqual(s, { eol: '\r\n', indent: '\t', quote: '"', semi: false });
  });
  test('finds four-space indentation in Python', () => {
    const s = detectStyle(`def f():\n    if x:\n        return 'a'\n`, 'python');
    assert.equal(s.indent, '    ');
    assert.equal(s.quote, "'");
  });
});

describe('ensurePyImport', () => {
  let parser: TreeSitterParser;
  before(async () => {
    parser = await loadPythonParser();
  });
  function py(text: string, mod: string, attr?: string) {
    const tree = parser.parse(text)!;
    const offsets = new PyOffsets(text);
    const r = ensurePyImport({ file: 'a.py', text, tree }, offsets, mod, attr, detectStyle(text, 'python'));
    tree.delete();
    return { ref: r.ref, out: applyEdits(text, r.edits).text };
  }
  test('reuses import module and from-imports with aliases', () => {
    assert.equal(py('import hmac\n', 'hmac', 'compare_digest').ref, 'hmac.compare_digest');
    assert.equal(py('from hmac import compare_digest as cd\n', 'hmac', 'compare_digest').ref, 'cd');
    assert.equal(py('import os.path\n', 'os', 'path').ref, 'os.path');
  });
  test('merges into an existing from-import', () => {
    const r = py('from hmac import new\n', 'hmac', 'compare_digest');
    assert.equal(r.out, 'from hmac import new, compare_digest\n');
    assert.equal(r.ref, 'compare_digest');
  });
  test('adds an import after the docstring when there is no import', () => {
    const r = py('"""Server."""\n\nx = 1\n', 'hmac', 'compare_digest');
    assert.equal(r.out, '"""Server."""\n\nimport hmac\n\nx = 1\n');
  });
  test('adds an import after the last import', () => {
    const r = py('import os\nfrom x import y\n\nz = 1\n', 'hmac', 'compare_digest');
    assert.equal(r.out, 'import os\nfrom x import y\nimport hmac\n\nz = 1\n');
  });
  test('maps non-ASCII offsets between UTF-8 bytes and UTF-16', () => {
    const text = 'a = "é😀"\nb = run(x)\n';
    const tree = parser.parse(text)!;
    const o = new PyOffsets(text);
    const start = text.indexOf('run');
    const node = pyNodeAtSpan(tree, o, { start, end: text.indexOf(')') + 1 })!;
    assert.equal(node.type, 'call');
    assert.deepEqual(o.span(node), { start, end: text.indexOf(')') + 1 });
    tree.delete();
  });
});

describe('diffEdits', () => {
  test('turns a rewritten text back into small edits that reproduce it', () => {
    const before = "import { exec, execFile } from 'x';\nconst a = promisify(exec);\n\nfoo(a);\nbar();\n";
    const after = "import { execFile } from 'x';\n\nfoo(b);\nbar();\nbaz();\n";
    const edits = diffEdits('f.ts', before, after);
    assert.equal(applyEdits(before, edits).text, after);
    // Unchanged lines stay outside every edit; a changed word is one small edit.
    assert.equal(edits.length, 3);
    assert.ok(edits.every((e) => !before.slice(e.span.start, e.span.end).includes('bar')));
    assert.deepEqual(edits[1], { file: 'f.ts', span: { start: before.indexOf('a);\nbar'), end: before.indexOf('a);\nbar') + 1 }, text: 'b' });
  });
  test('handles CRLF and identical texts', () => {
    assert.deepEqual(diffEdits('f', 'a\r\nb\r\n', 'a\r\nb\r\n'), []);
    const edits = diffEdits('f', 'a\r\nb\r\nc\r\n', 'a\r\nc\r\n');
    assert.equal(applyEdits('a\r\nb\r\nc\r\n', edits).text, 'a\r\nc\r\n');
  });
});
