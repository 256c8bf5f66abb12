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
 * shared machine): the best of ROUNDS rounds (each runs the set as often as fits in ROUND_MS), with the worst round
 * after it as the spread. Ratios divide best by best. Nothing here is asserted.
 *
 * The CLI part builds a dump of `--lines N` lines (default 200,000, about 690 MB: long enough that starting a
 * process, and the threads of --jobs, is a small part of each run) by cycling the corpus with fresh session ids,
 * and times `convert` (built CLI, `npm run build` first) at --jobs 1 and 2, a minimal Node converter
 * (bench/minimal-convert.mjs) and a Ruby converter (bench/ruby-convert.rb), with peak RSS from /usr/bin/time.
 *
 * The codec part runs in PASSES passes (default 2), each Ruby's rounds then ours, so that both sides are measured
 * early and late in the run: a virtual machine's speed drifts over tens of seconds (Ruby's own figures have moved
 * 2x between runs), and the best round of each side is taken over all passes.
 *
 * Options: --lines N (CLI dump size; 0 skips the CLI part), --rounds N, --round-ms N, --passes N.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
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
    rounds: { type: 'string', default: '7' },
    'round-ms': { type: 'string', default: '250' },
    passes: { type: 'string', default: '2' },
  },
});
const ROUNDS = Number(args.rounds);
const ROUND_MS = Number(args['round-ms']);
const PASSES = Number(args.passes);
const CLI_LINES = Number(args.lines);
const ROOT = new URL('../', import.meta.url);
const CORPUS = new URL('fixtures/corpus/sessions.jsonl', ROOT);
const HYRIOUS_OPTIONS: hyrious.LoadOptions = { hash: 'wrap', numeric: 'wrap', regexp: 'wrap' };

interface Entry {
  key: string;
  value: Uint8Array;
}

/** Best and worst round, microseconds per session. */
interface Timing {
  best: number;
  worst: number;
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
 * CPU microseconds per item (this process's user + system time, which a machine shared with other work disturbs
 * far less than the clock): ROUNDS rounds of as many passes as fit in ROUND_MS, after a warm-up.
 */
function time(count: number, pass: () => void): Timing {
  const warmUntil = performance.now() + ROUND_MS;
  while (performance.now() < warmUntil) pass();
  const figures: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let passes = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    do {
      pass();
      passes++;
    } while (performance.now() - start < ROUND_MS);
    const used = process.cpuUsage(cpu);
    figures.push((used.user + used.system) / (passes * count));
  }
  return { best: Math.min(...figures), worst: Math.max(...figures) };
}

function fromRounds(figures: number[]): Timing {
  return { best: Math.min(...figures), worst: Math.max(...figures) };
}

interface RubySet {
  count: number;
  exact: number;
  rows_sha256: string;
  load: number[];
  dump: number[];
  row: number[];
  encode64: number[];
}

function runRuby(sets: Record<string, Entry[]>): { version: string; sets: Record<string, RubySet> } | string {
  const input = JSON.stringify({
    rounds: ROUNDS,
    round_seconds: ROUND_MS / 1000,
    sets: Object.fromEntries(Object.entries(sets).map(([name, list]) => [name, list.map((e) => Buffer.from(e.value).toString('base64'))])),
  });
  const proc = spawnSync('ruby', [new URL('bench/ruby-codec.rb', ROOT).pathname], { input, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26 });
  if (proc.error) return `ruby did not run (${(proc.error as NodeJS.ErrnoException).code ?? proc.error.message})`;
  if (proc.status !== 0) return `ruby exited with status ${proc.status}: ${proc.stderr.trim().split('\n')[0]}`;
  return JSON.parse(proc.stdout) as { version: string; sets: Record<string, RubySet> };
}

/** Each operation's rounds of two passes together: the best of both, the worst of both. */
function mergeTimings<T extends Record<string, Timing>>(a: T, b: T): T {
  const merged: Record<string, Timing> = {};
  for (const key of Object.keys(a)) merged[key] = { best: Math.min(a[key]!.best, b[key]!.best), worst: Math.max(a[key]!.worst, b[key]!.worst) };
  return merged as T;
}

/** Ruby's rounds of two passes together. */
function mergeRubySets(a: Record<string, RubySet>, b: Record<string, RubySet>): Record<string, RubySet> {
  const merged: Record<string, RubySet> = {};
  for (const [name, set] of Object.entries(a)) {
    const other = b[name]!;
    merged[name] = { ...set, load: [...set.load, ...other.load], dump: [...set.dump, ...other.dump], row: [...set.row, ...other.row], encode64: [...set.encode64, ...other.encode64] };
  }
  return merged;
}

const us = (t: Timing | undefined): string => (t === undefined ? '' : `${fmt(t.best)} (${fmt(t.worst)})`);
const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const ratio = (slow: Timing | undefined, fast: Timing | undefined): string =>
  slow === undefined || fast === undefined ? '' : `${(slow.best / fast.best).toFixed(1)}x (${(slow.worst / fast.worst).toFixed(1)}x worst)`;

function table(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

function sha256(rows: string[]): string {
  return createHash('sha256').update(rows.join('\0')).digest('hex');
}

function codecBench(entries: Entry[]): void {
  const bare = entries.filter((e) => e.value[0] === 4 && !isCacheEntry(e.value));
  const large = bare.filter((e) => e.value.length > 50_000);
  const cache = entries.filter((e) => isCacheEntry(e.value));
  const bytes = (list: Entry[]) => list.reduce((n, e) => n + e.value.length, 0);
  console.log(
    `Corpus: ${entries.length} Redis values; bare Marshal ${bare.length} (${bytes(bare).toLocaleString('en-US')} bytes, ${large.length} over 50 KB), ` +
      `6.1 cache entries ${cache.length} (${bytes(cache).toLocaleString('en-US')} bytes)`,
  );

  let r: Record<string, RubySet> | undefined;
  let rubyFailure: string | undefined;
  let rubyVersion = '';

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

  const measure = () => ({
    load: time(b.inputs.length, () => {
      for (const x of b.inputs) if (load(x) === undefined) sink++;
    }),
    dump: time(b.values.length, () => {
      for (const v of b.values) sink += dump(v).length;
    }),
    hyriousLoad: time(b.inputs.length, () => {
      for (const x of b.inputs) if (hyrious.load(x, HYRIOUS_OPTIONS) === undefined) sink++;
    }),
    hyriousDump: time(hyriousValues.length, () => {
      for (const v of hyriousValues) sink += hyrious.dump(v).length;
    }),
    qnighyLoad: time(b.inputs.length, () => {
      for (const x of b.inputs) if (qnighyParse(x) === undefined) sink++;
    }),
    jsonParse: time(json.length, () => {
      for (const text of json) if (JSON.parse(text) === undefined) sink++;
    }),
    largeLoad: time(l.inputs.length, () => {
      for (const x of l.inputs) if (load(x) === undefined) sink++;
    }),
    largeDump: time(l.values.length, () => {
      for (const v of l.values) sink += dump(v).length;
    }),
    row: time(bare.length, () => {
      for (const e of bare) sink += toActiveRecordSession(e).data.length;
    }),
    largeRow: time(large.length, () => {
      for (const e of large) sink += toActiveRecordSession(e).data.length;
    }),
    cacheRow: time(cache.length, () => {
      for (const e of cache) sink += toActiveRecordSession(e).data.length;
    }),
    largeEncode64: time(l.inputs.length, () => {
      for (const x of l.inputs) sink += encode64(x).length;
    }),
  });

  let timings: ReturnType<typeof measure> | undefined;
  for (let pass = 0; pass < PASSES; pass++) {
    const ruby = rubyFailure === undefined ? runRuby({ bare, large, cache }) : rubyFailure;
    if (typeof ruby === 'string') rubyFailure = ruby;
    else {
      rubyVersion = ruby.version;
      r = r === undefined ? ruby.sets : mergeRubySets(r, ruby.sets);
    }
    const ours = measure();
    timings = timings === undefined ? ours : mergeTimings(timings, ours);
  }
  if (rubyFailure !== undefined) console.log(`Ruby rows left out: ${rubyFailure}`);
  else console.log(`Ruby: ${rubyVersion}`);
  if (timings === undefined) return;

  const rowsSame = (list: Entry[], name: string) => {
    if (r === undefined) return '';
    return sha256(list.map((e) => toActiveRecordSession(e).data)) === r[name]!.rows_sha256 ? 'identical' : 'DIFFERENT';
  };

  console.log();
  table(
    ['operation (CPU µs per session: best (worst) of rounds)', 'rails-session-codec', 'Ruby 3.1 (C)', '@hyrious/marshal', '@qnighy/marshal', 'JSON.parse', 'vs Ruby', 'vs @hyrious', 'same result as Ruby'],
    [
      ['load, bare sessions', us(timings.load), us(r && fromRounds(r.bare!.load)), us(timings.hyriousLoad), us(timings.qnighyLoad), us(timings.jsonParse), ratio(r && fromRounds(r.bare!.load), timings.load), ratio(timings.hyriousLoad, timings.load), `round trips ${b.exact}/${bare.length} (Ruby ${r?.bare!.exact ?? '?'}, hyrious ${hyriousExact})`],
      ['dump, bare sessions', us(timings.dump), us(r && fromRounds(r.bare!.dump)), us(timings.hyriousDump), '', '', ratio(r && fromRounds(r.bare!.dump), timings.dump), ratio(timings.hyriousDump, timings.dump), ''],
      ['load, the ~61 KB sessions', us(timings.largeLoad), us(r && fromRounds(r.large!.load)), '', '', '', ratio(r && fromRounds(r.large!.load), timings.largeLoad), '', `round trips ${l.exact}/${large.length}`],
      ['dump, the ~61 KB sessions', us(timings.largeDump), us(r && fromRounds(r.large!.dump)), '', '', '', ratio(r && fromRounds(r.large!.dump), timings.largeDump), '', ''],
      ['toActiveRecordSession vs encode64(dump(load)), bare', us(timings.row), us(r && fromRounds(r.bare!.row)), '', '', '', ratio(r && fromRounds(r.bare!.row), timings.row), '', rowsSame(bare, 'bare')],
      ['toActiveRecordSession, the ~61 KB sessions', us(timings.largeRow), us(r && fromRounds(r.large!.row)), '', '', '', ratio(r && fromRounds(r.large!.row), timings.largeRow), '', rowsSame(large, 'large')],
      ['toActiveRecordSession, 6.1 cache entries', us(timings.cacheRow), us(r && fromRounds(r.cache!.row)), '', '', '', ratio(r && fromRounds(r.cache!.row), timings.cacheRow), '', rowsSame(cache, 'cache')],
      ['encode64 of a ~61 KB session', us(timings.largeEncode64), us(r && fromRounds(r.large!.encode64)), '', '', '', ratio(r && fromRounds(r.large!.encode64), timings.largeEncode64), '', ''],
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
  const lines = (proc.stderr ?? '').trim().split('\n');
  const [user, system, rss] = hasTime ? (lines.pop() ?? '').split(' ').map(Number) : [NaN, NaN, NaN];
  const cpu = user! + system!;
  return { seconds, cpuSeconds: Number.isFinite(cpu) ? cpu : null, rssKb: Number.isFinite(rss) ? rss! : null, ok: proc.status === 0 || proc.status === 1, note: lines.slice(-1)[0] ?? '' };
}

function cliBench(entries: Entry[]): void {
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
    const ours = (jobs: number, format: string) =>
      timed(process.execPath, [cli, 'convert', '--in', dumpPath, '--format', format, '--out', `${out}.${format}.${jobs}`, '--rejects', join(dir, `rejects.${jobs}`), '--now', '1705320000', ...jobsFlag(jobs)]);
    runs.push(['minimal Node converter (read, JSON.parse, Base64 decode + encode64, write JSONL)', timed(process.execPath, [new URL('bench/minimal-convert.mjs', ROOT).pathname, dumpPath, `${out}.minimal`])]);
    runs.push(['convert --format jsonl --jobs 1', ours(1, 'jsonl')]);
    runs.push(['convert --format jsonl --jobs 2', ours(2, 'jsonl')]);
    runs.push(['convert --format sql --jobs 1', ours(1, 'sql')]);
    runs.push(['convert --format sql --jobs 2', ours(2, 'sql')]);
    const sameOutput = (a: string, b: string) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
    const jobsSame = sameOutput(`${out}.jsonl.1`, `${out}.jsonl.2`) && sameOutput(`${out}.sql.1`, `${out}.sql.2`) && sameOutput(join(dir, 'rejects.1'), join(dir, 'rejects.2'));
    runs.push(['Ruby converter (JSON.parse, Marshal.load, Marshal.dump, Base64.encode64, SQL)', timed('ruby', [new URL('bench/ruby-convert.rb', ROOT).pathname, dumpPath, `${out}.ruby`])]);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entries = readCorpus();
console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB; ${PASSES} passes of ${ROUNDS} rounds of ${ROUND_MS} ms`);
codecBench(entries);
if (CLI_LINES > 0) cliBench(entries);
if (sink === -1) console.log(sink);
writeFileSync(join(tmpdir(), '.rsc-bench-sink'), String(sink));
