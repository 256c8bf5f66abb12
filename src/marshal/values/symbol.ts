import { rubyText } from '../encoding/ruby-text.js';
import { isAsciiBytes, latin1Decode, utf8Encode } from '../text.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/**
 * A Ruby Symbol. Ruby interns symbols, so two RubySymbols with the same `key` are the same Ruby symbol; compare
 * them by `key` (or `name` for ASCII symbols), not by object identity.
 */
export class RubySymbol {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Symbol');
  }

  /** The symbol's bytes. */
  readonly bytes: Uint8Array;
  /** Ruby encoding name: `'US-ASCII'` for ASCII symbols, `'UTF-8'`, `'ASCII-8BIT'`, or another name. */
  readonly encoding: string;
  /** The symbol's text (`'user_id'` for `:user_id`). */
  readonly name: string;
  /** True when every byte is ASCII (Ruby then writes the symbol without an encoding). */
  readonly isAscii: boolean;
  /** Identity of the symbol: the name for ASCII symbols, else encoding and bytes. */
  readonly key: string;

  /**
   * From text: `new RubySymbol('user_id')` is `:user_id` (UTF-8, or US-ASCII when the text is ASCII).
   * From bytes: the bytes in the given encoding (default `'UTF-8'`), as `load` reads them.
   */
  constructor(content: string | Uint8Array, encoding?: string) {
    const bytes = typeof content === 'string' ? utf8Encode(content) : content;
    const ascii = isAsciiBytes(bytes);
    const declared = encoding ?? 'UTF-8';
    this.bytes = bytes;
    this.isAscii = ascii;
    this.encoding = ascii ? 'US-ASCII' : declared;
    this.name = typeof content === 'string' ? content : ascii ? latin1Decode(bytes) : rubyText(bytes, this.encoding).text;
    this.key = ascii ? this.name : `${declared}\0${latin1Decode(bytes)}`;
  }

  toString(): string {
    return this.name;
  }
}
