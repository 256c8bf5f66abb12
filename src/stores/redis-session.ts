import { fromRailsJson } from '../json/from-rails-json.js';
import { toRailsJson } from '../json/to-rails-json.js';
import { dump } from '../marshal/dump.js';
import { load } from '../marshal/load.js';
import { decodeUtf8Strict, utf8Encode } from '../marshal/text.js';
import { RubyHash } from '../marshal/values/hash.js';
import type { RubyValue } from '../marshal/values/value.js';
import { SessionError, describeValue, wrapCodecError } from './errors.js';
import {
  ENTRY_CLASS,
  cutEntry61,
  decodeEntry70,
  encodeEntry61,
  encodeEntry70,
  encodeEntry71,
  loadEntryValue,
  readEntry61,
  readEntry71,
  type CacheEntrySource,
  type CacheEntryWriteOptions,
} from './rails-cache.js';
import { DecodeRedisSessionOptionsSchema, EncodeRedisValueOptionsSchema, parseOptions } from './schemas.js';
import { parseSessionKey, type SessionKey } from './session-key.js';
import { isRubyHash, isRubyObject } from '../marshal/values/kind.js';

/**
 * How a Redis value holds a session:
 * - `'marshal'`: `Marshal.dump(session)` (redis-store, redis-rack, redis-actionpack, redis-session-store's marshal
 *   serializer, and the marshal half of its hybrid one);
 * - `'json'`: `JSON.dump(session)` (redis-store's JSON serializer, redis-session-store's json serializer);
 * - `'cache-6.1'`, `'cache-7.0'`, `'cache-7.1'`: Rails' CacheStore over `Rails.cache`, in that cache format.
 */
export type RedisSessionFormat = 'marshal' | 'json' | 'cache-6.1' | 'cache-7.0' | 'cache-7.1';

/** Options for `decodeRedisSession`. */
export interface DecodeRedisSessionOptions {
  /** The value's format, or `'auto'` to tell it from the bytes. Defaults to `'auto'`. */
  format?: RedisSessionFormat | 'auto';
  /** The exact key prefix before the id (see `parseSessionKey`). Defaults to undefined (detect). */
  keyPrefix?: string;
  /**
   * The most bytes a compressed cache value may inflate to, checked while inflating (`decompression_failed`).
   * Defaults to 16,777,216 (16 MiB).
   */
  maxInflatedBytes?: number;
}

/** A Redis session, decoded. */
export interface DecodedRedisSession {
  key: SessionKey;
  format: RedisSessionFormat;
  /** The session Hash (lossless: Strings keep their encodings, integers their size). */
  session: RubyHash;
  /** Absolute expiry from a cache entry, seconds since the epoch; null when none is stored. */
  expiresAt: number | null;
  /** A cache entry's version; null when none. */
  version: RubyValue;
  /** True when the stored value was compressed. */
  compressed: boolean;
}

/**
 * A Redis key and value as a Rails session store wrote them -> the session Hash, with the format detected (or
 * given), the key taken apart, and a cache entry's expiry and version.
 */
export function decodeRedisSession(key: string, value: Uint8Array, options?: DecodeRedisSessionOptions): DecodedRedisSession {
  return readRedisSession(key, value, parseOptions(DecodeRedisSessionOptionsSchema, options, 'decodeRedisSession options'));
}

/** `decodeRedisSession` with options already validated (the batch calls this once per entry). */
export function readRedisSession(key: string, value: Uint8Array, options: DecodeRedisSessionOptions): DecodedRedisSession {
  return loadRedisSession(readRedisSource(key, value, options));
}

/**
 * A Redis value taken apart down to the session: either the session already read (JSON, an uncompressed 6.1
 * entry, a 7.0 entry), or, where the store keeps it as a Marshal payload of its own (a bare Marshal value, a
 * compressed 6.1 entry, a 7.1 Marshal value), those bytes not yet loaded, so that `toActiveRecordSession` can
 * prove them canonical and re-encode them without building the value.
 */
export interface RedisSessionSource {
  key: SessionKey;
  format: RedisSessionFormat;
  /** The decoded value, when `marshal` is undefined. */
  value: RubyValue | undefined;
  /** The session's own Marshal bytes, not yet loaded (and not yet known to hold a Hash). */
  marshal: Uint8Array | undefined;
  expiresAt: number | null;
  version: RubyValue;
  compressed: boolean;
  /** True when `marshal` is known to be what `dump` writes for its value (see `cutEntry61`). */
  canonical: boolean;
}

/**
 * `readRedisSession` up to the session's own bytes. With `cut` (for a caller that re-encodes the session, as
 * `toActiveRecordSession` with the Marshal serializer), an uncompressed 6.1 entry whose bytes are canonical has
 * its session cut out as its own bytes (`cutEntry61`) rather than loaded with the entry.
 */
export function readRedisSource(key: string, value: Uint8Array, options: DecodeRedisSessionOptions, cut = false): RedisSessionSource {
  const parsedKey = parseSessionKey(key, { prefix: options.keyPrefix });
  const format = options.format === undefined || options.format === 'auto' ? detectRedisFormat(value) : options.format;
  let entry: CacheEntrySource;
  switch (format) {
    case 'marshal':
      entry = { value: undefined, payload: value, expiresAt: null, version: null, compressed: false };
      break;
    case 'json':
      entry = { value: parseJson(value), payload: undefined, expiresAt: null, version: null, compressed: false };
      break;
    case 'cache-6.1':
      entry = (cut ? cutEntry61(value, options.maxInflatedBytes) : undefined) ?? readEntry61(value, options.maxInflatedBytes);
      break;
    case 'cache-7.0': {
      // Fields written out, not spread: see keyedResult in migrate.ts.
      const decoded = decodeEntry70(value, options.maxInflatedBytes);
      entry = { value: decoded.value, payload: undefined, expiresAt: decoded.expiresAt, version: decoded.version, compressed: decoded.compressed };
      break;
    }
    case 'cache-7.1':
      entry = readEntry71(value, options.maxInflatedBytes);
      break;
  }
  return {
    key: parsedKey,
    format,
    value: entry.value,
    marshal: entry.payload,
    expiresAt: entry.expiresAt,
    version: entry.version,
    compressed: entry.compressed,
    canonical: entry.canonical === true,
  };
}

/** The session of a source, loading its Marshal bytes when they are not loaded yet. */
export function loadRedisSession(source: RedisSessionSource): DecodedRedisSession {
  const { format } = source;
  let value: RubyValue;
  if (source.value !== undefined) {
    value = source.value;
  } else if (format === 'marshal') {
    value = loadMarshal(source.marshal!);
    if (isRubyObject(value) && value.className.name === ENTRY_CLASS) {
      throw new SessionError('invalid_payload', "the value is a 6.1 cache entry, not a bare session: pass format 'cache-6.1' or 'auto'");
    }
  } else {
    value = loadEntryValue({ value: undefined, payload: source.marshal, expiresAt: source.expiresAt, version: source.version, compressed: source.compressed }, format === 'cache-6.1' ? 'compressed 6.1 entry value' : 'cache value (7.1)').value;
  }
  if (!isRubyHash(value)) {
    throw new SessionError('not_a_session', `the ${format} value holds ${describeValue(value)}, not a session Hash`);
  }
  return { key: source.key, format, session: value, expiresAt: source.expiresAt, version: source.version, compressed: source.compressed };
}

/**
 * The format of a Redis session value, from its first bytes. Throws `unknown_format` with what the bytes look
 * like for anything no supported store writes.
 */
export function detectRedisFormat(value: Uint8Array): RedisSessionFormat {
  const [a, b] = value;
  if (a === 0x04 && b === 0x08) {
    // A bare Marshal'd Hash starts `{` (or `}`, `C`, `I`...); a 6.1 cache entry is an object `o:` + its class.
    return value[2] === 0x6f && startsWithEntryClass(value) ? 'cache-6.1' : 'marshal';
  }
  if (a === 0x00 && b === 0x11) return 'cache-7.1';
  if (a === 0x00 && b === 0x04 && value[2] === 0x08) return 'cache-7.0';
  if (a === 0x01 && b === 0x78) return 'cache-7.0';
  if (a === 0x7b) return 'json';
  throw new SessionError('unknown_format', `a Redis value that ${describeStart(value)}`);
}

/** Options for `encodeRedisValue`. */
export interface EncodeRedisValueOptions extends CacheEntryWriteOptions {
  /** The format to write. Defaults to `'marshal'`. */
  format?: RedisSessionFormat;
}

/** A session as the given store format writes it (the inverse of `decodeRedisSession`'s value half). */
export function encodeRedisValue(session: RubyValue, options?: EncodeRedisValueOptions): Uint8Array {
  return writeRedisValue(session, parseOptions(EncodeRedisValueOptionsSchema, options, 'encodeRedisValue options'));
}

/** `encodeRedisValue` with options already validated. */
export function writeRedisValue(session: RubyValue, options?: EncodeRedisValueOptions): Uint8Array {
  switch (options?.format ?? 'marshal') {
    case 'marshal':
      return dump(session);
    case 'json':
      return utf8Encode(toJson(session));
    case 'cache-6.1':
      return encodeEntry61(session, options);
    case 'cache-7.0':
      return encodeEntry70(session, options);
    case 'cache-7.1':
      return encodeEntry71(session, options);
  }
}

function startsWithEntryClass(value: Uint8Array): boolean {
  // `o` `:` <length 0x20 = 27> "ActiveSupport::Cache::Entry"
  if (value[3] !== 0x3a || value[4] !== ENTRY_CLASS.length + 5) return false;
  for (let i = 0; i < ENTRY_CLASS.length; i++) if (value[5 + i] !== ENTRY_CLASS.charCodeAt(i)) return false;
  return true;
}

function loadMarshal(bytes: Uint8Array): RubyValue {
  try {
    return load(bytes);
  } catch (error) {
    throw wrapCodecError(error, 'invalid_payload', 'Marshal');
  }
}

function parseJson(bytes: Uint8Array): RubyValue {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new SessionError('invalid_json', 'a JSON session that is not valid UTF-8');
  try {
    return fromRailsJson(text, { indifferentAccess: false });
  } catch (error) {
    throw wrapCodecError(error, 'invalid_json', 'JSON session');
  }
}

function toJson(session: RubyValue): string {
  try {
    return toRailsJson(session, { flavor: 'json', nonFiniteFloats: 'error' });
  } catch (error) {
    throw wrapCodecError(error, 'unsupported_value', 'JSON session');
  }
}

/** What the first bytes look like, without showing any of the session. */
function describeStart(value: Uint8Array): string {
  if (value.length === 0) return 'is empty';
  const first = value[0]!;
  const shown = first >= 0x20 && first < 0x7f ? ` ('${String.fromCharCode(first)}')` : '';
  const hint =
    first === 0x5b ? ": a JSON array? sessions are objects"
    : first === 0x78 ? ': a zlib stream without a Rails cache header?'
    : first === 0x42 && value[1] === 0x41 ? ": Base64 text? decode it first (an ActiveRecord data column: decodeActiveRecordData)"
    : first === 0xcc && value[1] === 0x80 ? ': ActiveSupport::MessagePack, which is not supported'
    : '';
  return `starts with 0x${first.toString(16).padStart(2, '0')}${shown}${hint}`;
}
