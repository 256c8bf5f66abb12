import { RubySymbol } from '../values/symbol.js';
import { RubyUserMarshal } from '../values/user-marshal.js';
import type { RubyValue } from '../values/value.js';

/** Ruby's Complex (`U:Complex [real, imaginary]`); each part an Integer, Float or Rational as Ruby wrote it. */
export class RubyComplex extends RubyUserMarshal {
  static of(real: RubyValue, imaginary: RubyValue): RubyComplex {
    return new RubyComplex(new RubySymbol('Complex'), [real, imaginary]);
  }

  get real(): RubyValue {
    return (this.data as RubyValue[])[0]!;
  }

  get imaginary(): RubyValue {
    return (this.data as RubyValue[])[1]!;
  }

  isWellFormed(): boolean {
    return Array.isArray(this.data) && this.data.length === 2;
  }
}
