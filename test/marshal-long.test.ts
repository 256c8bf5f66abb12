import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader } from '../src/marshal/byte-reader.js';
import { ByteWriter } from '../src/marshal/byte-writer.js';
import { hex } from './helpers/seq.js';

function writeLong(x: number): string {
  const writer = new ByteWriter();
  writer.writeLong(x);
  return hex(writer.result());
}

function readLong(bytes: number[]): number {
  return new ByteReader(Uint8Array.from(bytes)).readLong();
}

// Vectors from MRI 3.1's w_long (../shared/reference/rails-session-formats.md §5.2, checked with `ruby -e`).
const VECTORS: Array<[number, string]> = [
  [0, '00'],
  [1, '06'],
  [122, '7f'],
  [123, '017b'],
  [255, '01ff'],
  [256, '020001'],
  [-1, 'fa'],
  [-123, '80'],
  [-124, 'ff84'],
  [-256, 'ff00'],
  [-257, 'fefffe'],
  [65535, '02ffff'],
  [65536, '03000001'],
  [-65536, 'fe0000'],
  [-65537, 'fdfffffe'],
  [2 ** 30 - 1, '04ffffff3f'],
  [-(2 ** 30), 'fc000000c0'],
  [2 ** 31 - 1, '04ffffff7f'],
  [-(2 ** 31), 'fc00000080'],
];

describe('Marshal compact long', () => {
  it.each(VECTORS)('writes %d as Ruby does (%s)', (value, bytes) => {
    expect(writeLong(value)).toBe(bytes);
  });

  it.each(VECTORS)('reads %d back', (value, bytes) => {
    expect(readLong([...Buffer.from(bytes, 'hex')])).toBe(value);
  });

  it('sign-extends from the omitted 0xff bytes, not from the last byte read', () => {
    // -129 is written ff 7f: one byte whose top bit is clear, on a negative count.
    expect(writeLong(-129)).toBe('ff7f');
    expect(readLong([0xff, 0x7f])).toBe(-129);
    expect(readLong([0xfe, 0x00, 0x00])).toBe(-65536);
  });

  it('round-trips every 32-bit value', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (x) => {
        const writer = new ByteWriter();
        writer.writeLong(x);
        const bytes = writer.result();
        const reader = new ByteReader(bytes);
        expect(reader.readLong()).toBe(x);
        expect(reader.remaining).toBe(0);
      }),
    );
  });

  it('refuses a long wider than 32 bits, as Ruby does', () => {
    expect(() => writeLong(2 ** 31)).toThrow(/too big/);
  });
});
