// SQL text for the three databases activerecord-session_store runs on. Each dialect has its own string-literal rules;
// the literals below are exact for the server defaults named in each function.

/** The SQL dialects `convert --format sql` writes. */
export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

/** The dialects, for `--dialect`. */
export const SQL_DIALECTS: readonly SqlDialect[] = ['postgresql', 'mysql', 'sqlite'];

/** A text that no SQL literal of the dialect can hold (a NUL character). */
export class SqlLiteralError extends Error {
  override readonly name = 'SqlLiteralError';
  readonly code = 'sql_unrepresentable';
}

// mysql_real_escape_string's table (what mysqldump writes).
const MYSQL_ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"', '\x1a': '\\Z' };

/**
 * A string literal for `dialect`:
 * - PostgreSQL: `'…'` with `'` doubled; a text with a backslash becomes an escape string `E'…'` with `\` doubled
 *   too, which reads the same whether `standard_conforming_strings` is on or off. NUL cannot be stored in `text`.
 * - MySQL: `'…'` with backslash escapes as `mysql_real_escape_string` writes them (`\0 \n \r \\ \' \" \Z`), for
 *   the default `sql_mode` (without `NO_BACKSLASH_ESCAPES`).
 * - SQLite: `'…'` with `'` doubled; backslashes and newlines are plain characters. NUL would end the statement.
 */
export function sqlString(text: string, dialect: SqlDialect): string {
  // eslint-disable-next-line no-control-regex -- NUL and Ctrl-Z are exactly what MySQL needs escaped
  if (dialect === 'mysql') return `'${text.replace(/[\0\n\r\\'"\x1a]/g, (c) => MYSQL_ESCAPES[c]!)}'`;
  if (text.includes('\0')) throw new SqlLiteralError(`a text with a NUL character cannot be written as a ${dialect} string literal`);
  const quoted = text.replaceAll("'", "''");
  if (dialect === 'postgresql' && text.includes('\\')) return `E'${quoted.replaceAll('\\', '\\\\')}'`;
  return `'${quoted}'`;
}

/** A quoted identifier (`"sessions"`, or `` `sessions` `` for MySQL); `schema.table` is quoted part by part. */
export function sqlIdentifier(name: string, dialect: SqlDialect): string {
  const quote = dialect === 'mysql' ? '`' : '"';
  return name
    .split('.')
    .map((part) => `${quote}${part.replaceAll(quote, quote + quote)}${quote}`)
    .join('.');
}

/**
 * A UTC timestamp literal as Rails writes `created_at`/`updated_at`: `'2024-01-15 12:00:00'`, with microseconds
 * when `epochSeconds` has a fraction. Valid for PostgreSQL `timestamp`, MySQL `datetime` and SQLite's text dates.
 */
export function sqlTimestamp(epochSeconds: number): string {
  const micros = Math.round(epochSeconds * 1e6);
  const date = new Date(Math.floor(micros / 1000));
  const text = date.toISOString().slice(0, 19).replace('T', ' ');
  const fraction = ((micros % 1e6) + 1e6) % 1e6;
  return `'${fraction === 0 ? text : `${text}.${String(fraction).padStart(6, '0')}`}'`;
}

/** Options for `upsertStatement`. */
export interface UpsertOptions {
  dialect: SqlDialect;
  /** The table name, quoted here (`schema.table` allowed). */
  table: string;
  /** The `created_at`/`updated_at` literal, from `sqlTimestamp`. */
  timestamp: string;
}

/**
 * One row as an `INSERT` that replaces `data` and `updated_at` of an existing row with the same `session_id` (the
 * gem's table has a unique index on it), keeping its `created_at`:
 * PostgreSQL `ON CONFLICT (session_id) DO UPDATE`, MySQL `ON DUPLICATE KEY UPDATE` (`VALUES()`, which MySQL 5.7,
 * 8 and MariaDB all read), SQLite (>= 3.24) `ON CONFLICT(session_id) DO UPDATE`.
 */
export function upsertStatement(row: { session_id: string; data: string }, options: UpsertOptions): string {
  const { dialect } = options;
  const values = `(${sqlString(row.session_id, dialect)}, ${sqlString(row.data, dialect)}, ${options.timestamp}, ${options.timestamp})`;
  const insert = `INSERT INTO ${sqlIdentifier(options.table, dialect)} (session_id, data, created_at, updated_at) VALUES ${values}`;
  switch (dialect) {
    case 'postgresql':
      return `${insert} ON CONFLICT (session_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at;`;
    case 'mysql':
      return `${insert} ON DUPLICATE KEY UPDATE data = VALUES(data), updated_at = VALUES(updated_at);`;
    case 'sqlite':
      return `${insert} ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at;`;
  }
}
