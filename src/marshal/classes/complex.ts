import { RubySymbol } from '../values/symbol.js';
import { RubyUserMarshal } from '../values/user-marshal.js';
import type { RubyValue } from '../values/value.js';
import { brand, RUBY_KIND, type RubyKind } from '../values/kind.js';

/**
 * Ruby's Complex (`U:Complex [real, imaginary]`); each part an Integer, Float or Rational as Ruby wrote it.
 * A new one: `rubyComplex`.
 */
export class RubyComplex extends RubyUserMarshal {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserMarshal Complex');
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

/** `Complex(real, imaginary)`; each part an Integer, Float or Rational. */
export function rubyComplex(real: RubyValue, imaginary: RubyValue): RubyComplex {
  return new RubyComplex(new RubySymbol('Complex'), [real, imaginary]);
}

/**
 * complex.c `f_format`, the text of `to_s` and `inspect`: the real part, the imaginary part's sign and magnitude,
 * `*` when that text does not end in a digit (`1+NaN*i`, `(1+(1/2)*i)`), then `i`. `part` writes one part (`to_s`
 * or `inspect`).
 */
export function formatComplex(value: RubyComplex, part: (value: RubyValue) => string): string {
  const imaginary = part(value.imaginary);
  const negative = imaginary.startsWith('-') || imaginary.startsWith('(-');
  const magnitude = imaginary.startsWith('-') ? imaginary.slice(1) : imaginary.startsWith('(-') ? `(${imaginary.slice(2)}` : imaginary;
  return `${part(value.real)}${negative ? '-' : '+'}${magnitude}${/[0-9]$/.test(magnitude) ? '' : '*'}i`;
}
