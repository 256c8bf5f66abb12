/**
 * The two read-only Redis operations `export` needs. `scan` runs `SCAN cursor MATCH pattern COUNT n` until the
 * cursor returns to 0, yielding each reply's keys; `getMany` runs one binary-safe `GET` per key (pipelined), giving
 * the value bytes, null for a key that no longer exists, or the Redis error (`WRONGTYPE` for a non-string key).
 */
export interface ScanSource {
  /** Keys as bytes (binary-safe) or as text. */
  scan(match: string, count: number): AsyncIterable<Array<string | Uint8Array>>;
  getMany(keys: Array<string | Uint8Array>): Promise<Array<Uint8Array | null | Error>>;
}

/** A key SCAN returned, and what GET then found. */
export type ScannedEntry =
  | { key: string | Uint8Array; value: Uint8Array }
  | { key: string | Uint8Array; value: null }
  | { key: string | Uint8Array; value: undefined; error: Error };

/**
 * Every key matching `match` with its value, batch by batch: memory holds one SCAN reply at a time. SCAN may
 * return a key twice (while Redis rehashes); an upsert on `session_id` makes that harmless downstream.
 */
export async function* scanEntries(source: ScanSource, match: string, count: number): AsyncGenerator<ScannedEntry> {
  for await (const keys of source.scan(match, count)) {
    if (keys.length === 0) continue;
    const values = await source.getMany(keys);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = values[i];
      if (value instanceof Error) yield { key, value: undefined, error: value };
      else if (value === null || value === undefined) yield { key, value: null };
      else yield { key, value };
    }
  }
}
