import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dump, fromActiveRecordSession } from '../src/index.js';
import { hex } from './helpers/seq.js';
import { REPO_ROOT, runCli, spawnCli, withoutTiming } from './helpers/cli.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const DEMO = join(REPO_ROOT, 'fixtures/demo/sessions.jsonl');
/** The fixtures' frozen clock: their cache entries have not expired yet. */
const FIXTURE_NOW = '1705320000';
const fixtures = storeFixtures();
const dir = mkdtempSync(join(tmpdir(), 'rsc-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CORRUPT_KEY = 'session:2::0000000000000000000000000000000000000000000000000000000000000bad';

/** The demo dump with a corrupt Marshal value (line 3) and a line that is not JSON (line 6) mixed in. */
function corruptDump(): string {
  const lines = readFileSync(DEMO, 'utf8').trimEnd().split('\n');
  lines.splice(2, 0, JSON.stringify({ key: CORRUPT_KEY, value: Buffer.from([0x04, 0x08, 0x7b, 0x06, 0x49, 0x22]).toString('base64') }));
  lines.splice(5, 0, '{"key": "session:2::truncated", "val');
  const path = join(dir, 'corrupt.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function summaryCounts(stderr: string): Record<string, number> {
  const line = withoutTiming(stderr).trimEnd().split('\n').at(-1)!;
  return Object.fromEntries([...line.matchAll(/(\w+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe('convert', () => {
  it('converts the demo dump to SQLite upserts that load into the gem table and read back as Ruby wrote them', async () => {
    const out = join(dir, 'demo.sql');
    const result = await runCli(['convert', '--in', DEMO, '--out', out, '--format', 'sql', '--dialect', 'sqlite', '--now', FIXTURE_NOW]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    // Two rows come from legacy public-id keys (one of a session whose private-id key is in the dump too).
    expect(withoutTiming(result.stderr)).toBe('read 56, converted 56, skipped 0, failed 0 (2 from legacy keys)\n');
    const db = new Database(':memory:');
    db.exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)');
    db.exec(readFileSync(out, 'utf8'));
    const rows = db.prepare('SELECT session_id, data, created_at FROM sessions').all() as Array<{ session_id: string; data: string; created_at: string }>;
    // The legacy public-id key and the private-id key of one session share a row.
    expect(rows).toHaveLength(55);
    const byPrivateId = new Map(rows.map((r) => [r.session_id, r]));
    for (const f of fixtures.filter((f) => f.name !== 'legacy/actionpack-public-and-private')) {
      const row = byPrivateId.get(f.private_id);
      expect(row, f.name).toBeDefined();
      expect(row!.created_at).toBe('2024-01-15 12:00:00');
      expect(row!.data, f.name).toBe(f.ar_data.marshal);
      expect(hex(dump(fromActiveRecordSession(row!).session)), f.name).toBe(f.session_marshal_hex);
    }
  });

  it('sends a corrupt session and a broken line to the rejects file, exits 1, and the summary adds up', async () => {
    const input = corruptDump();
    const out = join(dir, 'corrupt.jsonl.out');
    const rejects = join(dir, 'rejects.jsonl');
    const result = await runCli(['convert', '--in', input, '--out', out, '--rejects', rejects, '--format', 'jsonl', '--now', FIXTURE_NOW]);
    expect(result.code).toBe(1);
    expect(withoutTiming(result.stderr)).toBe(`read 58, converted 56, skipped 0, failed 2 (2 from legacy keys; rejects: ${rejects})\n`);
    const counts = summaryCounts(result.stderr);
    expect(counts.converted! + counts.skipped! + counts.failed!).toBe(counts.read);
    const listed = readFileSync(rejects, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(listed).toEqual([
      { key: CORRUPT_KEY, line: 3, code: 'invalid_payload', message: expect.stringContaining('invalid_payload') },
      { key: null, line: 6, code: 'invalid_line', message: 'not JSON' },
    ]);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(56);
  });

  it('without --rejects, lists failures on stderr by key, never by value', async () => {
    const result = await runCli(['convert', '--in', corruptDump(), '--format', 'jsonl', '--now', FIXTURE_NOW]);
    expect(result.code).toBe(1);
    const lines = withoutTiming(result.stderr).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^line 3: "session:2::0+bad": invalid_payload: /);
    expect(lines[1]).toBe('line 6: not JSON');
    expect(lines[2]).toBe('read 58, converted 56, skipped 0, failed 2 (2 from legacy keys; list them with --rejects FILE)');
  });

  it('skips cache entries that expired before --now, listing them in the rejects file as skipped', async () => {
    const rejects = join(dir, 'expired.jsonl');
    const result = await runCli(['convert', '--in', DEMO, '--format', 'csv', '--rejects', rejects, '--now', '1800000000']);
    expect(result.code).toBe(0);
    const cacheKeys = fixtures.filter((f) => f.store.startsWith('rails-cache-store')).map((f) => f.key);
    expect(withoutTiming(result.stderr)).toBe(`read 56, converted ${56 - cacheKeys.length}, skipped ${cacheKeys.length}, failed 0 (2 from legacy keys; rejects: ${rejects})\n`);
    const listed = readFileSync(rejects, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string; code: string; skipped: boolean });
    expect(listed.map((r) => r.key)).toEqual(cacheKeys);
    expect(listed.every((r) => r.code === 'skipped' && r.skipped)).toBe(true);
    expect(result.stdout.startsWith('session_id,data,legacy\r\n')).toBe(true);
  });

  it('marks the rows of legacy public-id keys (not with --no-dedupe); --session-id public fails the sessions known only by private id', async () => {
    const deduped = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW]);
    const kept = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW, '--no-dedupe']);
    expect(withoutTiming(kept.stderr)).toBe('read 56, converted 56, skipped 0, failed 0\n');
    // Keys by public id (no `2::`): the legacy ones.
    const legacyKeys = new Set(fixtures.filter((f) => !f.key.includes('2::')).map((f) => f.private_id));
    const marked = deduped.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { session_id: string; legacy?: true });
    expect(marked.filter((r) => r.legacy === true).map((r) => r.session_id).sort()).toEqual([...legacyKeys].sort());
    expect(deduped.stdout.replaceAll(',"legacy":true', '')).toBe(kept.stdout);
    const csv = await runCli(['convert', '--in', DEMO, '--format', 'csv', '--now', FIXTURE_NOW]);
    const csvRows = csv.stdout.trimEnd().split('\r\n');
    expect(csvRows[0]).toBe('session_id,data,legacy');
    expect(csvRows.filter((r) => r.endsWith(',1'))).toHaveLength(2);
    expect((await runCli(['convert', '--in', DEMO, '--format', 'csv', '--now', FIXTURE_NOW, '--no-dedupe'])).stdout.startsWith('session_id,data\r\n')).toBe(true);
    const publicIds = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW, '--session-id', 'public']);
    expect(publicIds.code).toBe(1);
    expect(publicIds.stderr).toContain('public_id_unavailable');
    expect(summaryCounts(publicIds.stderr)).toEqual({ read: 56, converted: 2, skipped: 0, failed: 54 });
  });

  it('reads the dump from stdin and writes JSONL rows to stdout; --serializer json writes the gem JSON', async () => {
    const f = fixtures.find((s) => s.name === 'actionpack/devise-signed-in')!;
    const line = JSON.stringify({ key: f.key, value: Buffer.from(f.value).toString('base64') });
    const result = await runCli(['convert', '--format', 'jsonl', '--serializer', 'json'], { stdin: `${line}\n` });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ session_id: f.private_id, data: f.ar_data.json });
  });

  it('draws a throttled progress line on a terminal, then clears it for the summary', async () => {
    let clock = 0;
    const result = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW], { tty: true, now: () => (clock += 50) });
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence
    expect(result.stderr).toMatch(/\r\x1b\[K\d+% ETA (?:-|\d+:\d\d) \(\d+:\d\d elapsed\) \| read \d+ \(\d+\/s\), converted \d+, skipped 0, failed 0/);
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence
    expect(result.stderr).toMatch(/\r\x1b\[Kread 56, converted 56, skipped 0, failed 0 in (?:\d+ ms|\d+\.\d s), [\d,]+\/s \(2 from legacy keys\)\n$/);
    const plain = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW]);
    expect(plain.stderr).not.toContain('\r');
    // From stdin the size is not known: counts and rate, no percentage or ETA.
    clock = 0;
    const piped = await runCli(['convert', '--format', 'jsonl', '--now', FIXTURE_NOW], { stdin: readFileSync(DEMO), tty: true, now: () => (clock += 50) });
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence
    expect(piped.stderr).toMatch(/\r\x1b\[Kread \d+ \(\d+\/s\), converted \d+, skipped 0, failed 0/);
    expect(piped.stderr).not.toContain('ETA');
  });

  it('creates the output and rejects files with mode 0600 under a permissive umask, and resets an existing file', () => {
    const out = join(dir, 'mode.sql');
    const rejects = join(dir, 'mode-rejects.jsonl');
    writeFileSync(out, 'old', { mode: 0o666 });
    const result = spawnCli(['convert', '--in', corruptDump(), '--out', out, '--rejects', rejects, '--format', 'sql', '--dialect', 'mysql', '--now', FIXTURE_NOW]);
    expect(result.code).toBe(1);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(rejects).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^-- activerecord-session_store rows for `sessions` \(mysql\)/);
  });
});
