import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dump, load, privateSessionId, toRedisSession } from '../src/index.js';
import { REPO_ROOT } from './helpers/cli.js';

// `convert`'s memory must not grow with the dump. What each session leaves behind (its line, its row, the objects
// around them) must die in the young generation: whatever V8 promotes to the old space stays there until a full
// collection, and under Node's default heap sizing the old space then grows for seconds before V8 collects it,
// which is what made the peak RSS of a long run higher than that of a short one (README, Memory). The run is a real
// process under `--trace-gc-nvp`, which prints the bytes each young collection promoted.

const dir = mkdtempSync(join(tmpdir(), 'rsc-convert-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Enough for a dozen young collections in the last third of a run: the CLI grows V8's young generation to its
// largest at once (src/cli/young-generation.ts), so they come only every 16 MB or so allocated; at 40,000
// sessions a CI run of --format sql had 5 there.
const SESSIONS = 80_000;

/** Typical small sessions, each under its private-id key; every 10th also under its legacy key (marked rows). */
function writeDump(): string {
  const shapes = [
    { session_id: 'a'.repeat(32), _csrf_token: 'Q'.repeat(44) },
    { session_id: 'b'.repeat(32), _csrf_token: 'R'.repeat(44), 'warden.user.user.key': [[12345], '$2a$12$abcdefghijklmnopqrstuv'] },
    { session_id: 'c'.repeat(32), _csrf_token: 'S'.repeat(44), user_return_to: '/orders/42', flash: { discard: [], flashes: { notice: 'Signed in.' } } },
  ];
  const values = shapes.map((shape) => Buffer.from(toRedisSession(load(dump(shape)), { id: 'f'.repeat(32) }).value).toString('base64'));
  const path = join(dir, 'dump.jsonl');
  const fd = openSync(path, 'w');
  let chunk = '';
  for (let i = 0; i < SESSIONS; i++) {
    const publicId = i.toString(16).padStart(32, '0');
    if (i % 10 === 0) chunk += `{"key":"session:${publicId}","value":"${values[(i + 1) % 3]}"}\n`;
    chunk += `{"key":"session:${privateSessionId(publicId)}","value":"${values[i % 3]}"}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return path;
}

const DUMP = writeDump();

interface Collection {
  young: boolean;
  /** Bytes allocated since the collection before. */
  allocated: number;
  /** Bytes a young collection moved to the old space. */
  promoted: number;
}

/** Runs `convert` from the sources with `--trace-gc-nvp`; its collections, in order. */
function convertCollections(format: string): Collection[] {
  const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const out = join(dir, `out.${format}`);
  const result = spawnSync(process.execPath, ['--trace-gc-nvp', '--import', 'tsx', main, 'convert', '--in', DUMP, '--format', format, '--out', out, '--now', '1705320000'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(result.stderr).toMatch(new RegExp(`read ${(SESSIONS * 1.1).toLocaleString('en-US')}, converted ${(SESSIONS * 1.1).toLocaleString('en-US')}, `));
  expect(result.status).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => / gc=/.test(line))
    .map((line) => {
      const field = (name: string): string => new RegExp(` ${name}=(\\S+)`).exec(line)?.[1] ?? '';
      return { young: field('gc') === 's', allocated: Number(field('allocated')), promoted: Number(field('promoted')) };
    });
}

describe('convert memory', () => {
  // Over the last third of the run (by bytes allocated: start-up and the compiler's warm-up are over), young
  // collections promote nothing, or next to nothing. When rows outlived them (each result built by an object spread),
  // every young collection promoted 150-200 bytes for each session it had seen. The median is what is checked:
  // now and then one collection promotes a few MB at once (a batch still waiting for its write, it seems), which the
  // next full collection frees; that is not memory that grows with the run.
  it.each(['jsonl', 'csv', 'sql'])('--format %s: what a session allocates dies young', (format) => {
    const collections = convertCollections(format);
    const total = collections.reduce((sum, c) => sum + c.allocated, 0);
    let allocated = 0;
    const promoted: number[] = [];
    for (const c of collections) {
      allocated += c.allocated;
      if (allocated < (total * 2) / 3 || !c.young) continue;
      promoted.push(c.promoted);
    }
    expect(promoted.length).toBeGreaterThan(5);
    promoted.sort((a, b) => a - b);
    expect(promoted[Math.floor(promoted.length / 2)]).toBeLessThan(64 * 1024);
  });
});
