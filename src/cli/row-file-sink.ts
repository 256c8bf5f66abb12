import type { BatchSink, LoopCounts, SinkTake } from './conversion-loop.js';
import type { RowText } from './convert-batch.js';
import type { Output } from './output-file.js';
import type { RowWriter } from './row-writer.js';

const NO_BYTES = new Uint8Array(0);

/** The counts `convert` shows: the loop's, and the rows this sink wrote. */
export type RowFileCounts = LoopCounts & { converted: number; warnings?: number };

/**
 * `convert`'s end of the loop: each batch's rows, already UTF-8 (jsonl, csv or sql), into an `Output`, between the
 * format's header and footer. It turns no session away (what a file load does with a legacy key's row is in the
 * row itself, see `precedence`).
 */
export class RowFileSink implements BatchSink<RowText> {
  /** Rows from legacy public-id keys, for the summary. */
  legacyRows = 0;

  constructor(
    private readonly out: Output,
    private readonly writer: RowWriter,
    private readonly counts: RowFileCounts,
  ) {}

  /** Writes the format's header (the SQL transaction's start, the CSV header line). */
  async open(): Promise<void> {
    await this.out.write(this.writer.header());
  }

  write(rows: RowText): SinkTake {
    this.counts.converted += rows.converted;
    this.legacyRows += rows.legacy;
    // `warnings` appears in the summary once a row has one (a lossy JSON conversion the gem makes, see the README).
    if (rows.warnings > 0) this.counts.warnings = (this.counts.warnings ?? 0) + rows.warnings;
    // The batch's bytes are handed over and dropped here. The loop holds `rows` while it awaits the write before
    // this one; bytes still held then outlive young collections, and outside the heap they add up until a full
    // collection (at --jobs 2 the main thread made 11 of them in 60,000 sessions instead of 1, and peaked 20-30 MB
    // higher).
    const text = rows.text;
    rows.text = NO_BYTES;
    return { rejects: [], written: text.length === 0 ? undefined : this.out.write(text) };
  }

  /** Writes the format's footer (the SQL transaction's end). */
  async close(): Promise<void> {
    await this.out.write(this.writer.footer());
  }
}
