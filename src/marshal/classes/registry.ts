import type { RubyIvars } from '../values/ivars.js';
import type { RubyObject } from '../values/object.js';
import type { RubySymbol } from '../values/symbol.js';
import type { RubyUserDefined } from '../values/user-defined.js';
import type { RubyUserMarshal } from '../values/user-marshal.js';
import type { RubyValue } from '../values/value.js';
import { RubyBigDecimal } from './big-decimal.js';
import { RubyComplex } from './complex.js';
import { RubyDate, RubyDateTime } from './date.js';
import { RubyFlashHash } from './flash-hash.js';
import { RubyRange } from './range.js';
import { RubyRational } from './rational.js';
import { RubySet } from './set.js';
import { RubyTime } from './time.js';
import { RubyTimeWithZone } from './time-with-zone.js';

/** A typed view of a Ruby class: a subclass of a lossless record that can tell whether the record fits it. */
interface Typed {
  /** False when the bytes do not have the shape this class reads (then `load` keeps the plain record). */
  isWellFormed(): boolean;
}

type UserDefinedClass = new (className: RubySymbol, bytes: Uint8Array, ivars?: RubyIvars) => RubyUserDefined & Typed;
type UserMarshalClass = new (className: RubySymbol, data: RubyValue) => RubyUserMarshal & Typed;
type ObjectClass = new (className: RubySymbol, ivars?: RubyIvars) => RubyObject & Typed;

/**
 * The Ruby classes `load` gives a typed view, by class name, for each way Ruby writes them. Every typed class
 * extends the record it is read into, so it dumps back the same bytes; nothing is ever instantiated from a name
 * outside these tables.
 */
export const USER_DEFINED_CLASSES: ReadonlyMap<string, UserDefinedClass> = /* @__PURE__ */ new Map<string, UserDefinedClass>([
  ['BigDecimal', RubyBigDecimal],
  ['Time', RubyTime],
]);

export const USER_MARSHAL_CLASSES: ReadonlyMap<string, UserMarshalClass> = /* @__PURE__ */ new Map<string, UserMarshalClass>([
  ['Rational', RubyRational],
  ['Complex', RubyComplex],
  ['Date', RubyDate],
  ['DateTime', RubyDateTime],
  ['ActiveSupport::TimeWithZone', RubyTimeWithZone],
]);

export const OBJECT_CLASSES: ReadonlyMap<string, ObjectClass> = /* @__PURE__ */ new Map<string, ObjectClass>([
  ['Range', RubyRange],
  ['Set', RubySet],
  ['ActionDispatch::Flash::FlashHash', RubyFlashHash],
]);
