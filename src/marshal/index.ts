/**
 * `rails-session-codec/marshal`: an exact, safe Ruby Marshal 4.8 codec with no dependencies.
 * @module
 */
export { load } from './load.js';
export { dump } from './dump.js';
export { inspect } from './inspect.js';
export { MarshalError, isMarshalError, type MarshalErrorCode } from './errors.js';
export { DEFAULT_MAX_DEPTH, type LoadOptions, type DumpOptions } from './options.js';
export { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_NODES, type BudgetOptions } from './budget.js';
export { formatFloat } from './float-text.js';
export type { RubyValue, SharedBignum } from './values/value.js';
export { getIvar, type RubyIvars } from './values/ivars.js';
export { RubyArray } from './values/array.js';
export { RubyClassRef, type RubyClassRefKind } from './values/class-ref.js';
export { RubyData } from './values/data.js';
export { RubyFloat } from './values/float.js';
export { RubyHash } from './values/hash.js';
export { RubyObject } from './values/object.js';
export { RubyRegexp, RegexpOptions } from './values/regexp.js';
export { RubyString } from './values/string.js';
export { RubyStruct } from './values/struct.js';
export { RubySymbol } from './values/symbol.js';
export { RubyUserDefined } from './values/user-defined.js';
export { RubyUserMarshal } from './values/user-marshal.js';
// Kind checks that work on values from any copy of this package (ESM and CJS, two installed versions), unlike instanceof.
export {
  RUBY_KIND,
  rubyKindOf,
  isRubyRecord,
  isRubyString,
  isRubySymbol,
  isRubyFloat,
  isRubyArray,
  isRubyHash,
  isRubyObject,
  isRubyStruct,
  isRubyUserDefined,
  isRubyUserMarshal,
  isRubyRegexp,
  isRubyClassRef,
  isRubyData,
  isRubyTime,
  isRubyTimeWithZone,
  isRubyDate,
  isRubyDateTime,
  isRubyBigDecimal,
  isRubyRational,
  isRubyComplex,
  isRubyRange,
  isRubySet,
  isRubyFlashHash,
  type RubyKind,
} from './values/kind.js';

// Typed views of the Ruby classes sessions hold (each a subclass of the record it is read into), and the functions
// that make new ones with the bytes Ruby writes: functions, not static methods, so that a bundle that only reads
// carries none of the writing code.
export { RubyTime, rubyTimeFromEpoch, rubyTimeFromDate, rubyTimeFromExact, rubyTimeToS, type RubyTimeOptions } from './classes/time.js';
export { RubyTimeWithZone, rubyTimeWithZone, rubyTimeWithZoneToS } from './classes/time-with-zone.js';
export { RubyDate, RubyDateTime, rubyDate, rubyDateTime } from './classes/date.js';
export { RubyBigDecimal, rubyBigDecimal } from './classes/big-decimal.js';
export { RubyRational, rubyRational } from './classes/rational.js';
export { RubyComplex, rubyComplex } from './classes/complex.js';
export { RubyRange, rubyRange } from './classes/range.js';
export { RubySet, rubySet } from './classes/set.js';
export { RubyFlashHash } from './classes/flash-hash.js';

// Plain JS views, and Ruby's inspect text
export { toPlain, type ToPlainOptions, type PlainLoss } from './to-plain.js';
export { fromPlain, type FromPlainOptions } from './from-plain.js';
export { PlainError, isPlainError, type PlainErrorCode } from './plain-error.js';
export { rubyInspect } from './ruby-inspect.js';
