import type { Client } from 'pg';
import { loadOptional } from '../optional-dependency.js';
import { sqlIdentifier } from '../sql-literal.js';
import { REFRESH_TOLERANCE_SECONDS, type BatchMarker, type SessionSink, type SinkRow } from './sink.js';

/** Rows per statement: 4 parameters each, well under PostgreSQL's 65535. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The `sessions` table of PostgreSQL through `pg` (`postgres://` or `postgresql://`). Multi-row upserts
 * (`ON CONFLICT (session_id) DO UPDATE … WHERE updated_at < T`, which PostgreSQL checks on the row it has locked)
 * and multi-row updates, in one transaction per batch. The session runs in UTC, as ActiveRecord's timestamps are.
 */
export class PostgresSink implements SessionSink {
  readonly label: string;
  private readonly table: string;

  private constructor(
    private readonly client: Client,
    label: string,
    table: string,
  ) {
    this.label = `${label} ${table}`;
    this.table = sqlIdentifier(table, 'postgresql');
  }

  static async open(url: URL, table: string, label: string): Promise<PostgresSink> {
    const pg = await loadOptional('pg', 'migrate', () => import('pg'));
    const client = new (pg.default?.Client ?? pg.Client)({ connectionString: url.href });
    client.on('error', () => {
      // Reported where the command fails.
    });
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    return new PostgresSink(client, label, table);
  }

  async writeBatch(rows: readonly SinkRow[], cutover: string | null, marker: BatchMarker): Promise<void> {
    await this.transaction(async () => {
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        const upserts = chunk.filter((row) => row.mode === 'upsert');
        const updates = chunk.filter((row) => row.mode === 'update');
        if (upserts.length > 0) await this.upsert(upserts, cutover);
        if (updates.length > 0) await this.update(updates, cutover);
      }
      await this.deleteIds(marker.clear);
      await this.client.query(`INSERT INTO ${this.table} (session_id, data, created_at, updated_at) VALUES ($1, '', $2, $2)`, [marker.id, marker.at]);
    });
  }

  async hasMarker(id: string): Promise<boolean> {
    return ((await this.client.query(`SELECT 1 FROM ${this.table} WHERE session_id = $1`, [id])).rowCount ?? 0) > 0;
  }

  async clearMarkers(ids: readonly string[]): Promise<void> {
    await this.transaction(() => this.deleteIds(ids));
  }

  private async deleteIds(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.client.query(`DELETE FROM ${this.table} WHERE session_id = ANY($1::text[])`, [ids]);
  }

  private async upsert(rows: readonly SinkRow[], cutover: string | null): Promise<void> {
    const params: string[] = [];
    const values = rows.map((row) => {
      params.push(row.sessionId, row.data, row.createdAt, row.updatedAt);
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await this.client.query(
      `INSERT INTO ${this.table} AS s (session_id, data, created_at, updated_at) VALUES ${values.join(', ')}
       ON CONFLICT (session_id) DO UPDATE SET data = EXCLUDED.data, created_at = LEAST(s.created_at, EXCLUDED.created_at), updated_at = EXCLUDED.updated_at
       WHERE ${this.refreshWhen('EXCLUDED', params, cutover)}`,
      params,
    );
  }

  private async update(rows: readonly SinkRow[], cutover: string | null): Promise<void> {
    const params: string[] = [];
    const values = rows.map((row) => {
      params.push(row.sessionId, row.data, row.createdAt, row.updatedAt);
      const n = params.length;
      return `($${n - 3}::text, $${n - 2}::text, $${n - 1}::timestamp, $${n}::timestamp)`;
    });
    await this.client.query(
      `UPDATE ${this.table} AS s SET data = v.data, created_at = LEAST(s.created_at, v.created_at), updated_at = v.updated_at
       FROM (VALUES ${values.join(', ')}) AS v (session_id, data, created_at, updated_at)
       WHERE s.session_id = v.session_id AND ${this.refreshWhen('v', params, cutover)}`,
      params,
    );
  }

  /** The test on the existing row `s` for the new values in `source`: before T, and changed (see `SessionSink`). */
  private refreshWhen(source: string, params: string[], cutover: string | null): string {
    const changed = `(s.data IS DISTINCT FROM ${source}.data OR abs(extract(epoch FROM ${source}.updated_at - s.updated_at)) > ${REFRESH_TOLERANCE_SECONDS})`;
    if (cutover === null) return changed;
    params.push(cutover);
    return `s.updated_at < $${params.length} AND ${changed}`;
  }

  async deleteBatch(sessionIds: readonly string[], cutover: string | null): Promise<number> {
    if (sessionIds.length === 0) return 0;
    const guard = cutover === null ? '' : ' AND updated_at < $2';
    const params: unknown[] = cutover === null ? [sessionIds] : [sessionIds, cutover];
    let deleted = 0;
    await this.transaction(async () => {
      const result = await this.client.query(`DELETE FROM ${this.table} WHERE session_id = ANY($1::text[])${guard}`, params);
      deleted = result.rowCount ?? 0;
    });
    return deleted;
  }

  private async transaction(body: () => Promise<void>): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await body();
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
