import { rubyText } from '../encoding/ruby-text.js';
import { utf8Encode } from '../text.js';
import { brand, RUBY_KIND, type RubyKind } from './kind.js';

/** What a class reference names: `c` a Class, `m` a Module, `M` an old-style (Ruby 1.x) class-or-module. */
export type RubyClassRefKind = 'class' | 'module' | 'old_module';

/** A reference to a Ruby Class or Module by its path (`String`, `ActiveSupport::HashWithIndifferentAccess`). */
export class RubyClassRef {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'ClassRef');
  }

  /** Class or module. */
  kind: RubyClassRefKind;
  /** The path's bytes as written. */
  readonly bytes: Uint8Array;
  /**
   * The name's encoding when the bytes say it: Ruby 4.0 writes a non-ASCII class or module name with it
   * (`I c <name> 1 :E T`); undefined for the bare name Ruby 1.9 to 3.4 write (read as UTF-8).
   */
  encoding: string | undefined;

  /**
   * From text (UTF-8 bytes) or bytes. `encoding`: give `'UTF-8'` to write a non-ASCII name as Ruby 4.0 does; without
   * it the name is written bare, as Ruby 1.9 to 3.4 do.
   */
  constructor(kind: RubyClassRefKind, name: string | Uint8Array, encoding?: string) {
    this.kind = kind;
    this.bytes = typeof name === 'string' ? utf8Encode(name) : name;
    this.encoding = encoding;
  }

  /** The path, such as `'ActiveSupport::HashWithIndifferentAccess'`. */
  get name(): string {
    return rubyText(this.bytes, this.encoding ?? 'UTF-8').text;
  }
}
