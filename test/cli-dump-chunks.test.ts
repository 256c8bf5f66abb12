// A dump cut into chunks of whole lines (the reading thread, which decodes nothing) and each chunk split into lines
// (the converting thread) gives the lines of the whole dump whatever the pieces read: line numbers, CRLF, the BOM,
// blank lines, over-long lines kept as their head, and a last line without its LF.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpChunks, splitDumpChunk, type DumpChunk } from '../src/cli/dump-chunks.js';
import type { DumpLine } from '../src/cli/dump-reader.js';

const HEAD_BYTES = 64 * 1024;

/** What the lines of `input` are, read whole: the rules of `DumpReader`, written the plain way. */
function expectedLines(input: Uint8Array, maxLine: number): DumpLine[] {
  const bytes = Buffer.from(input);
  const segments: Buffer[] = [];
  let start = 0;
  for (let lf = bytes.indexOf(0x0a); lf !== -1; lf = bytes.indexOf(0x0a, start)) {
    segments.push(bytes.subarray(start, lf));
    start = lf + 1;
  }
  if (start < bytes.length) segments.push(bytes.subarray(start));
  const lines: DumpLine[] = [];
  segments.forEach((segment, index) => {
    const number = index + 1;
    const bom = (text: string) => (number === 1 && text.startsWith('\ufeff') ? text.slice(1) : text);
    if (segment.length > maxLine) {
      lines.push({ number, text: bom(segment.subarray(0, HEAD_BYTES).toString('utf8')), oversized: true });
      return;
    }
    const text = bom((segment.at(-1) === 0x0d ? segment.subarray(0, -1) : segment).toString('utf8'));
    if (text.trim() !== '') lines.push({ number, text, oversized: false });
  });
  return lines;
}

async function chunkedLines(pieces: Uint8Array[], maxLine: number): Promise<{ lines: DumpLine[]; chunks: DumpChunk[] }> {
  const chunks: DumpChunk[] = [];
  for await (const chunk of dumpChunks(Readable.from(pieces.map((p) => Buffer.from(p))), maxLine, 'the dump')) chunks.push({ ...chunk, bytes: Uint8Array.from(chunk.bytes) });
  return { lines: chunks.flatMap((chunk) => splitDumpChunk(chunk, maxLine)), chunks };
}

/** `input` cut at the given offsets. */
function cut(input: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (input.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, input.length]) {
    pieces.push(input.subarray(start, point));
    start = point;
  }
  return pieces;
}

const lineText = fc.oneof(
  fc.constant(''),
  fc.constant('\r'),
  fc.constant(' \t'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('{"key":"session:1","value":"BAh7AA=="}', 'é€😀', '\ufeff{"a":1}'),
);

describe('dump chunks', () => {
  it('give the lines of the whole dump, whatever the pieces read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(lineText, fc.constantFrom('\n', '\r\n')), { maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 60 }),
        async (lines, bom, lastLf, offsets, maxLine) => {
          let text = (bom ? '\ufeff' : '') + lines.map(([t, end]) => t + end).join('');
          if (!lastLf && text.endsWith('\n')) text = text.slice(0, -1);
          const input = new TextEncoder().encode(text);
          const { lines: got, chunks } = await chunkedLines(cut(input, offsets), maxLine);
          expect(got).toStrictEqual(expectedLines(input, maxLine));
          // Chunks are in order and cut only after an LF (or hold one line's head alone).
          for (const [i, chunk] of chunks.entries()) {
            if (i > 0) expect(chunk.firstLine).toBeGreaterThan(chunks[i - 1]!.firstLine);
            if (!chunk.headOnly && i < chunks.length - 1) expect(chunk.bytes.at(-1)).toBe(0x0a);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keep only the head of a line past the limit, split across pieces or whole in one, and go on after it', async () => {
    const long = `{"key":"session:${'a'.repeat(40)}","value":"${'A'.repeat(300_000)}"}`;
    const input = new TextEncoder().encode(`first\r\n${long}\r\n\nlast`);
    const expected = expectedLines(input, 200_000);
    expect(expected.map((l) => [l.number, l.oversized, l.text.length])).toStrictEqual([
      [1, false, 5],
      [2, true, HEAD_BYTES],
      [4, false, 4],
    ]);
    for (const size of [1000, 65_536, 100_000, input.length]) {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < input.length; at += size) pieces.push(input.subarray(at, at + size));
      const { lines, chunks } = await chunkedLines(pieces, 200_000);
      expect(lines).toStrictEqual(expected);
      // Split across pieces, the long line is never held whole: its head alone is a chunk.
      if (size < 200_000) expect(chunks.some((c) => c.headOnly && c.bytes.length === HEAD_BYTES)).toBe(true);
    }
  });
});
