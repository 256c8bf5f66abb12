/**
 * A worker thread of `convert --jobs N`: converts the chunks of dump bytes the main thread sends (splitting,
 * decoding and parsing them here), in the order they come, and sends each converted batch back with its rows as
 * UTF-8 bytes, transferred; the main thread settles and writes them in input order. It counts what it has done in
 * the shared `progress`, which the main thread reads to choose between this worker and converting a chunk itself.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkConverter } from './convert-batch.js';
import { WORKER_DONE, WORKER_READY, WORKER_SLOTS, type ConvertWorkerData } from './convert-worker-data.js';
import type { DumpChunk } from './dump-chunks.js';

const { job, progress, index } = workerData as ConvertWorkerData;
const convert = chunkConverter(job);
parentPort?.on('message', ({ id, chunk }: { id: number; chunk: DumpChunk }) => {
  const converted = convert(chunk);
  Atomics.add(progress, index * WORKER_SLOTS + WORKER_DONE, 1);
  // The rows' bytes have an ArrayBuffer of their own (see `joinUtf8`), so they can be transferred.
  parentPort?.postMessage({ id, converted }, [converted.rows.text.buffer as ArrayBuffer]);
});
Atomics.store(progress, index * WORKER_SLOTS + WORKER_READY, 1);
