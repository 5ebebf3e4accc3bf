// The checks that run before any parser (issue 9): the TypeScript nesting guard
// (src/core/ts/parse-guard.ts) and the language-independent size, binary and minified guard
// (src/core/guard.ts), on real files of this repository and its dependencies and on the
// shapes the fuzz generator makes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createLinter } from '../../src/core';
import { ConfigError, parseConfig } from '../../src/core/config';
import { controlShare, DEFAULT_MAX_FILE_BYTES, isMinified, precheck } from '../../src/core/guard';
import { MAX_NESTING, nestingDepth, parseRisk } from '../../src/core/ts/parse-guard';
import { minified, nested, NESTED_SHAPES } from './generate';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string, re: RegExp, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '__pycache__') sources(p, re, out);
    else if (e.isFile() && re.test(e.name)) out.push(p);
  }
  return out;
}

const OWN_SOURCES = [...sources(path.join(ROOT, 'src'), /\.tsx?$/), ...sources(path.join(ROOT, 'test', 'fixtures'), /\.([cm]?[jt]sx?|py)$/), ...sources(path.join(ROOT, 'examples'), /\.([cm]?[jt]sx?|py)$/)];

test('nesting depth: brackets, arrows and prefix chains count; strings, comments, regexes and left-deep chains do not', () => {
  assert.equal(nestingDepth('f(a, [b, { c: 1 }]);').depth, 3);
  assert.equal(nestingDepth(`const x = ${'('.repeat(300)}1${')'.repeat(300)};`).depth, 300);
  // Each arrow's body nests the parser as deep as a parenthesis does.
  assert.equal(nestingDepth(`const f = ${'a => '.repeat(300)}a;`).depth, 300);
  // A quarter level per prefix operator or ternary.
  assert.equal(nestingDepth(`const x = ${'!'.repeat(400)}a;`).depth, 100);
  // Left-deep chains cost the parser no stack.
  assert.equal(nestingDepth(`const s = a${' + b'.repeat(20_000)};`).depth, 0);
  assert.equal(nestingDepth(`const s = a${'.b()'.repeat(5_000)};`).depth, 1);
  // Brackets inside strings, comments, templates' text and regexes are text.
  const quiet = `const s = "${'('.repeat(999)}"; // ${'['.repeat(999)}\n/* ${'{'.repeat(999)} */ const r = /${'\\('.repeat(999)}[(]/g; const t = \`${'('.repeat(999)}\`;`;
  assert.equal(nestingDepth(quiet).depth, 0);
  // Template substitutions nest, and their text resumes after the '}'.
  assert.equal(nestingDepth(`const t = \`a\${ f(\`b\${ g(1) }c\`) }d(((\`;`).depth, 4);
  // JSX elements nest; closing tags close them; comparisons do not pile up.
  assert.equal(nestingDepth(`const x = ${'<div>'.repeat(300)}{a}${'</div>'.repeat(300)};`).depth, 301);
  assert.equal(nestingDepth(`${'if (a < b) x();\n'.repeat(2000)}`).depth, 2);
  assert.equal(nestingDepth(`${'const ok = a < b\n'.repeat(2000)}`).depth, 1);
  // Statements without semicolons end at a line break between a complete expression and a new one.
  assert.equal(nestingDepth(`${'x = y\n'.repeat(5000)}`).depth, 0);
  // Stray closers of half-typed code are ignored in constant time.
  const started = performance.now();
  assert.equal(nestingDepth(`${'('.repeat(200)}${']'.repeat(500_000)}`).depth, 200);
  assert.ok(performance.now() - started < 1000);
});

test('every fuzz shape that nests the TypeScript parser beyond its stack is refused, with the depth and line', async () => {
  const linter = await createLinter();
  for (const shape of NESTED_SHAPES.filter((s) => !s.startsWith('py-'))) {
    for (const depth of [100, 5_000]) {
      const { name, text } = nested(shape, depth);
      const result = linter.lintText(`/fuzz/${name}`, text, { host: { readFile: () => undefined } });
      const kinds = result.problems.map((p) => p.kind);
      assert.ok(!kinds.includes('internal-error'), `${shape}(${depth}): ${result.problems.map((p) => p.message).join('; ')}`);
      if (depth === 100) assert.ok(!kinds.includes('too-large'), `${shape}(100) is real-world deep and must be analysed`);
    }
  }
  const risk = parseRisk(`const ok = 1;\nconst x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
  assert.equal(risk, `not analysed: the code nests 5000 levels deep at line 2 (brackets, arrow functions, operator chains), over the ${MAX_NESTING} levels the TypeScript parser can take without overflowing its stack`);
});

test("this repository's own sources, fixtures and examples pass every guard", () => {
  assert.ok(OWN_SOURCES.length > 100);
  for (const file of OWN_SOURCES) {
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(precheck(file, text), undefined, file);
    if (!file.endsWith('.py')) assert.ok(nestingDepth(text).depth < 64, `${file}: ${nestingDepth(text).depth}`);
  }
});

test('real minified bundles from node_modules are minified; source with long data lines is not', () => {
  const bundles = fs
    .readdirSync(path.join(ROOT, 'node_modules'))
    .flatMap((pkg) => {
      const dist = path.join(ROOT, 'node_modules', pkg, 'dist');
      return fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.endsWith('.min.js')).map((f) => path.join(dist, f)) : [];
    });
  assert.ok(bundles.length >= 3, `too few .min.js bundles in node_modules: ${bundles.join(', ')}`);
  for (const b of bundles) assert.ok(isMinified(fs.readFileSync(b, 'utf8')), b);
  assert.ok(isMinified(minified(64 * 1024)));

  // The shapes of real MCP servers with long lines: a base64 image, JSON test data in a template.
  const image = Buffer.alloc(48 * 1024, 7).toString('base64');
  const tool = `export const IMAGE = '${image}';\nserver.tool('img', {}, async () => ({ content: [{ type: 'image', data: IMAGE }] }));\n`;
  assert.equal(isMinified(tool), false);
  const data = JSON.stringify(
    Array.from({ length: 400 }, (_, i) => ({ url: `https://example.com/docs?page=${i}`, title: `Install guide, part ${i}`, text: 'Download the community server (free) and start it with the default options.' })),
  );
  assert.equal(isMinified(`it('lists', () => {\n  expect(out).toEqual(\`${data}\`);\n});\n`), false);
});

test('size, binary and minified refusals say how to include the file, and the configuration does', async () => {
  const big = `${'export const a = 1;\n'.repeat(60_000)}`;
  assert.ok(Buffer.byteLength(big) > DEFAULT_MAX_FILE_BYTES);
  const refused = precheck('/x/big.ts', big);
  assert.equal(refused?.kind, 'too-large');
  assert.equal(refused?.message, "not analysed: 1,200,000 bytes is over the 1,048,576 bytes limit; raise 'maxFileBytes' in .mcp-warden.json to include it");
  assert.match(precheck('/x/b.min.js', minified(64 * 1024))!.message, /minified .*set 'analyzeMinified': true in \.mcp-warden\.json/);

  const noise = Buffer.alloc(8192);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 256;
  assert.ok(controlShare(noise.toString('latin1')) > 0.2);
  assert.equal(precheck('/x/noise.py', noise.toString('latin1'))?.kind, 'binary');

  // The refusal is the linter's answer, quickly; a configuration that raises the limit analyses the file.
  const vulnerable = `import { exec } from 'node:child_process';\nserver.tool('t', {}, async ({ cmd }) => exec(cmd));\n${'// padding line\n'.repeat(70_000)}`;
  const linter = await createLinter();
  const t0 = performance.now();
  const small = linter.lintText('/x/server.ts', vulnerable);
  assert.ok(performance.now() - t0 < 500);
  assert.deepEqual(small.problems.map((p) => p.kind), ['too-large']);
  assert.deepEqual(small.findings, []);
  const config = parseConfig({ maxFileBytes: 4 * 1024 * 1024, analyzeMinified: true }, '/x/.mcp-warden.json');
  assert.equal(config.maxFileBytes, 4 * 1024 * 1024);
  const raised = (await createLinter(config)).lintText('/x/server.ts', vulnerable);
  assert.deepEqual(raised.findings.map((f) => f.ruleId), ['no-command-injection']);
  assert.ok(!raised.problems.some((p) => p.kind === 'too-large'));

  assert.throws(() => parseConfig({ maxFileBytes: -1 }, 'c.json'), ConfigError);
  assert.throws(() => parseConfig({ maxFileBytes: '1MB' }, 'c.json'), /'maxFileBytes' must be a positive whole number of bytes/);
  assert.throws(() => parseConfig({ analyzeMinified: 'yes' }, 'c.json'), /'analyzeMinified' must be true or false/);
});
