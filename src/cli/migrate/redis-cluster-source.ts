import type { Cluster, Redis } from 'ioredis';
import { loadOptional } from '../optional-dependency.js';
import { connectOnce } from '../redis-connect.js';
import { scanNode, redactRedisUrl } from './redis-read.js';
import { microsFrom, type SessionSource, type SourceBatch } from './source.js';

/**
 * A Redis Cluster as a source: every master is scanned in turn (SCAN only sees the node it is sent to), its keys
 * read from that node. The checkpoint holds each master's cursor, `"done"` once scanned; masters are taken in
 * address order, so a resumed run goes on where it stopped.
 */
export class RedisClusterSource implements SessionSource {
  readonly label: string;

  private constructor(
    private readonly cluster: Cluster,
    url: URL,
    private readonly match: string,
    private readonly count: number,
    private readonly clock: () => number,
  ) {
    this.label = `cluster ${redactRedisUrl(url)} ${match}`;
  }

  /** Connects through the seed node in `url` and discovers the masters. */
  static async connect(url: URL, match: string, count: number, clock: () => number): Promise<RedisClusterSource> {
    const { Cluster } = await loadOptional('ioredis', 'migrate', () => import('ioredis'));
    const cluster = new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], {
      lazyConnect: true,
      clusterRetryStrategy: () => null,
      redisOptions: {
        username: url.username === '' ? undefined : decodeURIComponent(url.username),
        password: url.password === '' ? undefined : decodeURIComponent(url.password),
        tls: url.protocol === 'rediss:' ? {} : undefined,
        connectTimeout: 10_000,
        maxRetriesPerRequest: 0,
      },
    });
    cluster.on('error', () => {
      // Reported where the command fails.
    });
    try {
      await connectOnce(cluster);
    } catch (error) {
      cluster.disconnect();
      throw new Error(`cannot connect to the cluster at ${redactRedisUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new RedisClusterSource(cluster, url, match, count, clock);
  }

  async *batches(checkpoint: unknown): AsyncGenerator<SourceBatch> {
    const masters = this.cluster
      .nodes('master')
      .map((node) => ({ node, address: nodeAddress(node) }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const saved = typeof checkpoint === 'object' && checkpoint !== null ? ((checkpoint as { nodes?: Record<string, string> }).nodes ?? {}) : {};
    const cursors: Record<string, string> = Object.fromEntries(masters.map(({ address }) => [address, typeof saved[address] === 'string' ? saved[address] : '0']));
    for (const [index, { node, address }] of masters.entries()) {
      if (cursors[address] === 'done') continue;
      for await (const step of scanNode(node, this.match, this.count, cursors[address]!)) {
        cursors[address] = step.cursor === '0' ? 'done' : step.cursor;
        const last = step.cursor === '0' && index === masters.length - 1;
        yield { entries: step.entries, checkpoint: { nodes: { ...cursors } }, last, readAt: microsFrom(this.clock) };
      }
    }
  }

  async close(): Promise<void> {
    this.cluster.disconnect();
  }
}

function nodeAddress(node: Redis): string {
  return `${node.options.host ?? ''}:${node.options.port ?? ''}`;
}
