/**
 * The one loop of `convert` and `migrate`: the same steps over different ends.
 *
 * ```
 *   source ── batch ──▶ converter ── ConvertedBatch ──▶ settle, in input order ── rows ──▶ sink ──▶ summary
 *   (what is read)      in this thread,                 counts (read, skipped,             (what is written)
 *                       or a ConvertPool (--jobs)        failed), RejectLog, progress
 *
 *   convert:  DumpReader batches ──▶ convert-batch (rows as text) ──▶ RowFileSink (jsonl/csv/sql into an Output)
 *   migrate:  SessionSource batches (Redis, Redis Cluster, a dump) ──▶ migrate/batch-converter ──▶ PassSink: the
 *             pass rules (migrate/batch-plan, pure: cutover, lifetimes, legacy keys), journal (state-file), then a
 *             SessionSink (PostgreSQL, MySQL, SQLite)
 * ```
 *
 * A converter settles what a session alone decides (a row, or why not); a sink may turn converted sessions away
 * for reasons of its own (the pass rules of `migrate`), placed in the batch so that every reject is logged in input
 * order. The loop owns `read`, `skipped` and `failed`; a sink counts what it writes (`converted`, `written`) and the
 * warnings of the rows it takes. Up to `converter.window` batches are converted ahead of the one being settled.
 * @module
 */
import type { Progress } from './progress.js';
import type { Reject, RejectLog } from './reject-log.js';

/** A reject and its place in its batch (0-based), to merge the rejects of a converter and of a sink in order. */
export interface PlacedReject {
  at: number;
  reject: Reject;
}

/** A batch as a converter leaves it: how many sessions it read, the ones that became no row, and the rows. */
export interface ConvertedBatch<Rows> {
  read: number;
  /** In input order. */
  rejects: PlacedReject[];
  /** What the sink takes (text for a file, rows and their keys for a database). */
  rows: Rows;
}

/** Turns a source's batch into a `ConvertedBatch`, in this thread or on worker threads. */
export interface BatchConverter<Batch, Rows> {
  /** Batches converted ahead of the one being settled: 1 in this thread (one at a time), more on a pool. */
  readonly window: number;
  convert(batch: Batch): ConvertedBatch<Rows> | Promise<ConvertedBatch<Rows>>;
  /** Stops its threads; batches still in flight are dropped. */
  close?(): Promise<void>;
}

/** What a sink did with a batch: the sessions it turned away (placed in the batch), and its write, when it has to wait. */
export interface SinkTake {
  rejects: PlacedReject[];
  written?: Promise<void> | undefined;
}

/** Where rows go. */
export interface BatchSink<Rows> {
  /** Takes one batch's rows, in input order: decides at once which it turns away, then writes the rest. */
  write(rows: Rows): SinkTake;
}

/** The counts the loop keeps; the command's object has the sink's own too, in the order the summary shows them. */
export type LoopCounts = { read: number; skipped: number; failed: number };

/** What the loop runs over. */
export interface ConversionLoop<Batch, Rows> {
  source: AsyncIterable<Batch>;
  converter: BatchConverter<Batch, Rows>;
  sink: BatchSink<Rows>;
  counts: LoopCounts;
  rejects: RejectLog;
  progress: Progress;
}

/**
 * Reads every batch of the source, converts it, and settles it in input order into the sink. The only waits are for
 * the source, the converter (on a pool), a full output buffer and the sink. Failures (of the source, the sink or
 * the rejects file) are thrown; the converter is closed either way.
 */
export async function runConversionLoop<Batch, Rows>(loop: ConversionLoop<Batch, Rows>): Promise<void> {
  const { converter } = loop;
  const settle = (converted: ConvertedBatch<Rows>): Promise<void> => settleBatch(loop, converted);
  try {
    if (converter.window <= 1) {
      for await (const batch of loop.source) await settle(await converter.convert(batch));
      return;
    }
    // Batches differ in cost (a few large or compressed sessions): several in flight, settled in the order read.
    const inFlight: Array<ConvertedBatch<Rows> | Promise<ConvertedBatch<Rows>>> = [];
    for await (const batch of loop.source) {
      inFlight.push(converter.convert(batch));
      if (inFlight.length >= converter.window) await settle(await inFlight.shift()!);
    }
    while (inFlight.length > 0) await settle(await inFlight.shift()!);
  } finally {
    await converter.close?.();
  }
}

async function settleBatch<Batch, Rows>(loop: ConversionLoop<Batch, Rows>, converted: ConvertedBatch<Rows>): Promise<void> {
  const { counts } = loop;
  // Redrawn before and after each batch (at most four times a second, and cheaply off a terminal).
  loop.progress.update(counts);
  counts.read += converted.read;
  const taken = loop.sink.write(converted.rows);
  for (const { reject } of inOrder(converted.rejects, taken.rejects)) {
    if (reject.skipped === true) counts.skipped++;
    else counts.failed++;
    loop.rejects.add(reject);
  }
  // A batch's rejects are written once its rows are: a database batch that fails (to be read again by the run that
  // resumes) leaves none of its rejects in the file.
  if (taken.written !== undefined) await taken.written;
  await loop.rejects.flush();
  loop.progress.update(counts);
}

/** Two lists each in batch order, as one. */
function inOrder(a: PlacedReject[], b: PlacedReject[]): PlacedReject[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const merged: PlacedReject[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.at <= b[j]!.at)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}

/** The summary's note on rejects: where they are, or how to list them when some failed. Null when neither. */
export function rejectsNote(rejectsLabel: string | null, counts: LoopCounts): string | null {
  if (rejectsLabel !== null) return `rejects: ${rejectsLabel}`;
  return counts.failed > 0 ? 'list them with --rejects FILE' : null;
}
