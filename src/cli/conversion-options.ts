import type { MigrateSessionsOptions } from '../stores/migrate.js';
import { UsageError, oneOf, positiveInteger } from './usage.js';

/** The options `convert` and `migrate` both take to turn a Redis session into a row, as `parseArgs` declares them. */
export const CONVERSION_OPTIONS = {
  table: { type: 'string' },
  serializer: { type: 'string' },
  'json-flavor': { type: 'string' },
  'session-id': { type: 'string' },
  'column-limit': { type: 'string' },
  'key-prefix': { type: 'string' },
  rejects: { type: 'string' },
} as const;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
const SERIALIZERS = ['marshal', 'json', 'hybrid', 'null'] as const;
const JSON_FLAVORS = ['json', 'multi_json'] as const;
const SESSION_IDS = ['private', 'public'] as const;

/** The values of `CONVERSION_OPTIONS` as `parseArgs` gives them. */
type ConversionValues = Partial<Record<keyof typeof CONVERSION_OPTIONS, string>>;

/**
 * `--serializer`, `--json-flavor`, `--session-id`, `--column-limit` and `--key-prefix` as `migrateSessions`
 * options (usage errors named after `command`), with `now` and `dedupe` as the command decides them.
 */
export function conversionOptions(command: string, values: ConversionValues, extra: { now: number; dedupe: boolean }): MigrateSessionsOptions {
  return {
    serializer: oneOf(command, 'serializer', values.serializer, SERIALIZERS, 'marshal'),
    jsonFlavor: oneOf(command, 'json-flavor', values['json-flavor'], JSON_FLAVORS, 'json'),
    sessionId: oneOf(command, 'session-id', values['session-id'], SESSION_IDS, 'private'),
    columnLimit: positiveInteger(command, 'column-limit', values['column-limit']),
    keyPrefix: values['key-prefix'],
    now: extra.now,
    dedupe: extra.dedupe,
  };
}

/** `--table` (default `sessions`): a table name, or `schema.table`. */
export function tableName(command: string, value: string | undefined): string {
  const table = value ?? 'sessions';
  if (!TABLE_NAME.test(table)) throw new UsageError(`--table takes a table name such as sessions or app.sessions (got ${JSON.stringify(table)})`, command);
  return table;
}
