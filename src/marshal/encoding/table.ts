// The decoder for the tables fixtures/encodings/generate.rb writes from Ruby's own answers (see that script for
// the format). It reads bytes as Ruby's table-driven transcoders do: down a byte tree, one character at a time.
import type { TextDecoding } from './decoded-text.js';
import { TextBuilder } from './decoded-text.js';

/** One encoding's table, as generated. */
export interface TableSource {
  /** Ruby's name of the encoding. */
  name: string;
  /** Another table whose characters this one shares, apart from `removed` and those in `chars`. */
  base?: string;
  /** Byte sequences of the base that are not characters here. */
  removed?: string;
  /** The characters: byte sequence -> code points, or undefined in Ruby. */
  chars: string;
  /** GB18030's four-byte region: `[rank, count, first code point or -1 for undefined]` ranges. */
  four?: ReadonlyArray<readonly [number, number, number]>;
}

const UNDEFINED = -1;
const GROUP = 0x7c; // '|'
const RUN = 0x78; // 'x'
const UNDEF = 0x2e; // '.'
const SEVERAL = 0x7e; // '~'
const TWO_32 = 2 ** 32;

/** A byte sequence of `length` bytes with value `seq` (big-endian), as one number. */
function keyOf(length: number, seq: number): number {
  return length * TWO_32 + seq;
}

/** Reads the generator's numbers: base-32 digits, `0-9a-v` ending a number, `A-Z()*+,-` continuing it. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  number(): number {
    let n = 0;
    for (;;) {
      const c = this.text.charCodeAt(this.pos++);
      if (c >= 0x30 && c <= 0x39) return n * 32 + c - 0x30;
      if (c >= 0x61 && c <= 0x76) return n * 32 + c - 0x61 + 10;
      if (c >= 0x41 && c <= 0x5a) n = n * 32 + c - 0x41;
      else if (c >= 0x28 && c <= 0x2d) n = n * 32 + c - 0x28 + 26;
      else throw new Error(`encoding table: bad digit at ${this.pos - 1}`);
    }
  }

  signed(): number {
    const z = this.number();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

function readChars(text: string, into: Map<number, number | string>): void {
  const reader = new Reader(text);
  let length = 0;
  let seq = -1;
  let cp = -1;
  while (reader.pos < text.length) {
    const c = reader.peek();
    if (c === GROUP) {
      reader.pos++;
      length = text.charCodeAt(reader.pos++) - 0x30;
      seq = -1;
      continue;
    }
    if (c === RUN) {
      reader.pos++;
      for (let k = reader.number(); k > 0; k--) into.set(keyOf(length, ++seq), ++cp);
      continue;
    }
    seq += reader.number() + 1;
    const kind = reader.peek();
    if (kind === UNDEF) {
      reader.pos++;
      into.set(keyOf(length, seq), UNDEFINED);
    } else if (kind === SEVERAL) {
      reader.pos++;
      let several = '';
      for (let k = reader.number(); k > 0; k--) several += String.fromCodePoint(reader.number());
      into.set(keyOf(length, seq), several);
    } else {
      cp += reader.signed() + 1;
      into.set(keyOf(length, seq), cp);
    }
  }
}

function readKeys(text: string): number[] {
  const reader = new Reader(text);
  const keys: number[] = [];
  let length = 0;
  let seq = -1;
  while (reader.pos < text.length) {
    if (reader.peek() === GROUP) {
      reader.pos++;
      length = text.charCodeAt(reader.pos++) - 0x30;
      seq = reader.number();
    } else seq += reader.number() + 1;
    keys.push(keyOf(length, seq));
  }
  return keys;
}

/** A table, read into maps on first use. */
export class TableDecoder {
  private chars: Map<number, number | string> | undefined;
  private prefixes: Set<number> | undefined;

  constructor(
    private readonly source: TableSource,
    private readonly baseOf: (name: string) => TableDecoder | undefined,
  ) {}

  /** The characters by key (built once, shared with tables based on this one through a copy). */
  characters(): Map<number, number | string> {
    if (this.chars !== undefined) return this.chars;
    const source = this.source;
    let chars: Map<number, number | string>;
    if (source.base !== undefined) {
      const base = this.baseOf(source.base);
      if (base === undefined) throw new Error(`encoding table ${source.name}: base ${source.base} is not registered`);
      chars = new Map(base.characters());
      for (const key of readKeys(source.removed ?? '')) chars.delete(key);
    } else chars = new Map();
    readChars(source.chars, chars);
    const prefixes = new Set<number>();
    for (const key of chars.keys()) {
      const length = Math.floor(key / TWO_32);
      const seq = key - length * TWO_32;
      for (let l = 1; l < length; l++) prefixes.add(keyOf(l, Math.floor(seq / 256 ** (length - l))));
    }
    if (source.four !== undefined) for (let lead = 0x81; lead <= 0xfe; lead++) prefixes.add(keyOf(1, lead));
    this.prefixes = prefixes;
    this.chars = chars;
    return chars;
  }

  decode(bytes: Uint8Array): TextDecoding {
    const chars = this.characters();
    const prefixes = this.prefixes!;
    const four = this.source.four;
    const out = new TextBuilder();
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      const b = bytes[i]!;
      if (b < 0x80) {
        // Every table here maps ASCII to itself (the generator checks it), as Ruby's ASCII-only shortcut does.
        out.char(b);
        i++;
        continue;
      }
      let seq = 0;
      let length = 0;
      for (;;) {
        if (i + length >= n) {
          out.error('invalid_bytes', i); // incomplete: the rest is one error
          i = n;
          break;
        }
        seq = seq * 256 + bytes[i + length]!;
        length++;
        let found: number | string | undefined | 'prefix';
        if (four !== undefined && length >= 2 && isFourPrefix(seq, length)) found = length === 4 ? fourByte(four, seq) : 'prefix';
        else found = chars.get(keyOf(length, seq)) ?? (prefixes.has(keyOf(length, seq)) ? 'prefix' : undefined);
        if (found === 'prefix') continue;
        if (found === undefined) {
          // Invalid: Ruby reports the bytes before this one and reads this one again (a lone byte: that byte).
          out.error('invalid_bytes', i);
          i += length === 1 ? 1 : length - 1;
        } else if (found === UNDEFINED) {
          out.error('undefined_conversion', i);
          i += length;
        } else {
          if (typeof found === 'string') out.chars(found);
          else out.char(found);
          i += length;
        }
        break;
      }
    }
    return out.result();
  }
}

/** GB18030's four-byte shape [81-FE][30-39][81-FE][30-39], checked up to `length` bytes. */
function isFourPrefix(seq: number, length: number): boolean {
  for (let k = length - 1, s = seq; k >= 0; k--, s = Math.floor(s / 256)) {
    const b = s % 256;
    const ok = k % 2 === 0 ? b >= 0x81 && b <= 0xfe : b >= 0x30 && b <= 0x39;
    if (!ok) return false;
  }
  return true;
}

function fourByte(ranges: ReadonlyArray<readonly [number, number, number]>, seq: number): number | undefined {
  const b0 = Math.floor(seq / 0x1000000);
  const b1 = (seq >>> 16) & 0xff;
  const b2 = (seq >>> 8) & 0xff;
  const b3 = seq & 0xff;
  const rank = (((b0 - 0x81) * 10 + (b1 - 0x30)) * 126 + (b2 - 0x81)) * 10 + (b3 - 0x30);
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, count, cp] = ranges[mid]!;
    if (rank < start) hi = mid - 1;
    else if (rank >= start + count) lo = mid + 1;
    else return cp === -1 ? UNDEFINED : cp + rank - start;
  }
  return undefined;
}

