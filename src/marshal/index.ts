/**
 * `rails-session-codec/marshal`: an exact, safe Ruby Marshal 4.8 codec with no dependencies.
 * @module
 */
export { load } from './load.js';
export { dump } from './dump.js';
export { inspect } from './inspect.js';
export { MarshalError, isMarshalError, type MarshalErrorCode } from './errors.js';
export { DEFAULT_MAX_DEPTH, type LoadOptions, type DumpOptions } from './options.js';
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
