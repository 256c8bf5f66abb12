import { describe, expect, it } from 'vitest';
import {
  MarshalError,
  RubyArray,
  RubyFloat,
  RubyHash,
  RubyObject,
  RubyString,
  RubySymbol,
  RubyUserDefined,
  dump,
  getIvar,
  load,
  type SharedBignum,
} from '../src/marshal/index.js';
import { fixture, marshalFixtures } from './helpers/fixtures.js';
import { hex, seq } from './helpers/seq.js';
import { registerRubyEncodings } from '../src/encodings.js';

// The Shift_JIS fixtures need Ruby's tables.
registerRubyEncodings();

const fixtures = marshalFixtures();

describe('Ruby 3.1 fixtures (fixtures/marshal/cases.json)', () => {
  it('has the cases the generator promises', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(150);
    expect(fixtures.filter((c) => c.name.startsWith('session/')).length).toBeGreaterThanOrEqual(20);
    const typeBytes = new Set<string>();
    for (const c of fixtures) for (const byte of c.bytes) typeBytes.add(String.fromCharCode(byte));
    for (const t of '0TFilf":;@IeCou U[{}/Scmd'.replace(' ', '')) expect(typeBytes.has(t)).toBe(true);
  });

  it.each(fixtures.map((c) => [c.name, c] as const))('%s: loads and dumps back byte for byte', (_name, c) => {
    expect(hex(dump(load(c.bytes)))).toBe(c.hex);
  });

  it('every prefix of every fixture throws unexpected_eof', () => {
    let checked = 0;
    for (const c of fixtures) {
      // Every prefix of the small ones; 64 evenly spread prefixes of the large ones.
      const step = c.bytes.length <= 2048 ? 1 : Math.floor(c.bytes.length / 64);
      for (let cut = 0; cut < c.bytes.length; cut += step) {
        let error: unknown;
        try {
          load(c.bytes.subarray(0, cut));
        } catch (e) {
          error = e;
        }
        expect(error, `${c.name} cut at ${cut}`).toBeInstanceOf(MarshalError);
        expect((error as MarshalError).code, `${c.name} cut at ${cut}`).toBe('unexpected_eof');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

// Values checked by hand against the Ruby source and inspect of each case.
describe('decoded values', () => {
  const value = (name: string) => load(fixture(name).bytes);

  it('integers: numbers when safe, exact bigints beyond 2^53', () => {
    expect(value('integer/2^30')).toBe(2 ** 30);
    expect(value('integer/-2^30-1')).toBe(-(2 ** 30) - 1);
    expect(value('integer/2^53+1')).toBe(2n ** 53n + 1n);
    expect(value('integer/-(2^53+1)')).toBe(-(2n ** 53n + 1n));
    expect(value('integer/2^64+1')).toBe(2n ** 64n + 1n);
    expect(value('integer/-(2^200)')).toBe(-(2n ** 200n));
    expect(value('integer/10^40')).toBe(10n ** 40n);
  });

  it('one Bignum object in two places is one boxed BigInt, written back as a link', () => {
    const [a, b] = value('integer/same-bignum-twice') as [SharedBignum, SharedBignum];
    expect(a).toBe(b);
    expect(a.valueOf()).toBe(2n ** 70n);
    const [c, d] = value('integer/fixnum-bignum-pair') as [unknown, unknown];
    expect(typeof c).not.toBe('object');
    expect(c).toEqual(d);
  });

  it('links to Bignums that stand as a Hash key, a Hash value and an Array element box each one in both places', () => {
    // 2**62 + k, in four 16-bit words.
    const big = (k: number) => ['l+\x09', k, 0, 0, 0, 0, 0, 0, 0x40];
    // [{b1 => b2}, b3, @3 (b2), b4, @2 (b1), @5 (b4)]: #0 the Array, #1 the Hash, #2..#3 b1 and b2, #4 b3, #5 b4.
    const bytes = seq('\x04\x08[\x0b{\x06', ...big(1), ...big(2), ...big(3), '@\x08', ...big(4), '@\x07', '@\x0a');
    const [hash, b3, linkedB2, b4, linkedB1, linkedB4] = load(bytes) as [RubyHash, bigint, SharedBignum, SharedBignum, SharedBignum, SharedBignum];
    const [b1, b2] = hash.entries[0] as [SharedBignum, SharedBignum];
    expect(typeof b3).toBe('bigint');
    expect(b1).toBe(linkedB1);
    expect(b2).toBe(linkedB2);
    expect(b4).toBe(linkedB4);
    expect([b1, b2, b4].map((b) => b.valueOf())).toEqual([2n ** 62n + 1n, 2n ** 62n + 2n, 2n ** 62n + 4n]);
    expect(hex(dump(load(bytes)))).toBe(hex(bytes));
  });

  it('floats keep Float-ness and value; equal flonums are one object', () => {
    expect(value('float/100.0')).toEqual(new RubyFloat(100));
    expect(Object.is((value('float/-0.0') as RubyFloat).value, -0)).toBe(true);
    expect(Number.isNaN((value('float/nan') as RubyFloat).value)).toBe(true);
    const [x, y] = value('float/flonum-pair-array') as RubyFloat[];
    expect(x).toBe(y);
    const hash = value('float/flonum-pair-hash') as RubyHash;
    expect(hash.get('a')).toBe(hash.get('b'));
  });

  it('strings keep their bytes and encoding', () => {
    expect((value('string/us-ascii') as RubyString).encoding).toBe('US-ASCII');
    expect((value('string/binary') as RubyString).encoding).toBe('ASCII-8BIT');
    const [a, b] = value('string/shift_jis-pair') as RubyString[];
    expect([a!.encoding, b!.encoding, a!.toString(), b!.toString()]).toEqual(['Shift_JIS', 'Shift_JIS', 'a', 'b']);
    const invalid = value('string/invalid-utf8') as RubyString;
    expect([invalid.encoding, [...invalid.bytes]]).toEqual(['UTF-8', [0xff]]);
  });

  it('the same String object twice is one RubyString; equal distinct strings are two', () => {
    const [a, b] = value('string/same-object-twice') as RubyString[];
    expect(a).toBe(b);
    const [c, d] = value('string/equal-distinct') as RubyString[];
    expect(c).not.toBe(d);
    expect(c!.toString()).toBe(d!.toString());
  });

  it('symbols keep their encoding', () => {
    expect((value('symbol/utf8-e-acute') as RubySymbol).name).toBe('é');
    expect((value('symbol/shift_jis') as RubySymbol).encoding).toBe('Shift_JIS');
    expect((value('symbol/shift_jis') as RubySymbol).name).toBe('日本');
  });

  it('cycles come back as cycles', () => {
    const array = value('array/self-reference') as unknown[];
    expect(array[0]).toBe(array);
    const hash = value('hash/self-reference') as RubyHash;
    expect(hash.entries.some(([, v]) => v === hash)).toBe(true);
  });

  it('hash keys of every type, in order, "__proto__" as data', () => {
    const hash = value('hash/proto-keys') as RubyHash;
    expect(hash.entries.map(([k]) => String(k))).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(hash.get('__proto__')).toBe(1);
    expect((value('hash/default-zero') as RubyHash).defaultValue).toBe(0);
  });

  it('HashWithIndifferentAccess remembers its class, nested too', () => {
    const outer = value('hwia/nested-in-hwia') as RubyHash;
    expect(outer.userClass?.name).toBe('ActiveSupport::HashWithIndifferentAccess');
    expect((outer.get('outer') as RubyHash).userClass?.name).toBe('ActiveSupport::HashWithIndifferentAccess');
  });

  it('Time is a lossless _dump object whose zone string is registered before it', () => {
    const [s, t, s2, t2] = value('link/after-userdef-time') as [RubyString, RubyUserDefined, RubyString, RubyUserDefined];
    expect(s2).toBe(s);
    expect(t2).toBe(t);
    expect(t.className.name).toBe('Time');
    expect(t.bytes.length).toBe(8);
    expect(String(getIvar(t.ivars, 'zone'))).toBe('UTC');
    const [first, second] = value('time/two-utc-same-zone') as RubyUserDefined[];
    expect(getIvar(second!.ivars, 'zone')).toBe(getIvar(first!.ivars, 'zone'));
  });

  it('objects, extensions and user classes', () => {
    const extended = value('extended/two-modules') as RubyObject;
    expect(extended.extended?.map((m) => m.name)).toEqual(['FixtureExt2', 'FixtureExt']);
    expect(value('userclass/array')).toBeInstanceOf(RubyArray);
  });

  it('a realistic Devise session', () => {
    const session = value('session/devise-user') as RubyHash;
    const key = session.get('warden.user.user.key') as [number[], RubyString];
    expect(key[0]).toEqual([12345]);
    expect(key[1].toString()).toBe('$2a$12$abcdefghijklmnopqrstuv');
    const csrf = session.entries.find(([k]) => String(k) === '_csrf_token')!;
    expect((csrf[0] as RubyString).encoding).toBe('US-ASCII');
  });
});
