import { Budget, type BudgetOptions } from './budget.js';
import { ByteWriter } from './byte-writer.js';
import { keySegment, nameInMessage, withSegment } from './error-path.js';
import { MarshalError } from './errors.js';
import { dumpFloatText, isFlonum } from './float-text.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { RubyClassRef } from './values/class-ref.js';
import { RubyData } from './values/data.js';
import { NOT_INDEXED, type DumpIndexAccess } from './values/dump-index.js';
import { RubyFloat } from './values/float.js';
import { hashDumpIndex, RubyHash } from './values/hash.js';
import type { RubyIvars } from './values/ivars.js';
import { RubyObject } from './values/object.js';
import { RubyRegexp } from './values/regexp.js';
import { RubyString, stringDumpIndex } from './values/string.js';
import { RubyStruct } from './values/struct.js';
import { RubySymbol } from './values/symbol.js';
import { RubyUserDefined } from './values/user-defined.js';
import { RubyUserMarshal } from './values/user-marshal.js';
import type { SharedBignum } from './values/value.js';
import { isRubyArray, isRubyClassRef, isRubyData, isRubyObject, isRubyRegexp, isRubyStruct, isRubyUserDefined, isRubyUserMarshal, rubyKindOf } from './values/kind.js';

const FIXNUM_MIN = -(2 ** 30);
const FIXNUM_MAX = 2 ** 30 - 1;
const SYMBOL_E = /* @__PURE__ */ new RubySymbol('E');
const SYMBOL_ENCODING = /* @__PURE__ */ new RubySymbol('encoding');
const HASH_CLASS = /* @__PURE__ */ new RubySymbol('Hash');

/**
 * The first index the next dump notes in an object (see values/dump-index.ts): each dump notes indexes from here up
 * and moves it past them when it ends, so a note below a dump's base is an earlier dump's.
 */
let nextDumpIndex = 0;
/**
 * Where `nextDumpIndex` starts again from 0, so that notes stay small integers (V8's Smis: a larger number would
 * make the field a boxed double in every String and Hash). From then on an old note can stand at or above a dump's
 * base, so every dump checks a note against its own table (`indexed`) before it takes it.
 */
const DUMP_INDEX_RESTART = 2 ** 29;
/** True once `nextDumpIndex` has started again (see DUMP_INDEX_RESTART). */
let restarted = false;

/** Makes the next dump start the indexes again from 0, as one does past DUMP_INDEX_RESTART (for the tests). */
export function restartDumpIndexes(): void {
  nextDumpIndex = DUMP_INDEX_RESTART + 1;
}
/**
 * True while a dump notes indexes in the objects; a dump begun inside one (from a getter of a plain object) uses
 * only its Map, so that the outer dump finds its own notes when it goes on.
 */
let numbering = false;

/**
 * Values -> bytes. Mirrors MRI's `w_object`: objects are registered in the object table where Ruby registers them
 * (before their contents; a `_dump` object after its ivars; a fixnum outside `i` range and every Float take a slot),
 * equal flonums link as in Ruby, and a named encoding's name string is written once and linked after.
 */
export class MarshalGenerator extends ByteWriter {
  /**
   * Object identity -> object-table index, for `@` links: every object but the Strings and Hashes that hold their
   * number themselves (values/dump-index.ts).
   */
  private readonly objects = new Map<object, number>();
  /** The index this dump notes for its first object (see `nextDumpIndex`), or -1 when it notes none in the objects. */
  private readonly indexBase: number;
  /**
   * Object-table index -> the String or Hash that noted it, once `nextDumpIndex` has started again (see
   * DUMP_INDEX_RESTART); undefined before.
   */
  private readonly indexed: object[] | undefined;
  /**
   * Float value -> index, for floats Ruby holds as one object per value (flonums, and the NaN and Infinity
   * constants). This map and the next two are made on first use: most dumps need none of them.
   */
  private floats: Map<number, number> | undefined;
  /** Symbol key -> symbol-table index, for `;` links. */
  private readonly symbols = new Map<string, number>();
  /** Text of a JS string used as a Hash key -> index of the String written for it. */
  private keyStrings: Map<string, number> | undefined;
  /** Encoding name -> index of its name string. */
  private encodingNames: Map<string, number> | undefined;
  private objectCount = 0;
  /** Symbol-table index of `:E`, once written. */
  private symbolE = -1;
  private depth = 0;
  private readonly maxDepth: number;

  constructor(maxDepth = DEFAULT_MAX_DEPTH, budget?: BudgetOptions) {
    super();
    if (!numbering && nextDumpIndex > DUMP_INDEX_RESTART) {
      nextDumpIndex = 0;
      restarted = true;
    }
    this.indexBase = numbering ? -1 : nextDumpIndex;
    this.indexed = restarted && !numbering ? [] : undefined;
    numbering = true;
    this.maxDepth = maxDepth;
    this.budget = new Budget(budget, (reason) => new MarshalError('budget_exceeded', reason, this.pos));
  }

  /** Ends the dump's notes in the objects (call once, when the dump ends, with a result or an error). */
  finish(): void {
    if (this.indexBase < 0) return;
    nextDumpIndex = this.indexBase + this.objectCount;
    numbering = false;
  }

  /** Writes the version header and one value. */
  generateDocument(value: unknown): Uint8Array {
    this.writeBytePair(4, 8);
    this.writeValue(value);
    return this.result();
  }

  writeValue(value: unknown): void {
    // Tested one type at a time, objects first: a `switch (typeof value)` compiles to a call that makes the type's
    // name and compares it, on every value.
    if (typeof value === 'object') {
      if (value === null) this.writeByte(0x30);
      else this.writeObject(value);
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && !(value === 0 && 1 / value < 0)) this.writeInteger(value);
      else this.writePlainFloat(value);
    } else if (typeof value === 'string') {
      this.writeJsString(value);
    } else if (typeof value === 'boolean') {
      this.writeByte(value ? 0x54 : 0x46);
    } else if (typeof value === 'bigint') {
      if (value >= FIXNUM_MIN && value <= FIXNUM_MAX) this.writeInteger(Number(value));
      else this.writeBigint(value);
    } else {
      this.unsupported(value);
    }
  }

  private writeObject(value: object): void {
    // This copy's Strings and Hashes, most of a session, first, told by `instanceof`: V8 compiles it to a walk up
    // the prototype chain, where `Object.getPrototypeOf` of a value of unknown shape is a call into the runtime.
    // They hold their object-table index themselves (see dump-index.ts), unless this dump is nested in another.
    // eslint-disable-next-line no-restricted-syntax -- this copy's own records first; another copy's take the brand below
    if (value instanceof RubyString) {
      const index = this.indexBase < 0 ? NOT_INDEXED : stringDumpIndex.read(value);
      if (this.writeLinkIfWritten(value, index)) return;
      this.enter();
      this.writeRubyString(value, index === NOT_INDEXED ? undefined : stringDumpIndex);
      this.depth--;
      return;
    }
    // eslint-disable-next-line no-restricted-syntax -- this copy's own records first; another copy's take the brand below
    if (value instanceof RubyHash) {
      const index = this.indexBase < 0 ? NOT_INDEXED : hashDumpIndex.read(value);
      if (this.writeLinkIfWritten(value, index)) return;
      this.enter();
      this.writeRubyHash(value, index === NOT_INDEXED ? undefined : hashDumpIndex);
      this.depth--;
      return;
    }
    // Everything else goes down the predicates in order, by the brand, which any copy of this package reads.
    const kind = Array.isArray(value) ? undefined : rubyKindOf(value);
    if (kind === 'Symbol') return this.writeSymbol(value as RubySymbol);
    if (kind === 'Float') return this.writeRubyFloat(value as RubyFloat);
    if (this.writeLinkIfWritten(value, NOT_INDEXED)) return;
    this.enter();
    if (kind === 'String') this.writeRubyString(value as RubyString, undefined);
    else if (kind === 'Hash') this.writeRubyHash(value as RubyHash, undefined);
    else if (kind === undefined && Array.isArray(value)) this.writeArray(value);
    else if (value instanceof BigInt) this.writeBoxedBigint(value);
    else if (Array.isArray(value)) this.writeArray(value);
    else if (isRubyUserDefined(value)) this.writeUserDefined(value);
    else if (isRubyObject(value)) this.writeRubyObject(value);
    else if (isRubyUserMarshal(value)) this.writeUserMarshal(value);
    else if (value instanceof Map) this.writeMap(value);
    else if (value instanceof Uint8Array) this.writeBinary(value);
    else if (isRubyStruct(value)) this.writeStruct(value);
    else if (isRubyRegexp(value)) this.writeRegexp(value);
    else if (isRubyClassRef(value)) this.writeClassRef(value);
    else if (isRubyData(value)) this.writeData(value);
    else if (isPlainObject(value)) this.writePlainObject(value);
    else this.unsupported(value);
    this.depth--;
  }

  /**
   * Writes `@` and the object's index when this dump has written it, and says so. `index` is the one the object
   * noted (see dump-index.ts), or NOT_INDEXED for an object that is in the Map if anywhere.
   */
  private writeLinkIfWritten(value: object, index: number): boolean {
    const slot = index === NOT_INDEXED ? this.objects.get(value) : index >= this.indexBase && (this.indexed === undefined || this.indexed[index - this.indexBase] === value) ? index - this.indexBase : undefined;
    if (slot === undefined) return false;
    this.writeByte(0x40);
    this.writeLong(slot);
    return true;
  }

  /** One level deeper, within maxDepth. */
  private enter(): void {
    if (++this.depth > this.maxDepth) {
      throw new MarshalError('depth_exceeded', `values nest deeper than maxDepth ${this.maxDepth}`, this.pos);
    }
  }

  /** Gives `value` the next object-table index: in the object itself when `numbered` (see dump-index.ts). */
  private remember(value: object, numbered?: DumpIndexAccess): void {
    const slot = this.objectCount++;
    if (numbered === undefined) {
      this.objects.set(value, slot);
      return;
    }
    numbered.write(value, this.indexBase + slot);
    if (this.indexed !== undefined) this.indexed[slot] = value;
  }

  private writeInteger(value: number): void {
    if (value >= FIXNUM_MIN && value <= FIXNUM_MAX) {
      this.writeByte(0x69);
      this.writeLong(value);
      return;
    }
    if (!Number.isSafeInteger(value)) {
      this.writeBigint(BigInt(value));
      return;
    }
    // Outside `i` range Ruby writes the bignum form, and the value takes an object slot that nothing links to.
    this.objectCount++;
    const magnitude = value < 0 ? -value : value;
    if (magnitude < 2 ** 32) {
      // The commonest, a Unix time in seconds: 2^30 <= magnitude < 2^32 is four bytes, two shorts.
      this.ensure(7);
      const buffer = this.buffer;
      let p = this.pos;
      buffer[p++] = 0x6c;
      buffer[p++] = value < 0 ? 0x2d : 0x2b;
      buffer[p++] = 0x07;
      buffer[p++] = magnitude & 0xff;
      buffer[p++] = (magnitude >>> 8) & 0xff;
      buffer[p++] = (magnitude >>> 16) & 0xff;
      buffer[p++] = magnitude >>> 24;
      this.pos = p;
      return;
    }
    let count = 0;
    for (let rest = magnitude; rest > 0; rest = Math.floor(rest / 256)) count++;
    count += count & 1;
    this.ensure(count + 7);
    this.writeBytePair(0x6c, value < 0 ? 0x2d : 0x2b);
    this.writeLong(count / 2);
    const buffer = this.buffer;
    let rest = magnitude;
    for (let i = 0; i < count; i++) {
      buffer[this.pos++] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }

  /** A Bignum that stands in more than one place: one object, so later places link to it. */
  private writeBoxedBigint(boxed: SharedBignum): void {
    const value = boxed.valueOf();
    if (value >= FIXNUM_MIN && value <= FIXNUM_MAX) {
      this.writeInteger(Number(value));
      return;
    }
    this.remember(boxed);
    this.writeBignumBody(value);
  }

  /** A bigint outside `i` range: a slot of its own that nothing links to, as a fresh Bignum in Ruby. */
  private writeBigint(value: bigint): void {
    this.objectCount++;
    this.writeBignumBody(value);
  }

  private writeBignumBody(value: bigint): void {
    const negative = value < 0n;
    let digits = (negative ? -value : value).toString(16);
    const padded = Math.ceil(digits.length / 4) * 4;
    digits = digits.padStart(padded, '0');
    const length = padded / 2;
    this.writeBytePair(0x6c, negative ? 0x2d : 0x2b);
    this.writeLong(length / 2);
    this.ensure(length);
    for (let i = digits.length - 2; i >= 0; i -= 2) {
      this.buffer[this.pos++] = Number.parseInt(digits.slice(i, i + 2), 16);
    }
  }

  /**
   * A JS number that is not an integer (or is -0): a Ruby Float, linked by value where Ruby would link it: flonums
   * always, NaN and Infinity as the constants `Float::NAN` and `Float::INFINITY`. `-Float::INFINITY`, -0.0 and other
   * heap floats are new objects each time they are computed, so they are not linked.
   */
  private writePlainFloat(value: number): void {
    if (isFlonum(value) || value !== value || value === Infinity) {
      const floats = (this.floats ??= new Map());
      const slot = floats.get(value);
      if (slot !== undefined) {
        this.writeByte(0x40);
        this.writeLong(slot);
        return;
      }
      floats.set(value, this.objectCount++);
    } else {
      this.objectCount++;
    }
    this.writeByte(0x66);
    this.writeLatin1String(dumpFloatText(value));
  }

  private writeRubyFloat(float: RubyFloat): void {
    const flonum = isFlonum(float.value);
    const slot = flonum ? (this.floats ??= new Map()).get(float.value) : this.objects.get(float);
    if (slot !== undefined) {
      this.writeByte(0x40);
      this.writeLong(slot);
      return;
    }
    if (flonum) this.floats!.set(float.value, this.objectCount++);
    else this.remember(float);
    this.writeByte(0x66);
    this.writeLatin1String(float.text ?? dumpFloatText(float.value));
  }

  /** A JS string: a new UTF-8 String each time, as each string literal is a new object in Ruby. */
  private writeJsString(text: string): void {
    this.objectCount++;
    this.writeBytePair(0x49, 0x22);
    this.writeUtf8String(text);
    this.writeByte(0x06);
    this.writeSymbol(SYMBOL_E);
    this.writeByte(0x54);
  }

  /**
   * A JS string as a Hash key. Ruby stores a String key as an interned frozen copy (`rb_hash_key_str` ->
   * `rb_fstring`), so equal keys in different Hashes are one object and Ruby links every occurrence after the first.
   */
  private writeKeyString(text: string): void {
    const keyStrings = (this.keyStrings ??= new Map());
    const slot = keyStrings.get(text);
    if (slot !== undefined) {
      this.writeByte(0x40);
      this.writeLong(slot);
      return;
    }
    keyStrings.set(text, this.objectCount);
    this.writeJsString(text);
  }

  private writeBinary(bytes: Uint8Array): void {
    this.remember(bytes);
    this.writeByte(0x22);
    this.writeByteString(bytes);
  }

  private writeRubyString(string: RubyString, numbered: DumpIndexAccess | undefined): void {
    this.remember(string, numbered);
    const encoding = string.encoding;
    const symbolE = this.symbolE;
    if (symbolE >= 0 && symbolE < 123 && (encoding === 'UTF-8' || encoding === 'US-ASCII') && string.ivars === undefined && string.extended === undefined && string.userClass === undefined) {
      // The commonest String, once `:E` is written: `I"`, the bytes, one ivar, `:E` linked, T or F, in one go.
      const bytes = string.bytes;
      const n = bytes.length;
      this.ensure(n + 12);
      const buffer = this.buffer;
      let p = this.pos;
      buffer[p++] = 0x49;
      buffer[p++] = 0x22;
      if (n < 123) {
        buffer[p++] = n === 0 ? 0 : n + 5;
      } else {
        this.pos = p;
        this.writeLong(n);
        p = this.pos;
      }
      if (n > 32) buffer.set(bytes, p);
      else for (let i = 0; i < n; i++) buffer[p + i] = bytes[i]!;
      p += n;
      buffer[p++] = 0x06;
      buffer[p++] = 0x3b;
      buffer[p++] = symbolE === 0 ? 0 : symbolE + 5;
      buffer[p++] = encoding === 'UTF-8' ? 0x54 : 0x46;
      this.pos = p;
      return;
    }
    const hasIvars = string.encoding !== 'ASCII-8BIT' || string.ivars !== undefined;
    this.writeHeader(hasIvars, string.extended, string.userClass);
    this.writeByte(0x22);
    this.writeByteString(string.bytes);
    if (hasIvars) this.writeEncodedIvars(string.encoding, string.ivars);
  }

  /** I, e, C prefixes, in the order `w_object` writes them. */
  private writeHeader(hasIvars: boolean, extended: RubySymbol[] | undefined, userClass: RubySymbol | undefined): void {
    if (hasIvars) this.writeByte(0x49);
    if (extended !== undefined) {
      for (const module of extended) {
        this.writeByte(0x65);
        this.writeSymbol(module);
      }
    }
    if (userClass !== undefined) {
      this.writeByte(0x43);
      this.writeSymbol(userClass);
    }
  }

  /** The ivars of a String, Regexp or Symbol: the encoding first, then the others. */
  private writeEncodedIvars(encoding: string, ivars: RubyIvars | undefined): void {
    const named = encoding !== 'ASCII-8BIT';
    this.writeLong((named ? 1 : 0) + (ivars === undefined ? 0 : ivars.length));
    if (named) this.writeEncoding(encoding);
    if (ivars !== undefined) this.writeIvarPairs(ivars);
  }

  private writeEncoding(encoding: string): void {
    if (encoding === 'UTF-8' || encoding === 'US-ASCII') {
      const flag = encoding === 'UTF-8' ? 0x54 : 0x46;
      // `:E` is written once per dump and linked after: remember its index rather than look it up per String.
      if (this.symbolE >= 0) {
        this.writeByte(0x3b);
        this.writeLong(this.symbolE);
      } else {
        this.writeSymbol(SYMBOL_E);
        this.symbolE = this.symbols.get('E')!;
      }
      this.writeByte(flag);
      return;
    }
    this.writeSymbol(SYMBOL_ENCODING);
    const encodingNames = (this.encodingNames ??= new Map());
    const slot = encodingNames.get(encoding);
    if (slot !== undefined) {
      this.writeByte(0x40);
      this.writeLong(slot);
      return;
    }
    // The name is a String object of its own; Ruby keeps one per encoding per dump and links it after.
    encodingNames.set(encoding, this.objectCount++);
    this.writeByte(0x22);
    this.writeLatin1String(encoding);
  }

  private writeIvars(ivars: RubyIvars): void {
    this.writeLong(ivars.length);
    this.writeIvarPairs(ivars);
  }

  private writeIvarPairs(ivars: RubyIvars): void {
    for (let i = 0; i < ivars.length; i++) {
      const pair = ivars[i]!;
      this.writeSymbol(pair[0]);
      try {
        this.writeValue(pair[1]);
      } catch (error) {
        throw withSegment(error, `.${nameInMessage(pair[0].name)}`);
      }
    }
  }

  writeSymbol(symbol: RubySymbol): void {
    const index = this.symbols.get(symbol.key);
    if (index !== undefined) {
      this.writeByte(0x3b);
      this.writeLong(index);
      return;
    }
    const encoded = !symbol.isAscii && symbol.encoding !== 'ASCII-8BIT';
    if (encoded) this.writeByte(0x49);
    this.writeByte(0x3a);
    this.writeByteString(symbol.bytes);
    this.symbols.set(symbol.key, this.symbols.size);
    if (encoded) {
      this.writeLong(1);
      this.writeEncoding(symbol.encoding);
    }
  }

  private writeArray(array: unknown[]): void {
    this.remember(array);
    const decorated = isRubyArray(array);
    const ivars = decorated ? array.ivars : undefined;
    if (decorated) this.writeHeader(ivars !== undefined, array.extended, array.userClass);
    this.writeByte(0x5b);
    this.writeLong(array.length);
    // One try around the loop, not one per element: the catch names the element from `i`.
    let i = 0;
    try {
      for (; i < array.length; i++) this.writeValue(array[i]);
    } catch (error) {
      throw withSegment(error, `[${i}]`);
    }
    if (ivars !== undefined) this.writeIvars(ivars);
  }

  private writeRubyHash(hash: RubyHash, numbered: DumpIndexAccess | undefined): void {
    this.remember(hash, numbered);
    this.writeHeader(hash.ivars !== undefined, hash.extended, hash.userClass);
    if (hash.compareByIdentity) {
      this.writeByte(0x43);
      this.writeSymbol(HASH_CLASS);
    }
    const hasDefault = hash.defaultValue !== undefined;
    this.writeByte(hasDefault ? 0x7d : 0x7b);
    const entries = hash.entries;
    this.writeLong(entries.length);
    // One try around the loop, not two per entry (see writeEntry): the catch names the entry from `i` and
    // whether its key was written.
    let i = 0;
    let key: unknown;
    let keyWritten = false;
    try {
      for (; i < entries.length; i++) {
        // Indexed, not destructured: `[key, value] =` goes through the array iterator.
        const entry = entries[i]!;
        key = entry[0];
        keyWritten = false;
        if (typeof key === 'string') this.writeKeyString(key);
        else this.writeValue(key);
        keyWritten = true;
        this.writeValue(entry[1]);
      }
    } catch (error) {
      throw withSegment(error, keyWritten ? keySegment(key, i) : `{key #${i}}`);
    }
    if (hasDefault) {
      try {
        this.writeValue(hash.defaultValue);
      } catch (error) {
        throw withSegment(error, '.default');
      }
    }
    if (hash.ivars !== undefined) this.writeIvars(hash.ivars);
  }

  private writeEntry(key: unknown, value: unknown, index: number): void {
    try {
      if (typeof key === 'string') this.writeKeyString(key);
      else this.writeValue(key);
    } catch (error) {
      throw withSegment(error, `{key #${index}}`);
    }
    try {
      this.writeValue(value);
    } catch (error) {
      throw withSegment(error, keySegment(key, index));
    }
  }

  private writeMap(map: Map<unknown, unknown>): void {
    this.remember(map);
    this.writeByte(0x7b);
    this.writeLong(map.size);
    let i = 0;
    for (const [key, value] of map) this.writeEntry(key, value, i++);
  }

  private writePlainObject(object: Record<string, unknown>): void {
    this.remember(object);
    const keys = Object.keys(object);
    this.writeByte(0x7b);
    this.writeLong(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      this.writeEntry(key, object[key], i);
    }
  }

  private writeRubyObject(object: RubyObject): void {
    this.remember(object);
    this.writeHeader(false, object.extended, undefined);
    this.writeByte(0x6f);
    this.writeSymbol(object.className);
    this.writeIvars(object.ivars);
  }

  private writeUserDefined(object: RubyUserDefined): void {
    this.writeHeader(object.ivars !== undefined, object.extended, undefined);
    this.writeByte(0x75);
    this.writeSymbol(object.className);
    this.writeByteString(object.bytes);
    if (object.ivars !== undefined) this.writeIvars(object.ivars);
    // Registered after its ivars, as Ruby does: Time's zone string gets the lower index.
    this.remember(object);
  }

  private writeUserMarshal(object: RubyUserMarshal): void {
    this.remember(object);
    this.writeHeader(false, object.extended, undefined);
    this.writeByte(0x55);
    this.writeSymbol(object.className);
    try {
      this.writeValue(object.data);
    } catch (error) {
      throw withSegment(error, '.marshal_dump');
    }
  }

  private writeStruct(struct: RubyStruct): void {
    this.remember(struct);
    this.writeHeader(struct.ivars !== undefined, struct.extended, undefined);
    this.writeByte(0x53);
    this.writeSymbol(struct.className);
    this.writeIvars(struct.members);
    if (struct.ivars !== undefined) this.writeIvars(struct.ivars);
  }

  private writeRegexp(regexp: RubyRegexp): void {
    this.remember(regexp);
    const hasIvars = regexp.encoding !== 'ASCII-8BIT' || regexp.ivars !== undefined;
    this.writeHeader(hasIvars, regexp.extended, regexp.userClass);
    this.writeByte(0x2f);
    this.writeByteString(regexp.source);
    this.writeByte(regexp.options & 0xff);
    if (hasIvars) this.writeEncodedIvars(regexp.encoding, regexp.ivars);
  }

  private writeClassRef(ref: RubyClassRef): void {
    this.remember(ref);
    const encoded = ref.encoding !== undefined && ref.kind !== 'old_module';
    if (encoded) this.writeByte(0x49);
    this.writeByte(ref.kind === 'class' ? 0x63 : ref.kind === 'module' ? 0x6d : 0x4d);
    this.writeByteString(ref.bytes);
    if (encoded) this.writeEncodedIvars(ref.encoding!, undefined);
  }

  private writeData(data: RubyData): void {
    this.remember(data);
    this.writeHeader(data.ivars !== undefined, data.extended, undefined);
    this.writeByte(0x64);
    this.writeSymbol(data.className);
    try {
      this.writeValue(data.data);
    } catch (error) {
      throw withSegment(error, '._dump_data');
    }
    if (data.ivars !== undefined) this.writeIvars(data.ivars);
  }

  private unsupported(value: unknown): never {
    throw new MarshalError('unsupported_value', `cannot dump ${describeType(value)}`, this.pos);
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The kind of a value, for error messages: never the value itself. */
function describeType(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}
