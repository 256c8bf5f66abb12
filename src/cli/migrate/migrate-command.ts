import { rejectsNote, runConversionLoop } from '../conversion-loop.js';
import { CONVERSION_OPTIONS, conversionOptions, tableName } from '../conversion-options.js';
import type { CliIo } from '../io.js';
import { openOutput, type Output } from '../output-file.js';
import { Progress } from '../progress.js';
import { RejectLog } from '../reject-log.js';
import { UsageError, parseCommandArgs, positiveInteger } from '../usage.js';
import { entryConverter } from './batch-converter.js';
import type { MigrateRun } from './batch-plan.js';
import { formatDbTime, parseCutover } from './cutover.js';
import { openSink, parseDatabaseTarget } from './database-target.js';
import { PassSink, resolveKilledBatches, type PassCounts } from './pass-sink.js';
import type { SessionSink } from './sink.js';
import type { SessionSource } from './source.js';
import { StateFile } from './state-file.js';
import { STATE_KIND, STATE_VERSION, planRun, type PassState } from './state.js';

/** `migrate --help`. */
export const MIGRATE_HELP = `Usage: rails-session-codec migrate --from redis://HOST:PORT/DB|FILE [--cluster] [--match PATTERN]
         --to postgres://…|mysql://…|sqlite:PATH [--table sessions] --state FILE
         [--cutover TIME] [--expire-after SECONDS] [options]

Reads sessions from Redis (SCAN, GET and PTTL: read-only) or from an \`export\` dump, converts them as \`convert\`
does, and writes them into activerecord-session_store's table, one transaction per batch.

Run it twice around the switch, with the same --state file:
  pass 1    while the app still uses Redis: copies every session
  delta     after the app switched to ActiveRecord::SessionStore at time T (--cutover T): inserts sessions new
            in Redis, refreshes changed ones, deletes rows of ours whose key is gone; never overwrites or deletes
            a row the app wrote at or after T (updated_at >= T), never re-inserts a row the app deleted, never
            touches a row the tool did not write
Re-running a pass is harmless; a killed run, run again, resumes from its last committed batch.

Options:
  --from URL|FILE         redis://[user:password@]host:port/db, rediss://…, or an export dump (JSONL)
  --cluster               --from is one node of a Redis Cluster: every master is scanned
  --match PATTERN         the SCAN MATCH pattern (required for Redis): 'session:*', '_session_id:*', 'rack:session:*'
  --count N               the SCAN COUNT hint: keys per batch (default: 1000)
  --to URL                postgres://user:password@host:port/db (pg), mysql://… (mysql2; MariaDB too),
                          sqlite:PATH (better-sqlite3); the driver is loaded only for its database
  --table NAME            the table (default: sessions)
  --state FILE            the journal of what this tool wrote and how far it read (created mode 0600)
  --cutover TIME          T, when the app started reading sessions from the database: seconds since the
                          epoch or ISO 8601 with a zone (2024-01-15T12:00:00Z); makes this a delta pass
  --expire-after SECONDS  the Redis store's expire_after: updated_at becomes each session's last write
                          (SECONDS minus the TTL left), so rows expire when Redis would have expired them;
                          without it updated_at is the read time (lifetimes restart)
  --serializer S          marshal (default), json, hybrid or null, as the gem is configured
  --json-flavor F         json (default; gem >= 2.2) or multi_json (gem 1.0 to 2.1)
  --session-id private|public
                          private (default): 2::<sha256> ids, gem >= 2.0; public: gem 1.x
  --column-limit N        fail sessions whose data is longer than N bytes (65535 for a MySQL TEXT)
  --key-prefix P          the exact key prefix before the id (default: detected)
  --rejects FILE          failed and skipped sessions as JSONL {key, code, message} (mode 0600)
  -h, --help              this help

A terminal gets a progress line on stderr; the run always ends with a summary there:
  read 1200, written 1190, skipped 6, failed 4, deleted 31 (pass 2; cutover 2024-01-15 12:00:00 UTC)
(written: rows sent to the database; a row whose data and last write did not change is left as it is)
Exit status: 0 when no session failed, 1 when one did (or on an I/O or database error), 2 for a usage error.

Example:
  rails-session-codec migrate --from redis://10.0.0.5:6379/0 --match 'session:*' \\
    --to "$DATABASE_URL" --state migrate-state.jsonl --expire-after 5400
  # deploy with the ActiveRecord store; T = the time the first new server took traffic
  rails-session-codec migrate --from redis://10.0.0.5:6379/0 --match 'session:*' \\
    --to "$DATABASE_URL" --state migrate-state.jsonl --expire-after 5400 --cutover 2024-01-15T12:00:00Z
`;

const DEFAULT_COUNT = 1000;

export type { MigrateRun } from './batch-plan.js';

/** `rails-session-codec migrate …`: returns the exit status. */
export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('migrate', args, {
    from: { type: 'string' },
    cluster: { type: 'boolean' },
    match: { type: 'string' },
    count: { type: 'string' },
    to: { type: 'string' },
    state: { type: 'string' },
    cutover: { type: 'string' },
    'expire-after': { type: 'string' },
    ...CONVERSION_OPTIONS,
  });
  if (values.help === true) {
    io.stdout.write(MIGRATE_HELP);
    return 0;
  }
  if (values.from === undefined) throw new UsageError('missing --from redis://host:port/db or a dump file', 'migrate');
  if (values.to === undefined) throw new UsageError('missing --to postgres://…, mysql://… or sqlite:PATH', 'migrate');
  if (values.state === undefined) throw new UsageError('missing --state FILE (where migrate keeps what it wrote, to resume and for the delta pass)', 'migrate');
  const target = parseDatabaseTarget(values.to);
  if (typeof target === 'string') throw new UsageError(target, 'migrate');
  const table = tableName('migrate', values.table);
  let cutover: number | null = null;
  if (values.cutover !== undefined) {
    cutover = parseCutover(values.cutover);
    if (cutover === null) throw new UsageError(`--cutover takes seconds since the epoch or ISO 8601 with a zone, such as 2024-01-15T12:00:00Z (got ${JSON.stringify(values.cutover)})`, 'migrate');
  }
  const fromRedis = /^rediss?:\/\//.test(values.from);
  let redisUrl: URL | null = null;
  if (fromRedis) {
    try {
      redisUrl = new URL(values.from);
    } catch {
      throw new UsageError('--from is not a URL (redis://host:port/db)', 'migrate');
    }
    if (values.match === undefined) throw new UsageError("missing --match PATTERN (such as 'session:*')", 'migrate');
  } else if (values.cluster === true || values.match !== undefined || values.count !== undefined) {
    throw new UsageError('--cluster, --match and --count apply to a Redis --from only', 'migrate');
  }
  const count = positiveInteger('migrate', 'count', values.count) ?? DEFAULT_COUNT;
  // The private-over-legacy-key rule is applied per pass from the journal (see `writeBatch`), so it holds across a
  // kill and needs no memory of every key.
  const migrateOptions = conversionOptions('migrate', values, { now: io.now() / 1000, dedupe: false });
  const run: MigrateRun = {
    cutover,
    expireAfter: positiveInteger('migrate', 'expire-after', values['expire-after']),
    sessionId: migrateOptions.sessionId ?? 'private',
    migrateOptions,
  };

  const state = StateFile.open(values.state);
  let source: SessionSource | null = null;
  let sink: SessionSink | null = null;
  let rejects: Output | null = null;
  try {
    if (redisUrl !== null) {
      source =
        values.cluster === true
          ? await (await import('./redis-cluster-source.js')).RedisClusterSource.connect(redisUrl, values.match!, count, io.now)
          : await (await import('./redis-source.js')).RedisSource.connect(redisUrl, values.match!, count, io.now);
    } else {
      const { DumpSource } = await import('./dump-source.js');
      source = new DumpSource(values.from, io.now);
    }
    sink = await openSink(target, table);
    rejects = values.rejects === undefined ? null : await openOutput(values.rejects, io.stdout);
    const status = await migrate(source, sink, state, rejects, run, io);
    await rejects?.commit();
    return status;
  } catch (error) {
    await rejects?.abort();
    throw error;
  } finally {
    await sink?.close();
    await source?.close();
    state.close();
  }
}

/** One pass (or the rest of one), from `source` into `sink`, journaled in `state`. Returns the exit status. */
export async function migrate(source: SessionSource, sink: SessionSink, stateFile: StateFile, rejects: Output | null, run: MigrateRun, io: CliIo): Promise<number> {
  const state = stateFile.tracker.state;
  const plan = planRun(state, { target: sink.label, source: source.label, cutover: run.cutover });
  if (state.target === null) stateFile.append({ state: STATE_KIND, version: STATE_VERSION, target: sink.label });
  try {
    await resolveKilledBatches(stateFile, sink);
  } catch (error) {
    io.stderr.write(`migrate: ${describeFailure(error)} (nothing written; run the same command again)\n`);
    return 1;
  }
  if (plan.action === 'start') stateFile.append({ pass: plan.number, cutover: run.cutover, source: source.label, started: new Date(io.now()).toISOString() });
  const pass: PassState = state.pass!;
  const cutoverText = run.cutover === null ? null : formatDbTime(run.cutover);
  const counts: PassCounts = { read: 0, written: 0, skipped: 0, failed: 0, deleted: 0 };
  const progress = new Progress(io.stderr, io.stderrIsTTY, io.now, { position: source.position, columns: io.stderrColumns });
  const passSink = new PassSink(stateFile, sink, run, counts, cutoverText);
  try {
    if (!pass.complete) {
      const rejectLog = new RejectLog(rejects, io.stderr, progress);
      await runConversionLoop({ source: source.batches(pass.checkpoint), converter: entryConverter(run.migrateOptions), sink: passSink, counts, rejects: rejectLog, progress });
    }
    await passSink.finish(progress);
  } catch (error) {
    // A database or Redis failure: what is committed stays, and the journal says so; a new run resumes there.
    progress.interrupt();
    io.stderr.write(`migrate: ${describeFailure(error)}\n`);
    progress.finish(counts, ` (pass ${pass.number}; incomplete: run the same command again to resume)`);
    return 1;
  }

  const notes = [`pass ${pass.number}`, cutoverText === null ? 'before the switch' : `cutover ${cutoverText} UTC`];
  if (passSink.restarted > 0) notes.push(run.expireAfter === undefined ? 'lifetimes restart: no --expire-after' : `${passSink.restarted} without a TTL: lifetimes restart`);
  const rejectsNoteText = rejectsNote(rejects?.label ?? null, counts);
  if (rejectsNoteText !== null) notes.push(rejectsNoteText);
  progress.finish(counts, ` (${notes.join('; ')})`);
  return counts.failed > 0 ? 1 : 0;
}

/** The first line of a driver's or the system's message (they name tables and ids, never session data). */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? ` (${(error as { code: string }).code})` : '';
  // MySQL quotes the bytes it refused (`Incorrect string value: '\xF0\x9F…' for column 'data'`): not those.
  return `${message.split('\n', 1)[0]!.replace(/(Incorrect \w+ value: )'[^']*'/, "$1'…'")}${code}`;
}
