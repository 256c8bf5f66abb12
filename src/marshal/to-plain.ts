import { Budget, type BudgetOptions } from './budget.js';
import { rubyBigDecimal, type RubyBigDecimal } from './classes/big-decimal.js';
import { RubyDateTime } from './classes/date.js';
import { RubyTimeWithZone } from './classes/time-with-zone.js';
import { RubyTime } from './classes/time.js';
import { keySegment, nameInMessage } from './error-path.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { PlainError } from './plain-error.js';
import { describeTextProblem } from './encoding/decoded-text.js';
import { rubyText } from './encoding/ruby-text.js';
import { isAsciiBytes, latin1Decode } from './text.js';
import { RubyHash } from './values/hash.js';
import { RubyString } from './values/string.js';
import { isRubyArray, isRubyBigDecimal, isRubyDate, isRubyDateTime, isRubyFlashHash, isRubyFloat, isRubyHash, isRubySet, isRubyString, isRubySymbol, isRubyTime, isRubyTimeWithZone } from './values/kind.js';

/** Something the plain view could not keep, reported to `onLoss`. */
export interface PlainLoss {
  /** Where, such as `["seen_at"]`. */
  path: string;
  /** What is lost, such as `a Time's sub-millisecond digits (a Date keeps milliseconds)`. */
  reason: string;
}

/**
 * Options for `toPlain`. `maxOutputBytes` (String bytes made, default 64 MiB) and `maxNodes` (objects made, default
 * 100,000) stop it with `budget_exceeded`; a String or object shared in the value is made once.
 */
export interface ToPlainOptions extends BudgetOptions {
  /**
   * Time, ActiveSupport::TimeWithZone and DateTime: `'date'` gives a JS `Date` (the instant, to the millisecond;
   * finer digits are a loss), `'iso'` an ISO 8601 string with nanoseconds and the UTC offset
   * (`2024-01-02T03:04:05.123456789+09:00`).
   * Defaults to `'date'`.
   */
  times?: 'date' | 'iso';
  /** Date: `'iso'` gives `"2024-01-02"`, `'date'` a JS `Date` at UTC midnight of that day. Defaults to `'iso'`. */
  dates?: 'iso' | 'date';
  /** BigDecimal: `'string'` gives its exact decimal text, `'number'` the nearest double (inexact ones are a loss). Defaults to `'string'`. */
  decimals?: 'string' | 'number';
  /** Binary (ASCII-8BIT) Strings with bytes above 127: `'bytes'` gives a `Uint8Array`, `'latin1'` one char per byte. Defaults to `'bytes'`. */
  binary?: 'bytes' | 'latin1';
  /**
   * What to do where the plain form cannot hold everything (a Time's nanoseconds in a `Date`, a Hash's default, an
   * invalid UTF-8 String, ivars on a String): `'error'` throws `PlainError` with code `loss` and the path; `'ignore'`
   * drops it; a function is told of each loss and the conversion goes on.
   * Defaults to `'error'`.
   */
  onLoss?: 'error' | 'ignore' | ((loss: PlainLoss) => void);
}

const HWIA = 'ActiveSupport::HashWithIndifferentAccess';

/**
 * A loaded value as ordinary JS for application code: Strings as strings (binary ones as `Uint8Array`), Symbols as
 * strings, Integers as numbers or bigints, Floats as numbers, Hashes with String and Symbol keys as null-prototype
 * objects (a `Map` when keys are of other kinds or a String and a Symbol key share a name), Times as `Date`s, Dates
 * as ISO strings, BigDecimals as exact decimal strings, Sets as `Set`s, a Rails 3 FlashHash as the modern flash.
 * Rationals, Complexes, Ranges, Structs, Regexps and objects of other classes stay the lossless records they are.
 * An object shared in the value is one object in the result (cycles too), so nothing grows. A plain object lists
 * integer-like keys (`"10"`) first, as every JS object does; the RubyHash keeps Ruby's order.
 */
export function toPlain(value: unknown, options?: ToPlainOptions): unknown {
  return new PlainConverter(options ?? {}).convert(value);
}

class PlainConverter {
  private readonly done = new Map<object, unknown>();
  private readonly path: string[] = [];
  private depth = 0;
  private readonly budget: Budget;

  constructor(private readonly options: ToPlainOptions) {
    this.budget = new Budget(options, (reason) => new PlainError('budget_exceeded', reason, this.path.join('')));
  }

  convert(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (++this.depth > DEFAULT_MAX_DEPTH) throw new PlainError('depth_exceeded', `values nest deeper than ${DEFAULT_MAX_DEPTH}`, this.path.join(''));
    const result = this.convertObject(value);
    this.depth--;
    return result;
  }

  private convertObject(value: object): unknown {
    if (isRubySymbol(value)) return value.name;
    if (isRubyFloat(value)) return value.value;
    if (value instanceof BigInt) return value.valueOf();
    const seen = this.done.get(value);
    if (seen !== undefined) return seen;
    this.budget.addNode();
    if (isRubyString(value)) return this.string(value);
    if (Array.isArray(value)) return this.array(value);
    if (isRubyHash(value)) return this.hash(value);
    if (isRubyTime(value) || isRubyTimeWithZone(value) || isRubyDateTime(value)) return this.remember(value, this.time(value));
    if (isRubyDate(value)) return this.remember(value, this.options.dates === 'date' ? new Date((value.jd - 2440588) * 86_400_000) : value.toISOString());
    if (isRubyBigDecimal(value)) return this.remember(value, this.decimal(value));
    if (isRubySet(value)) {
      const set = new Set<unknown>();
      this.done.set(value, set);
      for (const member of value.members) set.add(this.convert(member));
      return set;
    }
    if (isRubyFlashHash(value)) return this.remember(value, this.convert(value.toModernFlash()));
    return value;
  }

  private remember<T>(source: object, result: T): T {
    this.done.set(source, result);
    return result;
  }

  private loss(reason: string): void {
    const onLoss = this.options.onLoss ?? 'error';
    if (onLoss === 'ignore') return;
    const path = this.path.join('');
    if (onLoss === 'error') throw new PlainError('loss', reason, path);
    onLoss({ path, reason });
  }

  private string(string: RubyString): string | Uint8Array {
    if (string.ivars !== undefined && string.ivars.length > 0) this.loss('instance variables on a String');
    if (string.userClass !== undefined) this.loss(`a String of class ${nameInMessage(string.userClass.name)}`);
    if (string.extended !== undefined) this.loss('modules a String was extended with');
    const bytes = string.bytes;
    this.budget.addBytes(bytes.length);
    // A String linked many times is made once: one JS string, one Uint8Array (which the links share).
    const clean = string.ivars === undefined && string.userClass === undefined && string.extended === undefined;
    const result = this.stringValue(string, bytes);
    if (clean) this.done.set(string, result);
    return result;
  }

  private stringValue(string: RubyString, bytes: Uint8Array): string | Uint8Array {
    if (string.encoding === 'ASCII-8BIT') {
      if (isAsciiBytes(bytes)) return latin1Decode(bytes);
      return this.options.binary === 'latin1' ? latin1Decode(bytes) : bytes.slice();
    }
    const { text, problem } = rubyText(bytes, string.encoding);
    if (problem !== undefined) this.loss(`${describeTextProblem(string.encoding, problem)}; such bytes become U+FFFD`);
    return text;
  }

  private array(array: unknown[]): unknown[] {
    const out: unknown[] = [];
    this.done.set(array, out);
    if (isRubyArray(array) && (array.userClass !== undefined || array.extended !== undefined || array.ivars !== undefined)) {
      this.loss('the class, extensions or instance variables of an Array');
    }
    for (let i = 0; i < array.length; i++) {
      this.path.push(`[${i}]`);
      out.push(this.convert(array[i]));
      this.path.pop();
    }
    return out;
  }

  private hash(hash: RubyHash): unknown {
    if (hash.defaultValue !== undefined) this.loss('the default value of a Hash');
    if (hash.userClass !== undefined && hash.userClass.name !== HWIA) this.loss(`a Hash of class ${nameInMessage(hash.userClass.name)}`);
    if (hash.compareByIdentity) this.loss('a compare_by_identity Hash (its String keys are compared by identity)');
    if (hash.extended !== undefined || (hash.ivars !== undefined && hash.ivars.length > 0)) this.loss('the extensions or instance variables of a Hash');
    const names = new Set<string>();
    let textKeys = true;
    for (const [key] of hash.entries) {
      const name = isRubyString(key) ? keyText(key) : isRubySymbol(key) ? key.name : undefined;
      if (name === undefined || names.has(name)) {
        textKeys = false;
        break;
      }
      names.add(name);
    }
    if (textKeys) {
      const object: Record<string, unknown> = Object.create(null);
      this.done.set(hash, object);
      hash.entries.forEach(([key, value], i) => {
        this.path.push(keySegment(key, i));
        object[isRubySymbol(key) ? key.name : keyText(key as RubyString)] = this.convert(value);
        this.path.pop();
      });
      return object;
    }
    const map = new Map<unknown, unknown>();
    this.done.set(hash, map);
    hash.entries.forEach(([key, value], i) => {
      this.path.push(`{key #${i}}`);
      const plainKey = isRubySymbol(key) ? key : this.convert(key);
      this.path.pop();
      this.path.push(keySegment(key, i));
      map.set(plainKey, this.convert(value));
      this.path.pop();
    });
    return map;
  }

  private time(value: RubyTime | RubyTimeWithZone | RubyDateTime): Date | string {
    const instant = isRubyTimeWithZone(value) ? value.utc : value;
    const fraction = isRubyTime(instant) ? instant.subsecond : (instant as RubyDateTime).secondFraction;
    if (this.options.times === 'iso') {
      if ((fraction.numerator * 1_000_000_000n) % fraction.denominator !== 0n) this.loss('a time\u2019s digits below the nanosecond');
      return value.toISOString(9);
    }
    if ((fraction.numerator * 1000n) % fraction.denominator !== 0n) this.loss('a time\u2019s digits below the millisecond (a Date keeps milliseconds; times: "iso" keeps nanoseconds)');
    return value.toDate();
  }

  private decimal(value: RubyBigDecimal): string | number {
    this.budget.addBytes(value.decimalLength);
    const text = value.toDecimalString(Infinity);
    if (this.options.decimals !== 'number') return text;
    const number = Number(text);
    // NaN and the infinities are exact; a finite value is exact when its shortest double text reads back the same.
    const exact = !Number.isFinite(number) || rubyBigDecimal(Object.is(number, -0) ? '-0' : String(number)).toDecimalString() === text;
    if (!exact) this.loss(`a BigDecimal that a double cannot hold exactly (${text.length} characters)`);
    return number;
  }
}

/** A Hash key's text; the plain view keys objects by text, so encodings are not kept. */
function keyText(key: RubyString): string {
  return rubyText(key.bytes, key.encoding).text;
}
