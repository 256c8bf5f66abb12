import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import type { RubyValue } from './value.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/**
 * A Ruby Array that carries more than its elements: a subclass (`C`), extended modules (`e`) or instance
 * variables. Plain Ruby arrays load as plain JS arrays; this is a JS Array too.
 */
export class RubyArray extends Array<RubyValue> {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Array');
  }

  /** The subclass of Array this object is an instance of (`C`), if any. */
  userClass: RubySymbol | undefined = undefined;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;
  /** Instance variables, in the order written. */
  ivars: RubyIvars | undefined = undefined;

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}
