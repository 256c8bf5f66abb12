import { createReadStream, fstatSync, openSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { runConversionLoop, rejectsNote, type BatchConverter } from './conversion-loop.js';
import { CONVERSION_OPTIONS, conversionOptions, tableName } from './conversion-options.js';
import { chunkConverter, type ConvertJob, type RowText } from './convert-batch.js';
import { ConvertPool } from './convert-pool.js';
import type { DumpChunk } from './dump-chunks.js';
import { DEFAULT_MAX_SESSION_BYTES, DumpReader } from './dump-reader.js';
import { isCliIoError, ioFailure } from './io-error.js';
import type { CliIo } from './io.js';
import { describeLeftover, openOutput, type Output } from './output-file.js';
import { Progress, type InputPosition } from './progress.js';
import { RejectLog } from './reject-log.js';
import { RowFileSink, type RowFileCounts } from './row-file-sink.js';
import { ROW_FORMATS, createRowWriter } from './row-writer.js';
import { SQL_DIALECTS } from './sql-literal.js';
import { UsageError, epochSeconds, oneOf, parseCommandArgs, positiveInteger } from './usage.js';

/** `convert --help`. */
export const CONVERT_HELP = `Usage: rails-session-codec convert --format jsonl|csv|sql [options]

Converts a JSONL dump of Redis sessions (what \`export\` writes: {"key": "...", "value": "<base64>"} per line)
into activerecord-session_store rows, one line at a time (constant memory).

Options:
  --in FILE|-             the dump (default: stdin)
  --out FILE|-            where the rows go (default: stdout)
  --format jsonl|csv|sql  jsonl: {"session_id": ..., "data": ...} per line
                          csv:   header session_id,data,legacy; RFC 4180 quoting, CRLF (for COPY / LOAD DATA)
                          sql:   INSERT ... upserting on session_id, in one transaction
  --dialect D             postgresql (default), mysql or sqlite; for --format sql
  --table NAME            the table (default: sessions), for --format sql
  --serializer S          the gem's serializer: marshal (default), json, hybrid or null
  --json-flavor F         json (default; gem >= 2.2) or multi_json (gem 1.0 to 2.1), for json/hybrid
  --session-id private|public
                          private (default): the 2::<sha256> id gem >= 2.0 looks up; public: gem 1.x
  --column-limit N        fail sessions whose data is longer than N bytes (65535 for a MySQL TEXT)
  --key-prefix P          the exact key prefix before the id (default: detected)
  --rejects FILE          write failed and skipped sessions as JSONL {key, line, code, message}
                          (skipped ones have "code": "skipped", "skipped": true)
  --now EPOCH             seconds since the epoch: created_at/updated_at, and cache entries that expired
                          before it are skipped (default: the current time)
  --max-session-bytes N   the largest session value a dump line may hold (default: 16777216, 16 MiB);
                          a longer line is rejected as session_too_large and the run goes on
  --no-dedupe             write a legacy public-id key's row like any other (the last row of a session wins
                          when loaded). By default it is marked, so that the private-id row of the same
                          session wins wherever it is in the dump: sql inserts it with DO NOTHING on a
                          conflict, jsonl adds "legacy": true, csv has legacy 1 (0 for the others)
  --jobs N                convert on N threads, this one and N - 1 workers (default 1; use the number of
                          cores); the output, rejects and summary are the same whatever N, in the dump's order
  -h, --help              this help

CSV with a legacy column is loaded through a staging table (README, convert): private-id rows upserted, then
legacy ones inserted where no row is.

Files written (--out, --rejects) are created with mode 0600 (owner read/write only), whatever the umask:
they hold sessions, which log users in. Each is written to FILE.<random>.partial beside FILE and renamed to
FILE when the run completes; a run that fails (a full disk) or is killed leaves FILE as it was and the
.partial file behind (delete it). A symbolic link is refused; a device or FIFO is written in place. Messages on stderr name keys with public ids shortened, never values.
A terminal gets a progress line on stderr; the run always ends with a summary there:
  read 56, converted 54, skipped 1, failed 1 (rejects: rejects.jsonl)
(with "2 from legacy keys" when rows of legacy public-id keys were marked: see --no-dedupe)
Exit status: 0 when no session failed, 1 when one did (or on an I/O error), 2 for a usage error.

Examples:
  rails-session-codec convert --in sessions.jsonl --format sql --dialect postgresql \\
    --out sessions.sql --rejects rejects.jsonl
  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sessions.sql

  rails-session-codec convert --in sessions.jsonl --format csv --out sessions.csv
  mysql> LOAD DATA LOCAL INFILE 'sessions.csv' REPLACE INTO TABLE sessions
           FIELDS TERMINATED BY ',' ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\r\\n'
           IGNORE 1 LINES (session_id, data) SET created_at = NOW(), updated_at = NOW();
`;

/** More threads than this only add overhead. */
const MAX_JOBS = 64;


/** `rails-session-codec convert …`: returns the exit status. */
export async function convertCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('convert', args, {
    in: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    dialect: { type: 'string' },
    ...CONVERSION_OPTIONS,
    now: { type: 'string' },
    'no-dedupe': { type: 'boolean' },
    'max-session-bytes': { type: 'string' },
    jobs: { type: 'string' },
  });
  if (values.help === true) {
    io.stdout.write(CONVERT_HELP);
    return 0;
  }
  if (values.format === undefined) throw new UsageError('missing --format jsonl|csv|sql', 'convert');
  const format = oneOf('convert', 'format', values.format, ROW_FORMATS, 'jsonl');
  if (format !== 'sql' && (values.dialect !== undefined || values.table !== undefined)) {
    throw new UsageError('--dialect and --table apply to --format sql only', 'convert');
  }
  const dialect = oneOf('convert', 'dialect', values.dialect, SQL_DIALECTS, 'postgresql');
  const table = tableName('convert', values.table);
  const now = epochSeconds('convert', 'now', values.now) ?? io.now() / 1000;
  const migrateOptions = conversionOptions('convert', values, { now, dedupe: values['no-dedupe'] !== true });
  const outIsStdout = values.out === undefined || values.out === '-';
  if (values.rejects !== undefined && (values.rejects === values.out || (values.rejects === '-' && outIsStdout))) {
    throw new UsageError('--rejects and --out name the same file', 'convert');
  }

  const maxSessionBytes = positiveInteger('convert', 'max-session-bytes', values['max-session-bytes']) ?? DEFAULT_MAX_SESSION_BYTES;
  const jobs = positiveInteger('convert', 'jobs', values.jobs) ?? 1;
  if (jobs > MAX_JOBS) throw new UsageError(`--jobs takes 1 to ${MAX_JOBS} (got ${jobs})`, 'convert');

  // Open the input first: a missing dump must not truncate an earlier run's output.
  const input = openInput(values.in, io.stdin);
  const out = await openOutput(values.out, io.stdout);
  let rejects: Output | null = null;
  try {
    rejects = values.rejects === undefined ? null : await openOutput(values.rejects, io.stdout);
  } catch (error) {
    await out.discard();
    throw error;
  }
  const counts: RowFileCounts = { read: 0, converted: 0, skipped: 0, failed: 0 };
  const progress = new Progress(io.stderr, io.stderrIsTTY, io.now, { position: input.position, columns: io.stderrColumns });
  const reader = new DumpReader(input.stream, { maxSessionBytes, label: input.label });
  const job: ConvertJob = {
    migrateOptions,
    // The private-over-legacy-key rule goes into each row (its conflict clause, a field, a column), not into a
    // memory of every key: with --session-id public there is no private-id row to yield to.
    rows: {
      format,
      dialect,
      table,
      timestamp: now,
      precedence: migrateOptions.dedupe !== false && migrateOptions.sessionId !== 'public',
      base64Data: migrateOptions.serializer === 'marshal',
    },
    maxSessionBytes: reader.sessionByteLimit,
    maxLineBytes: reader.lineByteLimit,
  };
  const sink = new RowFileSink(out, createRowWriter(job.rows), counts);
  try {
    await sink.open();
    await runConversionLoop({ source: reader.chunks(), converter: converter(job, jobs), sink, counts, rejects: new RejectLog(rejects, io.stderr, progress), progress });
    await sink.close();
    // Both flushed before either is renamed: a full disk under the rejects keeps the rows from landing too.
    await out.flush();
    await rejects?.flush();
    await out.commit();
    await rejects?.commit();
  } catch (error) {
    if (!isCliIoError(error)) throw error;
    await out.abort();
    await rejects?.abort();
    input.stream.destroy();
    progress.interrupt();
    io.stderr.write(`convert: ${error.message}\n`);
    progress.finish(counts, `; incomplete: ${[out, rejects].flatMap((o) => (o === null ? [] : [describeLeftover(o)])).join('; ')}`);
    return 1;
  }
  const notes: string[] = [];
  if (sink.legacyRows > 0) notes.push(`${sink.legacyRows} from ${sink.legacyRows === 1 ? 'a legacy key' : 'legacy keys'}`);
  const rejectsNoteText = rejectsNote(rejects?.label ?? null, counts);
  if (rejectsNoteText !== null) notes.push(rejectsNoteText);
  progress.finish(counts, notes.length === 0 ? '' : ` (${notes.join('; ')})`);
  return counts.failed > 0 ? 1 : 0;
}

/** `--jobs 1`: batches converted in this thread, one at a time; more: on this thread and a pool of worker threads. */
function converter(job: ConvertJob, jobs: number): BatchConverter<DumpChunk, RowText> {
  if (jobs > 1) return new ConvertPool(jobs, job);
  return { window: 1, convert: chunkConverter(job) };
}

function openInput(path: string | undefined, stdin: Readable): { stream: Readable; label: string; position?: InputPosition } {
  if (path === undefined || path === '-') return { stream: stdin, label: 'stdin' };
  try {
    const fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    // Large reads: each chunk is a batch of lines converted without a wait in between.
    const stream = createReadStream(path, { fd, highWaterMark: 256 * 1024 });
    // A regular file's size is known: the progress line shows how much of it is read (a pipe or a FIFO has none).
    const position = stats.isFile() && stats.size > 0 ? { total: () => stats.size, done: () => stream.bytesRead } : undefined;
    return { stream, label: path, ...(position === undefined ? {} : { position }) };
  } catch (error) {
    throw ioFailure(error, `cannot read ${path}`);
  }
}
