import { RubyHash } from '../values/hash.js';
import { getIvar } from '../values/ivars.js';
import { RubyObject } from '../values/object.js';
import { RubySymbol } from '../values/symbol.js';
import type { RubyValue } from '../values/value.js';
import { brand, RUBY_KIND, type RubyKind, isRubyHash } from '../values/kind.js';

/**
 * Ruby's Set (set.rb, Ruby <= 3.4): an object whose `@hash` maps each member to `true`, with default `false`.
 * A new one: `rubySet`.
 */
export class RubySet extends RubyObject {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Object Set');
  }

  /** The members, in insertion order. */
  get members(): RubyValue[] {
    return (getIvar(this.ivars, '@hash') as RubyHash).entries.map(([member]) => member);
  }

  get size(): number {
    return (getIvar(this.ivars, '@hash') as RubyHash).size;
  }

  isWellFormed(): boolean {
    return this.ivars.length === 1 && isRubyHash(getIvar(this.ivars, '@hash'));
  }
}

/** `Set[*members]`: a Set of these members, in this order. */
export function rubySet(members: RubyValue[]): RubySet {
  const hash = new RubyHash(members.map((member): [RubyValue, RubyValue] => [member, true]), false);
  return new RubySet(new RubySymbol('Set'), [[new RubySymbol('@hash'), hash]]);
}
