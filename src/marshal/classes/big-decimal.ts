import { DEFAULT_MAX_OUTPUT_BYTES } from '../budget.js';
import { MarshalError } from '../errors.js';
import { latin1Decode } from '../text.js';
import { RubySymbol } from '../values/symbol.js';
import { RubyUserDefined } from '../values/user-defined.js';
import { brand, RUBY_KIND, type RubyKind } from '../values/kind.js';

const DUMP_PATTERN = /^(\d+):(-?0\.\d*e-?\d+|-?0\.0|NaN|-?Infinity)$/;
const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Ruby's BigDecimal (`u:BigDecimal "<precision>:<digits>"`): exact decimal text, never through a float.
 * The precision prefix is how much memory Ruby had allocated; Ruby ignores it on load, so it is kept as read.
 */
export class RubyBigDecimal extends RubyUserDefined {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserDefined BigDecimal');
  }

  /**
   * From decimal text (`"1.5"`, `"-0.001"`, `"1e-20"`, `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"`), as
   * `BigDecimal(text)` makes it, with the precision prefix Ruby 3.1's bigdecimal gives it.
   */
  static fromString(text: string): RubyBigDecimal {
    const trimmed = text.trim();
    const digits = scientific(trimmed);
    // bigdecimal 3.1 allocates one 9-digit word for the special values, else one per 9 characters of input, plus one.
    const prefix = /NaN|Infinity/.test(digits) ? 9 : (Math.ceil(trimmed.length / 9) + 1) * 9;
    return new RubyBigDecimal(new RubySymbol('BigDecimal'), encodeAscii(`${prefix}:${digits}`));
  }

  /** The text after the prefix: `0.15e1`, `-0.0`, `NaN`, `Infinity`. */
  get digits(): string {
    const text = latin1Decode(this.bytes);
    return text.slice(text.indexOf(':') + 1);
  }

  /** The precision prefix as written (`18` in `18:0.15e1`). */
  get precisionPrefix(): number {
    const text = latin1Decode(this.bytes);
    return Number(text.slice(0, text.indexOf(':')));
  }

  get isNaN(): boolean {
    return this.digits === 'NaN';
  }

  get isFinite(): boolean {
    return !/NaN|Infinity/.test(this.digits);
  }

  /**
   * Plain decimal text, exact: `"1.5"`, `"-123.456"`, `"0.00000000000000000001"`, `"0.0"`, `"-0.0"`, `"NaN"`,
   * `"Infinity"`, `"-Infinity"` (what ActiveSupport's `BigDecimal#to_s` gives).
   */
  toDecimalString(maxLength: number = DEFAULT_MAX_OUTPUT_BYTES): string {
    const digits = this.digits;
    const match = /^(-?)0\.(\d*)e(-?\d+)$/.exec(digits);
    if (match === null) return digits;
    const [, sign, mantissa = '', exponentText = '0'] = match;
    const exponent = Number(exponentText);
    // An exponent is a count of zeros to write: checked before they are (`18:0.1e1000000000` is 33 bytes).
    const length = decimalLength(sign!.length, mantissa.length, exponent);
    if (length > maxLength) {
      throw new MarshalError('budget_exceeded', `a BigDecimal's decimal text would be ${length} characters, past maxOutputBytes (${maxLength})`, 0);
    }
    let integer: string;
    let fraction: string;
    if (exponent <= 0) {
      integer = '0';
      fraction = '0'.repeat(-exponent) + mantissa;
    } else if (exponent >= mantissa.length) {
      integer = mantissa + '0'.repeat(exponent - mantissa.length);
      fraction = '0';
    } else {
      integer = mantissa.slice(0, exponent);
      fraction = mantissa.slice(exponent);
    }
    return `${sign}${integer}.${fraction.replace(/0+$/, '') || '0'}`;
  }

  /** The length of `toDecimalString()`, computed without building it (an exponent can ask for billions of zeros). */
  get decimalLength(): number {
    const match = /^(-?)0\.(\d*)e(-?\d+)$/.exec(this.digits);
    if (match === null) return this.digits.length;
    return decimalLength(match[1]!.length, match[2]!.length, Number(match[3]));
  }

  override toString(): string {
    return this.toDecimalString();
  }

  isWellFormed(): boolean {
    return this.ivars === undefined && DUMP_PATTERN.test(latin1Decode(this.bytes));
  }
}

/** BigDecimal's `VpToString` form of decimal text: `[-]0.<digits>e<exponent>`, `0.0`, `NaN`, `Infinity`. */
function scientific(text: string): string {
  if (/^[+]?Infinity$/.test(text)) return 'Infinity';
  if (text === '-Infinity') return '-Infinity';
  if (text === 'NaN') return 'NaN';
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
  const negative = match[1] === '-';
  const integer = match[2] ?? '';
  const fraction = match[3] ?? '';
  const all = (integer + fraction).replace(/^0+/, '');
  if (/^0*$/.test(integer + fraction)) return negative ? '-0.0' : '0.0';
  const leadingZeros = (integer + fraction).length - all.length;
  const exponent = integer.length - leadingZeros + Number(match[4] ?? 0);
  return `${negative ? '-' : ''}0.${all.replace(/0+$/, '')}e${exponent}`;
}

/** Characters of `[-]integer.fraction` for `0.<mantissa>e<exponent>` (an upper bound when the fraction ends in zeros). */
function decimalLength(sign: number, mantissa: number, exponent: number): number {
  if (exponent <= 0) return sign + 2 + -exponent + Math.max(mantissa, 1);
  if (exponent >= mantissa) return sign + exponent + 2;
  return sign + mantissa + 1;
}

function encodeAscii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
