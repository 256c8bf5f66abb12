/**
 * `npm run bench`: the codec and the CLI on real-store sessions, against @hyrious/marshal, @qnighy/marshal, Ruby
 * and JSON.parse, in one run.
 *
 * Corpus: fixtures/corpus/sessions.jsonl (written by real Ruby stores into a real redis-server; see
 * fixtures/corpus/generate.rb): the store fixtures plus larger sessions, two of about 61 KB, and Rails cache
 * entries, compressed or not. Sets:
 *   - bare:  the bare-Marshal sessions (redis-actionpack, redis-rack, redis-store), large ones included;
 *   - large: the two ~61 KB sessions alone;
 *   - cache: the Rails 6.1 cache entries (the session inside an ActiveSupport::Cache::Entry, compressed when large).
 * Each figure is CPU microseconds per session (user + system time of the process, steadier than the clock on a
 * shared machine) of one round, which runs the set as often as fits in ROUND_MS. The sides of a row (ours, Ruby's,
 * the peers') take turns round by round (Ruby as a round server, bench/ruby-codec.rb), ROUNDS rounds each: a virtual
 * machine's speed drifts over seconds (Ruby's own figures have moved 2x between runs), and side by side rounds feel
 * the same drift. Each cell is the best round with the worst after it; a ratio divides best by best, then gives the
 * median and range of the ratios of rounds that ran side by side. Nothing here is asserted.
 *
 * The CLI part builds a dump of `--lines N` lines (default 200,000, about 690 MB: long enough that starting a
 * process, and the threads of --jobs, is a small part of each run) by cycling the corpus with fresh session ids,
 * and times `convert` (built CLI, `npm run build` first) at --jobs 1 and 2, a minimal Node converter
 * (bench/minimal-convert.mjs) and a Ruby converter (bench/ruby-convert.rb), with peak RSS from /usr/bin/time; then
 * two --jobs 1 processes at once, between one more run at --jobs 1 and one at --jobs 2: what two cores give the
 * machine at all, against which --jobs 2 is read.
 *
 * Options: --lines N (CLI dump size; 0 skips the CLI part), --rounds N (default 14), --round-ms N (default 250).
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import * as hyrious from '@hyrious/marshal';
import { dump, load, type RubyValue } from '../src/marshal/index.js';
import { toActiveRecordSession, toRailsJson } from '../src/index.js';
import { encode64 } from '../src/stores/base64.js';
import { writeDumpFile } from './dump-file.js';

const { parse: qnighyParse } = createRequire(import.meta.url)('@qnighy/marshal') as { parse: (buf: Uint8Array) => unknown };

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '14' },
    'round-ms': { type: 'string', default: '250' },
  },
});
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const CLI_LINES = Number(args.lines);
const ROOT = new URL('../', import.meta.url);
const CORPUS = new URL('fixtures/corpus/sessions.jsonl', ROOT);
const HYRIOUS_OPTIONS: hyrious.LoadOptions = { hash: 'wrap', numeric: 'wrap', regexp: 'wrap' };

interface Entry {
  key: string;
  value: Uint8Array;
}

let sink = 0;

function readCorpus(): Entry[] {
  return readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { key, value } = JSON.parse(line) as { key: string; value: string };
      return { key, value: new Uint8Array(Buffer.from(value, 'base64')) };
    });
}

function isCacheEntry(value: Uint8Array): boolean {
  return value[0] === 4 && value[1] === 8 && value[2] === 0x6f;
}

/**
 * One round of `pass` run as often as fits in ROUND_MS: CPU microseconds per item (this process's user + system
 * time, which a machine shared with other work disturbs far less than the clock).
 */
function round(count: number, pass: () => void): number {
  let passes = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  do {
    pass();
    passes++;
  } while (performance.now() - start < ROUND_MS);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (passes * count);
}

/** One round of one side of a row: CPU microseconds per session. */
type Contender = () => number | Promise<number>;

/** Each side's rounds, in the order they ran, one per ROUNDS. */
type Rounds = Record<string, number[]>;

/**
 * The rounds of a row's sides, interleaved: a warm-up round of each side (not counted), then ROUNDS rounds in which
 * every side runs one round, in an order turned by one each time. A virtual machine's speed drifts over seconds;
 * interleaving measures every side in the same stretches, so the drift moves all of them alike.
 */
async function interleave(contenders: Record<string, Contender>): Promise<Rounds> {
  const names = Object.keys(contenders);
  for (const name of names) await contenders[name]!();
  const rounds: Rounds = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length]!;
      rounds[name]!.push(await contenders[name]!());
    }
  }
  return rounds;
}

interface RubySummary {
  version: string;
  sets: Record<string, { count: number; exact: number; rows_sha256: string }>;
}

/** bench/ruby-codec.rb as a round server: one line asks for one round of one operation on one set. */
class RubyRounds {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    readonly summary: RubySummary,
  ) {}

  /** Starts Ruby on the sets; a string says why Ruby is not there. */
  static async start(sets: Record<string, Entry[]>): Promise<RubyRounds | string> {
    const child = spawn('ruby', [new URL('bench/ruby-codec.rb', ROOT).pathname], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let failure: string | undefined;
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', (error: NodeJS.ErrnoException) => (failure = `ruby did not run (${error.code ?? error.message})`));
    child.stdin.on('error', () => undefined);
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stdin.write(
      `${JSON.stringify({
        round_seconds: ROUND_MS / 1000,
        sets: Object.fromEntries(Object.entries(sets).map(([name, list]) => [name, list.map((e) => Buffer.from(e.value).toString('base64'))])),
      })}\n`,
    );
    const first = await lines.next();
    if (first.done === true) {
      child.kill();
      return failure ?? `ruby exited: ${stderr.trim().split('\n')[0] ?? ''}`;
    }
    return new RubyRounds(child, lines, JSON.parse(first.value) as RubySummary);
  }

  /** One round of `op` on `set`, CPU microseconds per session. */
  async round(set: string, op: 'load' | 'dump' | 'row' | 'encode64'): Promise<number> {
    this.child.stdin.write(`${set} ${op}\n`);
    const line = await this.lines.next();
    if (line.done === true) throw new Error('ruby-codec.rb stopped answering');
    return Number(line.value);
  }

  stop(): void {
    this.child.stdin.end();
  }
}

const us = (figures: number[] | undefined): string => (figures === undefined ? '' : `${fmt(Math.min(...figures))} (${fmt(Math.max(...figures))})`);
const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/**
 * How many times faster `fast` is than `slow`: best round by best round, then the median and range of the ratios of
 * the rounds that ran side by side (round r of each).
 */
function ratio(slow: number[] | undefined, fast: number[] | undefined): string {
  if (slow === undefined || fast === undefined) return '';
  const pairs = slow.map((s, r) => s / fast[r]!).sort((a, b) => a - b);
  const median = pairs.length % 2 === 1 ? pairs[(pairs.length - 1) / 2]! : (pairs[pairs.length / 2 - 1]! + pairs[pairs.length / 2]!) / 2;
  return `${(Math.min(...slow) / Math.min(...fast)).toFixed(1)}x (pairs ${median.toFixed(1)}x, ${pairs[0]!.toFixed(1)}-${pairs.at(-1)!.toFixed(1)})`;
}

function table(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

function sha256(rows: string[]): string {
  return createHash('sha256').update(rows.join('\0')).digest('hex');
}

async function codecBench(entries: Entry[]): Promise<void> {
  const bare = entries.filter((e) => e.value[0] === 4 && !isCacheEntry(e.value));
  const large = bare.filter((e) => e.value.length > 50_000);
  const cache = entries.filter((e) => isCacheEntry(e.value));
  const bytes = (list: Entry[]) => list.reduce((n, e) => n + e.value.length, 0);
  console.log(
    `Corpus: ${entries.length} Redis values; bare Marshal ${bare.length} (${bytes(bare).toLocaleString('en-US')} bytes, ${large.length} over 50 KB), ` +
      `6.1 cache entries ${cache.length} (${bytes(cache).toLocaleString('en-US')} bytes)`,
  );

  const set = (list: Entry[]) => {
    const inputs = list.map((e) => e.value);
    const values = inputs.map((b) => load(b));
    const exact = inputs.filter((b, i) => Buffer.from(dump(values[i])).equals(b)).length;
    return { list, inputs, values, exact };
  };
  const b = set(bare);
  const l = set(large);

  const hyriousValues = b.inputs.map((x) => hyrious.load(x, HYRIOUS_OPTIONS));
  const hyriousExact = b.inputs.filter((x, i) => Buffer.from(hyrious.dump(hyriousValues[i])).equals(x)).length;
  const json: string[] = [];
  for (const value of b.values) {
    try {
      json.push(toRailsJson(value as RubyValue));
    } catch {
      // A session JSON cannot hold (binary text): left out of the JSON.parse row.
    }
  }

  const started = await RubyRounds.start({ bare, large, cache });
  const ruby = typeof started === 'string' ? undefined : started;
  console.log(ruby === undefined ? `Ruby rows left out: ${started as string}` : `Ruby: ${ruby.summary.version}`);
  const rubyRound = (name: string, op: 'load' | 'dump' | 'row' | 'encode64'): Record<string, Contender> =>
    ruby === undefined ? {} : { ruby: () => ruby.round(name, op) };

  const rows = {
    load: await interleave({
      ours: () => round(b.inputs.length, () => {
        for (const x of b.inputs) if (load(x) === undefined) sink++;
      }),
      ...rubyRound('bare', 'load'),
      hyrious: () => round(b.inputs.length, () => {
        for (const x of b.inputs) if (hyrious.load(x, HYRIOUS_OPTIONS) === undefined) sink++;
      }),
      qnighy: () => round(b.inputs.length, () => {
        for (const x of b.inputs) if (qnighyParse(x) === undefined) sink++;
      }),
      json: () => round(json.length, () => {
        for (const text of json) if (JSON.parse(text) === undefined) sink++;
      }),
    }),
    dump: await interleave({
      ours: () => round(b.values.length, () => {
        for (const v of b.values) sink += dump(v).length;
      }),
      ...rubyRound('bare', 'dump'),
      hyrious: () => round(hyriousValues.length, () => {
        for (const v of hyriousValues) sink += hyrious.dump(v).length;
      }),
    }),
    largeLoad: await interleave({
      ours: () => round(l.inputs.length, () => {
        for (const x of l.inputs) if (load(x) === undefined) sink++;
      }),
      ...rubyRound('large', 'load'),
    }),
    largeDump: await interleave({
      ours: () => round(l.values.length, () => {
        for (const v of l.values) sink += dump(v).length;
      }),
      ...rubyRound('large', 'dump'),
    }),
    row: await interleave({
      ours: () => round(bare.length, () => {
        for (const e of bare) sink += toActiveRecordSession(e).data.length;
      }),
      ...rubyRound('bare', 'row'),
    }),
    largeRow: await interleave({
      ours: () => round(large.length, () => {
        for (const e of large) sink += toActiveRecordSession(e).data.length;
      }),
      ...rubyRound('large', 'row'),
    }),
    cacheRow: await interleave({
      ours: () => round(cache.length, () => {
        for (const e of cache) sink += toActiveRecordSession(e).data.length;
      }),
      ...rubyRound('cache', 'row'),
    }),
    largeEncode64: await interleave({
      ours: () => round(l.inputs.length, () => {
        for (const x of l.inputs) sink += encode64(x).length;
      }),
      ...rubyRound('large', 'encode64'),
    }),
  };
  ruby?.stop();

  const summary = ruby?.summary.sets;
  const rowsSame = (list: Entry[], name: string) => {
    if (summary === undefined) return '';
    return sha256(list.map((e) => toActiveRecordSession(e).data)) === summary[name]!.rows_sha256 ? 'identical' : 'DIFFERENT';
  };
  const line = (label: string, row: Rounds, same: string) => [
    label,
    us(row.ours),
    us(row.ruby),
    us(row.hyrious),
    us(row.qnighy),
    us(row.json),
    ratio(row.ruby, row.ours),
    ratio(row.hyrious, row.ours),
    same,
  ];

  console.log();
  table(
    ['operation (CPU µs per session: best (worst) of rounds)', 'rails-session-codec', 'Ruby 3.1 (C)', '@hyrious/marshal', '@qnighy/marshal', 'JSON.parse', 'vs Ruby', 'vs @hyrious', 'same result as Ruby'],
    [
      line('load, bare sessions', rows.load, `round trips ${b.exact}/${bare.length} (Ruby ${summary?.bare!.exact ?? '?'}, hyrious ${hyriousExact})`),
      line('dump, bare sessions', rows.dump, ''),
      line('load, the ~61 KB sessions', rows.largeLoad, `round trips ${l.exact}/${large.length}`),
      line('dump, the ~61 KB sessions', rows.largeDump, ''),
      line('toActiveRecordSession vs encode64(dump(load)), bare', rows.row, rowsSame(bare, 'bare')),
      line('toActiveRecordSession, the ~61 KB sessions', rows.largeRow, rowsSame(large, 'large')),
      line('toActiveRecordSession, 6.1 cache entries', rows.cacheRow, rowsSame(cache, 'cache')),
      line('encode64 of a ~61 KB session', rows.largeEncode64, ''),
    ],
  );
  console.log(`(JSON.parse: the same ${json.length} sessions as Rails JSON text, ${json.reduce((n, t) => n + t.length, 0).toLocaleString('en-US')} characters)`);
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

/** A dump of `lines` lines cycling the corpus, each with a session id of its own. */
function writeDump(path: string, entries: Entry[], lines: number): number {
  return writeDumpFile(path, dumpLines(entries, lines));
}

function* dumpLines(entries: Entry[], lines: number): Generator<string> {
  const texts = entries.map((e) => ({ key: e.key, value: Buffer.from(e.value).toString('base64') }));
  for (let i = 0; i < lines; i++) {
    const { key, value } = texts[i % texts.length]!;
    // The id is the last run of hex digits in the key: replace it with one made from the line number.
    const fresh = key.replace(/[0-9a-f]{32,}$/, (id) => i.toString(16).padStart(id.length, '0'));
    yield `{"key":${JSON.stringify(fresh)},"value":"${value}"}\n`;
  }
}

interface Run {
  seconds: number;
  /** User + system CPU seconds of the process and its threads. */
  cpuSeconds: number | null;
  rssKb: number | null;
  ok: boolean;
  note: string;
}

function timed(command: string, argv: string[]): Run {
  const hasTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const proc = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', command, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - start) / 1000;
  settleDisk();
  const lines = (proc.stderr ?? '').trim().split('\n');
  const [user, system, rss] = hasTime ? (lines.pop() ?? '').split(' ').map(Number) : [NaN, NaN, NaN];
  const cpu = user! + system!;
  return { seconds, cpuSeconds: Number.isFinite(cpu) ? cpu : null, rssKb: Number.isFinite(rss) ? rss! : null, ok: proc.status === 0 || proc.status === 1, note: lines.slice(-1)[0] ?? '' };
}

/** The SHA-256 of a file (read in 1 MiB pieces), which is then removed; `missing` when there is none. */
function digestAndRemove(path: string): string {
  if (!existsSync(path)) return 'missing';
  const hash = createHash('sha256');
  const piece = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, piece); n > 0; n = readSync(fd, piece)) hash.update(piece.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  rmSync(path);
  return hash.digest('hex');
}

/** Runs the commands at once; the wall-clock seconds until the last ends. */
async function together(command: string, argvs: string[][]): Promise<{ seconds: number; ok: boolean }> {
  const start = performance.now();
  const codes = await Promise.all(
    argvs.map((argv) => new Promise<number | null>((resolve) => spawn(command, argv, { stdio: 'ignore' }).on('close', resolve))),
  );
  const seconds = (performance.now() - start) / 1000;
  settleDisk();
  return { seconds, ok: codes.every((code) => code === 0 || code === 1) };
}

/**
 * Writes back what a run left unwritten (untimed), so that no run pays for another's: the minimal and Ruby
 * converters end without a sync, and the kernel wrote their gigabyte back during the runs after them, on the cores
 * that --jobs 2 needs.
 */
function settleDisk(): void {
  spawnSync('sync');
}

async function cliBench(entries: Entry[]): Promise<void> {
  const cli = new URL('dist/cli.js', ROOT).pathname;
  if (!existsSync(cli)) {
    console.log('\nCLI part left out: run `npm run build` first (it times the built CLI).');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rsc-bench-'));
  try {
    const dumpPath = join(dir, 'dump.jsonl');
    const size = writeDump(dumpPath, entries, CLI_LINES);
    console.log(`\nCLI: a ${CLI_LINES.toLocaleString('en-US')}-line dump (${(size / 1e6).toFixed(0)} MB) cycling the corpus`);
    const out = join(dir, 'out');
    const help = spawnSync(process.execPath, [cli, 'convert', '--help'], { encoding: 'utf8' }).stdout;
    const jobsFlag = (jobs: number) => (help.includes('--jobs') ? ['--jobs', String(jobs)] : []);
    const runs: Array<[string, Run]> = [];
    // Each run's output is hashed and removed as soon as it ends, so that every run starts with the same page cache:
    // kept, the gigabyte of each earlier run made the later ones' writes cost the system about twice the time.
    const digests = new Map<string, string>();
    const hashAndRemove = (label: string, paths: string[]) => digests.set(label, paths.map(digestAndRemove).join(' '));
    const ours = (jobs: number, format: string, label = `${format}.${jobs}`) => {
      const paths = [`${out}.${label}`, join(dir, `rejects.${label}`)];
      const run = timed(process.execPath, [cli, 'convert', '--in', dumpPath, '--format', format, '--out', paths[0]!, '--rejects', paths[1]!, '--now', '1705320000', ...jobsFlag(jobs)]);
      hashAndRemove(label, paths);
      // The summary without its timing (`in 9.1 s, 21,863/s`) and its rejects file's name.
      digests.set(`${label} summary`, run.note.replace(/ in [\d.]+ m?s, [\d,]+\/s/, '').replace(paths[1]!, 'REJECTS'));
      return run;
    };
    runs.push(['minimal Node converter (read, JSON.parse, Base64 decode + encode64, write JSONL)', timed(process.execPath, [new URL('bench/minimal-convert.mjs', ROOT).pathname, dumpPath, `${out}.minimal`])]);
    hashAndRemove('minimal', [`${out}.minimal`]);
    runs.push(['convert --format jsonl --jobs 1', ours(1, 'jsonl')]);
    runs.push(['convert --format jsonl --jobs 2', ours(2, 'jsonl')]);
    runs.push(['convert --format sql --jobs 1', ours(1, 'sql')]);
    runs.push(['convert --format sql --jobs 2', ours(2, 'sql')]);
    const same = (a: string, b: string) => digests.get(a) === digests.get(b);
    const jobsSame = ['jsonl', 'sql'].every((format) => same(`${format}.1`, `${format}.2`) && same(`${format}.1 summary`, `${format}.2 summary`));
    runs.push(['Ruby converter (JSON.parse, Marshal.load, Marshal.dump, Base64.encode64, SQL)', timed('ruby', [new URL('bench/ruby-convert.rb', ROOT).pathname, dumpPath, `${out}.ruby`])]);
    hashAndRemove('ruby', [`${out}.ruby`]);
    const minimal = runs[0]![1];
    const perCpu = (run: Run) => (run.cpuSeconds === null ? '' : Math.round(CLI_LINES / run.cpuSeconds).toLocaleString('en-US'));
    table(
      ['converter', 'sessions/s (wall)', 'MB/s (wall)', 'sessions per CPU second', 'peak RSS', 'vs minimal Node (wall)', 'vs minimal Node (CPU)'],
      runs.map(([name, run]) => [
        run.ok ? name : `${name} (failed: ${run.note})`,
        Math.round(CLI_LINES / run.seconds).toLocaleString('en-US'),
        (size / 1e6 / run.seconds).toFixed(0),
        perCpu(run),
        run.rssKb === null ? '' : `${(run.rssKb / 1024).toFixed(0)} MB`,
        `${(minimal.seconds / run.seconds).toFixed(2)}x`,
        run.cpuSeconds === null || minimal.cpuSeconds === null ? '' : `${(minimal.cpuSeconds / run.cpuSeconds).toFixed(2)}x`,
      ]),
    );
    console.log(`--jobs 2 vs --jobs 1: jsonl ${(runs[1]![1].seconds / runs[2]![1].seconds).toFixed(2)}x, sql ${(runs[3]![1].seconds / runs[4]![1].seconds).toFixed(2)}x; output, rejects and summary ${jobsSame ? 'identical' : 'DIFFERENT'}`);
    // What two cores give this machine at all: two separate --jobs 1 processes at once, each on the whole dump,
    // each writing its own file (nothing shared but the machine), next to one alone and --jobs 2 run just before.
    const one = ours(1, 'jsonl', 'jsonl.1.again');
    const pair = await together(process.execPath, [1, 2].map((n) => [cli, 'convert', '--in', dumpPath, '--format', 'jsonl', '--out', `${out}.pair${n}`, '--now', '1705320000', ...jobsFlag(1)]));
    hashAndRemove('pair', [`${out}.pair1`, `${out}.pair2`]);
    const two = ours(2, 'jsonl', 'jsonl.2.again');
    const alone = Math.min(one.seconds, runs[1]![1].seconds);
    const jobs2 = Math.min(two.seconds, runs[2]![1].seconds);
    console.log(
      `two --jobs 1 processes at once, each on the whole dump: ${pair.ok ? `${((2 * alone) / pair.seconds).toFixed(2)}x one alone` : 'failed'} ` +
        `(${pair.seconds.toFixed(1)} s for both; one alone ${one.seconds.toFixed(1)} s, --jobs 2 ${two.seconds.toFixed(1)} s just around it); ` +
        `--jobs 2 vs --jobs 1, best of two runs each: ${(alone / jobs2).toFixed(2)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entries = readCorpus();
console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB; ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per side`);
await codecBench(entries);
if (CLI_LINES > 0) await cliBench(entries);
if (sink === -1) console.log(sink);
writeFileSync(join(tmpdir(), '.rsc-bench-sink'), String(sink));
