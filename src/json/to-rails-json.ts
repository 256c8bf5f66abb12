import { Budget, type BudgetOptions } from '../marshal/budget.js';
import type { RubyBigDecimal } from '../marshal/classes/big-decimal.js';
import { formatComplex, type RubyComplex } from '../marshal/classes/complex.js';
import { isMarshalError } from '../marshal/errors.js';
import { RubyRange } from '../marshal/classes/range.js';
import { DEFAULT_MAX_DEPTH } from '../marshal/options.js';
import { rubyFloatToS } from '../marshal/ruby-float-to-s.js';
import { regexpToSBytes } from '../marshal/regexp-text.js';
import { rubyInspect } from '../marshal/ruby-inspect.js';
import { describeTextProblem } from '../marshal/encoding/decoded-text.js';
import { NO_RUBY_CONVERTER, rubyText } from '../marshal/encoding/ruby-text.js';
import { bomOrder } from '../marshal/encoding/unicode.js';
import { decodeUtf8Strict } from '../marshal/text.js';
import { RubyString } from '../marshal/values/string.js';
import { RubySymbol } from '../marshal/values/symbol.js';
import { keySegment, nameInMessage } from '../marshal/error-path.js';
import { RailsJsonError } from './rails-json-error.js';
import { rubyTimeJson } from './time-json.js';
import { isRubyBigDecimal, isRubyClassRef, isRubyComplex, isRubyFlashHash, isRubyFloat, isRubyHash, isRubyObject, isRubyRange, isRubyRational, isRubyRegexp, isRubySet, isRubyString, isRubyStruct, isRubySymbol, isRubyUserMarshal } from '../marshal/values/kind.js';
import type { RubyHash } from '../marshal/values/hash.js';
import type { RubyUserMarshal } from '../marshal/values/user-marshal.js';

/**
 * Which Ruby wrote the JSON:
 * - `'json'`: stdlib `JSON.dump` with ActiveSupport loaded (activerecord-session_store >= 2.2): objects become their
 *   `to_s` (a Time is `"2023-11-14 22:13:20 UTC"`), NaN and Infinity are written bare as Ruby does.
 * - `'multi_json'`: `MultiJson.dump` with ActiveSupport loaded (activerecord-session_store 1.0 to 2.1), which is
 *   ActiveSupport's JSON encoding: `as_json` first (a Time is `"2023-11-14T22:13:20.123Z"`, NaN is `null`, objects
 *   become their instance variables), and `<`, `>`, `&`, U+2028, U+2029 escaped.
 */
export type RailsJsonFlavor = 'json' | 'multi_json';

/**
 * Options for `toRailsJson`. `maxOutputBytes` (characters of JSON, default 64 MiB) and `maxNodes` (values written,
 * default 100,000) bound the work: JSON cannot share, so an object reached twice is written twice, and a small
 * value that shares objects many levels deep would otherwise grow exponentially (`budget_exceeded`).
 */
export interface ToRailsJsonOptions extends BudgetOptions {
  /** Which Ruby JSON encoder to reproduce. Defaults to `'json'`. */
  flavor?: RailsJsonFlavor;
  /**
   * NaN and ±Infinity Floats: `'as-ruby'` writes them as the flavor's Ruby does (`NaN` bare for `'json'`, which
   * Ruby's own `JSON.parse` then rejects; `null` for `'multi_json'`, a `non_finite_as_null` warning); `'error'`
   * throws `unreadable_json` with the path instead. BigDecimal NaN is a String for `'json'` (`"NaN"`), always written.
   * Defaults to `'as-ruby'`.
   */
  nonFiniteFloats?: 'as-ruby' | 'error';
  /**
   * Told of each place where the text Ruby writes loses Ruby-side meaning, though Ruby writes it the same on every
   * run (see `RailsJsonWarning`); the text is still written as Ruby writes it.
   * Defaults to undefined (not told).
   */
  onWarning?: (warning: RailsJsonWarning) => void;
}

/**
 * What a warning is about:
 * - `object_as_hash`: `'multi_json'` writes an object, an OpenStruct or a Struct as a Hash of its instance variables
 *   or members (ActiveSupport's `as_json`); reading the row back gives a Hash, not the object.
 * - `enumerable_as_array`: `'multi_json'` writes a Set, or a Rails 3 FlashHash, as an Array (of its members, of its
 *   `[key, message]` pairs).
 * - `non_finite_as_null`: `'multi_json'` writes NaN and ±Infinity (Float or BigDecimal) as `null`.
 * - `inspect_text`: `'json'` writes a Set, Struct or OpenStruct as its `inspect` text, a String.
 * - `class_as_empty_object`: `'multi_json'` writes a Class or Module as `{}`.
 */
export type RailsJsonWarningCode = 'object_as_hash' | 'enumerable_as_array' | 'non_finite_as_null' | 'inspect_text' | 'class_as_empty_object';

/** A lossy but deterministic conversion Ruby makes; `path` is where (`["prefs"]`), never the value. */
export interface RailsJsonWarning {
  code: RailsJsonWarningCode;
  path: string;
  message: string;
}

/**
 * A Ruby value as the JSON text Ruby writes for it (see `RailsJsonFlavor`), byte for byte. Throws
 * `RailsJsonError` with the path where Ruby itself raises (a String that is not valid UTF-8), where Ruby's text
 * cannot be reproduced (an object whose `to_s` is its memory address), on a cycle, and past `maxNodes`.
 */
export function toRailsJson(value: unknown, options?: ToRailsJsonOptions): string {
  const writer = new JsonWriter(options?.flavor ?? 'json', options, options?.nonFiniteFloats === 'error', options?.onWarning);
  writer.write(value);
  return writer.parts.join('');
}

class JsonWriter {
  readonly parts: string[] = [];
  private readonly budget: Budget;
  /** The JSON text of each String object met, so a String linked many times is converted once. */
  private readonly strings = new Map<RubyString, string>();
  private readonly open = new Set<object>();
  /** Where the writer is, as [key, index] pairs (a path segment is only made when a warning needs it). */
  private readonly at: Array<readonly [unknown, number]> = [];

  constructor(
    private readonly flavor: RailsJsonFlavor,
    budget: BudgetOptions | undefined,
    private readonly rejectNonFinite: boolean,
    private readonly onWarning: ((warning: RailsJsonWarning) => void) | undefined,
  ) {
    this.budget = new Budget(budget, (reason) => new RailsJsonError('budget_exceeded', reason));
  }

  /** Appends output, counted against `maxOutputBytes`. */
  private emit(text: string): void {
    this.budget.addBytes(text.length);
    this.parts.push(text);
  }

  private warn(code: RailsJsonWarningCode, message: string): void {
    if (this.onWarning === undefined) return;
    const path = this.at.map(([key, i]) => (key === ARRAY_INDEX ? `[${i}]` : keySegment(key, i))).join('');
    this.onWarning({ code, path, message });
  }

  write(value: unknown): void {
    this.budget.addNode();
    if (value === null || value === undefined) return void this.emit('null');
    switch (typeof value) {
      case 'boolean':
        return void this.emit(value ? 'true' : 'false');
      case 'number':
        return void this.emit(Number.isInteger(value) ? String(value) : this.float(value));
      case 'bigint':
        return void this.emit(String(value));
      case 'string':
        return void this.emit(this.string(value));
    }
    if (isRubyString(value)) {
      let text = this.strings.get(value);
      if (text === undefined) this.strings.set(value, (text = this.string(stringText(value))));
      return void this.emit(text);
    }
    if (isRubySymbol(value)) return void this.emit(this.string(value.name));
    if (isRubyFloat(value)) return void this.emit(this.float(value.value));
    if (value instanceof BigInt) return void this.emit(String(value.valueOf()));
    const object = value as object;
    if (this.open.has(object)) throw new RailsJsonError('cycle', 'a value that contains itself');
    // The containers open around this value: deep enough for any session, short of the JS stack's limit.
    if (this.open.size >= DEFAULT_MAX_DEPTH) throw new RailsJsonError('nesting_too_deep', `values nest deeper than ${DEFAULT_MAX_DEPTH}`);
    this.open.add(object);
    try {
      this.writeObject(object);
    } finally {
      this.open.delete(object);
    }
  }

  private writeObject(value: object): void {
    if (Array.isArray(value)) return this.array(value);
    if (isRubyHash(value)) return this.hash(value.entries);
    const time = rubyTimeJson(value, this.flavor);
    if (time !== undefined) return void this.emit(this.string(time));
    const multi = this.flavor === 'multi_json';
    if (isRubyBigDecimal(value)) {
      // BigDecimal#to_s is "NaN" or "Infinity" for 'json', a String JSON.parse reads; ActiveSupport makes them nil.
      if (multi && !value.isFinite) {
        this.warn('non_finite_as_null', `BigDecimal ${value.digits} is written as null`);
        return void this.emit('null');
      }
      return void this.emit(this.string(this.decimal(value)));
    }
    if (isRubyRational(value)) return void this.emit(this.string(value.toString()));
    if (isRubyComplex(value)) return void this.emit(this.string(complexToS(value)));
    if (isRubyRange(value)) return void this.emit(this.string(rangeToS(value, (v) => this.inspectText(v))));
    // Regexp#to_s is a String in the Regexp's encoding: a binary source that is not UTF-8 raises as such a String does.
    if (isRubyRegexp(value)) return void this.emit(this.string(stringText(new RubyString(regexpToSBytes(value), value.encoding))));
    if (isRubySet(value)) {
      if (multi) {
        this.warn('enumerable_as_array', 'a Set is written as an Array of its members');
        return this.array(value.members);
      }
      this.warn('inspect_text', 'a Set is written as its inspect text');
      return void this.emit(this.string(this.inspectText(value)));
    }
    if (isRubyStruct(value)) {
      if (multi) {
        this.warn('object_as_hash', `a Struct ${nameInMessage(value.className.name)} is written as a Hash of its members`);
        return this.hash(value.members);
      }
      this.warn('inspect_text', `a Struct ${nameInMessage(value.className.name)} is written as its inspect text`);
      return void this.emit(this.string(this.inspectText(value)));
    }
    if (isRubyClassRef(value)) {
      if (!multi) return void this.emit(this.string(value.name));
      this.warn('class_as_empty_object', `the class ${nameInMessage(value.name)} is written as {}`);
      return void this.emit('{}');
    }
    if (isOpenStruct(value)) {
      // OpenStruct#to_s is its inspect; ActiveSupport's as_json gives its instance variables: {"table" => {...}}.
      if (multi) {
        this.warn('object_as_hash', 'an OpenStruct is written as {"table": {...}}');
        return this.hash([['table', value.data]]);
      }
      this.warn('inspect_text', 'an OpenStruct is written as its inspect text');
      return void this.emit(this.string(this.inspectText(value)));
    }
    if (multi && isRubyFlashHash(value)) {
      // FlashHash is Enumerable over its messages, and ActiveSupport's Enumerable#as_json is to_a.
      this.warn('enumerable_as_array', 'a Rails 3 FlashHash is written as an Array of its [key, message] pairs');
      return this.array(value.flashes.entries);
    }
    if (multi && isRubyObject(value)) {
      // ActiveSupport's Object#as_json: the instance variables, without their '@'.
      this.warn('object_as_hash', `an object of class ${nameInMessage(value.className.name)} is written as a Hash of its instance variables`);
      return this.hash(value.ivars.map(([name, v]) => [name.name.replace(/^@/, ''), v]));
    }
    throw new RailsJsonError('unsupported_value', `Ruby writes ${describe(value)} as its to_s, which shows a memory address`);
  }

  private array(items: readonly unknown[]): void {
    this.emit('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.emit(',');
      this.at.push([ARRAY_INDEX, i]);
      try {
        this.write(items[i]);
      } catch (error) {
        throw withSegment(error, `[${i}]`);
      }
      this.at.pop();
    }
    this.emit(']');
  }

  private hash(entries: ReadonlyArray<readonly [unknown, unknown]>): void {
    this.emit('{');
    for (let i = 0; i < entries.length; i++) {
      const [key, value] = entries[i]!;
      if (i > 0) this.emit(',');
      this.at.push([key, i]);
      try {
        this.emit(this.string(this.keyText(key)));
        this.emit(':');
        this.write(value);
      } catch (error) {
        throw withSegment(error, keySegment(key, i));
      }
      this.at.pop();
    }
    this.emit('}');
  }

  /** A Hash key as Ruby's generators turn it into a JSON key: its `to_s`. */
  private keyText(key: unknown): string {
    if (typeof key === 'string') return key;
    if (isRubyString(key)) return stringText(key);
    if (isRubySymbol(key)) return key.name;
    if (key === null || key === undefined) return '';
    if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return String(key);
    if (isRubyFloat(key)) return rubyFloatToS(key.value);
    const time = rubyTimeJson(key, 'json');
    if (time !== undefined) return time;
    if (isRubyBigDecimal(key)) return this.decimal(key);
    if (isRubyRational(key)) return key.toString();
    if (Array.isArray(key) || isRubyHash(key) || isRubySet(key) || isRubyStruct(key)) return this.inspectText(key);
    throw new RailsJsonError('unsupported_value', `a Hash key that Ruby writes as its to_s (${describe(key)}), which shows a memory address`);
  }

  /** `rubyInspect` of a value, within what is left of this budget. */
  /**
   * A value's `inspect` text, which Ruby's `to_s` is for a Set, Struct, OpenStruct, Array or Hash; refused when it
   * holds an object Ruby prints with its memory address (`#<User:0x...>`), which no other run reproduces.
   */
  private inspectText(value: unknown): string {
    try {
      const text = rubyInspect(value, { maxOutputBytes: this.budget.maxOutputBytes - this.budget.bytes, maxNodes: this.budget.maxNodes - this.budget.nodes });
      if (OBJECT_ADDRESS.test(text)) throw new RailsJsonError('unsupported_value', 'Ruby writes a value holding an object as its inspect text, which shows the object\u2019s memory address');
      return text;
    } catch (error) {
      if (isMarshalError(error) && error.code === 'budget_exceeded') throw new RailsJsonError('budget_exceeded', error.reason);
      throw error;
    }
  }

  /** A BigDecimal's text, its length checked against the budget before it is built. */
  private decimal(value: RubyBigDecimal): string {
    this.budget.checkTotal(this.budget.bytes + value.decimalLength);
    return value.toDecimalString(Infinity);
  }

  private float(value: number): string {
    if (Number.isFinite(value)) return rubyFloatToS(value);
    // ActiveSupport's Float#as_json makes NaN and Infinity nil: written the same every time, read back as nil.
    if (this.flavor === 'multi_json') {
      if (this.rejectNonFinite) throw new RailsJsonError('unreadable_json', `${rubyFloatToS(value)}, which ActiveSupport writes as null`);
      this.warn('non_finite_as_null', `${rubyFloatToS(value)} is written as null`);
      return 'null';
    }
    // JSON.dump writes them bare, which Ruby's own JSON.parse then rejects.
    if (this.rejectNonFinite) throw new RailsJsonError('unreadable_json', `${rubyFloatToS(value)}, which JSON.dump writes bare and JSON.parse rejects`);
    return rubyFloatToS(value);
  }

  private string(text: string): string {
    let out = '"';
    let run = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let escape: string | undefined;
      if (c < 0x20) escape = CONTROL[c];
      else if (c === 0x22) escape = '\\"';
      else if (c === 0x5c) escape = '\\\\';
      else if (this.flavor === 'multi_json' && (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029)) {
        escape = `\\u${c.toString(16).padStart(4, '0')}`;
      }
      if (escape !== undefined) {
        out += text.slice(run, i) + escape;
        run = i + 1;
      }
    }
    return `${out}${text.slice(run)}"`;
  }
}

/** How rubyInspect prints an object's address (zeroed). */
const OBJECT_ADDRESS = /#<[^\s>]+:0x0{16}[ >]/;

/** Marks an Array element in the writer's position stack. */
const ARRAY_INDEX = /* @__PURE__ */ Symbol('index');

function isOpenStruct(value: object): value is RubyUserMarshal & { data: RubyHash } {
  return isRubyUserMarshal(value) && value.className.name === 'OpenStruct' && isRubyHash(value.data);
}

const CONTROL: string[] = /* @__PURE__ */ Array.from({ length: 0x20 }, (_, c) => {
  const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  return named[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
});

/**
 * The text of a String as Ruby's JSON generator (json 2.6) takes it: a UTF-8, US-ASCII or binary String as UTF-8;
 * any other encoding converted with `encode('UTF-8')`, and when that conversion fails, its own bytes read as UTF-8
 * (`rb_str_export_to_enc` gives the String back unconverted); a BOM-led UTF-16/UTF-32 String in the order of its
 * BOM, the BOM kept (without one, its bytes). Bytes that are not valid UTF-8 then raise
 * `JSON::GeneratorError`, as in Ruby. An encoding Ruby can convert but that has no table here raises
 * `unsupported_encoding` rather than guess.
 */
function stringText(string: RubyString): string {
  const { bytes, encoding } = string;
  let problem: string | undefined;
  if (encoding !== 'UTF-8' && encoding !== 'US-ASCII' && encoding !== 'ASCII-8BIT') {
    const dummy = encoding === 'UTF-16' || encoding === 'UTF-32';
    const order = dummy ? bomOrder(bytes, encoding) : encoding;
    const converted = order === undefined ? { text: '', problem: { kind: 'invalid_bytes' as const, offset: 0 } } : rubyText(bytes, order);
    if (converted.problem === undefined) return converted.text;
    if (converted.problem.kind === 'unsupported_encoding' && !NO_RUBY_CONVERTER.has(encoding)) {
      throw new RailsJsonError('unsupported_encoding', describeTextProblem(encoding, converted.problem));
    }
    problem = describeTextProblem(encoding, converted.problem);
  }
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) {
    const why = problem === undefined ? `a ${encoding} String that is not valid UTF-8` : `${problem}, and its bytes are not valid UTF-8 either`;
    throw new RailsJsonError('generator_error', `${why} (Ruby raises JSON::GeneratorError)`);
  }
  return text;
}

function complexToS(value: RubyComplex): string {
  return formatComplex(value, (v) => (isRubyFloat(v) ? rubyFloatToS(v.value) : isRubyRational(v) ? v.toString() : String(v)));
}

function rangeToS(value: RubyRange, inspectText: (value: unknown) => string): string {
  const side = (v: unknown) => (v === null ? '' : isRubyString(v) ? v.toString() : isRubySymbol(v) ? v.name : isRubyFloat(v) ? rubyFloatToS(v.value) : rubyTimeJson(v, 'json') ?? inspectText(v));
  return `${side(value.begin)}${value.excludeEnd ? '...' : '..'}${side(value.end)}`;
}

function describe(value: object): string {
  const name = (value as { className?: RubySymbol }).className?.name;
  return name === undefined ? `a ${value.constructor.name}` : `an object of class ${nameInMessage(name)}`;
}

function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof RailsJsonError) error.prependPath(segment);
  return error;
}
