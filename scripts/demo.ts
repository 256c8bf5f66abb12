/**
 * `npm run demo`: the migration this package exists for, on an embedded dump, needing nothing but `npm install`.
 *
 * Converts fixtures/demo/sessions.jsonl (56 sessions written by the real Ruby stores: redis-actionpack, redis-rack,
 * redis-store with JSON, Rails' CacheStore over Rails.cache; see fixtures/stores/generate.rb) into the table of
 * activerecord-session_store in a SQLite file, then reads three rows back as the gem would.
 *
 *     npm run demo                          # writes ./demo-sessions.sqlite3
 *     npm run demo -- --out /tmp/s.sqlite3
 *
 * The database file is created with mode 0600 (owner read/write only), as every file the CLI writes.
 */
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { closeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { fromActiveRecordSession, migrateSessions, redactKey } from '../src/index.js';
import { rubyInspect } from '../src/marshal/ruby-inspect.js';
import { DumpReader } from '../src/cli/dump-reader.js';
import { createPrivateFile } from '../src/cli/output-file.js';
import { formatSummary } from '../src/cli/progress.js';
import { sqlTimestamp } from '../src/cli/sql-literal.js';

// The fixtures were written with the clock frozen at 2024-01-15T12:00:00Z; their cache entries expire an hour or
// two later. Converting "as of" that time keeps them; with today's date they would be skipped as expired.
const FIXTURE_NOW = Date.UTC(2024, 0, 15, 12, 0, 0) / 1000;
const DUMP = new URL('../fixtures/demo/sessions.jsonl', import.meta.url);
const BATCH = 500;

const { values } = parseArgs({ options: { out: { type: 'string', default: 'demo-sessions.sqlite3' } } });
const path = values.out!;

// A fresh file, owner-only before SQLite writes a byte (its journal files take the same mode).
for (const leftover of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) if (existsSync(leftover)) rmSync(leftover);
closeSync(createPrivateFile(path));

const db = new Database(path);
// The gem's migration: create_table :sessions { t.string :session_id, null: false; t.text :data; t.timestamps },
// with unique and plain indexes on session_id and updated_at.
db.exec(`
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE,
    data TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX index_sessions_on_updated_at ON sessions (updated_at);
`);
const upsert = db.prepare(`
  INSERT INTO sessions (session_id, data, created_at, updated_at) VALUES (@session_id, @data, @at, @at)
  ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
`);
const at = sqlTimestamp(FIXTURE_NOW).slice(1, -1);
const writeBatch = db.transaction((rows: Array<{ session_id: string; data: string }>) => {
  for (const row of rows) upsert.run({ ...row, at });
});

const reader = new DumpReader(createReadStream(DUMP));
const counts = { read: 0, converted: 0, skipped: 0, failed: 0 };
const started = Date.now();
let batch: Array<{ session_id: string; data: string }> = [];
for await (const outcome of migrateSessions(reader.entries(), { now: FIXTURE_NOW })) {
  const bad = reader.takeBadLines();
  counts.read += bad.length;
  counts.failed += bad.length;
  if (outcome.kind === 'summary') break;
  counts.read++;
  counts[outcome.kind]++;
  if (outcome.kind === 'failed') console.error(`failed ${redactKey(outcome.key)}: ${outcome.error.code}`);
  if (outcome.kind !== 'converted') continue;
  batch.push(outcome.row);
  if (batch.length >= BATCH) {
    writeBatch(batch);
    batch = [];
  }
}
writeBatch(batch);

const rowCount = (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
console.log(formatSummary(counts, Date.now() - started, ` -> ${rowCount} rows in ${path}`));
console.log('(a legacy public-id key and the private-id key of the same session share one row)\n');

const rows = db.prepare('SELECT session_id, data FROM sessions ORDER BY id LIMIT 3').all() as Array<{ session_id: string; data: string }>;
for (const row of rows) {
  const { session } = fromActiveRecordSession(row);
  console.log(`${redactKey(row.session_id)}\n  ${rubyInspect(session)}\n`);
}
db.close();
