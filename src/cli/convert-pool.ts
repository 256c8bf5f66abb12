import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchConverter, ConvertedBatch } from './conversion-loop.js';
import { chunkConverter, type ConvertJob, type RowText } from './convert-batch.js';
import { WORKER_DONE, WORKER_READY, WORKER_SLOTS, type ConvertWorkerData } from './convert-worker-data.js';
import type { DumpChunk } from './dump-chunks.js';
import { CliIoError } from './io-error.js';

/** Options for `ConvertPool`. */
export interface ConvertPoolOptions {
  /**
   * The chunks a worker may have waiting before this thread converts the next one itself: enough to keep the
   * worker busy while this thread converts, reads and writes one. `Infinity` leaves every chunk to the workers once
   * they are ready, 0 every chunk to this thread.
   * Defaults to 3.
   */
  workerDepth?: number;
}

/**
 * `--jobs N`: N threads convert the chunks of a dump, this one and N - 1 workers. `convert(chunk)` hands the chunk
 * to the ready worker with the fewest chunks waiting (its bytes transferred, not copied) while that worker has
 * fewer than `workerDepth`, and converts it in this thread otherwise. So on N cores every thread converts (this one
 * reads and writes between its own chunks, and does not sit idle while the workers convert), and a worker still
 * loading leaves its share to this thread. Each worker answers its chunks in the order it got them; the loop
 * settles all of them in input order, so which thread converted a chunk never shows.
 *
 * A batch's rows come as UTF-8 bytes, outside the heap, whichever thread converted them: a batch converted here
 * may wait behind a worker's without young collections copying it.
 */
export class ConvertPool implements BatchConverter<DumpChunk, RowText> {
  /** Up to four batches per thread in flight. */
  readonly window: number;
  private readonly workers: Worker[];
  /** `WORKER_SLOTS` counters per worker (see `ConvertWorkerData`), written by the workers. */
  private readonly progress: Int32Array;
  /** Chunks sent to each worker. */
  private readonly sent: number[];
  private readonly workerDepth: number;
  private readonly convertHere: (chunk: DumpChunk) => ConvertedBatch<RowText>;
  private readonly waiting = new Map<number, { resolve: (results: ConvertedBatch<RowText>) => void; reject: (error: Error) => void }>();
  private next = 0;
  private failure: Error | null = null;
  private closing = false;

  /** `jobs`: 2 or more, the threads that convert (this one included). */
  constructor(jobs: number, job: ConvertJob, options: ConvertPoolOptions = {}) {
    const count = jobs - 1;
    this.window = jobs * 4;
    this.workerDepth = options.workerDepth ?? 3;
    this.convertHere = chunkConverter(job);
    this.progress = new Int32Array(new SharedArrayBuffer(count * WORKER_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    this.sent = new Array<number>(count).fill(0);
    const script = workerScript();
    this.workers = Array.from({ length: count }, (_, index) => {
      const workerData: ConvertWorkerData = { job, progress: this.progress, index };
      const worker = typeof script === 'string' ? new Worker(script, { eval: true, workerData }) : new Worker(script, { workerData });
      worker.on('message', ({ id, converted }: { id: number; converted: ConvertedBatch<RowText> }) => {
        const waiter = this.waiting.get(id);
        this.waiting.delete(id);
        waiter?.resolve(converted);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`a convert worker exited with status ${code}`));
      });
      return worker;
    });
  }

  /** The workers that have loaded their modules and take chunks. */
  get readyWorkers(): number {
    let ready = 0;
    for (let index = 0; index < this.workers.length; index++) ready += Atomics.load(this.progress, index * WORKER_SLOTS + WORKER_READY);
    return ready;
  }

  /** The chunk's batch: at once when this thread converts it, a promise when a worker does. */
  convert(chunk: DumpChunk): ConvertedBatch<RowText> | Promise<ConvertedBatch<RowText>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const index = this.freeWorker();
    if (index === -1) return this.convertHere(chunk);
    const id = this.next++;
    this.sent[index]!++;
    const promise = new Promise<ConvertedBatch<RowText>>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A view of a larger buffer (the carried part of a line, a head) is copied, so that nothing else is detached.
      const { bytes } = chunk;
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
      this.workers[index]!.postMessage({ id, chunk: { ...chunk, bytes: own } }, [own.buffer as ArrayBuffer]);
    });
    // A failure rejects every batch at once; the caller awaits them one at a time, so none counts as unhandled.
    promise.catch(() => undefined);
    return promise;
  }

  /** The ready worker with the fewest chunks waiting, when it has fewer than `workerDepth`; else -1. */
  private freeWorker(): number {
    let best = -1;
    let fewest = this.workerDepth;
    for (let index = 0; index < this.workers.length; index++) {
      const base = index * WORKER_SLOTS;
      if (Atomics.load(this.progress, base + WORKER_READY) === 0) continue;
      const waiting = this.sent[index]! - Atomics.load(this.progress, base + WORKER_DONE);
      if (waiting < fewest) {
        best = index;
        fewest = waiting;
      }
    }
    return best;
  }

  /** Stops the workers; batches still waiting are dropped (their promises never settle). */
  async close(): Promise<void> {
    this.closing = true;
    this.waiting.clear();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= new CliIoError(`a convert worker failed: ${error.message}`, 'EWORKER');
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}

/**
 * The worker's module beside this one: the built `.js`; or, run from the sources through tsx (development, tests),
 * a loader that registers tsx in the worker and imports the `.ts` module.
 */
function workerScript(): URL | string {
  if (import.meta.url.endsWith('.ts')) {
    const source = new URL('./convert-worker.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    return `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  }
  const url = new URL('./convert-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new CliIoError(`--jobs: ${fileURLToPath(url)} is missing from the installed package`, 'ENOENT');
  return url;
}
