import { createReadStream, statSync, type ReadStream } from 'node:fs';
import type { InputPosition } from '../progress.js';
import { DumpReader, type BadDumpLine } from '../dump-reader.js';
import { microsFrom, type SessionSource, type SourceBatch, type SourceEntry } from './source.js';

/** Lines per batch of a dump. */
const DUMP_BATCH = 500;

/**
 * An `export` dump as a source, read with `convert`'s `DumpReader` (same line rules and limits): batches of 500
 * entries; the checkpoint is the last line number read. A dump knows no TTLs, so lifetimes restart. A bad line
 * becomes an entry with an error, so it is counted as failed.
 */
export class DumpSource implements SessionSource {
  readonly label: string;
  private stream: ReadStream | undefined = undefined;
  private size = 0;
  /** Bytes read of the dump's size, for the progress line (0 of 0 until the read starts). */
  readonly position: InputPosition = {
    done: () => this.stream?.bytesRead ?? 0,
    total: () => this.size,
  };

  constructor(
    private readonly path: string,
    private readonly clock: () => number,
    private readonly maxSessionBytes?: number,
    /** Entries per batch. Defaults to 500. */
    private readonly batchSize = DUMP_BATCH,
  ) {
    this.label = `dump ${path}`;
  }

  async *batches(checkpoint: unknown): AsyncGenerator<SourceBatch> {
    const saved = typeof checkpoint === 'object' && checkpoint !== null ? (checkpoint as { line?: unknown }).line : undefined;
    const skip = typeof saved === 'number' ? saved : 0;
    this.stream = createReadStream(this.path);
    try {
      this.size = statSync(this.path).size;
    } catch {
      // The read itself reports a missing dump; the progress line just has no size.
    }
    const reader = new DumpReader(this.stream, { maxSessionBytes: this.maxSessionBytes, label: this.path });
    let entries: SourceEntry[] = [];
    let line = skip;
    const takeBad = (): void => {
      for (const bad of reader.takeBadLines()) {
        if (bad.line <= skip) continue;
        entries.push(badEntry(bad));
        line = Math.max(line, bad.line);
      }
    };
    for await (const entry of reader.entries()) {
      takeBad();
      const number = reader.shiftLine() ?? line;
      if (number <= skip) continue;
      line = number;
      entries.push({ key: entry.key, value: entry.value ?? null, pttlMs: null });
      if (entries.length >= this.batchSize) {
        yield { entries, checkpoint: { line }, last: false, readAt: microsFrom(this.clock) };
        entries = [];
      }
    }
    takeBad();
    yield { entries, checkpoint: { line }, last: true, readAt: microsFrom(this.clock) };
  }

  async close(): Promise<void> {}
}

function badEntry(bad: BadDumpLine): SourceEntry {
  return { key: bad.key ?? '', value: null, error: Object.assign(new Error(`line ${bad.line}: ${bad.message}`), { code: bad.code }), pttlMs: null };
}
