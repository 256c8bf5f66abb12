// The fast path of toActiveRecordSession: `isCanonical` proves `dump(load(bytes))` is `bytes` without building the
// value, and the row is then the Base64 of the bytes themselves. These tests hold the fast path to the slow one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byteEdit, mutate as mutateBytes, type ByteEdit } from './helpers/byte-edits.js';
import { isCanonical } from '../src/marshal/canonical-scan.js';
import { RubyHash, RubyString, dump, load, type RubyValue } from '../src/marshal/index.js';
import { decodeRedisSession, isSessionError, toActiveRecordSession } from '../src/index.js';
import { encode64, encode64Portable } from '../src/stores/base64.js';
import { rubyValue } from './helpers/arbitraries.js';
import { marshalFixtures } from './helpers/fixtures.js';
import { plainTree, treeToJs } from './helpers/plain-arbitraries.js';
import { hex, seq } from './helpers/seq.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const KEY = 'session:2::1f0e3dad99908345f7439f8ffabdffc4b1bd3a5e7d5f1f4b2a5a8e1c4a6d2b7c';

/** What `dump(load(bytes))` writes, or undefined when `load` throws. */
function redump(bytes: Uint8Array): string | undefined {
  let value: RubyValue;
  try {
    value = load(bytes);
  } catch {
    return undefined;
  }
  return hex(dump(value));
}

/** The fast path may only say yes where the slow path gives the same bytes back. */
function expectSound(bytes: Uint8Array): boolean {
  const canonical = isCanonical(bytes);
  if (canonical) expect(redump(bytes)).toBe(hex(bytes));
  return canonical;
}

/** The row the slow path writes (load, dump, the portable Base64), or the error code it fails with. */
/** For each maxDepth from 1 to `deepest`: the scan says canonical exactly where `load` reads the bytes. */
function expectCanonicalWhereLoads(bytes: Uint8Array, deepest: number): void {
  for (let maxDepth = 1; maxDepth <= deepest; maxDepth++) {
    let loads = true;
    try {
      load(bytes, { maxDepth });
    } catch {
      loads = false;
    }
    expect(isCanonical(bytes, maxDepth), `maxDepth ${maxDepth}`).toBe(loads);
  }
}

function slowRow(key: string, value: Uint8Array): { session_id: string; data: string } | { code: string } {
  try {
    const decoded = decodeRedisSession(key, value);
    return { session_id: decoded.key.privateId, data: encode64Portable(dump(decoded.session)) };
  } catch (error) {
    if (isSessionError(error)) return { code: error.code };
    throw error;
  }
}

function row(key: string, value: Uint8Array): { session_id: string; data: string } | { code: string } {
  try {
    return toActiveRecordSession({ key, value });
  } catch (error) {
    if (isSessionError(error)) return { code: error.code };
    throw error;
  }
}

const sessionHash: fc.Arbitrary<RubyHash> = fc
  .uniqueArray(fc.tuple(fc.string({ maxLength: 12 }), rubyValue), { maxLength: 6, selector: ([key]) => key })
  .map((entries) => new RubyHash(entries.map(([key, value]): [RubyValue, RubyValue] => [new RubyString(key), value])));

// Edits keep the 04 08 header most of the time, so that they reach the value.
const edit = byteEdit;
const mutate = (bytes: Uint8Array, edits: ByteEdit[]): Uint8Array => mutateBytes(bytes, edits, 2);

// `{"k" => <value>}` around a value's bytes (after its 04 08 header), as a store writes a session.
const sessionOf = (...value: Array<string | number | number[]>) => seq('\x04\x08{\x06I"\x06k\x06:\x06ET', ...value);

/** Payloads that load, but that `dump` writes differently: each must be refused by the scan. */
const NON_CANONICAL: Array<[string, Uint8Array]> = [
  ['an Integer in a longer long than needed', sessionOf('i', 0x01, 0x07)],
  ['an Integer in two bytes where one does', sessionOf('i', 0x02, 0x7b, 0x00)],
  ['an Integer in three bytes where two do', sessionOf('i', 0x03, 0x00, 0x01, 0x00)],
  ['an Integer in three bytes where two do, in an Array', sessionOf('[\x07i', 0x03, 0xff, 0xff, 0x00, 'i\x06')],
  ['0 written as 0x05', sessionOf('i', 0x05)],
  ['-1 written in two bytes', sessionOf('i', 0xfe, 0xff, 0xff)],
  ['a 1-byte positive long below 123', sessionOf('i', 0x01, 0x10)],
  ['a 1-byte negative long above -124', sessionOf('i', 0xff, 0xf0)],
  ['a Hash size in a longer long', seq('\x04\x08{', 0x01, 0x01, 'I"\x06k\x06:\x06ETi\x06')],
  ['a String length in a longer long', sessionOf('I"', 0x01, 0x01, 'a\x06;\x00T')],
  ['a symbol written out again', sessionOf('I"\x06a\x06:\x06ET')],
  ['a symbol written out again as a value', sessionOf('[\x07:\x06a:\x06a')],
  ['an ASCII symbol with an encoding ivar', sessionOf('I:\x06a\x06;\x00T')],
  ['a small Integer as a Bignum', sessionOf('l+\x06', 0x07, 0x00)],
  ['a Fixnum-range Bignum of two words', sessionOf('l+\x07', 0x00, 0x00, 0x00, 0x20)],
  ['a Bignum with a zero top word', sessionOf('l+\x08', 0x00, 0x00, 0x00, 0x40, 0x00, 0x00)],
  ['2**30 as an i', sessionOf('i', 0x04, 0x00, 0x00, 0x00, 0x40)],
  ['a link to a Bignum', sessionOf('[\x07l+\x07', 0x00, 0x00, 0x00, 0x40, '@\x08')],
  ['an equal flonum written twice', sessionOf('[\x07f\x081.5f\x081.5')],
  ['Marshal 4.7', seq('\x04\x07{\x06I"\x06k\x06:\x06ETi\x06')],
  ['a byte after the value', seq('\x04\x08{\x06I"\x06k\x06:\x06ETi\x06', 0x00)],
  ['a negative zero Bignum', sessionOf('l-\x07', 0x00, 0x00, 0x00, 0x00)],
];

describe('isCanonical', () => {
  it('accepts every bare-Marshal store fixture, and only where dump(load(bytes)) is the bytes', () => {
    const bare = storeFixtures().filter((f) => f.value[0] === 0x04);
    expect(bare.length).toBeGreaterThan(40);
    for (const f of bare) expect(expectSound(f.value), f.name).toBe(true);
    for (const f of storeFixtures()) expectSound(fromHexOrEmpty(f.session_marshal_hex));
  });

  it('on every Marshal fixture, says yes only where dump(load(bytes)) is the bytes, and yes to every session', () => {
    let accepted = 0;
    for (const f of marshalFixtures()) {
      if (expectSound(f.bytes)) accepted++;
      if (f.name.startsWith('session/')) expect(isCanonical(f.bytes), f.name).toBe(true);
    }
    expect(accepted).toBeGreaterThan(150);
  });

  it('accepts what dump writes for plain JS values', () => {
    fc.assert(
      fc.property(plainTree, (tree) => {
        expect(expectSound(dump(treeToJs(tree)))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('says yes only where dump(load(bytes)) is the bytes, on any lossless value', () => {
    fc.assert(
      fc.property(rubyValue, (value) => {
        expectSound(dump(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('says yes only where dump(load(bytes)) is the bytes, on mutated payloads', () => {
    const seeds = [...storeFixtures().filter((f) => f.value[0] === 0x04).map((f) => f.value), ...marshalFixtures().map((f) => f.bytes)];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...seeds), sessionHash.map((h) => dump(h))), fc.array(edit, { minLength: 1, maxLength: 3 }), (bytes, edits) => {
        expectSound(mutate(bytes, edits));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(NON_CANONICAL)('refuses %s (which loads, and dumps differently)', (_name, bytes) => {
    const again = redump(bytes);
    expect(again).toBeDefined();
    expect(again).not.toBe(hex(bytes));
    expect(isCanonical(bytes)).toBe(false);
  });

  it('refuses links to a symbol still being read, and nesting past maxDepth', () => {
    expect(isCanonical(seq('\x04\x08I:\x07\xc3\xa9\x06;\x00T'))).toBe(false);
    const deep = seq('\x04\x08', ...Array<string>(1100).fill('[\x06'), '0');
    expect(isCanonical(deep)).toBe(false);
    expect(isCanonical(seq('\x04\x08', ...Array<string>(1000).fill('[\x06'), '0'))).toBe(true);
    // The same depth count as load: five Arrays and the nil inside them are six levels.
    const five = seq('\x04\x08', ...Array<string>(5).fill('[\x06'), '0');
    for (const maxDepth of [4, 5, 6, 7]) expect(isCanonical(five, maxDepth)).toBe(maxDepth >= 6);
    expect(() => load(five, { maxDepth: 5 })).toThrow(/depth_exceeded/);
    expect(() => load(five, { maxDepth: 6 })).not.toThrow();
  });

  it('counts the depth of a String with its linked :E as load does, at every maxDepth', () => {
    // [ "a" (writes :E), [[[ "b" (links ;0) ]]] ]: the linked flag sits one level below the String.
    const bytes = seq('\x04\x08[\x07I"\x06a\x06:\x06ET', '[\x06[\x06[\x06I"\x06b\x06;\x00F');
    expect(redump(bytes)).toBe(hex(bytes));
    expectCanonicalWhereLoads(bytes, 9);
  });

  it('reads runs of small values (one-byte Integers and links, nil, booleans, short Strings) as load does, at every maxDepth', () => {
    // The kinds the scan reads in a run without a call, mixed with the ones that end a run, nested, and Strings
    // around the one-byte length limit (122 bytes) and the first `:E`.
    const flat = fc.oneof(
      fc.integer({ min: -200, max: 200 }),
      // Two- and three-byte longs, and the edges of each length.
      fc.integer({ min: -(2 ** 25), max: 2 ** 25 }),
      fc.constantFrom(null, true, false, 2 ** 30, -(2 ** 30) - 1, 2 ** 40, 255, 256, 65535, 65536, 2 ** 24 - 1, 2 ** 24, -256, -257, -65536, -65537),
      fc.string({ maxLength: 3 }).map((s) => new RubyString(s)),
      fc.integer({ min: 118, max: 126 }).map((n) => new RubyString('x'.repeat(n))),
      fc.constant(new RubyString('\u00e9')),
    );
    const nested: fc.Arbitrary<RubyValue> = fc.letrec<{ value: RubyValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        flat,
        fc.array(tie('value'), { maxLength: 6 }),
        fc.array(fc.tuple(flat, tie('value')), { maxLength: 4 }).map((pairs) => new RubyHash(pairs)),
      ),
    })).value;
    fc.assert(
      fc.property(fc.array(nested, { maxLength: 5 }), fc.integer({ min: 0, max: 6 }), (items, reuse) => {
        // Shared values: the second occurrence is written as an `@` link.
        const shared = items[reuse % Math.max(items.length, 1)];
        const bytes = dump(shared === undefined ? items : [...items, shared]);
        expect(expectSound(bytes)).toBe(true);
        expectCanonicalWhereLoads(bytes, 7);
      }),
      { numRuns: 600 },
    );
  });

  it('refuses a link to any of many Bignums, and accepts links to the objects between them', () => {
    /** `w_long` for 0..65535. */
    const long = (n: number): number[] => (n === 0 ? [0] : n < 123 ? [n + 5] : n < 256 ? [1, n] : [2, n & 0xff, n >> 8]);
    // 300 pairs of a String and a Bignum inside the Array #0: Strings are the odd objects, Bignums the even ones,
    // up to #600, so the table of Bignum slots grows several times.
    const pairs = Array.from({ length: 300 }, () => ['"\x06a', 'l+\x07', 0x00, 0x00, 0x00, 0x40]).flat();
    const withLinks = (...targets: number[]) => seq('\x04\x08[', long(600 + targets.length), ...pairs, ...targets.flatMap((t) => ['@', ...long(t)]));
    expect(expectSound(withLinks(1, 63, 129, 599))).toBe(true);
    for (const slot of [2, 64, 128, 400, 600]) {
      const bytes = withLinks(1, slot);
      expect(redump(bytes)).not.toBe(hex(bytes));
      expect(isCanonical(bytes)).toBe(false);
    }
  });

  it('leaves to the slow path what it does not need to prove (the rows are the same either way)', () => {
    // Canonical, but rare in sessions: a String with a non-boolean E ivar, a named encoding, a Regexp, a Struct.
    for (const bytes of [sessionOf('I"\x06a\x06;\x000'), sessionOf('I"\x06a\x06:\rencoding"\x0eShift_JIS'), sessionOf('I/\x06a\x00\x06;\x00F')]) {
      expect(redump(bytes)).toBe(hex(bytes));
      expect(isCanonical(bytes)).toBe(false);
      expect(row(KEY, bytes)).toStrictEqual(slowRow(KEY, bytes));
    }
  });

  it('never throws on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        expectSound(Uint8Array.from([4, 8, ...tail]));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('toActiveRecordSession: the fast path gives the slow path row, byte for byte', () => {
  it('on every store fixture (bare, cache entries compressed or not, JSON)', () => {
    for (const f of storeFixtures()) {
      expect(row(f.key, f.value), f.name).toStrictEqual(slowRow(f.key, f.value));
      if (typeof f.ar_data.marshal === 'string') expect((row(f.key, f.value) as { data: string }).data, f.name).toBe(f.ar_data.marshal);
    }
  });

  it('on random sessions', () => {
    fc.assert(
      fc.property(sessionHash, (hash) => {
        const value = dump(hash);
        expect(row(KEY, value)).toStrictEqual(slowRow(KEY, value));
      }),
      { numRuns: 500 },
    );
  });

  it('on mutated canonical sessions', () => {
    fc.assert(
      fc.property(sessionHash, fc.array(edit, { minLength: 1, maxLength: 3 }), (hash, edits) => {
        const value = mutate(dump(hash), edits);
        expect(row(KEY, value)).toStrictEqual(slowRow(KEY, value));
      }),
      { numRuns: 1500 },
    );
  });

  it.each(NON_CANONICAL)('on a non-canonical session: %s', (_name, bytes) => {
    expect(row(KEY, bytes)).toStrictEqual(slowRow(KEY, bytes));
  });
});

describe('encode64', () => {
  it('native and portable give the same text, which is Ruby pack("m")', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = encode64(bytes);
        expect(text).toBe(encode64Portable(bytes));
        const lines = text.split('\n');
        expect(lines.pop()).toBe('');
        for (const line of lines.slice(0, -1)) expect(line).toHaveLength(60);
      }),
      { numRuns: 1000 },
    );
    expect(encode64(new Uint8Array(0))).toBe('');
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 0xff);
    expect(encode64(big)).toBe(encode64Portable(big));
    expect(encode64(big.subarray(3, 50_003))).toBe(encode64Portable(big.subarray(3, 50_003)));
  });
});

function fromHexOrEmpty(text: string | undefined): Uint8Array {
  return typeof text === 'string' ? Uint8Array.from(Buffer.from(text, 'hex')) : new Uint8Array(0);
}
