import { floatBytesValue, isFlonum } from './float-text.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { latin1Decode } from './text.js';
import {
  FIXNUM_MAX,
  FIXNUM_MIN,
  T_ARRAY,
  T_BIGNUM,
  T_FALSE,
  T_FIXNUM,
  T_FLOAT,
  T_HASH,
  T_HASH_DEF,
  T_IVAR,
  T_LINK,
  T_NIL,
  T_OBJECT,
  T_STRING,
  T_SYMBOL,
  T_SYMLINK,
  T_TRUE,
  T_UCLASS,
  T_USERDEF,
  T_USRMARSHAL,
} from './type-bytes.js';

/** Thrown inside the scan to give up; never escapes `isCanonical`. */
const NOT_CANONICAL: unique symbol = Symbol('not canonical');
const E_BYTE = 0x45;
/** The kinds of link in `links`; also the offset of the matching count (symbols, objects) in a span, after 2. */
const SYMBOL_LINK = 0;
const OBJECT_LINK = 1;
/** Past this many symbols the scan gives up rather than compare each new symbol with every earlier one. */
const MAX_SYMBOLS = 256;

/**
 * True when `dump(load(bytes))` is exactly `bytes`, proven without building the value tree: the payload is one
 * whole Marshal 4.8 value (no trailing bytes) that `load` reads, written the way `generate.ts` writes it.
 *
 * The scan mirrors `MarshalParser` (the same type bytes, the same object-table and symbol-table points, the same
 * depth count) and accepts only what the generator writes back unchanged: every compact long in its shortest
 * form, `i` only in Fixnum range and `l` only outside it with no leading zero words, each symbol written out once
 * and linked after, a flonum Float value written once, Strings bare or with exactly their `E` encoding ivar.
 * Anything else (named encodings, `e`, Structs, Regexps, links to a Bignum, ...) is answered `false`: the caller
 * then takes the slow path, which gives the same result, or the same error, by construction.
 */
export function isCanonical(bytes: Uint8Array, maxDepth: number = DEFAULT_MAX_DEPTH): boolean {
  if (bytes.length < 3 || bytes[0] !== 4 || bytes[1] !== 8) return false;
  const scan = new CanonicalScan(bytes, maxDepth);
  try {
    scan.value(1);
  } catch (error) {
    if (error === NOT_CANONICAL) return false;
    throw error;
  }
  return scan.offset === bytes.length;
}

class CanonicalScan implements CanonicalParts {
  private readonly bytes: Uint8Array;
  private readonly maxDepth: number;
  private pos = 2;
  /** Objects registered so far (the next `@` index). */
  private objects = 0;
  /** Marks the object-table slots of `l` Integers (`load` turns a link to one into a boxed BigInt or a copy). */
  private bignumSlots: Uint8Array | undefined;
  /** Flonum Float values written so far: the generator links a second one. */
  private flonums: Set<number> | undefined;
  /** Per symbol-table index: where its bytes start (-1 while its encoding ivar is still being read), length, encoding tag. */
  private readonly symbolStart: number[] = [];
  private readonly symbolLength: number[] = [];
  private readonly symbolTag: number[] = [];
  /** The symbol-table index of `:E` (a bare ASCII symbol), once it is read; below 123 (one-byte links) or -1. */
  private symbolE = -1;
  /**
   * When the ivars of the top object are wanted (`scanCanonicalParts`): every `;` and `@` link, four numbers each
   * (where its long starts, where it ends, the index, SYMBOL_LINK or OBJECT_LINK), in the order of the bytes.
   */
  private links: number[] | undefined;
  /** With `links`: the top object's class name, ivar names, and per ivar where its value starts and ends and the symbols and objects read before it. */
  className = '';
  readonly names: string[] = [];
  private readonly spans: number[] = [];

  constructor(bytes: Uint8Array, maxDepth: number) {
    this.bytes = bytes;
    this.maxDepth = maxDepth;
  }

  get offset(): number {
    return this.pos;
  }

  private byte(): number {
    if (this.pos >= this.bytes.length) throw NOT_CANONICAL;
    return this.bytes[this.pos++]!;
  }

  /** `r_long`, accepting only the form `w_long` writes (the shortest, within 32 bits). */
  private long(): number {
    const bytes = this.bytes;
    const p = this.pos;
    const first = bytes[p];
    if (first === undefined) throw NOT_CANONICAL;
    if (first > 5 && first < 128) {
      this.pos = p + 1;
      return first - 5;
    }
    if (first === 0) {
      this.pos = p + 1;
      return 0;
    }
    if (first > 0xfb) return this.multiByteLong(p, first);
    if (first < 0x80 || first === 0xfb) {
      // 1..4: a multi-byte positive long; 5 and 0xfb are other spellings of 0.
      if (first > 4 || first === 0xfb) throw NOT_CANONICAL;
      return this.multiByteLong(p, first);
    }
    this.pos = p + 1;
    return first - 251; // 0x80..0xfa: -123..-1
  }

  /** The 1..4-byte forms: positive when `first` is 1..4, negative when it is 0xfc..0xff. */
  private multiByteLong(p: number, first: number): number {
    const bytes = this.bytes;
    const n = first < 5 ? first : 256 - first;
    const end = p + 1 + n;
    if (end > bytes.length) throw NOT_CANONICAL;
    let x = bytes[p + 1]!;
    if (n > 1) x |= bytes[p + 2]! << 8;
    if (n > 2) x |= bytes[p + 3]! << 16;
    if (n > 3) x += bytes[p + 4]! * 0x1000000;
    this.pos = end;
    const top = bytes[end - 1]!;
    if (first < 5) {
      if (n === 1 ? x < 123 : top === 0) throw NOT_CANONICAL;
      if (x > 0x7fffffff) throw NOT_CANONICAL; // `dump` refuses longs past 32 bits
      return x;
    }
    const v = x - 2 ** (8 * n);
    if (n === 1 ? v > -124 : top === 0xff) throw NOT_CANONICAL;
    if (v < -0x80000000) throw NOT_CANONICAL;
    return v;
  }

  /** A length or count: non-negative, and, for byte strings, no more than the bytes left. */
  private length(): number {
    const n = this.long();
    if (n < 0) throw NOT_CANONICAL;
    return n;
  }

  private skipBytes(): void {
    const n = this.length();
    if (n > this.bytes.length - this.pos) throw NOT_CANONICAL;
    this.pos += n;
  }

  /** One value at `depth` (counted as `MarshalParser.readValue` counts it). */
  value(depth: number): void {
    if (depth > this.maxDepth) throw NOT_CANONICAL;
    const type = this.bytes[this.pos++];
    switch (type) {
      case T_NIL:
      case T_TRUE:
      case T_FALSE:
        return;
      case T_FIXNUM: {
        const v = this.long();
        if (v < FIXNUM_MIN || v > FIXNUM_MAX) throw NOT_CANONICAL;
        return;
      }
      case T_BIGNUM:
        this.bignum();
        return;
      case T_FLOAT:
        this.float();
        return;
      case T_STRING:
        this.skipBytes();
        this.objects++;
        return;
      case T_SYMBOL:
        this.symbolBody(false, depth + 1);
        return;
      case T_SYMLINK:
        this.symlink();
        return;
      case T_LINK: {
        const at = this.pos;
        const index = this.long();
        if (index < 0 || index >= this.objects || (this.bignumSlots !== undefined && this.bignumSlots[index] === 1)) throw NOT_CANONICAL;
        if (this.links !== undefined) this.links.push(at, this.pos, index, OBJECT_LINK);
        return;
      }
      case T_IVAR:
        this.ivarWrapped(depth + 1);
        return;
      case T_UCLASS: {
        // Only a Hash subclass (ActiveSupport::HashWithIndifferentAccess), written `C` then the Hash.
        this.symbol(depth + 1);
        const next = this.bytes[this.pos];
        if (next !== T_HASH && next !== T_HASH_DEF) throw NOT_CANONICAL;
        this.value(depth + 1);
        return;
      }
      case T_OBJECT:
        this.symbol(depth + 1);
        this.objects++;
        this.ivars(depth + 1);
        return;
      case T_USERDEF:
        this.symbol(depth + 1);
        this.skipBytes();
        this.objects++;
        return;
      case T_USRMARSHAL:
        this.symbol(depth + 1);
        this.objects++; // before its data, as `r_object0`
        this.value(depth + 1);
        return;
      case T_ARRAY: {
        const n = this.length();
        this.objects++;
        this.values(n, depth + 1);
        return;
      }
      case T_HASH:
      case T_HASH_DEF: {
        const n = this.length();
        this.objects++;
        this.values(2 * n, depth + 1);
        if (type === T_HASH_DEF) this.value(depth + 1);
        return;
      }
      default:
        // Regexp, Struct, Class, Module, Data, `e`, unknown bytes and the end of input: left to the slow path.
        throw NOT_CANONICAL;
    }
  }

  /**
   * `count` values in a row at `depth` (an Array's elements, a Hash's keys and values), as `value(depth)` each.
   * The commonest are read in `flatRun`, without a call; the others, and those near `maxDepth`, through `value`.
   */
  private values(count: number, depth: number): void {
    let left = count;
    while (left > 0) {
      left = this.flatRun(left, depth);
      if (left > 0) {
        this.value(depth);
        left--;
      }
    }
  }

  /**
   * Reads values at `depth` while they are of the commonest kinds: nil, true, false, an Integer in one to three
   * bytes or an `@` link in one, a String with a one-byte length and its linked `:E` (`I"…\x06;\x00T`), and a Hash
   * or an Array of fewer than 123, whose values it reads through `values` one level down (as `value` would, without
   * the trip through it and back for each nested one). Stops at the first other value (or after `count`), and
   * returns how many are left. It calls `long` and `bignum` for rarer Integers, and `values` for a nested Hash or
   * Array; every other kind is left to `value`.
   */
  private flatRun(count: number, depth: number): number {
    if (depth > this.maxDepth) return count;
    const bytes = this.bytes;
    const end = bytes.length;
    // The levels a String and its `:E` flag take (see `ivarWrapped`).
    const strings = depth + 2 <= this.maxDepth;
    const e = this.symbolE;
    const eLink = e < 0 ? -1 : e === 0 ? 0 : e + 5;
    let p = this.pos;
    let left = count;
    for (; left > 0; left--) {
      const type = bytes[p];
      const next = bytes[p + 1]!;
      if (type === T_IVAR) {
        const n = bytes[p + 2]!;
        if (next !== T_STRING || !strings || !(n === 0 || (n > 5 && n < 128))) break;
        const q = p + 3 + (n === 0 ? 0 : n - 5);
        const flag = bytes[q + 3];
        if (q + 4 > end || bytes[q] !== 0x06 || bytes[q + 1] !== T_SYMLINK || bytes[q + 2] !== eLink || (flag !== T_TRUE && flag !== T_FALSE)) break;
        this.objects++;
        if (this.links !== undefined) this.links.push(q + 2, q + 3, e, SYMBOL_LINK);
        p = q + 4;
      } else if (type === T_LINK) {
        if (!(next === 0 || (next > 5 && next < 128))) break;
        const index = next === 0 ? 0 : next - 5;
        if (index >= this.objects || (this.bignumSlots !== undefined && this.bignumSlots[index] === 1)) throw NOT_CANONICAL;
        if (this.links !== undefined) this.links.push(p + 1, p + 2, index, OBJECT_LINK);
        p += 2;
      } else if (type === T_FIXNUM) {
        // 0, 1..122 and -123..-1: every one-byte long is in its shortest form; two or three bytes after a count
        // (`w_long` of 123..2^24-1) are when the last is not 0.
        if (next === 0 || (next > 5 && next <= 0xfa)) {
          p += 2;
        } else if ((next === 2 || next === 3) && p + next + 2 <= end && bytes[p + next + 1] !== 0) {
          p += next + 2;
        } else {
          this.pos = p + 1;
          const v = this.long();
          if (v < FIXNUM_MIN || v > FIXNUM_MAX) throw NOT_CANONICAL;
          p = this.pos;
        }
      } else if (type === T_BIGNUM) {
        this.pos = p + 1;
        this.bignum();
        p = this.pos;
      } else if (type === T_NIL || type === T_TRUE || type === T_FALSE) {
        p++;
      } else if ((type === T_HASH || type === T_ARRAY) && (next === 0 || (next > 5 && next < 128))) {
        // A Hash or an Array of fewer than 123: its values read here, as `value` reads them (one level down).
        this.objects++;
        this.pos = p + 2;
        const n = next === 0 ? 0 : next - 5;
        this.values(type === T_HASH ? 2 * n : n, depth + 1);
        p = this.pos;
      } else {
        break;
      }
    }
    this.pos = p;
    return left;
  }

  /** The value inside an `I` wrapper (at `depth`): a String with its encoding, a `_dump` object, or a Symbol. */
  private ivarWrapped(depth: number): void {
    if (depth > this.maxDepth) throw NOT_CANONICAL;
    const type = this.byte();
    if (type === T_STRING) {
      this.skipBytes();
      this.objects++;
      // The commonest String: one ivar, `:E` linked (`;` and a one-byte index), `T` or `F`.
      const bytes = this.bytes;
      const p = this.pos;
      if (bytes[p] === 0x06 && bytes[p + 1] === T_SYMLINK && this.symbolE >= 0 && bytes[p + 2] === (this.symbolE === 0 ? 0 : this.symbolE + 5) && depth + 1 <= this.maxDepth) {
        const flag = bytes[p + 3];
        if (flag === T_TRUE || flag === T_FALSE) {
          if (this.links !== undefined) this.links.push(p + 2, p + 3, this.symbolE, SYMBOL_LINK);
          this.pos = p + 4;
          return;
        }
      }
      // No ivars (kept as an empty list) or exactly the `E` ivar; a named encoding or extra ivars: slow path.
      const count = this.length();
      if (count === 0) return;
      if (count !== 1) throw NOT_CANONICAL;
      this.encodingFlag(depth + 1);
    } else if (type === T_USERDEF) {
      this.symbol(depth + 1);
      this.skipBytes();
      this.ivars(depth + 1);
      this.objects++; // after its ivars, as `r_object0`
    } else if (type === T_SYMBOL) {
      this.symbolBody(true, depth + 1);
    } else {
      throw NOT_CANONICAL;
    }
  }

  /** `:E` (or a link to it) and `T` or `F`: 1 for UTF-8, 2 for US-ASCII. */
  private encodingFlag(depth: number): number {
    const name = this.symbol(depth);
    if (this.symbolLength[name] !== 1 || this.bytes[this.symbolStart[name]!] !== E_BYTE) throw NOT_CANONICAL;
    if (depth > this.maxDepth) throw NOT_CANONICAL;
    const flag = this.byte();
    if (flag === T_TRUE) return 1;
    if (flag === T_FALSE) return 2;
    throw NOT_CANONICAL;
  }

  /** Ivars of an object: a count, then symbol and value pairs. */
  private ivars(depth: number): void {
    const n = this.length();
    for (let i = 0; i < n; i++) {
      this.symbol(depth);
      this.value(depth);
    }
  }

  /** A symbol where only a symbol may stand; returns its symbol-table index. */
  private symbol(depth: number): number {
    const type = this.byte();
    if (type === T_SYMBOL) return this.symbolBody(false, depth);
    if (type === T_SYMLINK) return this.symlink();
    if (type === T_IVAR && this.byte() === T_SYMBOL) return this.symbolBody(true, depth);
    throw NOT_CANONICAL;
  }

  private symlink(): number {
    const at = this.pos;
    const index = this.long();
    if (index < 0 || index >= this.symbolStart.length || this.symbolStart[index]! < 0) throw NOT_CANONICAL;
    if (this.links !== undefined) this.links.push(at, this.pos, index, SYMBOL_LINK);
    return index;
  }

  /**
   * The top value as `value(1)` reads an `o`, noting where each ivar value starts and ends and how many symbols and
   * objects come before it (`spans`), and every link (`links`). An ivar name written twice is refused.
   */
  objectParts(known: readonly string[]): void {
    if (this.bytes[this.pos++] !== T_OBJECT) throw NOT_CANONICAL;
    this.links = [];
    this.className = this.symbolText(this.symbol(2), known);
    this.objects++;
    const n = this.length();
    const seen: number[] = [];
    for (let i = 0; i < n; i++) {
      const name = this.symbol(2);
      if (seen.includes(name)) throw NOT_CANONICAL;
      seen.push(name);
      this.names.push(this.symbolText(name, known));
      const start = this.pos;
      const symbols = this.symbolStart.length;
      const objects = this.objects;
      this.value(2);
      this.spans.push(start, this.pos, symbols, objects);
    }
  }

  typeOf(i: number): number {
    return this.bytes[this.spans[i * 4]!]!;
  }

  bodyOf(i: number): Uint8Array {
    const start = this.spans[i * 4]!;
    const first = this.bytes[start + 1]!;
    // The length: one byte, or a count byte (1..4; the scan allows no other) and that many.
    return this.bytes.subarray(start + (first > 4 ? 2 : 2 + first), this.spans[i * 4 + 1]);
  }

  payloadOf(i: number): Uint8Array | undefined {
    const spans = this.spans;
    const start = spans[i * 4]!;
    const end = spans[i * 4 + 1]!;
    const links = this.links!;
    const out = new Uint8Array(2 + end - start);
    out[0] = 4;
    out[1] = 8;
    // Renumbered links are never longer; when one keeps its length (almost always) it is rewritten in place.
    out.set(this.bytes.subarray(start, end), 2);
    for (let k = 0; k < links.length && links[k]! < end; k += 4) {
      if (links[k]! < start) continue;
      const index = links[k + 2]! - spans[i * 4 + 2 + links[k + 3]!]!;
      if (index < 0 || writeIndex(out, 2 + links[k]! - start, index) !== 2 + links[k + 1]! - start) return undefined;
    }
    return out;
  }

  /** A symbol's bytes, one char per byte: the string of `known` that it is, without decoding, else decoded. */
  private symbolText(index: number, known: readonly string[]): string {
    const bytes = this.bytes;
    const start = this.symbolStart[index]!;
    const length = this.symbolLength[index]!;
    search: for (const name of known) {
      if (name.length !== length) continue;
      for (let i = 0; i < length; i++) if (name.charCodeAt(i) !== bytes[start + i]) continue search;
      return name;
    }
    return latin1Decode(bytes.subarray(start, start + length));
  }

  /**
   * A symbol written out: registered before its encoding ivar (as `r_symreal`), and refused when it repeats an
   * earlier one (the generator would link it) or when its `I` wrapper is one the generator would not write.
   */
  private symbolBody(hasIvars: boolean, depth: number): number {
    const length = this.length();
    const start = this.pos;
    if (length > this.bytes.length - start) throw NOT_CANONICAL;
    this.pos += length;
    const index = this.symbolStart.length;
    if (index >= MAX_SYMBOLS) throw NOT_CANONICAL;
    this.symbolStart.push(-1);
    this.symbolLength.push(length);
    this.symbolTag.push(0);
    let tag = 0;
    if (hasIvars) {
      // The generator wraps a symbol only when it has non-ASCII bytes, with exactly its `E` ivar.
      if (isAscii(this.bytes, start, length)) throw NOT_CANONICAL;
      if (this.length() !== 1) throw NOT_CANONICAL;
      tag = this.encodingFlag(depth);
    }
    for (let i = 0; i < index; i++) {
      if (this.symbolLength[i] === length && this.symbolTag[i] === tag && sameBytes(this.bytes, this.symbolStart[i]!, start, length)) {
        throw NOT_CANONICAL;
      }
    }
    this.symbolStart[index] = start;
    this.symbolTag[index] = tag;
    if (length === 1 && tag === 0 && this.bytes[start] === E_BYTE && index < 123) this.symbolE = index;
    return index;
  }

  /** `l`: only outside Fixnum range, in whole 16-bit words with a non-zero top word; links to it are refused. */
  private bignum(): void {
    const sign = this.byte();
    if (sign !== 0x2b && sign !== 0x2d) throw NOT_CANONICAL;
    const words = this.length();
    const n = words * 2;
    const start = this.pos;
    if (words < 2 || n > this.bytes.length - start) throw NOT_CANONICAL;
    const bytes = this.bytes;
    if (bytes[start + n - 1] === 0 && bytes[start + n - 2] === 0) throw NOT_CANONICAL;
    if (words === 2) {
      const magnitude = bytes[start]! + bytes[start + 1]! * 0x100 + bytes[start + 2]! * 0x10000 + bytes[start + 3]! * 0x1000000;
      if (sign === 0x2b ? magnitude <= FIXNUM_MAX : magnitude <= -FIXNUM_MIN) throw NOT_CANONICAL;
    }
    this.pos += n;
    const slot = this.objects++;
    let slots = this.bignumSlots;
    if (slots === undefined || slot >= slots.length) {
      // Grown by doubling from the first `l`: most sessions have none, and a 61 KB one holds a few thousand objects.
      const grown = new Uint8Array(Math.max(64, slot * 2));
      if (slots !== undefined) grown.set(slots);
      this.bignumSlots = slots = grown;
    }
    slots[slot] = 1;
  }

  /** `f`: the text is kept as read, so only a flonum value seen before (the generator links it) is refused. */
  private float(): void {
    const length = this.length();
    const start = this.pos;
    if (length > this.bytes.length - start) throw NOT_CANONICAL;
    this.pos += length;
    this.objects++;
    const value = floatBytesValue(this.bytes, start, start + length);
    // `RubyFloat` keeps text that `formatFloat` would not write, so any text is written back as read.
    if (!isFlonum(value)) return;
    this.flonums ??= new Set();
    if (this.flonums.has(value)) throw NOT_CANONICAL;
    this.flonums.add(value);
  }
}

/**
 * A canonical payload whose top value is an object (`o`, as an `ActiveSupport::Cache::Entry`), taken apart into
 * its ivars without building any value.
 */
export interface CanonicalParts {
  /** The class name, one char per byte. */
  readonly className: string;
  /** The ivar names, one char per byte, in order. */
  readonly names: string[];
  /** The type byte that starts ivar value `i`. */
  typeOf(i: number): number;
  /** The bytes of ivar value `i` written `f` (a Float's text) or `"` (a String without ivars), after their length. */
  bodyOf(i: number): Uint8Array;
  /**
   * Ivar value `i` as a payload of its own: exactly what `dump` writes for the value `load` reads there (the payload
   * is canonical, so the value is too once its links count from its own start). Undefined when it links to a symbol
   * or object read before it (the class or an ivar name, another ivar), which a payload of its own cannot, or when a
   * renumbered link would take fewer bytes (an index crossing 123 or 256; rare, and left to the slow path).
   */
  payloadOf(i: number): Uint8Array | undefined;
}

/**
 * `isCanonical` for a payload whose top value is an object, with where its ivars lie: undefined unless
 * `dump(load(bytes))` is exactly `bytes`, the top value is an `o` and no ivar name is written twice. Lets a cache
 * entry's session be re-encoded from its own bytes (`CanonicalParts.payloadOf`). The class and ivar names that are
 * among `known` are given as those strings, not decoded again.
 */
export function scanCanonicalParts(bytes: Uint8Array, known: readonly string[] = [], maxDepth: number = DEFAULT_MAX_DEPTH): CanonicalParts | undefined {
  if (bytes.length < 3 || bytes[0] !== 4 || bytes[1] !== 8) return undefined;
  const scan = new CanonicalScan(bytes, maxDepth);
  try {
    scan.objectParts(known);
  } catch (error) {
    if (error === NOT_CANONICAL) return undefined;
    throw error;
  }
  return scan.offset === bytes.length ? scan : undefined;
}

/** `w_long` of a table index (0..2^31-1) at `o`; returns where it ends. */
function writeIndex(out: Uint8Array, o: number, index: number): number {
  if (index < 123) {
    out[o++] = index === 0 ? 0 : index + 5;
    return o;
  }
  const countAt = o++;
  for (; index > 0; index = Math.floor(index / 256)) out[o++] = index & 0xff;
  out[countAt] = o - countAt - 1;
  return o;
}

function isAscii(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}
