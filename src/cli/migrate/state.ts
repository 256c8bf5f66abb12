// The state of `migrate` between passes and across a kill, pure (no I/O): the journal's lines, the state they add
// up to, and the decisions taken from it. `state-file.ts` keeps the journal on disk.
//
// The journal is JSONL, appended and synced line by line, never rewritten:
//   {"state":"rails-session-codec migrate","version":1,"target":"postgres://db.example/app sessions"}
//   {"pass":1,"cutover":null,"source":"redis://10.0.0.5:6379/0 session:*","started":"2024-…Z"}
//   {"batch":1,"wrote":["2::…", …],"marker":"rails-session-codec:batch:…","clears":[…]}   before the batch's transaction commits
//   {"committed":1,"seen":["2::…", …],"checkpoint":{"cursor":"1234"},"complete":false,"legacy":[…]}   after it commits
//   {"resolved":1,"committed":true}                  after a kill: whether that batch's transaction committed
//   {"cleared":["rails-session-codec:batch:…"]}      after markers were deleted outside a batch
//   {"deleted":["2::…", …]}                            after a delete transaction commits
//   {"done":1,"counts":{…}}
// A `batch` line without its `committed` line is a transaction that may or may not have committed. Its ids are
// "maybe" written until the next run resolves them: the batch's transaction also inserted its marker row (see
// `BatchMarker`), so the marker's presence in the table says whether it committed, whatever the app did since
// (it deletes rows by session id, and no session has a marker's id). The run then resumes from the checkpoint of
// the last committed batch, which reads those sessions again. A batch line without a marker (from an older
// version) cannot be resolved: its ids stay maybe written, which counts as written for the rules (updated, never
// inserted again, in a delta pass; deleted when their key is gone), so none can come back after a logout.
// `legacy` (when not empty) names the rows of the batch written from a legacy public-id key: every other row came
// from a private-id key, and within a pass a legacy key never overwrites a row its session's private-id key wrote,
// whichever batch (and whichever run, across a kill) read which.
/** The first line of a journal. */
export const STATE_KIND = 'rails-session-codec migrate';
/** The journal format's version. */
export const STATE_VERSION = 1;

/** One journal line. */
export type StateLine =
  | { state: typeof STATE_KIND; version: number; target: string }
  | { pass: number; cutover: number | null; source: string; started: string }
  | { batch: number; wrote: string[]; marker?: string; clears?: string[] }
  | { committed: number; seen: string[]; checkpoint: unknown; complete: boolean; legacy?: string[] }
  | { resolved: number; committed: boolean }
  | { cleared: string[] }
  | { deleted: string[] }
  | { done: number; counts: Record<string, number> };

/** The pass being run, or the last one. */
export interface PassState {
  number: number;
  /** The cutover `T` in microseconds since the epoch, or null for a pass before the switch. */
  cutover: number | null;
  source: string;
  /** Where the source resumes: the checkpoint of the last committed batch, or null from the start. */
  checkpoint: unknown;
  /** True once the whole source has been read and committed: what is left is the delete phase. */
  complete: boolean;
  /** Session ids read from the source in this pass (written, or kept because the app wrote them since T). */
  seen: Set<string>;
  /** Session ids whose row a committed batch of this pass wrote from a private-id key (it wins over a legacy key). */
  fromPrivateKey: Set<string>;
  done: boolean;
  /** The number of the last batch line. */
  lastBatch: number;
}

/** What the journal adds up to. */
export interface MigrateState {
  /** The database and table, or null for a new journal. */
  target: string | null;
  /** Session ids whose row a committed transaction of ours wrote (and no later delete of ours removed). */
  committed: Set<string>;
  /** Session ids of batches whose commit was not recorded (nor resolved): perhaps written. */
  maybe: Set<string>;
  /** Marker rows a batch wrote (or may have) and nothing has deleted yet. */
  markers: Set<string>;
  /** The last pass, or null before the first. */
  pass: PassState | null;
}

/** A journal that cannot be read: not one of ours, or damaged before its last line. */
export class StateError extends Error {
  override readonly name = 'StateError';
  readonly code = 'invalid_state';
}

/** An empty state, for a new journal. */
export function emptyState(): MigrateState {
  return { target: null, committed: new Set(), maybe: new Set(), markers: new Set(), pass: null };
}

/**
 * The state, kept up to date line by line: `replayState` feeds it the journal read back, and a run feeds it each
 * line as it appends it.
 */
export class StateTracker {
  readonly state: MigrateState = emptyState();
  /** Batches of this pass whose `committed` (or `resolved`) line has not come yet, by number. */
  private readonly pending = new Map<number, { wrote: string[]; marker?: string; clears: string[] }>();

  /** The batches left unresolved by a kill that their marker can resolve, oldest first. */
  unresolved(): Array<{ batch: number; marker: string }> {
    return [...this.pending].flatMap(([batch, p]) => (p.marker === undefined ? [] : [{ batch, marker: p.marker }]));
  }

  /** Applies one line (`number` is 1-based, for messages). */
  apply(line: StateLine, number = 0): void {
    const state = this.state;
    if ('state' in line) {
      if (line.state !== STATE_KIND) throw new StateError('not a rails-session-codec migrate state file');
      if (line.version !== STATE_VERSION) throw new StateError(`state file version ${String(line.version)}; this version reads ${STATE_VERSION}`);
      state.target = line.target;
      return;
    }
    if (state.target === null) throw new StateError('not a rails-session-codec migrate state file');
    const pass = state.pass;
    if ('pass' in line) {
      state.pass = { number: line.pass, cutover: line.cutover, source: line.source, checkpoint: null, complete: false, seen: new Set(), fromPrivateKey: new Set(), done: false, lastBatch: 0 };
      this.pending.clear();
    } else if (pass === null) {
      throw new StateError(`state line ${number} comes before any pass`);
    } else if ('batch' in line) {
      for (const id of line.wrote) if (!state.committed.has(id)) state.maybe.add(id);
      this.pending.set(line.batch, { wrote: line.wrote, marker: line.marker, clears: line.clears ?? [] });
      if (line.marker !== undefined) state.markers.add(line.marker);
      pass.lastBatch = line.batch;
    } else if ('resolved' in line) {
      const batch = this.pending.get(line.resolved);
      this.pending.delete(line.resolved);
      if (batch === undefined) return;
      if (line.committed) {
        this.commit(batch);
      } else {
        // Never written: its marker is not in the table, and its ids are ours only if another batch says so.
        const elsewhere = new Set([...this.pending.values()].flatMap((p) => p.wrote));
        for (const id of batch.wrote) if (!elsewhere.has(id)) state.maybe.delete(id);
        if (batch.marker !== undefined) state.markers.delete(batch.marker);
      }
    } else if ('cleared' in line) {
      for (const marker of line.cleared) state.markers.delete(marker);
    } else if ('committed' in line) {
      const batch = this.pending.get(line.committed);
      this.pending.delete(line.committed);
      if (batch !== undefined) {
        this.commit(batch);
        const legacy = new Set(line.legacy);
        for (const id of batch.wrote) {
          if (legacy.has(id)) pass.fromPrivateKey.delete(id);
          else pass.fromPrivateKey.add(id);
        }
      }
      for (const id of line.seen) pass.seen.add(id);
      pass.checkpoint = line.checkpoint;
      pass.complete = line.complete;
    } else if ('deleted' in line) {
      for (const id of line.deleted) {
        state.committed.delete(id);
        state.maybe.delete(id);
      }
    } else if ('done' in line) {
      pass.done = true;
    } else {
      throw new StateError(`state line ${number} is not a known record`);
    }
  }

  private commit(batch: { wrote: string[]; clears: string[] }): void {
    for (const id of batch.wrote) {
      this.state.maybe.delete(id);
      this.state.committed.add(id);
    }
    for (const marker of batch.clears) this.state.markers.delete(marker);
  }
}

/**
 * Replays journal lines (as text). A last line cut short (the process was killed while appending it) is ignored;
 * any other line that does not parse is an error.
 */
export function replayState(lines: readonly string[]): StateTracker {
  const tracker = new StateTracker();
  const texts = lines.filter((line) => line.trim() !== '');
  texts.forEach((text, index) => {
    let line: StateLine;
    try {
      line = JSON.parse(text) as StateLine;
    } catch {
      if (index === texts.length - 1) return;
      throw new StateError(`state line ${index + 1} is not JSON`);
    }
    if (typeof line !== 'object' || line === null || Array.isArray(line)) throw new StateError(`state line ${index + 1} is not an object`);
    if (index === 0 && !('state' in line)) throw new StateError('not a rails-session-codec migrate state file');
    tracker.apply(line, index + 1);
  });
  return tracker;
}

/** What a run does with the state it finds. */
export type RunPlan = { action: 'start'; number: number } | { action: 'resume'; pass: PassState };

/**
 * Starts a new pass, or resumes the unfinished one. The unfinished pass must be resumed with the same source and
 * cutover (its checkpoint and its list of seen sessions mean nothing for another), except that a delta pass may
 * follow an unfinished pass 1; the target never changes.
 */
export function planRun(state: MigrateState, run: { target: string; source: string; cutover: number | null }): RunPlan {
  if (state.target !== null && state.target !== run.target) {
    throw new StateError(`the state file is for ${state.target}, not ${run.target}`);
  }
  const pass = state.pass;
  if (pass === null || pass.done) return { action: 'start', number: (pass?.number ?? 0) + 1 };
  // A pass 1 left unfinished when the app switched: the delta reads everything again anyway, and finishing pass 1
  // without the cutover rules could overwrite the app's rows.
  if (pass.cutover === null && run.cutover !== null) return { action: 'start', number: pass.number + 1 };
  if (pass.cutover !== run.cutover) {
    throw new StateError(`pass ${pass.number} is unfinished with ${describeCutover(pass.cutover)}: run it again with that to finish it`);
  }
  if (pass.source !== run.source) throw new StateError(`pass ${pass.number} is unfinished, reading ${pass.source}: run it again with that source to finish it`);
  return { action: 'resume', pass };
}

function describeCutover(cutover: number | null): string {
  return cutover === null ? 'no --cutover' : `--cutover ${cutover / 1e6}`;
}

/**
 * How a session is written. Before the switch (no cutover) every row is upserted. In a delta pass, a session whose
 * row we wrote is only updated, never inserted: if that row is gone, the app deleted it after `T` (a logout), and
 * inserting it again would log the user back in. A row we may have written (a batch no marker can resolve) counts
 * as written: at worst that session is not carried and its user signs in again, never the reverse.
 */
export function writeMode(state: MigrateState, sessionId: string, cutover: number | null): 'upsert' | 'update' {
  return cutover !== null && (state.committed.has(sessionId) || state.maybe.has(sessionId)) ? 'update' : 'upsert';
}

/** The rows the delete phase removes (where the app has not written them since `T`): ours, not read in this pass. */
export function deleteCandidates(state: MigrateState): string[] {
  const seen = state.pass?.seen ?? new Set<string>();
  return [...state.committed, ...state.maybe].filter((id) => !seen.has(id)).sort();
}
