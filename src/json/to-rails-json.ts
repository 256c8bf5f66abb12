import { RubyComplex } from '../marshal/classes/complex.js';
import { RubyRange } from '../marshal/classes/range.js';
import { DEFAULT_MAX_DEPTH } from '../marshal/options.js';
import { rubyFloatToS } from '../marshal/ruby-float-to-s.js';
import { rubyInspect } from '../marshal/ruby-inspect.js';
import { decodeText, decodeUtf8Strict } from '../marshal/text.js';
import { RubyRegexp } from '../marshal/values/regexp.js';
import { RubyString } from '../marshal/values/string.js';
import { RubySymbol } from '../marshal/values/symbol.js';
import { keySegment } from '../marshal/error-path.js';
import { RailsJsonError } from './rails-json-error.js';
import { rubyTimeJson } from './time-json.js';
import { isRubyBigDecimal, isRubyClassRef, isRubyComplex, isRubyFloat, isRubyHash, isRubyObject, isRubyRange, isRubyRational, isRubyRegexp, isRubySet, isRubyString, isRubyStruct, isRubySymbol } from '../marshal/values/kind.js';

/**
 * Which Ruby wrote the JSON:
 * - `'json'`: stdlib `JSON.dump` with ActiveSupport loaded (activerecord-session_store >= 2.2): objects become their
 *   `to_s` (a Time is `"2023-11-14 22:13:20 UTC"`), NaN and Infinity are written bare as Ruby does.
 * - `'multi_json'`: `MultiJson.dump` with ActiveSupport loaded (activerecord-session_store 1.0 to 2.1), which is
 *   ActiveSupport's JSON encoding: `as_json` first (a Time is `"2023-11-14T22:13:20.123Z"`, NaN is `null`, objects
 *   become their instance variables), and `<`, `>`, `&`, U+2028, U+2029 escaped.
 */
export type RailsJsonFlavor = 'json' | 'multi_json';

/** Options for `toRailsJson`. */
export interface ToRailsJsonOptions {
  /** Which Ruby JSON encoder to reproduce. Defaults to `'json'`. */
  flavor?: RailsJsonFlavor;
  /**
   * How many values may be written. JSON cannot share, so an object reached twice is written twice; a small value
   * that shares objects many levels deep would otherwise grow exponentially.
   * Defaults to 1,000,000.
   */
  maxNodes?: number;
  /**
   * NaN and ±Infinity: `'as-ruby'` writes them as the flavor's Ruby does (`NaN` bare for `'json'`, which Ruby's own
   * `JSON.parse` then rejects; `null` for `'multi_json'`, which loses the value); `'error'` throws `generator_error`
   * with the path instead.
   * Defaults to `'as-ruby'`.
   */
  nonFiniteFloats?: 'as-ruby' | 'error';
}

/**
 * A Ruby value as the JSON text Ruby writes for it (see `RailsJsonFlavor`), byte for byte. Throws
 * `RailsJsonError` with the path where Ruby itself raises (a String that is not valid UTF-8), where Ruby's text
 * cannot be reproduced (an object whose `to_s` is its memory address), on a cycle, and past `maxNodes`.
 */
export function toRailsJson(value: unknown, options?: ToRailsJsonOptions): string {
  const writer = new JsonWriter(options?.flavor ?? 'json', options?.maxNodes ?? 1_000_000, options?.nonFiniteFloats === 'error');
  writer.write(value);
  return writer.parts.join('');
}

class JsonWriter {
  readonly parts: string[] = [];
  private nodes = 0;
  private readonly open = new Set<object>();

  constructor(
    private readonly flavor: RailsJsonFlavor,
    private readonly maxNodes: number,
    private readonly rejectNonFinite: boolean,
  ) {}

  write(value: unknown): void {
    if (++this.nodes > this.maxNodes) throw new RailsJsonError('budget_exceeded', `more than maxNodes ${this.maxNodes} values to write (shared objects are written once per use)`);
    const parts = this.parts;
    if (value === null || value === undefined) return void parts.push('null');
    switch (typeof value) {
      case 'boolean':
        return void parts.push(value ? 'true' : 'false');
      case 'number':
        return void parts.push(Number.isInteger(value) ? String(value) : this.float(value));
      case 'bigint':
        return void parts.push(String(value));
      case 'string':
        return void parts.push(this.string(value));
    }
    if (isRubyString(value)) return void parts.push(this.string(stringText(value)));
    if (isRubySymbol(value)) return void parts.push(this.string(value.name));
    if (isRubyFloat(value)) return void parts.push(this.float(value.value));
    if (value instanceof BigInt) return void parts.push(String(value.valueOf()));
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
    const parts = this.parts;
    if (Array.isArray(value)) return this.array(value);
    if (isRubyHash(value)) return this.hash(value.entries);
    const time = rubyTimeJson(value, this.flavor);
    if (time !== undefined) return void parts.push(this.string(time));
    const multi = this.flavor === 'multi_json';
    if (isRubyBigDecimal(value)) {
      if (!value.isFinite && this.rejectNonFinite) throw new RailsJsonError('generator_error', `BigDecimal ${value.digits} has no JSON form that Ruby reads back as a number`);
      return void parts.push(multi && !value.isFinite ? 'null' : this.string(value.toDecimalString()));
    }
    if (isRubyRational(value)) return void parts.push(this.string(value.toString()));
    if (isRubyComplex(value)) return void parts.push(this.string(complexToS(value)));
    if (isRubyRange(value)) return void parts.push(this.string(rangeToS(value)));
    if (isRubyRegexp(value)) return void parts.push(this.string(regexpToS(value)));
    if (isRubySet(value)) return multi ? this.array(value.members) : void parts.push(this.string(rubyInspect(value)));
    if (isRubyStruct(value)) {
      return multi ? this.hash(value.members) : void parts.push(this.string(rubyInspect(value)));
    }
    if (isRubyClassRef(value)) return void parts.push(multi ? '{}' : this.string(value.name));
    if (multi && isRubyObject(value)) {
      // ActiveSupport's Object#as_json: the instance variables, without their '@'.
      return this.hash(value.ivars.map(([name, v]) => [name.name.replace(/^@/, ''), v]));
    }
    throw new RailsJsonError('unsupported_value', `Ruby writes ${describe(value)} as its to_s, which shows a memory address`);
  }

  private array(items: readonly unknown[]): void {
    this.parts.push('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.parts.push(',');
      try {
        this.write(items[i]);
      } catch (error) {
        throw withSegment(error, `[${i}]`);
      }
    }
    this.parts.push(']');
  }

  private hash(entries: ReadonlyArray<readonly [unknown, unknown]>): void {
    this.parts.push('{');
    for (let i = 0; i < entries.length; i++) {
      const [key, value] = entries[i]!;
      if (i > 0) this.parts.push(',');
      try {
        this.parts.push(this.string(this.keyText(key)), ':');
        this.write(value);
      } catch (error) {
        throw withSegment(error, keySegment(key, i));
      }
    }
    this.parts.push('}');
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
    if (isRubyBigDecimal(key)) return key.toDecimalString();
    if (isRubyRational(key)) return key.toString();
    if (Array.isArray(key) || isRubyHash(key) || isRubySet(key) || isRubyStruct(key)) return rubyInspect(key);
    throw new RailsJsonError('unsupported_value', `a Hash key that Ruby writes as its to_s (${describe(key)}), which shows a memory address`);
  }

  private float(value: number): string {
    if (Number.isFinite(value)) return rubyFloatToS(value);
    if (this.rejectNonFinite) throw new RailsJsonError('generator_error', `${rubyFloatToS(value)} has no JSON form that Ruby reads back`);
    // JSON.dump allows NaN and Infinity (and writes them bare); ActiveSupport's Float#as_json makes them nil.
    return this.flavor === 'multi_json' ? 'null' : rubyFloatToS(value);
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

const CONTROL: string[] = /* @__PURE__ */ Array.from({ length: 0x20 }, (_, c) => {
  const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  return named[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
});

/**
 * The text of a String as Ruby's JSON generator takes it: UTF-8 (binary bytes read as UTF-8, other encodings
 * converted), raising as Ruby does when the bytes are not valid UTF-8.
 */
function stringText(string: RubyString): string {
  const encoding = string.encoding;
  if (encoding === 'UTF-8' || encoding === 'US-ASCII' || encoding === 'ASCII-8BIT') {
    const text = decodeUtf8Strict(string.bytes);
    if (text === undefined) throw new RailsJsonError('generator_error', `a ${encoding} String that is not valid UTF-8 (Ruby raises JSON::GeneratorError)`);
    return text;
  }
  return decodeText(string.bytes, encoding);
}

function complexToS(value: RubyComplex): string {
  const part = (v: unknown) => (isRubyFloat(v) ? rubyFloatToS(v.value) : isRubyRational(v) ? v.toString() : String(v));
  const imaginary = part(value.imaginary);
  return `${part(value.real)}${imaginary.startsWith('-') ? '' : '+'}${imaginary}i`;
}

function rangeToS(value: RubyRange): string {
  const side = (v: unknown) => (v === null ? '' : isRubyString(v) ? v.toString() : isRubySymbol(v) ? v.name : isRubyFloat(v) ? rubyFloatToS(v.value) : rubyTimeJson(v, 'json') ?? rubyInspect(v));
  return `${side(value.begin)}${value.excludeEnd ? '...' : '..'}${side(value.end)}`;
}

function regexpToS(value: RubyRegexp): string {
  const on = `${value.options & 4 ? 'm' : ''}${value.options & 1 ? 'i' : ''}${value.options & 2 ? 'x' : ''}`;
  const off = `${value.options & 4 ? '' : 'm'}${value.options & 1 ? '' : 'i'}${value.options & 2 ? '' : 'x'}`;
  return `(?${on}${off ? `-${off}` : ''}:${value.toString()})`;
}

function describe(value: object): string {
  const name = (value as { className?: RubySymbol }).className?.name;
  return name === undefined ? `a ${value.constructor.name}` : `an object of class ${name}`;
}

function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof RailsJsonError) error.prependPath(segment);
  return error;
}
