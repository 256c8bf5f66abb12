import type { RailsJsonFlavor } from './to-rails-json.js';

/**
 * The JSON string of Ruby's time classes (Time, ActiveSupport::TimeWithZone, Date, DateTime), or undefined for
 * other values: their `to_s` for `'json'`, their ActiveSupport `as_json` for `'multi_json'`.
 */
export function rubyTimeJson(value: unknown, flavor: RailsJsonFlavor): string | undefined {
  void value;
  void flavor;
  return undefined;
}
