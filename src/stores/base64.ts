// Base64 exactly as Ruby's `Base64.encode64` / `decode64` (`pack("m")` / `unpack("m")`), which
// ActiveRecord::SessionStore's marshal serializer writes and reads.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = /* @__PURE__ */ Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = /* @__PURE__ */ (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();
const LINE_INPUT_BYTES = 45; // pack("m") without a count: 45 bytes -> 60 characters per line

/** Node's `Buffer`, when the runtime has one (found at run time: the library imports nothing from `node:`). */
interface NativeBuffer {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64'): string };
}
const NATIVE_BUFFER = /* @__PURE__ */ (() => {
  const candidate = (globalThis as { Buffer?: NativeBuffer }).Buffer;
  return typeof candidate?.from === 'function' ? candidate : undefined;
})();
const LINE_CHARS = 60;

/**
 * `Base64.encode64(bytes)`: lines of 60 characters, each ending in `\n`, the last one too; `=` padding.
 * An empty input gives `""`. Uses the runtime's native Base64 (`Buffer`, else `btoa`) and cuts its output into
 * lines; a table loop where neither exists.
 */
export function encode64(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  let flat: string;
  if (NATIVE_BUFFER !== undefined) flat = NATIVE_BUFFER.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  else if (typeof btoa === 'function') flat = btoa(latin1(bytes));
  else return encode64Portable(bytes);
  const length = flat.length;
  if (length <= LINE_CHARS) return `${flat}\n`;
  const lines = new Array<string>(Math.ceil(length / LINE_CHARS));
  for (let i = 0, k = 0; i < length; i += LINE_CHARS, k++) lines[k] = flat.slice(i, i + LINE_CHARS);
  lines.push('');
  return lines.join('\n');
}

/** One char per byte, for `btoa`. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return text;
}

/** `encode64` without a native Base64: a table loop, 45 input bytes to a line. */
export function encode64Portable(bytes: Uint8Array): string {
  const length = bytes.length;
  const lines = Math.ceil(length / LINE_INPUT_BYTES);
  const out = new Uint8Array(Math.ceil(length / 3) * 4 + lines);
  let o = 0;
  for (let start = 0; start < length; start += LINE_INPUT_BYTES) {
    const end = Math.min(start + LINE_INPUT_BYTES, length);
    let i = start;
    for (; i + 3 <= end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o++] = ENCODE[n >> 18]!;
      out[o++] = ENCODE[(n >> 12) & 63]!;
      out[o++] = ENCODE[(n >> 6) & 63]!;
      out[o++] = ENCODE[n & 63]!;
    }
    const rest = end - i;
    if (rest > 0) {
      const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
      out[o++] = ENCODE[n >> 18]!;
      out[o++] = ENCODE[(n >> 12) & 63]!;
      out[o++] = rest === 2 ? ENCODE[(n >> 6) & 63]! : 0x3d;
      out[o++] = 0x3d;
    }
    out[o++] = 0x0a;
  }
  return latin1(out.subarray(0, o));
}

/**
 * `Base64.decode64(text)`: what Ruby's `unpack1("m")` reads. Characters outside the alphabet (newlines, `\r`,
 * spaces) are skipped; an `=` in the third or fourth place of a group ends the input; a trailing group of 2 or 3
 * characters still gives its whole bytes, as Ruby's does.
 */
export function decode64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let o = 0;
  let group = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 256 ? DECODE[c]! : -1;
    if (v < 0) {
      // pack.c skips '=' where a group's first or second character is expected, and stops at it after that.
      if (c === 0x3d && count >= 2) break;
      continue;
    }
    group = (group << 6) | v;
    if (++count === 4) {
      out[o++] = group >> 16;
      out[o++] = (group >> 8) & 0xff;
      out[o++] = group & 0xff;
      group = 0;
      count = 0;
    }
  }
  if (count === 2) out[o++] = group >> 4;
  else if (count === 3) {
    out[o++] = group >> 10;
    out[o++] = (group >> 2) & 0xff;
  }
  return out.slice(0, o);
}
