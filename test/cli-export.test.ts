import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportEntries } from '../src/cli/export-command.js';
import { streamOutput } from '../src/cli/output-file.js';
import type { ScanSource } from '../src/cli/redis-scan.js';
import { runCli, withoutTiming } from './helpers/cli.js';
import { storeFixtures } from './helpers/store-fixtures.js';

/** An in-memory Redis: SCAN pages of `count` keys (glob `*` only), GET from a Map; WRONGTYPE for `hashes`. */
function fakeRedis(values: Map<string, Uint8Array>, options: { hashes?: string[]; vanishing?: string[] } = {}) {
  const calls: string[] = [];
  const source: ScanSource = {
    async *scan(match, count) {
      calls.push(`SCAN MATCH ${match} COUNT ${count}`);
      const pattern = new RegExp(`^${match.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      const keys = [...values.keys(), ...(options.hashes ?? []), ...(options.vanishing ?? [])].filter((k) => pattern.test(k));
      for (let i = 0; i < keys.length; i += count) yield keys.slice(i, i + count);
      yield [];
    },
    async getMany(keys) {
      calls.push(`GET x${keys.length}`);
      return keys.map((k) => {
        const text = typeof k === 'string' ? k : Buffer.from(k).toString('latin1');
        return options.hashes?.includes(text) ? new Error('WRONGTYPE Operation against a key holding the wrong kind of value') : (values.get(text) ?? null);
      });
    },
  };
  return { source, calls };
}

async function collect(source: ScanSource, match: string, count: number) {
  const out = new PassThrough();
  const stderr = new PassThrough();
  const chunks: string[] = [];
  const errors: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  stderr.on('data', (c: Buffer) => errors.push(c.toString()));
  const code = await exportEntries(source, match, count, streamOutput(out, 'stdout'), { stdin: new PassThrough(), stdout: out, stderr, stderrIsTTY: false, now: () => 0 });
  return { code, lines: chunks.join('').split('\n').filter((l) => l !== ''), stderr: errors.join('') };
}

describe('export (against an in-memory SCAN/GET source)', () => {
  const fixtures = storeFixtures();
  const values = new Map(fixtures.map((f) => [f.key, f.value]));

  it('writes one JSONL line per key with the exact bytes as standard Base64, batch by batch', async () => {
    const { source, calls } = fakeRedis(values);
    const { code, lines, stderr } = await collect(source, 'session:*', 7);
    const expected = fixtures.filter((f) => f.key.startsWith('session:'));
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l) as { key: string; value: string })).toEqual(expected.map((f) => ({ key: f.key, value: Buffer.from(f.value).toString('base64') })));
    for (const line of lines) expect(line).not.toMatch(/\\n/);
    expect(calls[0]).toBe('SCAN MATCH session:* COUNT 7');
    expect(calls.filter((c) => c.startsWith('GET'))).toHaveLength(Math.ceil(expected.length / 7));
    expect(withoutTiming(stderr)).toBe(`scanned ${expected.length}, exported ${expected.length}, vanished 0, failed 0\n`);
  });

  it('skips and counts keys that vanished between SCAN and GET; a failed GET is counted, named redacted, and exits 1', async () => {
    const publicKey = 'session:fb9cfd0ac320eb584199e3ea9b8712ec';
    const { source } = fakeRedis(values, { vanishing: ['session:2::gone'], hashes: [publicKey] });
    const { code, lines, stderr } = await collect(source, 'session:*', 1000);
    const exported = fixtures.filter((f) => f.key.startsWith('session:')).length;
    expect(code).toBe(1);
    expect(lines).toHaveLength(exported);
    expect(withoutTiming(stderr)).toBe(
      'export: GET "session:fb9c…" failed: WRONGTYPE Operation against a key holding the wrong kind of value\n' +
        `scanned ${exported + 2}, exported ${exported}, vanished 1, failed 1\n`,
    );
  });

  it('round-trips through convert: the dump it writes is what convert reads', async () => {
    const { source } = fakeRedis(values);
    const { lines } = await collect(source, '*', 1000);
    const result = await runCli(['convert', '--format', 'jsonl', '--now', '1705320000'], { stdin: `${lines.join('\n')}\n` });
    expect(result.code).toBe(0);
    expect(withoutTiming(result.stderr)).toBe('read 56, converted 56, skipped 0, failed 0 (2 from legacy keys)\n');
  });

  it('reports an unreachable Redis with exit 1, without the password', async () => {
    const result = await runCli(['export', '--url', 'redis://:s3cret@127.0.0.1:1/0', '--match', 'session:*']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^export: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0: /);
    expect(result.stderr).not.toContain('s3cret');
  });
});
