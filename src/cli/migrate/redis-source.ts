import type { Redis } from 'ioredis';
import { loadOptional } from '../optional-dependency.js';
import { connectOnce } from '../redis-connect.js';
import { scanNode, redactRedisUrl } from './redis-read.js';
import { microsFrom, type SessionSource, type SourceBatch } from './source.js';

/**
 * A standalone Redis server (`redis://` or `rediss://`, with auth and a database number) as a source: one batch per
 * SCAN reply; the checkpoint is the SCAN cursor, which stays valid across a restart of the reader (SCAN keeps no
 * state on the server).
 */
export class RedisSource implements SessionSource {
  readonly label: string;

  private constructor(
    private readonly client: Redis,
    url: URL,
    private readonly match: string,
    private readonly count: number,
    private readonly clock: () => number,
  ) {
    this.label = `${redactRedisUrl(url)} ${match}`;
  }

  /** Connects (one attempt, no retries in the background). */
  static async connect(url: URL, match: string, count: number, clock: () => number): Promise<RedisSource> {
    const { Redis } = await loadOptional('ioredis', 'migrate', () => import('ioredis'));
    const client = new Redis(url.href, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 10_000 });
    client.on('error', () => {
      // Reported where the command fails; without a listener ioredis prints each one.
    });
    try {
      await connectOnce(client);
    } catch (error) {
      client.disconnect();
      throw new Error(`cannot connect to ${redactRedisUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new RedisSource(client, url, match, count, clock);
  }

  async *batches(checkpoint: unknown): AsyncGenerator<SourceBatch> {
    const from = typeof checkpoint === 'object' && checkpoint !== null ? (checkpoint as { cursor?: unknown }).cursor : undefined;
    for await (const step of scanNode(this.client, this.match, this.count, typeof from === 'string' ? from : '0')) {
      yield { entries: step.entries, checkpoint: { cursor: step.cursor }, last: step.cursor === '0', readAt: microsFrom(this.clock) };
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
