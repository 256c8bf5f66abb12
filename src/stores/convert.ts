import type { RubyHash } from '../marshal/values/hash.js';
import type { RubyValue } from '../marshal/values/value.js';
import { readActiveRecordData, writeActiveRecordData, type ActiveRecordSerializer } from './active-record-data.js';
import { utf8ByteLength } from '../marshal/text.js';
import { SessionError } from './errors.js';
import { loadRedisSession, readRedisSource, writeRedisValue, type RedisSessionFormat, type RedisSessionSource } from './redis-session.js';
import { isCanonical } from '../marshal/canonical-scan.js';
import { encode64 } from './base64.js';
import type { RailsJsonFlavor, RailsJsonWarning } from '../json/to-rails-json.js';
import {
  FromActiveRecordSessionOptionsSchema,
  ToActiveRecordSessionOptionsSchema,
  ToRedisSessionOptionsSchema,
  parseOptions,
  type ActiveRecordSessionRow,
} from './schemas.js';
import { privateSessionId, redactKey, type SessionKey } from './session-key.js';

/** A Redis entry: the key and the raw value bytes (read binary-safe). */
export interface RedisEntry {
  key: string;
  value: Uint8Array;
}

/** A session already decoded, with its id (public or `2::` private). */
export interface IdentifiedSession {
  id: string;
  session: RubyValue;
}

/** Options for `toActiveRecordSession` (validated with `ToActiveRecordSessionOptionsSchema`). */
export interface ToActiveRecordSessionOptions {
  /** The app's activerecord-session_store serializer. Defaults to `'marshal'`, as the gem. */
  serializer?: ActiveRecordSerializer;
  /** For the JSON serializers: `'json'` (gem >= 2.2) or `'multi_json'` (gem 1.0 to 2.1). Defaults to `'json'`. */
  jsonFlavor?: RailsJsonFlavor;
  /**
   * Which id the row is keyed by: `'private'` (`2::<sha256>`, what gem >= 2.0 looks up) or `'public'` (gem 1.x;
   * fails with `public_id_unavailable` when only the private id is known).
   * Defaults to `'private'`.
   */
  sessionId?: 'private' | 'public';
  /** The `data` column's size in bytes (65535 for MySQL TEXT); longer data fails with `column_limit_exceeded`. Defaults to no limit. */
  columnLimit?: number;
  /** The Redis value's format, or `'auto'` to tell it from the bytes. Defaults to `'auto'`. */
  format?: RedisSessionFormat | 'auto';
  /** The exact key prefix before the id (see `parseSessionKey`). Defaults to undefined (detect). */
  keyPrefix?: string;
  /** The most bytes a compressed cache value may inflate to (see `decodeRedisSession`). Defaults to 16 MiB. */
  maxInflatedBytes?: number;
  /** Told of each lossy but deterministic JSON conversion (see `encodeActiveRecordData`). Defaults to undefined (not told). */
  onWarning?: (warning: RailsJsonWarning) => void;
}

/** Options for `fromActiveRecordSession`. */
export interface FromActiveRecordSessionOptions {
  /** The serializer that wrote `data`, or `'auto'` to tell it from the text. Defaults to `'auto'`. */
  serializer?: ActiveRecordSerializer | 'auto';
}

/** Options for `toRedisSession`. */
export interface ToRedisSessionOptions {
  /** The session id: the public id (the cookie value) or the `2::` private id. Required. */
  id: string;
  /** The key prefix. Defaults to `'session:'` (redis-actionpack's `redis://…/0/session`); `'_session_id:'` for Rails' CacheStore. */
  prefix?: string;
  /** `'private'` keys by the private id, as redis-rack >= 2.1 and Rails >= 5.2.4.1 write; `'public'` for older stores. Defaults to `'private'`. */
  sessionId?: 'private' | 'public';
  /** The value's format. Defaults to `'marshal'`. */
  format?: RedisSessionFormat;
  /** Cache formats: compress values from `compressThreshold` bytes when it makes them smaller. Defaults to true. */
  compress?: boolean;
  /** Cache formats: bytes from which values are compressed. Defaults to 1024. */
  compressThreshold?: number;
  /** Cache formats: absolute expiry, seconds since the epoch. Defaults to null (none). */
  expiresAt?: number | null;
  /** Cache formats: the entry version. Defaults to null. */
  version?: string | null;
}

/**
 * A Redis session (key and value as a Rails store wrote them) or a decoded session -> the row
 * activerecord-session_store reads: `{ session_id, data }`.
 *
 * Options (each optional):
 * - `serializer`: the gem's serializer, `'marshal'` (default), `'json'`, `'hybrid'` or `'null'`;
 * - `jsonFlavor`: `'json'` (default; gem >= 2.2) or `'multi_json'` (gem 1.0 to 2.1);
 * - `sessionId`: `'private'` (default; the `2::<sha256>` id gem >= 2.0 looks rows up by) or `'public'` (gem 1.x;
 *   fails with `public_id_unavailable` when the key holds only the private id);
 * - `columnLimit`: the `data` column's size in bytes (65535 for MySQL TEXT); a longer `data` fails with
 *   `column_limit_exceeded` before anything is written;
 * - `format`, `keyPrefix`: as for `decodeRedisSession`.
 */
export function toActiveRecordSession(input: RedisEntry | IdentifiedSession, options?: ToActiveRecordSessionOptions): ActiveRecordSessionRow {
  return convertToRow(input, parseOptions(ToActiveRecordSessionOptionsSchema, options, 'toActiveRecordSession options'));
}

/** `toActiveRecordSession` with options already validated (the batch calls this once per entry). */
export function convertToRow(input: RedisEntry | IdentifiedSession, options: ToActiveRecordSessionOptions): ActiveRecordSessionRow {
  if ('key' in input) {
    const reading = { format: options.format, keyPrefix: options.keyPrefix, maxInflatedBytes: options.maxInflatedBytes };
    const source = readRedisSource(input.key, input.value, reading, (options.serializer ?? 'marshal') === 'marshal');
    return rowFromSource(source, undefined, options);
  }
  const isPrivate = /^\d+::/.test(input.id);
  const privateId = isPrivate ? input.id : privateSessionId(input.id);
  const sessionId = rowSessionId(isPrivate ? null : input.id, privateId, 'the session', options);
  return finishRow(sessionId, writeActiveRecordData(input.session, options), 'the session', options);
}

/**
 * The row for a Redis value taken apart (see `readRedisSource`). With the Marshal serializer, a session whose own
 * Marshal bytes are already what `dump(load(bytes))` writes is re-encoded from those bytes, without building the
 * value (`isCanonical`); anything else is loaded and dumped. Both give the same row, byte for byte. `label` is
 * what an error calls the session; undefined for its key, redacted.
 */
export function rowFromSource(source: RedisSessionSource, label: string | undefined, options: ToActiveRecordSessionOptions): ActiveRecordSessionRow {
  const marshal = source.marshal;
  const fast = (options.serializer ?? 'marshal') === 'marshal' && marshal !== undefined && (source.canonical || isCanonicalSession(marshal));
  const session = fast ? undefined : loadRedisSession(source).session;
  // The label (by default the key, redacted) is only written into an error: made when one is thrown.
  const named = label ?? source.key;
  const sessionId = rowSessionId(source.key.publicId, source.key.privateId, named, options);
  const data = session === undefined ? encode64(marshal!) : writeActiveRecordData(session, options);
  return finishRow(sessionId, data, named, options);
}

/** What an error calls the session: a label, or its key redacted. */
function labelText(label: string | SessionKey): string {
  return typeof label === 'string' ? label : redactKey(label.key);
}

/** Canonical Marshal bytes of a Hash (plain, or a `C` Hash subclass: the scan lets `C` wrap nothing else). */
function isCanonicalSession(bytes: Uint8Array): boolean {
  const top = bytes[2];
  return (top === 0x7b || top === 0x7d || top === 0x43) && isCanonical(bytes);
}

function rowSessionId(publicId: string | null, privateId: string, label: string | SessionKey, options: ToActiveRecordSessionOptions): string {
  if (options.sessionId !== 'public') return privateId;
  if (publicId === null) {
    throw new SessionError('public_id_unavailable', `${labelText(label)} holds only the private id; activerecord-session_store 1.x rows need the public id, which cannot be derived from it`);
  }
  return publicId;
}

function finishRow(sessionId: string, data: string, label: string | SessionKey, options: ToActiveRecordSessionOptions): ActiveRecordSessionRow {
  if (options.columnLimit !== undefined) {
    const size = utf8ByteLength(data);
    if (size > options.columnLimit) {
      throw new SessionError('column_limit_exceeded', `data for ${labelText(label)} is ${size} bytes, over the column limit of ${options.columnLimit}`);
    }
  }
  return { session_id: sessionId, data };
}

/** A row of the gem's table, read back. */
export interface ActiveRecordSession {
  /** The row's session id. */
  sessionId: string;
  /** `'private'` for a `2::` id, else `'public'`. */
  idKind: 'public' | 'private';
  /** The session, as the gem's serializer reads it. */
  session: RubyValue;
}

/** A row of the gem's `sessions` table -> its session, as the gem reads it (`serializer` defaults to `'auto'`). */
export function fromActiveRecordSession(row: ActiveRecordSessionRow, options?: FromActiveRecordSessionOptions): ActiveRecordSession {
  const parsed = parseOptions(FromActiveRecordSessionOptionsSchema, options, 'fromActiveRecordSession options');
  return {
    sessionId: row.session_id,
    idKind: /^\d+::/.test(row.session_id) ? 'private' : 'public',
    session: readActiveRecordData(row.data, { serializer: parsed.serializer }),
  };
}

/**
 * A session -> the Redis key and value a Rails store would hold for it, to roll a migration back.
 *
 * Options: `id` (required: the public id, or the `2::` private id), `prefix` (the key prefix, default
 * `'session:'`, as redis-actionpack's `redis://…/0/session`; `'_session_id:'` for Rails' CacheStore), `sessionId`
 * (`'private'`, the default, keys by the private id as redis-rack >= 2.1 and Rails >= 5.2.4.1 write; `'public'` for
 * older stores), `format` (default `'marshal'`) and, for the cache formats, `compress`, `compressThreshold`,
 * `expiresAt`, `version`.
 */
export function toRedisSession(session: RubyHash | RubyValue, options: ToRedisSessionOptions): RedisEntry {
  const parsed = parseOptions(ToRedisSessionOptionsSchema, options, 'toRedisSession options');
  const isPrivate = /^\d+::/.test(parsed.id);
  let id = isPrivate ? parsed.id : privateSessionId(parsed.id);
  if (parsed.sessionId === 'public') {
    if (isPrivate) throw new SessionError('public_id_unavailable', 'a public-id key was asked for, but only the private id was given');
    id = parsed.id;
  }
  const format: RedisSessionFormat = parsed.format ?? 'marshal';
  return {
    key: `${parsed.prefix ?? 'session:'}${id}`,
    value: writeRedisValue(session, {
      format,
      compress: parsed.compress,
      compressThreshold: parsed.compressThreshold,
      expiresAt: parsed.expiresAt,
      version: parsed.version,
    }),
  };
}
