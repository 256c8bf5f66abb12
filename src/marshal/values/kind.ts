import type { RubyBigDecimal } from '../classes/big-decimal.js';
import type { RubyComplex } from '../classes/complex.js';
import type { RubyDate, RubyDateTime } from '../classes/date.js';
import type { RubyFlashHash } from '../classes/flash-hash.js';
import type { RubyRange } from '../classes/range.js';
import type { RubyRational } from '../classes/rational.js';
import type { RubySet } from '../classes/set.js';
import type { RubyTime } from '../classes/time.js';
import type { RubyTimeWithZone } from '../classes/time-with-zone.js';
import type { RubyArray } from './array.js';
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
 * The brand every value class carries on its prototype: `value[RUBY_KIND]` is the class's kind, its lineage from
 * the record it extends, space-separated (`'Hash'`, `'UserDefined Time'`, `'UserMarshal Date DateTime'`).
 *
 * An app can hold two copies of this package (the ESM and the CJS build, or two installed versions), and then
 * `instanceof` says no to a value the other copy made. `Symbol.for` gives every copy the same key, so every
 * dispatch on a Ruby value goes through the predicates below, never `instanceof`. The kind strings are a contract
 * between versions: never rename one.
 */
export const RUBY_KIND: unique symbol = Symbol.for('rails-session-codec.kind');

/** A value class's kind (see `RUBY_KIND`). */
export type RubyKind =
  | 'String'
  | 'Symbol'
  | 'Float'
  | 'Array'
  | 'Hash'
  | 'Object'
  | 'Object Range'
  | 'Object Set'
  | 'Object FlashHash'
  | 'Struct'
  | 'UserDefined'
  | 'UserDefined Time'
  | 'UserDefined BigDecimal'
  | 'UserMarshal'
  | 'UserMarshal TimeWithZone'
  | 'UserMarshal Date'
  | 'UserMarshal Date DateTime'
  | 'UserMarshal Rational'
  | 'UserMarshal Complex'
  | 'Regexp'
  | 'ClassRef'
  | 'Data';

/**
 * Puts the brand on a class's prototype (a data property: one read per dispatch, no call). Every value class
 * calls it in a static block; a subclass's brand shadows its parent's.
 */
export function brand(Class: { readonly prototype: object }, kind: RubyKind): void {
  Object.defineProperty(Class.prototype, RUBY_KIND, { value: kind });
}

interface Branded {
  readonly [RUBY_KIND]?: unknown;
}

/** The kind of a value made by any copy of this package, or undefined for anything else (primitives, plain JS). */
export function rubyKindOf(value: unknown): RubyKind | undefined {
  const kind = (value as Branded | null | undefined)?.[RUBY_KIND];
  return typeof kind === 'string' ? (kind as RubyKind) : undefined;
}

/** True when the value's kind is `base` or a kind that extends it. */
function isKindOrSub(value: unknown, base: string): boolean {
  const kind = (value as Branded | null | undefined)?.[RUBY_KIND];
  return kind === base || (typeof kind === 'string' && kind.startsWith(base) && kind.charCodeAt(base.length) === 32);
}

/** True for any value class of this package (any copy): RubyString, RubyHash, RubyTime, ... */
export function isRubyRecord(value: unknown): boolean {
  return typeof (value as Branded | null | undefined)?.[RUBY_KIND] === 'string';
}

/** True for a `RubyString` from any copy of this package. */
export function isRubyString(value: unknown): value is RubyString {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'String';
}

/** True for a `RubySymbol` from any copy of this package. */
export function isRubySymbol(value: unknown): value is RubySymbol {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Symbol';
}

/** True for a `RubyFloat` from any copy of this package. */
export function isRubyFloat(value: unknown): value is RubyFloat {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Float';
}

/** True for a `RubyArray` (an Array with a subclass, extensions or ivars) from any copy of this package. */
export function isRubyArray(value: unknown): value is RubyArray {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Array';
}

/** True for a `RubyHash` from any copy of this package. */
export function isRubyHash(value: unknown): value is RubyHash {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Hash';
}

/** True for a `RubyObject` or a typed view that extends it (`RubyRange`, `RubySet`, `RubyFlashHash`). */
export function isRubyObject(value: unknown): value is RubyObject {
  return isKindOrSub(value, 'Object');
}

/** True for a `RubyStruct` from any copy of this package. */
export function isRubyStruct(value: unknown): value is RubyStruct {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Struct';
}

/** True for a `RubyUserDefined` or a typed view that extends it (`RubyTime`, `RubyBigDecimal`). */
export function isRubyUserDefined(value: unknown): value is RubyUserDefined {
  return isKindOrSub(value, 'UserDefined');
}

/** True for a `RubyUserMarshal` or a typed view that extends it (`RubyDate`, `RubyRational`, ...). */
export function isRubyUserMarshal(value: unknown): value is RubyUserMarshal {
  return isKindOrSub(value, 'UserMarshal');
}

/** True for a `RubyRegexp` from any copy of this package. */
export function isRubyRegexp(value: unknown): value is RubyRegexp {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Regexp';
}

/** True for a `RubyClassRef` from any copy of this package. */
export function isRubyClassRef(value: unknown): value is RubyClassRef {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'ClassRef';
}

/** True for a `RubyData` from any copy of this package. */
export function isRubyData(value: unknown): value is RubyData {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Data';
}

/** True for a `RubyTime` from any copy of this package. */
export function isRubyTime(value: unknown): value is RubyTime {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'UserDefined Time';
}

/** True for a `RubyBigDecimal` from any copy of this package. */
export function isRubyBigDecimal(value: unknown): value is RubyBigDecimal {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'UserDefined BigDecimal';
}

/** True for a `RubyTimeWithZone` from any copy of this package. */
export function isRubyTimeWithZone(value: unknown): value is RubyTimeWithZone {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'UserMarshal TimeWithZone';
}

/** True for a `RubyDate` or a `RubyDateTime` (which extends it) from any copy of this package. */
export function isRubyDate(value: unknown): value is RubyDate {
  return isKindOrSub(value, 'UserMarshal Date');
}

/** True for a `RubyDateTime` from any copy of this package. */
export function isRubyDateTime(value: unknown): value is RubyDateTime {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'UserMarshal Date DateTime';
}

/** True for a `RubyRational` from any copy of this package. */
export function isRubyRational(value: unknown): value is RubyRational {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'UserMarshal Rational';
}

/** True for a `RubyComplex` from any copy of this package. */
export function isRubyComplex(value: unknown): value is RubyComplex {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'UserMarshal Complex';
}

/** True for a `RubyRange` from any copy of this package. */
export function isRubyRange(value: unknown): value is RubyRange {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Object Range';
}

/** True for a `RubySet` from any copy of this package. */
export function isRubySet(value: unknown): value is RubySet {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Object Set';
}

/** True for a `RubyFlashHash` from any copy of this package. */
export function isRubyFlashHash(value: unknown): value is RubyFlashHash {
  return (value as Branded | null | undefined)?.[RUBY_KIND] === 'Object FlashHash';
}
