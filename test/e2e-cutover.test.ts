// The cutover, end to end on real parts: Ruby's real redis-actionpack and redis-rack stores write sessions into a
// redis-server (standalone, and a 3-master Cluster) and keep churning while pass 1 of `migrate` copies them into
// PostgreSQL 15, MariaDB and SQLite; the app switches at T and writes rows as the gem would; the delta pass runs
// while the app goes on writing; a Ruby judge reads Redis and every table and checks each rule of the delta. Each
// table has a twin filled by the same passes killed (SIGKILL) at random points and resumed: both end alike.
// The seed is printed, and SEED=... replays one.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDbTime, parseCutover } from '../src/cli/migrate/cutover.js';
import { build as esbuild } from 'esbuild';
import { REPO_ROOT } from './helpers/cli.js';
import { startRedisCluster } from './helpers/redis-cluster.js';
import { hasRedisServer, startRedisServer } from './helpers/redis-server.js';
import { hasRuby, runRuby } from './helpers/ruby.js';
import { mysqlDatabase, postgresDatabase, sqliteDatabase, type AppOp, type SessionDatabase, type SessionRow } from './helpers/session-databases.js';
import { hasMariadb, hasPostgres, startMariadb, startPostgres, type MariadbServer, type PostgresServer } from './helpers/sql-servers.js';

const missing = [hasRuby ? null : 'ruby', hasRedisServer ? null : 'redis-server', hasPostgres ? null : 'PostgreSQL', hasMariadb ? null : 'MariaDB'].filter((m) => m !== null);
const reason = missing.length === 0 ? '' : ` (skipped: ${missing.join(', ')} not installed)`;

const SEED = Number(process.env.SEED ?? randomInt(1, 2 ** 31));
const SESSIONS = 300;
const EXPIRE_AFTER = 3600;
const TABLES = ['sessions', 'sessions_resumed'] as const;

/** mulberry32: the kill points and app choices follow the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * The CLI bundled into one file with esbuild (it starts in a fraction of the time tsx takes, and the scenario runs
 * it ~60 times), under node_modules/.cache so that the drivers resolve as they would for an installed package.
 */
async function bundleCli(): Promise<{ path: string; cleanup: () => void }> {
  const cache = fileURLToPath(new URL('../node_modules/.cache', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'rsc-cutover-cli-'));
  const path = join(dir, 'cli.mjs');
  await esbuild({
    entryPoints: [fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path,
    external: ['ioredis', 'pg', 'mysql2', 'better-sqlite3'],
    banner: { js: "import { createRequire as __rscRequire } from 'node:module'; const require = __rscRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let cliPath = '';

function startCli(args: string[]): Run {
  const child = spawn('node', [cliPath, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

function journalLines(path: string): number {
  try {
    return readFileSync(path, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** A pass run to its end; returns its summary line and how long it took. */
async function pass(args: string[], what: string): Promise<{ summary: string; ms: number }> {
  const started = Date.now();
  const { code, stderr } = await startCli(args).done;
  expect(code, `${what} (seed ${SEED}): ${stderr}`).toBe(0);
  return { summary: stderr.trim().split('\n').at(-1)!, ms: Date.now() - started };
}

/** The same pass, SIGKILLed `kills` times when its journal has grown by a random number of lines, then resumed to its end. */
async function killedPass(args: string[], state: string, random: () => number, kills: number, what: string): Promise<{ summary: string; ms: number; killed: number }> {
  const started = Date.now();
  let killed = 0;
  for (let k = 0; k < kills; k++) {
    const target = journalLines(state) + 1 + Math.floor(random() * 10);
    const run = startCli(args);
    let exited = false;
    void run.done.then(() => (exited = true));
    while (!exited && journalLines(state) < target) await sleep(2);
    if (!exited) {
      run.child.kill('SIGKILL');
      killed++;
    }
    const result = await run.done;
    if (result.signal === null) expect(result.code, `${what}, run ${k + 1} (seed ${SEED}): ${result.stderr}`).toBe(0);
  }
  const last = await pass(args, `${what}, resumed (seed ${SEED})`);
  return { summary: last.summary, ms: Date.now() - started, killed };
}

/** The session ids live in Redis now, on every master. */
async function redisIds(ports: number[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const port of ports) {
    const client = new Redis(port, '127.0.0.1');
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const id = /(\d+::[0-9a-f]{64})$/.exec(key)?.[1];
        if (id !== undefined) ids.add(id);
      }
    } while (cursor !== '0');
    client.disconnect();
  }
  return ids;
}

describe.skipIf(missing.length > 0)(`the cutover on real parts: Rails stores -> Redis -> migrate (pass 1, delta, killed and resumed) -> PostgreSQL, MariaDB, SQLite -> Ruby${reason}`, () => {
  let postgres: PostgresServer;
  let mariadb: MariadbServer;
  let cli: { path: string; cleanup: () => void } | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'rsc-cutover-'));

  beforeAll(async () => {
    [postgres, mariadb, cli] = await Promise.all([startPostgres(), startMariadb(), bundleCli()]);
    cliPath = cli.path;
  });

  afterAll(async () => {
    await Promise.all([postgres?.stop(), mariadb?.stop()]);
    cli?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const topology of ['standalone', 'cluster'] as const) {
    it(`${topology} Redis: every rule of the delta holds on all three databases, and the killed runs end in the same tables`, { timeout: 300_000 }, async () => {
      const random = prng(SEED + (topology === 'cluster' ? 1 : 0));
      const redis = topology === 'cluster' ? await startRedisCluster(3) : await startRedisServer();
      const ports = 'ports' in redis ? redis.ports : [redis.port];
      const databases: SessionDatabase[] = [];
      let writer: ChildProcess | null = null;
      try {
        databases.push(await postgresDatabase(postgres.url, `cutover_${topology}`), await mysqlDatabase(mariadb.url, `cutover_${topology}`), await sqliteDatabase(join(dir, `${topology}.sqlite3`)));
        // Rows someone else wrote before the tool ever ran: the tool must never touch them.
        const foreign: SessionRow[] = [1, 2, 3].map((n) => ({ session_id: `legacy-row-${n}`, data: `not ours ${n}`, created_at: '2023-06-01 00:00:00.000000', updated_at: `2023-06-0${n} 08:30:00.25000${n}` }));
        for (const db of databases) {
          for (const table of TABLES) {
            await db.createTable(table);
            await db.insert(table, foreign);
          }
        }

        // The app on Redis: real Rack requests through the real stores, churning until the switch.
        writer = spawn('ruby', [fileURLToPath(new URL('./e2e/cutover-writer.rb', import.meta.url)), JSON.stringify({ topology, ports, count: SESSIONS, seed: SEED, expire_after: EXPIRE_AFTER })], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const lines = createInterface({ input: writer.stdout! })[Symbol.asyncIterator]();
        expect((await lines.next()).value, `the writer (seed ${SEED})`).toBe('ready');

        const from = ['--from', `redis://127.0.0.1:${ports[0]}/0`, ...(topology === 'cluster' ? ['--cluster'] : []), '--match', '*session:*', '--count', '40'];
        const argsFor = (db: SessionDatabase, table: string) => ['migrate', ...from, '--to', db.url, '--table', table, '--state', join(dir, `${topology}-${db.kind}-${table}.state`), '--expire-after', String(EXPIRE_AFTER)];
        const figures: string[] = [];
        let kills = 0;

        // Pass 1, while the writer churns.
        for (const db of databases) {
          const plain = await pass(argsFor(db, 'sessions'), `pass 1 into ${db.kind}`);
          const killed = await killedPass(argsFor(db, 'sessions_resumed'), join(dir, `${topology}-${db.kind}-sessions_resumed.state`), random, 2, `pass 1 into ${db.kind}, killed`);
          kills += killed.killed;
          figures.push(`${db.kind} pass 1: ${plain.summary.replace(/ \(.*/, '')} in ${plain.ms} ms (killed ${killed.killed}x and resumed: ${killed.ms} ms)`);
        }

        // The switch: the writer stops (the app now uses the database); short-lived sessions run out.
        writer.stdin!.write('stop\n');
        const stopped = String((await lines.next()).value);
        expect(stopped, `the writer (seed ${SEED})`).toMatch(/^stopped /);
        await sleep(1500);
        const T = Date.now() / 1000;
        const cutover = T.toFixed(6);

        // The app writes from T on: refreshes sessions (some gone from Redis meanwhile), logs some out, makes new ones.
        const live = await redisIds(ports);
        const tables = await Promise.all(databases.flatMap((db) => TABLES.map((table) => db.rows(table))));
        const everywhere = tables.map((rows) => new Set(rows.map((r) => r.session_id))).reduce((a, b) => new Set([...a].filter((id) => b.has(id))));
        const ours = [...everywhere].filter((id) => id.startsWith('2::')).sort();
        const pick = (ids: string[], n: number) => ids.filter(() => random() < 0.5).slice(0, n);
        const stillLive = ours.filter((id) => live.has(id));
        const gone = ours.filter((id) => !live.has(id));
        const update = [...pick(stillLive, 15), ...pick(gone, 5)];
        const remove = pick(stillLive.filter((id) => !update.includes(id)), 15);
        const ops = JSON.parse(runRuby(`load ${JSON.stringify(fileURLToPath(new URL('./e2e/cutover-app.rb', import.meta.url)))}`, JSON.stringify({ update, delete: remove, insert: 10, seed: SEED }))) as AppOp[];
        const half = Math.floor(ops.length / 2);
        for (const db of databases) for (const table of TABLES) await db.apply(table, ops.slice(0, half));

        // The delta pass, while the app goes on writing (the rest of its writes land during the first delta).
        for (const db of databases) {
          const deltaArgs = (table: string) => [...argsFor(db, table), '--cutover', cutover];
          const during = (async () => {
            for (const op of ops.slice(half)) {
              for (const table of TABLES) await db.apply(table, [op]);
              await sleep(1);
            }
          })();
          const plain = await pass(deltaArgs('sessions'), `delta into ${db.kind}`);
          await during;
          const killed = await killedPass(deltaArgs('sessions_resumed'), join(dir, `${topology}-${db.kind}-sessions_resumed.state`), random, 2, `delta into ${db.kind}, killed`);
          kills += killed.killed;
          // Running the delta again changes nothing.
          const before = await db.rows('sessions');
          const again = await pass(deltaArgs('sessions'), `delta again into ${db.kind}`);
          expect(await db.rows('sessions'), `the delta again (seed ${SEED})`).toEqual(before);
          expect(again.summary).toMatch(/deleted 0 /);
          figures.push(`${db.kind} delta: ${plain.summary.replace(/ \(.*/, '')} in ${plain.ms} ms (killed ${killed.killed}x and resumed: ${killed.ms} ms; again: ${again.ms} ms)`);
        }

        // The judge.
        const input = {
          topology,
          ports,
          expire_after: EXPIRE_AFTER,
          cutover: formatDbTime(parseCutover(cutover)!),
          app: ops,
          foreign,
          tables: Object.fromEntries(await Promise.all(databases.flatMap((db) => TABLES.map(async (table) => [`${db.kind} ${table}`, await db.rows(table)] as const)))),
        };
        const verdict = JSON.parse(runRuby(`load ${JSON.stringify(fileURLToPath(new URL('./e2e/cutover-check.rb', import.meta.url)))}`, JSON.stringify(input))) as {
          redis: number;
          tables: Record<string, { violations: string[]; rows: number; compared: number }>;
        };
        for (const [name, table] of Object.entries(verdict.tables)) {
          expect(table.violations, `${topology} ${name} (seed ${SEED})`).toEqual([]);
          expect(table.compared, `${topology} ${name}: sessions compared with Redis`).toBeGreaterThan(SESSIONS / 2);
        }
        // Killed and resumed, or not: the same table.
        for (const db of databases) {
          const [plain, resumed] = await Promise.all(TABLES.map(async (table) => (await db.rows(table)).map((r) => [r.session_id, r.data])));
          expect(resumed, `${topology} ${db.kind}: killed and resumed vs not (seed ${SEED})`).toEqual(plain);
        }
        expect(kills, 'the kills landed mid-run').toBeGreaterThan(0);
        console.log(
          `cutover ${topology} (seed ${SEED}): ${verdict.redis} sessions in Redis at T, app ops ${ops.length}, rows ${Object.values(verdict.tables).map((t) => t.rows).join('/')}, ${kills} kills\n  ${figures.join('\n  ')}\n  writer: ${stopped}`,
        );
      } finally {
        if (writer !== null && writer.exitCode === null) writer.kill('SIGTERM');
        for (const db of databases) await db.close();
        await redis.stop();
      }
    });
  }
});
