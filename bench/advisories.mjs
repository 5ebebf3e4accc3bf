// Advisory recall: do we find the flaws of published MCP server advisories, and do we stay quiet
// on their fixes? For each advisory in bench/advisories.json this extracts the server's source
// at the vulnerable commit (the fix's first parent) and at the fix from local git mirrors, lints
// both with dist/cli.js, and checks for a finding of the expected rule at the expected sink
// (its location or a step of its flow). ESLint + eslint-plugin-security (TS/JS) and Bandit
// (Python, when installed) are asked the same question about the sink line. A measurement, not
// a test: it always exits 0, needs no network, and skips advisories whose mirror is missing.
//
//   node bench/advisories.mjs            print the table and totals
//   node bench/advisories.mjs --json     print the per-advisory results as JSON instead
//   MCP_WARDEN_MIRROR=/path ...          where the mirrors live (default /work/.mirror), laid out
//                                        as <owner>+<name>/repo (a bare git directory)
//   MCP_WARDEN_ADVISORIES_DIR=/path ...  where the checkouts go (default <tmpdir>/mcp-warden-advisories)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
// Outside the repository: the CLI honours the .gitignore files above a folder (bench/.work is ignored).
const WORK = process.env.MCP_WARDEN_ADVISORIES_DIR || join(tmpdir(), 'mcp-warden-advisories');
const MIRROR_ROOT = process.env.MCP_WARDEN_MIRROR || '/work/.mirror';
const require = createRequire(import.meta.url);

/** Root files read by the analysis but not linted: TypeScript's path aliases, a monorepo's packages. */
const PROJECT_CONFIGS = ['tsconfig.json', 'tsconfig.base.json', 'package.json', 'pnpm-workspace.yaml'];

// Test code is not part of the server; the advisories are about what runs.
const TEST_PATH = /(^|\/)(tests?|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.py$/;

function git(gitDir, args, input) {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
}

function hasObject(gitDir, rev) {
  return spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', rev], { stdio: 'ignore' }).status === 0;
}

/** Extracts `paths` at `commit` into `dest` (test files removed); returns an error string or undefined. */
function extract(gitDir, commit, paths, dest) {
  if (!hasObject(gitDir, `${commit}^{commit}`)) return `mirror lacks commit ${commit.slice(0, 12)}`;
  const present = paths.filter((p) => hasObject(gitDir, `${commit}:${p}`));
  if (present.length === 0) return `none of ${paths.join(', ')} exists at ${commit.slice(0, 12)}`;
  // The compiler settings and the root package.json come along: path aliases (`~/services/x`) and
  // the monorepo's packages name the server's files.
  for (const config of PROJECT_CONFIGS) if (!present.includes(config) && hasObject(gitDir, `${commit}:${config}`)) present.push(config);
  const names = git(gitDir, ['ls-tree', '-r', '--name-only', commit, '--', ...present])
    .toString()
    .split('\n')
    .filter((n) => n && !TEST_PATH.test(n));
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const tar = git(gitDir, ['archive', '--format=tar', commit, '--', ...names]);
  execFileSync('tar', ['-x', '-C', dest], { input: tar });
  return undefined;
}

/** Lints a checkout with the CLI (paths in the report are relative to it). */
function lintDir(dir, attempt = 1) {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  try {
    return JSON.parse(r.stdout).files.flatMap((f) => f.findings);
  } catch {
    // dist/ may be mid-rebuild by someone working in the same checkout: try once more.
    if (attempt === 1) return lintDir(dir, 2);
    throw new Error(`the CLI gave no JSON report (exit ${r.status}): ${(r.stderr || '').split('\n')[0]}`);
  }
}

const norm = (p) => p.replace(/\\/g, '/').replace(/^\.\//, '');

/** Places a finding touches: its location and every step of its flow. */
function places(finding) {
  const steps = (finding.flow ?? []).map((s) => s.location ?? s);
  return [finding.location, ...steps].filter(Boolean).map((l) => ({ file: norm(l.file), line: l.startLine }));
}

function ofKind(finding, expect) {
  return finding.ruleId === expect.ruleId && (!expect.message || new RegExp(expect.message).test(finding.message));
}

/** A finding of the expected kind at the expected sink, or undefined. */
function atSink(findings, expect) {
  return findings.find((f) => ofKind(f, expect) && places(f).some((p) => p.file === expect.file && p.line === expect.line));
}

/** Findings of the expected kind anywhere in the sink's file (used on the fixed version, whose lines moved). */
function inSinkFile(findings, expect) {
  return findings.filter((f) => ofKind(f, expect) && places(f).some((p) => p.file === expect.file));
}

let eslint;
/** ESLint + eslint-plugin-security (the config the throughput bench uses): any security/* message on the line? */
async function eslintFlags(file, line) {
  if (!eslint) {
    const config = (await import('./eslint.config.mjs')).default;
    const { Linter } = require('eslint');
    const linter = new Linter({ configType: 'flat', cwd: '/' });
    eslint = (f, text) => linter.verify(text, config, { filename: f });
  }
  const messages = eslint(file, readFileSync(file, 'utf8'));
  const hits = messages.filter((m) => m.ruleId?.startsWith('security/') && m.line <= line && (m.endLine ?? m.line) >= line);
  return { flagged: hits.length > 0, rules: [...new Set(hits.map((m) => m.ruleId))] };
}

let banditExe;
let banditVersion;
/** Bandit on the file: any test reported on the line? Undefined when Bandit is not installed. */
function banditFlags(file, line) {
  if (banditExe === undefined) {
    const w = spawnSync('sh', ['-c', 'command -v bandit'], { encoding: 'utf8' });
    banditExe = w.status === 0 ? w.stdout.trim() : null;
    if (banditExe) banditVersion = spawnSync(banditExe, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  }
  if (!banditExe) return undefined;
  const r = spawnSync(banditExe, ['-f', 'json', '-q', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const results = JSON.parse(r.stdout || '{"results":[]}').results;
  const hits = results.filter((x) => x.line_number === line || (x.line_range ?? []).includes(line));
  return { flagged: hits.length > 0, rules: [...new Set(hits.map((x) => x.test_id))] };
}

/** Runs one advisory; returns its result row, or { skipped } with the reason. */
async function runAdvisory(adv) {
  const gitDir = join(MIRROR_ROOT, adv.repo.replace('/', '+'), 'repo');
  if (!existsSync(gitDir)) return { skipped: `no mirror at ${dirname(gitDir)}` };
  const slug = `${adv.repo.replace('/', '+')}@${adv.fixed.commit.slice(0, 12)}`;
  const vulnDir = join(WORK, slug, 'vulnerable');
  const fixedDir = join(WORK, slug, 'fixed');
  const err = extract(gitDir, adv.vulnerable.commit, adv.vulnerable.files, vulnDir) ?? extract(gitDir, adv.fixed.commit, adv.fixed.files, fixedDir);
  if (err) return { skipped: err };
  const hit = atSink(lintDir(vulnDir), adv.expect);
  const residual = inSinkFile(lintDir(fixedDir), adv.expect);
  const sinkFile = join(vulnDir, adv.expect.file);
  const row = { found: Boolean(hit), foundMessage: hit?.message, fixedClean: residual.length === 0, fixedFindings: residual.length };
  if (adv.language === 'python') row.bandit = existsSync(sinkFile) ? banditFlags(sinkFile, adv.expect.line) : undefined;
  else row.eslint = existsSync(sinkFile) ? await eslintFlags(sinkFile, adv.expect.line) : undefined;
  return row;
}

const yesNo = (r, yes, no) => (r === undefined ? 'n/a' : r.flagged ? `${yes} (${r.rules.join(',')})` : no);

async function main() {
  if (!existsSync(CLI)) {
    console.log(`dist/cli.js is missing; build it with \`node esbuild.mjs\`. Advisory benchmark skipped.`);
    return;
  }
  const { advisories } = JSON.parse(readFileSync(join(here, 'advisories.json'), 'utf8'));
  const rows = [];
  for (const adv of advisories) {
    let r;
    try {
      r = await runAdvisory(adv);
    } catch (e) {
      r = { skipped: `failed: ${e.message.split('\n')[0]}` };
    }
    rows.push({ adv, ...r });
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows.map(({ adv, ...r }) => ({ id: adv.id, repo: adv.repo, verdict: adv.verdict, ...r })), null, 2));
    return;
  }
  const head = ['advisory', 'rule', 'vulnerable', 'fixed', 'reviewed', 'eslint-security', 'bandit'];
  const table = rows.map(({ adv, ...r }) =>
    r.skipped
      ? [adv.id[0], adv.expect.ruleId, `skipped: ${r.skipped}`, '', adv.verdict ?? '', '', '']
      : [
          adv.id[0],
          adv.expect.ruleId,
          r.found ? 'found' : 'missed',
          r.fixedClean ? 'clean' : `still reported (${r.fixedFindings})`,
          adv.verdict ?? '',
          adv.language === 'python' ? '' : yesNo(r.eslint, 'flagged', 'no'),
          adv.language === 'python' ? yesNo(r.bandit, 'flagged', 'no') : '',
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(head));
  for (const t of table) console.log(line(t));

  const ran = rows.filter((r) => !r.skipped);
  // Advisories whose argument cannot carry an attack (see "disputed") are not counted as misses.
  const counted = ran.filter((r) => !r.adv.disputed);
  const found = counted.filter((r) => r.found);
  const clean = found.filter((r) => r.fixedClean);
  console.log(
    `\n${found.length} of ${counted.length} detected; ${clean.length} of ${found.length} fixed versions clean` +
      ` (${rows.length - ran.length} skipped, ${ran.length - counted.length} not exploitable and not counted).`,
  );
  const by = (v) => counted.filter((r) => r.adv.verdict === v).length;
  console.log(`Reviewed: ${by('DETECTED')} detected, ${by('PARTIAL')} partial, ${by('MISSED')} missed.`);
  const ts = counted.filter((r) => r.adv.language !== 'python' && r.eslint);
  const py = counted.filter((r) => r.adv.language === 'python');
  console.log(`eslint-plugin-security flags the sink line of ${ts.filter((r) => r.eslint.flagged).length} of ${ts.length} TS/JS advisories.`);
  if (py.some((r) => r.bandit)) console.log(`Bandit (${banditVersion}) flags the sink line of ${py.filter((r) => r.bandit?.flagged).length} of ${py.length} Python advisories.`);
  else if (py.length) console.log('Bandit is not installed (Debian: apt-get install -y bandit); Bandit column skipped.');
}

main().catch((e) => {
  // A measurement: report and exit 0 whatever happens.
  console.log(`advisory benchmark failed: ${e.message}`);
});
