import { utf8Decode, utf8Encode } from '../text.js';
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

  constructor(kind: RubyClassRefKind, name: string | Uint8Array) {
    this.kind = kind;
    this.bytes = typeof name === 'string' ? utf8Encode(name) : name;
  }

  /** The path, such as `'ActiveSupport::HashWithIndifferentAccess'`. */
  get name(): string {
    return utf8Decode(this.bytes);
  }
}
