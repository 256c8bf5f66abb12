import { randomBytes } from 'node:crypto';
import type { BatchSink, LoopCounts, SinkTake } from '../conversion-loop.js';
import type { Progress } from '../progress.js';
import { planBatch, type BatchPlan, type ConvertedEntries, type MigrateRun } from './batch-plan.js';
import { MARKER_PREFIX, type SessionSink, type SinkRow } from './sink.js';
import type { StateFile } from './state-file.js';
import { deleteCandidates } from './state.js';

/** Ids per delete statement. */
const DELETE_BATCH = 500;

/** The counts `migrate` shows: the loop's, and what this sink wrote and deleted. */
export type PassCounts = LoopCounts & { written: number; deleted: number; warnings?: number };

/**
 * `migrate`'s end of the loop: the pass around a database. Each batch is planned by the pass rules (`planBatch`),
 * journaled in the state file (the batch line before its transaction, the commit line after), and written to the
 * `SessionSink` in one transaction with its marker. `finish` then runs the delete phase.
 */
export class PassSink implements BatchSink<ConvertedEntries> {
  /** Rows whose lifetime restarts, for the summary. */
  restarted = 0;
  private batchNumber: number;

  constructor(
    private readonly stateFile: StateFile,
    private readonly sink: SessionSink,
    private readonly run: MigrateRun,
    private readonly counts: PassCounts,
    /** The database's text for the cutover `T`, or null before the switch. */
    private readonly cutoverText: string | null,
  ) {
    this.batchNumber = stateFile.tracker.state.pass!.lastBatch;
  }

  write(converted: ConvertedEntries): SinkTake {
    const plan = planBatch(converted, this.stateFile.tracker.state, this.run);
    this.restarted += plan.restarted;
    // `warnings` appears in the summary once a row has one (a lossy JSON conversion the gem makes, see the README).
    if (plan.warnings > 0) this.counts.warnings = (this.counts.warnings ?? 0) + plan.warnings;
    return { rejects: plan.rejects, written: this.commit(converted, plan) };
  }

  private async commit({ batch }: ConvertedEntries, plan: BatchPlan): Promise<void> {
    const { rows, seen, legacy } = plan;
    const state = this.stateFile.tracker.state;
    const number = ++this.batchNumber;
    if (rows.size > 0) {
      const marker = { id: `${MARKER_PREFIX}${randomBytes(12).toString('hex')}`, at: latest(rows.values()), clear: [...state.markers] };
      this.stateFile.append({ batch: number, wrote: [...rows.keys()], marker: marker.id, clears: [...marker.clear] });
      await this.sink.writeBatch([...rows.values()], this.cutoverText, marker);
      this.counts.written += rows.size;
    }
    this.stateFile.append({ committed: number, seen: [...seen], checkpoint: batch.checkpoint, complete: batch.last, ...(legacy.size === 0 ? {} : { legacy: [...legacy] }) });
  }

  /** The delete phase (rows of ours whose session was not read in this pass), then the pass's last line. */
  async finish(progress: Progress): Promise<void> {
    const candidates = deleteCandidates(this.stateFile.tracker.state);
    for (let start = 0; start < candidates.length; start += DELETE_BATCH) {
      const chunk = candidates.slice(start, start + DELETE_BATCH);
      this.counts.deleted += await this.sink.deleteBatch(chunk, this.cutoverText);
      this.stateFile.append({ deleted: chunk });
      progress.update(this.counts);
    }
    await clearMarkers(this.stateFile, this.sink);
    this.stateFile.append({ done: this.stateFile.tracker.state.pass!.number, counts: this.counts });
  }
}

/**
 * A run that finds batches a kill left unresolved asks the table for their markers first (the batch committed
 * exactly when its marker is there), before anything else is written: see `state.ts`. Then the markers go.
 */
export async function resolveKilledBatches(stateFile: StateFile, sink: SessionSink): Promise<void> {
  for (const { batch, marker } of stateFile.tracker.unresolved()) stateFile.append({ resolved: batch, committed: await sink.hasMarker(marker) });
  await clearMarkers(stateFile, sink);
}

async function clearMarkers(stateFile: StateFile, sink: SessionSink): Promise<void> {
  const markers = [...stateFile.tracker.state.markers];
  if (markers.length === 0) return;
  await sink.clearMarkers(markers);
  stateFile.append({ cleared: markers });
}

/** The latest `updated_at` of a batch (database text of one shape compares as time). */
function latest(rows: Iterable<SinkRow>): string {
  let at = '';
  for (const row of rows) if (row.updatedAt > at) at = row.updatedAt;
  return at;
}
