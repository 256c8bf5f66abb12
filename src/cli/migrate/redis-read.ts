import type { Redis } from 'ioredis';
import type { SourceEntry } from './source.js';

/** One SCAN reply's keys with their values and TTLs, and the cursor after it ('0' at the end). */
export interface ScanStep {
  entries: SourceEntry[];
  cursor: string;
}

/**
 * `SCAN cursor MATCH match COUNT count` on one node, from `cursor` until it returns to 0, with a pipelined
 * binary-safe `GET` and `PTTL` per key: read-only. A key gone before its `GET` has a null value.
 */
export async function* scanNode(client: Redis, match: string, count: number, cursor: string): AsyncGenerator<ScanStep> {
  let next = cursor;
  do {
    const [after, keys] = await client.scan(next, 'MATCH', match, 'COUNT', count);
    next = after;
    yield { entries: keys.length === 0 ? [] : await readKeys(client, keys), cursor: next };
  } while (next !== '0');
}

async function readKeys(client: Redis, keys: string[]): Promise<SourceEntry[]> {
  const pipeline = client.pipeline();
  for (const key of keys) {
    pipeline.getBuffer(key);
    pipeline.pttl(key);
  }
  const replies = (await pipeline.exec()) ?? [];
  return keys.map((key, i) => {
    const [getError, value] = replies[2 * i] ?? [new Error('no reply'), null];
    const [, pttl] = replies[2 * i + 1] ?? [null, null];
    if (getError !== null) return { key, value: null, error: getError, pttlMs: null };
    return { key, value: value === null ? null : new Uint8Array(value as Buffer), pttlMs: typeof pttl === 'number' ? pttl : null };
  });
}

/** A Redis URL without its password, for labels and messages. */
export function redactRedisUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}
