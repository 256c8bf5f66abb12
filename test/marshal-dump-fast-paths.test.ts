// dump's shortcuts for the commonest values: a UTF-8 or US-ASCII String once `:E` is written (its bytes, the ivar
// count and the `:E` link in one go), and an Integer outside `i` range but within 2^53 (its bignum bytes written
// without a list, those below 2^32 in one go). Each is held to the general path that writes the same value another
// way. The loops over a Hash's entries and an Array's elements have one try each, so the error paths they give
// are checked here too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MarshalError, RubyHash, RubyString, RubySymbol, dump, type RubyValue } from '../src/marshal/index.js';
import { hex, seq } from './helpers/seq.js';

/** `w_long` for 0..65535. */
const long = (n: number): number[] => (n === 0 ? [0] : n < 123 ? [n + 5] : n < 256 ? [1, n] : [2, n & 0xff, n >> 8]);

describe('dump: a String with :E already written', () => {
  it('writes I", the length, the bytes and ;E T/F, for any bytes and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, utf8) => {
        const encoding = utf8 ? 'UTF-8' : 'US-ASCII';
        // The first String writes `:E` out (the general path), the second links it (the shortcut).
        const out = dump([new RubyString('a'), new RubyString(bytes, encoding)]);
        const expected = seq('\x04\x08[\x07I"\x06a\x06:\x06ET', 'I"', long(bytes.length), bytes, '\x06;\x00', utf8 ? 'T' : 'F');
        expect(hex(out)).toBe(hex(expected));
      }),
      { numRuns: 500 },
    );
  });

  it('links :E with the right index wherever it stands, in one byte or more', () => {
    for (const before of [0, 1, 121, 122, 123, 124, 200, 300]) {
      const symbols = Array.from({ length: before }, (_, i) => new RubySymbol(`s${i}`));
      const out = dump([...symbols, new RubyString('a'), new RubyString('b', 'US-ASCII')]);
      const expected = seq(
        '\x04\x08[',
        long(before + 2),
        ...symbols.map((s) => seq(':', long(s.name.length), s.name)),
        'I"\x06a\x06:\x06ET',
        'I"\x06b\x06;',
        long(before),
        'F',
      );
      expect(hex(out), `${before} symbols first`).toBe(hex(expected));
    }
  });

  it('leaves Strings with other ivars, a subclass, modules or another encoding to the general path', () => {
    const withIvar = new RubyString('b');
    withIvar.ivars = [[new RubySymbol('@x'), 1]];
    const sub = new RubyString('b');
    sub.userClass = new RubySymbol('S');
    const extended = new RubyString('b');
    extended.extended = [new RubySymbol('M')];
    const head = '\x04\x08[\x07I"\x06a\x06:\x06ET';
    expect(hex(dump([new RubyString('a'), withIvar]))).toBe(hex(seq(head, 'I"\x06b\x07;\x00T:\x07@xi\x06')));
    expect(hex(dump([new RubyString('a'), sub]))).toBe(hex(seq(head, 'IC:\x06S"\x06b\x06;\x00T')));
    expect(hex(dump([new RubyString('a'), extended]))).toBe(hex(seq(head, 'Ie:\x06M"\x06b\x06;\x00T')));
    expect(hex(dump([new RubyString('a'), new RubyString('b', 'Shift_JIS')]))).toBe(hex(seq(head, 'I"\x06b\x06:\rencoding"\x0eShift_JIS')));
    expect(hex(dump([new RubyString('a'), new RubyString(Uint8Array.of(0x62))]))).toBe(hex(seq(head, '"\x06b')));
  });
});

describe('dump: an Integer outside i range within 2^53', () => {
  it('writes what the bigint path writes for the same value', () => {
    const beyond = fc.oneof(
      fc.integer({ min: 2 ** 30, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: -(2 ** 30) - 1 }),
      fc.constantFrom(2 ** 30, -(2 ** 30) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 48, 2 ** 53 - 1, -(2 ** 53 - 1), 0xffffff0000),
    );
    fc.assert(
      fc.property(beyond, (n) => {
        expect(hex(dump(n))).toBe(hex(dump(BigInt(n))));
        expect(hex(dump([n, n]))).toBe(hex(dump([BigInt(n), BigInt(n)])));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes four bytes, low first, for 2^30 <= |n| < 2^32, as the bigint path does', () => {
    const fourBytes = fc.oneof(
      fc.integer({ min: 2 ** 30, max: 2 ** 32 - 1 }),
      fc.integer({ min: -(2 ** 32 - 1), max: -(2 ** 30) - 1 }),
      fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 32 - 1), 0x80000000, 0xff000000, 0x40000000, 1705327343),
    );
    fc.assert(
      fc.property(fourBytes, (n) => {
        const m = Math.abs(n);
        expect(hex(dump(n))).toBe(hex(seq('\x04\x08l', n < 0 ? '-' : '+', '\x07', [m & 0xff, (m >>> 8) & 0xff, (m >>> 16) & 0xff, m >>> 24])));
        expect(hex(dump(n))).toBe(hex(dump(BigInt(n))));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('dump: error paths through a Hash or an Array', () => {
  /** A RubyHash holding what dump cannot write (a function, undefined) or plain JS keys, which the type leaves out. */
  const hash = (entries: Array<[unknown, unknown]>, defaultValue?: unknown): RubyHash => new RubyHash(entries as Array<[RubyValue, RubyValue]>, defaultValue as RubyValue);
  const pathOf = (value: unknown): string => {
    try {
      dump(value);
    } catch (error) {
      expect(error).toBeInstanceOf(MarshalError);
      return (error as MarshalError).path;
    }
    throw new Error('no error');
  };

  it('names a Hash entry by its key when its value fails, and by its position when its key fails', () => {
    const bad = () => 1;
    expect(pathOf(hash([[new RubyString('a'), 1], [new RubyString('flash'), bad]]))).toBe('["flash"]');
    expect(pathOf(hash([['a', 1], ['b', bad]]))).toBe('["b"]');
    expect(pathOf(hash([[new RubySymbol('user_id'), bad]]))).toBe('[:user_id]');
    expect(pathOf(hash([[1, 2], [bad, 3]]))).toBe('{key #1}');
    expect(pathOf(hash([[1, 2], [[1], bad]]))).toBe('{value #1}');
    expect(pathOf(hash([[1, 2]], bad))).toBe('.default');
  });

  it('names an Array element by its index, and nests segments from the outside in', () => {
    expect(pathOf([1, 2, undefined])).toBe('[2]');
    expect(pathOf(hash([[new RubyString('a'), [0, hash([['k', [undefined]]])]]]))).toBe('["a"][1]["k"][0]');
    expect(pathOf([hash([[1, 1]]), hash([[2, [3, undefined]]])])).toBe('[1][2][1]');
  });
});
