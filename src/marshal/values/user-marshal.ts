import type { RubySymbol } from './symbol.js';
import type { RubyValue } from './value.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/**
 * An object written by its class's `marshal_dump` (`U`), such as Date, DateTime, Rational or
 * ActiveSupport::TimeWithZone: the class and the value `marshal_dump` returned.
 */
export class RubyUserMarshal {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserMarshal');
  }

  /** The class, such as `:Date`. */
  className: RubySymbol;
  /** What `marshal_dump` returned. */
  data: RubyValue;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;

  constructor(className: RubySymbol, data: RubyValue) {
    this.className = className;
    this.data = data;
  }
}
