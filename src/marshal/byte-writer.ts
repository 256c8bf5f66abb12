import type { Budget } from './budget.js';
import { MarshalError } from './errors.js';
import { utf8ByteLength, utf8Write } from './text.js';

/**
 * The buffer the last writer gave back (see `result`), lent to the next one: a dump then neither allocates a buffer
 * nor grows one. Only one writer holds it at a time (a writer made while another is at work gets a new buffer), and
 * one past SPARE_MAX_BYTES is dropped rather than kept alive.
 */
let spare: Uint8Array | undefined;
const SPARE_MAX_BYTES = 256 * 1024;

/** The wire layer under the generator: a growable byte buffer with Marshal's compact long. */
export class ByteWriter {
  protected buffer: Uint8Array;
  protected pos = 0;
  /**
   * The size the output may reach before the budget is checked again: 256 bytes, then doubled as it is passed, as if
   * the buffer started at 256 bytes and doubled (the lent buffer is often larger), so the budget is checked at the
   * same points whatever buffer was lent.
   */
  private checkedSize = 256;

  /** Checked each time the output passes `checkedSize`: it may not pass its `maxOutputBytes`. */
  protected budget: Budget | undefined;

  constructor() {
    this.buffer = spare ?? new Uint8Array(256);
    spare = undefined;
  }

  /** Makes room for `n` more bytes. */
  protected ensure(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.checkedSize) return;
    this.grow(needed);
  }

  private grow(needed: number): void {
    this.budget?.checkTotal(needed);
    let size = this.checkedSize * 2;
    while (size < needed) size *= 2;
    this.checkedSize = size;
    if (size <= this.buffer.length) return;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.pos));
    this.buffer = next;
  }

  writeByte(byte: number): void {
    this.ensure(1);
    this.buffer[this.pos++] = byte;
  }

  /** Two bytes at once (a type byte and a one-byte long, the commonest pair). */
  writeBytePair(a: number, b: number): void {
    this.ensure(2);
    this.buffer[this.pos++] = a;
    this.buffer[this.pos++] = b;
  }

  /** Marshal's `w_long` for -2^31..2^31-1: one byte for -123..122, else a signed count byte and 1..4 bytes. */
  writeLong(x: number): void {
    this.ensure(5);
    const buffer = this.buffer;
    if (x === 0) {
      buffer[this.pos++] = 0;
    } else if (x > 0 && x < 123) {
      buffer[this.pos++] = x + 5;
    } else if (x < 0 && x > -124) {
      buffer[this.pos++] = (x - 5) & 0xff;
    } else {
      if (x !== (x | 0)) throw new MarshalError('length_exceeded', `length ${x} too big to dump (Ruby's limit is 32 bits)`, this.pos);
      const countAt = this.pos++;
      let rest = x | 0;
      for (let i = 1; i <= 4; i++) {
        buffer[this.pos++] = rest & 0xff;
        rest >>= 8;
        if (rest === 0) {
          buffer[countAt] = i;
          break;
        }
        if (rest === -1) {
          buffer[countAt] = 256 - i;
          break;
        }
      }
    }
  }

  writeBytes(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    if (n > 32) {
      this.buffer.set(bytes, this.pos);
      this.pos += n;
      return;
    }
    // Session strings are short: a loop beats the call into TypedArray.set for them.
    const buffer = this.buffer;
    let p = this.pos;
    for (let i = 0; i < n; i++) buffer[p++] = bytes[i]!;
    this.pos = p;
  }

  /** A long length followed by the bytes. */
  writeByteString(bytes: Uint8Array): void {
    this.writeLong(bytes.length);
    this.writeBytes(bytes);
  }

  /** A long length followed by the UTF-8 bytes of `text`. */
  writeUtf8String(text: string): void {
    const length = utf8ByteLength(text);
    this.writeLong(length);
    this.ensure(length);
    this.pos = utf8Write(this.buffer, this.pos, text);
  }

  /** A long length followed by one byte per char of `text` (chars below 256). */
  writeLatin1String(text: string): void {
    this.writeLong(text.length);
    this.ensure(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.pos++] = text.charCodeAt(i) & 0xff;
  }

  /** A copy of what was written. The buffer goes back to be lent to the next writer: write nothing after this. */
  result(): Uint8Array {
    const out = this.buffer.slice(0, this.pos);
    if (this.buffer.length <= SPARE_MAX_BYTES) spare = this.buffer;
    return out;
  }
}
