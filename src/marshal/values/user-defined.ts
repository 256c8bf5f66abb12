import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/**
 * An object written by its class's `_dump` (`u`), such as Time or BigDecimal: the class, the bytes `_dump`
 * returned, and the ivars of that byte string (Time keeps its zone and nanoseconds there) in the order written.
 */
export class RubyUserDefined {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserDefined');
  }

  /** The class, such as `:Time`. */
  className: RubySymbol;
  /** What `_dump` returned. */
  bytes: Uint8Array;
  /** Ivars of the dumped string, in the order written (an encoding appears here as `E` or `encoding`). */
  ivars: RubyIvars | undefined;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;

  constructor(className: RubySymbol, bytes: Uint8Array, ivars?: RubyIvars) {
    this.className = className;
    this.bytes = bytes;
    this.ivars = ivars;
  }
}
