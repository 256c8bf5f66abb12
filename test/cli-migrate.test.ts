// `migrate` from a dump into SQLite: pass 1, an app writing after T, the delta pass and its rules, re-runs and
// resuming. No server needed (the live scenario on Redis, PostgreSQL and MariaDB is e2e-cutover.test.ts).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDbTime } from '../src/cli/migrate/cutover.js';
import { dump, fromActiveRecordSession, load, privateSessionId, rubyInspect, toRedisSession } from '../src/index.js';
import { runCli, withoutTiming } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rsc-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = 1_705_320_000; // the switch, seconds
const publicId = (n: number) => n.toString(16).padStart(32, '0');
const sid = (n: number) => privateSessionId(publicId(n));

function dumpLine(n: number, session: Record<string, number>): string {
  const { key, value } = toRedisSession(load(dump(session)), { id: publicId(n) });
  return JSON.stringify({ key, value: Buffer.from(value).toString('base64') });
}

function writeDump(name: string, sessions: Record<number, Record<string, number>>, extra: string[] = []): string {
  const path = join(dir, name);
  writeFileSync(path, [...Object.entries(sessions).map(([n, s]) => dumpLine(Number(n), s)), ...extra].join('\n') + '\n');
  return path;
}

function createTable(path: string): Database.Database {
  const db = new Database(path);
  // The gem's migration as Rails 6.1 creates it on SQLite.
  db.exec(`CREATE TABLE sessions (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, session_id varchar NOT NULL, data text,
    created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
    CREATE UNIQUE INDEX index_sessions_on_session_id ON sessions (session_id);
    CREATE INDEX index_sessions_on_updated_at ON sessions (updated_at);`);
  return db;
}

type Row = { session_id: string; data: string; created_at: string; updated_at: string };
function rows(db: Database.Database): Map<string, Row> {
  return new Map((db.prepare('SELECT session_id, data, created_at, updated_at FROM sessions').all() as Row[]).map((r) => [r.session_id, r]));
}
const inspectRow = (row: Row | undefined) => (row === undefined ? undefined : rubyInspect(fromActiveRecordSession(row).session));
const at = (seconds: number) => () => seconds * 1000;

describe('migrate --from DUMP --to sqlite:PATH', () => {
  const dbPath = join(dir, 'app.sqlite3');
  const state = join(dir, 'state.jsonl');
  const db = createTable(dbPath);
  const appRow = (id: string, data: string, seconds: number) =>
    db.prepare('INSERT INTO sessions (session_id, data, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at').run(id, data, formatDbTime(seconds * 1e6), formatDbTime(seconds * 1e6));
  const base = (dump: string) => ['migrate', '--from', dump, '--to', `sqlite:${dbPath}`, '--state', state];

  it('pass 1 copies every session, leaves rows it did not write alone, and says lifetimes restart', async () => {
    appRow('foreign-row', 'not ours', T - 86_400);
    const dump = writeDump('pass1.jsonl', { 1: { v: 1 }, 2: { v: 2 }, 3: { v: 3 }, 4: { v: 4 }, 5: { v: 5 }, 6: { v: 6 } }, ['not json']);
    const result = await runCli(base(dump), { now: at(T - 3600) });
    expect(result.stderr).toContain('invalid_line: line 7: not JSON\n');
    expect(withoutTiming(result.stderr)).toMatch(/^read 7, written 6, skipped 0, failed 1, deleted 0 \(pass 1; before the switch; lifetimes restart: no --expire-after; list them with --rejects FILE\)\n$/m);
    expect(result.code).toBe(1);
    const table = rows(db);
    expect(table.size).toBe(7);
    for (let n = 1; n <= 6; n++) {
      expect(inspectRow(table.get(sid(n)))).toBe(`{"v"=>${n}}`);
      expect(table.get(sid(n))!.updated_at).toBe('2024-01-15 11:00:00');
    }
    expect(table.get('foreign-row')!.data).toBe('not ours');
    expect(statSync(state).mode & 0o777).toBe(0o600);
  });

  it('the delta pass follows Redis, except where the app wrote since T; no row comes back, none it did not write goes', async () => {
    // After T the app writes: it refreshes session 2, logs session 3 out (deletes its row), refreshes session 5, creates one.
    appRow(sid(2), 'app wrote 2', T + 10);
    db.prepare('DELETE FROM sessions WHERE session_id = ?').run(sid(3));
    appRow(sid(5), 'app wrote 5', T + 20);
    appRow('app-new', 'app created', T + 5);
    // Redis meanwhile (old servers draining): 1 and 2 changed, 4 and 5 gone, 7 new; 3 and 6 unchanged.
    const dump = writeDump('delta.jsonl', { 1: { v: 10 }, 2: { v: 20 }, 3: { v: 3 }, 6: { v: 6 }, 7: { v: 7 } });
    const result = await runCli([...base(dump), '--cutover', String(T)], { now: at(T + 60) });
    expect(withoutTiming(result.stderr)).toBe('read 5, written 5, skipped 0, failed 0, deleted 1 (pass 2; cutover 2024-01-15 12:00:00 UTC; lifetimes restart: no --expire-after)\n');
    expect(result.code).toBe(0);
    const table = rows(db);
    expect(inspectRow(table.get(sid(1)))).toBe('{"v"=>10}'); // refreshed
    expect(table.get(sid(2))!.data).toBe('app wrote 2'); // the app's, kept
    expect(table.has(sid(3))).toBe(false); // logged out in the app: not brought back
    expect(table.has(sid(4))).toBe(false); // gone from Redis: deleted
    expect(table.get(sid(5))!.data).toBe('app wrote 5'); // gone from Redis, but the app's since T
    expect(inspectRow(table.get(sid(6)))).toBe('{"v"=>6}');
    expect(inspectRow(table.get(sid(7)))).toBe('{"v"=>7}'); // new
    expect(table.get('foreign-row')!.data).toBe('not ours');
    expect(table.get('app-new')!.data).toBe('app created');
    // Our rows stay before T, so a later delta can still refresh or delete them.
    expect(table.get(sid(7))!.updated_at).toBe('2024-01-15 11:59:59.999999');
    expect(table.get(sid(1))!.created_at).toBe('2024-01-15 11:00:00');
    expect(table.size).toBe(7);
  });

  it('running the delta again changes nothing', async () => {
    const before = rows(db);
    const dump = join(dir, 'delta.jsonl');
    const result = await runCli([...base(dump), '--cutover', String(T)], { now: at(T + 120) });
    expect(result.code, result.stderr).toBe(0);
    expect(withoutTiming(result.stderr)).toMatch(/^read 5, written 5, skipped 0, failed 0, deleted 0 \(pass 3;/);
    expect(rows(db)).toEqual(before);
  });

  it('a run killed after a batch resumes from its checkpoint; an unfinished pass wants the same cutover', async () => {
    // What a kill leaves: a pass started, one batch intended and not committed.
    const journal = readFileSync(state, 'utf8');
    writeFileSync(state, `${journal}${JSON.stringify({ pass: 4, cutover: T * 1e6, source: `dump ${join(dir, 'delta.jsonl')}`, started: 'x' })}\n{"batch":1,"wrote":["${sid(8)}"]}\n{"commi`);
    const other = await runCli([...base(join(dir, 'delta.jsonl')), '--cutover', String(T + 1)], { now: at(T + 180) });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('pass 4 is unfinished with --cutover 1705320000: run it again with that to finish it');
    const result = await runCli([...base(join(dir, 'delta.jsonl')), '--cutover', String(T)], { now: at(T + 180) });
    expect(result.code, result.stderr).toBe(0);
    expect(withoutTiming(result.stderr)).toMatch(/^read 5, written 5, skipped 0, failed 0, deleted 0 \(pass 4;/);
    expect(readFileSync(state, 'utf8').trimEnd().split('\n').every((line) => JSON.parse(line) !== null)).toBe(true);
  });

  it('usage errors exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['migrate', '--to', 'sqlite:x', '--state', 's'], 'missing --from'],
      [['migrate', '--from', 'd', '--state', 's'], 'missing --to'],
      [['migrate', '--from', 'd', '--to', 'sqlite:x'], 'missing --state'],
      [['migrate', '--from', 'd', '--to', 'oracle://x', '--state', 's'], '--to takes postgres://…, mysql://… or sqlite:PATH (got oracle://)'],
      [['migrate', '--from', 'redis://127.0.0.1:1/0', '--to', 'sqlite:x', '--state', 's'], 'missing --match'],
      [['migrate', '--from', 'd', '--match', 'x', '--to', 'sqlite:x', '--state', 's'], '--cluster, --match and --count apply to a Redis --from only'],
      [['migrate', '--from', 'd', '--to', 'sqlite:x', '--state', 's', '--cutover', 'noon'], '--cutover takes seconds since the epoch or ISO 8601'],
      [['migrate', '--from', 'd', '--to', 'sqlite:x', '--state', 's', '--expire-after', '0'], '--expire-after takes a positive integer'],
      [['migrate', '--from', 'd', '--to', 'mysql://h', '--state', 's'], 'needs a database name'],
      [['migrate', '--from', 'd', '--to', 'sqlite:x', '--state', 's', '--table', 'a;b'], '--table takes a table name'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });
});
