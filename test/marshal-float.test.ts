import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dumpFloatText, floatBytesValue, formatFloat, isFlonum, isFormattedFloat, parseFloatText } from '../src/marshal/float-text.js';

// What Ruby 3.1's w_float writes (../shared/reference/rails-session-formats.md §5.4, checked with `ruby -e`).
const VECTORS: Array<[number, string]> = [
  [100.0, '1e2'],
  [1e20, '1e20'],
  [0.1, '0.1'],
  [1.0, '1'],
  [-0.0, '-0'],
  [0.0, '0'],
  [NaN, 'nan'],
  [Infinity, 'inf'],
  [-Infinity, '-inf'],
  [1e-5, '1e-5'],
  [0.0001, '0.0001'],
  [0.001, '0.001'],
  [2.5e-5, '2.5e-5'],
  [1.7976931348623157e308, '1.7976931348623157e308'],
  [5e-324, '5e-324'],
  [1700000300.0, '1.7000003e9'],
  [1234567.0, '1234567'],
  [123.456, '123.456'],
  [12345678.9, '12345678.9'],
  [1 / 3, '0.3333333333333333'],
  [-1.5, '-1.5'],
  [1e300, '1e300'],
  [1e-300, '1e-300'],
];

describe('Float text', () => {
  it.each(VECTORS)('writes %d as %s', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it.each(VECTORS)('reads %d back from %s', (value, text) => {
    expect(Object.is(parseFloatText(text), value)).toBe(true);
  });

  it('round-trips every double', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(parseFloatText(formatFloat(x)), x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('dump writes a value with a fraction at or above 1e-4 (its shortcut) as formatFloat lays it out', () => {
    const near = fc.constantFrom(1e-4, -1e-4, 0.00009999999999999999, 1.0000000000000002, 0.9999999999999999, 2 ** 52 + 0.5, -(2 ** 52 + 0.5), 2 ** 53 - 1, 2 ** 53, 0.1, 19.99, 1e-5, 123.456e-7);
    const around = fc.tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: -8, max: 17 })).map(([m, e]) => m * 10 ** e);
    fc.assert(
      fc.property(fc.oneof(fc.double(), near, around, around.map((x) => -x)), (x) => {
        expect(dumpFloatText(x)).toBe(formatFloat(x));
      }),
      { numRuns: 20000 },
    );
  });

  it('reads text before a NUL and ignores an old binary mantissa after it', () => {
    expect(parseFloatText('1.5\0\x01\x02')).toBe(1.5);
  });

  it('reads a garbage prefix as strtod does', () => {
    expect(parseFloatText('2.5abc')).toBe(2.5);
    expect(parseFloatText('abc')).toBe(0);
  });
});

describe('floatBytesValue', () => {
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  /** `floatBytesValue` of the text, inside other bytes: what `parseFloatText` reads of the text alone. */
  const agrees = (text: string) => {
    const bytes = latin1(`x${text}9`);
    return Object.is(floatBytesValue(bytes, 1, bytes.length - 1), parseFloatText(text));
  };

  it('reads every text parseFloatText reads, as it does: the plain ones itself, the others through it', () => {
    const texts = [
      '0', '-0', '-0.0', '1', '1.5', '-1.5', '1e2', '1.70532e9', '3.6e3', '1.5e-5', '123456789012345', '1234567890123456',
      '0.30000000000000004', '1e22', '1e23', '1e-22', '1e-23', '9007199254740993', '4.35e-22', '1.', '.5', '-', '', '1e',
      '1e-', '1e+5', '1e005', '1.2.3', '2.5abc', '1.5\0\x01', 'nan', 'inf', '-inf', '1_000', ' 1', '0x10', '1E5', '--1',
      '00012', '0.000', '1e308', '1e-400', '-1e-400',
    ];
    for (const text of texts) expect(agrees(text), JSON.stringify(text)).toBe(true);
  });

  it('agrees with parseFloatText on random decimal texts and on the text Ruby writes for random doubles', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 18 });
    const decimal = fc
      .tuple(fc.boolean(), digits, fc.option(digits), fc.option(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 400 }))))
      .map(([minus, whole, fraction, exponent]) => `${minus ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `e${exponent[0] ? '-' : ''}${exponent[1]}`}`);
    fc.assert(fc.property(decimal, agrees), { numRuns: 5000 });
    fc.assert(fc.property(fc.double(), (x) => agrees(formatFloat(x))), { numRuns: 5000 });
  });
});

describe('flonum test', () => {
  it('holds for ordinary values and +0.0', () => {
    for (const x of [0, 1, 1.5, -1.5, 0.1, 1e20, 1e-20, 1e76, 1e-76]) expect(isFlonum(x)).toBe(true);
  });

  it('does not hold for heap floats', () => {
    for (const x of [-0, NaN, Infinity, -Infinity, 1e78, 1e-78, 1e300, 5e-324]) expect(isFlonum(x)).toBe(false);
  });
});

describe('isFormattedFloat', () => {
  it('answers formatFloat(value) === text, for the texts Ruby writes and near misses', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 22 });
    const decimal = fc.tuple(fc.boolean(), digits, digits).map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}.${fraction}`);
    const written = fc.double({ noNaN: true }).map((x) => formatFloat(x));
    fc.assert(
      fc.property(fc.oneof(decimal, written, fc.constantFrom('1.0', '5.50', '100.0', '1e2', '0.5', '-0', '9007199254740993.5', '1e+21')), (text) => {
        const value = parseFloatText(text);
        expect(isFormattedFloat(value, text)).toBe(formatFloat(value) === text);
      }),
      { numRuns: 20000 },
    );
  });
});
