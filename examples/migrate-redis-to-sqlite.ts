/**
 * Redis -> activerecord-session_store, with the library API alone: what `rails-session-codec export` and `convert`
 * do, in one process, writing straight into the gem's `sessions` table (SQLite here; the same loop fits any
 * database client).
 *
 * Run it against a Redis that holds Rails sessions (it only sends SCAN and GET):
 *
 *     npm install ioredis better-sqlite3 rails-session-codec
 *     node --import tsx examples/migrate-redis-to-sqlite.ts redis://127.0.0.1:6379/0 'session:*' sessions.sqlite3
 *
 * In this repository: `node --import tsx examples/migrate-redis-to-sqlite.ts …` (ioredis and better-sqlite3 are
 * installed). The database file is created with mode 0600: its rows log users in.
 */
import { closeSync, fchmodSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
// In an application: from 'rails-session-codec'.
import { migrateSessions, redactKey, type MigrationEntry } from '../src/index.js';

const [url = 'redis://127.0.0.1:6379/0', match = 'session:*', path = 'sessions.sqlite3'] = process.argv.slice(2);
const BATCH = 500;

/** Every key SCAN finds (never KEYS, which blocks Redis), with its value read binary-safe as a Buffer. */
async function* scanSessions(redis: Redis): AsyncGenerator<MigrationEntry> {
  for await (const keys of redis.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.getBuffer(key);
    const replies = (await pipeline.exec()) ?? [];
    for (const [i, key] of keys.entries()) {
      const [error, value] = replies[i] ?? [new Error('no reply'), null];
      if (error) throw error;
      // null: the key expired between SCAN and GET; migrateSessions counts it as skipped.
      yield { key, value: value as Buffer | null };
    }
  }
}

// Owner-only before SQLite writes a byte; its journal files take the same mode.
const fd = openSync(path, 'w', 0o600);
fchmodSync(fd, 0o600);
closeSync(fd);

const db = new Database(path);
// The gem's table (create_table :sessions with t.string :session_id, null: false; t.text :data; t.timestamps).
db.exec(`CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
)`);
const upsert = db.prepare(`INSERT INTO sessions (session_id, data, created_at, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`);
const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
const insertBatch = db.transaction((rows: Array<{ session_id: string; data: string }>) => {
  for (const row of rows) upsert.run(row.session_id, row.data, now, now);
});

const redis = new Redis(url, { lazyConnect: true });
await redis.connect();
let batch: Array<{ session_id: string; data: string }> = [];
try {
  // Defaults: the marshal serializer and the private `2::<sha256>` session id of activerecord-session_store >= 2.0;
  // cache entries that already expired are skipped.
  for await (const outcome of migrateSessions(scanSessions(redis), { serializer: 'marshal', now: Date.now() / 1000 })) {
    switch (outcome.kind) {
      case 'converted':
        batch.push(outcome.row);
        if (batch.length >= BATCH) {
          insertBatch(batch);
          batch = [];
        }
        break;
      case 'skipped':
        break;
      case 'failed':
        // Keys with public ids are credentials: log them redacted, with the code, never the value.
        console.error(`failed ${redactKey(outcome.key)}: ${outcome.error.code}`);
        break;
      case 'summary':
        insertBatch(batch);
        console.error(`read ${outcome.read}, converted ${outcome.converted}, skipped ${outcome.skipped}, failed ${outcome.failed}`);
        process.exitCode = outcome.failed > 0 ? 1 : 0;
    }
  }
} finally {
  redis.disconnect();
  db.close();
}
