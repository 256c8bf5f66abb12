import { latin1Decode } from './text.js';

// Float text as MRI's marshal.c writes and reads it (`w_float`, `r_object0` TYPE_FLOAT), and the flonum test
// that decides which equal floats Ruby writes as one object.

/**
 * The text `Marshal.dump` writes for a Float: the shortest digits that round-trip (ECMAScript's shortest
 * `toExponential()` digits are the same as ruby_dtoa mode 0), laid out as `w_float` does: `1e2`, `0.1`, `1`,
 * `1234567`, `1.5e-5`, `-0`, `inf`, `-inf`, `nan`.
 */
export function formatFloat(value: number): string {
  if (value !== value) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return 1 / value < 0 ? '-0' : '0';
  const negative = value < 0;
  const exponential = (negative ? -value : value).toExponential();
  const e = exponential.indexOf('e');
  const digits = exponential[0]! + (e > 1 ? exponential.slice(2, e) : '');
  const decpt = Number(exponential.slice(e + 1)) + 1;
  const sign = negative ? '-' : '';
  const count = digits.length;
  if (decpt < -3 || decpt > count) {
    return `${sign}${digits[0]}${count > 1 ? `.${digits.slice(1)}` : ''}e${decpt - 1}`;
  }
  if (decpt > 0) {
    return decpt === count ? sign + digits : `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
}

/**
 * `formatFloat` as `dump` calls it, with a shortcut that lives here rather than in `formatFloat`, so that `load`'s
 * bundle does without it: for a value with a fraction whose first digit stands at 1e-4 or above (19.99, 0.0125),
 * w_float lays the digits out as JS's shortest decimal does (`0.` and at most three zeros below 1, no exponent
 * above), so that is the text.
 */
export function dumpFloatText(value: number): string {
  const magnitude = value < 0 ? -value : value;
  if (magnitude >= 1e-4 && magnitude < 2 ** 53 && !Number.isInteger(value)) return String(value);
  return formatFloat(value);
}

/** `ddd.ddd`: a Float text with a whole part that is not 0 and a fraction. */
const PLAIN_DECIMAL = /^-?[1-9][0-9]*\.[0-9]+$/;

/**
 * `formatFloat(value) === text`, without formatting in the common case: for a `ddd.ddd` text, Ruby's form of a
 * value at or above 1 with a fraction is JS's shortest decimal (the same digits, no exponent below 1e21), and an
 * integral value is written by both without a fraction, so comparing with `String(value)` gives the same answer.
 */
export function isFormattedFloat(value: number, text: string): boolean {
  return PLAIN_DECIMAL.test(text) ? String(value) === text : formatFloat(value) === text;
}

/**
 * The value of a Float's text as Ruby reads it: `nan`, `inf`, `-inf`, else `strtod` on the text before the first
 * NUL (what follows a NUL is a mantissa that Ruby 1.8 wrote and later Rubies ignore when the text is exact).
 */
export function parseFloatText(text: string): number {
  if (text === 'nan') return NaN;
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  const nul = text.indexOf('\0');
  const body = nul < 0 ? text : text.slice(0, nul);
  const value = Number(body);
  if (value === value) return value;
  // strtod reads the longest valid prefix and gives 0 when there is none.
  const prefix = Number.parseFloat(body);
  return prefix === prefix ? prefix : 0;
}

/** 10^0 .. 10^22: every one is a double exactly. */
const POWERS_OF_TEN = /* @__PURE__ */ Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * `parseFloatText` of the text in `bytes[start, end)`, without making a string when the text is plain: `-`, digits,
 * a fraction, an exponent (`-1.5`, `1.70532e9`, `3.6e3`), 15 digits at most, the digits' power of ten within
 * 10^±22. Then the digits as an integer and the power are both exact, and one multiplication or division rounds
 * as strtod rounds (Clinger's fast path), so the value is `Number(text)`'s. Any other text goes to `parseFloatText`.
 */
export function floatBytesValue(bytes: Uint8Array, start: number, end: number): number {
  const negative = bytes[start] === 0x2d;
  let p = negative ? start + 1 : start;
  let digits = 0;
  let fraction = -1;
  let mantissa = 0;
  for (; p < end; p++) {
    const c = bytes[p]!;
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + c - 0x30;
      digits++;
    } else if (c === 0x2e && fraction < 0 && digits > 0) {
      fraction = digits;
    } else {
      break;
    }
  }
  let exponent = fraction < 0 ? 0 : fraction - digits;
  if (p < end && bytes[p] === 0x65 && digits > 0) {
    const minus = bytes[p + 1] === 0x2d;
    const first = minus ? p + 2 : p + 1;
    let e = 0;
    for (p = first; p < end && p < first + 3 && bytes[p]! >= 0x30 && bytes[p]! <= 0x39; p++) e = e * 10 + bytes[p]! - 0x30;
    exponent += minus ? -e : e;
    // An `e` with no digits after it: not plain text (`p` can then never be `end`).
    if (p === first) p = -1;
  }
  if (p !== end || digits === 0 || digits > 15 || fraction === digits || exponent < -22 || exponent > 22) {
    return parseFloatText(latin1Decode(bytes.subarray(start, end)));
  }
  const magnitude = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent]! : mantissa * POWERS_OF_TEN[exponent]!;
  return negative ? -magnitude : magnitude;
}

const scratch = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(8));

/**
 * True when 64-bit Ruby holds this value as a flonum (an immediate, `rb_float_new_inline`): then all equal values
 * are one object, and Ruby links the second occurrence in a dump. +0.0 is a flonum; -0.0, NaN, the infinities,
 * and magnitudes outside about 1.7e-77..1.2e77 are heap objects.
 */
export function isFlonum(value: number): boolean {
  scratch.setFloat64(0, value);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  if (high === 0 && low === 0) return true;
  const bits = (high >>> 28) & 7;
  return (bits === 3 || bits === 4) && !(high === 0x30000000 && low === 0);
}
