import { RubyFloat } from '../values/float.js';
import { RubySymbol } from '../values/symbol.js';
import { RubyUserMarshal } from '../values/user-marshal.js';
import type { RubyValue } from '../values/value.js';
import { civilToJd, formatOffset, formatYear, jdToCivil, pad2, UNIX_EPOCH_JD, type CivilDate } from './calendar.js';
import { digitsOf, exactValue, fraction, integerToRuby, integerValue, type Fraction } from './exact-fraction.js';
import { brand, RUBY_KIND, type RubyKind, isRubyFloat } from '../values/kind.js';

/** Days in date_core.c's period (`CM_PERIOD`): jd is stored modulo it, with the count of periods in `nth`. */
const CM_PERIOD = 213447717;
/** Years in one period in the Gregorian (`CM_PERIOD_GCY`) and Julian (`CM_PERIOD_JCY`) calendars. */
const PERIOD_GREGORIAN_YEARS = 584400;
const PERIOD_JULIAN_YEARS = 584388;
/** Years date_core.c treats as "maybe around the reform" (`REFORM_BEGIN_YEAR`, `REFORM_END_YEAR`). */
const REFORM_BEGIN_YEAR = 1582;
const REFORM_END_YEAR = 1930;
/** Reform days Ruby accepts as `start` (`REFORM_BEGIN_JD`, `REFORM_END_JD`), besides ±Infinity. */
const REFORM_BEGIN_JD = 2298874;
const REFORM_END_JD = 2426355;
/** `Date::ITALY`, Ruby's default reform day (1582-10-15). */
const ITALY = 2299161;
const DAY_SECONDS = 86400;
const NANOS_PER_SECOND = 1_000_000_000n;

/** The `marshal_dump` array `[nth, jd, df, sf, of, sg]`, read. */
interface DateParts {
  nth: number;
  /** UTC Julian day within the period. */
  jd: number;
  /** UTC seconds into the day. */
  df: number;
  /** Nanoseconds past `df`, exact. */
  sf: Fraction;
  /** UTC offset in seconds. */
  of: number;
  /** The reform day (`start`). */
  sg: number;
}

/**
 * Ruby's Date (`U:Date [nth, jd, df, sf, of, sg]`): a Julian day number and the day of the calendar reform
 * (`start`, Italy's 1582-10-15 unless given). Days before the reform are in the Julian calendar, as Ruby prints them.
 * A new one: `rubyDate`.
 */
export class RubyDate extends RubyUserMarshal {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserMarshal Date');
  }

  /** The Julian day number of the (local) date: 0 is -4712-01-01 in the Julian calendar. */
  get jd(): number {
    const parts = this.parts();
    return parts.nth * CM_PERIOD + localDay(parts).jd;
  }

  /** The reform day (Ruby's `start`): a Julian day number, or ±Infinity for an always-Gregorian / always-Julian date. */
  get start(): number {
    return this.parts().sg;
  }

  /** The year (astronomical: 0 is 1 BC), in the Julian calendar before `start` and the Gregorian from it. */
  get year(): number {
    return this.civil().year;
  }

  /** The month, 1..12. */
  get month(): number {
    return this.civil().month;
  }

  /** The day of the month, 1..31. */
  get day(): number {
    return this.civil().day;
  }

  /** Ruby's `Date#iso8601`: `2024-01-02`, `-4712-01-01`. */
  toISOString(): string {
    return this.dateText();
  }

  /** False unless the data is a 6-element `[nth, jd, 0, 0, 0, sg]` that `Date._load` accepts (then `load` keeps the plain record). */
  isWellFormed(): boolean {
    const parts = readParts(this.data);
    return parts !== undefined && parts.df === 0 && parts.sf.numerator === 0n && parts.of === 0;
  }

  /** The `marshal_dump` fields; throws RangeError for a record `Date._load` would reject. */
  protected parts(): DateParts {
    const parts = readParts(this.data);
    if (parts === undefined) throw new RangeError(`not a well-formed Ruby ${this.className.name}`);
    return parts;
  }

  /** The local calendar date, in the calendar Ruby uses for that day. */
  protected civil(): CivilDate {
    const parts = this.parts();
    const { jd } = localDay(parts);
    // Outside the first period Ruby picks the calendar by the period's sign (`m_virtual_sg`).
    const sg = !Number.isFinite(parts.sg) || parts.nth === 0 ? parts.sg : parts.nth < 0 ? Infinity : -Infinity;
    const civil = jdToCivil(jd, sg);
    if (parts.nth === 0) return civil;
    return { ...civil, year: civil.year + parts.nth * (jd >= sg ? PERIOD_GREGORIAN_YEARS : PERIOD_JULIAN_YEARS) };
  }

  /** Ruby's `%Y-%m-%d`. */
  protected dateText(): string {
    const { year, month, day } = this.civil();
    return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
  }
}

/**
 * Ruby's DateTime (`U:DateTime [nth, jd, df, sf, of, sg]`): a Date with a time of day, an exact fraction of a
 * second and a UTC offset. Ruby stores the UTC day and second; the getters give the local ones, as Ruby does.
 * A new one: `rubyDateTime`.
 */
export class RubyDateTime extends RubyDate {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserMarshal Date DateTime');
  }

  /** Hour of the local time, 0..23. */
  get hour(): number {
    return Math.floor(localDay(this.parts()).df / 3600);
  }

  /** Minute of the local time, 0..59. */
  get minute(): number {
    return Math.floor((localDay(this.parts()).df % 3600) / 60);
  }

  /** Second of the local time, 0..59. */
  get second(): number {
    return localDay(this.parts()).df % 60;
  }

  /** Nanoseconds past `second`, rounded down. */
  get nanoseconds(): number {
    const sf = this.parts().sf;
    return Number(sf.numerator / sf.denominator);
  }

  /** The exact fraction of a second (Ruby's `sec_fraction`), such as 1/3. */
  get secondFraction(): { numerator: bigint; denominator: bigint } {
    const sf = this.parts().sf;
    return fraction(sf.numerator, sf.denominator * NANOS_PER_SECOND);
  }

  /** Seconds east of UTC (Ruby's `offset` in seconds). */
  get utcOffset(): number {
    return this.parts().of;
  }

  /** The instant as a JS Date, truncated to the millisecond, as `RubyTime#toDate()` (an invalid Date beyond JS's range). */
  toDate(): Date {
    const parts = this.parts();
    const days = parts.nth * CM_PERIOD + parts.jd - UNIX_EPOCH_JD;
    const millis = Number((parts.sf.numerator * 1000n) / (parts.sf.denominator * NANOS_PER_SECOND));
    return new Date(days * 86_400_000 + parts.df * 1000 + millis);
  }

  /** Ruby's `DateTime#iso8601(fractionDigits)`: `2024-01-02T03:04:05.500000000+09:00`; the fraction is truncated. */
  override toISOString(fractionDigits = 9): string {
    const fractionText = fractionDigits > 0 ? `.${digitsOf(this.secondFraction, fractionDigits)}` : '';
    return `${this.dateText()}T${pad2(this.hour)}:${pad2(this.minute)}:${pad2(this.second)}${fractionText}${formatOffset(this.utcOffset, true)}`;
  }

  /** False unless the data is a 6-element `[nth, jd, df, sf, of, sg]` that `DateTime._load` accepts. */
  override isWellFormed(): boolean {
    return readParts(this.data) !== undefined;
  }
}

/**
 * `Date.new(year, month, day, start)` as Ruby 3.1 writes it. `start` is the reform day: `2299161` (Italy),
 * `2361222` (England), `-Infinity` (always Gregorian) or `Infinity` (always Julian). Throws RangeError for a day
 * the calendar does not have (such as 1582-10-10 with Italy's reform).
 */
export function rubyDate(year: number, month: number, day: number, start: number = ITALY): RubyDate {
  const { nth, jd } = civilToPeriod(year, month, day, start);
  return new RubyDate(new RubySymbol('Date'), [integerToRuby(BigInt(nth)), jd, 0, 0, 0, new RubyFloat(start)]);
}

/**
 * `DateTime.new(year, month, day, hour, minute, second + Rational(nanoseconds, 10**9), offset)` with Italy's
 * reform day, as Ruby 3.1 writes it. `utcOffset` is in seconds east of UTC.
 */
export function rubyDateTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, nanoseconds = 0, utcOffset = 0): RubyDateTime {
  const inRange = (value: number, max: number) => Number.isSafeInteger(value) && value >= 0 && value <= max;
  if (!inRange(hour, 23) || !inRange(minute, 59) || !inRange(second, 59) || !inRange(nanoseconds, 999_999_999)) {
    throw new RangeError(`invalid time ${hour}:${minute}:${second}.${nanoseconds}`);
  }
  if (!Number.isSafeInteger(utcOffset) || utcOffset <= -DAY_SECONDS || utcOffset >= DAY_SECONDS) {
    throw new RangeError(`utcOffset must be whole seconds between -86399 and 86399, got ${utcOffset}`);
  }
  const { nth, jd } = civilToPeriod(year, month, day, ITALY);
  // date_core.c `jd_local_to_utc` / `df_local_to_utc`.
  let df = hour * 3600 + minute * 60 + second - utcOffset;
  let utcJd = jd;
  if (df < 0) {
    df += DAY_SECONDS;
    utcJd -= 1;
  } else if (df >= DAY_SECONDS) {
    df -= DAY_SECONDS;
    utcJd += 1;
  }
  return new RubyDateTime(new RubySymbol('DateTime'), [integerToRuby(BigInt(nth)), utcJd, df, nanoseconds, utcOffset, new RubyFloat(ITALY)]);
}

/** The local Julian day (within the period) and second of the day, as date_core.c's `m_local_jd` / `m_local_df`. */
function localDay(parts: DateParts): { jd: number; df: number } {
  const local = parts.df + parts.of;
  if (local < 0) return { jd: parts.jd - 1, df: local + DAY_SECONDS };
  if (local >= DAY_SECONDS) return { jd: parts.jd + 1, df: local - DAY_SECONDS };
  return { jd: parts.jd, df: local };
}

/** date_core.c `d_lite_marshal_load` for the 6-element form; undefined where Ruby would raise or the fields make no sense. */
function readParts(data: RubyValue): DateParts | undefined {
  if (!Array.isArray(data) || data.length !== 6) return undefined;
  const [nthValue, jdValue, dfValue, sfValue, ofValue, sgValue] = data as RubyValue[];
  const nth = integerValue(nthValue);
  const jd = integerValue(jdValue);
  const df = integerValue(dfValue);
  const sf = exactValue(sfValue);
  const of = integerValue(ofValue);
  const sg = isRubyFloat(sgValue) ? sgValue.value : typeof sgValue === 'number' ? sgValue : undefined;
  if (nth === undefined || jd === undefined || df === undefined || sf === undefined || of === undefined || sg === undefined || Number.isNaN(sg)) return undefined;
  // jd is a C int in Ruby; nth is bounded here so that every day number stays exact in a double.
  if (nth < -1_000_000n || nth > 1_000_000n || jd < -(2n ** 31n) || jd >= 2n ** 31n) return undefined;
  if (df < 0n || df >= BigInt(DAY_SECONDS) || of <= -BigInt(DAY_SECONDS) || of >= BigInt(DAY_SECONDS)) return undefined;
  if (sf.numerator < 0n || sf.numerator >= NANOS_PER_SECOND * sf.denominator) return undefined;
  return { nth: Number(nth), jd: Number(jd), df: Number(df), sf, of: Number(of), sg };
}

/**
 * date_core.c `valid_civil_p`: the period count and the Julian day within the period for a civil date. Years far
 * from the reform are split into periods by calendar years; years around it by days.
 */
function civilToPeriod(year: number, month: number, day: number, start: number): { nth: number; jd: number } {
  if (!Number.isSafeInteger(year) || !Number.isSafeInteger(month) || !Number.isSafeInteger(day) || month < 1 || month > 12 || day < 1 || day > 31) {
    throw new RangeError(`invalid date ${year}-${month}-${day}`);
  }
  if (Number.isNaN(start) || (Number.isFinite(start) && (start < REFORM_BEGIN_JD || start > REFORM_END_JD))) {
    throw new RangeError(`invalid start ${start}: use a reform day between ${REFORM_BEGIN_JD} and ${REFORM_END_JD}, or ±Infinity`);
  }
  const style = !Number.isFinite(start) ? start : year < REFORM_BEGIN_YEAR ? Infinity : year > REFORM_END_YEAR ? -Infinity : 0;
  let nth = 0;
  let periodYear = year;
  let sg = start;
  if (style !== 0) {
    const period = style < 0 ? PERIOD_GREGORIAN_YEARS : PERIOD_JULIAN_YEARS;
    nth = Math.floor((year + 4712) / period);
    periodYear = year + 4712 - nth * period - 4712;
    sg = style;
  }
  const { jd } = civilToJd(periodYear, month, day, sg);
  const back = jdToCivil(jd, sg);
  if (back.year !== periodYear || back.month !== month || back.day !== day) throw new RangeError(`invalid date ${year}-${month}-${day}`);
  if (style === 0) {
    // decode_jd: around the reform the day itself is split into periods.
    const jdNth = Math.floor(jd / CM_PERIOD);
    return { nth: jdNth, jd: jd - jdNth * CM_PERIOD };
  }
  return { nth, jd };
}
