import type { Readable } from 'node:stream';
import type { MigrationEntry } from '../stores/migrate.js';
import { dumpChunks, maxLineBytes, splitDumpChunk, type DumpChunk } from './dump-chunks.js';

/** A dump line that is not `{"key": "...", "value": "<base64>" | null}`, or holds a session over the size limit. */
export interface BadDumpLine {
  /** 1-based line number. */
  line: number;
  /** The key, when the line is JSON with a string `key`. */
  key: string | null;
  code: 'invalid_line' | 'session_too_large' | 'invalid_key';
  message: string;
}

/** The default `maxSessionBytes`: 16 MiB of value bytes, hundreds of times a real session. */
export const DEFAULT_MAX_SESSION_BYTES = 16 * 1024 * 1024;

/** Options for `DumpReader`. */
export interface DumpReaderOptions {
  /** The largest value (decoded bytes) a line may hold; a longer line is a `session_too_large` reject. Defaults to 16 MiB. */
  maxSessionBytes?: number;
  /** The input's name in messages. Defaults to `'the dump'`. */
  label?: string;
}

/**
 * Reads the JSONL dump `export` writes, one line at a time (memory bounded by the longest allowed line): each line
 * `{"key": "...", "value": "<standard Base64>"}`, or `{"key_b64": "<base64>", ...}` for a key that is not UTF-8;
 * `"value": null` stands for a key whose value vanished. Blank lines and a leading UTF-8 BOM are ignored, CRLF is
 * read as LF. A line longer than `maxSessionBytes` allows is not kept in memory: it becomes a `session_too_large`
 * reject named by its key, and reading goes on.
 *
 * `entries()` yields the good lines; bad ones are kept for `takeBadLines()`, so a caller that pulls one entry per
 * outcome sees them in line order; `shiftLine()` gives the line number of each entry, in the same order.
 */
export class DumpReader {
  private readonly bad: BadDumpLine[] = [];
  /** Line numbers of the entries yielded so far, oldest first; `shiftLine()` claims them in order. */
  private readonly lines: number[] = [];
  private readonly maxSessionBytes: number;
  private readonly maxLineBytes: number;
  private readonly label: string;

  constructor(
    private readonly input: Readable,
    options: DumpReaderOptions = {},
  ) {
    this.maxSessionBytes = options.maxSessionBytes ?? DEFAULT_MAX_SESSION_BYTES;
    this.maxLineBytes = maxLineBytes(this.maxSessionBytes);
    this.label = options.label ?? 'the dump';
  }

  async *entries(): AsyncGenerator<MigrationEntry> {
    for await (const batch of this.lineBatches()) {
      for (const line of batch) yield* this.take(line);
    }
  }

  /**
   * The dump's lines as they come in, a batch per chunk read (so a caller can convert a batch without a wait per
   * line): numbered from 1, blank lines and a leading BOM left out, each to be read with `readDumpLine`.
   */
  async *lineBatches(): AsyncGenerator<DumpLine[]> {
    for await (const chunk of this.chunks()) {
      const batch = splitDumpChunk(chunk, this.maxLineBytes);
      if (batch.length > 0) yield batch;
    }
  }

  /** The dump as chunks of whole lines, undecoded (see `splitDumpChunk`): for a thread that converts them. */
  chunks(): AsyncGenerator<DumpChunk> {
    return dumpChunks(this.input, this.maxLineBytes, this.label);
  }

  /** The longest line kept whole (see `maxLineBytes`). */
  get lineByteLimit(): number {
    return this.maxLineBytes;
  }

  /** The most a value may decode to (see `DumpReaderOptions`). */
  get sessionByteLimit(): number {
    return this.maxSessionBytes;
  }

  private *take(line: DumpLine): Generator<MigrationEntry> {
    const parsed = readDumpLine(line, this.maxSessionBytes);
    if ('code' in parsed) {
      this.bad.push(parsed);
      return;
    }
    this.lines.push(line.number);
    yield parsed;
  }

  /** The bad lines met since the last call. */
  takeBadLines(): BadDumpLine[] {
    return this.bad.splice(0);
  }

  /** The line number of the oldest entry not claimed yet. */
  shiftLine(): number | undefined {
    return this.lines.shift();
  }
}

/** A line of the dump: its number, its text (only the head of an over-long one), and whether it was cut. */
export interface DumpLine {
  number: number;
  text: string;
  oversized: boolean;
}

/** A line of `lineBatches` -> its entry, or what is wrong with it. */
export function readDumpLine(line: DumpLine, maxSessionBytes: number): MigrationEntry | BadDumpLine {
  return line.oversized ? oversizedLine(line.text, line.number, maxSessionBytes) : parseDumpLine(line.text, line.number, maxSessionBytes);
}

/** One dump line -> its entry, or what is wrong with it (never quoting the value). */
export function parseDumpLine(text: string, line: number, maxSessionBytes = DEFAULT_MAX_SESSION_BYTES): MigrationEntry | BadDumpLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { line, key: null, code: 'invalid_line', message: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { line, key: null, code: 'invalid_line', message: 'not a JSON object' };
  }
  const { key, key_b64: keyBase64, value } = parsed as { key?: unknown; key_b64?: unknown; value?: unknown };
  if (key === undefined && typeof keyBase64 === 'string') return binaryKeyLine(keyBase64, line);
  if (typeof key !== 'string' || key === '') return { line, key: null, code: 'invalid_line', message: 'no "key" string' };
  if (value === null) return { key, value: null };
  if (typeof value !== 'string') return { line, key, code: 'invalid_line', message: '"value" is neither a Base64 string nor null' };
  const notBase64 = { line, key, code: 'invalid_line', message: '"value" is not standard Base64 (A-Z a-z 0-9 + /, = padding, no line breaks)' } as const;
  if (value.length % 4 !== 0) return notBase64;
  const size = base64DecodedLength(value);
  if (size > maxSessionBytes) return isStandardBase64(value) ? tooLarge(line, key, `${size} bytes`, maxSessionBytes) : notBase64;
  const bytes = Buffer.from(value, 'base64');
  if (!decodedWhole(value, bytes.length, size) && bytes.toString('base64') !== value && !isStandardBase64(value)) return notBase64;
  return { key, value: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
}

/**
 * True when `text` (its length a multiple of 4) decoded to all the bytes its length and padding promise, which
 * proves it standard Base64 at the cost of two native scans: the decoder skips a character it does not know and
 * stops at an `=` before the padding, and either leaves the bytes shorter (one character fewer among the first
 * `length - padding` always costs a byte). What it decodes though it is not standard is ruled out here: the URL-safe
 * `-` and `_`, and any character past ASCII (a two-byte one can be read by its low byte). False says nothing: the
 * exact checks decide (encoding back, then the regex, which also takes unused bits set in the last character).
 */
function decodedWhole(text: string, decoded: number, expected: number): boolean {
  return decoded === expected && Buffer.byteLength(text, 'utf8') === text.length && text.indexOf('-') === -1 && text.indexOf('_') === -1;
}

/** A key `export` wrote as `key_b64` is not UTF-8, so no store wrote it as a session key: a reject without its text. */
function binaryKeyLine(keyBase64: string, line: number): BadDumpLine {
  if (!isStandardBase64(keyBase64)) return { line, key: null, code: 'invalid_line', message: '"key_b64" is not standard Base64' };
  return { line, key: null, code: 'invalid_key', message: `the key (${base64DecodedLength(keyBase64)} bytes) is not UTF-8, so it is not a session key` };
}

function oversizedLine(head: string, line: number, maxSessionBytes: number): BadDumpLine {
  return tooLarge(line, leadingKey(head), 'a line too long', maxSessionBytes);
}

function tooLarge(line: number, key: string | null, size: string, maxSessionBytes: number): BadDumpLine {
  return { line, key, code: 'session_too_large', message: `session_too_large: the value (${size}) is over --max-session-bytes (${maxSessionBytes})` };
}

/** The `"key"` string at the start of `{"key": "...", ...}`, read from the head of a line too long to parse whole. */
function leadingKey(head: string): string | null {
  const match = /^\s*\{\s*"key"\s*:\s*/.exec(head);
  if (match === null) return null;
  let i = match[0].length;
  if (head[i] !== '"') return null;
  for (i++; i < head.length; i++) {
    const c = head[i];
    if (c === '\\') i++;
    else if (c === '"') {
      try {
        const key = JSON.parse(head.slice(match[0].length, i + 1)) as unknown;
        return typeof key === 'string' && key !== '' ? key : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Standard Base64 with padding, no line breaks. One character class and a bounded tail: the regex engine runs it
 * as a single native loop, without backtracking or recursion, whatever the length (several times faster than a
 * charCodeAt loop on the megabyte lines of a large session).
 */
export function isStandardBase64(text: string): boolean {
  return text.length % 4 === 0 && STANDARD_BASE64.test(text);
}

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64DecodedLength(text: string): number {
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  return (text.length / 4) * 3 - padding;
}
