import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/**
 * A Ruby Float. Floats get their own type so that `1.0` (a Float) and `1` (an Integer) stay apart, and so that a
 * Float object Ruby wrote once and linked twice is one object here too.
 */
export class RubyFloat {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Float');
  }

  /** The value. */
  readonly value: number;
  /**
   * The text Ruby wrote, kept only when it is not the text Ruby 1.9+ would write for `value` (old streams with a
   * binary mantissa after a NUL, hand-made payloads), so that re-dumping gives the same bytes.
   */
  readonly text: string | undefined;

  constructor(value: number, text?: string) {
    this.value = value;
    this.text = text;
  }

  valueOf(): number {
    return this.value;
  }
}
