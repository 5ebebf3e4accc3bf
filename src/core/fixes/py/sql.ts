import type { PyNode } from '../../python/ast';
import type { TaintFlow } from '../../rule';
import type { FixProposal, TextEdit } from '../../types';
import type { PyFixFile } from '../py-imports';
import type { Piece } from '../shell';
import { boundParams, DRIVER_PLACEHOLDER, isTablePosition, knownTables, parameterise, renderSql, type Parameterised, type SqlParam } from '../sql';
import { callArgs, countPyIdentifiers, kids, pyLocalAssignment, pyScopeOf, pyCallAt, pyFString, pyIndentOf, pySegmentsOf, pySite, pyStatementOf, type PyFixSite } from './common';

/** DB-API style drivers (plus asyncpg and SQLAlchemy) whose parameter shape the fix knows. */
const PY_DRIVERS: ReadonlySet<string> = new Set(['sqlite3-py', 'aiosqlite', 'duckdb', 'psycopg', 'psycopg2', 'pymysql', 'mysql-connector', 'mysqlclient', 'asyncpg', 'sqlalchemy', 'oracledb']);

/**
 * Fixes for `no-sql-string-building` flows in Python: placeholders in the driver's paramstyle
 * (`?` sqlite3, `%s` psycopg/pymysql, `$1` asyncpg, `:name` SQLAlchemy `text()`), values passed
 * as the driver's parameters (a tuple, extra arguments, or a dict to `execute`). Identifiers
 * stay interpolated behind an inserted `str.isidentifier()` check. A suggestion.
 */
export function pySqlFixes(flow: TaintFlow, f: PyFixFile): FixProposal[] {
  const site = pySite(flow, f);
  if (!site) return [];
  let call = pyCallAt(site.sink);
  if (!call) return [];
  const driver = typeof flow.data?.driver === 'string' ? flow.data.driver : '';
  const style = PY_DRIVERS.has(driver) ? DRIVER_PLACEHOLDER[driver] : undefined;
  if (!style) return [];
  // SQLAlchemy: the statement is `text(...)`, the parameters go to the `execute` around it.
  let textCall: PyNode | undefined;
  const fnName = (c: PyNode) => {
    const fn = c.child('function');
    return fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
  };
  if (fnName(call) === 'text') {
    textCall = call;
    const outer = call.parent?.type === 'argument_list' ? call.parent.parent : undefined;
    if (!outer || outer.type !== 'call' || callArgs(outer).positional[0]?.start !== call.start) return [];
    call = outer;
  } else {
    const first = callArgs(call).positional[0];
    if (first?.type === 'call' && fnName(first) === 'text') textCall = first;
  }
  const sqlArg = callArgs(textCall ?? call).positional[0];
  if (!sqlArg) return [];
  // `query = f"..."; cur.execute(query)`: rewrite the assignment when the sink is its only use.
  let sqlNode = sqlArg;
  let segs = pySegmentsOf(sqlArg);
  if (!segs && sqlArg.type === 'identifier') {
    const init = pyLocalAssignment(sqlArg);
    if (init && countPyIdentifiers(pyScopeOf(sqlArg), sqlArg.text) === 2) {
      sqlNode = init;
      segs = pySegmentsOf(init);
    }
  }
  if (!segs) return [];
  const pieces: Piece<PyNode>[] = segs.map((s) => ('text' in s ? { text: s.text } : { value: s.expr }));
  const nameOf = (e: PyNode) => (e.type === 'identifier' ? e.text : e.type === 'attribute' ? (e.child('attribute')?.text ?? 'value') : 'value');
  const p = parameterise(pieces, nameOf, (a, b) => a.text === b.text);
  if (!p) return [];
  if (style === 'dollar' && pieces.some((x) => 'text' in x && /\$\d/.test(x.text))) return [];
  if (style === 'question' && pieces.some((x) => 'text' in x && x.text.includes('?'))) return [];

  const edits: TextEdit[] = [];
  const sqlText = renderSql(p, style, (e) => `\u0000${e.text}\u0001`, (t) => t);
  edits.push({ file: f.file, span: site.offsets.span(sqlNode), text: pyStringWithIdents(sqlText, sqlNode) });

  // executescript/executemany take no (or a different shape of) parameters.
  if (/^(executescript|executemany|copy_expert|copy)$/.test(fnName(call) ?? '')) return [];
  const { positional, list } = callArgs(call);
  if (!list || positional.length !== 1 || kids(list).some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat')) return [];
  const values = boundParams(p, style).map((x) => paramSource(site, x));
  const end = site.offsets.toChar(positional[0]!.end);
  let extra: string;
  if (style === 'named') {
    extra = `{${boundParams(p, style).map((x) => `${quote(site, x.name)}: ${paramSource(site, x)}`).join(', ')}}`;
  } else if (driver === 'asyncpg') {
    extra = values.join(', ');
  } else {
    extra = `(${values.join(', ')}${values.length === 1 ? ',' : ''})`;
  }
  edits.push({ file: f.file, span: { start: end, end }, text: `, ${extra}` });
  if (p.identifiers.length > 0) {
    const guard = identifierGuard(site, call, p);
    if (!guard) return [];
    edits.push(guard);
  }
  const title = p.identifiers.length > 0
    ? `Bind the values as parameters and check the identifier${p.identifiers.length > 1 ? 's' : ''} ${p.identifiers.map((e) => `'${e.text}'`).join(', ')}`
    : 'Bind the values as query parameters';
  return [{ kind: 'suggestion', title, edits, preferred: true }];
}

function quote(site: PyFixSite, s: string): string {
  return `${site.style.quote}${s}${site.style.quote}`;
}

/** The SQL as a Python string; identifier slots (marked \0 code \1) become f-string fields. */
function pyStringWithIdents(sql: string, original: PyNode): string {
  const parts: ({ text: string } | { code: string })[] = sql
    .split(/(\u0000[^\u0001]*\u0001)/)
    .filter(Boolean)
    .map((x) => (x.startsWith('\u0000') ? { code: x.slice(1, -1) } : { text: x }));
  const triple = /^[a-zA-Z]*("""|''')/.exec(original.text)?.[1];
  if (triple && sql.includes('\n')) {
    const body = parts.map((x) => ('text' in x ? x.text.replace(/\\/g, '\\\\').replace(/\{/g, '{{').replace(/\}/g, '}}') : `{${x.code}}`)).join('');
    const hasCode = parts.some((x) => 'code' in x);
    return `${hasCode ? 'f' : ''}${triple}${hasCode ? body : body.replace(/\{\{/g, '{').replace(/\}\}/g, '}')}${triple}`;
  }
  const q = original.text.replace(/^[a-zA-Z]*/, '')[0] === "'" ? "'" : '"';
  return pyFString(parts, q);
}

function paramSource(site: PyFixSite, x: SqlParam<PyNode>): string {
  if (x.pieces.length === 1 && 'value' in x.pieces[0]!) return x.pieces[0].value.text;
  return pyFString(x.pieces.map((q) => ('text' in q ? { text: q.text } : { code: q.value.text })), site.style.quote);
}

/**
 * Checks before the statement, one per identifier: a table name must be one of the tables the
 * file's own SQL uses (an allowlist), anything else must be a plain identifier.
 */
function identifierGuard(site: PyFixSite, call: PyNode, p: Parameterised<PyNode>): TextEdit | undefined {
  const stmt = pyStatementOf(call);
  if (!stmt) return undefined;
  const indent = pyIndentOf(site, stmt);
  const at = site.offsets.toChar(stmt.start);
  const eol = site.style.eol;
  const seen = new Set<string>();
  let text = '';
  for (const e of p.identifiers) {
    if (seen.has(e.text)) continue;
    seen.add(e.text);
    const tables = isTablePosition(p, e) ? knownTables(site.f.text) : [];
    const test = tables.length > 0 ? `${e.text} not in (${tables.map((t) => quote(site, t)).join(', ')}${tables.length === 1 ? ',' : ''})` : `not ${e.text}.isidentifier()`;
    const message = tables.length > 0 ? `f${quote(site, `unknown table: {${e.text}!r}`)}` : quote(site, `invalid SQL identifier for ${e.text}`);
    text += `if ${test}:${eol}${indent}${site.style.indent}raise ValueError(${message})${eol}${indent}`;
  }
  return { file: site.f.file, span: { start: at, end: at }, text };
}
