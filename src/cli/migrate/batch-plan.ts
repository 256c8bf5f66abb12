// The pass rules for one batch of `migrate`, pure (no I/O): which converted sessions become rows, with which
// timestamps and write mode, which are turned away (a TTL of 0, a legacy key its private-id key supersedes), and
// what the journal records of the batch (the ids seen, the rows from legacy keys). `pass-sink.ts` writes the plan.
import type { MigrationOutcome, MigrateSessionsOptions } from '../../stores/migrate.js';
import { parseSessionKey } from '../../stores/session-key.js';
import type { PlacedReject } from '../conversion-loop.js';
import { formatDbTime, rowTimes } from './cutover.js';
import type { SinkRow } from './sink.js';
import type { SourceBatch } from './source.js';
import { writeMode, type MigrateState, type PassState } from './state.js';

/** What one run does, once the command line is read. */
export interface MigrateRun {
  cutover: number | null;
  expireAfter: number | undefined;
  migrateOptions: MigrateSessionsOptions;
  /** Row ids are private (`2::…`) unless `--session-id public`. */
  sessionId: 'private' | 'public';
}

/** A source's batch converted: one outcome per entry, in order; null for an entry the source failed to read. */
export interface ConvertedEntries {
  batch: SourceBatch;
  outcomes: Array<MigrationOutcome | null>;
}

/** What a batch writes and records. */
export interface BatchPlan {
  /** The rows to write, one per session id (the last entry of a session in the batch wins). */
  rows: Map<string, SinkRow>;
  /** Session ids read in this batch, rows written or not (a session we cannot read now keeps its row). */
  seen: Set<string>;
  /** Rows of this batch from a legacy public-id key. */
  legacy: Set<string>;
  /** Converted sessions turned away, placed in the batch. */
  rejects: PlacedReject[];
  /** Rows whose lifetime restarts (no TTL to date their last write). */
  restarted: number;
  /** Warnings of the rows written. */
  warnings: number;
}

const SUPERSEDED = 'superseded by the private-id key of the same session';

/** The plan for one batch, given the state the journal adds up to so far (`state.pass` is the pass being run). */
export function planBatch(converted: ConvertedEntries, state: MigrateState, run: MigrateRun): BatchPlan {
  const pass: PassState = state.pass!;
  const { batch, outcomes } = converted;
  const plan: BatchPlan = { rows: new Map(), seen: new Set(), legacy: new Set(), rejects: [], restarted: 0, warnings: 0 };
  // The sessions whose private-id key this batch carries.
  const fromPrivateKey = new Set<string>();
  for (const [at, entry] of batch.entries.entries()) {
    const outcome = outcomes[at] ?? null;
    if (outcome === null || outcome.kind === 'failed') {
      markSeen(plan.seen, entry.key, run);
      continue;
    }
    if (outcome.kind !== 'converted') continue;
    const times = rowTimes({ readAt: batch.readAt, pttlMs: entry.pttlMs }, { expireAfter: run.expireAfter, cutover: run.cutover ?? undefined });
    if (!times.carry) {
      plan.rejects.push({ at, reject: { key: entry.key, code: 'skipped', message: 'expired (TTL 0)', skipped: true } });
      continue;
    }
    const id = outcome.row.session_id;
    const keyKind = run.sessionId === 'private' ? parseSessionKey(entry.key, { prefix: run.migrateOptions.keyPrefix }).idKind : 'public';
    if (keyKind === 'public' && run.sessionId === 'private' && (fromPrivateKey.has(id) || pass.fromPrivateKey.has(id))) {
      // redis-rack reads the private-id key first: the legacy one is what the app would never see.
      plan.rejects.push({ at, reject: { key: entry.key, code: 'skipped', message: SUPERSEDED, skipped: true } });
      continue;
    }
    if (keyKind === 'private') {
      fromPrivateKey.add(id);
      plan.legacy.delete(id);
    } else if (run.sessionId === 'private') {
      plan.legacy.add(id);
    }
    if (times.lifetime === 'restarted') plan.restarted++;
    if (outcome.warnings !== undefined) plan.warnings += outcome.warnings.length;
    plan.seen.add(id);
    plan.rows.delete(id);
    plan.rows.set(id, { sessionId: id, data: outcome.row.data, createdAt: formatDbTime(times.createdAt), updatedAt: formatDbTime(times.updatedAt), mode: writeMode(state, id, run.cutover) });
  }
  return plan;
}

/** A session we could not read still has its row: keep it out of the delete phase. */
function markSeen(seen: Set<string>, key: string, run: MigrateRun): void {
  try {
    const parsed = parseSessionKey(key, { prefix: run.migrateOptions.keyPrefix });
    seen.add(run.sessionId === 'public' && parsed.publicId !== null ? parsed.publicId : parsed.privateId);
  } catch {
    // Not a session key: no row of ours can stand for it.
  }
}
