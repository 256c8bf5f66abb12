/**
 * A worker thread of `convert --jobs N`: converts the chunks of dump bytes the main thread sends (splitting,
 * decoding and parsing them here), in the order they come, and sends each converted batch back with its rows as
 * UTF-8 bytes, transferred; the main thread settles and writes them in input order.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkConverter, type ConvertJob } from './convert-batch.js';
import type { DumpChunk } from './dump-chunks.js';

const convert = chunkConverter(workerData as ConvertJob);
const encoder = new TextEncoder();
parentPort?.on('message', ({ id, chunk }: { id: number; chunk: DumpChunk }) => {
  const converted = convert(chunk);
  // A fresh array of its own (never a pooled Buffer), so it can be transferred.
  const text = encoder.encode(converted.rows.text as string);
  converted.rows.text = text;
  parentPort?.postMessage({ id, converted }, [text.buffer]);
});
