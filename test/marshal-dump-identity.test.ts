// dump numbers the Strings and Hashes of this copy in the object itself (a private field, DumpIndexed) instead of in
// its identity Map. Held to the Map: a dump begun inside another (from a getter) keeps every object in the Map, so
// it writes the same value the general way.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RubyHash, RubyString, dump, isMarshalError, load, type RubyValue } from '../src/marshal/index.js';
import { restartDumpIndexes } from '../src/marshal/generate.js';
import { rubyValue } from './helpers/arbitraries.js';
import { hex, seq } from './helpers/seq.js';

/** `dump(value)` the general way: from inside another dump, which keeps every object in the Map. */
function dumpThroughMap(value: unknown): Uint8Array {
  let inner: Uint8Array | undefined;
  dump({
    get probe() {
      inner = dump(value);
      return null;
    },
  });
  return inner!;
}

/**
 * Values in which the same Strings and Hashes stand many times, at many depths: a pool of random trees, and
 * containers of pool members that join the pool, so later containers hold earlier ones.
 */
const sharedValues: fc.Arbitrary<RubyValue[]> = fc
  .tuple(fc.array(rubyValue, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 24 }))
  .map(([pool, picks]) => {
    const members: RubyValue[] = [...pool, new RubyString('shared'), new RubyHash([[new RubyString('k'), 1]])];
    const out: RubyValue[] = [];
    for (const [a, b, hash] of picks) {
      const x = members[a % members.length]!;
      const y = members[b % members.length]!;
      const container = hash ? new RubyHash([[new RubyString('k'), x], [y, x]]) : [x, y, x];
      members.push(container);
      out.push(container, x);
    }
    return out;
  });

describe('dump: Strings and Hashes numbered in the object', () => {
  it('writes what the Map writes, links included, for values that share Strings and Hashes', () => {
    fc.assert(
      fc.property(sharedValues, (value) => {
        expect(hex(dump(value))).toBe(hex(dumpThroughMap(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('does not take an earlier dump\'s numbers for its own: the same objects dumped again, alone or in part', () => {
    fc.assert(
      fc.property(sharedValues, fc.nat(), (value, cut) => {
        const expected = hex(dumpThroughMap(value));
        expect(hex(dump(value))).toBe(expected);
        expect(hex(dump(value))).toBe(expected);
        const part = value.slice(cut % (value.length + 1));
        expect(hex(dump(part))).toBe(hex(dumpThroughMap(part)));
        expect(hex(dump(value))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('takes only its own notes once the indexes have started again from 0 (older notes then stand above its base)', () => {
    fc.assert(
      fc.property(sharedValues, sharedValues, (before, after) => {
        const value = [...before, ...after];
        dump(value);
        dump(after);
        restartDumpIndexes();
        expect(hex(dump(after))).toBe(hex(dumpThroughMap(after)));
        expect(hex(dump(before))).toBe(hex(dumpThroughMap(before)));
        expect(hex(dump(value))).toBe(hex(dumpThroughMap(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('is not misled by a dump that failed half-way', () => {
    fc.assert(
      fc.property(sharedValues, (value) => {
        try {
          dump([...value, undefined]);
          expect.unreachable('undefined cannot be dumped');
        } catch (error) {
          expect(isMarshalError(error)).toBe(true);
        }
        expect(hex(dump(value))).toBe(hex(dumpThroughMap(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('links a String or Hash that stands twice, and only then, as Ruby does (frozen ones too)', () => {
    const s = new RubyString('x');
    const h = new RubyHash([[s, s]]);
    const twice = dump([s, h, h, new RubyString('x')]);
    // The Array is object 0: [ "x" (1), { (2) @1 => @1 }, @2, a new "x" (3) ]
    expect(hex(twice)).toBe(hex(seq('\x04\x08[\x09', 'I"\x06x\x06:\x06ET', '{\x06@\x06@\x06', '@\x07', 'I"\x06x\x06;\x00T')));
    Object.freeze(s);
    Object.freeze(h);
    expect(hex(dump([s, h, h, new RubyString('x')]))).toBe(hex(twice));
    const loaded = load(twice) as RubyValue[];
    expect(loaded[2]).toBe(loaded[1]);
    expect(loaded[3]).not.toBe(loaded[0]);
  });

  it('is not misled by the numbers of the dump it was begun inside (from a getter)', () => {
    const s = new RubyString('x');
    const h = new RubyHash([[s, s]]);
    const alone = hex(dump([s, h]));
    let inner: Uint8Array | undefined;
    const outer = dump({
      a: [s, h],
      get b() {
        inner = dump([s, h]);
        return [s, h];
      },
    });
    expect(hex(inner!)).toBe(alone);
    expect(hex(outer)).toBe(hex(dump({ a: [s, h], b: [s, h] })));
  });

  it('keeps the number out of sight: not enumerable, not compared, not in JSON', () => {
    const s = new RubyString('x');
    const before = { keys: Object.keys(s), symbols: Object.getOwnPropertySymbols(s), json: JSON.stringify(s) };
    dump([s, s]);
    expect({ keys: Object.keys(s), symbols: Object.getOwnPropertySymbols(s), json: JSON.stringify(s) }).toEqual(before);
    expect(s).toStrictEqual(new RubyString('x'));
  });
});
