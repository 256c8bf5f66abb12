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
