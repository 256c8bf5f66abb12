import fc from 'fast-check';
import { isAsciiBytes } from '../../src/marshal/text.js';
import {
  RubyFloat,
  RubyHash,
  RubyObject,
  RubyRegexp,
  RubyString,
  RubyStruct,
  RubySymbol,
  RubyUserDefined,
  RubyUserMarshal,
  dump,
  type RubyValue,
} from '../../src/marshal/index.js';

/** Integers as `load` returns them: numbers when safe, bigints beyond. */
export const rubyInteger: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.constantFrom(2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 53 - 1, -(2 ** 53 - 1)),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)),
);

export const rubyFloat: fc.Arbitrary<RubyFloat> = fc
  .oneof(fc.double(), fc.constantFrom(1.5, 100, 0.1, -0, 0, 1e300, 5e-324))
  .map((x) => new RubyFloat(x));

const encodings = ['UTF-8', 'US-ASCII', 'ASCII-8BIT', 'Shift_JIS', 'ISO-8859-1', 'EUC-JP'] as const;

export const rubyString: fc.Arbitrary<RubyString> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => new RubyString(s)),
  fc
    .tuple(fc.uint8Array({ maxLength: 16 }), fc.constantFrom(...encodings))
    .map(([bytes, encoding]) => new RubyString(bytes, encoding)),
);

export const rubySymbol: fc.Arbitrary<RubySymbol> = fc.oneof(
  fc.constantFrom('a', 'user_id', 'E', 'encoding', '@value', 'é', '日本').map((s) => new RubySymbol(s)),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => new RubySymbol(s)),
);

const ivarName = fc.stringMatching(/^@[a-z_]{1,6}$/).map((s) => new RubySymbol(s));
// Classes the differential Ruby peer does not define, so Ruby declines them instead of re-reading random bytes.
const className = fc.constantFrom('User', 'Point', 'Fixture::Unknown').map((s) => new RubySymbol(s));

/**
 * Trees of the lossless model, without cycles, that `dump` then `load` must give back unchanged. Only values Ruby
 * itself can hold (a Hash default is never nil: Ruby writes `}` only for a non-nil default).
 */
export const rubyValue: fc.Arbitrary<RubyValue> = fc.letrec<{ value: RubyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    rubyInteger,
    rubyFloat,
    rubyString,
    rubySymbol,
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(tie('value'), tie('value')), { maxLength: 5, selector: ([key]) => rubyKeyIdentity(key) }),
        fc.option(tie('value').filter((v) => v !== null), { nil: undefined }),
      )
      .map(([entries, defaultValue]) => new RubyHash(entries, defaultValue)),
    fc
      .tuple(className, fc.uniqueArray(fc.tuple(ivarName, tie('value')), { maxLength: 4, selector: ([name]) => name.key }))
      .map(([name, ivars]) => new RubyObject(name, ivars)),
    fc
      .tuple(className, fc.uint8Array({ maxLength: 12 }), fc.option(fc.array(fc.tuple(rubySymbol, tie('value')), { maxLength: 3 }), { nil: undefined }))
      .map(([name, bytes, ivars]) => new RubyUserDefined(name, bytes, ivars)),
    fc.tuple(className, tie('value')).map(([name, data]) => new RubyUserMarshal(name, data)),
    fc
      .tuple(className, fc.array(fc.tuple(rubySymbol, tie('value')), { maxLength: 3 }))
      .map(([name, members]) => new RubyStruct(name, members)),
    fc
      .tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 7 }))
      .map(([source, options]) => new RubyRegexp(source, options)),
  ),
})).value;

/**
 * Which keys Ruby's Hash treats as one (`eql?`): ASCII Strings of any encoding with the same bytes, and values
 * that dump the same. Only such Hashes are Ruby-writable, so a generated Hash has no two keys alike.
 */
function rubyKeyIdentity(key: RubyValue): string {
  if (key instanceof RubyString && isAsciiBytes(key.bytes)) return `ascii:${Buffer.from(key.bytes).toString('hex')}`;
  return Buffer.from(dump(key)).toString('hex');
}
