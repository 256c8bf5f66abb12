import { formatComplex } from './classes/complex.js';
import type { RubyDate } from './classes/date.js';
import { RubyTimeWithZone } from './classes/time-with-zone.js';
import { rubyTimeToS, type RubyTime } from './classes/time.js';
import { Budget, type BudgetOptions } from './budget.js';
import { keySegment, withSegment } from './error-path.js';
import { MarshalError } from './errors.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { regexpInspectSource } from './regexp-text.js';
import { rubyFloatToS } from './ruby-float-to-s.js';
import { isRubyPrintable } from './ruby-printable.js';
import { isPlainSymbolName } from './ruby-symbol-name.js';
import { rubyText } from './encoding/ruby-text.js';
import { isAsciiBytes, utf8Decode, utf8SequenceLength } from './text.js';
import { RubyString } from './values/string.js';
import { RubySymbol } from './values/symbol.js';
import { isRubyBigDecimal, isRubyClassRef, isRubyComplex, isRubyData, isRubyDate, isRubyDateTime, isRubyFloat, isRubyHash, isRubyObject, isRubyRange, isRubyRational, isRubyRegexp, isRubySet, isRubyString, isRubyStruct, isRubySymbol, isRubyTime, isRubyTimeWithZone, isRubyUserDefined, isRubyUserMarshal } from './values/kind.js';

/** Where Ruby would print an object's memory address, which a decoded value does not have. */
const ADDRESS = '0x0000000000000000';

/**
 * A value as Ruby 3.1's `inspect` shows it (`{"user_id"=>7, :a=>[1.5, nil]}`), for people reading a session.
 * Objects print a zero address (`#<User:0x0000000000000000 @id=1>`); a value met again inside itself prints as Ruby
 * does (`[...]`, `{...}`). The output shows session contents: keep it as private as the session.
 */
export function rubyInspect(value: unknown, options?: BudgetOptions): string {
  return new Inspector(options).inspect(value);
}

class Inspector {
  private readonly open = new Set<object>();
  private readonly budget: Budget;
  /** The text of each String object met, so a String linked many times is escaped once. */
  private readonly strings = new Map<object, string>();

  /**
   * Text has no links, so a value shared many times is printed each time: the budget stops a small payload
   * (`a = [a, a]`, 60 times) long before its 2^60 elements. It throws `MarshalError` (`budget_exceeded`).
   */
  constructor(options: BudgetOptions | undefined) {
    this.budget = new Budget(options, (reason) => new MarshalError('budget_exceeded', reason, 0));
  }

  inspect(value: unknown): string {
    this.budget.addNode();
    const leaf = this.leaf(value);
    if (leaf !== undefined) {
      this.budget.addBytes(leaf.length);
      return leaf;
    }
    if (this.open.has(value as object)) {
      if (Array.isArray(value)) return '[...]';
      if (isRubyHash(value)) return '{...}';
      return `#<${className(value as object)}:${ADDRESS} ...>`;
    }
    if (this.open.size >= DEFAULT_MAX_DEPTH) return '…';
    this.open.add(value as object);
    try {
      return this.inspectObject(value as object);
    } finally {
      this.open.delete(value as object);
    }
  }

  /** The text of a value without parts, or undefined. */
  private leaf(value: unknown): string | undefined {
    if (value === null || value === undefined) return 'nil';
    if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (typeof value === 'string') return inspectString(new RubyString(value));
    if (isRubyString(value)) {
      let text = this.strings.get(value);
      if (text === undefined) this.strings.set(value, (text = inspectString(value)));
      return text;
    }
    if (isRubySymbol(value)) return inspectSymbol(value);
    if (isRubyFloat(value)) return rubyFloatToS(value.value);
    if (value instanceof BigInt) return String(value.valueOf());
    return undefined;
  }

  /** A part, with its place added to the path of an error on the way out. */
  private child(value: unknown, segment: string): string {
    try {
      return this.inspect(value);
    } catch (error) {
      throw withSegment(error, segment);
    }
  }

  /**
   * Parts joined by `, ` with `+`, not `join`: V8 keeps `+` as a rope, so nesting does not copy the text below
   * at every level (with `join`, a shared value 20 levels deep copies its output 20 times).
   */
  private list<T>(items: Iterable<T>, part: (item: T, i: number) => string): string {
    let out = '';
    let i = 0;
    for (const item of items) {
      if (i > 0) out += ', ';
      out += part(item, i++);
    }
    return out;
  }

  private entries(entries: Iterable<readonly [unknown, unknown]>): string {
    return this.list(entries, ([k, v], i) => `${this.child(k, `{key #${i}}`)}=>${this.child(v, keySegment(k, i))}`);
  }

  private inspectObject(value: object): string {
    if (Array.isArray(value)) return `[${this.list(value, (v, i) => this.child(v, `[${i}]`))}]`;
    if (isRubyHash(value)) return `{${this.entries(value.entries)}}`;
    if (isRubyTime(value)) return inspectTime(value);
    if (isRubyTimeWithZone(value)) return inspectTimeWithZone(value);
    if (isRubyDateTime(value)) return `${weekdayDate(value)} ${pad(value.hour)}:${pad(value.minute)}:${pad(value.second)} ${offsetText(value.utcOffset, '')}`;
    if (isRubyDate(value)) return weekdayDate(value);
    if (isRubyBigDecimal(value)) return value.digits;
    if (isRubyRational(value)) return `(${value.numerator}/${value.denominator})`;
    if (isRubyComplex(value)) return `(${formatComplex(value, (part) => this.inspect(part))})`;
    if (isRubyRange(value)) {
      const begin = value.begin === null ? '' : this.inspect(value.begin);
      const end = value.end === null ? '' : this.inspect(value.end);
      return value.begin === null && value.end === null ? 'nil..nil' : `${begin}${value.excludeEnd ? '...' : '..'}${end}`;
    }
    if (isRubySet(value)) return `#<Set: {${this.list(value.members, (m, i) => this.child(m, `{member #${i}}`))}}>`;
    if (isRubyStruct(value)) {
      const members = this.list(value.members, ([name, v]) => `${name.name}=${this.child(v, `.${name.name}`)}`);
      return `#<struct ${value.className.name}${members ? ` ${members}` : ''}>`;
    }
    if (isRubyObject(value)) {
      const ivars = this.list(value.ivars, ([name, v]) => `${name.name}=${this.child(v, `.${name.name}`)}`);
      return `#<${value.className.name}:${ADDRESS}${ivars ? ` ${ivars}` : ''}>`;
    }
    if (isRubyRegexp(value)) {
      return `/${regexpInspectSource(value.source, value.encoding)}/${regexpFlags(value.options)}`;
    }
    if (isRubyClassRef(value)) return value.name;
    if (isRubyUserMarshal(value) && value.className.name === 'OpenStruct' && isRubyHash(value.data)) {
      // OpenStruct#inspect: ` key=value` per member, joined with commas.
      const members = value.data.entries.map(([k, v]) => ` ${isRubySymbol(k) ? k.name : this.inspect(k)}=${this.inspect(v)}`).join(',');
      return `#<OpenStruct${members}>`;
    }
    if (isRubyUserDefined(value) || isRubyUserMarshal(value) || isRubyData(value)) {
      return `#<${value.className.name}:${ADDRESS}>`;
    }
    if (value instanceof Map) return `{${this.entries(value)}}`;
    if (value instanceof Uint8Array) return inspectString(new RubyString(value));
    return `#<${className(value)}>`;
  }

}

function className(value: object): string {
  return (value as { className?: RubySymbol }).className?.name ?? value.constructor.name;
}

function regexpFlags(options: number): string {
  return `${options & 4 ? 'm' : ''}${options & 1 ? 'i' : ''}${options & 2 ? 'x' : ''}${options & 32 ? 'n' : ''}`;
}

const SPECIAL: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\x07': '\\a', '\x1b': '\\e' };

/** Ruby's `String#inspect` as a UTF-8 terminal shows it. */
export function inspectString(string: RubyString): string {
  return `"${escapeBody(string.bytes, string.encoding, true)}"`;
}

const UNICODE_ENCODINGS = new Set(['UTF-16LE', 'UTF-16BE', 'UTF-32LE', 'UTF-32BE', 'UTF-16', 'UTF-32']);

/** The inside of a quoted String or Symbol as Ruby's `inspect` writes it (`quotes`: escape `"` and `#{`). */
function escapeBody(bytes: Uint8Array, encoding: string, quotes: boolean): string {
  if (UNICODE_ENCODINGS.has(encoding)) return escapeUnicodeUnits(bytes, encoding, quotes);
  // US-ASCII is no Unicode encoding for `inspect`: its controls are `\xNN`, and so is every byte from 0x80.
  const unicode = encoding === 'UTF-8';
  if (!unicode && !isAsciiBytes(bytes) && encoding !== 'ASCII-8BIT' && encoding !== 'US-ASCII') return escapeMultibyte(bytes, encoding);
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      const c = String.fromCharCode(b);
      const next = bytes[i + 1];
      if (quotes && c === '#' && (next === 0x7b || next === 0x24 || next === 0x40)) out += '\\#';
      else if ((c === '"' || c === '\\') && !quotes) out += c;
      else if (SPECIAL[c] !== undefined) out += SPECIAL[c];
      else if (b < 0x20 || b === 0x7f) out += unicode ? `\\u${b.toString(16).toUpperCase().padStart(4, '0')}` : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      else out += c;
      i++;
      continue;
    }
    const length = unicode ? utf8SequenceLength(bytes, i) : 0;
    if (length === 0) {
      out += `\\x${b.toString(16).toUpperCase()}`;
      i++;
      continue;
    }
    const char = utf8Decode(bytes.subarray(i, i + length));
    const code = char.codePointAt(0)!;
    if (!isRubyPrintable(char, code)) out += code < 0x10000 ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : `\\u{${code.toString(16).toUpperCase()}}`;
    else out += char;
    i += length;
  }
  return out;
}

/**
 * A UTF-16/32 String as `inspect` walks it: each character that is one (`rb_enc_precise_mbclen`) escaped as text;
 * a unit (2 or 4 bytes, fewer at the end) that starts none as its bytes, `\xNN` each, and on after that unit.
 */
function escapeUnicodeUnits(bytes: Uint8Array, encoding: string, quotes: boolean): string {
  const little = encoding.endsWith('LE');
  const wide = encoding.startsWith('UTF-32');
  if (encoding === 'UTF-16' || encoding === 'UTF-32') return escapeText(rubyText(bytes, encoding).text, quotes);
  let out = '';
  let i = 0;
  const unit16 = (k: number) => (little ? bytes[k]! | (bytes[k + 1]! << 8) : (bytes[k]! << 8) | bytes[k + 1]!);
  while (i < bytes.length) {
    let code = -1;
    let length = 0;
    if (wide && i + 4 <= bytes.length) {
      const c = little ? (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0 : ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
      if (isRubyUtf32Char(c)) [code, length] = [c, 4];
    } else if (!wide && i + 2 <= bytes.length) {
      const c = unit16(i);
      if (c < 0xd800 || c > 0xdfff) [code, length] = [c, 2];
      else if (c < 0xdc00 && i + 4 <= bytes.length) {
        const d = unit16(i + 2);
        if (d >= 0xdc00 && d <= 0xdfff) [code, length] = [0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00), 4];
      }
    }
    if (length === 0) {
      // Ruby's `rb_str_inspect` shows a unit that starts no character as its bytes, one unit (`mbminlen`) at a time.
      for (const end = Math.min(i + (wide ? 4 : 2), bytes.length); i < end; i++) out += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
      continue;
    }
    // Past U+10FFFF only a unit Ruby's UTF-32 takes for a character (see isRubyUtf32Char): shown as its number.
    out += code > 0x10ffff ? `\\u{${code.toString(16).toUpperCase()}}` : escapeText(String.fromCodePoint(code), quotes);
    i += length;
  }
  return out;
}

/**
 * Whether Ruby 3.1's UTF-32 encodings take this 4-byte unit for a character (`valid_encoding?`, and so `inspect`):
 * Onigmo's `UNICODE_VALID_CODEPOINT_P` on the unit read as a signed int (as here), so a unit of 0x80000000 or more counts as
 * a character (`\u{80000000}`) unless its low 16 bits are a surrogate, and a surrogate past U+FFFF does not exist.
 * Transcoding (`encode`) refuses all of these past U+10FFFF; only `inspect` shows them.
 */
function isRubyUtf32Char(unit: number): boolean {
  const signed = unit | 0;
  return signed <= 0x10ffff && !(signed < 0x10000 && (signed & 0xf800) === 0xd800);
}

function escapeText(text: string, quotes: boolean): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (quotes && SPECIAL[char] !== undefined) out += SPECIAL[char];
    // Not UTF-8, so Ruby escapes every non-ASCII character for a UTF-8 terminal.
    else if (code >= 0x80 || !isRubyPrintable(char, code)) out += code < 0x10000 ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : `\\u{${code.toString(16).toUpperCase()}}`;
    else out += char;
  }
  return out;
}

/**
 * A string in a legacy multibyte encoding, as Ruby shows it on a UTF-8 terminal: ASCII as is, each other
 * character as `\x{XXXX}` (its bytes in that encoding, big-endian), single bytes as `\xNN`.
 */
function escapeMultibyte(bytes: Uint8Array, encoding: string): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : Math.min(multibyteLength(b, encoding), bytes.length - i);
    if (length === 1) {
      // Not a Unicode encoding: controls are \xNN, as every byte that is not a character.
      const control = (b < 0x20 || b === 0x7f) && SPECIAL[String.fromCharCode(b)] === undefined;
      out += b < 0x80 && !control ? escapeBody(bytes.subarray(i, i + 1), 'US-ASCII', true) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      let code = '';
      for (let k = 0; k < length; k++) code += bytes[i + k]!.toString(16).toUpperCase().padStart(2, '0');
      out += `\\x{${code}}`;
    }
    i += length;
  }
  return out;
}

function multibyteLength(lead: number, encoding: string): number {
  switch (encoding) {
    case 'Shift_JIS':
    case 'Windows-31J':
      return (lead >= 0x81 && lead <= 0x9f) || (lead >= 0xe0 && lead <= 0xfc) ? 2 : 1;
    case 'EUC-JP':
      return lead === 0x8f ? 3 : lead === 0x8e || (lead >= 0xa1 && lead <= 0xfe) ? 2 : 1;
    case 'EUC-KR':
    case 'GBK':
    case 'Big5':
      return lead >= 0x81 && lead <= 0xfe ? 2 : 1;
    default:
      return 1;
  }
}

/** Whether every character of these bytes is one, and one Ruby prints as it is (`sym_printable`). */
function isPrintableUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b < 0x20 || b === 0x7f) return false;
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return false;
    const char = utf8Decode(bytes.subarray(i, i + length));
    if (!isRubyPrintable(char, char.codePointAt(0)!)) return false;
    i += length;
  }
  return true;
}

/** Ruby's `Symbol#inspect`: `:name` when it reads as a plain symbol, else `:"quoted"`. */
export function inspectSymbol(symbol: RubySymbol): string {
  // rb_str_symname_p: a name Ruby's parser reads as a symbol, every character of it printable.
  if ((symbol.isAscii || symbol.encoding === 'UTF-8') && isPlainSymbolName(symbol.bytes) && isPrintableUtf8(symbol.bytes)) {
    return `:${symbol.name}`;
  }
  return `:"${escapeBody(symbol.bytes, symbol.encoding, true)}"`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `+0900`, or `+09:00` with a separator; seconds only when the offset has them (`+005328`). */
function offsetText(offset: number, separator: string): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offset));
  const seconds = abs % 60;
  return `${sign}${pad(Math.floor(abs / 3600))}${separator}${pad(Math.floor(abs / 60) % 60)}${seconds === 0 ? '' : `${separator}${pad(seconds)}`}`;
}

/** ActiveSupport's `Date#inspect` (`readable_inspect`): `Tue, 02 Jan 2024`. */
function weekdayDate(date: RubyDate): string {
  const weekday = WEEKDAYS[(((date.jd + 1) % 7) + 7) % 7]!;
  const year = date.year < 0 ? `-${pad(-date.year, 4)}` : pad(date.year, 4);
  return `${weekday}, ${pad(date.day)} ${MONTHS[date.month - 1]} ${year}`;
}

/** Ruby's `Time#inspect`: `to_s` with the subsecond (`.123456789`, or ` 1/3` when it is not a whole nanosecond). */
function inspectTime(time: RubyTime): string {
  const text = rubyTimeToS(time);
  const zoneAt = text.lastIndexOf(' ');
  // Time#inspect writes the offset's seconds when it has any (+005328), which %z in to_s leaves out.
  const zone = time.isUtc ? ' UTC' : ` ${offsetText(time.utcOffset, '')}`;
  const { numerator, denominator } = time.subsecond;
  let fraction = '';
  if (numerator !== 0n) {
    const nanos = (numerator * 1_000_000_000n) / denominator;
    if ((numerator * 1_000_000_000n) % denominator === 0n) fraction = `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
    else fraction = ` ${reduce(numerator, denominator)}`;
  }
  return `${text.slice(0, zoneAt)}${fraction}${zone}`;
}

function reduce(numerator: bigint, denominator: bigint): string {
  let a = numerator < 0n ? -numerator : numerator;
  let b = denominator;
  while (b !== 0n) [a, b] = [b, a % b];
  return `${numerator / a}/${denominator / a}`;
}

/**
 * ActiveSupport's `TimeWithZone#inspect`: `Mon, 01 Jan 2024 22:04:05.000000000 EST -05:00`. The zone abbreviation
 * needs the tz database, which a decoded value does not carry: `UTC` for UTC, else the offset (`+0900`), as Ruby
 * prints zones without an abbreviation.
 */
function inspectTimeWithZone(value: RubyTimeWithZone): string {
  const time = value.time;
  const abbreviation = value.utcOffset === 0 && /^(UTC|Etc\/UTC)$/.test(value.timeZoneName) ? 'UTC' : offsetText(value.utcOffset, '');
  const day = new Date(time.epochSeconds * 1000);
  const weekday = WEEKDAYS[day.getUTCDay()]!;
  return `${weekday}, ${pad(time.day)} ${MONTHS[time.month - 1]} ${pad(time.year, 4)} ${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}.${pad(time.nanoseconds, 9)} ${abbreviation} ${offsetText(value.utcOffset, ':')}`;
}
