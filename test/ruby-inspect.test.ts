import { describe, expect, it } from 'vitest';
import { load, rubyInspect } from '../src/index.js';
import { marshalFixtures } from './helpers/fixtures.js';
import { storeFixtures } from './helpers/store-fixtures.js';
import { typeCases } from './helpers/type-fixtures.js';
import { registerRubyEncodings } from '../src/encodings.js';
import { hasRuby, runRuby } from './helpers/ruby.js';

// The Shift_JIS fixtures need Ruby's tables.
registerRubyEncodings();

/**
 * Cases whose Ruby inspect needs what the bytes do not hold: the ivars a `_dump`/`marshal_dump` class rebuilds on
 * load, and the zone abbreviations (EST, JST) of ActiveSupport::TimeWithZone, which come from the tz database.
 */
const NEEDS_MORE_THAN_THE_BYTES = /^(userdef|usermarshal)\/|^twz\/(?!utc$)|timewithzone-(?!utc)|^json\/twz$|^session\/local-time-and-twz$/;

const cases = [
  ...marshalFixtures().map((c) => [c.name, c.bytes, c.inspect] as const),
  ...typeCases().map((c) => [c.name, c.bytes, c.inspect] as const),
  ...storeFixtures().map((c) => [`session/${c.name}`, new Uint8Array(Buffer.from(c.session_marshal_hex, 'hex')), c.session_inspect] as const),
].filter(([name]) => !NEEDS_MORE_THAN_THE_BYTES.test(name));

describe("rubyInspect prints what Ruby's inspect printed for every fixture", () => {
  it('covers most fixtures', () => {
    expect(cases.length).toBeGreaterThan(450);
  });

  it.each(cases)('%s', (_name, bytes, inspect) => {
    const text = rubyInspect(load(bytes));
    // The generators cut inspect at 2000 characters.
    if (inspect.length >= 2000) expect(text.startsWith(inspect.slice(0, 1990))).toBe(true);
    else expect(text).toBe(inspect);
  });
});

describe('rubyInspect of a US-ASCII String', () => {
  it('writes controls and bytes from 0x80 as \\xNN, as Ruby does (UTF-8 writes controls as \\uNNNN)', async () => {
    const { RubyString } = await import('../src/marshal/index.js');
    const of = (hex: string, encoding: string) => rubyInspect(new RubyString(new Uint8Array(Buffer.from(hex, 'hex')), encoding));
    // Ruby 3.1: p "\x00\x7f\x1f".force_encoding("US-ASCII"), p "\u00e9".force_encoding("US-ASCII"), p "\x00".
    expect(of('007f1f', 'US-ASCII')).toBe('"\\x00\\x7F\\x1F"');
    expect(of('c3a9', 'US-ASCII')).toBe('"\\xC3\\xA9"');
    expect(of('6180', 'US-ASCII')).toBe('"a\\x80"');
    expect(of('0a2223', 'US-ASCII')).toBe('"\\n\\"#"');
    expect(of('00', 'UTF-8')).toBe('"\\u0000"');
  });
});

describe('rubyInspect of a UTF-32 String', () => {
  const of = async (hex: string, encoding: string) => {
    const { RubyString } = await import('../src/marshal/index.js');
    return rubyInspect(new RubyString(new Uint8Array(Buffer.from(hex, 'hex')), encoding));
  };

  it('shows a unit of 0x80000000 or more as Ruby 3.1 does: a character unless its low half is a surrogate', async () => {
    // Each row: encoding, bytes, `bytes.force_encoding(encoding).inspect` from Ruby 3.1.2.
    const rows: [string, string, string][] = [
      ["UTF-32BE", "80000000", "\"\\u{80000000}\""],
      ["UTF-32BE", "ffffffff", "\"\\u{FFFFFFFF}\""],
      ["UTF-32BE", "8000d800", "\"\\x80\\x00\\xD8\\x00\""],
      ["UTF-32BE", "8000e000", "\"\\u{8000E000}\""],
      ["UTF-32BE", "0001d800", "\"\\u{1D800}\""],
      ["UTF-32BE", "0000d800", "\"\\x00\\x00\\xD8\\x00\""],
      ["UTF-32BE", "7fffffff", "\"\\x7F\\xFF\\xFF\\xFF\""],
      ["UTF-32BE", "00110000", "\"\\x00\\x11\\x00\\x00\""],
      ["UTF-32BE", "000000410000000a", "\"A\\n\""],
      ["UTF-32LE", "00000080", "\"\\u{80000000}\""],
      ["UTF-32LE", "ffffffff", "\"\\u{FFFFFFFF}\""],
      ["UTF-32LE", "00d80080", "\"\\x00\\xD8\\x00\\x80\""],
      ["UTF-32LE", "00e00080", "\"\\u{8000E000}\""],
      ["UTF-32LE", "00d80100", "\"\\u{1D800}\""],
      ["UTF-32LE", "00d80000", "\"\\x00\\xD8\\x00\\x00\""],
      ["UTF-32LE", "ffffff7f", "\"\\xFF\\xFF\\xFF\\x7F\""],
      ["UTF-32LE", "00001100", "\"\\x00\\x00\\x11\\x00\""],
      ["UTF-32LE", "410000000a000000", "\"A\\n\""],
    ];
    for (const [encoding, hex, ruby] of rows) expect(await of(hex, encoding), `${encoding} ${hex}`).toBe(ruby);
  });

  it('shows a unit that starts no character as its bytes, a whole unit at a time, as rb_str_inspect does', async () => {
    // Each row from Ruby 3.1.2: after a bad unit Ruby goes on at the next unit, not the next byte.
    const rows: [string, string, string][] = [
      ["UTF-32LE", "0000000100", "\"\\x00\\x00\\x00\\x01\\x00\""],
      ["UTF-32BE", "0001000000000041", "\"\\u{10000}A\""],
      ["UTF-16LE", "00d84100", "\"\\x00\\xD8A\""],
      ["UTF-16BE", "d8000041", "\"\\xD8\\x00A\""],
      ["UTF-16LE", "00d8", "\"\\x00\\xD8\""],
      ["UTF-16LE", "00d841", "\"\\x00\\xD8\\x41\""],
      ["UTF-32LE", "00d8000041000000", "\"\\x00\\xD8\\x00\\x00A\""],
    ];
    for (const [encoding, hex, ruby] of rows) expect(await of(hex, encoding), `${encoding} ${hex}`).toBe(ruby);
  });

  it.skipIf(!hasRuby)('agrees with Ruby on random UTF-16 and UTF-32 bytes, high units and partial ones included (skipped without ruby)', async () => {
    const units = Array.from({ length: 600 }, (_, i) => {
      const bytes = Array.from({ length: 4 + (i % 5) }, () => Math.floor(Math.random() * 256));
      if (i % 3 === 0) bytes[i % 2 === 0 ? 2 : 1] = 0xd8 + Math.floor(Math.random() * 8);
      return Buffer.from(bytes).toString('hex');
    });
    const lines = units.flatMap((hex) => [`UTF-32BE ${hex}`, `UTF-32LE ${hex}`, `UTF-16BE ${hex}`, `UTF-16LE ${hex}`]);
    const out = runRuby('STDIN.each_line { |l| e, h = l.split; puts [h].pack("H*").force_encoding(e).inspect }', `${lines.join('\n')}\n`).trim().split('\n');
    for (const [k, line] of lines.entries()) {
      const [encoding, hex] = line.split(' ') as [string, string];
      expect(await of(hex, encoding), line).toBe(out[k]);
    }
  });
});
