import { convertEntry, type MigrateSessionsOptions } from '../../stores/migrate.js';
import { MigrateSessionsOptionsSchema, parseOptions } from '../../stores/schemas.js';
import type { BatchConverter, ConvertedBatch, PlacedReject } from '../conversion-loop.js';
import type { ConvertedEntries } from './batch-plan.js';
import type { SourceBatch } from './source.js';

/**
 * `migrate`'s converter, in this thread: each entry of a source's batch as `migrateSessions` converts it (without
 * its in-batch legacy-key rule: the pass applies that across batches, see `planBatch`). What a session alone
 * decides (a read error, a payload that fails, a vanished or expired value) is a reject here; the pass rules come
 * after, in the sink.
 */
export function entryConverter(options: MigrateSessionsOptions): BatchConverter<SourceBatch, ConvertedEntries> {
  const parsed = parseOptions(MigrateSessionsOptionsSchema, options, 'migrateSessions options');
  return { window: 1, convert: (batch) => convertEntries(batch, parsed) };
}

function convertEntries(batch: SourceBatch, options: MigrateSessionsOptions): ConvertedBatch<ConvertedEntries> {
  const rejects: PlacedReject[] = [];
  const outcomes: ConvertedEntries['outcomes'] = [];
  for (const [at, entry] of batch.entries.entries()) {
    if (entry.error !== undefined) {
      const given = (entry.error as { code?: unknown }).code;
      const code = typeof given === 'string' ? given : 'read_failed';
      rejects.push({ at, reject: { key: entry.key, code, message: `${code}: ${entry.error.message}` } });
      outcomes.push(null);
      continue;
    }
    const result = convertEntry({ key: entry.key, value: entry.value }, options);
    const outcome = result.kind === 'keyed' ? result.outcome : result;
    outcomes.push(outcome);
    if (outcome.kind === 'skipped') rejects.push({ at, reject: { key: entry.key, code: 'skipped', message: outcome.reason, skipped: true } });
    else if (outcome.kind === 'failed') rejects.push({ at, reject: { key: entry.key, code: outcome.error.code, message: outcome.error.message } });
  }
  return { read: batch.entries.length, rejects, rows: { batch, outcomes } };
}
