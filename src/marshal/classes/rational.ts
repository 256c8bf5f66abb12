import { RubySymbol } from '../values/symbol.js';
import { RubyUserMarshal } from '../values/user-marshal.js';
import { brand, RUBY_KIND, type RubyKind } from '../values/kind.js';

/** Ruby's Rational (`U:Rational [numerator, denominator]`), exact. A new one: `rubyRational`. */
export class RubyRational extends RubyUserMarshal {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserMarshal Rational');
  }

  get numerator(): number | bigint {
    return (this.data as [number | bigint, number | bigint])[0];
  }

  get denominator(): number | bigint {
    return (this.data as [number | bigint, number | bigint])[1];
  }

  /** Ruby's `to_s`: `"1/3"`. */
  override toString(): string {
    return `${this.numerator}/${this.denominator}`;
  }

  /** The nearest double. */
  toNumber(): number {
    return Number(this.numerator) / Number(this.denominator);
  }

  isWellFormed(): boolean {
    const data = this.data;
    return Array.isArray(data) && data.length === 2 && data.every(isInteger) && BigInt(data[1] as number | bigint) !== 0n;
  }
}

function isInteger(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** `Rational(numerator, denominator)`, as Ruby writes it (the caller gives it in lowest terms, denominator > 0). */
export function rubyRational(numerator: number | bigint, denominator: number | bigint): RubyRational {
  return new RubyRational(new RubySymbol('Rational'), [numerator, denominator]);
}
