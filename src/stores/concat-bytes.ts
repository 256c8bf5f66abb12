/** The parts, in order, as one new array. */
export function concatBytes(parts: ReadonlyArray<ArrayLike<number>>): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const whole = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}
