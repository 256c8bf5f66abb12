import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import type { RubyValue } from './value.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/** A C-extension object written by `_dump_data` (`d`): the class and the value it returned. */
export class RubyData {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Data');
  }

  /** The class. */
  className: RubySymbol;
  /** What `_dump_data` returned. */
  data: RubyValue;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;
  /** Instance variables, in the order written. */
  ivars: RubyIvars | undefined = undefined;

  constructor(className: RubySymbol, data: RubyValue) {
    this.className = className;
    this.data = data;
  }
}
