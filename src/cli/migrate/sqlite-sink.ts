import type { Database } from 'better-sqlite3';
import { loadOptional } from '../optional-dependency.js';
import { sqlIdentifier } from '../sql-literal.js';
import { REFRESH_TOLERANCE_SECONDS, type BatchMarker, type SessionSink, type SinkRow } from './sink.js';

/**
 * The `sessions` table of a SQLite database through better-sqlite3 (`sqlite:PATH`). Timestamps are text, written
 * as ActiveRecord writes them, so they compare as the app's do. SQLite has one writer at a time: our transaction
 * and the app's never interleave.
 */
export class SqliteSink implements SessionSink {
  readonly label: string;
  private readonly table: string;

  private constructor(
    private readonly db: Database,
    path: string,
    table: string,
  ) {
    this.label = `sqlite:${path} ${table}`;
    this.table = sqlIdentifier(table, 'sqlite');
  }

  static async open(path: string, table: string): Promise<SqliteSink> {
    const { default: Sqlite } = await loadOptional('better-sqlite3', 'migrate', () => import('better-sqlite3'));
    const db = new Sqlite(path, { fileMustExist: true, timeout: 10_000 });
    return new SqliteSink(db, path, table);
  }

  async writeBatch(rows: readonly SinkRow[], cutover: string | null, marker: BatchMarker): Promise<void> {
    const guard = cutover === null ? '' : 'updated_at < @cutover AND ';
    const changed = `(data IS NOT @data OR abs(julianday(@updatedAt) - julianday(updated_at)) * 86400 > ${REFRESH_TOLERANCE_SECONDS})`;
    const upsert = this.db.prepare(
      `INSERT INTO ${this.table} (session_id, data, created_at, updated_at) VALUES (@sessionId, @data, @createdAt, @updatedAt)
       ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, created_at = min(created_at, excluded.created_at), updated_at = excluded.updated_at
       WHERE ${guard}${changed}`,
    );
    const update = this.db.prepare(
      `UPDATE ${this.table} SET data = @data, created_at = min(created_at, @createdAt), updated_at = @updatedAt WHERE session_id = @sessionId AND ${guard}${changed}`,
    );
    const insertMarker = this.db.prepare(`INSERT INTO ${this.table} (session_id, data, created_at, updated_at) VALUES (?, '', ?, ?)`);
    this.db.transaction(() => {
      for (const row of rows) {
        const params = { sessionId: row.sessionId, data: row.data, createdAt: row.createdAt, updatedAt: row.updatedAt, ...(cutover === null ? {} : { cutover }) };
        (row.mode === 'update' ? update : upsert).run(params);
      }
      this.deleteIds(marker.clear);
      insertMarker.run(marker.id, marker.at, marker.at);
    }).immediate();
  }

  async hasMarker(id: string): Promise<boolean> {
    return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE session_id = ?`).get(id) !== undefined;
  }

  async clearMarkers(ids: readonly string[]): Promise<void> {
    this.db.transaction(() => this.deleteIds(ids)).immediate();
  }

  private deleteIds(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.db.prepare(`DELETE FROM ${this.table} WHERE session_id IN (${ids.map(() => '?').join(', ')})`).run(...ids);
  }

  async deleteBatch(sessionIds: readonly string[], cutover: string | null): Promise<number> {
    if (sessionIds.length === 0) return 0;
    const marks = sessionIds.map(() => '?').join(', ');
    const guard = cutover === null ? '' : ' AND updated_at < ?';
    const statement = this.db.prepare(`DELETE FROM ${this.table} WHERE session_id IN (${marks})${guard}`);
    return this.db.transaction(() => statement.run(...sessionIds, ...(cutover === null ? [] : [cutover])).changes).immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
