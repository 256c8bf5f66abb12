import { bignumMagnitude, hexByte } from './bignum.js';
import { ByteReader } from './byte-reader.js';
import { OBJECT_CLASSES, USER_DEFINED_CLASSES, USER_MARSHAL_CLASSES } from './classes/registry.js';
import { keySegment, nameInMessage, withSegment } from './error-path.js';
import { isFormattedFloat, parseFloatText } from './float-text.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { latin1Decode } from './text.js';
import { RubyArray } from './values/array.js';
import { RubyClassRef } from './values/class-ref.js';
import { RubyData } from './values/data.js';
import { RubyFloat } from './values/float.js';
import { RubyHash } from './values/hash.js';
import type { RubyIvars } from './values/ivars.js';
import { RubyObject } from './values/object.js';
import { RubyRegexp } from './values/regexp.js';
import { RubyString } from './values/string.js';
import { RubyStruct } from './values/struct.js';
import { RubySymbol } from './values/symbol.js';
import { RubyUserDefined } from './values/user-defined.js';
import { RubyUserMarshal } from './values/user-marshal.js';
import type { RubyValue, SharedBignum } from './values/value.js';
import { isRubyArray, isRubyHash, isRubyRegexp, isRubyString } from './values/kind.js';
import {
  T_ARRAY,
  T_BIGNUM,
  T_CLASS,
  T_DATA,
  T_EXTENDED,
  T_FALSE,
  T_FIXNUM,
  T_FLOAT,
  T_HASH,
  T_HASH_DEF,
  T_IVAR,
  T_LINK,
  T_MODULE,
  T_NIL,
  T_OBJECT,
  T_OLD_MODULE,
  T_REGEXP,
  T_STRING,
  T_STRUCT,
  T_SYMBOL,
  T_SYMLINK,
  T_TRUE,
  T_UCLASS,
  T_USERDEF,
  T_USRMARSHAL,
} from './type-bytes.js';


/** A value that can carry `e` (extended modules). */
type Extendable = { extended: RubySymbol[] | undefined };
/** A string-like value whose first ivar may be its encoding. */
type Encoded = { encoding: string; ivars: RubyIvars | undefined };

/**
 * Bytes -> values. Mirrors MRI's `r_object0`: the object table (`@` links) and the symbol table (`;` links) are
 * filled at exactly the points Ruby fills them, so links resolve to the object Ruby meant, and `generate` can
 * write the same numbering back.
 */
export class MarshalParser extends ByteReader {
  private readonly objects: RubyValue[] = [];
  private readonly symbols: Array<RubySymbol | undefined> = [];
  private depth = 0;
  private readonly maxDepth: number;
  private readonly typedClasses: boolean;
  /** Object-table index of the Integer the last `readValue` read from `l`, else -1. */
  private bignumSlot = -1;
  /**
   * Where each `l` Integer was stored (holder and key), so that a later link to it can box it. Ruby links a Bignum
   * only when one Bignum object stands twice; a JS bigint has no identity, so both places get one boxed BigInt.
   */
  private bignumHomes: Map<number, [holder: Record<string | number, unknown>, key: string | number]> | undefined;
  /**
   * Until a link to an `l` Integer is met (rare), homes are only noted, as slot, holder, key, one after the other in
   * one list, without a Map entry and a tuple each: a session can hold thousands of timestamps past Fixnum range and
   * no link to any of them.
   */
  private readonly notes: unknown[] = [];

  constructor(bytes: Uint8Array, maxDepth = DEFAULT_MAX_DEPTH, typedClasses = true) {
    // What is loaded never aliases the caller's bytes. A long input is copied once and every byte string read from
    // it (String, Symbol, Regexp, `_dump`) is a view of the copy, a third of the cost of an array of its own; a short
    // one copies each byte string, since a fresh buffer (about 1.5 µs) costs more than its views would save. The
    // copying constructor, not `slice`, which is a view on a Buffer.
    const copy = bytes.length >= VIEWED_FROM_BYTES ? new Uint8Array(bytes) : undefined;
    super(copy ?? bytes, copy?.buffer);
    this.maxDepth = maxDepth;
    this.typedClasses = typedClasses;
  }

  /** Reads the version header and one value. */
  parseDocument(): RubyValue {
    const major = this.readByte();
    const minor = this.readByte();
    if (major !== 4 || minor > 8) {
      this.fail('unsupported_version', `Marshal ${major}.${minor} is not 4.0..4.8 (first bytes 0x${hexByte(major)} 0x${hexByte(minor)})`, 0);
    }
    return this.readValue(false, false);
  }

  /**
   * One value. `hasIvars`: an `I` wrapper is open and its ivars follow this value. `decorated`: an `e` or `C` wrapper
   * is open, so an Array must load as a RubyArray that can carry it. The commonest values of a session (a link, a
   * Fixnum, a String with its encoding) are read here, without the type switch, while the depth limit is two levels
   * away (so none of them can reach it); everything else, and these near the limit, go through `readTyped`.
   */
  readValue(hasIvars: boolean, decorated: boolean): RubyValue {
    const start = this.pos;
    if (!hasIvars && this.depth < this.maxDepth - 1) {
      const b = this.bytes[start];
      // Not an `l` Integer, whatever comes (readTyped sets it again).
      this.bignumSlot = -1;
      if (b === T_LINK || b === T_FIXNUM) {
        this.pos = start + 1;
        return b === T_LINK ? this.readLink(start) : this.readLong();
      }
      if (b === T_IVAR && this.bytes[start + 1] === T_STRING) {
        this.pos = start + 2;
        this.depth += 2;
        const string = this.readString(true);
        this.depth -= 2;
        return string;
      }
    }
    return this.readTyped(start, hasIvars, decorated);
  }

  /** One value by its type byte at `start`: the general path of `readValue`. */
  private readTyped(start: number, hasIvars: boolean, decorated: boolean): RubyValue {
    if (++this.depth > this.maxDepth) {
      this.fail('depth_exceeded', `values nest deeper than maxDepth ${this.maxDepth}`);
    }
    const type = this.readByte();
    let value: RubyValue;
    switch (type) {
      case T_NIL:
        value = null;
        break;
      case T_TRUE:
        value = true;
        break;
      case T_FALSE:
        value = false;
        break;
      case T_FIXNUM:
        value = this.readLong();
        break;
      case T_BIGNUM:
        value = this.readBignum(start);
        break;
      case T_FLOAT:
        value = this.readFloat();
        break;
      case T_STRING:
        value = this.readString(hasIvars);
        hasIvars = false;
        break;
      case T_SYMBOL:
        value = this.readSymbolBody(hasIvars);
        hasIvars = false;
        break;
      case T_SYMLINK:
        value = this.readSymlink(start);
        break;
      case T_LINK:
        value = this.readLink(start);
        break;
      case T_IVAR:
        if (hasIvars) this.fail('invalid_format', 'an ivar wrapper (I) directly inside another', start);
        value = this.readValue(true, decorated);
        break;
      case T_EXTENDED:
        value = this.readExtended(hasIvars);
        hasIvars = false;
        break;
      case T_UCLASS:
        value = this.readUserClass(hasIvars);
        hasIvars = false;
        break;
      case T_OBJECT:
        value = this.readObject();
        break;
      case T_USERDEF:
        value = this.readUserDefined(hasIvars);
        hasIvars = false;
        break;
      case T_USRMARSHAL:
        value = this.readUserMarshal();
        break;
      case T_ARRAY:
        value = this.readArray(hasIvars, decorated);
        hasIvars = false;
        break;
      case T_HASH:
      case T_HASH_DEF:
        value = this.readHash(hasIvars, type === T_HASH_DEF);
        hasIvars = false;
        break;
      case T_REGEXP:
        value = this.readRegexp(hasIvars);
        hasIvars = false;
        break;
      case T_STRUCT:
        value = this.readStruct(hasIvars);
        hasIvars = false;
        break;
      case T_CLASS:
      case T_MODULE:
      case T_OLD_MODULE:
        value = this.readClassRef(type);
        // Ruby 4.0 writes a non-ASCII class or module name with its encoding: `I c <name> 1 :E T` (r_encname).
        if (hasIvars && type !== T_OLD_MODULE) {
          this.readClassEncoding(value, start);
          hasIvars = false;
        }
        break;
      case T_DATA:
        value = this.readData(hasIvars);
        hasIvars = false;
        break;
      default:
        this.fail('unknown_type', `unknown type byte 0x${hexByte(type)}`, start);
    }
    if (hasIvars) {
      this.fail('invalid_format', `instance variables (I) on a value of type '${String.fromCharCode(type)}' that cannot hold them`, start);
    }
    this.bignumSlot = type === T_BIGNUM ? this.objects.length - 1 : -1;
    this.depth--;
    return value;
  }

  private readBignum(start: number): number | bigint {
    const sign = this.readByte();
    if (sign !== 0x2b && sign !== 0x2d) this.fail('invalid_format', `bignum sign byte 0x${hexByte(sign)} is not '+' or '-'`, start + 1);
    const length = this.readLength('bignum length (16-bit words)', 2) * 2;
    const magnitude = bignumMagnitude(this.bytes, this.pos, length);
    const value = sign === 0x2d && magnitude !== 0 ? -magnitude : magnitude;
    this.pos += length;
    this.objects.push(value);
    return value;
  }

  private readFloat(): RubyFloat {
    const text = latin1Decode(this.readByteString('float length'));
    const value = parseFloatText(text);
    const float = new RubyFloat(value, isFormattedFloat(value, text) ? undefined : text);
    this.objects.push(float);
    return float;
  }

  private readString(hasIvars: boolean): RubyString {
    const string = new RubyString(this.readByteString('string length'));
    this.objects.push(string);
    if (!hasIvars) return string;
    const bytes = this.bytes;
    const p = this.pos;
    const link = bytes[p + 2]!;
    const flag = bytes[p + 3];
    // The commonest ivars, read in one step: one, `:E` linked in one byte (`;` then 0, or 5..127 for 0..122; 1..4
    // start a longer long and give a negative index here, which holds no symbol), then `T` or `F`. At the depth
    // limit the flag's own readValue must fail, so readEncodedIvars reads it.
    if (bytes[p] === 6 && bytes[p + 1] === T_SYMLINK && this.depth < this.maxDepth && (flag === T_TRUE || flag === T_FALSE) && this.symbols[link === 0 ? 0 : link < 128 ? link - 5 : -1]?.key === 'E') {
      this.pos = p + 4;
      string.encoding = flag === T_TRUE ? 'UTF-8' : 'US-ASCII';
    } else this.readEncodedIvars(string);
    return string;
  }

  /**
   * The ivars of a String, Regexp or Symbol: an encoding ivar first (`E` true = UTF-8, false = US-ASCII, or
   * `encoding` with the name), then any others, kept in order.
   */
  private readEncodedIvars(target: Encoded): void {
    const count = this.readLength('ivar count', 2);
    let extra: RubyIvars | undefined;
    for (let i = 0; i < count; i++) {
      const name = this.readSymbol();
      const value = this.readIvarValue(name);
      if (i === 0 && name.key === 'E' && typeof value === 'boolean') {
        target.encoding = value ? 'UTF-8' : 'US-ASCII';
      } else if (i === 0 && name.key === 'encoding' && isRubyString(value)) {
        target.encoding = latin1Decode(value.bytes);
      } else {
        const pair: [RubySymbol, RubyValue] = [name, value];
        this.noteHome(pair, 1);
        (extra ??= []).push(pair);
      }
    }
    // An `I` wrapper with nothing in it is kept as an empty list, so that it is written back.
    target.ivars = extra ?? (count === 0 ? [] : undefined);
  }

  /** Ivars kept exactly as written (Hash, Array, Struct, `_dump` strings), or a Struct's members (the same shape). */
  private readIvars(what = 'ivar count'): RubyIvars {
    const count = this.readLength(what, 2);
    const ivars: RubyIvars = [];
    for (let i = 0; i < count; i++) {
      const name = this.readSymbol();
      const pair: [RubySymbol, RubyValue] = [name, this.readIvarValue(name)];
      this.noteHome(pair, 1);
      ivars.push(pair);
    }
    return ivars;
  }

  private readIvarValue(name: RubySymbol): RubyValue {
    try {
      return this.readValue(false, false);
    } catch (error) {
      throw withSegment(error, `.${nameInMessage(name.name)}`);
    }
  }

  /** A symbol where only a symbol may stand (class names, ivar and member names). */
  readSymbol(): RubySymbol {
    const start = this.pos;
    const type = this.readByte();
    if (type === T_SYMBOL) return this.readSymbolBody(false);
    if (type === T_SYMLINK) return this.readSymlink(start);
    if (type === T_IVAR && this.readByte() === T_SYMBOL) return this.readSymbolBody(true);
    return this.fail('invalid_format', `expected a symbol, found type byte 0x${hexByte(type)}`, start);
  }

  private readSymbolBody(hasIvars: boolean): RubySymbol {
    const start = this.pos;
    const bytes = this.readByteString('symbol length');
    // Registered before its encoding ivar is read, as Ruby does, so `E` gets the next symbol index.
    const index = this.symbols.length;
    this.symbols.push(undefined);
    let encoding = 'ASCII-8BIT';
    if (hasIvars) {
      const target: Encoded = { encoding, ivars: undefined };
      this.readEncodedIvars(target);
      if (target.ivars !== undefined && target.ivars.length > 0) {
        this.fail('invalid_format', 'a symbol with instance variables other than its encoding', start);
      }
      encoding = target.encoding;
    }
    const symbol = new RubySymbol(bytes, encoding);
    this.symbols[index] = symbol;
    return symbol;
  }

  private readSymlink(start: number): RubySymbol {
    const index = this.readLong();
    const symbol = index >= 0 ? this.symbols[index] : undefined;
    if (symbol === undefined) {
      this.fail('bad_link', `symbol link ;${index} but only ${this.symbols.length} symbols are defined`, start);
    }
    return symbol;
  }

  private readLink(start: number): RubyValue {
    const index = this.readLong();
    if (index < 0 || index >= this.objects.length) {
      this.fail('bad_link', `object link @${index} but only ${this.objects.length} objects are defined`, start);
    }
    const target = this.objects[index]!;
    if (typeof target !== 'bigint') return target;
    const homes = this.homes();
    const home = homes.get(index);
    if (home === undefined) return target;
    const boxed = Object(target) as SharedBignum;
    home[0][home[1]] = boxed;
    this.objects[index] = boxed;
    homes.delete(index);
    return boxed;
  }

  /** The homes noted so far as a Map, built at the first link to an `l` Integer and kept up to date after. */
  private homes(): Map<number, [holder: Record<string | number, unknown>, key: string | number]> {
    if (this.bignumHomes !== undefined) return this.bignumHomes;
    const homes = new Map<number, [holder: Record<string | number, unknown>, key: string | number]>();
    const notes = this.notes;
    for (let i = 0; i < notes.length; i += 3) homes.set(notes[i] as number, [notes[i + 1] as Record<string | number, unknown>, notes[i + 2] as string | number]);
    notes.length = 0;
    return (this.bignumHomes = homes);
  }

  /** Remembers where the value just read was stored when it is an `l` Integer (see `bignumHomes`). */
  private noteHome(holder: object, key: string | number): void {
    if (this.bignumSlot >= 0) this.noteSlotHome(this.bignumSlot, holder, key);
  }

  private noteSlotHome(slot: number, holder: object, key: string | number): void {
    if (this.bignumHomes !== undefined) {
      this.bignumHomes.set(slot, [holder as Record<string | number, unknown>, key]);
      return;
    }
    this.notes.push(slot, holder, key);
  }

  private readExtended(hasIvars: boolean): RubyValue {
    const start = this.pos - 1;
    const modules = [this.readSymbol()];
    while (this.pos < this.bytes.length && this.bytes[this.pos] === T_EXTENDED) {
      this.pos++;
      modules.push(this.readSymbol());
    }
    const value = this.readValue(hasIvars, true);
    if (typeof value !== 'object' || value === null || !('extended' in value)) {
      return this.fail('invalid_format', 'extended modules (e) on a value that cannot be extended', start);
    }
    (value as Extendable).extended = modules;
    return value;
  }

  private readUserClass(hasIvars: boolean): RubyValue {
    const start = this.pos - 1;
    const className = this.readSymbol();
    // marshal.c writes `C :Hash` right before `{`/`}` for a compare_by_identity Hash (inside a subclass's own C).
    const next = this.bytes[this.pos];
    const identity = className.name === 'Hash' && (next === 0x7b || next === 0x7d);
    const value = this.readValue(hasIvars, true);
    if (identity && isRubyHash(value)) {
      value.compareByIdentity = true;
      return value;
    }
    if (isRubyString(value) || isRubyArray(value) || isRubyHash(value) || isRubyRegexp(value)) {
      value.userClass = className;
      return value;
    }
    return this.fail('invalid_format', `user class ${nameInMessage(className.name)} (C) around a value that is not a String, Array, Hash or Regexp`, start);
  }

  private readObject(): RubyObject {
    const className = this.readSymbol();
    const Typed = this.typedClasses ? OBJECT_CLASSES.get(className.name) : undefined;
    const object = Typed === undefined ? new RubyObject(className) : new Typed(className);
    this.objects.push(object);
    object.ivars = this.readIvars();
    // A known class whose ivars do not have the shape it reads stays a plain record.
    if (Typed !== undefined && !(object as InstanceType<typeof Typed>).isWellFormed()) Object.setPrototypeOf(object, RubyObject.prototype);
    return object;
  }

  private readUserDefined(hasIvars: boolean): RubyUserDefined {
    const className = this.readSymbol();
    const bytes = this.readByteString('_dump length');
    // The ivars of the dumped string (Time's zone) are read, and so registered, before the object itself.
    const ivars = hasIvars ? this.readIvars() : undefined;
    const Typed = this.typedClasses ? USER_DEFINED_CLASSES.get(className.name) : undefined;
    const typed = Typed === undefined ? undefined : new Typed(className, bytes, ivars);
    const object = typed !== undefined && typed.isWellFormed() ? typed : new RubyUserDefined(className, bytes, ivars);
    this.objects.push(object);
    return object;
  }

  private readUserMarshal(): RubyUserMarshal {
    const className = this.readSymbol();
    const Typed = this.typedClasses ? USER_MARSHAL_CLASSES.get(className.name) : undefined;
    // Registered before its data (which may link back to it), so the typed class is chosen by name first.
    const object = Typed === undefined ? new RubyUserMarshal(className, null) : new Typed(className, null);
    this.objects.push(object);
    try {
      object.data = this.readValue(false, false);
      this.noteHome(object, 'data');
    } catch (error) {
      throw withSegment(error, '.marshal_dump');
    }
    if (Typed !== undefined && !(object as InstanceType<typeof Typed>).isWellFormed()) Object.setPrototypeOf(object, RubyUserMarshal.prototype);
    return object;
  }

  private readArray(hasIvars: boolean, decorated: boolean): RubyValue[] {
    const length = this.readLength('array length', 1);
    const array: RubyValue[] = decorated || hasIvars ? new RubyArray() : [];
    this.objects.push(array);
    let i = 0;
    try {
      for (; i < length; i++) {
        array.push(this.readValue(false, false));
        this.noteHome(array, i);
      }
    } catch (error) {
      throw withSegment(error, `[${i}]`);
    }
    if (hasIvars) (array as RubyArray).ivars = this.readIvars();
    return array;
  }

  private readHash(hasIvars: boolean, hasDefault: boolean): RubyHash {
    const size = this.readLength('hash size', 2);
    // Made at its size (at most 4 array bytes per input byte, as an entry takes 2 or more), not grown by pushes.
    const entries: Array<[RubyValue, RubyValue]> = new Array(size);
    const hash = new RubyHash(entries);
    this.objects.push(hash);
    // One try around the loop (not two per entry): the error path says which key or value failed.
    let i = 0;
    let key: RubyValue = null;
    let readingKey = true;
    try {
      for (; i < size; i++) {
        readingKey = true;
        key = this.readValue(false, false);
        const keySlot = this.bignumSlot;
        readingKey = false;
        const pair: [RubyValue, RubyValue] = [key, this.readValue(false, false)];
        this.noteHome(pair, 1);
        if (keySlot >= 0) this.noteSlotHome(keySlot, pair, 0);
        entries[i] = pair;
      }
    } catch (error) {
      throw withSegment(error, readingKey ? `{key #${i}}` : keySegment(key, i));
    }
    if (hasDefault) {
      try {
        hash.defaultValue = this.readValue(false, false);
        this.noteHome(hash, 'defaultValue');
      } catch (error) {
        throw withSegment(error, '.default');
      }
    }
    if (hasIvars) hash.ivars = this.readIvars();
    return hash;
  }

  private readRegexp(hasIvars: boolean): RubyRegexp {
    const source = this.readByteString('regexp length');
    const regexp = new RubyRegexp(source, this.readByte(), 'ASCII-8BIT');
    this.objects.push(regexp);
    if (hasIvars) this.readEncodedIvars(regexp);
    return regexp;
  }

  private readStruct(hasIvars: boolean): RubyStruct {
    const struct = new RubyStruct(this.readSymbol());
    this.objects.push(struct);
    struct.members = this.readIvars('struct size');
    if (hasIvars) struct.ivars = this.readIvars();
    return struct;
  }

  private readClassRef(type: number): RubyClassRef {
    const kind = type === T_CLASS ? 'class' : type === T_MODULE ? 'module' : 'old_module';
    const ref = new RubyClassRef(kind, this.readByteString('class name length'));
    this.objects.push(ref);
    return ref;
  }

  /** The encoding of a class or module name (one `E` or `encoding` ivar: Ruby raises on any other, prohibit_ivar). */
  private readClassEncoding(ref: RubyClassRef, start: number): void {
    const target: Encoded = { encoding: 'ASCII-8BIT', ivars: undefined };
    this.readEncodedIvars(target);
    if (target.ivars !== undefined || target.encoding === 'ASCII-8BIT') {
      this.fail('invalid_format', `instance variables on ${ref.kind === 'class' ? 'a class' : 'a module'} other than its name's encoding`, start);
    }
    ref.encoding = target.encoding;
  }

  private readData(hasIvars: boolean): RubyData {
    const data = new RubyData(this.readSymbol(), null);
    this.objects.push(data);
    try {
      data.data = this.readValue(false, false);
      this.noteHome(data, 'data');
    } catch (error) {
      throw withSegment(error, '._dump_data');
    }
    if (hasIvars) data.ivars = this.readIvars();
    return data;
  }
}

/** Inputs from this size on are copied whole once, their byte strings views of the copy (see the constructor). */
const VIEWED_FROM_BYTES = 1024;
