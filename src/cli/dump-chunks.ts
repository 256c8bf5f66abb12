/**
 * A dump as chunks of whole lines, and a chunk as its lines: the two halves of reading `export`'s JSONL, so that
 * the thread that reads (which only finds newlines, and decodes nothing) can hand raw bytes to the thread that
 * converts (which decodes and splits them). `DumpReader.lineBatches()` is the two halves in one thread.
 * @module
 */
import type { Readable } from 'node:stream';
import type { DumpLine } from './dump-reader.js';
import { ioFailure } from './io-error.js';
import { concatBytes } from '../stores/concat-bytes.js';

/** Whole lines of a dump, as bytes. */
export interface DumpChunk {
  /** The lines, each ending in LF (the dump's last one may not); or, with `headOnly`, the head of one line. */
  bytes: Uint8Array;
  /** The 1-based number of the chunk's first line (blank lines count). */
  firstLine: number;
  /** `bytes` are the first `HEAD_BYTES` of one line longer than the limit: the rest was never kept. */
  headOnly: boolean;
}

/** What the head of an over-long line keeps, to find its key. */
const HEAD_BYTES = 64 * 1024;
/** Room on a line for the key and the JSON around the value. */
const LINE_OVERHEAD = 1024 * 1024;

/** The longest line (bytes before its LF) that can hold a value of `maxSessionBytes` in Base64, and its key. */
export function maxLineBytes(maxSessionBytes: number): number {
  return Math.ceil(maxSessionBytes / 3) * 4 + LINE_OVERHEAD;
}

/**
 * The input cut after the last LF of each piece read, a line split across pieces carried into the next chunk.
 * Memory is bounded by the longest allowed line: a line past `maxLine` bytes keeps only its head, as a chunk of
 * its own. Read failures are `CliIoError`s naming `label`.
 */
export async function* dumpChunks(input: Readable, maxLine: number, label: string): AsyncGenerator<DumpChunk> {
  // The line not finished by the pieces read so far: its parts, or (over the limit) its head alone.
  let parts: Uint8Array[] = [];
  let length = 0;
  let head: Uint8Array | null = null;
  let line = 1;
  const carry = (piece: Uint8Array): void => {
    if (piece.length === 0) return;
    if (head !== null) {
      // The head is the line's first bytes whatever the pieces: filled up to its size, the rest dropped.
      if (head.length < HEAD_BYTES) head = concat([head, piece.subarray(0, HEAD_BYTES - head.length)]);
      return;
    }
    if (length + piece.length > maxLine) {
      head = concat([...parts, piece.subarray(0, HEAD_BYTES)]).subarray(0, HEAD_BYTES);
      parts = [];
      length = 0;
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  try {
    for await (const piece of input as AsyncIterable<Buffer | string>) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      const first = bytes.indexOf(0x0a);
      if (first === -1) {
        carry(bytes);
        continue;
      }
      let start = 0;
      if (head !== null || length + first > maxLine) {
        carry(bytes.subarray(0, first));
        yield { bytes: head!, firstLine: line++, headOnly: true };
        head = null;
        start = first + 1;
      }
      const last = bytes.lastIndexOf(0x0a);
      if (last >= start) {
        const whole = concat([...parts, bytes.subarray(start, last + 1)]);
        parts = [];
        length = 0;
        const firstLine = line;
        for (let at = start; at <= last; at = bytes.indexOf(0x0a, at) + 1) line++;
        yield { bytes: whole, firstLine, headOnly: false };
      }
      carry(bytes.subarray(last + 1));
    }
  } catch (error) {
    throw ioFailure(error, `cannot read ${label}`);
  }
  if (head !== null) yield { bytes: head, firstLine: line, headOnly: true };
  else if (length > 0) yield { bytes: concat(parts), firstLine: line, headOnly: false };
}

/**
 * A chunk's lines: split on LF, a CR before it dropped, numbered from the chunk's first line; blank lines and the
 * BOM of the dump's first line left out; a line past `maxLine` bytes kept as its head, marked `oversized`.
 */
export function splitDumpChunk(chunk: DumpChunk, maxLine: number): DumpLine[] {
  const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  if (chunk.headOnly) return [{ number: chunk.firstLine, text: withoutBom(bytes.toString('utf8'), chunk.firstLine), oversized: true }];
  const lines: DumpLine[] = [];
  let number = chunk.firstLine;
  for (let start = 0; start < bytes.length; number++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf === -1 ? bytes.length : lf;
    if (end - start > maxLine) {
      lines.push({ number, text: withoutBom(bytes.toString('utf8', start, Math.min(end, start + HEAD_BYTES)), number), oversized: true });
    } else {
      const text = withoutBom(bytes.toString('utf8', start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end), number);
      if (text.trim() !== '') lines.push({ number, text, oversized: false });
    }
    start = end + 1;
  }
  return lines;
}

function withoutBom(text: string, number: number): string {
  return number === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The parts as one array of its own (never a view of a shared pool, so it can be transferred to a thread). */
function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]!.byteOffset === 0 && parts[0]!.byteLength === parts[0]!.buffer.byteLength) return parts[0]!;
  return concatBytes(parts);
}
