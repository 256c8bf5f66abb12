import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/**
 * An instance of a Ruby class written with its instance variables (`o`). Nothing is ever instantiated from the
 * class name: the object stays this lossless record.
 */
export class RubyObject {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Object');
  }

  /** The class, such as `:User`. */
  className: RubySymbol;
  /** Instance variables in the order written; names keep their `@`. */
  ivars: RubyIvars;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;

  constructor(className: RubySymbol, ivars: RubyIvars = []) {
    this.className = className;
    this.ivars = ivars;
  }
}
