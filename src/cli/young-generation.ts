import { setFlagsFromString } from 'node:v8';

/**
 * How many times V8 may enlarge its young generation (the new space, where new objects live) at one growth: enough
 * to go from its first size to its largest in one step (Node 20 on 64-bit: from 1 MiB to 32 MiB).
 */
export const YOUNG_GENERATION_GROWTH_FACTOR = 32;

/**
 * Makes V8 grow its young generation to its maximum the first time it grows it, instead of doubling it each
 * time. V8 doubles it only once the bytes that survived young collections add up to its current size; what
 * `convert` allocates per session dies young, so that takes a long time, and how far it had got when a run ended
 * decided the peak RSS: a run of 100,000 sessions could end 15-20 MB lower than one of 1,000,000 (README,
 * Memory). Grown at once, the young generation has the same size in a short run as in a long one, so the peak no
 * longer depends on the length of the run, and there are fewer young collections, not more.
 *
 * V8 reads this flag each time it grows the young generation, so setting it at run time takes effect (it is
 * process-wide: worker threads get it too). Called once, by the program's entry, before any command runs.
 */
export function growYoungGenerationAtOnce(): void {
  setFlagsFromString(`--semi-space-growth-factor=${YOUNG_GENERATION_GROWTH_FACTOR}`);
}
