import fc from 'fast-check';

/** One edit of a payload: a byte set, inserted or deleted. */
export interface ByteEdit {
  kind: 'set' | 'insert' | 'delete';
  at: number;
  byte: number;
}

/** Random edits for `mutate`. */
export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
);

/** `bytes` with `edits` applied at or after byte `from` (so that a fixed head, such as `04 08`, is mostly kept). */
export function mutate(bytes: Uint8Array, edits: ByteEdit[], from: number): Uint8Array {
  const out = Array.from(bytes);
  for (const { kind, at, byte } of edits) {
    const i = from + (at % Math.max(1, out.length - from));
    if (kind === 'set') out[Math.min(i, out.length - 1)] = byte;
    else if (kind === 'insert') out.splice(i, 0, byte);
    else out.splice(i, 1);
  }
  return Uint8Array.from(out);
}
