import { rubyTimeWithZoneToS } from '../marshal/classes/time-with-zone.js';
import { rubyTimeToS } from '../marshal/classes/time.js';
import type { RailsJsonFlavor } from './to-rails-json.js';
import { isRubyDate, isRubyDateTime, isRubyTime, isRubyTimeWithZone } from '../marshal/values/kind.js';

/**
 * The JSON string of Ruby's time classes (Time, TimeWithZone, DateTime, Date), or undefined for other values: their
 * `to_s` for `'json'`
 * (`"2023-11-14 22:13:20 UTC"`), ActiveSupport's `as_json` for `'multi_json'` (`xmlschema(3)`:
 * `"2023-11-14T22:13:20.123Z"`).
 */
export function rubyTimeJson(value: unknown, flavor: RailsJsonFlavor): string | undefined {
  if (isRubyTime(value)) return flavor === 'json' ? rubyTimeToS(value) : value.toISOString(3);
  if (isRubyTimeWithZone(value)) return flavor === 'json' ? rubyTimeWithZoneToS(value) : value.toISOString(3);
  // DateTime#to_s is iso8601 without a fraction; ActiveSupport's as_json is xmlschema(3). Date is "%Y-%m-%d" both ways.
  if (isRubyDateTime(value)) return value.toISOString(flavor === 'json' ? 0 : 3);
  if (isRubyDate(value)) return value.toISOString();
  return undefined;
}
