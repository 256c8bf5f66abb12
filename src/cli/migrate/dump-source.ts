import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseDumpLine } from '../dump-reader.js';
import { microsFrom, type SessionSource, type SourceBatch, type SourceEntry } from './source.js';

/** Lines per batch of a dump. */
const DUMP_BATCH = 500;

/**
 * An `export` dump (JSONL `{"key", "value"}` lines) as a source: batches of 500 lines; the checkpoint is the
 * number of lines read. A dump knows no TTLs, so lifetimes restart (or come from a cache entry's expiry). A bad
 * line becomes an entry with an error, so it is counted as failed.
 */
export class DumpSource implements SessionSource {
  readonly label: string;

  constructor(
    private readonly path: string,
    private readonly clock: () => number,
  ) {
    this.label = `dump ${path}`;
  }

  async *batches(checkpoint: unknown): AsyncGenerator<SourceBatch> {
    const skip = typeof checkpoint === 'object' && checkpoint !== null && typeof (checkpoint as { line?: unknown }).line === 'number' ? (checkpoint as { line: number }).line : 0;
    const reader = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    let line = 0;
    let entries: SourceEntry[] = [];
    for await (const text of reader) {
      line++;
      if (line <= skip || text.trim() === '') continue;
      const parsed = parseDumpLine(text, line);
      if ('code' in parsed) entries.push({ key: parsed.key ?? '', value: null, error: new Error(`line ${line}: ${parsed.message}`), pttlMs: null });
      else entries.push({ key: parsed.key, value: parsed.value ?? null, pttlMs: null });
      if (entries.length >= DUMP_BATCH) {
        yield { entries, checkpoint: { line }, last: false, readAt: microsFrom(this.clock) };
        entries = [];
      }
    }
    yield { entries, checkpoint: { line }, last: true, readAt: microsFrom(this.clock) };
  }

  async close(): Promise<void> {}
}
