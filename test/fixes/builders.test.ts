import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { createLinter, type Linter } from '../../src/core';
import { applyEdits } from '../../src/core/fix';
import { pyCommandFixes } from '../../src/core/fixes/py/command';
import { pySqlFixes } from '../../src/core/fixes/py/sql';
import { splitShellWords } from '../../src/core/fixes/shell';
import { knownTables, parameterise, renderSql } from '../../src/core/fixes/sql';
import { tsCommandFixes } from '../../src/core/fixes/ts/command';
import { tsSqlFixes } from '../../src/core/fixes/ts/sql';
import { loadPythonParser, type TreeSitterParser } from '../../src/core/python/parser';
import { parseTs } from '../../src/core/ts/engine';
import { applyAllFixes } from './apply';
import { flowOf, preferred, type FlowSpec } from './support';

/**
 * Table-driven cases for the fix builders with hand-written flows (the sink and argument text
 * an engine would report), covering shapes the golden files do not, and the cases where no
 * rewrite is safe and none must be offered.
 */
function fixTs(text: string, spec: FlowSpec, builder = tsCommandFixes, file = 'a.ts'): string | undefined {
  const fixes = builder(flowOf(text, spec), { file, text, sourceFile: parseTs(file, text) });
  const p = preferred(fixes);
  return p ? applyEdits(text, p.edits).text : undefined;
}

describe('shell word splitting', () => {
  const split = (...pieces: (string | number)[]) =>
    splitShellWords(pieces.map((p) => (typeof p === 'string' ? { text: p } : { value: p })))?.map((w) => w.map((x) => ('text' in x ? x.text : `<${x.value}>`)).join(''));
  test('splits on whitespace, keeps quoted groups and values whole', () => {
    assert.deepEqual(split('git log --format="%h %s" ', 1), ['git', 'log', '--format=%h %s', '<1>']);
    assert.deepEqual(split("cat '", 1, "'"), ['cat', '<1>']);
    assert.deepEqual(split('tar -czf out.tgz --name=', 1), ['tar', '-czf', 'out.tgz', '--name=<1>']);
  });
  test('refuses shell syntax that an argv call cannot reproduce', () => {
    for (const t of ['ls | grep ', 'ls; rm ', 'echo $(id) ', 'ls *.txt ', 'cd /tmp && ls ', 'echo "$HOME" ', 'ls > out ', 'ls ~/x ']) {
      assert.equal(split(t, 1), undefined, t);
    }
  });
});

describe('SQL parameterisation', () => {
  const sql = (style: 'dollar' | 'question' | 'named' | 'percent', ...pieces: (string | string[])[]) => {
    const p = parameterise<string>(
      pieces.map((x) => (typeof x === 'string' ? { text: x } : { value: x[0]! })),
      (e) => e,
      (a, b) => a === b,
    );
    return p && { sql: renderSql(p, style, (e) => `{${e}}`, (t) => t), idents: p.identifiers };
  };
  test('values in quotes, comparisons, IN lists and LIMIT become placeholders', () => {
    assert.deepEqual(sql('dollar', "SELECT * FROM t WHERE a = '", ['x'], "' AND b > ", ['y'], ' LIMIT ', ['n']), { sql: 'SELECT * FROM t WHERE a = $1 AND b > $2 LIMIT $3', idents: [] });
    assert.deepEqual(sql('question', 'SELECT * FROM t WHERE id IN (', ['a'], ', ', ['b'], ')'), { sql: 'SELECT * FROM t WHERE id IN (?, ?)', idents: [] });
    assert.deepEqual(sql('named', "INSERT INTO t (a, b) VALUES ('", ['a'], "', ", ['b'], ')'), { sql: 'INSERT INTO t (a, b) VALUES (:a, :b)', idents: [] });
  });
  test('identifiers stay interpolated; quoted identifiers too', () => {
    assert.deepEqual(sql('dollar', 'SELECT ', ['col'], ' FROM ', ['tbl'], ' WHERE id = ', ['id'], ' ORDER BY ', ['c2']), {
      sql: 'SELECT {col} FROM {tbl} WHERE id = $1 ORDER BY {c2}',
      idents: ['col', 'tbl', 'c2'],
    });
    assert.deepEqual(sql('question', 'SELECT * FROM "', ['t'], '" WHERE x = ', ['v']), { sql: 'SELECT * FROM "{t}" WHERE x = ?', idents: ['t'] });
  });
  test('the same value twice is one named or numbered parameter; %s doubles literal percent signs', () => {
    assert.equal(sql('dollar', 'SELECT * FROM t WHERE a = ', ['x'], ' OR b = ', ['x'])!.sql, 'SELECT * FROM t WHERE a = $1 OR b = $1');
    assert.equal(sql('percent', "SELECT * FROM t WHERE a LIKE 'x%' AND b = ", ['v'])!.sql, "SELECT * FROM t WHERE a LIKE 'x%%' AND b = %s");
  });
  test('known tables come from the SQL in the file, not from imports', () => {
    const text = "import x from 'y';\nfrom os import path\nq('SELECT * FROM notes JOIN users ON a = b');\nq('insert into orders values (1)');\n// data from somewhere\n";
    assert.deepEqual(knownTables(text), ['notes', 'orders', 'users']);
  });
  test('no rewrite for a whole statement from outside, or only identifiers', () => {
    assert.equal(sql('question', ['q']), undefined);
    assert.equal(sql('question', 'SELECT * FROM ', ['t']), undefined);
  });
});

describe('TypeScript builders', () => {
  test('exec with a shell pipeline gets no rewrite', () => {
    const text = "import { exec } from 'child_process';\nexec(`ls ${d} | wc -l`);\n";
    assert.equal(fixTs(text, { kind: 'command', sink: 'exec(`ls ${d} | wc -l`)' }), undefined);
  });
  test("spawn('sh', ['-c', script]) runs the program directly", () => {
    const text = "import { spawn } from 'child_process';\nspawn('/bin/sh', ['-c', `git log ${ref}`], { stdio: 'inherit' });\n";
    assert.equal(
      fixTs(text, { kind: 'command', sink: "spawn('/bin/sh', ['-c', `git log ${ref}`], { stdio: 'inherit' })", data: { module: 'child_process', callee: 'spawn' } }),
      "import { spawn } from 'child_process';\nspawn('git', ['log', '--end-of-options', ref], { stdio: 'inherit' });\n",
    );
  });
  test("shelljs's exec has no argv form: no rewrite", () => {
    const text = "import shell from 'shelljs';\nshell.exec(`ls ${d}`);\n";
    assert.equal(fixTs(text, { kind: 'command', sink: 'shell.exec(`ls ${d}`)', data: { module: 'shelljs', callee: 'exec' } }), undefined);
  });
  test('a fully dynamic command gets no rewrite', () => {
    const text = "import { exec } from 'child_process';\nexec(cmd);\n";
    assert.equal(fixTs(text, { kind: 'command', sink: 'exec(cmd)' }), undefined);
  });
  test('util.promisify on a namespace import reuses the namespace and drops the unused wrapper', () => {
    const text = [
      "import * as cp from 'node:child_process';",
      "import util from 'node:util';",
      'const run = util.promisify(cp.exec);',
      'export const f = (b: string) => run(`git show ${b}`);',
      '',
    ].join('\n');
    assert.equal(
      fixTs(text, { kind: 'command', sink: 'run(`git show ${b}`)' }),
      [
        "import * as cp from 'node:child_process';",
        "import util from 'node:util';",
        'const execFileAsync = util.promisify(cp.execFile);',
        "export const f = (b: string) => execFileAsync('git', ['show', '--end-of-options', b]);",
        '',
      ].join('\n'),
    );
  });
  test('a value in the subcommand position gets no end-of-options marker', () => {
    const text = "import { execSync } from 'child_process';\nexecSync(`git ${sub} --help`);\n";
    assert.equal(fixTs(text, { kind: 'command', sink: 'execSync(`git ${sub} --help`)' }), "import { execFileSync } from 'child_process';\nexecFileSync('git', [sub, '--help']);\n");
  });
  test('exec options keep their settings but lose a shell option', () => {
    const text = "import { exec } from 'child_process';\nexec(`du -sh ${d}`, { cwd: '/srv', shell: '/bin/bash' }, cb);\n";
    assert.equal(
      fixTs(text, { kind: 'command', sink: "exec(`du -sh ${d}`, { cwd: '/srv', shell: '/bin/bash' }, cb)" }),
      "import { execFile } from 'child_process';\nexecFile('du', ['-sh', d], { cwd: '/srv' }, cb);\n",
    );
  });
  test('SQL for sqlite3, sequelize and Prisma', () => {
    const sqlite = "db.all(`SELECT * FROM t WHERE a = '${a}'`, (err, rows) => done(rows));\n";
    assert.equal(fixTs(sqlite, { kind: 'sql', sink: sqlite.trim().slice(0, -1), data: { driver: 'sqlite3' } }, tsSqlFixes), "db.all('SELECT * FROM t WHERE a = ?', [a], (err, rows) => done(rows));\n");
    const seq = 'sequelize.query(`SELECT * FROM users WHERE email = \'${email}\'`, { type: QueryTypes.SELECT });\n';
    assert.equal(
      fixTs(seq, { kind: 'sql', sink: seq.trim().slice(0, -1), data: { driver: 'sequelize' } }, tsSqlFixes),
      "sequelize.query('SELECT * FROM users WHERE email = :email', { type: QueryTypes.SELECT, replacements: { email } });\n",
    );
    const prisma = 'prisma.$queryRawUnsafe(`SELECT * FROM "Note" WHERE title LIKE \'%${q}%\'`);\n';
    assert.equal(fixTs(prisma, { kind: 'sql', sink: prisma.trim().slice(0, -1), data: { driver: 'prisma' } }, tsSqlFixes), 'prisma.$queryRaw`SELECT * FROM "Note" WHERE title LIKE ${`%${q}%`}`;\n');
  });
  test('sqlite3 exec, which binds nothing, becomes run with parameters', () => {
    const text = "db.exec('DELETE FROM t WHERE id = ' + id, done);\n";
    assert.equal(fixTs(text, { kind: 'sql', sink: text.trim().slice(0, -1), data: { driver: 'sqlite3' } }, tsSqlFixes), "db.run('DELETE FROM t WHERE id = ?', [id], done);\n");
  });
  test('an unknown SQL driver gets no rewrite (placeholders would be guesses)', () => {
    const text = "orm.query(`SELECT * FROM t WHERE a = '${a}'`);\n";
    assert.equal(fixTs(text, { kind: 'sql', sink: text.trim().slice(0, -1), data: { driver: 'typeorm' } }, tsSqlFixes), undefined);
  });
});

describe('Python builders', () => {
  let parser: TreeSitterParser;
  before(async () => {
    parser = await loadPythonParser();
  });
  function fixPy(text: string, spec: FlowSpec, builder = pySqlFixes): string | undefined {
    const tree = parser.parse(text)!;
    try {
      const p = preferred(builder(flowOf(text, spec), { file: 'a.py', text, tree }));
      return p ? applyEdits(text, p.edits).text : undefined;
    } finally {
      tree.delete();
    }
  }
  test('asyncpg numbers placeholders and passes values as arguments', () => {
    const text = "rows = await conn.fetch(f\"SELECT * FROM t WHERE a = '{a}' AND b = {b}\")\n";
    assert.equal(fixPy(text, { kind: 'sql', sink: text.slice(13, -1), data: { driver: 'asyncpg' } }), 'rows = await conn.fetch("SELECT * FROM t WHERE a = $1 AND b = $2", a, b)\n');
  });
  test('psycopg with a triple-quoted f-string keeps its layout', () => {
    const text = 'cur.execute(f"""\n    SELECT * FROM t\n    WHERE a = \'{a}\'\n""")\n';
    assert.equal(fixPy(text, { kind: 'sql', sink: text.trimEnd(), data: { driver: 'psycopg' } }), 'cur.execute("""\n    SELECT * FROM t\n    WHERE a = %s\n""", (a,))\n');
  });
  test('a shell string with a pipe gets no rewrite', () => {
    const text = 'subprocess.run(f"ls {d} | wc -l", shell=True)\n';
    assert.equal(fixPy(text, { kind: 'command', sink: text.trimEnd() }, pyCommandFixes), undefined);
  });
  test('["bash", "-c", script] becomes the argument list of the script', () => {
    const text = 'subprocess.run(["bash", "-c", f"tar -czf out.tgz {folder}"], check=True)\n';
    assert.equal(fixPy(text, { kind: 'command', sink: text.trimEnd() }, pyCommandFixes), 'subprocess.run(["tar", "-czf", "out.tgz", "--", folder], check=True)\n');
  });
  test('a list with shell=True just loses the shell', () => {
    const text = 'subprocess.run(["ls", d], shell=True, check=True)\n';
    assert.equal(fixPy(text, { kind: 'command', sink: text.trimEnd() }, pyCommandFixes), 'subprocess.run(["ls", d], check=True)\n');
  });
});

describe('fixes follow the file', () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });
  test('a CRLF file gets CRLF line breaks from every fix (same result as LF, converted)', () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'fixes');
    for (const name of ['path.ts', 'timing.ts', 'path.py', 'sql.py']) {
      const lf = fs.readFileSync(path.join(dir, name), 'utf8');
      const crlf = lf.replace(/\n/g, '\r\n');
      const out = applyAllFixes(linter, path.join(dir, name), crlf).text;
      assert.doesNotMatch(out, /(^|[^\r])\n/, `${name}: bare LF inserted`);
      const golden = fs.readFileSync(path.join(dir, name.replace(/\.(\w+)$/, '.fixed.$1')), 'utf8');
      assert.equal(out, golden.replace(/\n/g, '\r\n'), name);
    }
  });
  test('the path schema suggestion rejects traversal and absolute paths', () => {
    const file = path.join(__dirname, '..', 'fixtures', 'fixes', 'path.ts');
    const text = fs.readFileSync(file, 'utf8');
    const finding = linter.lintText(file, text).findings.find((f) => f.ruleId === 'no-path-traversal')!;
    const edit = finding.fixes.find((f) => !f.preferred)!.edits[0]!;
    const literal = /^\.regex\((\/.*\/)\)$/.exec(edit.text)![1]!;
    const re = new Function(`return ${literal}`)() as RegExp;
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'a\0b']) assert.equal(re.test(bad), false, bad);
    for (const good of ['notes.txt', 'sub/dir/file-1.md', 'My Notes.txt']) assert.equal(re.test(good), true, good);
  });
  test('the input-schema suggestion narrows z.string() and compiles to the same SDK call', () => {
    const file = path.join(__dirname, '..', 'fixtures', 'fixes', 'argument.ts');
    const text = fs.readFileSync(file, 'utf8');
    const finding = linter.lintText(file, text).findings.find((f) => f.ruleId === 'no-command-injection')!;
    const schema = finding.fixes.find((f) => !f.preferred)!;
    assert.equal(schema.kind, 'suggestion');
    const out = applyEdits(text, schema.edits).text;
    assert.match(out, /\{ url: z\.string\(\)\.regex\(\/\^\[A-Za-z0-9_\.:@\\\/\]\[A-Za-z0-9_\.:@\\\/=\+-\]\{0,254\}\$\/\) \}/);
    assert.equal(finding.fixes.filter((f) => f.preferred).length, 1);
  });
});
