// `ConvertPool` (`convert --jobs N`): whichever thread converts a chunk (a worker, or the main thread while the
// workers are busy or still loading), the batch is the one the in-thread converter gives, and each worker's
// batches come back in the order it got them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConvertedBatch } from '../src/cli/conversion-loop.js';
import { conversionOptions } from '../src/cli/conversion-options.js';
import { chunkConverter, type ConvertJob, type RowText } from '../src/cli/convert-batch.js';
import { ConvertPool } from '../src/cli/convert-pool.js';
import { maxLineBytes, type DumpChunk } from '../src/cli/dump-chunks.js';
import { REPO_ROOT } from './helpers/cli.js';

const job: ConvertJob = {
  migrateOptions: conversionOptions('convert', {}, { now: 1705320000, dedupe: true }),
  rows: { format: 'sql', dialect: 'postgresql', table: 'sessions', timestamp: 1705320000, precedence: true, base64Data: true },
  maxSessionBytes: 40_000,
  maxLineBytes: maxLineBytes(40_000),
};

/** The corpus with bad lines between (not JSON, not Base64, broken Marshal, too large), cut into chunks of 5 lines. */
function dumpChunks(): DumpChunk[] {
  const corpus = readFileSync(join(REPO_ROOT, 'fixtures/corpus/sessions.jsonl'), 'utf8').trim().split('\n');
  const bad = ['not json', `{"key":"session:2::${'1'.repeat(64)}","value":"%%%"}`, `{"key":"session:2::${'2'.repeat(64)}","value":"BAh7BkkiBmEGOgZFVA=="}`];
  const lines = corpus.flatMap((line, i) => (i % 7 === 0 ? [line, bad[(i / 7) % bad.length]!] : [line]));
  const chunks: DumpChunk[] = [];
  for (let at = 0; at < lines.length; at += 5) {
    chunks.push({ bytes: new Uint8Array(Buffer.from(`${lines.slice(at, at + 5).join('\n')}\n`)), firstLine: at + 1, headOnly: false });
  }
  return chunks;
}

/** A batch with its rows' bytes as text, to compare and to read in a failure. */
function asText(batch: ConvertedBatch<RowText>) {
  return { ...batch, rows: { ...batch.rows, text: Buffer.from(batch.rows.text).toString('utf8') } };
}

/** The batches in this thread, one converter for all (a pool's chunks are transferred: each run gets fresh ones). */
const expected = dumpChunks().map((chunk) => asText(chunkConverter(job)(chunk)));

const pools: ConvertPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

async function readyPool(jobs: number, workerDepth?: number): Promise<ConvertPool> {
  const pool = new ConvertPool(jobs, job, workerDepth === undefined ? {} : { workerDepth });
  pools.push(pool);
  await vi.waitFor(() => expect(pool.readyWorkers).toBe(jobs - 1), { timeout: 30_000, interval: 20 });
  return pool;
}

describe('ConvertPool', { timeout: 60_000 }, () => {
  it('gives every batch of the in-thread converter when the workers convert them all', async () => {
    const pool = await readyPool(3, Infinity);
    const results = dumpChunks().map((chunk) => pool.convert(chunk));
    expect(results.every((result) => result instanceof Promise)).toBe(true);
    expect((await Promise.all(results)).map(asText)).toStrictEqual(expected);
  });

  it('converts in this thread, rows as UTF-8 bytes, when no worker may take more', async () => {
    const pool = await readyPool(2, 0);
    const results = dumpChunks().map((chunk) => pool.convert(chunk));
    expect(results.some((result) => result instanceof Promise)).toBe(false);
    expect(results.every((result) => (result as ConvertedBatch<RowText>).rows.text instanceof Uint8Array)).toBe(true);
    expect((results as ConvertedBatch<RowText>[]).map(asText)).toStrictEqual(expected);
  });

  it('shares the chunks between the workers and this thread, the batches unchanged', async () => {
    const pool = await readyPool(3, 2);
    // Sent at once: the first chunk goes to a worker; once the two workers have two chunks waiting each, this thread
    // converts the next itself. Which chunk that is depends on how fast the workers get through theirs (a CI run
    // saw one finish before the fifth was sent), but they cannot keep up with a loop that only sends.
    const results = dumpChunks().map((chunk) => pool.convert(chunk));
    expect(results[0]).toBeInstanceOf(Promise);
    expect(results.some((result) => !(result instanceof Promise))).toBe(true);
    expect((await Promise.all(results)).map(asText)).toStrictEqual(expected);
  });

  it('leaves a worker that is still loading out', async () => {
    const pool = new ConvertPool(2, job);
    pools.push(pool);
    const chunks = dumpChunks();
    const ready = pool.readyWorkers;
    const first = pool.convert(chunks[0]!);
    if (ready === 0) expect(first).not.toBeInstanceOf(Promise);
    expect(asText(await first)).toStrictEqual(expected[0]);
  });
});
