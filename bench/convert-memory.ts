/**
 * `npm run bench:memory`: peak RSS of `convert` (the built CLI, a child process under /usr/bin/time, Node's default
 * heap sizing, no flags) with dedupe on, the default, for each format, on dumps of 100,000 and 1,000,000 sessions.
 * Memory must not grow with the number of sessions: the run fails (exit 1) when a peak at the largest size is more
 * than 10% above the one at the smallest. (Before each session's row died young, V8 kept enlarging its old space
 * for seconds into a run, so a short run read about 20% lower than a long one; test/cli-convert-memory.test.ts
 * checks that young collections promote next to nothing. After that, V8's young generation, still growing when a
 * short run ended, moved the peak by up to 23%; the CLI now has it grow to its largest at once:
 * src/cli/young-generation.ts.)
 *
 * The dumps are generated in a temporary directory (removed after): small typical sessions (a CSRF token, a
 * Devise/Warden user key, a flash, a return path), each under its private-id key; every 10th session is also
 * present under its legacy public-id key, before its private key for half of them and after it for the other
 * half, so dedupe has work to do.
 *
 * Options: --sizes 100000,1000000; --formats jsonl,csv,sql; --dialect postgresql|mysql|sqlite (for sql).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dump, load, privateSessionId, toRedisSession } from '../src/index.js';
import { writeDumpFile } from './dump-file.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    formats: { type: 'string', default: 'jsonl,csv,sql' },
    dialect: { type: 'string', default: 'postgresql' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const FORMATS = args.formats.split(',');
const ROOT = new URL('../', import.meta.url);
const CLI = new URL('dist/cli.js', ROOT).pathname;
const MAX_GROWTH = 0.1;

/** A few session shapes, Marshal as redis-actionpack writes them, Base64 once: only the keys vary per line. */
function templates(): string[] {
  const shapes = [
    { session_id: 'a'.repeat(32), _csrf_token: 'Q'.repeat(44) },
    { session_id: 'b'.repeat(32), _csrf_token: 'R'.repeat(44), 'warden.user.user.key': [[12345], '$2a$12$abcdefghijklmnopqrstuv'] },
    { session_id: 'c'.repeat(32), _csrf_token: 'S'.repeat(44), user_return_to: '/orders/42?tab=items', flash: { discard: [], flashes: { notice: 'Signed in.' } } },
  ];
  return shapes.map((shape) => Buffer.from(toRedisSession(load(dump(shape)), { id: 'f'.repeat(32) }).value).toString('base64'));
}

function writeDump(path: string, sessions: number): number {
  return writeDumpFile(path, dumpLines(sessions));
}

/** Each session under its private-id key; every 10th also under its legacy key, alternately before and after it. */
function* dumpLines(sessions: number): Generator<string> {
  const values = templates();
  const line = (key: string, i: number) => `{"key":"${key}","value":"${values[i % values.length]}"}\n`;
  for (let i = 0; i < sessions; i++) {
    const publicId = i.toString(16).padStart(32, '0');
    const privateKey = `session:${privateSessionId(publicId)}`;
    const legacyKey = `session:${publicId}`;
    if (i % 20 === 0) yield line(legacyKey, i + 1);
    yield line(privateKey, i);
    if (i % 20 === 10) yield line(legacyKey, i + 1);
  }
}

interface Run {
  rssKb: number;
  seconds: number;
  summary: string;
}

function convert(dumpPath: string, format: string, out: string): Run {
  const dialect = format === 'sql' ? ['--dialect', args.dialect] : [];
  const proc = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, CLI, 'convert', '--in', dumpPath, '--format', format, ...dialect, '--out', out, '--now', '1705320000'], { encoding: 'utf8' });
  const lines = proc.stderr.trim().split('\n');
  const [rss, seconds] = lines.pop()!.split(' ').map(Number);
  if (proc.status !== 0 || !Number.isFinite(rss)) throw new Error(`convert --format ${format} failed (${proc.status}): ${lines.join(' | ')}`);
  return { rssKb: rss!, seconds: seconds!, summary: lines.at(-1) ?? '' };
}

function main(): number {
  if (!existsSync('/usr/bin/time')) {
    console.log('bench:memory needs /usr/bin/time (GNU time) to read the peak RSS of the child.');
    return 1;
  }
  if (!existsSync(CLI)) {
    console.log('bench:memory times the built CLI: run `npm run build` first (`npm run bench:memory` does).');
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rsc-bench-memory-'));
  const results = new Map<string, Map<number, Run>>(FORMATS.map((format) => [format, new Map()]));
  const rowName = (format: string): string => (format === 'sql' ? `sql (${args.dialect})` : format);
  try {
    for (const sessions of SIZES) {
      const dumpPath = join(dir, `dump-${sessions}.jsonl`);
      const bytes = writeDump(dumpPath, sessions);
      console.log(`${sessions.toLocaleString('en-US')} sessions: a ${(bytes / 1e6).toFixed(0)} MB dump`);
      for (const format of FORMATS) {
        const run = convert(dumpPath, format, join(dir, `out-${sessions}.${format}`));
        results.get(format)!.set(sessions, run);
        console.log(`  convert --format ${format}${format === 'sql' ? ` --dialect ${args.dialect}` : ''}: peak RSS ${(run.rssKb / 1024).toFixed(1)} MB, ${run.seconds.toFixed(1)} s (${run.summary})`);
        rmSync(join(dir, `out-${sessions}.${format}`), { force: true });
      }
      rmSync(dumpPath, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [smallest, largest] = [SIZES[0]!, SIZES.at(-1)!];
  console.log(`\n| format | ${SIZES.map((n) => `${n.toLocaleString('en-US')} sessions`).join(' | ')} | growth |`);
  console.log(`|---|${SIZES.map(() => '---|').join('')}---|`);
  let failed = false;
  for (const [name, runs] of results) {
    const growth = runs.get(largest)!.rssKb / runs.get(smallest)!.rssKb - 1;
    if (growth > MAX_GROWTH) failed = true;
    console.log(`| ${rowName(name)} | ${SIZES.map((n) => `${(runs.get(n)!.rssKb / 1024).toFixed(1)} MB`).join(' | ')} | ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}% |`);
  }
  if (failed) console.log(`\nPeak RSS grew by more than ${MAX_GROWTH * 100}% from ${smallest} to ${largest} sessions.`);
  return failed ? 1 : 0;
}

process.exitCode = main();
