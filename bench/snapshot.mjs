// Everything the linter reports for a set of files, written as one JSON file, so that a speed-up
// can be shown to change no result: findings (rule, span, message, flow steps, fixes with their
// edits, properties) and problems, per file, with and without fix builders, and for a sequence
// of edits of the generated on-type benchmark files (the incremental paths).
//
//   node bench/snapshot.mjs OUT.json [--corpus]     write a snapshot (fixtures, examples, generated edits; --corpus adds bench/.work corpus lists)
//   node bench/snapshot.mjs --compare A.json B.json  list every difference, exit 1 if any
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeGenerated } from './gen-server.mjs';
import { ROOT, WORK, loadWardenCore } from './tools.mjs';

const LINTED = /\.(?:[cm]?[jt]sx?|py)$/;

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '__pycache__') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (LINTED.test(name)) out.push(p);
  }
  return out;
}

/** A result with no object identity or timing in it: what a user would see. */
function plain(result) {
  return JSON.parse(JSON.stringify({ findings: result.findings, problems: result.problems }));
}

async function write(outFile, withCorpus) {
  const core = await loadWardenCore();
  const files = [...walk(join(ROOT, 'test/fixtures'), []), ...walk(join(ROOT, 'examples'), [])];
  if (withCorpus) {
    for (const list of ['list-warden-tsjs.json', 'list-warden-python.json']) {
      const p = join(WORK, list);
      if (existsSync(p)) files.push(...JSON.parse(readFileSync(p, 'utf8')));
      else console.error(`snapshot: ${list} missing (run npm run bench once): corpus left out`);
    }
  }
  const snapshot = {};
  // Two linters for the whole run, as the CLI (with fixes) and the language server (without)
  // use one each; the edit sequences below exercise the editor's incremental paths.
  const cli = await core.createLinter();
  const editor = await core.createLinter();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const key = relative(ROOT, file);
    snapshot[key] = {
      fixes: plain(cli.lintText(file, text)),
      noFixes: plain(editor.lintText(file, text, { fixes: false })),
    };
  }
  // Typing in the generated servers: each step inserts a character into another tool's
  // description, the edit before it undone, as bench/latency.mjs does.
  const generated = writeGenerated([1000]);
  for (const [key, file] of Object.entries(generated)) {
    const base = readFileSync(file, 'utf8');
    const re = key.startsWith('python') ? /"""(?=[A-Z])/g : /description: '/g;
    const points = [];
    for (let m = re.exec(base); m; m = re.exec(base)) points.push(m.index + m[0].length);
    for (let i = 0; i < 60; i++) {
      const at = points[(i * 7) % points.length];
      const text = `${base.slice(0, at)}${String.fromCharCode(97 + (i % 26))}${base.slice(at)}`;
      snapshot[`generated/${key}#${i}`] = { noFixes: plain(editor.lintText(file, text, { fixes: false })) };
    }
  }
  writeFileSync(outFile, JSON.stringify(snapshot));
  console.log(`snapshot: ${Object.keys(snapshot).length} entries -> ${outFile}`);
}

function compare(a, b) {
  const A = JSON.parse(readFileSync(a, 'utf8'));
  const B = JSON.parse(readFileSync(b, 'utf8'));
  let diffs = 0;
  for (const key of new Set([...Object.keys(A), ...Object.keys(B)])) {
    const x = JSON.stringify(A[key]);
    const y = JSON.stringify(B[key]);
    if (x === y) continue;
    diffs++;
    if (diffs <= 20) {
      let i = 0;
      while (i < Math.min(x?.length ?? 0, y?.length ?? 0) && x[i] === y[i]) i++;
      console.log(`differs: ${key}\n  A: ...${x?.slice(Math.max(0, i - 80), i + 160)}\n  B: ...${y?.slice(Math.max(0, i - 80), i + 160)}`);
    }
  }
  console.log(diffs === 0 ? 'snapshot: identical' : `snapshot: ${diffs} entries differ`);
  process.exitCode = diffs === 0 ? 0 : 1;
}

const args = process.argv.slice(2);
if (args[0] === '--compare') compare(args[1], args[2]);
else if (args[0]) await write(args[0], args.includes('--corpus'));
else {
  console.error('usage: node bench/snapshot.mjs OUT.json [--corpus] | --compare A.json B.json');
  process.exitCode = 2;
}
