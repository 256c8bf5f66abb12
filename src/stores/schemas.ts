import { z } from 'zod';
import type { RailsJsonWarning } from '../json/to-rails-json.js';
import type { DecodeActiveRecordDataOptions, EncodeActiveRecordDataOptions } from './active-record-data.js';
import type { FromActiveRecordSessionOptions, ToActiveRecordSessionOptions, ToRedisSessionOptions } from './convert.js';
import { SessionError } from './errors.js';
import type { MigrateSessionsOptions } from './migrate.js';
import type { DecodeRedisSessionOptions, EncodeRedisValueOptions } from './redis-session.js';
import type { ParseSessionKeyOptions } from './session-key.js';

/** A row of activerecord-session_store's `sessions` table, as this package writes it. */
export const ActiveRecordSessionRowSchema = /* @__PURE__ */ z.object({
  /** The session id the gem looks rows up by: `2::<sha256>` (gem >= 2.0) or the public id (gem 1.x). */
  session_id: z.string().min(1),
  /** The `data` column text. */
  data: z.string(),
});
export type ActiveRecordSessionRow = z.infer<typeof ActiveRecordSessionRowSchema>;

const redisFormat = z.enum(['marshal', 'json', 'cache-6.1', 'cache-7.0', 'cache-7.1']);
const serializer = z.enum(['marshal', 'json', 'hybrid', 'null']);
const jsonFlavor = z.enum(['json', 'multi_json']);

export const ParseSessionKeyOptionsSchema = /* @__PURE__ */ z.strictObject({ prefix: z.string().optional() }) satisfies z.ZodType<ParseSessionKeyOptions>;

export const DecodeRedisSessionOptionsSchema = /* @__PURE__ */ z.strictObject({
  format: z.union([redisFormat, z.literal('auto')]).optional(),
  keyPrefix: z.string().optional(),
  maxInflatedBytes: z.number().int().positive().optional(),
}) satisfies z.ZodType<DecodeRedisSessionOptions>;

export const EncodeRedisValueOptionsSchema = /* @__PURE__ */ z.strictObject({
  format: redisFormat.optional(),
  compress: z.boolean().optional(),
  compressThreshold: z.number().int().nonnegative().optional(),
  expiresAt: z.number().nullable().optional(),
  version: z.string().nullable().optional(),
}) satisfies z.ZodType<EncodeRedisValueOptions>;

const onWarning = /* @__PURE__ */ z.custom<(warning: RailsJsonWarning) => void>((value) => typeof value === 'function', 'a function');

export const EncodeActiveRecordDataOptionsSchema = /* @__PURE__ */ z.strictObject({
  serializer: serializer.optional(),
  jsonFlavor: jsonFlavor.optional(),
  onWarning: onWarning.optional(),
}) satisfies z.ZodType<EncodeActiveRecordDataOptions>;

export const DecodeActiveRecordDataOptionsSchema = /* @__PURE__ */ z.strictObject({
  serializer: z.union([serializer, z.literal('auto')]).optional(),
}) satisfies z.ZodType<DecodeActiveRecordDataOptions>;

export const ToActiveRecordSessionOptionsSchema = /* @__PURE__ */ z.strictObject({
  format: z.union([redisFormat, z.literal('auto')]).optional(),
  keyPrefix: z.string().optional(),
  serializer: serializer.optional(),
  jsonFlavor: jsonFlavor.optional(),
  sessionId: z.enum(['private', 'public']).optional(),
  columnLimit: z.number().int().positive().optional(),
  maxInflatedBytes: z.number().int().positive().optional(),
  onWarning: onWarning.optional(),
}) satisfies z.ZodType<ToActiveRecordSessionOptions>;

export const FromActiveRecordSessionOptionsSchema = /* @__PURE__ */ z.strictObject({
  serializer: z.union([serializer, z.literal('auto')]).optional(),
}) satisfies z.ZodType<FromActiveRecordSessionOptions>;

export const ToRedisSessionOptionsSchema = /* @__PURE__ */ z.strictObject({
  id: z.string().min(1),
  format: redisFormat.optional(),
  prefix: z.string().optional(),
  sessionId: z.enum(['private', 'public']).optional(),
  compress: z.boolean().optional(),
  compressThreshold: z.number().int().nonnegative().optional(),
  expiresAt: z.number().nullable().optional(),
  version: z.string().nullable().optional(),
}) satisfies z.ZodType<ToRedisSessionOptions>;

export const MigrateSessionsOptionsSchema = /* @__PURE__ */ ToActiveRecordSessionOptionsSchema.extend({
  now: z.number().optional(),
  dedupe: z.boolean().optional(),
}) satisfies z.ZodType<MigrateSessionsOptions>;

/**
 * `[[id, ...], salt]` (Devise >= 2.2.4), `["ClassName", [id, ...], salt]` (Devise 1.4 to 2.2.3), or a bare id
 * (plain Warden with a `serialize_into_session { |user| user.id }`).
 */
const WardenUserKeySchema = z.union([
  z.union([z.number(), z.bigint(), z.string()]),
  z.tuple([z.array(z.union([z.number(), z.bigint(), z.string()])), z.string().nullable()]),
  z.tuple([z.string(), z.array(z.union([z.number(), z.bigint(), z.string()])), z.string().nullable()]),
]);

const FlashSchema = z.object({
  discard: z.array(z.string()),
  flashes: z.record(z.string(), z.unknown()),
});

/** The schema a well-known Rails session key's value must fit, or undefined for other keys. */
function wellKnownKeySchema(key: string): z.ZodType | undefined {
  if (key === '_csrf_token') return z.string().regex(/^[A-Za-z0-9+/_=-]+$/, 'a Base64 CSRF token');
  if (key === 'session_id') return z.string();
  if (key === 'flash') return FlashSchema;
  if (/^warden\.user\.[^.]+\.key$/.test(key)) return WardenUserKeySchema;
  if (/^warden\.user\.[^.]+\.session$/.test(key)) return z.record(z.string(), z.unknown());
  return undefined;
}

/**
 * The well-known keys of a Rails session, in its plain view (`toPlain`): `_csrf_token` (Base64 text), `flash`
 * (`{discard, flashes}`, Rails 4.1+), `session_id`, `warden.user.<scope>.key` (Devise's serialized user) and
 * `warden.user.<scope>.session` (a Hash). Other keys pass unchecked; every key that does not fit is reported, each
 * issue with its path.
 */
export const RailsSessionSchema = /* @__PURE__ */ z.record(z.string(), z.unknown()).superRefine((session, context) => {
  for (const [key, value] of Object.entries(session)) {
    const result = wellKnownKeySchema(key)?.safeParse(value);
    if (result === undefined || result.success) continue;
    for (const issue of result.error.issues) context.addIssue({ ...issue, path: [key, ...issue.path] } as never);
  }
});

/** Validates options against their schema; a bad option is a SessionError with zod's path-precise message. */
export function parseOptions<T>(schema: z.ZodType<T>, options: unknown, what: string): T {
  const result = schema.safeParse(options ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(options)'}: ${issue.message}`);
  throw new SessionError('invalid_options', `${what}: ${issues.join('; ')}`, { cause: result.error });
}
