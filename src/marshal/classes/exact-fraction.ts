// Exact fractions for the parts of Ruby's Time and DateTime that Ruby keeps as Rationals (sub-second parts,
// offsets): a double would round 1/3 s, and Ruby writes the Rational back exactly.
import { rubyRational } from './rational.js';
import type { RubyValue } from '../values/value.js';
import { isRubyUserMarshal } from '../values/kind.js';

/** An exact fraction in lowest terms with a positive denominator, as Ruby's Rational holds it. */
export interface Fraction {
  /** Carries the sign. */
  numerator: bigint;
  /** Always > 0. */
  denominator: bigint;
}

/** `numerator / denominator` in lowest terms; throws RangeError for a zero denominator, as Ruby raises. */
export function fraction(numerator: bigint, denominator = 1n): Fraction {
  if (denominator === 0n) throw new RangeError('divided by 0');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
  return divisor > 1n ? { numerator: numerator / divisor, denominator: denominator / divisor } : { numerator, denominator };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** `a + b`. */
export function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

/** `a * b`. */
export function multiply(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.numerator, a.denominator * b.denominator);
}

/** The largest integer <= the fraction (Ruby's `floor`, not truncation: -1/2 gives -1). */
export function floor(value: Fraction): bigint {
  return floorDiv(value.numerator, value.denominator);
}

/** Integer division rounding toward negative infinity, as Ruby's `Integer#div`. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** The first `count` decimal digits of a fraction in [0, 1), truncated, as Ruby's `%<count>N` prints them. */
export function digitsOf(value: Fraction, count: number): string {
  return floor(multiply(value, fraction(10n ** BigInt(count)))).toString().padStart(count, '0');
}

/** The value of a Ruby Integer as `load` returns it (number, bigint or boxed BigInt), else undefined. */
export function integerValue(value: RubyValue | undefined): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value;
  if (value instanceof BigInt) return value.valueOf();
  return undefined;
}

/**
 * Numbers past this many bits are refused: Ruby never writes sub-seconds or offsets that large, and a hostile
 * payload with two huge bignums would otherwise make `fraction`'s gcd run for minutes.
 */
const MAX_EXACT = 1n << 128n;

/** The value of a Ruby Integer or Rational (`U:Rational [n, d]`, typed or not) of at most 128 bits, else undefined. */
export function exactValue(value: RubyValue | undefined): Fraction | undefined {
  const integer = integerValue(value);
  if (integer !== undefined) return integer < MAX_EXACT && integer > -MAX_EXACT ? { numerator: integer, denominator: 1n } : undefined;
  if (!isRubyUserMarshal(value) || value.className.name !== 'Rational' || !Array.isArray(value.data) || value.data.length !== 2) return undefined;
  const numerator = integerValue(value.data[0]);
  const denominator = integerValue(value.data[1]);
  if (numerator === undefined || denominator === undefined || denominator === 0n) return undefined;
  if (numerator >= MAX_EXACT || numerator <= -MAX_EXACT || denominator >= MAX_EXACT || denominator <= -MAX_EXACT) return undefined;
  return fraction(numerator, denominator);
}

/** How Ruby writes an exact number: an Integer when whole, else `Rational(n, d)`. */
export function exactToRuby(value: Fraction): RubyValue {
  if (value.denominator === 1n) return integerToRuby(value.numerator);
  return rubyRational(integerToRuby(value.numerator) as number | bigint, integerToRuby(value.denominator) as number | bigint);
}

/** A Ruby Integer as `load` would return it: a number when safe, else a bigint. */
export function integerToRuby(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}
