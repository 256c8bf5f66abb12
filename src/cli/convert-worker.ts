/**
 * A worker thread of `convert --jobs N`: converts the batches of dump lines the main thread sends, in the order
 * they come, and sends each converted batch back (its rows as one text); the main thread settles and writes them in input order.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lineConverter, type ConvertJob } from './convert-batch.js';
import type { DumpLine } from './dump-reader.js';

const convert = lineConverter(workerData as ConvertJob);
parentPort?.on('message', (message: { id: number; lines: DumpLine[] }) => {
  parentPort?.postMessage({ id: message.id, converted: convert(message.lines) });
});
