/** SQL execution sinks (kind `sql`). Data only. */

export interface SqlFunctionSink {
  /** Qualified function or constructor names. */
  readonly functions: readonly string[];
  readonly arg: number;
  readonly keyword?: string;
  readonly driver: string;
}

export const SQL_FUNCTION_SINKS: readonly SqlFunctionSink[] = [
  { functions: ['sqlalchemy.text', 'sqlalchemy.sql.text', 'sqlalchemy.sql.expression.text'], arg: 0, keyword: 'text', driver: 'sqlalchemy' },
  { functions: ['psycopg.sql.SQL', 'psycopg2.sql.SQL'], arg: 0, driver: 'psycopg' },
  { functions: ['pandas.read_sql', 'pandas.read_sql_query'], arg: 0, keyword: 'sql', driver: 'pandas' },
];

/** Methods whose first argument is SQL text on whatever receiver (DB-API cursors, connections, sessions). */
export const SQL_METHODS: ReadonlySet<string> = new Set([
  'execute', 'executemany', 'executescript', 'exec_driver_sql', 'mogrify', 'execute_fetchall', 'execute_insert',
  'execute_sql', 'read_sql', 'read_sql_query',
]);

/** Keyword names the SQL text may be passed under. */
export const SQL_KEYWORDS: readonly string[] = ['sql', 'query', 'statement', 'operation', 'sql_script'];

/**
 * asyncpg-style methods with generic names (`fetch`, `fetchrow`): sinks only on a receiver
 * that looks like a connection or pool, or in a file that imports asyncpg.
 */
export const SQL_GENERIC_METHODS: ReadonlySet<string> = new Set(['fetch', 'fetchrow', 'fetchval', 'raw']);
/**
 * ClickHouse clients' methods (clickhouse_connect's `client.query`/`command`, chDB's
 * `query`/`Session.query`): generic names, sinks only in a file that imports the driver.
 */
export const CLICKHOUSE_METHODS: ReadonlySet<string> = new Set([
  'query', 'command', 'query_df', 'query_np', 'query_arrow', 'query_df_arrow', 'raw_query', 'raw_stream',
  'query_row_block_stream', 'query_rows_stream', 'query_column_block_stream', 'query_df_stream', 'query_np_stream',
  'sql', 'send_query',
]);
export const CLICKHOUSE_MODULES: readonly string[] = ['clickhouse_connect', 'chdb', 'clickhouse_driver', 'aiochclient'];

/**
 * Methods with generic names that run SQL text, each a sink only in a file importing one of its
 * client libraries: ClickHouse's, BigQuery's `client.query(sql)` / `query_and_wait(sql)`, and
 * `session.sql(sql)` of Snowpark, PySpark and Databricks Connect.
 */
export const LIBRARY_SQL_METHODS: readonly { readonly modules: readonly string[]; readonly methods: ReadonlySet<string>; readonly driver?: string }[] = [
  { modules: CLICKHOUSE_MODULES, methods: CLICKHOUSE_METHODS },
  { modules: ['google.cloud.bigquery'], methods: new Set(['query', 'query_and_wait']), driver: 'bigquery' },
  { modules: ['snowflake.snowpark'], methods: new Set(['sql']), driver: 'snowpark' },
  { modules: ['pyspark', 'databricks.connect'], methods: new Set(['sql']), driver: 'spark' },
];

export const DB_RECEIVER = /(?:^|[._])(?:conn|connection|con|pool|db|database|cur|cursor|session|tx|transaction|objects)$/i;

/** Driver of the file by its imports, first match wins (the quick-fix picks the placeholder style from it). */
export const SQL_DRIVERS: readonly { readonly module: string; readonly driver: string; readonly placeholder: string }[] = [
  { module: 'asyncpg', driver: 'asyncpg', placeholder: '$1' },
  { module: 'aiosqlite', driver: 'aiosqlite', placeholder: '?' },
  { module: 'sqlite3', driver: 'sqlite3-py', placeholder: '?' },
  { module: 'psycopg', driver: 'psycopg', placeholder: '%s' },
  { module: 'psycopg2', driver: 'psycopg', placeholder: '%s' },
  { module: 'aiopg', driver: 'psycopg', placeholder: '%s' },
  { module: 'pymysql', driver: 'pymysql', placeholder: '%s' },
  { module: 'aiomysql', driver: 'pymysql', placeholder: '%s' },
  { module: 'MySQLdb', driver: 'mysqlclient', placeholder: '%s' },
  { module: 'mysql.connector', driver: 'mysql-connector', placeholder: '%s' },
  { module: 'duckdb', driver: 'duckdb', placeholder: '?' },
  { module: 'sqlalchemy', driver: 'sqlalchemy', placeholder: ':name' },
  // Client-side binding: `client.query("... %s", parameters=(x,))`.
  { module: 'clickhouse_connect', driver: 'clickhouse-connect', placeholder: '%s' },
];

/** Calls whose result is safe SQL composition (psycopg identifiers/literals, escaping functions). */
export const SQL_SANITIZERS: readonly string[] = [
  'psycopg.sql.Identifier', 'psycopg.sql.Literal', 'psycopg.sql.Placeholder', 'psycopg2.sql.Identifier',
  'psycopg2.sql.Literal', 'psycopg2.sql.Placeholder', 'sqlalchemy.bindparam', 'sqlalchemy.literal',
  'pymysql.converters.escape_string', 'MySQLdb.escape_string', 'sqlalchemy.sql.quoted_name',
  'clickhouse_connect.driver.binding.format_query_value', 'clickhouse_connect.driver.binding.quote_identifier',
];

/**
 * Marks a value whose single quotes were doubled (`v.replace("'", "''")`), which is also marked
 * clean for 'sql'. That escape is complete only where a backslash does not escape in a string
 * literal: `\'` becomes `\''`, whose first quote MySQL, ClickHouse, Snowflake and BigQuery read
 * as escaped and whose second ends the literal. Such values stay SQL taint at a sink in a file
 * that does not import one of QUOTE_DOUBLING_DRIVERS.
 */
export const QUOTE_DOUBLED = 'sql-quote-doubled';
/** Drivers whose string literals take no backslash escapes (PostgreSQL with its default standard_conforming_strings). */
export const QUOTE_DOUBLING_DRIVERS: readonly string[] = [
  'sqlite3', 'aiosqlite', 'duckdb', 'psycopg', 'psycopg2', 'asyncpg', 'pg8000', 'oracledb', 'cx_Oracle', 'pymssql',
];
/** Drivers whose string literals take backslash escapes (a quote-doubling escaper is not enough). */
export const BACKSLASH_ESCAPE_DRIVERS: readonly string[] = [
  'pymysql', 'MySQLdb', 'mysql', 'aiomysql', 'asyncmy', 'mariadb', 'clickhouse_connect', 'chdb', 'clickhouse_driver',
  'aiochclient', 'snowflake', 'google.cloud.bigquery', 'databricks', 'pyspark',
];
