import type { Redis } from 'ioredis';
import { decodeUtf8Strict } from '../marshal/text.js';
import { redactKey } from '../stores/session-key.js';
import { describeSystemError, ioFailure, isCliIoError } from './io-error.js';
import { connectOnce } from './redis-connect.js';
import type { CliIo } from './io.js';
import { describeLeftover, openOutput, type Output } from './output-file.js';
import { Progress } from './progress.js';
import { scanEntries, type ScanSource } from './redis-scan.js';
import { UsageError, parseCommandArgs, positiveInteger } from './usage.js';
import { loadOptional } from './optional-dependency.js';

/** `export --help`. */
export const EXPORT_HELP = `Usage: rails-session-codec export --url URL --match PATTERN [--count N] [--out FILE]

Dumps Redis sessions to JSONL, one line per key: {"key": "...", "value": "<base64>"} (standard Base64 of the
exact value bytes, no line breaks), the input of \`convert\`.

Read-only: it sends SCAN (never KEYS) and GET, besides what connecting takes (AUTH, SELECT, INFO); nothing
that writes. A key that expires between SCAN and GET is skipped and counted as vanished. A key that is not
UTF-8 is written as {"key_b64": "<base64>", "value": ...}, byte for byte.

Options:
  --url URL         redis://[:password@]host:port/db or rediss:// (a single node, not Cluster)
  --match PATTERN   the SCAN MATCH pattern: 'session:*' (redis-actionpack), '_session_id:*' (Rails CacheStore),
                    'rack:session:*' (redis-rack)
  --count N         the SCAN COUNT hint, keys per round trip (default: 1000)
  --out FILE|-      where the JSONL goes (default: stdout); created with mode 0600 (owner read/write only),
                    whatever the umask: the dump holds sessions, which log users in; written to
                    FILE.<random>.partial and renamed to FILE when the export completes (a failed or
                    killed run leaves the .partial file: delete it)
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
  const db = databaseIndex(url);

  const { Redis } = await loadOptional('ioredis', 'export', () => import('ioredis'));
  const base = new URL(url.href);
  base.pathname = '';
  const client = new Redis(base.href, {
    lazyConnect: true,
    db: 0,
    // One attempt: a one-shot export should fail fast rather than retry in the background.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 10_000,
  });
  client.on('error', () => {
    // Reported where the command fails; without a listener ioredis prints each one.
  });
  try {
    await connectOnce(client);
    // SELECT by hand: ioredis would fall back to DB 0 when the server refuses the index.
    if (db !== 0) await client.select(db);
  } catch (error) {
    io.stderr.write(`export: cannot connect to ${redactUrl(url)}: ${describeSystemError(error)}\n`);
    client.disconnect();
    return 1;
  }
  let out: Output;
  try {
    out = await openOutput(values.out, io.stdout);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  try {
    return await exportEntries(ioredisSource(client), values.match, count, out, io);
  } finally {
    client.disconnect();
  }
}

/**
 * Writes every matching key as a JSONL line, then commits `out`; returns the exit status. When Redis or the output
 * fails midway, says so, prints the summary marked incomplete and leaves `out` uncommitted. Exported for tests
 * with a fake source.
 */
export async function exportEntries(source: ScanSource, match: string, count: number, out: Output, io: CliIo): Promise<number> {
  const counts = { scanned: 0, exported: 0, vanished: 0, failed: 0 };
  const progress = new Progress(io.stderr, io.stderrIsTTY, io.now, { columns: io.stderrColumns });
  try {
    for await (const entry of scanEntries(source, match, count)) {
      counts.scanned++;
      if (entry.value === null) {
        counts.vanished++;
      } else if (entry.value === undefined) {
        if (counts.failed++ < MAX_LISTED) {
          progress.interrupt();
          io.stderr.write(`export: GET ${describeKey(entry.key)} failed: ${entry.error.message.split('\n', 1)[0]}\n`);
        }
      } else {
        counts.exported++;
        await out.write(`${dumpLine(entry.key, entry.value)}\n`);
      }
      progress.update(counts);
    }
    await out.commit();
  } catch (error) {
    const failure = isCliIoError(error) ? error : ioFailure(error, 'Redis failed');
    await out.abort();
    progress.interrupt();
    io.stderr.write(`export: ${failure.message}\n`);
    progress.finish(counts, `; incomplete: ${describeLeftover(out)}`);
    return 1;
  }
  progress.finish(counts);
  return counts.failed > 0 ? 1 : 0;
}

/** `{"key": …, "value": …}`; a key that is not UTF-8 goes as `"key_b64"`, so no byte of it is lost. */
function dumpLine(key: string | Uint8Array, value: Uint8Array): string {
  const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  const text = typeof key === 'string' ? key : decodeUtf8(key);
  if (text !== null) return JSON.stringify({ key: text, value: base64 });
  return JSON.stringify({ key_b64: Buffer.from(key as Uint8Array).toString('base64'), value: base64 });
}

/** The key as text when it is UTF-8; a leading BOM (which the decoder would drop) counts as binary, to stay lossless. */
function decodeUtf8(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return null;
  return decodeUtf8Strict(bytes) ?? null;
}

function describeKey(key: string | Uint8Array): string {
  const text = typeof key === 'string' ? key : decodeUtf8(key);
  return text === null ? `a key of ${key.length} bytes that is not UTF-8` : redactKey(text);
}

/** The DB index of `redis://host:port/N` (0 without one); anything else is a usage error. */
function databaseIndex(url: URL): number {
  const path = url.pathname.replace(/^\//, '');
  if (path === '') return 0;
  if (!/^\d{1,9}$/.test(path)) throw new UsageError(`--url names a database by its number, such as redis://host:6379/0 (got /${path})`, 'export');
  return Number(path);
}

/** The ioredis client as a `ScanSource`: `scanStream` batches, and a pipeline of `getBuffer`s per batch. */
export function ioredisSource(client: Redis): ScanSource {
  return {
    scan: (match, count) => client.scanBufferStream({ match, count }) as AsyncIterable<Buffer[]>,
    async getMany(keys) {
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.getBuffer(typeof key === 'string' ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength));
      const replies = (await pipeline.exec()) ?? [];
      // A dropped connection fails every GET of the batch: that is the export failing, not these keys.
      if (client.status !== 'ready') throw new Error('the connection to Redis was lost');
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
