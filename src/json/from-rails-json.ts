import { RubyFloat } from '../marshal/values/float.js';
import { RubyHash } from '../marshal/values/hash.js';
import { RubyString } from '../marshal/values/string.js';
import { RubySymbol } from '../marshal/values/symbol.js';
import type { RubyValue } from '../marshal/values/value.js';
import { RailsJsonError } from './rails-json-error.js';

/** Options for `fromRailsJson`. */
export interface FromRailsJsonOptions {
  /**
   * Make every Hash an `ActiveSupport::HashWithIndifferentAccess` (`userClass`), nested ones and those inside
   * arrays too, as `with_indifferent_access` does in activerecord-session_store's JsonSerializer.
   * Defaults to true.
   */
  indifferentAccess?: boolean;
  /**
   * How deeply arrays and objects may nest; Ruby's `JSON.parse` raises past 100.
   * Defaults to 100.
   */
  maxNesting?: number;
}

const HWIA = 'ActiveSupport::HashWithIndifferentAccess';

/**
 * JSON text -> Ruby values, as Ruby's `JSON.parse` reads it: integers of any size stay Integers (`number` or
 * `bigint`), numbers with a fraction or exponent are Floats (`RubyFloat`, so `1.0` stays a Float), strings are
 * UTF-8 Strings, objects are Hashes in key order (a repeated key keeps its first place and its last value), and equal
 * keys are one String object, as Ruby interns them (so `dump` links them as Ruby's `Marshal.dump` does).
 */
export function fromRailsJson(text: string, options?: FromRailsJsonOptions): RubyValue {
  const reader = new JsonReader(text, options?.maxNesting ?? 100, options?.indifferentAccess !== false ? new RubySymbol(HWIA) : undefined);
  reader.skipSpace();
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.pos < text.length) reader.fail('unexpected text after the value');
  return value;
}

class JsonReader {
  pos = 0;
  /** Ruby interns Hash keys (`rb_hash_key_str`), so one key text is one String object across the document. */
  private readonly keys = new Map<string, RubyString>();

  constructor(
    private readonly text: string,
    private readonly maxNesting: number,
    private readonly hashClass: RubySymbol | undefined,
  ) {}

  fail(reason: string, offset = this.pos): never {
    throw new RailsJsonError('invalid_json', reason, { offset });
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else if (c === 0x2f && text.charCodeAt(this.pos + 1) === 0x2a) {
        // Ruby's JSON parser accepts /* */ and // comments.
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else if (c === 0x2f && text.charCodeAt(this.pos + 1) === 0x2f) {
        const end = text.indexOf('\n', this.pos);
        this.pos = end < 0 ? text.length : end + 1;
      } else break;
    }
  }

  value(depth: number): RubyValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return new RubyString(this.string(), 'UTF-8');
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
        return this.fail('the text ended where a value was expected');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail('unexpected character where a value was expected');
    }
  }

  private literal<T extends RubyValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('unexpected character where a value was expected');
    this.pos += word.length;
    return value;
  }

  private number(): RubyValue {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (found === null) return this.fail('malformed number');
    this.pos += found[0].length;
    if (found[1] === undefined && found[2] === undefined) {
      const n = Number(found[0]);
      return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : BigInt(found[0]);
    }
    return new RubyFloat(Number(found[0]));
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    let out = '';
    let run = start;
    for (;;) {
      if (this.pos >= text.length) this.fail('unterminated string', start - 1);
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(run, this.pos++);
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += text.slice(run, this.pos);
      const e = text[this.pos + 1];
      this.pos += 2;
      if (e === 'u') {
        const hex = text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('malformed \\u escape', this.pos - 2);
        const unit = Number.parseInt(hex, 16);
        this.pos += 4;
        if (unit >= 0xd800 && unit <= 0xdfff) {
          // A surrogate must come as a pair; Ruby raises on a lone high one (and makes invalid UTF-8 of a lone low one).
          const low = /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.exec(text.slice(this.pos, this.pos + 6));
          if (unit >= 0xdc00 || low === null) this.fail('incomplete surrogate pair', this.pos - 6);
          out += String.fromCharCode(unit, Number.parseInt(text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          out += String.fromCharCode(unit);
        }
      } else {
        const simple = ESCAPES[e ?? ''];
        if (simple === undefined) this.fail('malformed escape', this.pos - 2);
        out += simple;
      }
      run = this.pos;
    }
  }

  private array(depth: number): RubyValue[] {
    if (depth > this.maxNesting) throw new RailsJsonError('nesting_too_deep', `nesting of ${depth} is too deep`, { offset: this.pos });
    this.pos++;
    const array: RubyValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return array;
    }
    for (;;) {
      this.skipSpace();
      array.push(this.value(depth));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return array;
      if (c !== ',') this.fail("expected ',' or ']'", this.pos - 1);
    }
  }

  private object(depth: number): RubyHash {
    if (depth > this.maxNesting) throw new RailsJsonError('nesting_too_deep', `nesting of ${depth} is too deep`, { offset: this.pos });
    this.pos++;
    const hash = new RubyHash();
    hash.userClass = this.hashClass;
    const index = new Map<string, number>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return hash;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'", this.pos - 1);
      this.skipSpace();
      const value = this.value(depth);
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, hash.entries.length);
        let keyString = this.keys.get(key);
        if (keyString === undefined) this.keys.set(key, (keyString = new RubyString(key, 'UTF-8')));
        hash.entries.push([keyString, value]);
      } else {
        hash.entries[at]![1] = value;
      }
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return hash;
      if (c !== ',') this.fail("expected ',' or '}'", this.pos - 1);
    }
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
