// Our SQL loaded by the real clients into real servers, started here on loopback: MariaDB with and without
// NO_BACKSLASH_ESCAPES (`mariadb --force`, as someone pushing past errors would), PostgreSQL (`psql`) and SQLite
// (the `sqlite3` shell, which reads CRLF as LF). Hostile keys and values come back byte for byte, and a canary table
// survives.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRowWriter } from '../src/cli/row-writer.js';
import type { SqlDialect } from '../src/cli/sql-literal.js';
import { dump, load, toActiveRecordSession, toRedisSession } from '../src/index.js';
import { REPO_ROOT, runCli, withoutTiming } from './helpers/cli.js';
import { hasMariadb, hasPostgres, hasSqlite3Shell, startMariadb, startPostgres, type MariadbServer, type PostgresServer } from './helpers/sql-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'rsc-sql-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = [
  "'; DROP TABLE canary; --",
  "\\'; DROP TABLE canary; --",
  "\\\\'; DROP TABLE canary; -- \\",
  '\\',
  'a\r\nb\rc\nd',
  '\r\n',
  'tab\tbell\x07 esc\x1b del\x7f ctrl-z\x1a',
  '"double" `back` $$dollar$$ $tag$ %_',
  'Zoë 🎉 こんにちは \u2028 \u2029 \ufeff',
  '{"value":{"a":"\\u0000 \\n \\"q\\""}}',
  'BAh7BkkiCGZvbwY6BkVUSSIIYmFyBjsAVA==\nBAh7\n',
];

const seed = Date.now();
/** Rows: every hostile text as data and as session_id, then random texts of any printable or control character (no NUL). */
function hostileRows(): Array<{ session_id: string; data: string }> {
  const rows = HOSTILE.flatMap((text, i) => [
    { session_id: `2::h${i}`, data: text },
    { session_id: `2::${text}`, data: `d${i}` },
  ]);
  const chars = fc.oneof(fc.integer({ min: 1, max: 0x7f }).map((c) => String.fromCharCode(c)), fc.constantFrom('\\', "'", '\r\n', '\n', '\r', 'é', '🎉'));
  const random = fc.sample(fc.array(chars, { maxLength: 40 }).map((cs) => cs.join('')), { seed, numRuns: 60 });
  random.forEach((text, i) => rows.push({ session_id: `2::r${i}`, data: text }));
  return rows;
}

function sqlFile(dialect: SqlDialect, rows: Array<{ session_id: string; data: string }>, name: string): string {
  const writer = createRowWriter({ format: 'sql', dialect, timestamp: 1705320000 });
  const path = join(dir, name);
  writeFileSync(path, writer.header() + rows.map((r) => writer.row(r)).join('') + writer.footer());
  return path;
}

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex').toUpperCase();
/** `session_id` and `data` as hex, as the database stores them, in insertion order. */
const expected = (rows: Array<{ session_id: string; data: string }>): string[] => rows.map((r) => `${hex(r.session_id)}\t${hex(r.data)}`);

/**
 * A dump in which the private-id key must win over the legacy public-id key of the same session wherever either
 * is: session 1 legacy then private, session 2 private then legacy (lines apart), session 3 legacy only, session 4
 * private only. Returns `convert --format sql` output for the dialect and the rows the table must then hold.
 */
async function precedenceSql(dialect: SqlDialect): Promise<{ file: string; rows: Array<{ session_id: string; data: string }> }> {
  const publicId = (n: number) => `${n}`.repeat(32);
  const entry = (n: number, v: string, kind: 'private' | 'public') => {
    const { key, value } = toRedisSession(load(dump({ v })), { id: publicId(n), sessionId: kind });
    return JSON.stringify({ key, value: Buffer.from(value).toString('base64') });
  };
  const lines = [entry(1, 'legacy 1', 'public'), entry(2, 'private 2', 'private'), entry(4, 'private 4', 'private'), entry(1, 'private 1', 'private'), entry(3, 'legacy 3', 'public'), entry(2, 'legacy 2', 'public')];
  const input = join(dir, `precedence-${dialect}.jsonl`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  const file = join(dir, `precedence-${dialect}.sql`);
  const result = await runCli(['convert', '--in', input, '--format', 'sql', '--dialect', dialect, '--now', '1705320000', '--out', file]);
  expect(withoutTiming(result.stderr)).toBe('read 6, converted 6, skipped 0, failed 0 (3 from legacy keys)\n');
  // In insertion order (the first row of each session_id), each with its private key's data where there is one.
  const row = (n: number, v: string) => toActiveRecordSession({ id: publicId(n), session: load(dump({ v })) });
  return { file, rows: [row(1, 'private 1'), row(2, 'private 2'), row(4, 'private 4'), row(3, 'legacy 3')] };
}

/** The gem's table (its migration), a unique index on session_id, and a canary to drop. */
const TABLES = {
  postgresql:
    'CREATE TABLE sessions (id bigserial PRIMARY KEY, session_id varchar NOT NULL UNIQUE, data text, created_at timestamp NOT NULL, updated_at timestamp NOT NULL); CREATE TABLE canary (x int); INSERT INTO canary VALUES (1);',
  mysql:
    'CREATE TABLE sessions (id bigint AUTO_INCREMENT PRIMARY KEY, session_id varchar(255) NOT NULL, data longtext, created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL, UNIQUE KEY (session_id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin; CREATE TABLE canary (x int); INSERT INTO canary VALUES (1);',
  sqlite:
    'CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL); CREATE TABLE canary (x int); INSERT INTO canary VALUES (1);',
};

describe.skipIf(!hasMariadb)('MariaDB: the same bytes with and without NO_BACKSLASH_ESCAPES', () => {
  let server: MariadbServer;
  beforeAll(async () => {
    server = await startMariadb();
  }, 60_000);
  afterAll(() => server?.stop());

  for (const mode of ['STRICT_TRANS_TABLES', 'NO_BACKSLASH_ESCAPES', 'ANSI,NO_BACKSLASH_ESCAPES']) {
    it(`sql_mode=${mode}: hostile rows come back byte-exact through mariadb --force, and the canary survives (seed ${seed})`, () => {
      const db = `t_${mode.replace(/\W/g, '_').toLowerCase()}`;
      server.query(`SET GLOBAL sql_mode = '${mode}'; CREATE DATABASE ${db};`);
      server.query(TABLES.mysql, { database: db });
      const rows = hostileRows();
      const load = server.queryRaw(readFileSync(sqlFile('mysql', rows, `${db}.sql`), 'utf8'), { database: db, args: ['--force'] });
      expect(load.stderr).toBe('');
      expect(server.query('SELECT @@SESSION.sql_mode', { database: db }).trim().split(',')).toEqual(expect.arrayContaining(mode.split(',')));
      expect(server.query('SELECT HEX(session_id), HEX(data) FROM sessions ORDER BY id', { database: db }).replace(/\n$/, '').split('\n')).toEqual(expected(rows));
      expect(server.query('SELECT x FROM canary', { database: db }).trim()).toBe('1');
    });
  }

  it('the private-id key wins over the legacy key of the same session in either order, without convert remembering keys', async () => {
    server.query("SET GLOBAL sql_mode = 'STRICT_TRANS_TABLES'; CREATE DATABASE t_precedence;");
    server.query(TABLES.mysql, { database: 't_precedence' });
    const { file, rows } = await precedenceSql('mysql');
    expect(server.queryRaw(readFileSync(file, 'utf8'), { database: 't_precedence' }).stderr).toBe('');
    expect(server.query('SELECT HEX(session_id), HEX(data) FROM sessions ORDER BY id', { database: 't_precedence' }).replace(/\n$/, '').split('\n')).toEqual(expected(rows));
  });
});

describe.skipIf(!hasPostgres)('PostgreSQL: the same bytes with standard_conforming_strings on and off', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.stop());

  for (const conforming of ['on', 'off']) {
    it(`standard_conforming_strings=${conforming}: hostile rows come back byte-exact through psql, and the canary survives (seed ${seed})`, () => {
      const db = `t_${conforming}`;
      server.psql(`CREATE DATABASE ${db}; ALTER DATABASE ${db} SET standard_conforming_strings = ${conforming}; ALTER DATABASE ${db} SET client_encoding = 'LATIN1';`);
      server.psql(TABLES.postgresql, db);
      const rows = hostileRows();
      server.psql({ file: sqlFile('postgresql', rows, `${db}.sql`) }, db);
      expect(server.psql("SELECT upper(encode(convert_to(session_id, 'UTF8'), 'hex')) || E'\\t' || upper(encode(convert_to(data, 'UTF8'), 'hex')) FROM sessions ORDER BY id", db).replace(/\n$/, '').split('\n')).toEqual(expected(rows));
      expect(server.psql('SELECT x FROM canary', db).trim()).toBe('1');
    });
  }

  it('the private-id key wins over the legacy key of the same session in either order, without convert remembering keys', async () => {
    server.psql('CREATE DATABASE t_precedence;');
    server.psql(TABLES.postgresql, 't_precedence');
    const { file, rows } = await precedenceSql('postgresql');
    server.psql({ file }, 't_precedence');
    expect(server.psql("SELECT upper(encode(convert_to(session_id, 'UTF8'), 'hex')) || E'\\t' || upper(encode(convert_to(data, 'UTF8'), 'hex')) FROM sessions ORDER BY id", 't_precedence').replace(/\n$/, '').split('\n')).toEqual(expected(rows));
  });

  it('the demo dump converted to SQL loads and holds the rows convert writes as JSONL', async () => {
    const demo = join(REPO_ROOT, 'fixtures/demo/sessions.jsonl');
    const sql = join(dir, 'demo-pg.sql');
    await runCli(['convert', '--in', demo, '--format', 'sql', '--dialect', 'postgresql', '--now', '1705320000', '--out', sql]);
    const jsonl = await runCli(['convert', '--in', demo, '--format', 'jsonl', '--now', '1705320000']);
    server.psql('CREATE DATABASE demo;');
    server.psql(TABLES.postgresql, 'demo');
    server.psql({ file: sql }, 'demo');
    // Upserts: the last row of a session_id wins, in the place of its first; a legacy key's row only where none is.
    const last = new Map<string, string>();
    for (const line of jsonl.stdout.trimEnd().split('\n')) {
      const row = JSON.parse(line) as { session_id: string; data: string; legacy?: true };
      if (row.legacy !== true || !last.has(row.session_id)) last.set(row.session_id, row.data);
    }
    const rows = [...last].map(([session_id, data]) => ({ session_id, data }));
    const got = server.psql("SELECT upper(encode(convert_to(session_id, 'UTF8'), 'hex')) || E'\\t' || upper(encode(convert_to(data, 'UTF8'), 'hex')) FROM sessions ORDER BY id", 'demo');
    expect(got.replace(/\n$/, '').split('\n')).toEqual(expected(rows));
  });
});

describe.skipIf(!hasSqlite3Shell)('SQLite through the sqlite3 shell', () => {
  it(`hostile rows come back byte-exact, CR LF included, and the canary survives (seed ${seed})`, () => {
    const db = join(dir, 'live.sqlite3');
    const rows = hostileRows();
    const file = sqlFile('sqlite', rows, 'sqlite.sql');
    const shell = (input: string) => spawnSync('sqlite3', ['-batch', '-bail', db], { input, encoding: 'utf8' });
    expect(shell(TABLES.sqlite).status).toBe(0);
    const load = shell(readFileSync(file, 'utf8'));
    expect(load.stderr).toBe('');
    const got = shell("SELECT hex(session_id) || char(9) || hex(data) FROM sessions ORDER BY id; SELECT 'canary=' || x FROM canary;");
    const lines = got.stdout.replace(/\n$/, '').split('\n');
    expect(lines.slice(0, -1)).toEqual(expected(rows));
    expect(lines.at(-1)).toBe('canary=1');
  });

  it('the private-id key wins over the legacy key of the same session in either order, without convert remembering keys', async () => {
    const db = join(dir, 'precedence.sqlite3');
    const shell = (input: string) => spawnSync('sqlite3', ['-batch', '-bail', db], { input, encoding: 'utf8' });
    expect(shell(TABLES.sqlite).status).toBe(0);
    const { file, rows } = await precedenceSql('sqlite');
    expect(shell(readFileSync(file, 'utf8')).stderr).toBe('');
    expect(shell('SELECT hex(session_id) || char(9) || hex(data) FROM sessions ORDER BY id;').stdout.replace(/\n$/, '').split('\n')).toEqual(expected(rows));
  });
});
