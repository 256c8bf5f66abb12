import { MarshalError, type MarshalErrorCode } from './errors.js';

/**
 * The wire layer under the parser and the inspector: a cursor over the input with Marshal's compact long.
 * Every read checks the bytes left first, so truncated input fails with `unexpected_eof` and a length can never
 * make us allocate more than the input holds.
 */
export class ByteReader {
  protected readonly bytes: Uint8Array;
  protected pos: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.pos = offset;
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
    const start = this.pos;
    const first = this.readByte();
    if (first === 0) return 0;
    const c = first > 127 ? first - 256 : first;
    if (c > 4) return c - 5;
    if (c < -4) return c + 5;
    const n = c > 0 ? c : -c;
    if (this.pos + n > this.bytes.length) {
      this.fail('unexpected_eof', `input ended inside a ${n}-byte long`, start);
    }
    let x = 0;
    for (let i = 0; i < n; i++) x += this.bytes[this.pos++]! * 2 ** (8 * i);
    // A negative long omits its leading 0xff bytes: sign-extend from the bytes written, not from the last byte.
    return c > 0 ? x : x - 2 ** (8 * n);
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

  /** A length-prefixed byte string, copied out of the input. */
  readByteString(what: string): Uint8Array {
    const n = this.readLength(what, 1);
    const start = this.pos;
    this.pos += n;
    return this.bytes.slice(start, this.pos);
  }
}
