// Byte <-> text helpers shared by the value types, the parser and the generator.
// TextEncoder/TextDecoder are globals in Node, browsers and edge runtimes, so nothing here imports `node:`.

let utf8Decoder: TextDecoder | undefined;
let strictUtf8Decoder: TextDecoder | undefined;
let utf8Encoder: TextEncoder | undefined;

/** The UTF-8 bytes of a JS string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
  utf8Encoder ??= new TextEncoder();
  return utf8Encoder.encode(text);
}

/** Number of UTF-8 bytes `text` encodes to, without allocating. */
export function utf8ByteLength(text: string): number {
  let length = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        length += 4;
        i++;
      } else length += 3;
    } else length += 3;
  }
  return length;
}

/**
 * Writes the UTF-8 bytes of `text` at `offset`; the caller has made room for `utf8ByteLength(text)` bytes.
 * Returns the offset after the last byte. A hand loop beats TextEncoder for the short strings sessions hold.
 */
export function utf8Write(target: Uint8Array, offset: number, text: string): number {
  const n = text.length;
  if (n > 64) {
    utf8Encoder ??= new TextEncoder();
    return offset + utf8Encoder.encodeInto(text, target.subarray(offset)).written;
  }
  let p = offset;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      target[p++] = c;
      continue;
    }
    if (c < 0x800) {
      target[p++] = 0xc0 | (c >> 6);
      target[p++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        target[p++] = 0xf0 | (c >> 18);
        target[p++] = 0x80 | ((c >> 12) & 0x3f);
        target[p++] = 0x80 | ((c >> 6) & 0x3f);
        target[p++] = 0x80 | (c & 0x3f);
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate, as TextEncoder does
    target[p++] = 0xe0 | (c >> 12);
    target[p++] = 0x80 | ((c >> 6) & 0x3f);
    target[p++] = 0x80 | (c & 0x3f);
  }
  return p;
}

/** True when every byte is below 0x80. */
export function isAsciiBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** One JS char per byte (ISO-8859-1): a lossless text form of any bytes. */
export function latin1Decode(bytes: Uint8Array): string {
  const length = bytes.length;
  if (length <= 8) {
    // Float texts and short names: a loop beats `apply` and its argument list at these lengths.
    let short = '';
    for (let i = 0; i < length; i++) short += String.fromCharCode(bytes[i]!);
    return short;
  }
  if (length <= 4096) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}

/**
 * The text of UTF-8 bytes, each invalid sequence U+FFFD (as Ruby's `scrub` cuts them), a leading U+FEFF kept.
 * Short ASCII strings skip the decoder.
 */
export function utf8Decode(bytes: Uint8Array): string {
  if (bytes.length < 32 && isAsciiBytes(bytes)) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  utf8Decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
  return utf8Decoder.decode(bytes);
}

/** Length of the valid UTF-8 sequence of two or more bytes at `i`, or 0 when the bytes there are not one. */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const length = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  const second = bytes[i + 1]!;
  if (b === 0xe0 && second < 0xa0) return 0;
  if (b === 0xed && second > 0x9f) return 0;
  if (b === 0xf0 && second < 0x90) return 0;
  if (b === 0xf4 && second > 0x8f) return 0;
  return length;
}

/** The text of UTF-8 bytes, or undefined when they are not valid UTF-8 (one shared fatal decoder). */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  strictUtf8Decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
