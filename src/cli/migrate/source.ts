import type { InputPosition } from '../progress.js';

/** One key as a source read it. */
export interface SourceEntry {
  key: string;
  /** The value bytes; null when the key vanished between SCAN and GET. */
  value: Uint8Array | null;
  /** Set when reading the key failed (`WRONGTYPE` for a key that is not a string). */
  error?: Error;
  /** Redis `PTTL` at the read: milliseconds left, -1 without expiry; null when the source cannot tell (a dump). */
  pttlMs: number | null;
}

/** A batch of entries, and where to resume after it. */
export interface SourceBatch {
  entries: SourceEntry[];
  /** Given back to `batches()` to resume after this batch (JSON, kept in the state file). */
  checkpoint: unknown;
  /** True for the last batch: the source has been read to its end. */
  last: boolean;
  /** When the batch was read, microseconds since the epoch. */
  readAt: number;
}

/**
 * Where `migrate` reads sessions: a Redis server, a Redis Cluster or an `export` dump. Read-only, batch by batch;
 * a batch's checkpoint resumes the read after it.
 */
export interface SessionSource {
  /** What is read, without secrets (`redis://10.0.0.5:6379/0 session:*`): kept in the state file. */
  readonly label: string;
  /** How much of the source is read, when its size is known (a dump file), for the progress line. */
  readonly position?: InputPosition;
  /** The batches from `checkpoint` (null: from the start) to the end. */
  batches(checkpoint: unknown): AsyncIterable<SourceBatch>;
  close(): Promise<void>;
}

/** Microseconds since the epoch, from a millisecond clock. */
export function microsFrom(clock: () => number): number {
  return Math.round(clock() * 1000);
}
