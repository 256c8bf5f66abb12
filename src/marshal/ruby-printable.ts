import { ASSIGNED_AFTER_RUBY } from './ruby-printable-data.js';

// What Ruby 3.1's `inspect` prints as it is (`rb_enc_isprint` for UTF-8): everything but controls (NEL aside),
// surrogates, the line and paragraph separators, and code points Unicode 13.0 leaves unassigned. The runtime's
// regexp knows a newer Unicode (Node 20: 15.1 or later), so the characters assigned since 13.0 are listed apart
// (ruby-printable-data.ts, generated from Ruby; test/marshal-ruby-printable.test.ts compares every code point).
const NOT_PRINTED = /(?!\u0085)[\p{Cc}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u;

/** ASSIGNED_AFTER_RUBY as [start, end) pairs, made at the first character that needs them. */
let assignedAfter: Uint32Array | undefined;

/** Whether Ruby's `inspect` writes this character (`code` is its code point) as it is rather than as `\u` escape. */
export function isRubyPrintable(char: string, code: number): boolean {
  if (NOT_PRINTED.test(char)) return false;
  const ranges = (assignedAfter ??= decodeRanges(ASSIGNED_AFTER_RUBY));
  let low = 0;
  let high = ranges.length / 2;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (code >= ranges[2 * mid + 1]!) low = mid + 1;
    else high = mid;
  }
  return low === ranges.length / 2 || code < ranges[2 * low]!;
}

function decodeRanges(text: string): Uint32Array {
  const numbers = text.split(',').map((n) => parseInt(n, 36));
  const ranges = new Uint32Array(numbers.length);
  let end = 0;
  for (let i = 0; i < numbers.length; i += 2) {
    ranges[i] = end + numbers[i]!;
    ranges[i + 1] = end = ranges[i]! + numbers[i + 1]!;
  }
  return ranges;
}
