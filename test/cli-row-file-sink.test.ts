import { describe, expect, it } from 'vitest';
import type { RowText } from '../src/cli/convert-batch.js';
import type { Output } from '../src/cli/output-file.js';
import { RowFileSink, type RowFileCounts } from '../src/cli/row-file-sink.js';
import { createRowWriter } from '../src/cli/row-writer.js';

/** An Output that keeps what it is given. */
function keepingOutput(): Output & { got: Array<string | Uint8Array> } {
  const got: Array<string | Uint8Array> = [];
  return {
    label: 'kept',
    partialPath: null,
    bytesWritten: 0,
    got,
    write: (text) => {
      got.push(text);
      return undefined;
    },
    flush: () => Promise.resolve(),
    commit: () => Promise.resolve(),
    abort: () => Promise.resolve(),
    discard: () => Promise.resolve(),
  };
}

describe('RowFileSink', () => {
  it("writes a batch's bytes, counts its rows, and keeps no hold on the bytes in the batch", () => {
    const out = keepingOutput();
    const counts: RowFileCounts = { read: 0, converted: 0, skipped: 0, failed: 0 };
    const sink = new RowFileSink(out, createRowWriter({ format: 'jsonl', timestamp: 0 }), counts);
    const bytes = new Uint8Array(Buffer.from('{"session_id":"a","data":"b"}\n{"session_id":"c","data":"d"}\n'));
    const rows: RowText = { text: bytes, converted: 2, legacy: 1, warnings: 3 };
    expect(sink.write(rows).rejects).toStrictEqual([]);
    expect(out.got).toStrictEqual([bytes]);
    // The loop holds the batch while it awaits the write before this one: the bytes must not live on in it.
    expect(rows.text.length).toBe(0);
    expect(counts).toStrictEqual({ read: 0, converted: 2, skipped: 0, failed: 0, warnings: 3 });
    expect(sink.legacyRows).toBe(1);
  });

  it('writes nothing for a batch without rows', () => {
    const out = keepingOutput();
    const counts: RowFileCounts = { read: 0, converted: 0, skipped: 0, failed: 0 };
    const sink = new RowFileSink(out, createRowWriter({ format: 'jsonl', timestamp: 0 }), counts);
    expect(sink.write({ text: new Uint8Array(0), converted: 0, legacy: 0, warnings: 0 }).written).toBeUndefined();
    expect(out.got).toStrictEqual([]);
    expect(counts.warnings).toBeUndefined();
  });
});
