import { getIvar } from '../values/ivars.js';
import { RubyString } from '../values/string.js';
import { RubySymbol } from '../values/symbol.js';
import { RubyUserMarshal } from '../values/user-marshal.js';
import type { RubyValue } from '../values/value.js';
import { formatOffset, wallClockText } from './calendar.js';
import { digitsOf, fraction } from './exact-fraction.js';
import { rubyTimeFromExact, type RubyTime } from './time.js';
import { brand, RUBY_KIND, type RubyKind, isRubyString, isRubyTime } from '../values/kind.js';

/**
 * Zones whose abbreviation tzinfo gives as "UTC" or "UCT", the test ActiveSupport's `utc?` makes. Only these
 * print `Z` / `UTC`; "Europe/London" in winter is +00:00 but prints `+00:00`.
 */
const UTC_ZONE_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

/**
 * ActiveSupport's TimeWithZone (`U:ActiveSupport::TimeWithZone [utc, zone name, time]`): the instant as a UTC Time,
 * the zone's name (a Rails name such as "Eastern Time (US & Canada)" or a tzinfo id), and the wall clock in that
 * zone written as a UTC Time. No tz database is needed: the offset is the difference of the two Times. A new one:
 * `rubyTimeWithZone`; its `to_s`: `rubyTimeWithZoneToS`.
 */
export class RubyTimeWithZone extends RubyUserMarshal {
  /** The brand every copy of this package recognises (see `RUBY_KIND`); on the prototype. */
  declare readonly [RUBY_KIND]: RubyKind;
  static {
    brand(this, 'UserMarshal TimeWithZone');
  }

  /** The instant, as a UTC Time. */
  get utc(): RubyTime {
    return (this.data as RubyValue[])[0] as RubyTime;
  }

  /** The zone's name as Rails stores it: `"Eastern Time (US & Canada)"`, `"UTC"`, or a tzinfo id such as `"America/New_York"`. */
  get timeZoneName(): string {
    return ((this.data as RubyValue[])[1] as RubyString).toString();
  }

  /** The wall clock in the zone, as a UTC-mode Time whose fields are the local ones (how ActiveSupport stores it). */
  get time(): RubyTime {
    return (this.data as RubyValue[])[2] as RubyTime;
  }

  /** Seconds east of UTC at this instant (the wall clock minus the instant). */
  get utcOffset(): number {
    return this.time.epochSeconds - this.utc.epochSeconds;
  }

  /** ActiveSupport's `utc?`: true for the zones whose abbreviation is UTC, which print `Z` and `UTC`. */
  get isUtc(): boolean {
    return this.utcOffset === 0 && UTC_ZONE_NAMES.has(this.timeZoneName);
  }

  /** The instant as a JS Date, truncated to the millisecond. */
  toDate(): Date {
    return this.utc.toDate();
  }

  /** ActiveSupport's `iso8601(fractionDigits)`: the wall clock, then `Z` for UTC zones or the offset as `-05:00`. */
  toISOString(fractionDigits = 9): string {
    const fractionText = fractionDigits > 0 ? `.${digitsOf(fraction(this.time.subsecond.numerator, this.time.subsecond.denominator), fractionDigits)}` : '';
    return `${wallText(this, 'T')}${fractionText}${this.isUtc ? 'Z' : formatOffset(this.utcOffset, true)}`;
  }

  /** False unless the data is `[Time, String, Time]` (then `load` keeps the plain record). */
  isWellFormed(): boolean {
    const data = this.data;
    return Array.isArray(data) && data.length === 3 && isRubyTime(data[0]) && isRubyString(data[1]) && isRubyTime(data[2]);
  }

}

/** ActiveSupport's `TimeWithZone#to_s`: `2024-01-01 22:04:05 -0500`, or `... UTC` for UTC zones. */
export function rubyTimeWithZoneToS(value: RubyTimeWithZone): string {
  return `${wallText(value, ' ')} ${value.isUtc ? 'UTC' : formatOffset(value.utcOffset, false)}`;
}

/** The wall clock as ActiveSupport reads it, `time.utc`: the UTC fields of the stored Time. */
function wallText(value: RubyTimeWithZone, separator: string): string {
  return wallClockText(value.time.epochSeconds, separator);
}

/**
 * `utc.in_time_zone(timeZoneName)` for a zone that is `utcOffset` seconds east of UTC at that instant, as
 * ActiveSupport 6.1 in a fresh Ruby 3.1 process writes it: the wall-clock Time's zone links to the first
 * Time's "UTC" string. A `utc` that is not in UTC mode is converted to UTC first (ActiveSupport stores `utc.getutc`).
 */
export function rubyTimeWithZone(utc: RubyTime, timeZoneName: string, utcOffset: number): RubyTimeWithZone {
  if (!Number.isSafeInteger(utcOffset) || utcOffset <= -86400 || utcOffset >= 86400) {
    throw new RangeError(`utcOffset must be whole seconds between -86399 and 86399, got ${utcOffset}`);
  }
  const instant = utc.isUtc ? utc : rubyTimeFromExact(utc.epochSeconds, utc.subsecond);
  const time = rubyTimeFromExact(BigInt(instant.epochSeconds) + BigInt(utcOffset), instant.subsecond);
  const zone = getIvar(instant.ivars, 'zone');
  // Ruby's UTC Times share one interned "UTC" String: the wall clock's zone is a link to the first Time's.
  if (zone !== undefined) time.ivars = time.ivars!.map(([name, value]) => [name, name.name === 'zone' ? zone : value]);
  return new RubyTimeWithZone(new RubySymbol('ActiveSupport::TimeWithZone'), [instant, new RubyString(timeZoneName), time]);
}
