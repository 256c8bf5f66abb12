import * as z from 'zod/mini';
import type { RailsJsonWarning } from '../json/to-rails-json.js';
import type { DecodeActiveRecordDataOptions, EncodeActiveRecordDataOptions } from './active-record-data.js';
import type { FromActiveRecordSessionOptions, ToActiveRecordSessionOptions, ToRedisSessionOptions } from './convert.js';
import { SessionError } from './errors.js';
import type { MigrateSessionsOptions } from './migrate.js';
import type { DecodeRedisSessionOptions, EncodeRedisValueOptions } from './redis-session.js';
import type { ParseSessionKeyOptions } from './session-key.js';

/**
 * Builds a module-level schema in a call marked pure, so that a bundler drops the schemas an app does not use. The mark
 * covers only the call it stands before: on `z.strictObject({ a: z.optional(z.string()) })` the inner calls stay
 * unmarked, which kept every schema here, and the zod code each one needs, in every bundle (3.3 KB gzipped of
 * `toActiveRecordSession`'s). Node builds them all at load, as before.
 */
function built<T>(build: () => T): T {
  return build();
}

/**
 * The message of a bad option, from zod's issue: what was expected and the type given, never the value (an option
 * may hold a secret). zod/mini loads no messages (a global `z.config` would change the app's zod too), and zod's
 * English table would add 1 KB gzipped to every bundle.
 */
function optionMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'an array' : typeof issue.input}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      return `expected ${issue.origin === 'string' ? 'a length ' : 'a number '}${small ? '>' : '<'}${issue.inclusive === true ? '=' : ''} ${String(bound)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    default:
      return 'not a value this option takes';
  }
}
const PARSE_CONTEXT = { error: optionMessage };

/** A row of activerecord-session_store's `sessions` table, as this package writes it. */
export const ActiveRecordSessionRowSchema = /* @__PURE__ */ built(() => z.object({
  /** The session id the gem looks rows up by: `2::<sha256>` (gem >= 2.0) or the public id (gem 1.x). */
  session_id: z.string().check(z.minLength(1)),
  /** The `data` column text. */
  data: z.string(),
}));
export type ActiveRecordSessionRow = z.infer<typeof ActiveRecordSessionRowSchema>;

const redisFormat = /* @__PURE__ */ built(() => z.enum(['marshal', 'json', 'cache-6.1', 'cache-7.0', 'cache-7.1']));
const serializer = /* @__PURE__ */ built(() => z.enum(['marshal', 'json', 'hybrid', 'null']));
const jsonFlavor = /* @__PURE__ */ built(() => z.enum(['json', 'multi_json']));
const onWarning = /* @__PURE__ */ built(() => z.custom<(warning: RailsJsonWarning) => void>((value) => typeof value === 'function', 'a function'));

export const ParseSessionKeyOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({ prefix: z.optional(z.string()) }) satisfies z.ZodMiniType<ParseSessionKeyOptions>);

export const DecodeRedisSessionOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  format: z.optional(z.union([redisFormat, z.literal('auto')])),
  keyPrefix: z.optional(z.string()),
  maxInflatedBytes: z.optional(z.int().check(z.positive())),
}) satisfies z.ZodMiniType<DecodeRedisSessionOptions>);

export const EncodeRedisValueOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  format: z.optional(redisFormat),
  compress: z.optional(z.boolean()),
  compressThreshold: z.optional(z.int().check(z.nonnegative())),
  expiresAt: z.optional(z.nullable(z.number())),
  version: z.optional(z.nullable(z.string())),
}) satisfies z.ZodMiniType<EncodeRedisValueOptions>);

export const EncodeActiveRecordDataOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  serializer: z.optional(serializer),
  jsonFlavor: z.optional(jsonFlavor),
  onWarning: z.optional(onWarning),
}) satisfies z.ZodMiniType<EncodeActiveRecordDataOptions>);

export const DecodeActiveRecordDataOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  serializer: z.optional(z.union([serializer, z.literal('auto')])),
}) satisfies z.ZodMiniType<DecodeActiveRecordDataOptions>);

export const ToActiveRecordSessionOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  format: z.optional(z.union([redisFormat, z.literal('auto')])),
  keyPrefix: z.optional(z.string()),
  serializer: z.optional(serializer),
  jsonFlavor: z.optional(jsonFlavor),
  sessionId: z.optional(z.enum(['private', 'public'])),
  columnLimit: z.optional(z.int().check(z.positive())),
  maxInflatedBytes: z.optional(z.int().check(z.positive())),
  onWarning: z.optional(onWarning),
}) satisfies z.ZodMiniType<ToActiveRecordSessionOptions>);

export const FromActiveRecordSessionOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  serializer: z.optional(z.union([serializer, z.literal('auto')])),
}) satisfies z.ZodMiniType<FromActiveRecordSessionOptions>);

export const ToRedisSessionOptionsSchema = /* @__PURE__ */ built(() => z.strictObject({
  id: z.string().check(z.minLength(1)),
  format: z.optional(redisFormat),
  prefix: z.optional(z.string()),
  sessionId: z.optional(z.enum(['private', 'public'])),
  compress: z.optional(z.boolean()),
  compressThreshold: z.optional(z.int().check(z.nonnegative())),
  expiresAt: z.optional(z.nullable(z.number())),
  version: z.optional(z.nullable(z.string())),
}) satisfies z.ZodMiniType<ToRedisSessionOptions>);

export const MigrateSessionsOptionsSchema = /* @__PURE__ */ built(() => z.extend(ToActiveRecordSessionOptionsSchema, {
  now: z.optional(z.number()),
  dedupe: z.optional(z.boolean()),
}) satisfies z.ZodMiniType<MigrateSessionsOptions>);

/**
 * `[[id, ...], salt]` (Devise >= 2.2.4), `["ClassName", [id, ...], salt]` (Devise 1.4 to 2.2.3), or a bare id
 * (plain Warden with a `serialize_into_session { |user| user.id }`).
 */
const WardenUserKeySchema = /* @__PURE__ */ built(() => z.union([
  z.union([z.number(), z.bigint(), z.string()]),
  z.tuple([z.array(z.union([z.number(), z.bigint(), z.string()])), z.nullable(z.string())]),
  z.tuple([z.string(), z.array(z.union([z.number(), z.bigint(), z.string()])), z.nullable(z.string())]),
]));

const FlashSchema = /* @__PURE__ */ built(() => z.object({
  discard: z.array(z.string()),
  flashes: z.record(z.string(), z.unknown()),
}));

/** The schema a well-known Rails session key's value must fit, or undefined for other keys. */
function wellKnownKeySchema(key: string): z.ZodMiniType | undefined {
  if (key === '_csrf_token') return z.string().check(z.regex(/^[A-Za-z0-9+/_=-]+$/, 'a Base64 CSRF token'));
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
export const RailsSessionSchema = /* @__PURE__ */ built(() => z.record(z.string(), z.unknown()).check(
  z.superRefine((session, context) => {
    for (const [key, value] of Object.entries(session)) {
      const result = wellKnownKeySchema(key)?.safeParse(value, PARSE_CONTEXT);
      if (result === undefined || result.success) continue;
      for (const issue of result.error.issues) context.addIssue({ ...issue, path: [key, ...issue.path] } as never);
    }
  }),
));

/** What each schema made of no options at all, frozen (see `parseOptions`). */
const DEFAULTS_BY_SCHEMA = /* @__PURE__ */ new WeakMap<object, unknown>();

/** Validates options against their schema; a bad option is a SessionError naming each bad option's path and what it takes. */
export function parseOptions<T>(schema: z.ZodMiniType<T>, options: unknown, what: string): T {
  if (options === undefined) {
    const defaults = DEFAULTS_BY_SCHEMA.get(schema);
    if (defaults !== undefined) return defaults as T;
  }
  const result = schema.safeParse(options ?? {}, PARSE_CONTEXT);
  if (result.success) {
    // A call without options (the common case, once per session in a loop) parses `{}` once per schema.
    if (options === undefined) DEFAULTS_BY_SCHEMA.set(schema, Object.freeze(result.data));
    return result.data;
  }
  const issues = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(options)'}: ${issue.message}`);
  throw new SessionError('invalid_options', `${what}: ${issues.join('; ')}`, { cause: result.error });
}
