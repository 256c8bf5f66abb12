/** How far `updated_at` may move before an otherwise unchanged row is rewritten (see `SessionSink`). */
export const REFRESH_TOLERANCE_SECONDS = 1;

/** A row `migrate` writes, with its timestamps as the database's text (see `formatDbTime`). */
export interface SinkRow {
  sessionId: string;
  data: string;
  createdAt: string;
  updatedAt: string;
  /** `'upsert'` inserts or refreshes; `'update'` only refreshes a row that is still there (see `writeMode`). */
  mode: 'upsert' | 'update';
}

/**
 * A row of the tool's own, written in the same transaction as a batch's rows, so that after a kill the journal can
 * learn whether that transaction committed (see `state.ts`): its `session_id` (`rails-session-codec:batch:<random>`)
 * is no session's, its `data` is empty, and its timestamps are the latest of the batch's rows.
 */
export interface BatchMarker {
  id: string;
  at: string;
  /** Earlier markers this transaction deletes (they proved what they had to). */
  clear: readonly string[];
}

/** The prefix of every marker's `session_id`. */
export const MARKER_PREFIX = 'rails-session-codec:batch:';

/**
 * Where `migrate` writes: the gem's `sessions` table in one database. Each call is one transaction. With a
 * `cutover` (the database's text for `T`), the rules are enforced in SQL, in the same statement that writes, so an
 * app write between our read and our write is never lost: a row whose `updated_at` is at or after `T` is neither
 * overwritten nor deleted.
 *
 * An existing row is refreshed only when its `data` differs or its `updated_at` is more than a second away from
 * ours (`REFRESH_TOLERANCE_SECONDS`): the last write computed from a TTL moves by a few milliseconds from one read
 * to the next, and a re-run must change nothing.
 */
export interface SessionSink {
  /** The database and table, without secrets (`postgres://db.example:5432/app sessions`): kept in the state file. */
  readonly label: string;
  /** Writes the rows (distinct session ids) and the batch's marker, and deletes `marker.clear`, in one transaction. */
  writeBatch(rows: readonly SinkRow[], cutover: string | null, marker: BatchMarker): Promise<void>;
  /** True when this marker's row is in the table: the transaction that wrote it committed. */
  hasMarker(id: string): Promise<boolean>;
  /** Deletes these markers' rows. */
  clearMarkers(ids: readonly string[]): Promise<void>;
  /** Deletes these rows (where `updated_at < cutover`, when given) in one transaction; returns how many went. */
  deleteBatch(sessionIds: readonly string[], cutover: string | null): Promise<number>;
  close(): Promise<void>;
}
