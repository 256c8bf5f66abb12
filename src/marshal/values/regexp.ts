import { rubyText } from '../encoding/ruby-text.js';
import { utf8Encode } from '../text.js';
import type { RubyIvars } from './ivars.js';
import type { RubySymbol } from './symbol.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/** Ruby Regexp option bits, as `Regexp#options` returns them. */
export const RegexpOptions = {
  IGNORECASE: 1,
  EXTENDED: 2,
  MULTILINE: 4,
  FIXEDENCODING: 16,
  NOENCODING: 32,
} as const;

/** A Ruby Regexp (`/`): its source bytes, encoding and every option bit as written. */
export class RubyRegexp {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Regexp');
  }

  /** The pattern source's bytes. */
  readonly source: Uint8Array;
  /** The option byte (see `RegexpOptions`). */
  options: number;
  /** Ruby encoding name of the source. */
  encoding: string;
  /** Instance variables other than the encoding, in the order written. */
  ivars: RubyIvars | undefined = undefined;
  /** The subclass of Regexp this object is an instance of (`C`), if any. */
  userClass: RubySymbol | undefined = undefined;
  /** Modules the object was extended with (`e`), outermost first. */
  extended: RubySymbol[] | undefined = undefined;

  /** From text: UTF-8 source, encoding `'US-ASCII'` when ASCII as Ruby makes it, unless given. */
  constructor(source: string | Uint8Array, options = 0, encoding?: string) {
    if (typeof source === 'string') {
      this.source = utf8Encode(source);
      // eslint-disable-next-line no-control-regex
      this.encoding = encoding ?? (/^[\x00-\x7f]*$/.test(source) ? 'US-ASCII' : 'UTF-8');
    } else {
      this.source = source;
      this.encoding = encoding ?? 'ASCII-8BIT';
    }
    this.options = options;
  }

  /** The pattern source as text. */
  toString(): string {
    return rubyText(this.source, this.encoding).text;
  }
}
