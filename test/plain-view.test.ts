import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PlainError,
  RubyHash,
  RubyRational,
  RubyString,
  RubySymbol,
  RubyTime,
  rubyTimeFromEpoch,
  dump,
  fromPlain,
  load,
  rubyInspect,
  toPlain,
  type PlainLoss,
} from '../src/index.js';
import { fixture } from './helpers/fixtures.js';
import { hasRuby, RubyPeer } from './helpers/ruby.js';
import { plainTree, treeToJs } from './helpers/plain-arbitraries.js';
import { hex } from './helpers/seq.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const value = (name: string) => load(fixture(name).bytes);

describe('toPlain', () => {
  it('turns a Devise session into ordinary JS', () => {
    const plain = toPlain(value('session/devise-user')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(plain)).toBe(null);
    expect(plain['warden.user.user.key']).toEqual([[12345], '$2a$12$abcdefghijklmnopqrstuv']);
    expect(plain['warden.user.user.session']).toEqual(Object.assign(Object.create(null), { last_request_at: 1700000000 }));
    expect(typeof plain._csrf_token).toBe('string');
  });

  it('keeps integers past 2^53 exact', () => {
    expect(toPlain(value('integer/2^53+1'))).toBe(2n ** 53n + 1n);
  });

  it('gives a Date for a Time, and reports the digits a Date cannot keep', () => {
    expect(toPlain(value('time/utc'))).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(() => toPlain(value('time/utc-nsec'))).toThrow(PlainError);
    expect(() => toPlain(value('time/utc-nsec'))).toThrow(/loss: .*below the millisecond/);
    const losses: PlainLoss[] = [];
    const date = toPlain(value('time/in-hash-with-strings'), { onLoss: (loss) => losses.push(loss) });
    expect(date).toBeDefined();
    expect(toPlain(value('time/utc-nsec'), { times: 'iso' })).toBe('2023-11-14T22:13:20.123456789Z');
    expect(toPlain(value('time/utc-nsec'), { onLoss: 'ignore' })).toEqual(new Date('2023-11-14T22:13:20.123Z'));
  });

  it('names the path of a loss', () => {
    const session = fromPlain({ user: { seen_at: rubyTimeFromEpoch(1700000000, 123456789) } });
    expect(() => toPlain(session)).toThrow(/\(path \["user"\]\["seen_at"\]\)/);
  });

  it('uses a Map when keys are not all text, or a String and a Symbol share a name', () => {
    const mixed = toPlain(value('hash/mixed-key-types'));
    expect(mixed).toBeInstanceOf(Map);
    const both = load(dump(new Map<unknown, unknown>([['a', 1], [new RubySymbol('a'), 2]])));
    const map = toPlain(both) as Map<unknown, unknown>;
    expect(map.get('a')).toBe(1);
    expect([...map.keys()][1]).toBeInstanceOf(RubySymbol);
  });

  it('keeps shared objects shared and cycles cyclic, without copying', () => {
    const shared = toPlain(load(fixture('session/shared-subobjects').bytes)) as Record<string, unknown>;
    expect(shared.billing).toBe(shared.shipping);
    const array = toPlain(value('array/self-reference')) as unknown[];
    expect(array[0]).toBe(array);
    // A DAG whose tree form has 2^40 leaves converts in linear time.
    let node: unknown = ['leaf'];
    for (let i = 0; i < 40; i++) node = [node, node];
    const plain = toPlain(load(dump(node))) as unknown[];
    expect(plain[0]).toBe(plain[1]);
  });

  it('reports what a plain value cannot hold: Hash defaults, invalid UTF-8', () => {
    expect(() => toPlain(value('hash/default-zero'))).toThrow(/loss: the default value of a Hash/);
    expect(() => toPlain(value('string/invalid-utf8'))).toThrow(/loss: a UTF-8 String whose bytes are not valid UTF-8/);
    expect(toPlain(value('string/binary-high-bytes'))).toBeInstanceOf(Uint8Array);
  });

  it('keeps BigDecimals exact and Rationals as they are', () => {
    expect(toPlain(load(fixture('bigdecimal/20-digits').bytes))).toBe('12345678901234567890.5');
    expect(() => toPlain(load(fixture('bigdecimal/20-digits').bytes), { decimals: 'number' })).toThrow(/loss: a BigDecimal/);
    expect(toPlain(load(fixture('bigdecimal/1.5').bytes), { decimals: 'number' })).toBe(1.5);
    expect(toPlain(value('rational/1-3'))).toBeInstanceOf(RubyRational);
  });

  it('turns every real store session into plain JS, or says exactly what would be lost', () => {
    for (const f of storeFixtures()) {
      const session = load(new Uint8Array(Buffer.from(f.session_marshal_hex, 'hex')));
      const losses: PlainLoss[] = [];
      const plain = toPlain(session, { onLoss: (loss) => losses.push(loss) });
      expect(plain).not.toBeNull();
      for (const loss of losses) expect(loss.path.startsWith('[')).toBe(true);
    }
  });
});

describe('deep values built in JS', () => {
  it('stop with depth_exceeded instead of overflowing the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => fromPlain(deep)).toThrow(/depth_exceeded/);
    expect(() => toPlain(deep)).toThrow(/depth_exceeded/);
    expect(rubyInspect(deep).endsWith('…' + ']'.repeat(1024))).toBe(true);
  });
});

describe('fromPlain', () => {
  it('writes what Ruby writes for the same values', () => {
    // Ruby: Marshal.dump({"user_id" => 7, "flash" => {"discard" => [], "flashes" => {"notice" => "Hi"}}, "seen" => [1.5, 1.5]})
    expect(hex(dump(fromPlain({ user_id: 7, flash: { discard: [], flashes: { notice: 'Hi' } }, seen: [1.5, 1.5] })))).toBe(
      '04087b0849220c757365725f6964063a064554690c49220a666c617368063b00547b0749220c64697363617264063b00545b0049220c666c6173686573063b00547b0649220b6e6f74696365063b00544922074869063b00544922097365656e063b00545b076608312e354011',
    );
  });

  it('makes a UTC Time from a Date, and refuses what Ruby has no value for, naming the path', () => {
    const time = fromPlain(new Date('2024-01-02T03:04:05.678Z')) as RubyTime;
    expect(time).toBeInstanceOf(RubyTime);
    expect(time.toISOString(3)).toBe('2024-01-02T03:04:05.678Z');
    expect(() => fromPlain({ a: [1, undefined] })).toThrow(/unsupported_value: a undefined has no Ruby value \(path \["a"\]\[1\]\)/);
    expect(() => fromPlain({ f: () => 1 })).toThrow(PlainError);
  });

  it('keys set through a Symbol can be US-ASCII, as Rails stores them', () => {
    const hash = fromPlain({ user_id: 1 }, { keyEncoding: 'US-ASCII' }) as RubyHash;
    expect((hash.entries[0]![0] as RubyString).encoding).toBe('US-ASCII');
  });

  it('round-trips plain values: fromPlain -> toPlain gives them back', () => {
    fc.assert(
      fc.property(plainTree, (tree) => {
        const js = treeToJs(tree);
        const back = toPlain(fromPlain(js), { onLoss: 'ignore' });
        expect(normalize(back)).toEqual(normalize(js));
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!hasRuby)('fromPlain against live Ruby (skipped when ruby is not on PATH)', () => {
  it('gives the bytes Ruby dumps for the same plain values', async () => {
    const ruby = new RubyPeer();
    try {
      await fc.assert(
        fc.asyncProperty(plainTree, async (tree) => {
          const expected = await ruby.request<{ hex: string }>({ op: 'dump', tree });
          expect(hex(dump(fromPlain(treeToJs(tree))))).toBe(expected.hex);
        }),
        { numRuns: 200 },
      );
    } finally {
      ruby.close();
    }
  });
});

/** Plain values compared by content: null-prototype objects as objects, symbols and binary strings by text. */
function normalize(value: unknown): unknown {
  // toPlain gives a Symbol's name, and keys a Hash by text unless two keys share it.
  if (value instanceof RubySymbol) return value.name;
  // An ASCII-only binary String reads as text in the plain view.
  if (value instanceof Uint8Array) return value.every((b) => b < 0x80) ? String.fromCharCode(...value) : { bytes: [...value] };
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Map) {
    const names = [...value.keys()].map((k) => (typeof k === 'string' ? k : k instanceof RubySymbol ? k.name : undefined));
    const textKeys = names.every((n) => n !== undefined) && new Set(names).size === names.length;
    if (textKeys) return { object: sortByKey([...value].map(([k, v]) => [normalize(k) as string, normalize(v)])) };
    return { map: [...value].map(([k, v]) => [k instanceof RubySymbol ? `:${k.name}` : normalize(k), normalize(v)]) };
  }
  // A JS object lists integer-like keys first whatever the Hash order: compared as a set of entries.
  if (value !== null && typeof value === 'object') return { object: sortByKey(Object.entries(value).map(([k, v]) => [k, normalize(v)])) };
  return value;
}

function sortByKey(entries: Array<[string, unknown]>): Array<[string, unknown]> {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
