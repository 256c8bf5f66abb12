import { describe, expect, it } from 'vitest';
import { dump, fromActiveRecordSession, migrateSessions, type MigrationOutcome, type MigrationSummary } from '../src/index.js';
import { hex } from './helpers/seq.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const fixtures = storeFixtures();

async function collect(entries: Parameters<typeof migrateSessions>[0], options?: Parameters<typeof migrateSessions>[1]) {
  const outcomes: MigrationOutcome[] = [];
  let summary: MigrationSummary | undefined;
  for await (const item of migrateSessions(entries, options)) {
    if (item.kind === 'summary') summary = item;
    else outcomes.push(item);
  }
  return { outcomes, summary: summary! };
}

describe('migrateSessions', () => {
  it('converts every real store session, one outcome per input, and a summary that adds up', async () => {
    const { outcomes, summary } = await collect(fixtures.map((f) => ({ key: f.key, value: f.value })));
    expect(outcomes.length).toBe(fixtures.length);
    expect(summary).toMatchObject({ read: fixtures.length });
    expect(summary.converted + summary.skipped + summary.failed).toBe(summary.read);
    expect(summary.failed).toBe(0);
    for (const outcome of outcomes.filter((o) => o.kind === 'converted')) {
      const f = fixtures.find((f) => f.key === outcome.key)!;
      expect(outcome.row.data).toBe(f.ar_data.marshal);
    }
  });

  it('lets the private-id key of a session win over its legacy public-id key, in either order', async () => {
    const legacy = fixtures.find((f) => f.store === 'redis-rack-legacy-public' && f.key.startsWith('session:'))!;
    const current = fixtures.find((f) => f.key === `session:${legacy.private_id}`)!;
    expect(current).toBeDefined();
    const publicFirst = await collect([legacy, current].map((f) => ({ key: f.key, value: f.value })));
    expect(publicFirst.outcomes.map((o) => o.kind)).toEqual(['converted', 'converted']);
    expect(publicFirst.outcomes[1]).toMatchObject({ key: current.key, supersedes: legacy.key });
    const privateFirst = await collect([current, legacy].map((f) => ({ key: f.key, value: f.value })));
    expect(privateFirst.outcomes.map((o) => o.kind)).toEqual(['converted', 'skipped']);
    expect(privateFirst.outcomes[1]).toMatchObject({ reason: 'superseded by the private-id key of the same session' });
    // Either way the last row written for the session is the private key's, which the app reads first.
    const lastRow = (o: MigrationOutcome[]) => o.filter((x) => x.kind === 'converted').at(-1) as Extract<MigrationOutcome, { kind: 'converted' }>;
    expect(hex(dump(fromActiveRecordSession(lastRow(publicFirst.outcomes).row).session))).toBe(current.session_marshal_hex);
    expect(hex(dump(fromActiveRecordSession(lastRow(privateFirst.outcomes).row).session))).toBe(current.session_marshal_hex);
  });

  it('keeps going past corrupt entries, and says which and why', async () => {
    async function* corpus() {
      let i = 0;
      for (const f of fixtures) {
        yield { key: f.key, value: f.value };
        if (i++ % 7 === 0) yield { key: `session:2::${'0'.repeat(63)}${i % 10}`, value: f.value.subarray(0, f.value.length - 3) };
      }
      yield { key: 'session:deadbeef', value: Uint8Array.from([0x78, 0x9c, 0x01]) };
      yield { key: 'session:gone', value: null };
      yield { key: 'session:array', value: dump([1, 2]) };
    }
    const { outcomes, summary } = await collect(corpus());
    expect(summary.converted + summary.skipped + summary.failed).toBe(summary.read);
    expect(summary.read).toBe(outcomes.length);
    expect(summary.failed).toBe(Math.ceil(fixtures.length / 7) + 2);
    expect(summary.skipped).toBe(1);
    const failed = outcomes.filter((o) => o.kind === 'failed') as Array<Extract<MigrationOutcome, { kind: 'failed' }>>;
    expect(new Set(failed.map((o) => o.error.code))).toEqual(new Set(['invalid_payload', 'invalid_json', 'unknown_format', 'not_a_session']));
    for (const o of failed) expect(o.error.message).not.toMatch(/deadbeef/);
  });

  it('skips entries that expired before `now`, and validates options', async () => {
    const cache = fixtures.filter((f) => f.store.startsWith('rails-cache'));
    const { summary } = await collect(cache.map((f) => ({ key: f.key, value: f.value })), { now: 4_102_444_800 });
    expect(summary.skipped).toBe(cache.length);
    await expect(collect([], { sessionId: 'both' as never })).rejects.toThrow(/invalid_options: .*sessionId/);
  });
});
