// UTF-16 and UTF-32 as Ruby's transcoders (enc/trans/utf_16_32.trans) read them into UTF-8: algorithmic, so no table.
import type { TextDecoding } from './decoded-text.js';
import { TextBuilder } from './decoded-text.js';

/**
 * Ruby reads these in units of 2 (UTF-16) or 4 (UTF-32) bytes. An invalid unit is one error and Ruby goes on after
 * it; a high surrogate not followed by a low one is an error of its own 2 bytes, and the next unit is read again;
 * bytes left over at the end are one error ("incomplete"). A BOM is an ordinary U+FEFF, kept. The BOM-led `UTF-16`
 * and `UTF-32` read the first BOM to choose the byte order and drop it; until one is read, each unit is an error.
 */
export function decodeUnicode(bytes: Uint8Array, encoding: string): TextDecoding | undefined {
  switch (encoding) {
    case 'UTF-16LE':
      return utf16(bytes, 0, true);
    case 'UTF-16BE':
      return utf16(bytes, 0, false);
    case 'UTF-32LE':
      return utf32(bytes, 0, true);
    case 'UTF-32BE':
      return utf32(bytes, 0, false);
    case 'UTF-16':
      return withBom(bytes, 2, utf16);
    case 'UTF-32':
      return withBom(bytes, 4, utf32);
    default:
      return undefined;
  }
}

/**
 * The byte order a BOM-led `UTF-16` or `UTF-32` String starts with (`'UTF-16BE'`, ...), or undefined without a BOM.
 * Ruby's JSON generator converts such a String in that order with its BOM kept as U+FEFF.
 */
export function bomOrder(bytes: Uint8Array, encoding: 'UTF-16' | 'UTF-32'): string | undefined {
  if (encoding === 'UTF-16') {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
    return undefined;
  }
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return 'UTF-32BE';
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return 'UTF-32LE';
  return undefined;
}

function withBom(bytes: Uint8Array, unit: number, decode: (bytes: Uint8Array, start: number, little: boolean) => TextDecoding): TextDecoding {
  const out = new TextBuilder();
  let i = 0;
  while (i + unit <= bytes.length) {
    const big = unit === 2 ? bytes[i] === 0xfe && bytes[i + 1] === 0xff : bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 0xfe && bytes[i + 3] === 0xff;
    const little = unit === 2 ? bytes[i] === 0xff && bytes[i + 1] === 0xfe : bytes[i] === 0xff && bytes[i + 1] === 0xfe && bytes[i + 2] === 0 && bytes[i + 3] === 0;
    if (big || little) {
      const rest = decode(bytes, i + unit, little);
      return { text: out.text + rest.text, problem: out.problem ?? rest.problem };
    }
    out.error('invalid_bytes', i);
    i += unit;
  }
  if (i < bytes.length) out.error('invalid_bytes', i);
  return out.result();
}

function utf16(bytes: Uint8Array, start: number, little: boolean): TextDecoding {
  const out = new TextBuilder();
  const n = bytes.length;
  const unit = (i: number) => (little ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!);
  let i = start;
  while (i + 2 <= n) {
    const c = unit(i);
    if (c < 0xd800 || c > 0xdfff) {
      out.char(c);
      i += 2;
    } else if (c >= 0xdc00) {
      out.error('invalid_bytes', i);
      i += 2;
    } else if (i + 4 > n) {
      // One byte of a next unit: Ruby waits for it (one "incomplete" error from here) when it can start a low
      // surrogate, which in big-endian order it can only as 0xDC..0xDF; else the high surrogate is an error of its own.
      if (!little && n - i === 3 && (bytes[i + 2]! & 0xfc) !== 0xdc) {
        out.error('invalid_bytes', i);
        i += 2;
      }
      break;
    } else {
      const d = unit(i + 2);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.char(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i += 4;
      } else {
        out.error('invalid_bytes', i);
        i += 2;
      }
    }
  }
  if (i < n) out.error('invalid_bytes', i);
  return out.result();
}

function utf32(bytes: Uint8Array, start: number, little: boolean): TextDecoding {
  const out = new TextBuilder();
  const n = bytes.length;
  let i = start;
  for (; i + 4 <= n; i += 4) {
    const c = little
      ? (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0
      : ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) out.error('invalid_bytes', i);
    else out.char(c);
  }
  if (i < n) out.error('invalid_bytes', i);
  return out.result();
}
