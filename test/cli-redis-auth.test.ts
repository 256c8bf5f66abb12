// A Redis that wants a password, given none or the wrong one: `export` and `migrate --from redis://` say so in one
// line and exit 1, with no stack trace and without the password; with the right one in the URL they run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, withoutTiming } from './helpers/cli.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server.js';

const PASSWORD = 'pw-9f3c2e71';
const dir = mkdtempSync(join(tmpdir(), 'rsc-redis-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasRedisServer)('Redis with requirepass', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ requirepass: PASSWORD });
  });
  afterAll(() => server?.stop());

  const url = (auth: string) => `redis://${auth}127.0.0.1:${server.port}/0`;
  const cases = [
    ['no password', '', /NOAUTH/],
    ['a wrong password', ':wrong-pw-1d8a@', /WRONGPASS|invalid password/],
  ] as const;

  for (const [what, auth, reason] of cases) {
    it(`export with ${what}: one message naming the URL without a password, exit 1`, async () => {
      const result = await runCli(['export', '--url', url(auth), '--match', 'session:*']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^export: cannot connect to redis://(:\\*\\*\\*@)?127\\.0\\.0\\.1:${server.port}/0: `));
      expect(lines[0]).toMatch(reason);
      expect(result.stderr).not.toMatch(/\bat \S+ \(|wrong-pw|pw-9f3c/);
    });

    it(`migrate --from redis:// with ${what}: one message, exit 1, nothing written`, async () => {
      const dbPath = join(dir, `${what.replaceAll(' ', '-')}.sqlite3`);
      new Database(dbPath).exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)');
      const result = await runCli(['migrate', '--from', url(auth), '--match', 'session:*', '--to', `sqlite:${dbPath}`, '--state', `${dbPath}.state`]);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(new RegExp(`cannot connect to redis://(:\\*\\*\\*@)?127\\.0\\.0\\.1:${server.port}/0: `));
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).not.toMatch(/\bat \S+ \(|wrong-pw|pw-9f3c/);
      expect(new Database(dbPath).prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    });
  }

  it('the right password in the URL: export and migrate run', async () => {
    const exported = await runCli(['export', '--url', url(`:${PASSWORD}@`), '--match', 'session:*']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(withoutTiming(exported.stderr)).toBe('scanned 0, exported 0, vanished 0, failed 0\n');
    const dbPath = join(dir, 'right.sqlite3');
    new Database(dbPath).exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)');
    const migrated = await runCli(['migrate', '--from', url(`:${PASSWORD}@`), '--match', 'session:*', '--to', `sqlite:${dbPath}`, '--state', `${dbPath}.state`]);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).not.toContain(PASSWORD);
  });
});
