import { rubyText } from '../encoding/ruby-text.js';
import { utf8Encode } from '../text.js';
import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import { NOT_INDEXED, type DumpIndexAccess } from './dump-index.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/** Reads and sets the index a dump gives a RubyString of this copy (see dump-index.ts); made in the class body. */
export let stringDumpIndex: DumpIndexAccess;

/**
 * A Ruby String: its bytes and its encoding, never reinterpreted. Ruby strings are mutable objects, so a String
 * that Ruby wrote once and linked twice decodes to one RubyString, and dumps back as a link.
 */
export class RubyString {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  /** The index the last dump that wrote this String gave it (see dump-index.ts). */
  #dumpIndex = -1;
  static {
    brand(this, 'String');
    stringDumpIndex = {
      read: (value) => (#dumpIndex in value ? (value as RubyString).#dumpIndex : NOT_INDEXED),
      write: (value, index) => {
        (value as RubyString).#dumpIndex = index;
      },
    };
  }

  /**
   * The string's bytes, as Ruby holds them. From `load`, never memory of the caller's input: each String of a short
   * payload has an array of its own; from 1 KiB on, `load` copies the payload once and each String is a view of
   * that copy (`byteOffset` past 0, `buffer` the whole payload, kept alive while any of its Strings is; `slice()`
   * keeps the bytes alone). Writing into one String's bytes changes only that String either way.
   */
  readonly bytes: Uint8Array;
  /** Ruby encoding name: `'UTF-8'`, `'US-ASCII'`, `'ASCII-8BIT'` (binary), or any other, such as `'Shift_JIS'`. */
  encoding: string;
  /** Instance variables other than the encoding, in the order written. */
  ivars: RubyIvars | undefined = undefined;
  /** The subclass of String this object is an instance of (`C`), if any. */
  userClass: RubySymbol | undefined = undefined;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;

  /**
   * From text: UTF-8 bytes, encoding `'UTF-8'` unless given. From bytes: encoding `'ASCII-8BIT'` unless given.
   * The bytes are used as they are, not copied.
   */
  constructor(content: string | Uint8Array, encoding?: string) {
    if (typeof content === 'string') {
      this.bytes = utf8Encode(content);
      this.encoding = encoding ?? 'UTF-8';
    } else {
      this.bytes = content;
      this.encoding = encoding ?? 'ASCII-8BIT';
    }
  }

  /**
   * The text, as Ruby's `encode('UTF-8', invalid: :replace, undef: :replace)` reads the bytes in the string's
   * encoding: never throws; each invalid or undefined sequence is U+FFFD, cut where Ruby cuts; every code point is
   * kept, a leading U+FEFF too. Binary (ASCII-8BIT) bytes map one to one to U+0000..U+00FF. An encoding other than
   * UTF-8, US-ASCII, binary and UTF-16/32 needs its table (`registerRubyEncodings()` from
   * `rails-session-codec/encodings`); without it every non-ASCII byte is U+FFFD.
   */
  toString(): string {
    return rubyText(this.bytes, this.encoding).text;
  }
}
