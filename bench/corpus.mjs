// The workspace-throughput corpus (issue 9): extracts the repositories pinned in
// bench/corpus.json from local git mirrors into bench/.work/corpus/ and lists the files every
// tool is run on. No third-party code is committed; without mirrors the corpus is reported as
// absent and the throughput benchmark is skipped with a message.
//
//   node bench/corpus.mjs            extract (if needed) and print a summary
//   MCP_WARDEN_CORPUS_DIR=/path      where the checkouts go (default bench/.work/corpus)
//   MCP_WARDEN_MIRROR=/path ...      where the mirrors live (default /work/.mirror), laid out
//                                    as <owner>+<name>/repo (a bare git directory)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = process.env.MCP_WARDEN_CORPUS_DIR || join(here, '.work', 'corpus');
const MIRROR_ROOT = process.env.MCP_WARDEN_MIRROR || '/work/.mirror';

const EXT_LANG = { '.ts': 'typescript', '.tsx': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.py': 'python' };

function langOf(file) {
  const m = /\.[^./]+$/.exec(file);
  return m ? EXT_LANG[m[0].toLowerCase()] : undefined;
}

export function readCorpusSpec() {
  return JSON.parse(readFileSync(join(here, 'corpus.json'), 'utf8'));
}

function mirrorOf(repo) {
  const gitDir = join(MIRROR_ROOT, repo.replace('/', '+'), 'repo');
  return existsSync(gitDir) ? gitDir : undefined;
}

function hasCommit(gitDir, rev) {
  return spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', rev], { stdio: 'ignore' }).status === 0;
}

/** Extracts one repository's selected paths at the pinned commit; returns an error string or undefined. */
function extract(entry, dest) {
  const marker = join(dest, '.mcp-warden-commit');
  // The marker names what an extraction holds: the commit, and since the project files came along, that.
  const stamp = `${entry.commit} with-project-files`;
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === stamp) return undefined;
  const gitDir = mirrorOf(entry.repo);
  if (!gitDir) return `no mirror at ${join(MIRROR_ROOT, entry.repo.replace('/', '+'))}`;
  if (!hasCommit(gitDir, `${entry.commit}^{commit}`)) return `mirror lacks commit ${entry.commit.slice(0, 12)}`;
  const paths = entry.paths.filter((p) => hasCommit(gitDir, `${entry.commit}:${p}`));
  if (paths.length === 0) return 'none of the listed paths exist at that commit';
  // Project files are read, not linted: tsconfig path aliases (`~/x`) and a monorepo's own
  // packages (package.json `workspaces`, pnpm-workspace.yaml) name the server's modules, and a
  // package.json tells a stdio server's entry point, as in any checkout.
  const configs = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', entry.commit], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .split('\n')
    .filter((n) => /(^|\/)(?:tsconfig[^/]*\.json|package\.json|pnpm-workspace\.yaml)$/.test(n) && !/(^|\/)node_modules\//.test(n) && !paths.includes(n));
  paths.push(...configs);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', entry.commit, '--', ...paths], {
    maxBuffer: 1 << 30,
    // Mirrors may lack LFS/large blobs outside the selected paths; git still warns about them.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  execFileSync('tar', ['-x', '-C', dest], { input: tar });
  writeFileSync(marker, `${stamp}\n`);
  return undefined;
}

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** Physical lines, counted like `wc -l` plus a last line without a newline. */
export function countLines(text) {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/**
 * Extracts what is missing and returns the corpus: `files` (absolute path, repo, language,
 * lines, bytes) and `absent` (repos that could not be extracted, with the reason).
 */
export function prepareCorpus() {
  const spec = readCorpusSpec();
  const exclude = spec.exclude.map((s) => new RegExp(s));
  const files = [];
  const absent = [];
  const repos = [];
  for (const entry of spec.repos) {
    const dest = join(CORPUS_DIR, entry.repo.replace('/', '+'));
    let err;
    try {
      err = extract(entry, dest);
    } catch (e) {
      err = `extraction failed: ${e.message.split('\n')[0]}`;
    }
    if (err) {
      absent.push({ repo: entry.repo, reason: err });
      continue;
    }
    const all = [];
    walk(dest, all);
    let count = 0;
    for (const abs of all.sort()) {
      const rel = relative(dest, abs).split(sep).join('/');
      const language = langOf(rel);
      if (!language || exclude.some((re) => re.test(rel))) continue;
      const text = readFileSync(abs, 'utf8');
      files.push({ path: abs, repo: entry.repo, rel, language, lines: countLines(text), bytes: statSync(abs).size });
      count++;
    }
    repos.push({ repo: entry.repo, commit: entry.commit, files: count });
  }
  return { files, absent, repos, dir: CORPUS_DIR };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const c = prepareCorpus();
  for (const r of c.repos) {
    const fs = c.files.filter((f) => f.repo === r.repo);
    const lines = fs.reduce((n, f) => n + f.lines, 0);
    console.log(`${r.repo.padEnd(40)} ${r.commit.slice(0, 12)} ${String(r.files).padStart(5)} files ${String(lines).padStart(7)} lines`);
  }
  for (const a of c.absent) console.log(`${a.repo.padEnd(40)} ABSENT: ${a.reason}`);
  const by = (l) => c.files.filter((f) => f.language === l);
  for (const l of ['typescript', 'javascript', 'python']) {
    console.log(`${l}: ${by(l).length} files, ${by(l).reduce((n, f) => n + f.lines, 0)} lines`);
  }
}
