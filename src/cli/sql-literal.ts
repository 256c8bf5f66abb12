// SQL text for the three databases activerecord-session_store runs on. Each dialect has its own string-literal rules;
// the literals below read back byte for byte whatever the server's settings and the loading client's line ends.

/** The SQL dialects `convert --format sql` writes. */
export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

/** The dialects, for `--dialect`. */
export const SQL_DIALECTS: readonly SqlDialect[] = ['postgresql', 'mysql', 'sqlite'];

/** A text that no SQL literal of the dialect can hold (a NUL character). */
export class SqlLiteralError extends Error {
  override readonly name = 'SqlLiteralError';
  readonly code = 'sql_unrepresentable';
}

/**
 * A string literal for `dialect` that reads back to the same characters whatever the server's settings
 * (`sql_mode`, `standard_conforming_strings`, `backslash_quote`) and however the client loading the file treats
 * line ends (the `sqlite3` shell reads CRLF as LF): no literal holds a raw CR, LF or other control character, and
 * none relies on backslash escapes where a setting could change their meaning.
 * - A text of printable characters without a backslash (SQLite: backslashes allowed): `'…'` with `'` doubled.
 * - PostgreSQL, otherwise: an escape string `E'…'` (`\\`, `\n`, `\r`, `\xHH`, `''`), which reads the same with
 *   `standard_conforming_strings` on or off.
 * - MySQL / MariaDB, otherwise: a hex literal with a character set, `_utf8mb4 X'…'`, which no `sql_mode` changes.
 * - SQLite, otherwise: `CAST(X'…' AS TEXT)`, the UTF-8 bytes as text.
 * NUL cannot be stored in PostgreSQL `text` and ends a SQLite string, and a lone UTF-16 surrogate has no UTF-8
 * bytes: those throw `SqlLiteralError`.
 */
export function sqlString(text: string, dialect: SqlDialect): string {
  if (hasLoneSurrogate(text)) throw new SqlLiteralError(`a text with a lone surrogate cannot be written as a ${dialect} string literal`);
  if (dialect !== 'mysql' && text.includes('\0')) throw new SqlLiteralError(`a text with a NUL character cannot be written as a ${dialect} string literal`);
  if (isPlain(text, dialect !== 'sqlite')) return `'${text.replaceAll("'", "''")}'`;
  switch (dialect) {
    case 'postgresql':
      return `E'${escapePostgres(text)}'`;
    case 'mysql':
      return `_utf8mb4 X'${hexUtf8(text)}'`;
    case 'sqlite':
      return `CAST(X'${hexUtf8(text)}' AS TEXT)`;
  }
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

/** No control character (C0, DEL) and no backslash where one may escape: a plain quoted literal means the same everywhere. */
function isPlain(text: string, backslashEscapes: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c === 0x5c && backslashEscapes)) return false;
  }
  return true;
}

const POSTGRES_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "''", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapePostgres(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not appear raw
  return text.replace(/[\\'\x00-\x1f\x7f]/g, (c) => POSTGRES_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function hexUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').toUpperCase();
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
  /**
   * The row comes from a legacy public-id key and must not replace a row already there (the one its session's
   * private-id key wrote, whichever line of the dump came first): the insert does nothing on a conflict. Defaults
   * to false.
   */
  legacy?: boolean;
}

/**
 * One row as an `INSERT` that replaces `data` and `updated_at` of an existing row with the same `session_id` (the
 * gem's table has a unique index on it), keeping its `created_at`:
 * PostgreSQL `ON CONFLICT (session_id) DO UPDATE`, MySQL `ON DUPLICATE KEY UPDATE` (`VALUES()`, which MySQL 5.7,
 * 8 and MariaDB all read), SQLite (>= 3.24) `ON CONFLICT(session_id) DO UPDATE`.
 * With `legacy`, an existing row is left as it is: `ON CONFLICT … DO NOTHING`, and on MySQL a no-op
 * `ON DUPLICATE KEY UPDATE session_id = session_id` (`INSERT IGNORE` would also turn errors such as a too-long
 * `data` into warnings and load a truncated row).
 */
export function upsertStatement(row: { session_id: string; data: string }, options: UpsertOptions): string {
  const { dialect } = options;
  const values = `(${sqlString(row.session_id, dialect)}, ${sqlString(row.data, dialect)}, ${options.timestamp}, ${options.timestamp})`;
  const insert = `INSERT INTO ${sqlIdentifier(options.table, dialect)} (session_id, data, created_at, updated_at) VALUES ${values}`;
  if (options.legacy === true) return dialect === 'mysql' ? `${insert} ON DUPLICATE KEY UPDATE session_id = session_id;` : `${insert} ON CONFLICT (session_id) DO NOTHING;`;
  switch (dialect) {
    case 'postgresql':
      return `${insert} ON CONFLICT (session_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at;`;
    case 'mysql':
      return `${insert} ON DUPLICATE KEY UPDATE data = VALUES(data), updated_at = VALUES(updated_at);`;
    case 'sqlite':
      return `${insert} ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at;`;
  }
}
