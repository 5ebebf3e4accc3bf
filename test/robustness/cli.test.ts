// `mcp-warden lint` over a folder where some files are pathological (issue 9): deep nesting,
// a large minified bundle, NUL bytes, UTF-16 with BOM, Latin-1, lone surrogates, a file over
// the size limit, a folder named like a source file, a dangling symlink. The run must finish,
// report the ordinary files' findings as usual, and name a problem for each file it could not
// analyse fully, instead of crashing or hanging.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { minified, nested } from '../fuzz/generate';

const REPO = path.resolve(__dirname, '../..');
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcpw-cli-robust-')));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const VULNERABLE_TS = `import { exec } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const server = new McpServer({ name: 'x', version: '1.0.0' });
server.registerTool('ping', { description: 'Ping a host.', inputSchema: { host: z.string() } }, async ({ host }) => {
  exec(\`ping -c 1 \${host}\`);
  return { content: [] };
});
`;

const VULNERABLE_PY = `import subprocess
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("x")


@mcp.tool()
def ping(host: str) -> str:
    """Ping a host."""
    return subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True).stdout
`;

interface JsonReport {
  files: Array<{ file: string; findings: Array<{ ruleId: string; location: { startLine: number } }> }>;
  problems: Array<{ file: string; kind: string; message: string }>;
}

function write(name: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), data);
}

function lint(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    // tsx resolves from the repository, so the CLI runs there and gets absolute paths.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli/main.ts'), 'lint', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

test('lint reports the ordinary files and one problem per pathological file', { timeout: 180_000 }, async () => {
  write('src/ok/server.ts', VULNERABLE_TS);
  write('src/ok/server.py', VULNERABLE_PY);
  write('src/bad/deep.ts', nested('parens', 5000).text);
  write('src/bad/deep-chain.ts', nested('binary', 20_000).text);
  write('src/bad/bundle.min.js', minified(1024 * 1024));
  write('src/bad/vendor.min.js', minified(200 * 1024));
  write('src/bad/nul.ts', `${VULNERABLE_TS}\0\0\0`);
  write('src/bad/utf16.py', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VULNERABLE_PY, 'utf16le')]));
  write('src/bad/latin1.py', Buffer.from(`# caf\u00e9 na\u00efve\n${VULNERABLE_PY}`, 'latin1'));
  write('src/bad/surrogates.ts', VULNERABLE_TS.replace("'Ping a host.'", "'Ping \ud800 a host.'"));
  write('src/bad/huge.ts', Buffer.alloc(9 * 1024 * 1024, 0x20));
  fs.mkdirSync(path.join(dir, 'src/bad/folder.ts'), { recursive: true });
  fs.symlinkSync(path.join(dir, 'nowhere.ts'), path.join(dir, 'src/bad/dangling.ts'));

  const r = await lint(['--format', 'json', path.join(dir, 'src')], 150_000);
  assert.notEqual(r.code, null, `lint was killed after ${r.ms} ms: it hung`);
  assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  const findings = (file: string) => report.files.find((f) => f.file.endsWith(file))?.findings ?? [];
  const problems = (file: string) => report.problems.filter((p) => p.file.endsWith(file));

  // The ordinary files are analysed as if they were alone.
  assert.deepEqual(findings('src/ok/server.ts').map((f) => [f.ruleId, f.location.startLine]), [['no-command-injection', 7]]);
  assert.deepEqual(findings('src/ok/server.py').map((f) => [f.ruleId, f.location.startLine]), [['no-command-injection', 10]]);
  // Text that decodes (Latin-1 with replacement characters, lone surrogates) is still analysed.
  assert.deepEqual(findings('src/bad/latin1.py').map((f) => f.ruleId), ['no-command-injection']);
  assert.deepEqual(findings('src/bad/surrogates.ts').map((f) => f.ruleId), ['no-command-injection']);
  // Files that cannot be read as text are named, with the reason.
  assert.deepEqual(problems('src/bad/nul.ts').map((p) => p.kind), ['binary']);
  assert.deepEqual(problems('src/bad/utf16.py').map((p) => p.kind), ['binary']);
  assert.deepEqual(problems('src/bad/huge.ts').map((p) => p.kind), ['too-large']);
  // Pathological but readable files end with a problem or with a result, never take the run down.
  for (const file of ['src/bad/deep.ts', 'src/bad/deep-chain.ts', 'src/bad/bundle.min.js', 'src/bad/vendor.min.js']) {
    assert.ok(report.files.some((f) => f.file.endsWith(file)), `${file} is missing from the report`);
  }
  // Those the parsers cannot take in time or on their stack are refused, saying why and how to include them.
  assert.deepEqual(problems('src/bad/deep.ts').map((p) => p.kind), ['too-large']);
  assert.match(problems('src/bad/deep.ts')[0]!.message, /^not analysed: the code nests 5000 levels deep at line 1 /);
  assert.deepEqual(problems('src/bad/bundle.min.js').map((p) => p.kind), ['too-large']);
  assert.match(problems('src/bad/bundle.min.js')[0]!.message, /^not analysed: [\d,]+ bytes is over the 1,048,576 bytes limit; raise 'maxFileBytes'/);
  assert.deepEqual(problems('src/bad/vendor.min.js').map((p) => p.kind), ['too-large']);
  assert.match(problems('src/bad/vendor.min.js')[0]!.message, /minified.*'analyzeMinified': true/);
  // A 20,000-term concatenation is deep but left-deep: analysed, not refused, no engine error.
  assert.deepEqual(problems('src/bad/deep-chain.ts'), []);
  assert.ok(!report.problems.some((p) => p.kind === 'internal-error'), JSON.stringify(report.problems));
  // Unreadable files make the result incomplete: exit 2, not a pass.
  assert.equal(r.code, 2);
});

test('a single pathological file named on the command line still gets a report', { timeout: 120_000 }, async () => {
  write('one/deep.ts', nested('calls', 5000).text);
  const r = await lint(['--format', 'json', path.join(dir, 'one/deep.ts')], 60_000);
  assert.notEqual(r.code, null, 'lint hung');
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.equal(report.files.length, 1);
  assert.ok(report.problems.length >= 1, 'the nesting problem is reported');
});

test('.mcp-warden.json sets the size limit and lets minified files in', { timeout: 120_000 }, async () => {
  write('cfg/.mcp-warden.json', JSON.stringify({ maxFileBytes: 2000, analyzeMinified: true }));
  write('cfg/small.ts', VULNERABLE_TS);
  const padded = `${VULNERABLE_TS}${'// padding\n'.repeat(200)}`;
  write('cfg/padded.ts', padded);
  write('cfg/app.min.js', `${minified(4 * 1024).slice(0, 1900)};require("child_process").exec(process.argv[2]);`);
  const r = await lint(['--format', 'json', path.join(dir, 'cfg')], 60_000);
  assert.notEqual(r.code, null, 'lint hung');
  const report = JSON.parse(r.stdout) as JsonReport;
  const of = (name: string) => report.problems.filter((p) => p.file.endsWith(name));
  const size = Buffer.byteLength(padded).toLocaleString('en-US');
  assert.deepEqual(of('padded.ts').map((p) => p.message), [`not analysed: ${size} bytes is over the 2,000 bytes limit; raise 'maxFileBytes' in .mcp-warden.json to include it`]);
  assert.deepEqual(of('small.ts'), []);
  // Minified, and analysed (the cut bundle has a syntax error; it is not refused).
  assert.deepEqual(of('app.min.js').filter((p) => p.kind === 'too-large'), []);
  assert.ok((report.files.find((f) => f.file.endsWith('small.ts'))?.findings.length ?? 0) > 0);
});
