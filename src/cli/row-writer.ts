import { csvRecord } from './csv.js';
import { jsonlRow } from './jsonl-row.js';
import { sqlIdentifier, sqlTimestamp, upsertStatement, type SqlDialect } from './sql-literal.js';

/** The output formats of `convert`. */
export type RowFormat = 'jsonl' | 'csv' | 'sql';

/** The formats, for `--format`. */
export const ROW_FORMATS: readonly RowFormat[] = ['jsonl', 'csv', 'sql'];

/** Turns rows into output text: a header, one text per row, a footer. */
export interface RowWriter {
  header(): string;
  /**
   * May throw `SqlLiteralError` for a text the dialect cannot hold; nothing of the row is written then. `legacy`:
   * the row comes from a legacy public-id key, and loses to its session's private-id row (see `precedence`).
   */
  row(row: { session_id: string; data: string }, legacy?: boolean): string;
  footer(): string;
}

/** Options for `createRowWriter`. */
export interface RowWriterOptions {
  format: RowFormat;
  /** For `'sql'`. Defaults to `'postgresql'`. */
  dialect?: SqlDialect;
  /** For `'sql'`. Defaults to `'sessions'`, the gem's table. */
  table?: string;
  /** For `'sql'`: `created_at` and `updated_at`, seconds since the epoch. */
  timestamp: number;
  /**
   * Mark the rows of legacy public-id keys, so that loading lets the private-id row of the same session win
   * without the writer remembering any key: SQL inserts them with `DO NOTHING` on a conflict, JSONL adds
   * `"legacy": true`, CSV has a third column `legacy` (`1` or `0`). Defaults to false (every row alike).
   */
  precedence?: boolean;
  /**
   * Every `data` is `encode64` output (the Marshal serializer's Base64 lines), which `jsonl` then writes without
   * checking it for characters to escape.
   * Defaults to false.
   */
  base64Data?: boolean;
}

/**
 * The writer for a format:
 * - `jsonl`: `{"session_id":…,"data":…}` per line (`"legacy":true` added with `precedence`);
 * - `csv`: header `session_id,data` (`session_id,data,legacy` with `precedence`), RFC 4180 records (for `COPY` /
 *   `LOAD DATA`);
 * - `sql`: one upsert per row (see `upsertStatement`) inside a transaction.
 */
export function createRowWriter(options: RowWriterOptions): RowWriter {
  const precedence = options.precedence === true;
  switch (options.format) {
    case 'jsonl':
      return {
        header: () => '',
        row: (row, legacy) =>
          precedence && legacy === true
            ? `${JSON.stringify({ session_id: row.session_id, data: row.data, legacy: true })}\n`
            : jsonlRow(row.session_id, row.data, options.base64Data === true),
        footer: () => '',
      };
    case 'csv':
      return precedence
        ? { header: () => csvRecord(['session_id', 'data', 'legacy']), row: (row, legacy) => csvRecord([row.session_id, row.data, legacy === true ? '1' : '0']), footer: () => '' }
        : { header: () => csvRecord(['session_id', 'data']), row: (row) => csvRecord([row.session_id, row.data]), footer: () => '' };
    case 'sql':
      return sqlWriter(options.dialect ?? 'postgresql', options.table ?? 'sessions', sqlTimestamp(options.timestamp), precedence);
  }
}

function sqlWriter(dialect: SqlDialect, table: string, timestamp: string, precedence: boolean): RowWriter {
  // The client's character set is pinned too: the literals hold UTF-8 text.
  const begin = dialect === 'mysql' ? 'SET NAMES utf8mb4;\nSTART TRANSACTION;\n' : dialect === 'postgresql' ? "SET client_encoding = 'UTF8';\nBEGIN;\n" : 'BEGIN;\n';
  return {
    header: () => `-- activerecord-session_store rows for ${sqlIdentifier(table, dialect)} (${dialect}), upserted on session_id; written by rails-session-codec\n${begin}`,
    row: (row, legacy) => `${upsertStatement(row, { dialect, table, timestamp, legacy: precedence && legacy === true })}\n`,
    footer: () => 'COMMIT;\n',
  };
}
