import { DEFAULT_MAX_OUTPUT_BYTES } from '../budget.js';
import { MarshalError } from '../errors.js';
import { latin1Decode } from '../text.js';
import { RubySymbol } from '../values/symbol.js';
import { RubyUserDefined } from '../values/user-defined.js';
import { brand, RUBY_KIND, type RubyKind } from '../values/kind.js';

const DUMP_PATTERN = /^(\d+):(-?0\.\d*e-?\d+|-?0\.0|NaN|-?Infinity)$/;
const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Ruby's BigDecimal (`u:BigDecimal "<precision>:<digits>"`): exact decimal text, never through a float.
 * The precision prefix is how much memory Ruby had allocated; Ruby ignores it on load, so it is kept as read.
 * A new one: `rubyBigDecimal(text)`.
 */
export class RubyBigDecimal extends RubyUserDefined {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserDefined BigDecimal');
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

/**
 * `BigDecimal(text)` from decimal text (`"1.5"`, `"-0.001"`, `"1e-20"`, `"NaN"`, `"Infinity"`, `"-Infinity"`,
 * `"-0"`), with the precision prefix Ruby 3.1's bigdecimal gives it. Throws RangeError for text that is not decimal.
 */
export function rubyBigDecimal(text: string): RubyBigDecimal {
  const { digits, mantissaDigits } = scientific(text.trim());
  // bigdecimal 3.1 allocates one 9-digit word for the special values written as such; otherwise one word per 9
  // digits of the mantissa (sign, point and exponent not counted), plus one: `18:` for `1`, `27:` for `1234567890`.
  const prefix = mantissaDigits === 0 ? 9 : (Math.floor((mantissaDigits + 8) / 9) + 1) * 9;
  return new RubyBigDecimal(new RubySymbol('BigDecimal'), encodeAscii(`${prefix}:${digits}`));
}

/**
 * The largest exponent, as written in the text, that bigdecimal 3.1 reads as a number: past it `BigDecimal(text)` is
 * ±Infinity (or ±0.0 for a negative exponent). Found by bisection against Ruby 3.1 (`INT64_MAX / 9`, rounded down).
 */
const MAX_WRITTEN_EXPONENT = 1024819115206086200n;

/**
 * BigDecimal's `VpToString` form of decimal text (`[-]0.<digits>e<exponent>`, `0.0`, `NaN`, `Infinity`), and how
 * many digits the mantissa was written with (0 for `NaN` and `Infinity` written as such).
 */
function scientific(text: string): { digits: string; mantissaDigits: number } {
  if (/^[+]?Infinity$/.test(text)) return { digits: 'Infinity', mantissaDigits: 0 };
  if (text === '-Infinity') return { digits: '-Infinity', mantissaDigits: 0 };
  if (text === 'NaN') return { digits: 'NaN', mantissaDigits: 0 };
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RangeError(`not decimal text (${text.length} characters): use [-]digits[.digits][e[-]digits], NaN or [-]Infinity`);
  }
  const negative = match[1] === '-';
  const sign = negative ? '-' : '';
  const written = (match[2] ?? '') + (match[3] ?? '');
  const mantissaDigits = written.length;
  const all = written.replace(/^0+/, '');
  if (all === '') return { digits: `${sign}0.0`, mantissaDigits };
  const writtenExponent = BigInt(match[4] ?? 0);
  if (writtenExponent > MAX_WRITTEN_EXPONENT) return { digits: `${sign}Infinity`, mantissaDigits };
  if (writtenExponent < -MAX_WRITTEN_EXPONENT) return { digits: `${sign}0.0`, mantissaDigits };
  const leadingZeros = written.length - all.length;
  const exponent = BigInt((match[2] ?? '').length - leadingZeros) + writtenExponent;
  return { digits: `${sign}0.${all.replace(/0+$/, '')}e${exponent}`, mantissaDigits };
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
