import type { CallView, SinkEntry, SinkHit } from './types';
import { findEntry, taintedArgs } from './types';

/**
 * SQL injection (CWE-89): driver and query-builder calls whose argument is SQL text.
 * Parameters passed separately (`pool.query(text, values)`, `db.prepare(sql).get(id)`) and
 * tagged templates (`sql\`...\``, `prisma.$queryRaw\`...\``) are bound by the driver and are
 * not sinks.
 */
export const SQL_SINKS: readonly SinkEntry[] = [
  { modules: ['pg', 'pg-pool'], members: ['query'], args: [0], data: { driver: 'pg' } },
  { modules: ['postgres'], members: ['unsafe'], args: [0], data: { driver: 'postgres' } },
  { modules: ['mysql2'], members: ['query', 'execute'], args: [0], data: { driver: 'mysql2' } },
  { modules: ['mysql'], members: ['query'], args: [0], data: { driver: 'mysql' } },
  { modules: ['better-sqlite3'], members: ['prepare', 'exec'], args: [0], data: { driver: 'better-sqlite3' } },
  { modules: ['sqlite3'], members: ['run', 'all', 'get', 'each', 'exec', 'prepare'], args: [0], data: { driver: 'sqlite3' } },
  { modules: ['sqlite'], members: ['run', 'all', 'get', 'each', 'exec', 'prepare'], args: [0], data: { driver: 'sqlite' } },
  { modules: ['@libsql/client'], members: ['execute', 'executeMultiple'], args: [0], data: { driver: 'libsql' } },
  { modules: ['duckdb', '@duckdb/node-api'], members: ['run', 'all', 'exec', 'prepare', 'runAndReadAll'], args: [0], data: { driver: 'duckdb' } },
  { modules: ['knex'], members: ['raw', 'whereRaw', 'orWhereRaw', 'havingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'fromRaw'], args: [0], data: { driver: 'knex' } },
  { modules: ['sequelize'], members: ['query'], args: [0], data: { driver: 'sequelize' } },
  { modules: ['@prisma/client'], members: ['$queryRawUnsafe', '$executeRawUnsafe'], args: [0], data: { driver: 'prisma' } },
  { modules: ['typeorm'], members: ['query'], args: [0], data: { driver: 'typeorm' } },
  { modules: ['drizzle-orm'], members: ['raw'], args: [0], data: { driver: 'drizzle' } },
  { modules: ['mssql'], members: ['query', 'batch'], args: [0], data: { driver: 'mssql' } },
  { modules: ['oracledb'], members: ['execute'], args: [0], data: { driver: 'oracledb' } },
  { modules: ['@google-cloud/bigquery'], members: ['query', 'createQueryJob'], args: [0], data: { driver: 'bigquery' } },
  { modules: ['snowflake-sdk'], members: ['execute'], args: [0], data: { driver: 'snowflake' } },
  // Neon's serverless driver: `neon(url).query(text, params)`, `Pool`/`Client` `.query(text)`
  // (its tagged template `sql\`...\`` binds); Vercel Postgres: `sql.query(text, values)`.
  { modules: ['@neondatabase/serverless'], members: ['query', 'unsafe'], args: [0], data: { driver: 'neon' } },
  { modules: ['@vercel/postgres'], members: ['query'], args: [0], data: { driver: 'vercel-postgres' } },
];

/**
 * Methods that take SQL text on receivers whose origin the engine cannot see (a `db`
 * parameter, an imported pool), recognised by the receiver's name.
 */
export const SQL_METHODS_BY_RECEIVER_NAME: readonly { readonly receiver: RegExp; readonly methods: ReadonlySet<string> }[] = [
  {
    receiver: /^(?:db|database|sqlite|pool|conn|connection|pg|pgPool|mysql|knex|sequelize|tx|trx|transaction|queryRunner|dataSource|manager|entityManager|sql)$|(?:Db|DB|Database|Pool|Conn|Connection|Sqlite|Knex|Sequelize)$/,
    methods: new Set(['query', 'execute', 'exec', 'prepare', 'run', 'all', 'get', 'each', 'raw', 'unsafe', 'whereRaw', 'orderByRaw', 'havingRaw', '$queryRawUnsafe', '$executeRawUnsafe']),
  },
  // A `client` is a database's only when it queries: `redisClient.get(key)`, `apiClient.get(url)`
  // and `cacheClient.run(...)` are other clients' (exa-mcp-server's Redis session lookups).
  {
    receiver: /^(?:client|pgClient|sqlClient|dbClient|mysqlClient|postgresClient|pgsqlClient|sqliteClient|duckdbClient|clickhouseClient|snowflakeClient|bigqueryClient)$|^(?!.*(?:redis|cache|kv|valkey|memcache|mongo|http|api|fetch|s3|storage|blob|bucket|queue|kafka|elastic|search|ldap|mail|smtp|graphql|grpc|rpc|ws|socket|openai|anthropic|llm)).*Client$/i,
    methods: new Set(['query', 'execute', 'unsafe', 'raw', '$queryRawUnsafe', '$executeRawUnsafe']),
  },
  { receiver: /^(?:prisma|\w*Prisma)$/, methods: new Set(['$queryRawUnsafe', '$executeRawUnsafe']) },
];

export function sqlHits(call: CallView): SinkHit[] {
  const entry = findEntry(SQL_SINKS, call.ref);
  if (entry) return taintedArgs(entry, call).map((arg) => ({ kind: 'sql', arg, data: { ...entry.data } }));
  if (call.ref && call.ref.module !== '' && call.ref.module !== 'this') return [];
  const recv = call.receiverName;
  if (!recv) return [];
  for (const row of SQL_METHODS_BY_RECEIVER_NAME) {
    if (row.receiver.test(recv) && row.methods.has(call.name)) {
      const first = call.args[0];
      // `db.query({ text, values })`, `db.query({ query, bindVars })` (ArangoDB's AQL): the
      // statement is the one field; the values bound to it are no part of its text.
      const text = first?.props?.get('text') ?? first?.props?.get('sql') ?? first?.props?.get('query');
      if (text) return text.tainted ? [{ kind: 'sql', arg: text, data: { driver: 'unknown' } }] : [];
      if (first?.tainted) return [{ kind: 'sql', arg: first, data: { driver: 'unknown' } }];
      return [];
    }
  }
  return [];
}
