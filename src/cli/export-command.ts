import type { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { redactKey } from '../stores/session-key.js';
import { writeText, type CliIo } from './io.js';
import { openOutput } from './output-file.js';
import { Progress, formatSummary } from './progress.js';
import { scanEntries, type ScanSource } from './redis-scan.js';
import { UsageError, parseCommandArgs, positiveInteger } from './usage.js';

/** `export --help`. */
export const EXPORT_HELP = `Usage: rails-session-codec export --url URL --match PATTERN [--count N] [--out FILE]

Dumps Redis sessions to JSONL, one line per key: {"key": "...", "value": "<base64>"} (standard Base64 of the
exact value bytes, no line breaks), the input of \`convert\`.

Read-only: it sends SCAN (never KEYS) and GET, besides what connecting takes (AUTH, SELECT, INFO); nothing
that writes. A key that expires between SCAN and GET is skipped and counted as vanished.

Options:
  --url URL         redis://[:password@]host:port/db or rediss:// (a single node, not Cluster)
  --match PATTERN   the SCAN MATCH pattern: 'session:*' (redis-actionpack), '_session_id:*' (Rails CacheStore),
                    'rack:session:*' (redis-rack)
  --count N         the SCAN COUNT hint, keys per round trip (default: 1000)
  --out FILE|-      where the JSONL goes (default: stdout); created with mode 0600 (owner read/write only),
                    whatever the umask: the dump holds sessions, which log users in
  -h, --help        this help

A terminal gets a progress line on stderr; the run always ends with a summary there:
  scanned 1200, exported 1198, vanished 2, failed 0
Exit status: 0 when every key was read, 1 when a GET failed (or Redis could not be reached), 2 for a usage error.

Example:
  rails-session-codec export --url redis://127.0.0.1:6379/0 --match 'session:*' --out sessions.jsonl
`;

const DEFAULT_COUNT = 1000;
const MAX_LISTED = 10;

/** `rails-session-codec export …`: returns the exit status. */
export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('export', args, {
    url: { type: 'string' },
    match: { type: 'string' },
    count: { type: 'string' },
    out: { type: 'string' },
  });
  if (values.help === true) {
    io.stdout.write(EXPORT_HELP);
    return 0;
  }
  if (values.url === undefined) throw new UsageError('missing --url redis://host:port/db', 'export');
  if (values.match === undefined) throw new UsageError("missing --match PATTERN (such as 'session:*')", 'export');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError('--url is not a URL (redis://host:port/db)', 'export');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(`--url must be redis:// or rediss:// (got ${url.protocol}//)`, 'export');
  const count = positiveInteger('export', 'count', values.count) ?? DEFAULT_COUNT;

  const { Redis } = await import('ioredis');
  const client = new Redis(values.url, {
    lazyConnect: true,
    // One attempt: a one-shot export should fail fast rather than retry in the background.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 10_000,
  });
  client.on('error', () => {
    // Reported where the command fails; without a listener ioredis prints each one.
  });
  try {
    await client.connect();
  } catch (error) {
    io.stderr.write(`export: cannot connect to ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}\n`);
    client.disconnect();
    return 1;
  }
  const out = openOutput(values.out, io.stdout);
  try {
    return await exportEntries(ioredisSource(client), values.match, count, out.stream, io);
  } finally {
    await out.close();
    client.disconnect();
  }
}

/** Writes every matching key as a JSONL line; returns the exit status. Exported for tests with a fake source. */
export async function exportEntries(source: ScanSource, match: string, count: number, out: Writable, io: CliIo): Promise<number> {
  const counts = { scanned: 0, exported: 0, vanished: 0, failed: 0 };
  const progress = new Progress(io.stderr, io.stderrIsTTY, io.now);
  for await (const entry of scanEntries(source, match, count)) {
    counts.scanned++;
    if (entry.value === null) {
      counts.vanished++;
    } else if (entry.value === undefined) {
      if (counts.failed++ < MAX_LISTED) {
        progress.interrupt();
        io.stderr.write(`export: GET ${redactKey(entry.key)} failed: ${entry.error.message}\n`);
      }
    } else {
      counts.exported++;
      await writeText(out, `${JSON.stringify({ key: entry.key, value: Buffer.from(entry.value.buffer, entry.value.byteOffset, entry.value.byteLength).toString('base64') })}\n`);
    }
    progress.update(counts);
  }
  progress.finish(formatSummary(counts));
  return counts.failed > 0 ? 1 : 0;
}

/** The ioredis client as a `ScanSource`: `scanStream` batches, and a pipeline of `getBuffer`s per batch. */
export function ioredisSource(client: Redis): ScanSource {
  return {
    scan: (match, count) => client.scanStream({ match, count }) as AsyncIterable<string[]>,
    async getMany(keys) {
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.getBuffer(key);
      const replies = (await pipeline.exec()) ?? [];
      return keys.map((_, i) => {
        const reply = replies[i];
        if (reply === undefined) return new Error('no reply');
        const [error, value] = reply;
        if (error !== null) return error;
        return value === null ? null : new Uint8Array(value as Buffer);
      });
    },
  };
}

/** The URL without its password, for messages. */
function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}
