import { bytesEqual, isAsciiBytes } from '../text.js';
import { RubyHash } from '../values/hash.js';
import { getIvar } from '../values/ivars.js';
import { RubyObject } from '../values/object.js';
import { RubyString } from '../values/string.js';
import type { RubyValue } from '../values/value.js';
import { brand, RUBY_KIND, type RubyKind, isRubyHash, isRubySet, isRubyString, isRubySymbol } from '../values/kind.js';

/**
 * The flash of Rails 3.1 and 3.2 (`o:ActionDispatch::Flash::FlashHash` with `@used`, `@closed`, `@flashes`,
 * `@now`), which those versions stored in the session as the object itself. Rails 4.0+ stores a plain Hash
 * instead; `toModernFlash` gives it.
 */
export class RubyFlashHash extends RubyObject {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'Object FlashHash');
  }

  /** The messages (`@flashes`), keyed as the app set them (Symbols or Strings). */
  get flashes(): RubyHash {
    return getIvar(this.ivars, '@flashes') as RubyHash;
  }

  /**
   * The keys marked used (`@used`), which Rails shows no more: the members of a Set (Rails 3.1, 3.2), the keys
   * set to true of a Hash (older flashes), or the elements of an Array. Empty when there is no `@used`.
   */
  get used(): RubyValue[] {
    const used = getIvar(this.ivars, '@used');
    if (isRubySet(used)) return used.members;
    if (isRubyHash(used)) return used.entries.filter(([, value]) => value !== null && value !== false).map(([key]) => key);
    if (Array.isArray(used)) return [...used];
    return [];
  }

  /**
   * The session value Rails 4.1+ stores for this flash, `{"discard" => [], "flashes" => {…}}`: the messages not yet
   * used, keyed by Strings (a Symbol key becomes its US-ASCII name, as Rails' `stringify_keys` makes it). This is
   * what Rails 5+ writes back after `FlashHash.from_session_value(flash).keep`, so the next request shows the same
   * messages the Rails 3 app would have shown. Rails itself would drop the session key instead when `flashes` is
   * empty. The message values are the same objects as in this flash.
   */
  toModernFlash(): RubyHash {
    const used = this.used;
    const kept = new RubyHash();
    for (const [key, value] of this.flashes.entries) {
      if (used.some((member) => sameKey(member, key))) continue;
      const name = stringKey(key);
      const existing = kept.entries.findIndex(([k]) => sameKey(k, name));
      if (existing >= 0) kept.entries[existing]![1] = value;
      else kept.entries.push([name, value]);
    }
    return new RubyHash([
      [new RubyString('discard'), []],
      [new RubyString('flashes'), kept],
    ]);
  }

  /** False unless `@flashes` is a Hash and `@used` (if any) a Set, Hash, Array or nil (then `load` keeps the plain record). */
  isWellFormed(): boolean {
    const used = getIvar(this.ivars, '@used');
    const usedOk = used === undefined || used === null || isRubySet(used) || isRubyHash(used) || Array.isArray(used);
    return usedOk && isRubyHash(getIvar(this.ivars, '@flashes'));
  }
}

/** Ruby's `key.to_s` for the keys a flash holds; other keys stay as they are. */
function stringKey(key: RubyValue): RubyValue {
  if (isRubySymbol(key)) return new RubyString(key.bytes.slice(), key.encoding);
  if (typeof key === 'number' || typeof key === 'bigint') return new RubyString(String(key), 'US-ASCII');
  return key;
}

/** Whether two keys are the same Hash key in Ruby (`eql?`): a Symbol never equals a String with the same text. */
function sameKey(a: RubyValue, b: RubyValue): boolean {
  if (isRubySymbol(a)) return isRubySymbol(b) && a.key === b.key;
  if (isRubyString(a)) {
    // Equal bytes are the same key when the encodings are the same or both strings are ASCII-only.
    return isRubyString(b) && bytesEqual(a.bytes, b.bytes) && (a.encoding === b.encoding || (isAsciiBytes(a.bytes) && isAsciiBytes(b.bytes)));
  }
  return a === b;
}
