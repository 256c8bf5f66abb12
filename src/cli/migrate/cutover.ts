// The time rules of a pass, pure (no I/O): parsing `--cutover`, the timestamp text ActiveRecord writes, and the
// `updated_at` a migrated row gets from what Redis knows of the session's lifetime.

/** Microseconds since the epoch: the unit of every time in a pass (exact in a double for the next 285 years). */
export type Micros = number;

/**
 * `--cutover TIME`: seconds since the epoch (a fraction allowed) or ISO 8601 with a zone (`Z` or `+01:00`), so a
 * time recorded on one machine means the same instant on another. Returns null when the text is neither.
 */
export function parseCutover(text: string): Micros | null {
  if (/^\d+(\.\d{1,6})?$/.test(text)) {
    const [whole, fraction = ''] = text.split('.');
    return Number(whole) * 1e6 + Number(fraction.padEnd(6, '0'));
  }
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (iso === null) return null;
  const millis = Date.parse(`${iso[1]}T${iso[2]}${iso[4]!.toUpperCase()}`);
  if (Number.isNaN(millis)) return null;
  return millis * 1000 + Number((iso[3] ?? '').slice(0, 6).padEnd(6, '0'));
}

/**
 * A UTC time as ActiveRecord 6.1 writes a `datetime` column on PostgreSQL, MySQL/MariaDB and SQLite alike
 * (`quoted_date`: `YYYY-MM-DD HH:MM:SS`, then `.ffffff` when the microseconds are not 0). On SQLite the column is
 * text and compared as text, so the app's rows and ours must be written exactly alike.
 */
export function formatDbTime(micros: Micros): string {
  const whole = Math.floor(micros / 1e6);
  const fraction = micros - whole * 1e6;
  const text = new Date(whole * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return fraction === 0 ? text : `${text}.${String(fraction).padStart(6, '0')}`;
}

/** What a source knew of one session when it read it. */
export interface ReadLifetime {
  /** When the value was read. */
  readAt: Micros;
  /** Redis `PTTL`: milliseconds left, -1 for a key without expiry, null when unknown (a dump file). */
  pttlMs: number | null;
}

/** Options for `rowTimes`. */
export interface RowTimesOptions {
  /** The store's `expire_after`, in seconds. Defaults to undefined: lifetimes restart at the read time. */
  expireAfter?: number;
  /** The cutover `T` of a delta pass. Defaults to undefined (a pass before the switch). */
  cutover?: Micros;
}

/** Whether a session is carried, and with which timestamps. */
export type RowTimes =
  | { carry: true; updatedAt: Micros; createdAt: Micros; lifetime: 'kept' | 'restarted' }
  | { carry: false; reason: 'expired' };

/**
 * The timestamps of a migrated row.
 * - A TTL of 0 means Redis is expiring the key: not carried.
 * - With `expireAfter` and a TTL, `updated_at` is the session's last write as Redis knows it: `readAt -
 *   (expireAfter - ttl)`, never after `readAt` (a TTL longer than `expireAfter` would otherwise date the write in
 *   the future). So a trim of rows older than `expire_after` removes it when Redis would have expired it.
 * - Otherwise the lifetime restarts: `updated_at` is the read time.
 * - In a delta pass, `updated_at` stays before the cutover (`T - 1 µs` at the latest): a row at or after `T` is the
 *   app's by definition, and a row of ours must never pass for one (it could then not be refreshed or deleted).
 *   A session written in Redis after `T` (an old app server still draining) is dated `T - 1 µs`: it may be trimmed
 *   a little early, never late.
 * `created_at` equals `updated_at` (on an update the sinks keep the earlier of the two).
 */
export function rowTimes(read: ReadLifetime, options: RowTimesOptions = {}): RowTimes {
  if (read.pttlMs === 0) return { carry: false, reason: 'expired' };
  let updatedAt = read.readAt;
  let lifetime: 'kept' | 'restarted' = 'restarted';
  if (options.expireAfter !== undefined && read.pttlMs !== null && read.pttlMs > 0) {
    updatedAt = Math.min(read.readAt, read.readAt - options.expireAfter * 1e6 + read.pttlMs * 1000);
    lifetime = 'kept';
  }
  if (options.cutover !== undefined) updatedAt = Math.min(updatedAt, options.cutover - 1);
  return { carry: true, updatedAt, createdAt: updatedAt, lifetime };
}
