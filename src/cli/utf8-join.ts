/**
 * Texts as one run of UTF-8 bytes, each written straight into the result (`Buffer#write`), never joined into
 * one string first: a batch's rows joined are a large string that V8 flattens (a copy) before it encodes it (a
 * second pass), which cost `convert` about as much as building the rows did. Each text is encoded alone, as
 * `TextEncoder` would: a lone surrogate becomes U+FFFD, and so do both halves of a pair cut between two texts (rows
 * end in a newline, so none is).
 *
 * `units`: the texts' total length in UTF-16 code units (what the caller counted as it gathered them): the result
 * is sized for one byte per unit (all ASCII, every row of Base64 data) and grows only if a text needs more. The
 * bytes have an `ArrayBuffer` of their own (never a pooled one), so they can be transferred to another thread.
 */
export function joinUtf8(texts: readonly string[], units: number): Uint8Array {
  let bytes = Buffer.allocUnsafeSlow(units);
  let length = 0;
  for (const text of texts) {
    // Room for three bytes per unit is room for any text; short of that, its exact length decides.
    if (bytes.length - length < text.length * 3) {
      const needed = length + Buffer.byteLength(text, 'utf8');
      if (needed > bytes.length) {
        const larger = Buffer.allocUnsafeSlow(Math.max(needed, bytes.length * 2));
        larger.set(bytes.subarray(0, length));
        bytes = larger;
      }
    }
    length += bytes.write(text, length, 'utf8');
  }
  return length === bytes.length ? bytes : bytes.subarray(0, length);
}
