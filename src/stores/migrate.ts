import { isRailsJsonError } from '../json/rails-json-error.js';
import type { RailsJsonWarning } from '../json/to-rails-json.js';
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
      /** Lossy but deterministic conversions the gem's JSON made in this row (see `encodeActiveRecordData`), if any. */
      warnings?: RailsJsonWarning[];
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
  /** Warnings over all converted rows (each row's are in its outcome). */
  warnings: number;
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
  const dedupe = new SessionDedupe(parsed.dedupe !== false);
  const summary: MigrationSummary = { kind: 'summary', read: 0, converted: 0, skipped: 0, failed: 0, warnings: 0 };
  for await (const entry of entries) {
    summary.read++;
    const outcome = dedupe.settle(convertEntry(entry, parsed, dedupe));
    summary[outcome.kind]++;
    if (outcome.kind === 'converted' && outcome.warnings !== undefined) summary.warnings += outcome.warnings.length;
    yield outcome;
  }
  yield summary;
}

/**
 * One entry converted on its own, before the private-over-public rule of a batch is applied (`SessionDedupe`):
 * pure, so that entries can be converted anywhere (a worker thread) and settled in input order after.
 */
export type EntryResult =
  | { kind: 'skipped'; key: string; reason: string }
  | { kind: 'failed'; key: string; error: { code: string; message: string } }
  | { kind: 'keyed'; key: string; idKind: 'public' | 'private'; privateId: string; outcome: MigrationOutcome };

/**
 * `migrateSessions` for one entry, options already validated, up to the private-over-public rule. With `dedupe`,
 * a public-id key it already knows to be superseded is not decoded (its outcome is settled as skipped anyway).
 */
export function convertEntry(entry: MigrationEntry, options: MigrateSessionsOptions, dedupe?: SessionDedupe): EntryResult {
  const key = entry.key;
  try {
    if (entry.value === null || entry.value === undefined) return { kind: 'skipped', key, reason: 'no value (the key expired or was deleted)' };
    const { idKind, privateId } = parseSessionKey(key, { prefix: options.keyPrefix });
    if (dedupe?.supersedes({ idKind, privateId }) === true) return keyedResult(key, idKind, privateId, { kind: 'skipped', key, reason: SUPERSEDED });
    try {
      const json = options.serializer !== undefined && options.serializer !== 'marshal';
      const reading = { format: options.format, keyPrefix: options.keyPrefix, maxInflatedBytes: options.maxInflatedBytes };
      const source = readRedisSource(key, entry.value, reading, !json);
      if (options.now !== undefined && source.expiresAt !== null && source.expiresAt <= options.now) {
        return keyedResult(key, idKind, privateId, { kind: 'skipped', key, reason: 'expired' });
      }
      const warnings: RailsJsonWarning[] = [];
      const row = rowFromSource(source, 'the session', json ? { ...options, onWarning: (warning) => collectWarning(warnings, warning, options) } : options);
      return keyedResult(key, idKind, privateId, warnings.length === 0 ? { kind: 'converted', key, row } : { kind: 'converted', key, row, warnings });
    } catch (error) {
      return keyedResult(key, idKind, privateId, { kind: 'failed', key, error: describeError(error, key) });
    }
  } catch (error) {
    return { kind: 'failed', key, error: describeError(error, key) };
  }
}

/**
 * A keyed result, its fields written out. Not `{ ...keyed, outcome }`: in V8 (Node 20) the objects an object spread
 * builds outlive young collections with what they point to (the row and its data), so `convert` promoted some
 * 150 bytes per session into the old space and its heap grew until each full collection (`--trace-gc-nvp`).
 */
function keyedResult(key: string, idKind: 'public' | 'private', privateId: string, outcome: MigrationOutcome): EntryResult {
  return { kind: 'keyed', key, idKind, privateId, outcome };
}

const SUPERSEDED = 'superseded by the private-id key of the same session';

/**
 * The private-over-public rule of a batch, applied to entries in input order: a public-id key seen after the
 * private key of its session is skipped; a private key seen after its public key supersedes it.
 */
export class SessionDedupe {
  private readonly privateKeysSeen = new Set<string>();
  private readonly publicKeysSeen = new Map<string, string>();

  constructor(private readonly enabled: boolean) {}

  /** True when this public-id key's session was already converted from its private-id key. */
  supersedes(result: { idKind: 'public' | 'private'; privateId: string }): boolean {
    return this.enabled && result.idKind === 'public' && this.privateKeysSeen.has(result.privateId);
  }

  /** The entry's outcome in its batch; call once per entry, in input order. */
  settle(result: EntryResult): MigrationOutcome {
    if (result.kind !== 'keyed') return result;
    if (this.supersedes(result)) return { kind: 'skipped', key: result.key, reason: SUPERSEDED };
    const outcome = result.outcome;
    if (!this.enabled || outcome.kind !== 'converted') return outcome;
    if (result.idKind === 'private') {
      this.privateKeysSeen.add(result.privateId);
      const earlier = this.publicKeysSeen.get(result.privateId);
      return earlier === undefined ? outcome : { ...outcome, supersedes: earlier };
    }
    this.publicKeysSeen.set(result.privateId, result.key);
    return outcome;
  }
}

function collectWarning(warnings: RailsJsonWarning[], warning: RailsJsonWarning, options: MigrateSessionsOptions): void {
  warnings.push(warning);
  options.onWarning?.(warning);
}

function describeError(error: unknown, key: string): { code: string; message: string } {
  if (isSessionError(error) || isMarshalError(error) || isRailsJsonError(error)) return { code: error.code, message: error.message };
  const wrapped = new SessionError('invalid_payload', `unexpected failure converting ${redactKey(key)}`, { cause: error });
  return { code: wrapped.code, message: wrapped.message };
}
