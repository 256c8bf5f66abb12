import { MarshalError, type MarshalErrorCode } from './errors.js';

/**
 * The wire layer under the parser and the inspector: a cursor over the input with Marshal's compact long.
 * Every read checks the bytes left first, so truncated input fails with `unexpected_eof` and a length can never
 * make us allocate more than the input holds.
 */
export class ByteReader {
  protected readonly bytes: Uint8Array;
  protected pos: number;
  /** When set, the buffer of `bytes`, which starts it: byte strings are views of it rather than copies. */
  private readonly viewed: ArrayBufferLike | undefined;

  constructor(bytes: Uint8Array, viewed?: ArrayBufferLike) {
    this.bytes = bytes;
    this.pos = 0;
    this.viewed = viewed;
  }

  /** Current offset. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(code: MarshalErrorCode, reason: string, offset = this.pos): never {
    throw new MarshalError(code, reason, offset);
  }

  readByte(): number {
    if (this.pos >= this.bytes.length) this.fail('unexpected_eof', 'input ended where a byte was expected');
    return this.bytes[this.pos++]!;
  }

  /** Marshal's `r_long`: one byte for -123..122, else a signed count byte and 1..4 little-endian bytes. */
  readLong(): number {
    const bytes = this.bytes;
    const start = this.pos;
    const first = this.readByte();
    if (first === 0) return 0;
    if (first > 4 && first < 128) return first - 5; // c > 4: c - 5
    if (first > 127 && first < 252) return first - 251; // c < -4: c + 5
    const n = first < 5 ? first : 256 - first;
    if (start + 1 + n > bytes.length) {
      this.fail('unexpected_eof', `input ended inside a ${n}-byte long`, start);
    }
    let x = bytes[start + 1]!;
    if (n > 1) x |= bytes[start + 2]! << 8;
    if (n > 2) x |= bytes[start + 3]! << 16;
    if (n > 3) x += bytes[start + 4]! * 0x1000000;
    this.pos = start + 1 + n;
    // A negative long omits its leading 0xff bytes: sign-extend from the bytes written, not from the last byte.
    return first < 5 ? x : x - 2 ** (8 * n);
  }

  /**
   * A non-negative length or count whose items take at least `bytesPerItem` bytes each: checked against the bytes
   * left before anything is allocated for it, so a 9-byte payload that claims a 1 GB string fails at once.
   */
  readLength(what: string, bytesPerItem: number): number {
    const start = this.pos;
    const n = this.readLong();
    if (n < 0) this.fail('invalid_format', `negative ${what} ${n}`, start);
    if (n * bytesPerItem > this.bytes.length - this.pos) {
      // Reported as the end of input (a cut-off payload and a lying length look the same), before any allocation.
      this.fail(
        'unexpected_eof',
        `${what} ${n} needs at least ${n * bytesPerItem} bytes, only ${this.bytes.length - this.pos} left`,
        start,
      );
    }
    return n;
  }

  /** A length-prefixed byte string: a view of the input when `viewed` is set, else a copy. */
  readByteString(what: string): Uint8Array {
    const n = this.readLength(what, 1);
    const start = this.pos;
    this.pos += n;
    if (this.viewed) return new Uint8Array(this.viewed, start, n);
    // A plain new array and a loop beat `slice` (and its species lookup) at the lengths an input without views holds.
    const bytes = this.bytes;
    const copy = new Uint8Array(n);
    for (let i = 0; i < n; i++) copy[i] = bytes[start + i]!;
    return copy;
  }
}
