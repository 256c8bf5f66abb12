import type { BatchSink, LoopCounts, SinkTake } from './conversion-loop.js';
import type { RowText } from './convert-batch.js';
import type { Output } from './output-file.js';
import type { RowWriter } from './row-writer.js';

/** The counts `convert` shows: the loop's, and the rows this sink wrote. */
export type RowFileCounts = LoopCounts & { converted: number; warnings?: number };

/**
 * `convert`'s end of the loop: each batch's rows, already text (jsonl, csv or sql), into an `Output`, between the
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
    const text = rows.text;
    return { rejects: [], written: text.length === 0 ? undefined : this.out.write(text) };
  }

  /** Writes the format's footer (the SQL transaction's end). */
  async close(): Promise<void> {
    await this.out.write(this.writer.footer());
  }
}
