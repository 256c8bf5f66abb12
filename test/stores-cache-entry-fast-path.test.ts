// The fast path of toActiveRecordSession for uncompressed 6.1 cache entries: the session is cut out of the entry's
// bytes (links renumbered) instead of loading the entry and dumping its value. These tests hold it to the slow path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byteEdit, mutate as mutateBytes, type ByteEdit } from './helpers/byte-edits.js';
import { isCanonical, scanCanonicalParts } from '../src/marshal/canonical-scan.js';
import { RubyFloat, RubyHash, RubyObject, RubyString, RubySymbol, dump, load, type RubyValue } from '../src/marshal/index.js';
import { decodeRedisSession, isSessionError, toActiveRecordSession } from '../src/index.js';
import { cutEntry61, decodeEntry61, encodeEntry61, readEntry61 } from '../src/stores/rails-cache.js';
import { encode64Portable } from '../src/stores/base64.js';
import { rubyValue } from './helpers/arbitraries.js';
import { marshalFixtures } from './helpers/fixtures.js';
import { hex, seq } from './helpers/seq.js';
import { cacheVectors, storeFixtures } from './helpers/store-fixtures.js';

const KEY = '_session_id:2::1f0e3dad99908345f7439f8ffabdffc4b1bd3a5e7d5f1f4b2a5a8e1c4a6d2b7c';
const ENTRY = 'ActiveSupport::Cache::Entry';

type Row = { session_id: string; data: string } | { code: string };

/** The row the slow path writes (load the entry, dump its session, the portable Base64), or its error code. */
function slowRow(key: string, value: Uint8Array, format: 'auto' | 'cache-6.1' = 'auto'): Row {
  try {
    const decoded = decodeRedisSession(key, value, { format });
    return { session_id: decoded.key.privateId, data: encode64Portable(dump(decoded.session)) };
  } catch (error) {
    if (isSessionError(error)) return { code: error.code };
    throw error;
  }
}

function row(key: string, value: Uint8Array, format: 'auto' | 'cache-6.1' = 'auto'): Row {
  try {
    return toActiveRecordSession({ key, value }, { format });
  } catch (error) {
    if (isSessionError(error)) return { code: error.code };
    throw error;
  }
}

/**
 * Where `cutEntry61` answers, it must answer what the slow path reads: the session's `dump`, the same expiry and
 * version. Returns whether it answered.
 */
function expectSoundCut(bytes: Uint8Array): boolean {
  let cut: ReturnType<typeof cutEntry61>;
  try {
    cut = cutEntry61(bytes);
  } catch (error) {
    // Only inflating can fail, and readEntry61 then fails the same way.
    if (!isSessionError(error)) throw error;
    expect(error.code).toBe('decompression_failed');
    expect(() => readEntry61(bytes)).toThrow(expect.objectContaining({ code: error.code, message: error.message }));
    expect(row(KEY, bytes, 'cache-6.1')).toStrictEqual(slowRow(KEY, bytes, 'cache-6.1'));
    return true;
  }
  if (cut === undefined) return false;
  const entry = readEntry61(bytes);
  expect(cut.value).toBeUndefined();
  expect(cut.expiresAt).toBe(entry.expiresAt);
  expect(cut.version).toStrictEqual(entry.version);
  expect(cut.compressed).toBe(entry.compressed);
  if (entry.compressed) {
    // Inflated from the entry's bytes in place: the bytes readEntry61 inflates, not yet known to be canonical.
    expect(hex(cut.payload!)).toBe(hex(entry.payload!));
    expect(cut.canonical).not.toBe(true);
  } else {
    expect(hex(cut.payload!)).toBe(hex(dump(decodeEntry61(bytes).value)));
    expect(cut.canonical).toBe(true);
  }
  expect(row(KEY, bytes, 'cache-6.1')).toStrictEqual(slowRow(KEY, bytes, 'cache-6.1'));
  return true;
}

const sessionHash: fc.Arbitrary<RubyHash> = fc
  .uniqueArray(fc.tuple(fc.string({ maxLength: 12 }), rubyValue), { maxLength: 6, selector: ([key]) => key })
  .map((entries) => new RubyHash(entries.map(([key, value]): [RubyValue, RubyValue] => [new RubyString(key), value])));

const expiry = fc.option(fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.double({ noNaN: true }), fc.constantFrom(0, 1.7e9, 120)), { nil: null });

/** An uncompressed 6.1 entry of `session` as Rails 7's Entry writes it. */
function entryOf(session: RubyValue, expiresAt: number | null = null, version: string | null = null): Uint8Array {
  return encodeEntry61(session, { compress: false, expiresAt, version });
}

/** A hand-made Entry with the given ivars, in order, as an older or odder writer could have written it. */
function entryWith(ivars: Array<[string, RubyValue]>): Uint8Array {
  return dump(new RubyObject(new RubySymbol(ENTRY), ivars.map(([name, value]): [RubySymbol, RubyValue] => [new RubySymbol(name), value])));
}

// Edits after the entry's class name (byte 32 on), so that most reach its ivars and the session.
const edit = byteEdit;
const mutate = (bytes: Uint8Array, edits: ByteEdit[]): Uint8Array => mutateBytes(bytes, edits, 32);

describe('cutEntry61: a 6.1 entry session cut out of the entry is what dump writes for it', () => {
  it('on every 6.1 store fixture and cache vector, taking the fast path for each one without a version, compressed or not', () => {
    let cut = 0;
    const entries = [
      ...storeFixtures().map((f) => f.value),
      ...cacheVectors()
        .filter((v) => v.format === '6.1')
        .map((v) => Uint8Array.from(Buffer.from(v.bytes_b64, 'base64'))),
    ].filter((bytes) => bytes[2] === 0x6f);
    expect(entries.length).toBeGreaterThan(4);
    for (const bytes of entries) {
      const entry = decodeEntry61(bytes);
      const answered = expectSoundCut(bytes);
      if (entry.version === null && entry.value instanceof RubyHash) expect(answered, hex(bytes)).toBe(true);
      if (answered) cut++;
      expect(row(KEY, bytes)).toStrictEqual(slowRow(KEY, bytes));
    }
    expect(cut).toBeGreaterThan(0);
  });

  it('on random sessions, with random expiries and versions (the fast path for each one without a version)', () => {
    fc.assert(
      fc.property(sessionHash, expiry, fc.option(fc.string({ maxLength: 8 }), { nil: null }), (session, expiresAt, version) => {
        const bytes = entryOf(session, expiresAt, version);
        const canonical = isCanonical(dump(session));
        const answered = expectSoundCut(bytes);
        expect(row(KEY, bytes)).toStrictEqual(slowRow(KEY, bytes));
        // Without a version, only a link from the session into the entry (a symbol such as :@value, a Float
        // equal to a later time) sends it to the slow path.
        // (Rails 7 writes @created_at 0.0: an expiry of 0.0 links to it, which the cut leaves to the slow path.)
        if (version === null && expiresAt !== 0 && canonical && !hex(dump(session)).includes(hex(seq('@value')))) {
          const flonumTimes = [0, expiresAt].filter((t): t is number => t !== null);
          if (!flonumTimes.some((t) => hex(dump(session)).includes(hex(dump(new RubyFloat(t)).subarray(2))))) expect(answered).toBe(true);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('on mutated entries', () => {
    const seeds = [
      ...storeFixtures()
        .map((f) => f.value)
        .filter((bytes) => bytes[2] === 0x6f),
      entryOf(new RubyHash([[new RubyString('a'), new RubyHash([[new RubySymbol('b'), [1, new RubyString('x')]]])]]), 1.7e9),
    ];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...seeds), sessionHash.map((h) => entryOf(h, 120))), fc.array(edit, { minLength: 1, maxLength: 3 }), (bytes, edits) => {
        const mutated = mutate(bytes, edits);
        expectSoundCut(mutated);
        expect(row(KEY, mutated, 'cache-6.1')).toStrictEqual(slowRow(KEY, mutated, 'cache-6.1'));
      }),
      { numRuns: 2000 },
    );
  });

  it('renumbers symbol and object links from the session start, whatever comes before it in the entry', () => {
    const shared = [new RubyString('x'), 2];
    const session = new RubyHash([
      [new RubyString('a'), shared],
      [new RubyString('b'), shared],
      [new RubySymbol('k'), new RubySymbol('k')],
    ]);
    const own = dump(session);
    expect(hex(own)).toContain(hex(seq('@', 0x07))); // the second `shared` links the Array (#2 in its own dump)
    // @value last: three ivar names, the class name and two Float objects come before the session.
    for (const bytes of [
      entryWith([
        ['@created_at', new RubyFloat(1.5)],
        ['@expires_in', new RubyFloat(2.5)],
        ['@value', session],
      ]),
      entryOf(session, 1.7e9),
      entryWith([
        ['@v', session],
        ['@x', new RubyFloat(10.5)],
      ]),
    ]) {
      const cut = cutEntry61(bytes);
      expect(cut, hex(bytes)).toBeDefined();
      expect(hex(cut!.payload!)).toBe(hex(own));
      expect(expectSoundCut(bytes)).toBe(true);
    }
    // A link of two bytes (index 123..255) keeps two bytes once renumbered from the session; one that would shrink
    // to one byte (123 or 124 in the entry, 121 or 122 in the session's own dump) is left to the slow path.
    const linking = (target: number) =>
      new RubyHash([
        ...Array.from({ length: 150 }, (_, i): [RubyValue, RubyValue] => [new RubySymbol(`s${i}`), i]),
        [new RubySymbol('again'), new RubySymbol(`s${target}`)],
      ]);
    const twoBytes = entryOf(linking(140));
    expect(hex(dump(linking(140)))).toContain(hex(seq(';', 0x01, 140)));
    expect(hex(twoBytes)).toContain(hex(seq(';', 0x01, 142)));
    expect(expectSoundCut(twoBytes)).toBe(true);
    const shrinking = entryOf(linking(121));
    expect(cutEntry61(shrinking)).toBeUndefined();
    expect(row(KEY, shrinking, 'cache-6.1')).toStrictEqual(slowRow(KEY, shrinking, 'cache-6.1'));
  });

  it('leaves to the slow path a session that links into the entry, a versioned entry, a compressed value that is not a bare String, and what is not a Hash', () => {
    const session = (value: RubyValue) => new RubyHash([[new RubyString('k'), value]]);
    const slow: Array<[string, Uint8Array]> = [
      ['a symbol the entry wrote first', entryWith([['@version', new RubySymbol('a')], ['@value', session(new RubySymbol('a'))]])],
      ['the :E the entry wrote first', entryWith([['@version', new RubyString('v')], ['@value', session(1)]])],
      ['the symbol :@value', entryOf(session(new RubySymbol('@value')))],
      ['a Float the entry wrote first', entryWith([['@created_at', new RubyFloat(1.5)], ['@value', session(new RubyFloat(1.5))]])],
      ['a Float equal to a later time', entryOf(session(new RubyFloat(0)), 5)],
      ['a version', entryOf(session(1), null, 'v1')],
      ['@compressed true on a Hash', entryWith([['@value', session(1)], ['@compressed', true]])],
      ['@c true on a String with an encoding', entryWith([['@v', new RubyString('x')], ['@c', true]])],
      ['a compressed value with a version', encodeEntry61(session(new RubyString('x'.repeat(3000))), { compressThreshold: 16, version: 'v1' })],
      ['an Array', entryOf([1, 2])],
      ['nil', entryWith([['@value', null]])],
      ['an ivar written twice', seq('\x04\x08o:\x20', ENTRY, '\x07:\x0b@value{\x00;\x06{\x00')],
      ['another class', dump(new RubyObject(new RubySymbol('Other'), [[new RubySymbol('@value'), session(1)]]))],
      ['a time that is not a number', entryWith([['@value', session(1)], ['@expires_in', new RubyString('1')]])],
    ];
    for (const [name, bytes] of slow) {
      expect(cutEntry61(bytes), name).toBeUndefined();
      expect(row(KEY, bytes, 'cache-6.1'), name).toStrictEqual(slowRow(KEY, bytes, 'cache-6.1'));
    }
    // `@value` nil falls back to `@v`, as readEntry61 reads it.
    const fallback = entryWith([
      ['@value', null],
      ['@v', session(2)],
    ]);
    expect(expectSoundCut(fallback)).toBe(true);
  });
});

describe('cutEntry61 on compressed entries: the value inflated from the entry bytes in place, as readEntry61 inflates it', () => {
  /** A 6.1 entry of `session`, compressed whenever it is at least `threshold` bytes and zlib makes it smaller. */
  const compressedOf = (session: RubyValue, expiresAt: number | null, threshold = 16) => encodeEntry61(session, { compressThreshold: threshold, expiresAt });

  it('on random sessions with random expiries, answering for every compressed one', () => {
    let compressed = 0;
    fc.assert(
      fc.property(sessionHash, expiry, (session, expiresAt) => {
        const bytes = compressedOf(session, expiresAt);
        const answered = expectSoundCut(bytes);
        if (readEntry61(bytes).compressed) {
          compressed++;
          // A time that links to an equal flonum is left to the slow path; a compressed value never links.
          if (expiresAt !== 0) expect(answered).toBe(true);
        }
        expect(row(KEY, bytes)).toStrictEqual(slowRow(KEY, bytes));
      }),
      { numRuns: 500 },
    );
    expect(compressed).toBeGreaterThan(100);
  });

  it('on mutated compressed entries (the zlib bytes, the entry around them)', () => {
    const big = new RubyHash([[new RubyString('recently_viewed'), Array.from({ length: 40 }, (_, i) => new RubyHash([[new RubyString('id'), i], [new RubyString('slug'), new RubyString(`item-${i}`)]]))]]);
    const seeds = [compressedOf(big, 1.7e9), compressedOf(big, null), ...storeFixtures().map((f) => f.value).filter((bytes) => bytes[2] === 0x6f && readEntry61(bytes).compressed)];
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 3 }), (bytes, edits) => {
        const mutated = mutate(bytes, edits);
        expectSoundCut(mutated);
        expect(row(KEY, mutated, 'cache-6.1')).toStrictEqual(slowRow(KEY, mutated, 'cache-6.1'));
      }),
      { numRuns: 1500 },
    );
  });

  it('inflates no further than maxInflatedBytes, with the slow path error', () => {
    const bytes = compressedOf(new RubyHash([[new RubyString('k'), new RubyString('x'.repeat(5000))]]), null);
    expect(readEntry61(bytes).compressed).toBe(true);
    expect(() => cutEntry61(bytes, 4096)).toThrow(expect.objectContaining({ code: 'decompression_failed' }));
    expect(cutEntry61(bytes, 8192)?.payload?.length).toBeGreaterThan(5000);
    for (const maxInflatedBytes of [100, 4096, 5010, 8192]) {
      const fast = (() => {
        try {
          return toActiveRecordSession({ key: KEY, value: bytes }, { maxInflatedBytes });
        } catch (error) {
          return isSessionError(error) ? { code: error.code } : error;
        }
      })();
      const slow = (() => {
        try {
          const decoded = decodeRedisSession(KEY, bytes, { maxInflatedBytes });
          return { session_id: decoded.key.privateId, data: encode64Portable(dump(decoded.session)) };
        } catch (error) {
          return isSessionError(error) ? { code: error.code } : error;
        }
      })();
      expect(fast, `maxInflatedBytes ${maxInflatedBytes}`).toStrictEqual(slow);
    }
  });
});

describe('scanCanonicalParts', () => {
  /** Each ivar value that is a payload of its own must be what `dump` writes for the value `load` reads there. */
  function expectSoundParts(bytes: Uint8Array, name: string): boolean {
    const parts = scanCanonicalParts(bytes);
    if (parts === undefined) return false;
    expect(hex(dump(load(bytes))), name).toBe(hex(bytes));
    const top = load(bytes, { rubyClasses: 'raw' }) as RubyObject;
    expect(parts.className).toBe(top.className.name);
    expect(parts.names).toStrictEqual(top.ivars.map(([key]) => key.name));
    // Names given as known come back as those strings; names of the same length that differ in a byte do not match.
    const nearMisses = [parts.className, ...parts.names].map((n) => `${n.slice(0, -1)}${n.endsWith('_') ? '-' : '_'}`);
    for (const known of [nearMisses, [...nearMisses, parts.className, ...parts.names]]) {
      const named = scanCanonicalParts(bytes, known)!;
      expect(named.className, name).toBe(parts.className);
      expect(named.names, name).toStrictEqual(parts.names);
    }
    for (let i = 0; i < parts.names.length; i++) {
      const payload = parts.payloadOf(i);
      if (payload !== undefined) expect(hex(payload), `${name} ivar ${i}`).toBe(hex(dump(top.ivars[i]![1])));
    }
    return true;
  }

  it('answers only for a canonical top object, with ivar values that are their own payloads', () => {
    let answered = 0;
    for (const f of marshalFixtures()) if (expectSoundParts(f.bytes, f.name)) answered++;
    expect(answered).toBeGreaterThan(5);
  });

  it('on random objects', () => {
    fc.assert(
      fc.property(fc.array(rubyValue, { maxLength: 5 }), (values) => {
        const top = new RubyObject(new RubySymbol('Point'), values.map((v, i): [RubySymbol, RubyValue] => [new RubySymbol(`@v${i}`), v]));
        expectSoundParts(dump(top), 'random');
      }),
      { numRuns: 1000 },
    );
  });
});
