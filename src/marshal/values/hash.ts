import { bytesEqual, isAsciiBytes, utf8Encode } from '../text.js';
import type { RubyIvars } from './ivars.js';
import { RubySymbol } from './symbol.js';
import type { RubyValue } from './value.js';
import { NOT_INDEXED, type DumpIndexAccess } from './dump-index.js';
import { brand, RUBY_KIND, type RubyKind, isRubyString, isRubySymbol } from './kind.js';

/** Reads and sets the index a dump gives a RubyHash of this copy (see dump-index.ts); made in the class body. */
export let hashDumpIndex: DumpIndexAccess;

/**
 * A Ruby Hash: entries in insertion order, keys of any type (a String key and a Symbol key with the same text are
 * different keys, as in Ruby), and the default value when the Hash has one (`Hash.new(0)`).
 * Entries live in an array, never as properties of a JS object, so a key such as `"__proto__"` is only data.
 */
export class RubyHash {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  /** The index the last dump that wrote this Hash gave it (see dump-index.ts). */
  #dumpIndex = -1;
  static {
    brand(this, 'Hash');
    hashDumpIndex = {
      read: (value) => (#dumpIndex in value ? (value as RubyHash).#dumpIndex : NOT_INDEXED),
      write: (value, index) => {
        (value as RubyHash).#dumpIndex = index;
      },
    };
  }

  /** `[key, value]` pairs in insertion order. */
  entries: Array<[key: RubyValue, value: RubyValue]>;
  /** The default value (`Hash.new(x)`), or undefined when the Hash has none. */
  defaultValue: RubyValue | undefined;
  /** The subclass of Hash this object is an instance of (`C`), such as `ActiveSupport::HashWithIndifferentAccess`. */
  userClass: RubySymbol | undefined = undefined;
  /** True for a `compare_by_identity` Hash, which Marshal writes as `C :Hash` right before the entries. */
  compareByIdentity = false;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;
  /** Instance variables, in the order written. */
  ivars: RubyIvars | undefined = undefined;

  constructor(entries: Array<[RubyValue, RubyValue]> = [], defaultValue?: RubyValue) {
    this.entries = entries;
    this.defaultValue = defaultValue;
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * The value for a key, compared as Ruby's `Hash#[]` would: a JS string matches a String key with the same text
   * (UTF-8, or any encoding when the text is ASCII); a RubySymbol matches the same symbol; a RubyString matches the
   * same text; other values match by identity (numbers and bigints by value).
   */
  get(key: string | RubyValue): RubyValue | undefined {
    const index = this.indexOf(key);
    return index < 0 ? undefined : this.entries[index]![1];
  }

  /** True when the Hash has the key (see `get`). */
  has(key: string | RubyValue): boolean {
    return this.indexOf(key) >= 0;
  }

  private indexOf(key: string | RubyValue): number {
    const entries = this.entries;
    if (typeof key === 'string' || isRubyString(key)) {
      const bytes = typeof key === 'string' ? utf8Encode(key) : key.bytes;
      const ascii = isAsciiBytes(bytes);
      for (let i = 0; i < entries.length; i++) {
        const k = entries[i]![0];
        if (isRubyString(k) && (ascii || k.encoding === 'UTF-8') && bytesEqual(k.bytes, bytes)) return i;
      }
      return -1;
    }
    if (isRubySymbol(key)) {
      for (let i = 0; i < entries.length; i++) {
        const k = entries[i]![0];
        if (isRubySymbol(k) && k.key === key.key) return i;
      }
      return -1;
    }
    for (let i = 0; i < entries.length; i++) if (entries[i]![0] === key) return i;
    return -1;
  }
}
