import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import type { RubyValue } from './value.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/** A Ruby Struct instance (`S`): its class and its members in order. */
export class RubyStruct {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Struct');
  }

  /** The Struct class, such as `:Point`. */
  className: RubySymbol;
  /** Members in order, without `@`. */
  members: Array<[name: RubySymbol, value: RubyValue]>;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;
  /** Instance variables, in the order written. */
  ivars: RubyIvars | undefined = undefined;

  constructor(className: RubySymbol, members: Array<[RubySymbol, RubyValue]> = []) {
    this.className = className;
    this.members = members;
  }
}
