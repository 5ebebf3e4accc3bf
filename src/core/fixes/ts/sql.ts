import * as ts from 'typescript';
import type { TaintFlow } from '../../rule';
import type { FixProposal, TextEdit } from '../../types';
import type { Piece } from '../shell';
import { boundParams, DRIVER_PLACEHOLDER, isTablePosition, knownTables, parameterise, renderSql, type Parameterised, type Placeholder, type SqlParam } from '../sql';
import { lineIndent, quoteJs } from '../style';
import type { TsFixFile } from '../ts-imports';
import { callAt, constInitializer, countInScope, enclosingStatement, segmentsOf, src, tsSite, unwrap, type TsFixSite } from './common';

/** Node drivers whose parameter shape the fix knows (values array, statement runner or named object). */
const TS_DRIVERS: ReadonlySet<string> = new Set(['pg', 'postgres', 'mysql', 'mysql2', 'better-sqlite3', 'sqlite3', 'knex', 'sequelize', 'oracledb', 'neon', 'vercel-postgres']);

/** better-sqlite3 statement methods that take the bound parameters. */
const STATEMENT_RUNNERS: ReadonlySet<string> = new Set(['all', 'get', 'run', 'iterate']);

/**
 * Fixes for `no-sql-string-building` flows in TS/JS: the SQL string becomes a statement with
 * placeholders in the driver's dialect (`$1` pg, `?` mysql/mysql2/sqlite3/better-sqlite3,
 * `:name` knex/sequelize) and the values move to the driver's parameter argument; Prisma's
 * `$queryRawUnsafe` becomes the `$queryRaw` tagged template. Identifiers that cannot be bound
 * stay interpolated behind an inserted identifier check (knex binds them as `:name:` instead).
 * A suggestion: values are no longer parsed as SQL.
 */
export function tsSqlFixes(flow: TaintFlow, f: TsFixFile): FixProposal[] {
  const site = tsSite(flow, f);
  if (!site) return [];
  const call = callAt(site.sink);
  if (!call) return [];
  const driver = typeof flow.data?.driver === 'string' ? flow.data.driver : '';
  const sqlArg = call.arguments[0];
  if (!sqlArg) return [];
  // The statement may be built in a const first (`const sql = \`...\`; db.query(sql)`): rewrite
  // it there when the sink is its only use.
  let sqlNode: ts.Expression = sqlArg;
  let segs = segmentsOf(sqlArg);
  const bare = unwrap(sqlArg);
  if (!segs && ts.isIdentifier(bare)) {
    const origin = constInitializer(f, bare);
    if (origin && countInScope(origin.decl, bare.text) === 2) {
      sqlNode = origin.init;
      segs = segmentsOf(origin.init);
    }
  }
  if (!segs) return [];
  const pieces: Piece<ts.Expression>[] = segs.map((s) => ('text' in s ? { text: s.text } : { value: s.expr }));
  const nameOf = (e: ts.Expression) => {
    const u = unwrap(e);
    if (ts.isIdentifier(u)) return u.text;
    if (ts.isPropertyAccessExpression(u)) return u.name.text;
    return 'value';
  };
  const same = (a: ts.Expression, b: ts.Expression) => src(f, a) === src(f, b);
  const p = parameterise(pieces, nameOf, same);
  if (!p) return [];
  const method = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '';

  if (driver === 'prisma') return sqlNode === sqlArg ? prismaFix(site, call, p, method) : [];
  // Neon's `sql.unsafe(text)` makes a raw fragment: it binds nothing.
  if (driver === 'neon' && method === 'unsafe') return [];
  const style = TS_DRIVERS.has(driver) ? DRIVER_PLACEHOLDER[driver] : undefined;
  if (!style) return [];

  const edits: TextEdit[] = [];
  const knexIdents = driver === 'knex';
  // knex binds identifiers too (`:name:`); everything else needs a check before the statement.
  const identParams: SqlParam<ts.Expression>[] = [];
  const asTemplate = !knexIdents && p.identifiers.length > 0;
  const sqlText = renderSql(
    p,
    style,
    (e) => {
      if (knexIdents) {
        const name = uniqueName(p, identParams, nameOf(e));
        identParams.push({ pieces: [{ value: e }], name });
        return `:${name}:`;
      }
      return `\${${src(f, e)}}`;
    },
    (t) => (asTemplate ? escapeTemplate(t) : t),
  );
  if (style === 'dollar' && /\$\d/.test(pieces.map((x) => ('text' in x ? x.text : '')).join(''))) return [];
  const literal = asTemplate ? `\`${sqlText}\`` : jsString(site, sqlText, sqlNode);
  edits.push({ file: f.file, span: { start: sqlNode.getStart(f.sourceFile), end: sqlNode.end }, text: literal });

  const values = boundParams(p, style).map((x) => paramSource(site, x));
  const sf = f.sourceFile;
  if (style === 'named') {
    const entries = [...boundParams(p, style), ...identParams].map((x) => {
      const v = paramSource(site, x);
      return v === x.name ? v : `${x.name}: ${v}`;
    });
    const obj = `{ ${entries.join(', ')} }`;
    if (driver === 'sequelize') {
      const opts = call.arguments[1] && unwrap(call.arguments[1]);
      if (opts && ts.isObjectLiteralExpression(opts)) {
        if (opts.properties.some((x) => x.name && ts.isIdentifier(x.name) && (x.name.text === 'replacements' || x.name.text === 'bind'))) return [];
        const at = opts.properties.length > 0 ? opts.properties[opts.properties.length - 1]!.end : opts.getStart(sf) + 1;
        edits.push({ file: f.file, span: { start: at, end: at }, text: `${opts.properties.length > 0 ? ', ' : ' '}replacements: ${obj}${opts.properties.length > 0 ? '' : ' '}` });
      } else if (call.arguments.length === 1) {
        edits.push({ file: f.file, span: { start: sqlArg.end, end: sqlArg.end }, text: `, { replacements: ${obj} }` });
      } else return [];
    } else {
      if (call.arguments.length !== 1) return [];
      edits.push({ file: f.file, span: { start: sqlArg.end, end: sqlArg.end }, text: `, ${obj}` });
    }
  } else if (driver === 'better-sqlite3') {
    const runner = call.parent;
    const runCall = runner?.parent;
    if (method === 'prepare' && runner && ts.isPropertyAccessExpression(runner) && STATEMENT_RUNNERS.has(runner.name.text) && runCall && ts.isCallExpression(runCall) && runCall.expression === runner) {
      if (runCall.arguments.length > 0) {
        const last = runCall.arguments[runCall.arguments.length - 1]!;
        edits.push({ file: f.file, span: { start: last.end, end: last.end }, text: `, ${values.join(', ')}` });
      } else {
        const close = runCall.end - 1;
        edits.push({ file: f.file, span: { start: close, end: close }, text: values.join(', ') });
      }
    } else if (method === 'exec' && ts.isPropertyAccessExpression(call.expression)) {
      // db.exec(sql) cannot bind: prepare the statement and run it with the values.
      edits.push({ file: f.file, span: { start: call.expression.name.getStart(sf), end: call.expression.name.end }, text: 'prepare' });
      edits.push({ file: f.file, span: { start: call.end, end: call.end }, text: `.run(${values.join(', ')})` });
    } else return [];
  } else {
    // pg, mysql, mysql2, sqlite3: the values array is the second argument (before any callback).
    const second = call.arguments[1] && unwrap(call.arguments[1]);
    if (second && ts.isArrayLiteralExpression(second)) return [];
    if (driver === 'sqlite3' && method === 'exec') {
      // sqlite3's exec binds nothing; run executes one statement with parameters.
      if (!ts.isPropertyAccessExpression(call.expression)) return [];
      edits.push({ file: f.file, span: { start: call.expression.name.getStart(sf), end: call.expression.name.end }, text: 'run' });
    }
    edits.push({ file: f.file, span: { start: sqlArg.end, end: sqlArg.end }, text: `, [${values.join(', ')}]` });
  }

  if (!knexIdents && p.identifiers.length > 0) {
    const guard = identifierGuard(site, call, p);
    if (!guard) return [];
    edits.push(guard);
  }
  const title = p.identifiers.length > 0 && !knexIdents
    ? `Bind the values as parameters and check the identifier${p.identifiers.length > 1 ? 's' : ''} ${p.identifiers.map((e) => `'${src(f, e)}'`).join(', ')}`
    : `Bind the values as query parameters (${placeholderExample(style)})`;
  return [{ kind: 'suggestion', title, edits, preferred: true }];
}

function placeholderExample(style: Placeholder): string {
  return style === 'dollar' ? '$1' : style === 'question' ? '?' : style === 'named' ? ':name' : '%s';
}

function uniqueName(p: Parameterised<ts.Expression>, extra: readonly SqlParam<ts.Expression>[], base: string): string {
  const taken = new Set([...p.params, ...extra].map((x) => x.name));
  let name = base.replace(/\W/g, '_') || 'identifier';
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  return name;
}

function escapeTemplate(t: string): string {
  return t.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** SQL text as a string literal: a template literal when the original spanned lines, else quoted. */
function jsString(site: TsFixSite, text: string, original: ts.Expression): string {
  if (text.includes('\n') && ts.isTemplateLiteral(unwrap(original))) return `\`${escapeTemplate(text)}\``;
  // SQL string literals use single quotes: pick the JS quote that needs no escaping.
  const other = site.style.quote === "'" ? '"' : "'";
  if (text.includes(site.style.quote) && !text.includes(other)) return quoteJs(text, { quote: other });
  if (text.includes("'") && text.includes('"')) return `\`${escapeTemplate(text)}\``;
  return quoteJs(text, site.style);
}

/** One parameter's value: the expression, or a template for `'%${q}%'`-style content. */
function paramSource(site: TsFixSite, x: SqlParam<ts.Expression>): string {
  if (x.pieces.length === 1 && 'value' in x.pieces[0]!) return src(site.f, x.pieces[0].value);
  return `\`${x.pieces.map((q) => ('text' in q ? escapeTemplate(q.text) : `\${${src(site.f, q.value)}}`)).join('')}\``;
}

/**
 * Checks before the statement holding the query, one per identifier: a table name must be one
 * of the tables the file's own SQL uses (an allowlist), anything else (columns, sort
 * directions) must be a plain identifier.
 */
function identifierGuard(site: TsFixSite, call: ts.CallExpression, p: Parameterised<ts.Expression>): TextEdit | undefined {
  const stmt = enclosingStatement(call);
  if (!stmt) return undefined;
  const f = site.f;
  const at = stmt.getStart(f.sourceFile);
  const indent = lineIndent(f.text, at);
  const semi = site.style.semi ? ';' : '';
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of p.identifiers) {
    const code = src(f, e);
    if (seen.has(code)) continue;
    seen.add(code);
    const tables = isTablePosition(p, e) ? knownTables(f.text) : [];
    const test = tables.length > 0 ? `![${tables.map((t) => quoteJs(t, site.style)).join(', ')}].includes(${code})` : `!/^[A-Za-z_][A-Za-z0-9_]*$/.test(${code})`;
    const message = tables.length > 0 ? `Unknown table: \${${code}}` : `Invalid SQL identifier for ${code}`;
    const msg = tables.length > 0 ? `\`${message}\`` : quoteJs(message, site.style);
    lines.push(`if (${test}) throw new Error(${msg})${semi}`);
  }
  return { file: f.file, span: { start: at, end: at }, text: lines.map((l) => `${l}${site.style.eol}${indent}`).join('') };
}

/** `prisma.$queryRawUnsafe(\`... ${x}\`)` -> `prisma.$queryRaw\`... ${x}\``, which binds every value. */
function prismaFix(site: TsFixSite, call: ts.CallExpression, p: Parameterised<ts.Expression>, method: string): FixProposal[] {
  const safe = method === '$queryRawUnsafe' ? '$queryRaw' : method === '$executeRawUnsafe' ? '$executeRaw' : undefined;
  if (!safe || p.identifiers.length > 0 || call.arguments.length !== 1 || !ts.isPropertyAccessExpression(call.expression)) return [];
  const f = site.f;
  const body = p.parts
    .map((x) => ('text' in x ? escapeTemplate(x.text) : 'param' in x ? `\${${paramSource(site, x.param)}}` : ''))
    .join('');
  const receiver = call.expression.expression.getText(f.sourceFile);
  return [
    {
      kind: 'suggestion',
      title: `Use the '${safe}' tagged template, which binds each value`,
      edits: [{ file: f.file, span: { start: call.getStart(f.sourceFile), end: call.end }, text: `${receiver}.${safe}\`${body}\`` }],
      preferred: true,
    },
  ];
}
