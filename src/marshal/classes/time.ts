import { getIvar, type RubyIvars } from '../values/ivars.js';
import { RubyString } from '../values/string.js';
import { RubySymbol } from '../values/symbol.js';
import { RubyUserDefined } from '../values/user-defined.js';
import { civilFromDays, daysFromCivil, formatOffset, wallClockText, type CivilDate } from './calendar.js';
import { add, digitsOf, exactToRuby, exactValue, floor, floorDiv, fraction, integerToRuby, integerValue, multiply, type Fraction } from './exact-fraction.js';
import { brand, RUBY_KIND, type RubyKind, isRubyString } from '../values/kind.js';

/** The largest year the 16-bit field holds; later (and pre-1900) years go in the extension bytes. */
const MAX_PACKED_YEAR = 1900 + 0xffff;
const NANOS_PER_SECOND = 1_000_000_000n;
/** Instants we handle (about ±142 million years), so that seconds and days stay exact in doubles. */
const MAX_SECONDS = 2n ** 52n;

/**
 * Ruby interns the zone name, so every UTC Time in one dump shares one "UTC" String and the second is written as
 * a link. Sharing one frozen record does the same here.
 */
const UTC_ZONE = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ new RubyString('UTC', 'US-ASCII')) as RubyString;

/** Options for building a Time. */
export interface RubyTimeOptions {
  /**
   * A fixed UTC offset in whole seconds (-86399..86399), as `Time.at(s, in: "+09:00")`: not UTC, zone nil.
   * Without it the Time is in UTC mode, as `Time.at(s).utc`. Defaults to UTC mode.
   */
  utcOffset?: number;
}

/** A date and a time of day. */
interface WallClock extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

/** What the `_dump` bytes and ivars say, resolved as `Time._load` resolves them. */
interface TimeParts {
  /** Whole seconds since the epoch (floor of the instant). */
  seconds: bigint;
  /** The rest of the instant, 0 <= x < 1 second, exact. */
  subsecond: Fraction;
  isUtc: boolean;
  /** The fixed offset Ruby applies, or undefined for UTC mode and for the loading process's local time. */
  offset: Fraction | undefined;
  zone: string | null;
}

/**
 * Ruby's Time, as `Time#_dump` writes it: 8 bytes of UTC broken-down time (with the year extended past
 * 1900..67435 in extra bytes), and ivars on the dumped string for what those bytes cannot hold: `nano_num` /
 * `nano_den` / `submicro` (below the microsecond), `offset` (non-UTC times) and `zone`. Ruby 3.1 orders those
 * ivars by process history, so every getter reads them by name and nothing is ever rewritten: a loaded Time dumps
 * back byte for byte. New ones: `rubyTimeFromEpoch`, `rubyTimeFromDate`, `rubyTimeFromExact`; its `to_s`: `rubyTimeToS`.
 */
export class RubyTime extends RubyUserDefined {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserDefined Time');
  }

  /** Seconds since the Unix epoch, rounded down (Ruby's `to_i`). */
  get epochSeconds(): number {
    return Number(this.parts().seconds);
  }

  /** Nanoseconds past `epochSeconds`, rounded down (Ruby's `nsec`). */
  get nanoseconds(): number {
    return Number(floor(multiply(this.parts().subsecond, fraction(NANOS_PER_SECOND))));
  }

  /** The exact fraction of a second past `epochSeconds` (Ruby's `subsec`), such as 1/3 for `Time.at(Rational(1, 3))`. */
  get subsecond(): { numerator: bigint; denominator: bigint } {
    const { numerator, denominator } = this.parts().subsecond;
    return { numerator, denominator };
  }

  /** Seconds east of UTC (Ruby's `utc_offset`); 0 in UTC mode, and for a local time written without an offset. */
  get utcOffset(): number {
    const offset = this.parts().offset;
    return offset === undefined ? 0 : Number(offset.numerator) / Number(offset.denominator);
  }

  /** True for a UTC-mode Time (`utc?`), which prints `Z` / `UTC` instead of an offset. */
  get isUtc(): boolean {
    return this.parts().isUtc;
  }

  /** The zone abbreviation (`"UTC"`, `"JST"`, `"CET"`), or null for a fixed-offset Time (`Time.at(0, in: "+09:00")`). */
  get zone(): string | null {
    return this.parts().zone;
  }

  /** Year of the wall clock at `utcOffset` (astronomical: 0 is 1 BC). */
  get year(): number {
    return this.wallClock().year;
  }

  /** Month of the wall clock, 1..12. */
  get month(): number {
    return this.wallClock().month;
  }

  /** Day of the month of the wall clock, 1..31. */
  get day(): number {
    return this.wallClock().day;
  }

  /** Hour of the wall clock, 0..23. */
  get hour(): number {
    return this.wallClock().hour;
  }

  /** Minute of the wall clock, 0..59. */
  get minute(): number {
    return this.wallClock().minute;
  }

  /** Second of the wall clock, 0..59. */
  get second(): number {
    return this.wallClock().second;
  }

  /** The instant as a JS Date, truncated to the millisecond (an invalid Date beyond JS's range). */
  toDate(): Date {
    return new Date(this.epochSeconds * 1000 + Math.floor(this.nanoseconds / 1_000_000));
  }

  /**
   * Ruby's `iso8601(fractionDigits)` (`xmlschema`): `2024-01-02T03:04:05.000000000Z` in UTC mode, else the offset
   * as `+09:00`; the fraction is truncated, never rounded.
   */
  toISOString(fractionDigits = 9): string {
    const fractionText = fractionDigits > 0 ? `.${digitsOf(this.parts().subsecond, fractionDigits)}` : '';
    return `${this.dateTimeText('T')}${fractionText}${this.isUtc ? 'Z' : formatOffset(this.utcOffset, true)}`;
  }

  /** False when the bytes or ivars are not what `Time._load` accepts (then `load` keeps the plain record). */
  isWellFormed(): boolean {
    const parts = readParts(this.bytes, this.ivars);
    return parts !== undefined && parts.seconds <= MAX_SECONDS && parts.seconds >= -MAX_SECONDS;
  }

  private parts(): TimeParts {
    return partsOf(this);
  }

  private wallClock(): WallClock {
    const wall = wallSeconds(this.parts());
    const days = Math.floor(wall / 86400);
    const secondOfDay = wall - days * 86400;
    return { ...civilFromDays(days), hour: Math.floor(secondOfDay / 3600), minute: Math.floor((secondOfDay % 3600) / 60), second: secondOfDay % 60 };
  }

  private dateTimeText(separator: string): string {
    return wallClockText(wallSeconds(this.parts()), separator);
  }
}

/** Ruby's `Time#to_s`: `2024-01-02 03:04:05 UTC`, or `2024-01-02 03:04:05 +0900` when not in UTC mode. */
export function rubyTimeToS(time: RubyTime): string {
  return `${wallClockText(wallSeconds(partsOf(time)), ' ')} ${time.isUtc ? 'UTC' : formatOffset(time.utcOffset, false)}`;
}

/** What a Time's bytes and ivars say; RangeError for a record `Time._load` rejects (`load` never makes one a RubyTime). */
function partsOf(time: RubyTime): TimeParts {
  const parts = readParts(time.bytes, time.ivars);
  if (parts === undefined) throw new RangeError('not a well-formed Ruby Time');
  return parts;
}

/** The wall clock in whole seconds since 1970-01-01 00:00: the instant plus the offset, rounded down, as Ruby's `localtime` makes it. */
function wallSeconds({ seconds, subsecond, offset }: TimeParts): number {
  return Number(seconds + (offset === undefined ? 0n : floor(add(subsecond, offset))));
}

/** time.c `time_mload`, without the side effects: undefined where Ruby would raise. */
function readParts(bytes: Uint8Array, ivars: RubyIvars | undefined): TimeParts | undefined {
  if (bytes.length < 8) return undefined;
  const p = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  const s = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24)) >>> 0;
  const zoneValue = getIvar(ivars, 'zone');
  // Ruby drops a zone that is not a String (validate_zone_name raises, and the error is rescued).
  const zone = isRubyString(zoneValue) ? zoneValue.toString() : null;

  if ((p & 0x80000000) === 0) {
    // The format before Ruby 1.9: p is time_t and s microseconds, in the loading process's local time.
    const total = add(fraction(BigInt(p)), fraction(BigInt(s), 1_000_000n));
    const seconds = floor(total);
    return { seconds, subsecond: add(total, fraction(-seconds)), isUtc: false, offset: undefined, zone };
  }

  const isUtc = ((p >>> 30) & 1) === 1;
  const yearIvar = getIvar(ivars, 'year');
  let year: bigint | undefined = yearIvar === undefined || yearIvar === null ? BigInt(((p >>> 14) & 0xffff) + 1900) : integerValue(yearIvar);
  if (year === undefined) return undefined;
  if (bytes.length > 8) {
    const extension = readYearExtension(bytes.subarray(8));
    if (extension === undefined) return undefined;
    year = year === 1900n ? year - extension : year + extension;
  }
  const month = ((p >>> 10) & 0xf) + 1;
  if (month > 12 || year > 300_000_000n || year < -300_000_000n) return undefined;
  const mday = (p >>> 5) & 0x1f;
  const hour = p & 0x1f;
  const minute = (s >>> 26) & 0x3f;
  const second = (s >>> 20) & 0x3f;
  const usec = s & 0xfffff;

  let nanos = fraction(BigInt(usec) * 1000n);
  const nanoNum = getIvar(ivars, 'nano_num');
  if (nanoNum !== undefined && nanoNum !== null) {
    const numerator = exactValue(nanoNum);
    const denominator = exactValue(getIvar(ivars, 'nano_den') ?? undefined);
    if (numerator === undefined || denominator === undefined || denominator.numerator === 0n) return undefined;
    nanos = add(nanos, multiply(numerator, fraction(denominator.denominator, denominator.numerator)));
  } else {
    const submicro = getIvar(ivars, 'submicro');
    if (isRubyString(submicro)) nanos = add(nanos, fraction(BigInt(readSubmicro(submicro.bytes))));
    else if (submicro !== undefined && submicro !== null) return undefined;
  }

  const days = daysFromCivil(Number(year), month, mday);
  const fieldSeconds = BigInt(days) * 86400n + BigInt(hour * 3600 + minute * 60 + second);
  const total = add(fraction(fieldSeconds), multiply(nanos, fraction(1n, NANOS_PER_SECOND)));
  const seconds = floor(total);

  let offset: Fraction | undefined;
  if (!isUtc) {
    const value = exactValue(getIvar(ivars, 'offset') ?? undefined);
    // Ruby ignores an offset outside (-86400, 86400) (validate_utc_offset raises, and the error is rescued).
    if (value !== undefined && value.numerator > -86400n * value.denominator && value.numerator < 86400n * value.denominator) offset = value;
  }
  // Ruby names every UTC-mode Time's zone "UTC", whatever the ivar says.
  return { seconds, subsecond: add(total, fraction(-seconds)), isUtc, offset, zone: isUtc ? 'UTC' : zone };
}

/** `ruby_marshal_read_long` then that many little-endian bytes; undefined where Ruby raises. */
function readYearExtension(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0) return undefined;
  const c = (bytes[0]! << 24) >> 24;
  let size: number;
  let pos = 1;
  if (c === 0) size = 0;
  else if (c > 4) size = c - 5;
  else if (c < -4) size = c + 5;
  else if (c > 0) {
    if (bytes.length < 1 + c) return undefined;
    size = 0;
    for (let i = 0; i < c; i++) size += bytes[1 + i]! * 2 ** (8 * i);
    pos += c;
  } else return undefined; // a negative size
  if (size < 0 || size > bytes.length - pos) return undefined;
  // More than 8 bytes is a year far past the range read here; stop before building a huge bigint.
  if (size > 8) return 2n ** 64n;
  let value = 0n;
  for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[pos + i]!);
  return value;
}

/** The nanoseconds below the microsecond in Ruby 1.9.1's packed-BCD `submicro`; 0 when a digit is not 0..9, as Ruby gives up. */
function readSubmicro(bytes: Uint8Array): number {
  let nanos = 0;
  if (bytes.length > 0) {
    const high = bytes[0]! >> 4;
    const low = bytes[0]! & 0xf;
    if (high >= 10 || low >= 10) return 0;
    nanos += high * 100 + low * 10;
  }
  if (bytes.length > 1) {
    const digit = bytes[1]! >> 4;
    if (digit >= 10) return 0;
    nanos += digit;
  }
  return nanos;
}

/**
 * `Time.at(seconds, nanoseconds, :nsec).utc`, or with `utcOffset` `Time.at(seconds, nanoseconds, :nsec, in: offset)`,
 * written as a fresh Ruby 3.1 process writes it.
 */
export function rubyTimeFromEpoch(seconds: number | bigint, nanoseconds = 0, options?: RubyTimeOptions): RubyTime {
  if (typeof seconds === 'number' && !Number.isSafeInteger(seconds)) throw new RangeError(`seconds must be a safe integer, got ${seconds}`);
  if (!Number.isSafeInteger(nanoseconds)) throw new RangeError(`nanoseconds must be a safe integer, got ${nanoseconds}`);
  const total = BigInt(seconds) * NANOS_PER_SECOND + BigInt(nanoseconds);
  return rubyTimeFromExact(floorDiv(total, NANOS_PER_SECOND), fraction(total - floorDiv(total, NANOS_PER_SECOND) * NANOS_PER_SECOND, NANOS_PER_SECOND), options);
}

/** The same instant as a JS Date (whole milliseconds), built as `rubyTimeFromEpoch` builds it. */
export function rubyTimeFromDate(date: Date, options?: RubyTimeOptions): RubyTime {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  const seconds = Math.floor(ms / 1000);
  return rubyTimeFromEpoch(seconds, (ms - seconds * 1000) * 1_000_000, options);
}

/**
 * `Time.at(seconds + subsecond)` for an exact sub-second part such as 1/3 s (`Time.at(Rational(1, 3))`), which
 * Ruby writes as a Rational `nano_num / nano_den`. `subsecond` must be in [0, 1). Without `utcOffset`, a Time's
 * `getutc`: `rubyTimeFromExact(time.epochSeconds, time.subsecond)`.
 */
export function rubyTimeFromExact(seconds: number | bigint, subsecond: { numerator: bigint; denominator: bigint }, options?: RubyTimeOptions): RubyTime {
  if (typeof seconds === 'number' && !Number.isSafeInteger(seconds)) throw new RangeError(`seconds must be a safe integer, got ${seconds}`);
  const sub = fraction(subsecond.numerator, subsecond.denominator);
  if (sub.numerator < 0n || sub.numerator >= sub.denominator) throw new RangeError('subsecond must be at least 0 and less than 1');
  const offset = options?.utcOffset;
  if (offset !== undefined && (!Number.isSafeInteger(offset) || offset <= -86400 || offset >= 86400)) {
    throw new RangeError(`utcOffset must be whole seconds between -86399 and 86399, got ${offset}`);
  }
  return build(BigInt(seconds), sub, offset === undefined ? undefined : fraction(BigInt(offset)));
}

/** time.c `time_mdump` for a new Time, with the ivars in the order a fresh Ruby 3.1 process writes them. */
function build(seconds: bigint, subsecond: Fraction, offset: Fraction | undefined): RubyTime {
  if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) throw new RangeError(`seconds out of range: ${seconds}`);
  const days = Number(floorDiv(seconds, 86400n));
  const secondOfDay = Number(seconds - BigInt(days) * 86400n);
  const { year, month, day } = civilFromDays(days);
  let packedYear = year;
  let extension = 0;
  if (year > MAX_PACKED_YEAR) {
    extension = year - MAX_PACKED_YEAR;
    packedYear = MAX_PACKED_YEAR;
  } else if (year < 1900) {
    extension = 1900 - year;
    packedYear = 1900;
  }
  const nanos = multiply(subsecond, fraction(NANOS_PER_SECOND));
  const wholeNanos = floor(nanos);
  const usec = wholeNanos / 1000n;
  const nano = add(nanos, fraction(-usec * 1000n));
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  const second = secondOfDay % 60;
  const p = (0x80000000 | ((offset === undefined ? 1 : 0) << 30) | ((packedYear - 1900) << 14) | ((month - 1) << 10) | (day << 5) | hour) >>> 0;
  const s = ((minute << 26) | (second << 20) | Number(usec)) >>> 0;
  const extensionBytes = littleEndian(extension);
  const bytes = new Uint8Array(8 + (extension === 0 ? 0 : 1 + extensionBytes.length));
  for (let i = 0; i < 4; i++) {
    bytes[i] = (p >>> (8 * i)) & 0xff;
    bytes[4 + i] = (s >>> (8 * i)) & 0xff;
  }
  if (extension !== 0) {
    bytes[8] = extensionBytes.length + 5; // w_long of a size of 1..8
    bytes.set(extensionBytes, 9);
  }

  const ivars: RubyIvars = [];
  if (nano.numerator !== 0n) {
    ivars.push([new RubySymbol('nano_num'), integerToRuby(nano.numerator)]);
    ivars.push([new RubySymbol('nano_den'), integerToRuby(nano.denominator)]);
  }
  const submicro = Number(wholeNanos % 1000n);
  if (submicro !== 0) {
    const packed = [(Math.floor(submicro / 100) << 4) | Math.floor(submicro / 10) % 10, (submicro % 10) << 4];
    ivars.push([new RubySymbol('submicro'), new RubyString(Uint8Array.from(packed[1] === 0 ? packed.slice(0, 1) : packed))]);
  }
  if (offset !== undefined) ivars.push([new RubySymbol('offset'), exactToRuby(offset)]);
  ivars.push([new RubySymbol('zone'), offset === undefined ? UTC_ZONE : null]);
  return new RubyTime(new RubySymbol('Time'), bytes, ivars);
}

/** The fewest little-endian bytes that hold a non-negative integer (`rb_absint_size`). */
function littleEndian(value: number): number[] {
  const out: number[] = [];
  while (value > 0) {
    out.push(value % 256);
    value = Math.floor(value / 256);
  }
  return out;
}
