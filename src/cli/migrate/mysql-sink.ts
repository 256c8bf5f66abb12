import type { Connection } from 'mysql2/promise';
import { loadOptional } from '../optional-dependency.js';
import { sqlIdentifier } from '../sql-literal.js';
import { REFRESH_TOLERANCE_SECONDS, type BatchMarker, type SessionSink, type SinkRow } from './sink.js';

/** The row differs from `data` / `updatedAt` (SQL expressions): see `SessionSink`. */
function changed(data: string, updatedAt: string): string {
  return `(NOT (data <=> ${data}) OR ABS(TIMESTAMPDIFF(MICROSECOND, updated_at, ${updatedAt})) > ${REFRESH_TOLERANCE_SECONDS * 1_000_000})`;
}

/** Rows per INSERT statement (well under the default max_allowed_packet for session-sized rows). */
const ROWS_PER_STATEMENT = 200;

/**
 * The `sessions` table of MySQL or MariaDB through `mysql2` (`mysql://` or `mariadb://`). Multi-row
 * `INSERT … ON DUPLICATE KEY UPDATE` whose assignments test the locked row (`updated_at < T`, and changed): MySQL
 * assigns left to right and each test sees the columns assigned before it, so `created_at` and `updated_at` are
 * tested on the old row, and `data` goes last, taken when `updated_at` now holds ours. An `UPDATE … WHERE
 * updated_at < T` per refreshed row; one transaction per batch. The connection runs in UTC and utf8mb4.
 */
export class MysqlSink implements SessionSink {
  readonly label: string;
  private readonly table: string;

  private constructor(
    private readonly connection: Connection,
    label: string,
    table: string,
  ) {
    this.label = `${label} ${table}`;
    this.table = sqlIdentifier(table, 'mysql');
  }

  static async open(url: URL, table: string, label: string): Promise<MysqlSink> {
    const mysql = await loadOptional('mysql2', 'migrate', () => import('mysql2/promise'));
    const create = mysql.default?.createConnection ?? mysql.createConnection;
    const connection = await create({
      host: url.hostname,
      port: url.port === '' ? 3306 : Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.slice(1)),
      charset: 'utf8mb4',
      timezone: 'Z',
      dateStrings: true,
    });
    connection.on('error', () => {
      // Reported where the command fails.
    });
    await connection.query("SET time_zone = '+00:00'");
    return new MysqlSink(connection, label, table);
  }

  async writeBatch(rows: readonly SinkRow[], cutover: string | null, marker: BatchMarker): Promise<void> {
    await this.transaction(async () => {
      const upserts = rows.filter((row) => row.mode === 'upsert');
      for (let start = 0; start < upserts.length; start += ROWS_PER_STATEMENT) await this.upsert(upserts.slice(start, start + ROWS_PER_STATEMENT), cutover);
      const guard = cutover === null ? '' : 'updated_at < ? AND ';
      for (const row of rows) {
        if (row.mode !== 'update') continue;
        await this.connection.query(
          `UPDATE ${this.table} SET data = ?, created_at = LEAST(created_at, ?), updated_at = ? WHERE session_id = ? AND ${guard}${changed('?', '?')}`,
          [row.data, row.createdAt, row.updatedAt, row.sessionId, ...(cutover === null ? [] : [cutover]), row.data, row.updatedAt],
        );
      }
      await this.deleteIds(marker.clear);
      await this.connection.query(`INSERT INTO ${this.table} (session_id, data, created_at, updated_at) VALUES (?, '', ?, ?)`, [marker.id, marker.at, marker.at]);
    });
  }

  async hasMarker(id: string): Promise<boolean> {
    const [found] = await this.connection.query(`SELECT 1 FROM ${this.table} WHERE session_id = ?`, [id]);
    return (found as unknown[]).length > 0;
  }

  async clearMarkers(ids: readonly string[]): Promise<void> {
    await this.transaction(() => this.deleteIds(ids));
  }

  private async deleteIds(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.connection.query(`DELETE FROM ${this.table} WHERE session_id IN (?)`, [ids]);
  }

  private async upsert(rows: readonly SinkRow[], cutover: string | null): Promise<void> {
    const params: string[] = [];
    for (const row of rows) params.push(row.sessionId, row.data, row.createdAt, row.updatedAt);
    const values = rows.map(() => '(?, ?, ?, ?)').join(', ');
    const test = `${cutover === null ? '' : 'updated_at < ? AND '}${changed('VALUES(data)', 'VALUES(updated_at)')}`;
    const assignments = [
      `created_at = IF(${test}, LEAST(created_at, VALUES(created_at)), created_at)`,
      `updated_at = IF(${test}, VALUES(updated_at), updated_at)`,
      // updated_at now equals ours exactly when the test held (ours is before T, the app's never is).
      'data = IF(updated_at = VALUES(updated_at), VALUES(data), data)',
    ];
    if (cutover !== null) params.push(cutover, cutover);
    await this.connection.query(`INSERT INTO ${this.table} (session_id, data, created_at, updated_at) VALUES ${values} ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`, params);
  }

  async deleteBatch(sessionIds: readonly string[], cutover: string | null): Promise<number> {
    if (sessionIds.length === 0) return 0;
    let deleted = 0;
    await this.transaction(async () => {
      const guard = cutover === null ? '' : ' AND updated_at < ?';
      const [result] = await this.connection.query(`DELETE FROM ${this.table} WHERE session_id IN (?)${guard}`, [sessionIds, ...(cutover === null ? [] : [cutover])]);
      deleted = (result as { affectedRows: number }).affectedRows;
    });
    return deleted;
  }

  private async transaction(body: () => Promise<void>): Promise<void> {
    await this.connection.beginTransaction();
    try {
      await body();
      await this.connection.commit();
    } catch (error) {
      await this.connection.rollback().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}
