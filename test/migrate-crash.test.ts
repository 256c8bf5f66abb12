// `migrate` killed inside a batch: between the journal's "about to write" line and its "committed" line the
// transaction may or may not have committed. Driven through `migrate()` with the real SQLite sink wrapped so that it
// "dies" before or after its commit (the journal is left exactly as a SIGKILL there leaves it), then resumed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.js';
import { DumpSource } from '../src/cli/migrate/dump-source.js';
import { migrate, type MigrateRun } from '../src/cli/migrate/migrate-command.js';
import { MARKER_PREFIX, type SessionSink } from '../src/cli/migrate/sink.js';
import { SqliteSink } from '../src/cli/migrate/sqlite-sink.js';
import { StateFile } from '../src/cli/migrate/state-file.js';
import { dump, fromActiveRecordSession, load, privateSessionId, rubyInspect, toRedisSession } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rsc-migrate-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = 1_705_320_000; // the switch, seconds
const publicId = (n: number) => n.toString(16).padStart(32, '0');
const sid = (n: number) => privateSessionId(publicId(n));

/** `[n, v]` is session n holding `{"v" => v}` under its private-id key; `[n, v, 'legacy']` under its legacy public-id key. */
function writeDump(name: string, sessions: Array<[number, number] | [number, number, 'legacy']>): string {
  const path = join(dir, name);
  const lines = sessions.map(([n, v, legacy]) => {
    const { key, value } = toRedisSession(load(dump({ v })), { id: publicId(n), sessionId: legacy === undefined ? 'private' : 'public' });
    return JSON.stringify({ key, value: Buffer.from(value).toString('base64') });
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function createTable(path: string): Database.Database {
  const db = new Database(path);
  db.exec(`CREATE TABLE sessions (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, session_id varchar NOT NULL, data text,
    created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
    CREATE UNIQUE INDEX index_sessions_on_session_id ON sessions (session_id);`);
  return db;
}

function table(db: Database.Database): Map<string, string> {
  const rows = db.prepare('SELECT session_id, data FROM sessions ORDER BY session_id').all() as Array<{ session_id: string; data: string }>;
  return new Map(rows.map((r) => [r.session_id, r.session_id.startsWith(MARKER_PREFIX) ? r.data : rubyInspect(fromActiveRecordSession(r).session)]));
}

function io(seconds: number): CliIo & { err: () => string } {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  return { stdin: Readable.from([]), stdout: new PassThrough(), stderr, stderrIsTTY: false, now: () => seconds * 1000, err: () => Buffer.concat(chunks).toString('utf8') };
}

function runOptions(cutover: number | null, now: number): MigrateRun {
  return { cutover: cutover === null ? null : cutover * 1e6, expireAfter: undefined, sessionId: 'private', migrateOptions: { sessionId: 'private', now, dedupe: true } };
}

/** The SQLite sink, dying at its `die`-th write (a batch with rows): before its transaction (`'before'`) or just after its commit (`'after'`). */
async function dyingSink(path: string, die: { batch: number; when: 'before' | 'after' } | null): Promise<SessionSink> {
  const sink = await SqliteSink.open(path, 'sessions');
  let batches = 0;
  return {
    label: sink.label,
    async writeBatch(rows, cutover, marker) {
      batches++;
      if (die?.batch === batches && die.when === 'before') throw new Error('killed before the commit');
      await sink.writeBatch(rows, cutover, marker);
      if (die?.batch === batches) throw new Error('killed after the commit');
    },
    hasMarker: (id) => sink.hasMarker(id),
    clearMarkers: (ids) => sink.clearMarkers(ids),
    deleteBatch: (ids, cutover) => sink.deleteBatch(ids, cutover),
    close: () => sink.close(),
  };
}

async function pass(options: { db: string; state: string; dump: string; cutover: number | null; now: number; die?: { batch: number; when: 'before' | 'after' }; batchSize?: number }): Promise<{ code: number; stderr: string }> {
  const sink = await dyingSink(options.db, options.die ?? null);
  const state = StateFile.open(options.state);
  const runIo = io(options.now);
  try {
    const code = await migrate(new DumpSource(options.dump, runIo.now, undefined, options.batchSize ?? 500), sink, state, null, runOptions(options.cutover, options.now), runIo);
    return { code, stderr: runIo.err() };
  } finally {
    state.close();
    await sink.close();
  }
}

describe('migrate killed between a commit and its journal line', () => {
  it('a row that committed before the kill and that the app deleted after T is not brought back by the delta', async () => {
    const db = join(dir, 'after.sqlite3');
    const app = createTable(db);
    const state = join(dir, 'after.state');
    const sessions = writeDump('after.jsonl', [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const killed = await pass({ db, state, dump: sessions, cutover: null, now: T - 3600, die: { batch: 1, when: 'after' } });
    expect(killed.code).toBe(1);
    expect(killed.stderr).toContain('migrate: killed after the commit');
    expect([...table(app).keys()].filter((id) => !id.startsWith(MARKER_PREFIX))).toEqual([sid(1), sid(2), sid(3)].sort());
    // The app switches at T and session 2 logs out: its row goes. Redis still holds it (the app no longer writes there).
    app.prepare('DELETE FROM sessions WHERE session_id = ?').run(sid(2));
    const delta = await pass({ db, state, dump: sessions, cutover: T, now: T + 60 });
    expect(delta.code, delta.stderr).toBe(0);
    expect(table(app)).toEqual(
      new Map([
        [sid(1), '{"v"=>1}'],
        [sid(3), '{"v"=>3}'],
      ]),
    );
  });

  it('a batch killed before its commit is written by the next run, before or after T: no session is lost', async () => {
    for (const cutover of [null, T]) {
      const db = join(dir, `before-${cutover}.sqlite3`);
      const app = createTable(db);
      const state = join(dir, `before-${cutover}.state`);
      const sessions = writeDump(`before-${cutover}.jsonl`, [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ]);
      const killed = await pass({ db, state, dump: sessions, cutover: null, now: T - 3600, die: { batch: 2, when: 'before' }, batchSize: 2 });
      expect(killed.code).toBe(1);
      expect([...table(app).keys()].filter((id) => !id.startsWith(MARKER_PREFIX))).toEqual([sid(1), sid(2)].sort());
      const resumed = await pass({ db, state, dump: sessions, cutover, now: cutover === null ? T - 3000 : T + 60, batchSize: 2 });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect([...table(app)].sort()).toEqual(
        [
          [sid(1), '{"v"=>1}'],
          [sid(2), '{"v"=>2}'],
          [sid(3), '{"v"=>3}'],
          [sid(4), '{"v"=>4}'],
        ].sort(),
      );
    }
  });
});

describe('migrate killed and resumed at each batch boundary: the private-id key still wins over the legacy key', () => {
  // Session 1 under both keys (private {"v"=>10}, legacy {"v"=>99}), in either order, one entry per batch.
  const orders: Record<string, Array<[number, number] | [number, number, 'legacy']>> = {
    'private first': [
      [1, 10],
      [2, 2],
      [1, 99, 'legacy'],
      [3, 3],
    ],
    'legacy first': [
      [1, 99, 'legacy'],
      [2, 2],
      [1, 10],
      [3, 3],
    ],
  };
  const expected = [
    [sid(1), '{"v"=>10}'],
    [sid(2), '{"v"=>2}'],
    [sid(3), '{"v"=>3}'],
  ].sort();

  for (const [order, sessions] of Object.entries(orders)) {
    it(`${order}: pass 1, and a delta after it, each killed before or after each write's commit`, async () => {
      const sessionsDump = writeDump(`keys-${order}.jsonl`, sessions);
      const unkilled = join(dir, `keys-${order}.sqlite3`);
      const reference = createTable(unkilled);
      expect((await pass({ db: unkilled, state: join(dir, `keys-${order}.state`), dump: sessionsDump, cutover: null, now: T - 3600, batchSize: 1 })).code).toBe(0);
      expect([...table(reference)].sort()).toEqual(expected);
      for (const cutover of [null, T]) {
        for (let batch = 1; batch <= 4; batch++) {
          for (const when of ['before', 'after'] as const) {
            const what = `${order}, ${cutover === null ? 'pass 1' : 'delta'} killed ${when} the commit of batch ${batch}`;
            const db = join(dir, `keys-${order}-${cutover}-${batch}-${when}.sqlite3`);
            const app = createTable(db);
            const state = `${db}.state`;
            const now = cutover === null ? T - 3600 : T + 60;
            // A delta starts from a pass 1 that wrote the legacy row alone (the private key came later).
            if (cutover !== null) {
              const before = writeDump(`keys-${order}-pass1.jsonl`, [[1, 99, 'legacy']]);
              expect((await pass({ db, state, dump: before, cutover: null, now: T - 7200, batchSize: 1 })).code).toBe(0);
            }
            const killed = await pass({ db, state, dump: sessionsDump, cutover, now, die: { batch, when }, batchSize: 1 });
            // A superseded legacy key writes nothing: one write fewer than batches when the private key comes first.
            if (killed.code === 0 && batch === 4 && order === 'private first') continue;
            expect(killed.code, what).toBe(1);
            const resumed = await pass({ db, state, dump: sessionsDump, cutover, now: now + 1, batchSize: 1 });
            expect(resumed.code, `${what}: ${resumed.stderr}`).toBe(0);
            expect([...table(app)].sort(), what).toEqual(expected);
          }
        }
      }
    });
  }
});
