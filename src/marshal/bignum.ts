const MAX_SAFE_BIG = /* @__PURE__ */ BigInt(Number.MAX_SAFE_INTEGER);
const HEX_BYTE = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The magnitude of a Marshal bignum (`length` little-endian bytes from `start`): a `number` when it is a safe
 * integer, else a `bigint`. Built through one hex string, so a long bignum costs linear time, not quadratic.
 */
export function bignumMagnitude(bytes: Uint8Array, start: number, length: number): number | bigint {
  const end = start + length;
  if (length <= 6) {
    let x = 0;
    for (let i = end - 1; i >= start; i--) x = x * 256 + bytes[i]!;
    return x;
  }
  let digits = '';
  for (let i = end - 1; i >= start; i--) digits += HEX_BYTE[bytes[i]!];
  const big = BigInt(`0x${digits}`);
  return big <= MAX_SAFE_BIG ? Number(big) : big;
}

/** Two lowercase hex digits of a byte. */
export function hexByte(byte: number): string {
  return HEX_BYTE[byte]!;
}
