/**
 * Builds bytes that read like the Marshal format: strings are taken byte for byte (chars below 256, so
 * '\x04\x08' is the header), numbers are single bytes, arrays of numbers are spliced in.
 * `seq('\x04\x08', '[', 0x07, 'i', 0x06, 'i', 0x07)` is `Marshal.dump([1, 2])`.
 */
export function seq(...parts: Array<string | number | number[] | Uint8Array>): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') for (let i = 0; i < part.length; i++) out.push(part.charCodeAt(i) & 0xff);
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}
