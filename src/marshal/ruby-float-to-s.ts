/**
 * Ruby's `Float#to_s` (`flo_to_s`): shortest round-trip digits, fixed notation while the decimal exponent is in
 * -3..15, or 16 with a fraction (`100.0`, `0.0001`, `1488824320173890.8`), else `1.0e+16`, `1.0e-05` (at least two exponent digits).
 */
export function rubyFloatToS(value: number): string {
  if (value !== value) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return 1 / value < 0 ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const exponential = Math.abs(value).toExponential();
  const e = exponential.indexOf('e');
  const digits = exponential[0]! + (e > 1 ? exponential.slice(2, e) : '');
  const decpt = Number(exponential.slice(e + 1)) + 1;
  // flo_to_s: fixed notation up to DBL_DIG + 1 = 16 integer digits when a fraction follows, 15 when none does.
  if (decpt > 0 && decpt <= 16 && (decpt <= 15 || digits.length > decpt)) {
    if (digits.length <= decpt) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  if (decpt <= 0 && decpt > -4) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  const exponent = decpt - 1;
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}e${exponent < 0 ? '-' : '+'}${magnitude}`;
}
