// `npm test`: build, type-check, run every test/**/*.test.ts with node's test runner, then the
// suites that need more set-up (real VS Code), each of which prints its own summary.
// `--unit` stops after the unit tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const unitOnly = process.argv.includes('--unit');

function run(cmd, args, label) {
  process.stdout.write(`\n> ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    process.stdout.write(`\n${label} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Fixtures are inputs, and test/vscode runs inside VS Code, not under node --test.
      if (entry.name === 'fixtures' || entry.name === 'vscode' || entry.name === 'node_modules') continue;
      out.push(...findTests(p));
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(p);
    }
  }
  return out.sort();
}

run(process.execPath, ['esbuild.mjs'], 'build');
run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit'], 'type-check');
const tests = findTests(join(root, 'test')).map((p) => p.slice(root.length));
run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...tests], `unit tests (${tests.length} files)`);

if (!unitOnly) {
  for (const extra of ['scripts/test-vscode.mjs']) {
    if (existsSync(join(root, extra))) run(process.execPath, [extra], extra);
  }
}
