import { describe, expect, it } from 'vitest';
import {
  RubyComplex,
  rubyComplex,
  rubyDateTime,
  RubyFloat,
  RubyHash,
  rubyRational,
  RubyRegexp,
  RubyString,
  dump,
  load,
  rubyInspect,
  toPlain,
  toRailsJson,
  type RailsJsonWarning,
} from '../src/index.js';
import { rubyFloatToS } from '../src/marshal/ruby-float-to-s.js';
import { fromHex, hex } from './helpers/seq.js';

const BOM = '\uFEFF';
const utf8 = (text: string) => new RubyString(text);
const utf16le = (text: string) => {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[2 * i] = text.charCodeAt(i) & 0xff;
    bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return new RubyString(bytes, 'UTF-16LE');
};

describe('U+FEFF is kept wherever a String becomes text', () => {
  it('RubyString#toString, in UTF-8 and UTF-16', () => {
    expect(utf8(`${BOM}key`).toString()).toBe(`${BOM}key`);
    expect(utf8(BOM).toString()).toBe(BOM);
    expect(utf16le(`${BOM}x`).toString()).toBe(`${BOM}x`);
  });

  it('toPlain: {"\\uFEFFkey" => 1, "key" => 2} keeps two keys', () => {
    const session = new RubyHash([
      [utf8(`${BOM}key`), 1],
      [utf8('key'), 2],
    ]);
    expect(Object.keys(toPlain(session) as object)).toEqual([`${BOM}key`, 'key']);
    expect(toPlain(utf8(`${BOM}${BOM}`))).toBe(`${BOM}${BOM}`);
  });

  it('toRailsJson writes the key Ruby writes, in both flavours, so the gem reads two keys back', () => {
    const session = new RubyHash([
      [utf8(`${BOM}key`), 1],
      [utf8('key'), 2],
    ]);
    for (const flavor of ['json', 'multi_json'] as const) expect(toRailsJson(session, { flavor })).toBe(`{"${BOM}key":1,"key":2}`);
    expect(toRailsJson(utf16le(`${BOM}a`))).toBe(`"${BOM}a"`);
  });

  it('rubyInspect prints U+FEFF as Ruby does (raw in UTF-8, \\uFEFF in UTF-16)', () => {
    expect(rubyInspect(utf8(`${BOM}a`))).toBe(`"${BOM}a"`);
    expect(rubyInspect(utf16le(`${BOM}a`))).toBe('"\\uFEFFa"');
  });
});

describe("toRailsJson's text items", () => {
  it("Float#to_s writes 16-digit floats with a fraction in fixed notation (flo_to_s's DBL_DIG + 1)", () => {
    expect(rubyFloatToS(1488824320173890 + 0.75)).toBe('1488824320173890.8');
    expect(rubyFloatToS(-(1e15 + 0.25))).toBe('-1000000000000000.2');
    expect(rubyFloatToS(1e15)).toBe('1.0e+15');
    expect(rubyFloatToS(9999999999999998)).toBe('9.999999999999998e+15');
    expect(rubyFloatToS(123456789012345.6)).toBe('123456789012345.6');
    expect(rubyFloatToS(1e16)).toBe('1.0e+16');
  });

  it('Complex writes * before i when the imaginary part does not end in a digit', () => {
    const cases: Array<[RubyComplex, string, string]> = [
      [rubyComplex(1, new RubyFloat(NaN)), '"1+NaN*i"', '(1+NaN*i)'],
      [rubyComplex(1, new RubyFloat(-Infinity)), '"1-Infinity*i"', '(1-Infinity*i)'],
      [rubyComplex(1, rubyRational(-1n, 2n)), '"1-1/2i"', '(1-(1/2)*i)'],
      [rubyComplex(1, new RubyFloat(-0)), '"1-0.0i"', '(1-0.0i)'],
    ];
    for (const [value, json, inspect] of cases) {
      expect(toRailsJson(value)).toBe(json);
      expect(rubyInspect(value)).toBe(inspect);
    }
  });

  it('Regexp#to_s escapes unescaped slashes and controls; a binary source that is not UTF-8 raises', () => {
    expect(toRailsJson(new RubyRegexp('a/b'))).toBe('"(?-mix:a\\\\/b)"');
    expect(toRailsJson(new RubyRegexp('a\\/b'))).toBe('"(?-mix:a\\\\/b)"');
    expect(toRailsJson(new RubyRegexp('a\x01b\tc', 1))).toBe('"(?i-mx:a\\\\x01b\\tc)"');
    expect(rubyInspect(new RubyRegexp('a\x01b\tc'))).toBe('/a\\x01b\tc/');
    expect(rubyInspect(new RubyRegexp('café/'))).toBe('/caf\\u00E9\\//');
    expect(rubyInspect(new RubyRegexp('café'))).toBe('/café/');
    expect(() => toRailsJson(new RubyRegexp(Uint8Array.of(0x63, 0xe9), 0, 'ASCII-8BIT'))).toThrow(expect.objectContaining({ code: 'generator_error' }));
    expect(toRailsJson(new RubyRegexp(Uint8Array.of(0xc3, 0xa9), 32, 'ASCII-8BIT'))).toBe('"(?-mix:é)"');
  });
});

describe('multi_json writes what ActiveSupport writes, and says where it loses meaning', () => {
  const warnings = (value: unknown, flavor: 'json' | 'multi_json') => {
    const seen: RailsJsonWarning[] = [];
    const text = toRailsJson(value, { flavor, onWarning: (w) => seen.push(w) });
    return { text, seen: seen.map((w) => `${w.code} ${w.path}`) };
  };

  it('NaN and Infinity become null with a warning; json writes them bare (and the store refuses, see stores tests)', () => {
    const value = [new RubyFloat(NaN), 1.5, new RubyFloat(-Infinity)];
    expect(warnings(value, 'multi_json')).toEqual({ text: '[null,1.5,null]', seen: ['non_finite_as_null [0]', 'non_finite_as_null [2]'] });
    expect(warnings(value, 'json')).toEqual({ text: '[NaN,1.5,-Infinity]', seen: [] });
    expect(() => toRailsJson(value, { nonFiniteFloats: 'error' })).toThrow(expect.objectContaining({ code: 'unreadable_json', path: '[0]' }));
  });
});

describe('RubyDateTime#toDate and toISOString, as RubyTime', () => {
  it('gives the instant to the millisecond, offsets applied', () => {
    const value = rubyDateTime(2024, 1, 2, 3, 4, 5, 678_900_000, 9 * 3600);
    expect(value.toDate().toISOString()).toBe('2024-01-01T18:04:05.678Z');
    expect(value.toISOString(3)).toBe('2024-01-02T03:04:05.678+09:00');
    expect(rubyDateTime(1969, 12, 31, 23, 59, 59, 999_000_000).toDate().getTime()).toBe(-1);
    expect(rubyDateTime(1582, 10, 15).toDate().toISOString()).toBe('1582-10-15T00:00:00.000Z');
  });
});

describe('compare_by_identity Hashes (C :Hash before the entries)', () => {
  it('a Hash subclass with compare_by_identity keeps both C prefixes on dump (bytes from Ruby 3.1)', () => {
    // class UserHash < Hash; end; Marshal.dump(UserHash.new.compare_by_identity)
    const bytes = fromHex('0408433a0d5573657248617368433a09486173687b00');
    const value = load(bytes) as RubyHash;
    expect(value.userClass?.name).toBe('UserHash');
    expect(value.compareByIdentity).toBe(true);
    expect(hex(dump(value))).toBe(hex(bytes));
    expect(() => toPlain(value)).toThrow(/UserHash/);
    expect(() => toPlain(load(fromHex('0408433a09486173687b00')))).toThrow(/compare_by_identity/);
  });

  it('a plain compare_by_identity Hash is no Hash subclass', () => {
    const bytes = fromHex('0408433a09486173687b00');
    const value = load(bytes) as RubyHash;
    expect([value.userClass, value.compareByIdentity]).toEqual([undefined, true]);
    expect(hex(dump(value))).toBe(hex(bytes));
  });
});

describe('a UTF-16 high surrogate followed by one byte, as Ruby 3.1 reads it', () => {
  // Ruby 3.1.2: [hex].pack('H*').force_encoding(enc).encode('UTF-8', invalid: :replace, undef: :replace).
  const cases: Array<[encoding: string, hex: string, text: string]> = [
    ['UTF-16BE', 'd800', '\uFFFD'],
    ['UTF-16BE', 'd80000', '\uFFFD\uFFFD'],
    ['UTF-16BE', 'd800d8', '\uFFFD\uFFFD'],
    ['UTF-16BE', 'd800dc', '\uFFFD'],
    ['UTF-16BE', '0041d8', 'A\uFFFD'],
    ['UTF-16BE', 'd800dc00', '\u{10000}'],
    ['UTF-16LE', '00d800', '\uFFFD'],
    ['UTF-16LE', '00d8ff', '\uFFFD'],
    ['UTF-16LE', '00d80000', '\uFFFD\u0000'],
    ['UTF-16', 'feffd80000', '\uFFFD\uFFFD'],
  ];
  it('in big-endian order the byte waits for a low surrogate only as 0xDC..0xDF; else the surrogate is an error of its own', () => {
    for (const [encoding, bytes, text] of cases) {
      const string = new RubyString(fromHex(bytes), encoding);
      expect(string.toString(), `${encoding} ${bytes}`).toBe(text);
    }
  });
});
