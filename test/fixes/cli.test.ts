import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyEdits } from '../../src/core/fix';

/**
 * The CLI side of fixes and baselines, through the built `node dist/cli.js` (npm test builds
 * first; a missing bundle is built here): --fix writes files back with their BOM and CRLF line
 * endings, applies only behaviour-preserving fixes, baselines round-trip from any folder, and the
 * SARIF `fixes` carry exactly the edits of the JSON/FixProposal output.
 */
const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const fixtures = path.join(root, 'test', 'fixtures', 'fixes');
const dirs: string[] = [];

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-warden-fix-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

before(() => {
  if (!fs.existsSync(cli)) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
});
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const TOOL = [
  "import { exec } from 'node:child_process';",
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
  "import { z } from 'zod';",
  '',
  "const server = new McpServer({ name: 'x', version: '1.0.0' });",
  '',
  "server.tool('ping', { host: z.string() }, async ({ host }) => {",
  '  // mcp-warden-disable-next-line no-sql-string-building -- stale: there is no SQL here',
  '  exec(`ping -c 1 ${host}`);',
  "  return { content: [{ type: 'text', text: 'ok' }] };",
  '});',
  '',
];

describe('mcp-warden lint --fix', () => {
  test('keeps the BOM and CRLF line endings, and applies fixes but never suggestions', () => {
    const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TOOL.join('\r\n'))]);
    const dir = project({ 'server.ts': original });
    const r = run(['lint', '--fix', '--format', 'json', 'server.ts'], dir);
    assert.equal(r.code, 1, r.stderr);
    const bytes = fs.readFileSync(path.join(dir, 'server.ts'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM kept');
    const text = bytes.subarray(3).toString('utf8');
    assert.doesNotMatch(text, /(^|[^\r])\n/, 'no bare LF');
    // The unused directive (a behaviour-preserving fix) is gone; the exec suggestion is not applied.
    assert.doesNotMatch(text, /mcp-warden-disable/);
    assert.match(text, /exec\(`ping -c 1 \$\{host\}`\)/);
    assert.equal(text, TOOL.filter((l) => !l.includes('mcp-warden-disable')).join('\r\n'));
    const report = JSON.parse(r.stdout) as { files: { findings: { ruleId: string }[] }[] };
    assert.deepEqual(report.files[0]!.findings.map((f) => f.ruleId), ['no-command-injection']);
  });

  test('does not fix a file that does not parse', () => {
    const broken = `${TOOL.join('\n')}\nfunction (\n`;
    const dir = project({ 'server.ts': broken });
    run(['lint', '--fix', 'server.ts'], dir);
    assert.equal(fs.readFileSync(path.join(dir, 'server.ts'), 'utf8'), broken);
  });

  test('leaves files without applicable fixes byte for byte alone', () => {
    const clean = Buffer.from('\ufeffexport const a = 1;\r\n', 'utf8');
    const dir = project({ 'a.ts': clean });
    assert.equal(run(['lint', '--fix', 'a.ts'], dir).code, 0);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'a.ts')), clean);
  });
});

describe('baselines', () => {
  test('write then read round trip, from another folder, surviving edits above the finding', () => {
    const dir = project({ 'src/server.ts': TOOL.filter((l) => !l.includes('mcp-warden-disable')).join('\n') });
    const w = run(['lint', '--write-baseline', 'warden-baseline.json', 'src'], dir);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /Wrote 1 findings/);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'warden-baseline.json'), 'utf8')) as { version: number; findings: { file: string; ruleId: string }[] };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.findings.map((f) => [f.file, f.ruleId]), [['src/server.ts', 'no-command-injection']]);

    const ok = run(['lint', '--baseline', 'warden-baseline.json', '--format', 'json', 'src'], dir);
    assert.equal(ok.code, 0, ok.stdout);
    assert.equal((JSON.parse(ok.stdout) as { summary: { baselined: number } }).summary.baselined, 1);
    // From a subfolder, with the baseline given relative to it: same result.
    assert.equal(run(['lint', '--baseline', '../warden-baseline.json', '.'], path.join(dir, 'src')).code, 0);

    // Lines added above the accepted finding do not invalidate it; a new flaw is reported.
    const file = path.join(dir, 'src', 'server.ts');
    const shifted = fs.readFileSync(file, 'utf8').replace("const server", "// a comment\n\nconst server");
    fs.writeFileSync(file, `${shifted}\nserver.tool('ls', { d: z.string() }, async ({ d }) => {\n  exec('ls ' + d);\n  return { content: [] };\n});\n`);
    const after = run(['lint', '--baseline', 'warden-baseline.json', '--format', 'json', 'src'], dir);
    assert.equal(after.code, 1);
    const findings = (JSON.parse(after.stdout) as { files: { findings: { location: { startLine: number } }[] }[] }).files[0]!.findings;
    const newLine = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes("exec('ls ' + d)")) + 1;
    assert.deepEqual(findings.map((f) => f.location.startLine), [newLine]);
  });

  test('a malformed baseline is a usage error', () => {
    const dir = project({ 'a.ts': 'export {};\n', 'b.json': '{"version":1,"findings":[{"ruleId":1}]}' });
    const r = run(['lint', '--baseline', 'b.json', 'a.ts'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /every baseline entry needs/);
  });
});

describe('SARIF fixes', () => {
  test('carry the same edits as the JSON output and the editor would apply', () => {
    const names = fs.readdirSync(fixtures).filter((f) => /\.(ts|py)$/.test(f) && !f.includes('.fixed.') && !f.endsWith('.d.ts'));
    const files = Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(fixtures, n))]));
    const dir = project(files);
    const sarif = JSON.parse(run(['lint', '--format', 'sarif', '.'], dir).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { charOffset: number; charLength: number }; insertedContent: { text: string } }[] }[] }[] }[] }[];
    };
    const json = JSON.parse(run(['lint', '--format', 'json', '.'], dir).stdout) as {
      files: { file: string; findings: { ruleId: string; location: { startLine: number }; fixes: { title: string; edits: { file: string; start: number; end: number; text: string }[] }[] }[] }[];
    };
    const results = sarif.runs[0]!.results;
    const jsonFindings = json.files.flatMap((f) => f.findings.map((x) => ({ ...x, file: f.file })));
    assert.equal(results.length, jsonFindings.length);
    let compared = 0;
    results.forEach((r, i) => {
      const j = jsonFindings[i]!;
      assert.equal(r.ruleId, j.ruleId);
      assert.equal(r.locations[0]!.physicalLocation.region.startLine, j.location.startLine);
      assert.equal((r.fixes ?? []).length, j.fixes.length);
      (r.fixes ?? []).forEach((sf, k) => {
        const jf = j.fixes[k]!;
        assert.equal(sf.description.text, jf.title);
        const fromSarif = sf.artifactChanges.flatMap((c) =>
          c.replacements.map((x) => ({ file: decodeURI(c.artifactLocation.uri), start: x.deletedRegion.charOffset, end: x.deletedRegion.charOffset + x.deletedRegion.charLength, text: x.insertedContent.text })),
        );
        assert.deepEqual(fromSarif, jf.edits);
        const text = fs.readFileSync(path.join(dir, j.file), 'utf8');
        const span = (e: { start: number; end: number }) => ({ start: e.start, end: e.end });
        assert.equal(
          applyEdits(text, fromSarif.map((e) => ({ file: e.file, span: span(e), text: e.text }))).text,
          applyEdits(text, jf.edits.map((e) => ({ file: e.file, span: span(e), text: e.text }))).text,
        );
        compared++;
      });
    });
    assert.ok(compared >= 20, `compared ${compared} fixes`);
  });
});
