import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchConverter, ConvertedBatch } from './conversion-loop.js';
import type { ConvertJob, RowText } from './convert-batch.js';
import type { DumpChunk } from './dump-chunks.js';
import { CliIoError } from './io-error.js';

/**
 * `--jobs N`: N worker threads converting chunks of a dump. `convert(chunk)` hands the chunk's bytes to the next
 * worker in turn (transferred, not copied) and resolves with its converted batch; each worker answers its chunks in
 * the order it got them. This thread only reads, dispatches and writes: the workers split, decode and convert.
 */
export class ConvertPool implements BatchConverter<DumpChunk, RowText> {
  /** Up to four batches per worker in flight. */
  readonly window: number;
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (results: ConvertedBatch<RowText>) => void; reject: (error: Error) => void }>();
  private next = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(jobs: number, job: ConvertJob) {
    this.window = jobs * 4;
    const script = workerScript();
    this.workers = Array.from({ length: jobs }, () => {
      const worker = typeof script === 'string' ? new Worker(script, { eval: true, workerData: job }) : new Worker(script, { workerData: job });
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

  convert(chunk: DumpChunk): Promise<ConvertedBatch<RowText>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.next++;
    const promise = new Promise<ConvertedBatch<RowText>>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A view of a larger buffer (the carried part of a line, a head) is copied, so that nothing else is detached.
      const { bytes } = chunk;
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
      this.workers[id % this.workers.length]!.postMessage({ id, chunk: { ...chunk, bytes: own } }, [own.buffer as ArrayBuffer]);
    });
    // A failure rejects every batch at once; the caller awaits them one at a time, so none counts as unhandled.
    promise.catch(() => undefined);
    return promise;
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
