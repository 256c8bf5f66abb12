/**
 * `rails-session-codec`: Rails sessions in and out of Redis and ActiveRecord::SessionStore, on an exact Ruby
 * Marshal codec. The codec alone is `rails-session-codec/marshal`.
 * @module
 */
export * from './marshal/index.js';

// Ruby values <-> Rails JSON
export { toRailsJson, type ToRailsJsonOptions, type RailsJsonFlavor, type RailsJsonWarning, type RailsJsonWarningCode } from './json/to-rails-json.js';
export { fromRailsJson, type FromRailsJsonOptions } from './json/from-rails-json.js';
export { RailsJsonError, isRailsJsonError, type RailsJsonErrorCode } from './json/rails-json-error.js';

// Session stores
export { SessionError, isSessionError, type SessionErrorCode } from './stores/errors.js';
export { parseSessionKey, privateSessionId, redactKey, type SessionKey, type ParseSessionKeyOptions } from './stores/session-key.js';
export {
  decodeRedisSession,
  detectRedisFormat,
  encodeRedisValue,
  type DecodeRedisSessionOptions,
  type DecodedRedisSession,
  type EncodeRedisValueOptions,
  type RedisSessionFormat,
} from './stores/redis-session.js';
export { DEFAULT_MAX_INFLATED_BYTES, decodeEntry61, decodeEntry70, decodeEntry71, encodeEntry61, encodeEntry70, encodeEntry71, type CacheEntry, type CacheEntryWriteOptions } from './stores/rails-cache.js';
export {
  encodeActiveRecordData,
  decodeActiveRecordData,
  type ActiveRecordSerializer,
  type EncodeActiveRecordDataOptions,
  type DecodeActiveRecordDataOptions,
} from './stores/active-record-data.js';
export {
  toActiveRecordSession,
  fromActiveRecordSession,
  toRedisSession,
  type RedisEntry,
  type IdentifiedSession,
  type ActiveRecordSession,
  type ToActiveRecordSessionOptions,
  type FromActiveRecordSessionOptions,
  type ToRedisSessionOptions,
} from './stores/convert.js';
export { migrateSessions, type MigrateSessionsOptions, type MigrationOutcome, type MigrationSummary, type MigrationEntry } from './stores/migrate.js';
export {
  ActiveRecordSessionRowSchema,
  RailsSessionSchema,
  ParseSessionKeyOptionsSchema,
  DecodeRedisSessionOptionsSchema,
  EncodeActiveRecordDataOptionsSchema,
  DecodeActiveRecordDataOptionsSchema,
  ToActiveRecordSessionOptionsSchema,
  FromActiveRecordSessionOptionsSchema,
  ToRedisSessionOptionsSchema,
  MigrateSessionsOptionsSchema,
  type ActiveRecordSessionRow,
} from './stores/schemas.js';
export { encode64, decode64 } from './stores/base64.js';
