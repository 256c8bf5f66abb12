import { isRailsJsonError } from '../json/rails-json-error.js';
import { isMarshalError } from '../marshal/errors.js';
import { rowFromSource, type ToActiveRecordSessionOptions } from './convert.js';
import { SessionError, isSessionError } from './errors.js';
import { MigrateSessionsOptionsSchema, parseOptions, type ActiveRecordSessionRow } from './schemas.js';
import { parseSessionKey, redactKey } from './session-key.js';
import { readRedisSource } from './redis-session.js';

/** Options for `migrateSessions`: those of `toActiveRecordSession`, and these. */
export interface MigrateSessionsOptions extends ToActiveRecordSessionOptions {
  /** Seconds since the epoch: cache entries that expired before it are skipped. Defaults to undefined (keep all). */
  now?: number;
  /** Let a session's private-id key win over its legacy public-id key in the same batch. Defaults to true. */
  dedupe?: boolean;
}

/** One input's fate. Keys are returned as given (they are the caller's); messages redact public ids. */
export type MigrationOutcome =
  | {
      kind: 'converted';
      key: string;
      row: ActiveRecordSessionRow;
      /** The public-id key of the same session converted earlier in this batch, which this row replaces. */
      supersedes?: string;
    }
  | { kind: 'skipped'; key: string; reason: string }
  | { kind: 'failed'; key: string; error: { code: string; message: string } };

/** The last item: `converted + skipped + failed === read`. */
export interface MigrationSummary {
  kind: 'summary';
  read: number;
  converted: number;
  skipped: number;
  failed: number;
}

/** A Redis entry as a batch reads it: a missing value (a key that expired between SCAN and GET) is skipped. */
export interface MigrationEntry {
  key: string;
  value: Uint8Array | null | undefined;
}

/**
 * Converts a batch of Redis sessions into activerecord-session_store rows, one outcome per input in input order,
 * then a summary. One bad session never stops the batch: it becomes a `failed` outcome with its error.
 *
 * When a batch holds both keys of one session (a legacy public-id key and the private-id key that redis-rack
 * >= 2.1 writes to and reads first), the private one wins: a public-id key seen after its private key is
 * `skipped`, and a private key seen after its public key is `converted` with `supersedes` naming it (write rows in
 * order, upserting on `session_id`, and the private one ends up in the table). `dedupe: false` turns this off.
 * With `now` (seconds since the epoch), cache entries that expired before it are skipped.
 */
export async function* migrateSessions(
  entries: Iterable<MigrationEntry> | AsyncIterable<MigrationEntry>,
  options?: MigrateSessionsOptions,
): AsyncGenerator<MigrationOutcome | MigrationSummary, void, undefined> {
  const parsed = parseOptions(MigrateSessionsOptionsSchema, options, 'migrateSessions options');
  const dedupe = parsed.dedupe !== false;
  const privateKeysSeen = new Set<string>();
  const publicKeysSeen = new Map<string, string>();
  const summary: MigrationSummary = { kind: 'summary', read: 0, converted: 0, skipped: 0, failed: 0 };
  for await (const entry of entries) {
    summary.read++;
    const outcome = migrateOne(entry, parsed, dedupe, privateKeysSeen, publicKeysSeen);
    summary[outcome.kind]++;
    yield outcome;
  }
  yield summary;
}

function migrateOne(
  entry: MigrationEntry,
  options: MigrateSessionsOptions,
  dedupe: boolean,
  privateKeysSeen: Set<string>,
  publicKeysSeen: Map<string, string>,
): MigrationOutcome {
  const key = entry.key;
  try {
    if (entry.value === null || entry.value === undefined) return { kind: 'skipped', key, reason: 'no value (the key expired or was deleted)' };
    const parsedKey = parseSessionKey(key, { prefix: options.keyPrefix });
    if (dedupe && parsedKey.idKind === 'public' && privateKeysSeen.has(parsedKey.privateId)) {
      return { kind: 'skipped', key, reason: 'superseded by the private-id key of the same session' };
    }
    const source = readRedisSource(key, entry.value, { format: options.format, keyPrefix: options.keyPrefix, maxInflatedBytes: options.maxInflatedBytes });
    if (options.now !== undefined && source.expiresAt !== null && source.expiresAt <= options.now) {
      return { kind: 'skipped', key, reason: 'expired' };
    }
    const row = rowFromSource(source, 'the session', options);
    if (!dedupe) return { kind: 'converted', key, row };
    if (parsedKey.idKind === 'private') {
      privateKeysSeen.add(parsedKey.privateId);
      const earlier = publicKeysSeen.get(parsedKey.privateId);
      return earlier === undefined ? { kind: 'converted', key, row } : { kind: 'converted', key, row, supersedes: earlier };
    }
    publicKeysSeen.set(parsedKey.privateId, key);
    return { kind: 'converted', key, row };
  } catch (error) {
    return { kind: 'failed', key, error: describeError(error, key) };
  }
}

function describeError(error: unknown, key: string): { code: string; message: string } {
  if (isSessionError(error) || isMarshalError(error) || isRailsJsonError(error)) return { code: error.code, message: error.message };
  const wrapped = new SessionError('invalid_payload', `unexpected failure converting ${redactKey(key)}`, { cause: error });
  return { code: wrapped.code, message: wrapped.message };
}
