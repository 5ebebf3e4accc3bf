// `npm run demo`: the main job on the bundled examples. Lints examples/ (TypeScript and
// Python) and prints the report; the harness part follows below it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm install` (it builds) or `npm run build` first.');
  process.exit(2);
}

function section(title) {
  const line = '='.repeat(title.length);
  console.log(`\n${title}\n${line}`);
}

section('MCP Warden lint: examples/ (TypeScript and Python servers with planted flaws)');
const lint = spawnSync(process.execPath, [cli, 'lint', 'examples'], { cwd: root, stdio: 'inherit' });
// Exit 1 means "findings", which is the point of the demo; 2 means the run itself failed.
if (lint.status === 2 || lint.status === null) process.exit(2);

section('MCP Warden harness: examples/typescript-server (stdio, started from its package.json)');
// The harness starts the example, attacks every tool and prints only what the server's own
// behaviour proves. Exit 1 means "confirmed vulnerabilities", again the point of the demo.
const example = join(root, 'examples', 'typescript-server');
// --plant-next-to-root: the example's notes folder is its built-in default, not a folder the
// harness could copy into its temp folder, so its prefix-check flaw needs the sibling canary
// planted next to the real folder (a new random name, removed at the end of the run).
const harness = spawnSync(process.execPath, [cli, 'harness', '--cwd', example, '--plant-next-to-root'], { cwd: root, stdio: 'inherit' });
if (harness.status === 2 || harness.status === null) process.exit(2);

section('MCP Warden harness: examples/typescript-server/src/http.ts (Streamable HTTP, started by the harness)');
// The harness picks a free port ({port}, passed as PORT), sends the token from NOTES_TOKEN, and
// restarts the server without NOTES_TOKEN to see whether it then lets anyone in.
const http = spawnSync(
  process.execPath,
  [
    cli,
    'harness',
    '--cwd',
    example,
    '--plant-next-to-root',
    '--url',
    'http://127.0.0.1:{port}/mcp',
    '--header',
    'Authorization: Bearer ${env:NOTES_TOKEN}',
    '--',
    join(root, 'node_modules', '.bin', 'tsx'),
    join(example, 'src', 'http.ts'),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NOTES_TOKEN: 'demo-token-4f1c9a' } },
);
if (http.status === 2 || http.status === null) process.exit(2);
