// Redis -> CLI -> SQLite -> Ruby, end to end: real Rails stores write sessions into a real redis-server, the CLI
// exports and converts them, SQLite loads the SQL, and Ruby reads every row back with the gem's serializer logic.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRedisSession } from '../src/index.js';
import { spawnCli, withoutTiming } from './helpers/cli.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server.js';
import { hasRuby } from './helpers/ruby.js';

interface Written {
  store: 'redis-actionpack' | 'cache-store';
  name: string;
  public_id: string;
  private_id: string;
  session_marshal: string;
  json_safe: boolean;
}

interface Checked {
  private_id: string;
  name: string;
  store: string;
  found: boolean;
  equal: boolean;
  compared: boolean;
}

const missing = [hasRuby ? null : 'ruby', hasRedisServer ? null : 'redis-server'].filter((m) => m !== null);
const reason = missing.length === 0 ? '' : ` (skipped: ${missing.join(' and ')} not on PATH)`;

function rubyScript(name: string, args: string[], input = ''): string {
  const script = fileURLToPath(new URL(`./e2e/${name}`, import.meta.url));
  const result = spawnSync('ruby', [script, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ruby ${name} failed: ${result.stderr}`);
  return result.stdout;
}

describe.skipIf(missing.length > 0)(`migration end to end: Rails stores -> redis-server -> export -> convert -> SQLite -> Ruby${reason}`, () => {
  let redis: RedisServer;
  let written: Written[];
  const dir = mkdtempSync(join(tmpdir(), 'rsc-e2e-'));
  const dump = join(dir, 'sessions.jsonl');

  beforeAll(async () => {
    redis = await startRedisServer();
    written = JSON.parse(rubyScript('write-sessions.rb', [String(redis.port)])) as Written[];
  });

  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('export dumps every session key, read-only, into a 0600 file', () => {
    const result = spawnCli(['export', '--url', `redis://127.0.0.1:${redis.port}/0`, '--match', '*session*', '--count', '3', '--out', dump]);
    expect(result.code, result.stderr).toBe(0);
    expect(withoutTiming(result.stderr)).toBe(`scanned ${written.length}, exported ${written.length}, vanished 0, failed 0\n`);
    expect(statSync(dump).mode & 0o777).toBe(0o600);
    const keys = readFileSync(dump, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { key: string }).key);
    const expected = written.map((w) => `${w.store === 'cache-store' ? '_session_id:' : 'session:'}${w.private_id}`);
    expect(keys.sort()).toEqual(expected.sort());
    // The big cart went through Rails.cache's compression (1 KB threshold): the dump holds the compressed entry.
    const formats = readFileSync(dump, 'utf8').trimEnd().split('\n').map((line) => {
      const { key, value } = JSON.parse(line) as { key: string; value: string };
      const decoded = decodeRedisSession(key, new Uint8Array(Buffer.from(value, 'base64')));
      return `${decoded.format}${decoded.compressed ? ' compressed' : ''}`;
    });
    expect(new Set(formats)).toEqual(new Set(['marshal', 'cache-6.1', 'cache-6.1 compressed']));
  });

  for (const serializer of ['marshal', 'json'] as const) {
    it(`convert --format sql --dialect sqlite --serializer ${serializer}: SQLite loads it, Ruby reads every row back ==`, () => {
      const sql = join(dir, `sessions-${serializer}.sql`);
      const result = spawnCli(['convert', '--in', dump, '--out', sql, '--format', 'sql', '--dialect', 'sqlite', '--serializer', serializer, '--rejects', join(dir, `rejects-${serializer}.jsonl`)]);
      expect(result.code, result.stderr).toBe(0);
      expect(withoutTiming(result.stderr)).toBe(`read ${written.length}, converted ${written.length}, skipped 0, failed 0 (rejects: ${join(dir, `rejects-${serializer}.jsonl`)})\n`);

      const db = new Database(join(dir, `sessions-${serializer}.sqlite3`));
      db.exec(`CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT,
        created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL)`);
      db.exec(readFileSync(sql, 'utf8'));
      const rows = db.prepare('SELECT session_id, data FROM sessions').all() as Array<{ session_id: string; data: string }>;
      db.close();
      expect(rows.map((r) => r.session_id).sort()).toEqual(written.map((w) => w.private_id).sort());

      const checked = JSON.parse(rubyScript('check-rows.rb', [], JSON.stringify({ serializer, written, rows }))) as Checked[];
      for (const row of checked) {
        expect(row.found, `${row.store} ${row.name}`).toBe(true);
        if (serializer === 'marshal' || written.find((w) => w.private_id === row.private_id)!.json_safe) {
          expect(row.compared && row.equal, `${row.store} ${row.name}`).toBe(true);
        }
      }
      expect(checked.filter((c) => c.compared).length).toBe(serializer === 'marshal' ? written.length : written.filter((w) => w.json_safe).length);
    });
  }
});
