import { getIvar } from '../values/ivars.js';
import { RubyObject } from '../values/object.js';
import { RubySymbol } from '../values/symbol.js';
import type { RubyValue } from '../values/value.js';
import { brand, RUBY_KIND, type RubyKind } from '../values/kind.js';

/**
 * Ruby's Range, written as an object with the ivars `excl`, `begin`, `end` (no `@`), in that order.
 * A new one: `rubyRange`.
 */
export class RubyRange extends RubyObject {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Object Range');
  }

  get begin(): RubyValue {
    return getIvar(this.ivars, 'begin') ?? null;
  }

  get end(): RubyValue {
    return getIvar(this.ivars, 'end') ?? null;
  }

  get excludeEnd(): boolean {
    return getIvar(this.ivars, 'excl') === true;
  }

  isWellFormed(): boolean {
    return this.ivars.length === 3 && typeof getIvar(this.ivars, 'excl') === 'boolean' && getIvar(this.ivars, 'begin') !== undefined && getIvar(this.ivars, 'end') !== undefined;
  }
}

/** `first..last`, or `first...last` with `excludeEnd`; `null` for an endless or beginless side. */
export function rubyRange(first: RubyValue, last: RubyValue, excludeEnd = false): RubyRange {
  return new RubyRange(new RubySymbol('Range'), [
    [new RubySymbol('excl'), excludeEnd],
    [new RubySymbol('begin'), first],
    [new RubySymbol('end'), last],
  ]);
}
