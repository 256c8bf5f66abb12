import { describe, expect, it } from 'vitest';
import { load, rubyInspect } from '../src/index.js';
import { marshalFixtures } from './helpers/fixtures.js';
import { storeFixtures } from './helpers/store-fixtures.js';
import { typeCases } from './helpers/type-fixtures.js';
import { registerRubyEncodings } from '../src/encodings.js';

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
