// Regexp#to_s and Regexp#inspect as re.c writes them (`rb_reg_str_with_term`, `rb_reg_desc`, `rb_reg_expr_str`).
import { latin1Decode, utf8Decode, utf8SequenceLength } from './text.js';
import type { RubyRegexp } from './values/regexp.js';

const SLASH = 0x2f;
const BACKSLASH = 0x5c;

/** The option letters Ruby writes for these option bits (`option_to_str`): `m`, `i`, `x` in that order. */
function optionLetters(options: number): string {
  return `${options & 4 ? 'm' : ''}${options & 1 ? 'i' : ''}${options & 2 ? 'x' : ''}`;
}

/**
 * `Regexp#to_s` as bytes in the Regexp's encoding: `(?-mix:source)` with each unescaped `/` escaped and ASCII
 * control characters other than whitespace written `\xNN`. Ruby also folds a source that is itself one `(?i:...)`
 * group into the outer options after compiling it; we cannot compile Onigmo patterns, so such a source is kept
 * as it is (the outer group is still correct Ruby, only not the shortest).
 */
export function regexpToSBytes(regexp: RubyRegexp): Uint8Array {
  const on = optionLetters(regexp.options);
  const off = optionLetters(~regexp.options & 7);
  const head = `(?${on}${off ? `-${off}` : ''}:`;
  const body = exprBytes(regexp.source, regexp.encoding);
  const out = new Uint8Array(head.length + body.length + 1);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  out.set(body, head.length);
  out[out.length - 1] = 0x29;
  return out;
}

/** `rb_reg_expr_str` with no result encoding (as `to_s` calls it): multibyte characters are copied as they are. */
function exprBytes(source: Uint8Array, encoding: string): Uint8Array {
  const out: number[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const b = source[i]!;
    if (b === BACKSLASH && i + 1 < n) {
      const length = 1 + charLength(source, i + 1, encoding);
      for (let k = 0; k < length; k++) out.push(source[i + k]!);
      i += length;
      continue;
    }
    if (b >= 0x80) {
      const length = charLength(source, i, encoding);
      for (let k = 0; k < length; k++) out.push(source[i + k]!);
      i += length;
      continue;
    }
    if (b === SLASH) out.push(BACKSLASH, SLASH);
    else if ((b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d)) out.push(b);
    else for (const c of `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`) out.push(c.charCodeAt(0));
    i++;
  }
  return Uint8Array.from(out);
}

/** Bytes of the character at `i`: UTF-8 sequences whole, the lead bytes of the double-byte encodings with their trail. */
function charLength(bytes: Uint8Array, i: number, encoding: string): number {
  const b = bytes[i]!;
  let length = 1;
  if (b >= 0x80) {
    if (encoding === 'UTF-8') length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    else if (DOUBLE_BYTE.has(encoding)) length = 2;
  }
  return Math.min(length, bytes.length - i);
}

const DOUBLE_BYTE = /* @__PURE__ */ new Set(['Shift_JIS', 'Windows-31J', 'GBK', 'GB2312', 'GB18030', 'Big5', 'CP950', 'EUC-KR', 'CP949', 'EUC-JP', 'CP51932']);

/**
 * The source as `Regexp#inspect` shows it on a UTF-8 terminal (`rb_reg_desc`): kept as it is when it needs no
 * escape; else each unescaped `/` escaped, ASCII controls other than whitespace `\xNN`, and each non-ASCII character
 * `\uXXXX` (Unicode encodings) or `\xNN` / `\x{XXXX}` (others: its bytes).
 */
export function regexpInspectSource(source: Uint8Array, encoding: string): string {
  const utf8 = encoding === 'UTF-8' || encoding === 'US-ASCII';
  let needEscape = false;
  for (let i = 0; i < source.length && !needEscape; i++) {
    const b = source[i]!;
    if (b >= 0x80) {
      const length = utf8 ? utf8SequenceLength(source, i) : 0;
      needEscape = length === 0;
      i += length - 1;
    } else needEscape = b === SLASH || b < 0x20 || b === 0x7f;
  }
  if (!needEscape) return utf8 ? utf8Decode(source) : latin1Decode(source);
  let out = '';
  let i = 0;
  while (i < source.length) {
    const b = source[i]!;
    if (b === BACKSLASH && i + 1 < source.length) {
      const length = 1 + charLength(source, i + 1, encoding);
      out += utf8 ? utf8Decode(source.subarray(i, i + length)) : latin1Decode(source.subarray(i, i + length));
      i += length;
      continue;
    }
    if (b >= 0x80) {
      const length = utf8 ? utf8SequenceLength(source, i) : charLength(source, i, encoding);
      if (length === 0) {
        out += `\\x${hex2(b)}`;
        i++;
        continue;
      }
      if (utf8) {
        const code = utf8Decode(source.subarray(i, i + length)).codePointAt(0)!;
        out += code < 0x10000 ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : `\\u{${code.toString(16).toUpperCase()}}`;
      } else {
        let code = 0;
        for (let k = 0; k < length; k++) code = code * 256 + source[i + k]!;
        out += code < 0x100 ? `\\x${hex2(code)}` : `\\x{${code.toString(16).toUpperCase()}}`;
      }
      i += length;
      continue;
    }
    if (b === SLASH) out += '\\/';
    else if ((b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d)) out += String.fromCharCode(b);
    else out += `\\x${hex2(b)}`;
    i++;
  }
  return out;
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
