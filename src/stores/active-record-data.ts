// The `data` column of activerecord-session_store, for each of its serializers
// (../shared/reference/rails-session-formats.md §2.2).
import { fromRailsJson } from '../json/from-rails-json.js';
import { toRailsJson, type RailsJsonFlavor, type RailsJsonWarning } from '../json/to-rails-json.js';
import { dump } from '../marshal/dump.js';
import { load } from '../marshal/load.js';
import { RubyHash } from '../marshal/values/hash.js';
import { RubySymbol } from '../marshal/values/symbol.js';
import type { RubyValue } from '../marshal/values/value.js';
import { decode64, encode64 } from './base64.js';
import { wrapCodecError } from './errors.js';
import { DecodeActiveRecordDataOptionsSchema, EncodeActiveRecordDataOptionsSchema, parseOptions } from './schemas.js';
import { isRubyHash } from '../marshal/values/kind.js';

/**
 * activerecord-session_store's serializers: `'marshal'` (the default: Base64 of `Marshal.dump`), `'json'`
 * (`{"value": session}`), `'hybrid'` (reads both, writes JSON), `'null'` (the Hash as is, for a json/jsonb column;
 * ActiveRecord encodes it with ActiveSupport's JSON).
 */
export type ActiveRecordSerializer = 'marshal' | 'json' | 'hybrid' | 'null';

/** Options for `encodeActiveRecordData`. */
export interface EncodeActiveRecordDataOptions {
  /** The app's `ActiveRecord::SessionStore::Session.serializer`. Defaults to `'marshal'`, as the gem. */
  serializer?: ActiveRecordSerializer;
  /**
   * For `'json'` and `'hybrid'`: which JSON the gem writes, `'json'` (stdlib `JSON.dump`, gem >= 2.2) or
   * `'multi_json'` (`MultiJson.dump`, gem 1.0 to 2.1).
   * Defaults to `'json'`.
   */
  jsonFlavor?: RailsJsonFlavor;
  /**
   * Told of each lossy but deterministic conversion the gem's JSON makes (an object written as a Hash, NaN as
   * null; see `RailsJsonWarning`): the data is written as the gem writes it.
   * Defaults to undefined (not told).
   */
  onWarning?: (warning: RailsJsonWarning) => void;
}

/** Options for `decodeActiveRecordData`. */
export interface DecodeActiveRecordDataOptions {
  /**
   * The serializer that wrote the text, or `'auto'`: Base64 Marshal when it starts `BAh`/`BAg`, the JSON
   * serializer for a JSON object with a `"value"` key, else a `'null'`-serializer json column.
   * Defaults to `'auto'`.
   */
  serializer?: ActiveRecordSerializer | 'auto';
}

/**
 * The `data` text the gem's serializer writes for a session (`Session#serialize_data!`), following one rule: where
 * the gem writes data it can read back and that is the same on every run, these are its bytes; where Ruby raises
 * (`generator_error`), would write JSON its own `JSON.parse` rejects (a bare `NaN`: `unreadable_json`), or text
 * holding a memory address (`#<Foo:0x...>`: `unsupported_value`), the session fails with a `SessionError` naming
 * the path and the inner code. Lossy conversions the JSON makes (`'multi_json'`: an object becomes a Hash, NaN
 * becomes null) are written as Ruby writes them and reported to `onWarning`.
 */
export function encodeActiveRecordData(session: RubyValue, options?: EncodeActiveRecordDataOptions): string {
  return writeActiveRecordData(session, parseOptions(EncodeActiveRecordDataOptionsSchema, options, 'encodeActiveRecordData options'));
}

/** `encodeActiveRecordData` with options already validated (the batch calls this once per entry). */
export function writeActiveRecordData(session: RubyValue, options: EncodeActiveRecordDataOptions): string {
  const serializer = options.serializer ?? 'marshal';
  if (serializer === 'marshal') return encode64(dumpSession(session));
  if (serializer === 'null') return json(session, 'multi_json', options.onWarning);
  // JsonSerializer.dump(value) is JSON.dump(value: value): a Hash with the Symbol key :value.
  return json(new RubyHash([[new RubySymbol('value'), session]]), options.jsonFlavor ?? 'json', options.onWarning);
}

/**
 * The session a `data` text holds, as the gem's serializer reads it: Ruby's `unpack("m")` then `Marshal.load`, or
 * `JSON.parse(text).with_indifferent_access[:value]` (Hashes come back as `ActiveSupport::HashWithIndifferentAccess`).
 */
export function decodeActiveRecordData(text: string, options?: DecodeActiveRecordDataOptions): RubyValue {
  return readActiveRecordData(text, parseOptions(DecodeActiveRecordDataOptionsSchema, options, 'decodeActiveRecordData options'));
}

/** `decodeActiveRecordData` with options already validated. */
export function readActiveRecordData(text: string, options: DecodeActiveRecordDataOptions): RubyValue {
  const serializer = options.serializer ?? 'auto';
  switch (serializer) {
    case 'marshal':
      return loadMarshal(text);
    case 'json':
      return unwrapValue(parseJson(text, true));
    case 'hybrid':
      // HybridSerializer.needs_migration?: value.start_with?('BAh')
      return text.startsWith('BAh') ? loadMarshal(text) : unwrapValue(parseJson(text, true));
    case 'null':
      return parseJson(text, false);
    case 'auto': {
      if (text.startsWith('BAh') || text.startsWith('BAg')) return loadMarshal(text);
      const parsed = parseJson(text, true);
      if (isRubyHash(parsed) && parsed.has('value')) return unwrapValue(parsed);
      return parseJson(text, false);
    }
  }
}

function dumpSession(session: RubyValue): Uint8Array {
  try {
    return dump(session);
  } catch (error) {
    throw wrapCodecError(error, 'unsupported_value', 'Marshal');
  }
}

function json(value: RubyValue, flavor: RailsJsonFlavor, onWarning: ((warning: RailsJsonWarning) => void) | undefined): string {
  try {
    // JSON.dump writes NaN bare, which the gem's JSON.parse rejects: refused. ActiveSupport writes null: a warning.
    return toRailsJson(value, { flavor, nonFiniteFloats: flavor === 'json' ? 'error' : 'as-ruby', onWarning });
  } catch (error) {
    throw wrapCodecError(error, 'unsupported_value', `JSON (${flavor})`);
  }
}

function loadMarshal(text: string): RubyValue {
  try {
    return load(decode64(text));
  } catch (error) {
    throw wrapCodecError(error, 'invalid_payload', 'Base64 Marshal data');
  }
}

function parseJson(text: string, indifferentAccess: boolean): RubyValue {
  try {
    return fromRailsJson(text, { indifferentAccess });
  } catch (error) {
    throw wrapCodecError(error, 'invalid_json', 'JSON data');
  }
}

/** `hash.is_a?(Hash) ? hash.with_indifferent_access[:value] : hash` */
function unwrapValue(parsed: RubyValue): RubyValue {
  return isRubyHash(parsed) ? (parsed.get('value') ?? null) : parsed;
}
