/**
 * Marshal throughput benchmark: rails-session-codec vs. JS peers vs. Ruby itself.
 *
 * Run:  npm run bench      (= node --import tsx bench/marshal.bench.ts)
 *
 * Corpus: every case in fixtures/marshal/cases.json whose name starts with
 * "session/" (realistic Rails session hashes, bytes written by MRI).
 *
 * One op = one pass over the corpus: decode every session once (load), or
 * encode every previously decoded session once (dump). Rows:
 *   - ours             load / dump            (src/marshal)
 *   - @hyrious/marshal load / dump            (options below, chosen for fidelity)
 *   - @qnighy/marshal  parse                  (it has no encoder)
 *   - ruby             Marshal.load / .dump   (one `ruby` child process, if on PATH)
 * A peer that throws on a session is checked once up front; that session is
 * left out of the peer's tasks and the exclusion is printed.
 *
 * Columns: ops/s = corpus passes per second; MB/s = corpus bytes (1e6) per
 * second over the sessions that library handled; ratio = MB/s relative to our
 * row for the same operation (equals the ops/s ratio when the whole corpus is
 * handled); round trips = sessions where dump(load(bytes)) is byte-identical
 * to the input, out of the whole corpus.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import * as hyrious from '@hyrious/marshal';
import { load, dump } from '../src/marshal/index.js';

// @qnighy/marshal's "exports" map hides its .d.ts from TypeScript, so load it
// through require and state the one function used (its only decoder).
const { parse: qnighyParse } = createRequire(import.meta.url)('@qnighy/marshal') as {
  parse: (buf: Uint8Array) => unknown;
};

const FIXTURES = new URL('../fixtures/marshal/cases.json', import.meta.url);
const BENCH_TIME_MS = 400;
const WARMUP_TIME_MS = 150;
const RUBY_SECONDS_PER_OP = 1;
const HYRIOUS_OPTIONS: hyrious.LoadOptions = { hash: 'wrap', numeric: 'wrap', regexp: 'wrap' };

interface Session {
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface Row {
  readonly library: string;
  readonly operation: 'load' | 'dump';
  readonly opsPerSec: number;
  /** Bytes of the sessions this row's op covers. */
  readonly bytesPerOp: number;
  readonly roundTrips: string;
}

/** What one library does with each session, checked once before timing. */
interface Prepared<V> {
  readonly handled: { readonly session: Session; readonly value: V }[];
  readonly failures: string[];
}

// ---------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------

function loadCorpus(): Session[] {
  const json = JSON.parse(readFileSync(FIXTURES, 'utf8')) as { cases?: unknown };
  if (!Array.isArray(json.cases)) throw new Error('cases.json: missing "cases" array');
  const sessions: Session[] = [];
  for (const c of json.cases as { name?: unknown; hex?: unknown }[]) {
    if (typeof c.name !== 'string' || typeof c.hex !== 'string') continue;
    if (!c.name.startsWith('session/')) continue;
    sessions.push({ name: c.name, bytes: Uint8Array.from(Buffer.from(c.hex, 'hex')) });
  }
  if (sessions.length === 0) throw new Error('cases.json: no session/ cases');
  return sessions;
}

const totalBytes = (sessions: readonly Session[]): number =>
  sessions.reduce((n, s) => n + s.bytes.length, 0);

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------
// Up-front checks (which sessions a library can decode / re-encode exactly)
// ---------------------------------------------------------------------------

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function prepare<V>(sessions: readonly Session[], decode: (b: Uint8Array) => V): Prepared<V> {
  const handled: { session: Session; value: V }[] = [];
  const failures: string[] = [];
  for (const session of sessions) {
    try {
      handled.push({ session, value: decode(session.bytes) });
    } catch (e) {
      failures.push(`${session.name} (load: ${errorText(e)})`);
    }
  }
  return { handled, failures };
}

/** Keeps the sessions whose value `encode` accepts; counts byte-exact round trips. */
function prepareDump<V>(
  loaded: Prepared<V>,
  encode: (v: V) => Uint8Array,
): { dumpable: Prepared<V>; exact: number } {
  const handled: { session: Session; value: V }[] = [];
  const failures: string[] = [];
  let exact = 0;
  for (const entry of loaded.handled) {
    try {
      if (bytesEqual(encode(entry.value), entry.session.bytes)) exact++;
      handled.push(entry);
    } catch (e) {
      failures.push(`${entry.session.name} (dump: ${errorText(e)})`);
    }
  }
  return { dumpable: { handled, failures }, exact };
}

// ---------------------------------------------------------------------------
// Node timing (tinybench)
// ---------------------------------------------------------------------------

/** Defeats dead-code elimination; printed nowhere. */
let sink = 0;

interface NodeTask {
  readonly library: string;
  readonly operation: 'load' | 'dump';
  readonly bytesPerOp: number;
  readonly roundTrips: string;
  readonly fn: () => void;
}

function loadTask<V>(library: string, p: Prepared<V>, decode: (b: Uint8Array) => V, roundTrips: string): NodeTask {
  const inputs = p.handled.map((h) => h.session.bytes);
  return {
    library,
    operation: 'load',
    bytesPerOp: totalBytes(p.handled.map((h) => h.session)),
    roundTrips,
    fn: () => {
      for (const b of inputs) if (decode(b) === undefined) sink++;
    },
  };
}

function dumpTask<V>(library: string, p: Prepared<V>, encode: (v: V) => Uint8Array, roundTrips: string): NodeTask {
  const values = p.handled.map((h) => h.value);
  return {
    library,
    operation: 'dump',
    bytesPerOp: totalBytes(p.handled.map((h) => h.session)),
    roundTrips,
    fn: () => {
      for (const v of values) sink += encode(v).length;
    },
  };
}

async function runNodeTasks(tasks: readonly NodeTask[]): Promise<Row[]> {
  const bench = new Bench({ time: BENCH_TIME_MS, warmupTime: WARMUP_TIME_MS, throws: true });
  for (const t of tasks) bench.add(`${t.library} ${t.operation}`, t.fn);
  await bench.run();
  return tasks.map((t, i) => {
    const latency = bench.tasks[i]?.result?.latency;
    if (!latency) throw new Error(`no result for ${t.library} ${t.operation}`);
    // Passes per second from the mean latency (ms), as Ruby's n / elapsed below.
    return { ...t, opsPerSec: 1000 / latency.mean };
  });
}

// ---------------------------------------------------------------------------
// Ruby (one child process; corpus as JSON on stdin, result as JSON on stdout)
// ---------------------------------------------------------------------------

const RUBY_SCRIPT = String.raw`
require "json"
%w[set bigdecimal date].each { |lib| require lib }
begin
  require "active_support/all"  # HashWithIndifferentAccess, TimeWithZone
rescue LoadError
end

# Sessions may hold objects of app classes; stand in an empty class for
# top-level names (namespaced ones make the session count as skipped).
# Plain Ruby raises ArgumentError here, ActiveSupport's Marshal.load NameError.
def load_with_stubs(bytes)
  Marshal.load(bytes)
rescue ArgumentError, NameError => e
  name = e.message[/(?:undefined class\/module|uninitialized constant) ([A-Z]\w*)(?![\w:])/, 1]
  raise unless name && !Object.const_defined?(name)
  Object.const_set(name, Class.new)
  retry
end

def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

def passes_per_second(seconds)
  3.times { yield }  # warm-up
  n = 0
  t0 = now
  loop do
    yield
    n += 1
    elapsed = now - t0
    return n / elapsed if elapsed >= seconds
  end
end

input = JSON.parse($stdin.read)
seconds = input.fetch("seconds")
handled = []
skipped = []
input.fetch("sessions").each do |s|
  bytes = [s.fetch("hex")].pack("H*")
  begin
    handled << [bytes, load_with_stubs(bytes)]
  rescue StandardError => e
    skipped << "#{s.fetch("name")} (#{e.class}: #{e.message})"
  end
end
blobs = handled.map(&:first)
values = handled.map(&:last)
exact = handled.count { |bytes, value| Marshal.dump(value).b == bytes }

puts JSON.generate(
  version: RUBY_DESCRIPTION,
  handled: handled.length,
  bytes: blobs.sum(&:bytesize),
  skipped: skipped,
  exact: exact,
  load: passes_per_second(seconds) { blobs.each { |b| Marshal.load(b) } },
  dump: passes_per_second(seconds) { values.each { |v| Marshal.dump(v) } },
)
`;

interface RubyResult {
  version: string;
  handled: number;
  bytes: number;
  skipped: string[];
  exact: number;
  load: number;
  dump: number;
}

/** Ruby rows, or the reason they were skipped. */
function runRuby(sessions: readonly Session[]): RubyResult | string {
  const input = JSON.stringify({
    seconds: RUBY_SECONDS_PER_OP,
    sessions: sessions.map((s) => ({ name: s.name, hex: Buffer.from(s.bytes).toString('hex') })),
  });
  const proc = spawnSync('ruby', ['-e', RUBY_SCRIPT], { input, encoding: 'utf8', timeout: 60_000 });
  if (proc.error) {
    const code = (proc.error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? '`ruby` not found on PATH' : `could not run ruby: ${proc.error.message}`;
  }
  if (proc.status !== 0) return `ruby exited with status ${proc.status}: ${proc.stderr.trim()}`;
  return JSON.parse(proc.stdout) as RubyResult;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const fmtOps = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const fmtMBs = (n: number): string => (n >= 10 ? n.toFixed(1) : n.toFixed(2));

function printTable(rows: readonly Row[]): void {
  const mbps = (r: Row): number => (r.opsPerSec * r.bytesPerOp) / 1e6;
  const ours = new Map(rows.filter((r) => r.library === 'ours').map((r) => [r.operation, mbps(r)]));
  const header = ['library', 'operation', 'ops/s', 'MB/s', 'ratio vs ours', 'byte-exact round trips'];
  const body = rows.map((r) => {
    const base = ours.get(r.operation);
    const ratio = base ? `${(mbps(r) / base).toFixed(2)}x` : 'n/a';
    return [r.library, r.operation, fmtOps(r.opsPerSec), fmtMBs(mbps(r)), ratio, r.roundTrips];
  });
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  console.log(line(header));
  console.log(line(header.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---'))));
  for (const cells of body) console.log(line(cells));
}

function printFailures(library: string, failures: readonly string[], handled: number, total: number): void {
  console.log(`${library}: handled ${handled}/${total} sessions`);
  for (const f of failures) console.log(`  excluded ${f}`);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const sessions = loadCorpus();
  const N = sessions.length;
  console.log(`Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log(`Corpus: ${N} sessions, ${totalBytes(sessions).toLocaleString('en-US')} bytes (fixtures/marshal/cases.json, session/*)`);
  console.log();

  const oursLoaded = prepare(sessions, (b) => load(b));
  const ours = prepareDump(oursLoaded, (v) => dump(v));
  const oursRT = `${ours.exact}/${N}`;
  printFailures('ours', [...oursLoaded.failures, ...ours.dumpable.failures], ours.dumpable.handled.length, N);

  const decodeH = (b: Uint8Array): unknown => hyrious.load(b, HYRIOUS_OPTIONS);
  const encodeH = (v: unknown): Uint8Array => hyrious.dump(v);
  const hLoaded = prepare(sessions, decodeH);
  const h = prepareDump(hLoaded, encodeH);
  const hRT = `${h.exact}/${N}`;
  printFailures(
    `@hyrious/marshal (load options ${JSON.stringify(HYRIOUS_OPTIONS)})`,
    [...hLoaded.failures, ...h.dumpable.failures],
    h.dumpable.handled.length,
    N,
  );

  const qLoaded = prepare(sessions, (b) => qnighyParse(b));
  printFailures('@qnighy/marshal (parse only, no dump)', qLoaded.failures, qLoaded.handled.length, N);

  const rows = await runNodeTasks([
    loadTask('ours', oursLoaded, (b) => load(b), oursRT),
    dumpTask('ours', ours.dumpable, (v) => dump(v), oursRT),
    loadTask('@hyrious/marshal', hLoaded, decodeH, hRT),
    dumpTask('@hyrious/marshal', h.dumpable, encodeH, hRT),
    loadTask('@qnighy/marshal', qLoaded, (b) => qnighyParse(b), 'n/a (no dump)'),
  ]);

  const ruby = runRuby(sessions);
  if (typeof ruby === 'string') {
    console.log(`Ruby rows skipped: ${ruby}`);
  } else {
    printFailures(`ruby (${ruby.version})`, ruby.skipped, ruby.handled, N);
    const roundTrips = `${ruby.exact}/${N}`;
    rows.push(
      { library: 'ruby Marshal', operation: 'load', opsPerSec: ruby.load, bytesPerOp: ruby.bytes, roundTrips },
      { library: 'ruby Marshal', operation: 'dump', opsPerSec: ruby.dump, bytesPerOp: ruby.bytes, roundTrips },
    );
  }

  console.log();
  printTable(rows);
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
}

await main();
