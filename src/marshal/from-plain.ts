import { rubySet } from './classes/set.js';
import { rubyTimeFromDate } from './classes/time.js';
import { Budget, type BudgetOptions } from './budget.js';
import { keySegment } from './error-path.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { PlainError } from './plain-error.js';
import { RubyFloat } from './values/float.js';
import { RubyHash } from './values/hash.js';
import { RubyString } from './values/string.js';
import type { RubyValue } from './values/value.js';
import { isRubyRecord } from './values/kind.js';

/**
 * Options for `fromPlain`. `maxOutputBytes` (String characters and bytes made, default 64 MiB) and `maxNodes`
 * (objects made, default 100,000) stop it with `budget_exceeded`: a JS string has no identity, so one used
 * 30,000 times becomes 30,000 Strings.
 */
export interface FromPlainOptions extends BudgetOptions {
  /**
   * The encoding of Hash keys that are JS strings. Rails stores keys set through a Symbol (`session[:user_id]`) as
   * US-ASCII Strings and literal keys as UTF-8; Ruby finds an ASCII key either way.
   * Defaults to `'UTF-8'`.
   */
  keyEncoding?: 'UTF-8' | 'US-ASCII';
  /**
   * The UTC offset, in seconds, of the Times made from JS `Date`s: undefined makes UTC Times
   * (`Time.at(...).utc`), a number fixed-offset ones (`Time.at(..., in: "+09:00")`).
   * Defaults to undefined (UTC).
   */
  utcOffset?: number;
}

/**
 * Ordinary JS -> Ruby values, with Ruby's conventions: strings become UTF-8 Strings, integers Integers (bigints
 * too), other numbers Floats, `Date`s Times, `Uint8Array`s binary Strings, arrays Arrays, `Set`s Sets, `Map`s and
 * plain objects Hashes. Values that are already Ruby values pass through. An object used twice stays one object,
 * and equal String keys are one String, as Ruby interns them. `undefined`, functions, symbols and instances of
 * other classes are refused with `PlainError` (`unsupported_value`) and their path.
 */
export function fromPlain(plain: unknown, options?: FromPlainOptions): RubyValue {
  return new RubyBuilder(options ?? {}).build(plain);
}

class RubyBuilder {
  private readonly done = new Map<object, RubyValue>();
  private readonly keys = new Map<string, RubyString>();
  private nan: RubyFloat | undefined;
  private depth = 0;
  private infinity: RubyFloat | undefined;
  private readonly budget: Budget;

  constructor(private readonly options: FromPlainOptions) {
    this.budget = new Budget(options, (reason) => new PlainError('budget_exceeded', reason));
  }

  build(plain: unknown): RubyValue {
    switch (typeof plain) {
      case 'string':
        this.budget.addBytes(plain.length);
        return new RubyString(plain);
      case 'number':
        if (Number.isInteger(plain) && !Object.is(plain, -0)) return plain;
        // NaN and Infinity stand for Ruby's constants Float::NAN and Float::INFINITY: one object each, as `dump` has it.
        if (Number.isNaN(plain)) return (this.nan ??= new RubyFloat(NaN));
        if (plain === Infinity) return (this.infinity ??= new RubyFloat(Infinity));
        return new RubyFloat(plain);
      case 'bigint':
        return plain >= -BigInt(Number.MAX_SAFE_INTEGER) && plain <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(plain) : plain;
      case 'boolean':
        return plain;
      case 'object':
        if (plain === null) return null;
        break;
      default:
        throw new PlainError('unsupported_value', `a ${typeof plain} has no Ruby value`);
    }
    if (isRubyRecord(plain) || plain instanceof BigInt) return plain as RubyValue;
    const seen = this.done.get(plain);
    if (seen !== undefined) return seen;
    this.budget.addNode();
    if (Array.isArray(plain)) {
      const array: RubyValue[] = [];
      this.done.set(plain, array);
      plain.forEach((item, i) => array.push(this.child(item, `[${i}]`)));
      return array;
    }
    if (plain instanceof Date) {
      const ms = plain.getTime();
      if (Number.isNaN(ms)) throw new PlainError('unsupported_value', 'an invalid Date');
      return this.remember(plain, rubyTimeFromDate(plain, this.options.utcOffset === undefined ? undefined : { utcOffset: this.options.utcOffset }));
    }
    if (plain instanceof Uint8Array) this.budget.addBytes(plain.length);
    if (plain instanceof Uint8Array) return this.remember(plain, new RubyString(plain.slice(), 'ASCII-8BIT'));
    if (plain instanceof Set) {
      const members = [...plain].map((member, i) => this.child(member, `{member #${i}}`));
      return this.remember(plain, rubySet(members));
    }
    if (plain instanceof Map) return this.hash(plain, [...plain.entries()]);
    const proto = Object.getPrototypeOf(plain);
    if (proto === Object.prototype || proto === null) return this.hash(plain, Object.entries(plain as Record<string, unknown>));
    throw new PlainError('unsupported_value', `an instance of ${(plain as object).constructor?.name ?? 'an unknown class'} has no Ruby value`);
  }

  private remember<T extends RubyValue>(plain: object, value: T): T {
    this.done.set(plain, value);
    return value;
  }

  private hash(plain: object, entries: Array<[unknown, unknown]>): RubyHash {
    const hash = new RubyHash();
    this.done.set(plain, hash);
    entries.forEach(([key, value], i) => {
      const rubyKey = typeof key === 'string' ? this.key(key) : this.child(key, `{key #${i}}`);
      hash.entries.push([rubyKey, this.child(value, keySegment(key, i))]);
    });
    return hash;
  }

  /** A String key: one object per text, as Ruby's Hash interns keys. */
  private key(text: string): RubyString {
    let key = this.keys.get(text);
    if (key === undefined) {
      // eslint-disable-next-line no-control-regex
      const encoding = /^[\x00-\x7f]*$/.test(text) ? (this.options.keyEncoding ?? 'UTF-8') : 'UTF-8';
      this.keys.set(text, (key = new RubyString(text, encoding)));
    }
    return key;
  }

  private child(plain: unknown, segment: string): RubyValue {
    try {
      if (++this.depth > DEFAULT_MAX_DEPTH) throw new PlainError('depth_exceeded', `values nest deeper than ${DEFAULT_MAX_DEPTH}`);
      const value = this.build(plain);
      this.depth--;
      return value;
    } catch (error) {
      if (error instanceof PlainError) error.prependPath(segment);
      throw error;
    }
  }
}
