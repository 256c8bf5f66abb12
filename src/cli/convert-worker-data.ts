/**
 * What a worker of `convert --jobs N` is started with, and the counters it shares with the main thread.
 * @module
 */
import type { ConvertJob } from './convert-batch.js';

/** A convert worker's `workerData` (structured-clonable; `progress` is shared memory, not a copy). */
export interface ConvertWorkerData {
  job: ConvertJob;
  /**
   * `WORKER_SLOTS` counters per worker, this worker's from `index * WORKER_SLOTS`: written by the worker (with
   * `Atomics`), read by the main thread, which sees what a worker has done before its messages are delivered.
   */
  progress: Int32Array;
  index: number;
}

/** 1 once the worker has loaded its modules and takes chunks. */
export const WORKER_READY = 0;
/** The chunks the worker has converted. */
export const WORKER_DONE = 1;
/** Counters per worker. */
export const WORKER_SLOTS = 2;
