/**
 * Turning SQL built from literal text and interpolated values into a parameterised statement.
 * Values become placeholders in the driver's dialect; a value spliced into a quoted SQL string
 * ('%${q}%') becomes one parameter holding the whole string content; identifiers (table and
 * column names, sort directions), which no driver can bind, stay interpolated and are returned
 * so the fix can guard them.
 */
import type { Piece } from './shell';
import { nameTable } from '../tables';

/** Placeholder styles. */
export type Placeholder = 'dollar' | 'question' | 'named' | 'percent';

/** A parameter: the value pieces it is made of (more than one for `'%${q}%'`). */
export interface SqlParam<E> {
  readonly pieces: readonly Piece<E>[];
  /** Name for named placeholders. */
  readonly name: string;
}

/** One piece of the rewritten statement. */
export type SqlPart<E> = { readonly text: string } | { readonly ident: E } | { readonly param: SqlParam<E> };

/** The rewritten statement (text, identifier values kept interpolated, placeholders) and its parameters. */
export interface Parameterised<E> {
  readonly parts: readonly SqlPart<E>[];
  readonly params: readonly SqlParam<E>[];
  /** Values still interpolated because they are in identifier position. */
  readonly identifiers: readonly E[];
}

const VALUE_BEFORE = /(=|<>|!=|<|>|\blike|\bilike|\blimit|\boffset|\bbetween|\band|\bor|\bthen|\belse|\bwhen|\bis|\bnot|\+|-|\*|\/|%)\s*$/i;

/** Whether an unquoted interpolation after `before` stands for a value (else: an identifier or keyword). */
function valuePosition(before: string): boolean {
  if (VALUE_BEFORE.test(before)) return true;
  if (/[,(]\s*$/.test(before)) {
    // Inside `VALUES (...)`, `IN (...)` or a function call's parentheses: a value; in a select or
    // column list: an identifier.
    let depth = 0;
    for (let i = before.length - 1; i >= 0; i--) {
      const c = before[i];
      if (c === ')') depth++;
      else if (c === '(') {
        if (depth === 0) {
          const head = before.slice(0, i);
          return /(\bvalues|\bin|\w)\s*$/i.test(head) && !/\b(table|into|index|on|exists)\s+[\w.]*\s*$/i.test(head);
        }
        depth--;
      }
    }
    return false;
  }
  return false;
}

function closingQuote(t: string, from: number): number {
  for (let k = from; k < t.length; k++) {
    if (t[k] === "'") {
      if (t[k + 1] === "'") k++;
      else return k;
    }
  }
  return -1;
}

/**
 * Parameterises SQL pieces. `nameOf` proposes a parameter name for a value (its variable name);
 * names are made unique, and the same value used twice shares one parameter. Undefined when
 * there is no literal SQL around the values (the whole statement comes from outside), quotes
 * do not balance, or nothing can become a parameter.
 */
export function parameterise<E>(pieces: readonly Piece<E>[], nameOf: (e: E) => string, sameValue: (a: E, b: E) => boolean): Parameterised<E> | undefined {
  if (!pieces.some((p) => 'text' in p && /\S/.test(p.text))) return undefined;
  const parts: SqlPart<E>[] = [];
  const params: SqlParam<E>[] = [];
  const identifiers: E[] = [];
  const used = new Set<string>();
  const param = (ps: Piece<E>[]): SqlParam<E> => {
    if (ps.length === 1 && 'value' in ps[0]!) {
      const v = ps[0].value;
      const existing = params.find((p) => p.pieces.length === 1 && 'value' in p.pieces[0]! && sameValue(p.pieces[0].value, v));
      if (existing) return existing;
    }
    const firstValue = ps.find((p): p is { value: E } => 'value' in p);
    let base = (firstValue ? nameOf(firstValue.value) : 'value').replace(/\W/g, '_') || 'value';
    if (/^\d/.test(base)) base = `p${base}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}${i}`;
    used.add(name);
    const p = { pieces: ps, name };
    params.push(p);
    return p;
  };
  const pushText = (t: string) => {
    if (!t) return;
    const last = parts[parts.length - 1];
    if (last && 'text' in last) parts[parts.length - 1] = { text: last.text + t };
    else parts.push({ text: t });
  };
  const textSoFar = () => parts.map((s) => ('text' in s ? s.text : ' x ')).join('');
  const queue: Piece<E>[] = [...pieces];
  let quote: "'" | '"' | '`' | undefined;
  while (queue.length > 0) {
    const p = queue.shift()!;
    if ('text' in p) {
      for (let k = 0; k < p.text.length; k++) {
        const c = p.text[k]!;
        if (quote) {
          if (c === quote) {
            if (p.text[k + 1] === quote) k++;
            else quote = undefined;
          }
        } else if (c === "'" || c === '"' || c === '`') quote = c;
      }
      pushText(p.text);
      continue;
    }
    if (quote === '"' || quote === '`') {
      identifiers.push(p.value);
      parts.push({ ident: p.value });
      continue;
    }
    if (quote === "'") {
      // A value inside a string literal: the literal's whole content becomes one parameter.
      const last = parts[parts.length - 1];
      if (!last || !('text' in last)) return undefined;
      const open = last.text.lastIndexOf("'");
      const inner: Piece<E>[] = [];
      const prefix = last.text.slice(open + 1).replace(/''/g, "'");
      if (prefix) inner.push({ text: prefix });
      parts.pop();
      pushText(last.text.slice(0, open));
      inner.push(p);
      let closed = false;
      while (queue.length > 0) {
        const q = queue.shift()!;
        if ('value' in q) {
          inner.push(q);
          continue;
        }
        const close = closingQuote(q.text, 0);
        if (close < 0) {
          inner.push({ text: q.text.replace(/''/g, "'") });
          continue;
        }
        const before = q.text.slice(0, close).replace(/''/g, "'");
        if (before) inner.push({ text: before });
        queue.unshift({ text: q.text.slice(close + 1) });
        closed = true;
        break;
      }
      if (!closed) return undefined;
      parts.push({ param: param(inner) });
      quote = undefined;
      continue;
    }
    if (valuePosition(textSoFar())) {
      parts.push({ param: param([p]) });
    } else {
      identifiers.push(p.value);
      parts.push({ ident: p.value });
    }
  }
  if (quote || params.length === 0) return undefined;
  return { parts, params, identifiers };
}

/**
 * Placeholder style of each driver id (flow.data.driver). Drivers missing here (mssql, libsql,
 * drizzle, typeorm, bigquery, snowflake, pandas, ...) bind in shapes a local rewrite cannot
 * guess, so they get no fix.
 */
export const DRIVER_PLACEHOLDER: Readonly<Record<string, Placeholder>> = nameTable({
  pg: 'dollar',
  postgres: 'dollar',
  neon: 'dollar',
  'vercel-postgres': 'dollar',
  asyncpg: 'dollar',
  mysql: 'question',
  mysql2: 'question',
  'better-sqlite3': 'question',
  sqlite3: 'question',
  sqlite: 'question',
  'sqlite3-py': 'question',
  knex: 'named',
  sequelize: 'named',
  sqlalchemy: 'named',
  aiosqlite: 'question',
  duckdb: 'question',
  oracledb: 'named',
  mysqlclient: 'percent',
  psycopg: 'percent',
  psycopg2: 'percent',
  pymysql: 'percent',
  'mysql-connector': 'percent',
  mysqldb: 'percent',
});

/**
 * The statement's literal SQL text with placeholders and identifier slots, rendered by the
 * caller (`ident` renders an interpolated identifier in the target language). Literal `%` is
 * doubled for `%s` drivers, and `$n` numbering continues after placeholders already present.
 */
export function renderSql<E>(p: Parameterised<E>, style: Placeholder, ident: (e: E) => string, escapeText: (t: string) => string): string {
  let n = 0;
  const existing = p.parts.map((x) => ('text' in x ? x.text : '')).join('');
  if (style === 'dollar') for (const m of existing.matchAll(/\$(\d+)/g)) n = Math.max(n, Number(m[1]));
  const numbers = new Map<SqlParam<E>, number>();
  return p.parts
    .map((x) => {
      if ('text' in x) return escapeText(style === 'percent' ? x.text.replace(/%/g, '%%') : x.text);
      if ('ident' in x) return ident(x.ident);
      switch (style) {
        case 'dollar': {
          if (!numbers.has(x.param)) numbers.set(x.param, ++n);
          return `$${numbers.get(x.param)}`;
        }
        case 'question':
          return '?';
        case 'named':
          return `:${x.param.name}`;
        case 'percent':
          return '%s';
      }
    })
    .join('');
}

/**
 * Parameters in the order a positional driver binds them (one per placeholder occurrence for
 * `?` and `%s`; once per distinct parameter for `$n` and named styles).
 */
export function boundParams<E>(p: Parameterised<E>, style: Placeholder): SqlParam<E>[] {
  const order = p.parts.flatMap((x) => ('param' in x ? [x.param] : []));
  return style === 'question' || style === 'percent' ? order : [...new Set(order)];
}

/** Whether an identifier slot names a table (after FROM/JOIN/INTO/UPDATE/TABLE). */
export function isTablePosition<E>(p: Parameterised<E>, ident: E): boolean {
  let before = '';
  for (const part of p.parts) {
    if ('ident' in part && part.ident === ident) return /\b(from|join|into|update|table)\s*["`[]?$/i.test(before);
    before += 'text' in part ? part.text : ' x ';
  }
  return false;
}

const SQL_VERB = /\b(select|insert|update|delete|create|with)\b/i;

/**
 * Table names the file's own SQL mentions (`FROM notes`, `JOIN users`, `INSERT INTO orders`),
 * sorted: the allowlist a table-name argument is checked against. Lines that are imports (JS
 * `from 'x'` has a quote, Python `from x import y` is skipped) do not count.
 */
export function knownTables(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(from|import)\s/.test(line)) continue;
    const sqlish = SQL_VERB.test(line);
    for (const m of line.matchAll(/\b(from|join|into|update)\s+([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/gi)) {
      const kw = m[1]!;
      if (kw !== kw.toUpperCase() && !sqlish) continue;
      const name = m[2]!;
      if (/^(select|where|set|values|only|lateral|as|on)$/i.test(name)) continue;
      out.add(name);
    }
  }
  return [...out].sort();
}
