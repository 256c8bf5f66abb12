import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';

/**
 * An instance of a Ruby class written with its instance variables (`o`). Nothing is ever instantiated from the
 * class name: the object stays this lossless record.
 */
export class RubyObject {
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
