// The pass logic of `migrate`, pure: the journal replayed into a state, the run plan, write modes, delete
// candidates and the timestamps of a row. No server, no file.
import { describe, expect, it } from 'vitest';
import { formatDbTime, parseCutover, rowTimes } from '../src/cli/migrate/cutover.js';
import { STATE_KIND, STATE_VERSION, StateError, StateTracker, deleteCandidates, planRun, replayState, writeMode, type StateLine } from '../src/cli/migrate/state.js';

const header: StateLine = { state: STATE_KIND, version: STATE_VERSION, target: 'sqlite:db.sqlite3 sessions' };
const T = 1_705_320_000_000_000; // 2024-01-15 12:00:00 UTC, in microseconds

function lines(...records: StateLine[]): string[] {
  return records.map((r) => JSON.stringify(r));
}

describe('migrate state: the journal replayed', () => {
  it('a committed batch is written; a batch without its commit line is only maybe written', () => {
    const { state } = replayState(
      lines(
        header,
        { pass: 1, cutover: null, source: 'r', started: 'x' },
        { batch: 1, wrote: ['a', 'b'] },
        { committed: 1, seen: ['a', 'b'], checkpoint: { cursor: '17' }, complete: false },
        { batch: 2, wrote: ['c'] },
      ),
    );
    expect([...state.committed]).toEqual(['a', 'b']);
    expect([...state.maybe]).toEqual(['c']);
    expect(state.pass).toMatchObject({ number: 1, checkpoint: { cursor: '17' }, complete: false, done: false, lastBatch: 2 });
    expect([...state.pass!.seen]).toEqual(['a', 'b']);
  });

  it('a line cut short by a kill is ignored when it is the last, and an error anywhere else', () => {
    const good = lines(header, { pass: 1, cutover: null, source: 'r', started: 'x' }, { batch: 1, wrote: ['a'] });
    expect([...replayState([...good, '{"committed":1,"se']).state.maybe]).toEqual(['a']);
    expect(() => replayState([good[0]!, '{"pass":1', good[2]!])).toThrow(StateError);
  });

  it('refuses a file that is not a migrate journal, another version, or records before a pass', () => {
    expect(() => replayState(['{"key":"session:1","value":"BAh7AA=="}'])).toThrow('not a rails-session-codec migrate state file');
    expect(() => replayState(lines({ ...header, version: 2 }))).toThrow('version 2');
    expect(() => replayState(lines(header, { batch: 1, wrote: ['a'] }))).toThrow('before any pass');
    expect(() => replayState([JSON.stringify(header), '[1]'])).toThrow('not an object');
    expect(() => replayState([JSON.stringify(header), '{"pass":1,"cutover":null,"source":"r","started":"x"}', '{"what":1}'])).toThrow('not a known record');
  });

  it('deleted ids leave both sets; a new pass starts with nothing seen', () => {
    const tracker = replayState(
      lines(
        header,
        { pass: 1, cutover: null, source: 'r', started: 'x' },
        { batch: 1, wrote: ['a', 'b', 'c'] },
        { committed: 1, seen: ['a', 'b', 'c'], checkpoint: { cursor: '0' }, complete: true },
        { done: 1, counts: {} },
        { pass: 2, cutover: T, source: 'r', started: 'y' },
        { batch: 1, wrote: ['a'] },
        { committed: 1, seen: ['a'], checkpoint: { cursor: '0' }, complete: true },
      ),
    );
    expect(deleteCandidates(tracker.state)).toEqual(['b', 'c']);
    tracker.apply({ deleted: ['b', 'c'] });
    expect([...tracker.state.committed]).toEqual(['a']);
    expect(deleteCandidates(tracker.state)).toEqual([]);
  });

  it('maybe-written ids are delete candidates too, unless seen again', () => {
    const { state } = replayState(lines(header, { pass: 1, cutover: null, source: 'r', started: 'x' }, { batch: 1, wrote: ['m', 'n'] }, { committed: 0, seen: ['n'], checkpoint: null, complete: true }));
    expect(deleteCandidates(state)).toEqual(['m']);
  });

  it('a batch a kill left unresolved is resolved by its marker: committed, or never written', () => {
    const killed = (): StateTracker =>
      replayState(
        lines(
          header,
          { pass: 1, cutover: null, source: 'r', started: 'x' },
          { batch: 1, wrote: ['a'], marker: 'm1', clears: [] },
          { committed: 1, seen: ['a'], checkpoint: 1, complete: false },
          { batch: 2, wrote: ['a', 'b'], marker: 'm2', clears: ['m1'] },
        ),
      );
    const unresolved = killed();
    expect(unresolved.unresolved()).toEqual([{ batch: 2, marker: 'm2' }]);
    expect([...unresolved.state.maybe]).toEqual(['b']);
    expect([...unresolved.state.markers]).toEqual(['m1', 'm2']);

    const committed = killed();
    committed.apply({ resolved: 2, committed: true });
    expect([...committed.state.committed]).toEqual(['a', 'b']);
    expect([...committed.state.maybe]).toEqual([]);
    expect([...committed.state.markers]).toEqual(['m2']); // its transaction deleted m1
    expect(committed.unresolved()).toEqual([]);
    expect(writeMode(committed.state, 'b', T)).toBe('update');

    const never = killed();
    never.apply({ resolved: 2, committed: false });
    expect([...never.state.committed]).toEqual(['a']);
    expect([...never.state.maybe]).toEqual([]);
    expect([...never.state.markers]).toEqual(['m1']); // still in the table
    expect(writeMode(never.state, 'b', T)).toBe('upsert');
    never.apply({ cleared: ['m1'] });
    expect([...never.state.markers]).toEqual([]);
  });

  it('a pass remembers which rows came from a private-id key, so a legacy key read after a resume still loses', () => {
    const { state } = replayState(
      lines(
        header,
        { pass: 1, cutover: null, source: 'r', started: 'x' },
        { batch: 1, wrote: ['a', 'b'], marker: 'm1' },
        { committed: 1, seen: ['a', 'b'], checkpoint: 1, complete: false, legacy: ['b'] },
        { batch: 2, wrote: ['b', 'c'], marker: 'm2' },
        { committed: 2, seen: ['b', 'c'], checkpoint: 2, complete: false },
        { batch: 3, wrote: ['d'], marker: 'm3' },
      ),
    );
    // b: legacy first, then its private key; d: not committed yet.
    expect([...state.pass!.fromPrivateKey].sort()).toEqual(['a', 'b', 'c']);
    const next = replayState(lines(header, { pass: 1, cutover: null, source: 'r', started: 'x' }, { pass: 2, cutover: T, source: 'r', started: 'y' })).state;
    expect([...next.pass!.fromPrivateKey]).toEqual([]);
  });

  it('a commit line for an earlier batch number promotes only that batch', () => {
    const tracker = new StateTracker();
    for (const line of [header, { pass: 1, cutover: null, source: 'r', started: 'x' }, { batch: 1, wrote: ['a'] }, { batch: 2, wrote: ['b'] }, { committed: 1, seen: ['a'], checkpoint: 1, complete: false }] as StateLine[]) tracker.apply(line);
    expect([...tracker.state.committed]).toEqual(['a']);
    expect([...tracker.state.maybe]).toEqual(['b']);
  });
});

describe('migrate state: what a run does', () => {
  const base = (cutover: number | null, done: boolean) =>
    replayState(lines(header, { pass: 1, cutover, source: 'redis://r/0 session:*', started: 'x' }, ...(done ? [{ done: 1, counts: {} }] : []))).state;

  it('starts pass 1 on a new journal, and the next pass after a finished one', () => {
    expect(planRun(new StateTracker().state, { target: 't', source: 's', cutover: null })).toEqual({ action: 'start', number: 1 });
    expect(planRun(base(null, true), { target: header.target, source: 'other', cutover: T })).toEqual({ action: 'start', number: 2 });
  });

  it('resumes an unfinished pass with the same source and cutover', () => {
    expect(planRun(base(T, false), { target: header.target, source: 'redis://r/0 session:*', cutover: T })).toMatchObject({ action: 'resume', pass: { number: 1 } });
  });

  it('refuses another target, or an unfinished pass with another cutover or source', () => {
    expect(() => planRun(base(null, true), { target: 'postgres://x/y sessions', source: 's', cutover: null })).toThrow('the state file is for sqlite:db.sqlite3 sessions');
    expect(() => planRun(base(T, false), { target: header.target, source: 'redis://r/0 session:*', cutover: T + 1 })).toThrow('unfinished with --cutover 1705320000');
    expect(() => planRun(base(T, false), { target: header.target, source: 'redis://r/0 session:*', cutover: null })).toThrow('unfinished with --cutover');
    expect(() => planRun(base(null, false), { target: header.target, source: 'elsewhere', cutover: null })).toThrow('reading redis://r/0 session:*');
  });

  it('a delta pass may follow an unfinished pass 1 (finishing it without the rules could overwrite app rows)', () => {
    expect(planRun(base(null, false), { target: header.target, source: 'redis://r/0 session:*', cutover: T })).toEqual({ action: 'start', number: 2 });
  });

  it('in a delta pass a row we wrote is only updated, so a row the app deleted is not brought back', () => {
    const { state } = replayState(lines(header, { pass: 1, cutover: null, source: 'r', started: 'x' }, { batch: 1, wrote: ['a', 'm'] }, { committed: 1, seen: ['a'], checkpoint: 1, complete: false }, { batch: 2, wrote: ['m2'] }));
    expect(writeMode(state, 'a', T)).toBe('update');
    expect(writeMode(state, 'a', null)).toBe('upsert');
    expect(writeMode(state, 'new', T)).toBe('upsert');
    // Maybe written, and no marker to tell (an older journal): counted as written, so a logout stays a logout.
    expect(writeMode(state, 'm2', T)).toBe('update');
  });
});

describe('migrate times', () => {
  it('--cutover: epoch seconds (with a fraction) or ISO 8601 with a zone', () => {
    expect(parseCutover('1705320000')).toBe(T);
    expect(parseCutover('1705320000.25')).toBe(T + 250_000);
    expect(parseCutover('2024-01-15T12:00:00Z')).toBe(T);
    expect(parseCutover('2024-01-15 13:00:00.000001+01:00')).toBe(T + 1);
    expect(parseCutover('2024-01-15T07:00:00-0500')).toBe(T);
    for (const bad of ['2024-01-15T12:00:00', 'yesterday', '', '1e9', '-5', '2024-13-45T00:00:00Z', '1.1234567']) expect(parseCutover(bad), bad).toBeNull();
  });

  it('database text as ActiveRecord 6.1 quotes it: microseconds only when not 0', () => {
    expect(formatDbTime(T)).toBe('2024-01-15 12:00:00');
    expect(formatDbTime(T + 1)).toBe('2024-01-15 12:00:00.000001');
    expect(formatDbTime(T + 123_456)).toBe('2024-01-15 12:00:00.123456');
    expect(formatDbTime(0)).toBe('1970-01-01 00:00:00');
    // Text order is time order, with or without a fraction (SQLite compares these as text).
    const times = [T - 1, T, T + 1, T + 999_999, T + 1_000_000];
    const texts = times.map(formatDbTime);
    expect([...texts].sort()).toEqual(texts);
  });

  it('with --expire-after, updated_at is the last write Redis knows of: read - (expire_after - ttl)', () => {
    const readAt = T + 3600e6;
    expect(rowTimes({ readAt, pttlMs: 5400_000 - 600_000 }, { expireAfter: 5400 })).toEqual({ carry: true, updatedAt: readAt - 600e6, createdAt: readAt - 600e6, lifetime: 'kept' });
    // A TTL longer than expire_after: never dated after the read.
    expect(rowTimes({ readAt, pttlMs: 9000_000 }, { expireAfter: 5400 })).toMatchObject({ updatedAt: readAt });
  });

  it('a TTL of 0 is not carried; no TTL, no expire_after, or a dump: the lifetime restarts at the read', () => {
    expect(rowTimes({ readAt: T, pttlMs: 0 }, { expireAfter: 60 })).toEqual({ carry: false, reason: 'expired' });
    expect(rowTimes({ readAt: T, pttlMs: -1 }, { expireAfter: 60 })).toMatchObject({ updatedAt: T, lifetime: 'restarted' });
    expect(rowTimes({ readAt: T, pttlMs: 30_000 })).toMatchObject({ updatedAt: T, lifetime: 'restarted' });
    expect(rowTimes({ readAt: T, pttlMs: null }, { expireAfter: 60 })).toMatchObject({ updatedAt: T, lifetime: 'restarted' });
  });

  it('in a delta pass our rows stay before T, so they never pass for the app\'s', () => {
    expect(rowTimes({ readAt: T + 60e6, pttlMs: -1 }, { cutover: T })).toMatchObject({ updatedAt: T - 1, createdAt: T - 1 });
    expect(rowTimes({ readAt: T + 60e6, pttlMs: 5400_000 - 3600_000 }, { expireAfter: 5400, cutover: T })).toMatchObject({ updatedAt: T + 60e6 - 3600e6 });
  });
});
