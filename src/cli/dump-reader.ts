import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { MigrationEntry } from '../stores/migrate.js';

/** A dump line that is not `{"key": "...", "value": "<base64>" | null}`. */
export interface BadDumpLine {
  /** 1-based line number. */
  line: number;
  /** The key, when the line is JSON with a string `key`. */
  key: string | null;
  code: 'invalid_line';
  message: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads the JSONL dump `export` writes, one line at a time (constant memory): each line `{"key": "...", "value":
 * "<standard Base64>"}`; `"value": null` stands for a key whose value vanished. Blank lines are ignored.
 *
 * `entries()` yields the good lines; bad ones are kept for `takeBadLines()`, so a caller that pulls one entry per
 * outcome sees them in line order; `shiftLine()` gives the line number of each entry, in the same order.
 */
export class DumpReader {
  private readonly bad: BadDumpLine[] = [];
  /** Line numbers of the entries yielded so far, oldest first; `shiftLine()` claims them in order. */
  private readonly lines: number[] = [];

  constructor(private readonly input: Readable) {}

  async *entries(): AsyncGenerator<MigrationEntry> {
    const reader = createInterface({ input: this.input, crlfDelay: Infinity });
    let number = 0;
    for await (const text of reader) {
      number++;
      if (text.trim() === '') continue;
      const parsed = parseDumpLine(text, number);
      if ('code' in parsed) {
        this.bad.push(parsed);
        continue;
      }
      this.lines.push(number);
      yield parsed;
    }
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

/** One dump line -> its entry, or what is wrong with it (never quoting the value). */
export function parseDumpLine(text: string, line: number): MigrationEntry | BadDumpLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { line, key: null, code: 'invalid_line', message: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { line, key: null, code: 'invalid_line', message: 'not a JSON object' };
  }
  const { key, value } = parsed as { key?: unknown; value?: unknown };
  if (typeof key !== 'string' || key === '') return { line, key: null, code: 'invalid_line', message: 'no "key" string' };
  if (value === null) return { key, value: null };
  if (typeof value !== 'string') return { line, key, code: 'invalid_line', message: '"value" is neither a Base64 string nor null' };
  if (!BASE64.test(value)) return { line, key, code: 'invalid_line', message: '"value" is not standard Base64 (A-Z a-z 0-9 + /, = padding, no line breaks)' };
  return { key, value: new Uint8Array(Buffer.from(value, 'base64')) };
}
