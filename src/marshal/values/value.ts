import type { RubyClassRef } from './class-ref.js';
import type { RubyData } from './data.js';
import type { RubyFloat } from './float.js';
import type { RubyHash } from './hash.js';
import type { RubyObject } from './object.js';
import type { RubyRegexp } from './regexp.js';
import type { RubyString } from './string.js';
import type { RubyStruct } from './struct.js';
import type { RubySymbol } from './symbol.js';
import type { RubyUserDefined } from './user-defined.js';
import type { RubyUserMarshal } from './user-marshal.js';

/**
 * Every value `load` returns, the lossless model of a Ruby object graph:
 *
 * | Ruby | JS |
 * | --- | --- |
 * | nil, true, false | `null`, `true`, `false` |
 * | Integer | `number` when it is a safe integer, else `bigint`; a boxed `BigInt` object when Ruby wrote one Bignum object in two places (JS bigints have no identity) |
 * | Float | `RubyFloat` |
 * | String | `RubyString` (bytes + encoding) |
 * | Symbol | `RubySymbol` |
 * | Array | JS array (`RubyArray` when it has a subclass, extensions or ivars) |
 * | Hash | `RubyHash` |
 * | Object | `RubyObject` |
 * | Struct | `RubyStruct` |
 * | `_dump` (Time, BigDecimal, ...) | `RubyUserDefined` |
 * | `marshal_dump` (Date, Rational, TimeWithZone, ...) | `RubyUserMarshal` |
 * | Regexp | `RubyRegexp` |
 * | Class, Module | `RubyClassRef` |
 * | `_dump_data` | `RubyData` |
 */
export type RubyValue =
  | null
  | boolean
  | number
  | bigint
  | SharedBignum
  | RubyFloat
  | RubyString
  | RubySymbol
  | RubyValue[]
  | RubyHash
  | RubyObject
  | RubyStruct
  | RubyUserDefined
  | RubyUserMarshal
  | RubyRegexp
  | RubyClassRef
  | RubyData;

/**
 * A boxed BigInt (`Object(2n ** 70n)`): how `load` returns one Bignum object that Ruby wrote in two places, since a
 * JS bigint has no identity. Both places hold the same box, `box.valueOf()` is the bigint, and `dump` writes the
 * second place as a link, as Ruby did.
 */
// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
export type SharedBignum = BigInt;
