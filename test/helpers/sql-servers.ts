// Throw-away PostgreSQL and MariaDB servers for tests: each in its own temp dir, on 127.0.0.1 with a free port,
// no persistence worth the name (fsync off), stopped by pid and removed afterwards. Queries go through the real
// command-line clients (`psql`, `mariadb`), as a user loading our SQL files would. When the tests run as root, the
// servers run as Debian's `postgres` / `mysql` users (PostgreSQL refuses root).
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** The newest `/usr/lib/postgresql/<n>/bin` with `initdb`, or null. */
function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

const PG_BIN = postgresBin();
const onPath = (command: string, arg = '--version'): boolean => spawnSync(command, [arg], { encoding: 'utf8' }).status === 0;

/** True when PostgreSQL's server binaries and `psql` are installed (Debian `postgresql`). */
export const hasPostgres: boolean = PG_BIN !== null && onPath('psql');
/** True when `mariadbd` and the `mariadb` client are installed (Debian `mariadb-server`). */
export const hasMariadb: boolean = onPath('mariadbd') && onPath('mariadb');
/** True when the `sqlite3` shell is installed (Debian `sqlite3`). */
export const hasSqlite3Shell: boolean = onPath('sqlite3');

/** The uid/gid of a system user, when we are root and it exists (servers that refuse root run as it). */
function systemUser(name: string): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (result.status !== 0 || group.status !== 0) return null;
  return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}

/** What a client run gave. */
export type ClientResult = SpawnSyncReturns<string>;

/** A running server: its port, temp dir and a stop that waits for the process to exit, then removes the dir. */
export interface SqlServer {
  host: '127.0.0.1';
  port: number;
  /** The server's temp dir (data, socket, log). */
  dir: string;
  /** The server process id. */
  pid: number;
  /** Stops the server by pid and removes its dir; safe to call twice. */
  stop(): Promise<void>;
}

/** A PostgreSQL server (trust auth, user `postgres`, database `postgres`, UTF8, C locale). */
export interface PostgresServer extends SqlServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** Runs `psql -X -v ON_ERROR_STOP=1 -At` with `sql` on stdin (or `-f file`); throws on a non-zero exit. */
  psql(sql: string | { file: string }, database?: string): string;
  /** The same, returning the result whatever the exit status. */
  psqlRaw(sql: string | { file: string }, database?: string): ClientResult;
}

/** A MariaDB server (`--skip-grant-tables`: any user, no password). */
export interface MariadbServer extends SqlServer {
  /** `mysql://root@127.0.0.1:<port>`. */
  url: string;
  /** Runs the `mariadb` client in batch mode (tab-separated, no headers, raw) with `sql` on stdin; throws on a non-zero exit. */
  query(sql: string, options?: { database?: string; args?: string[] }): string;
  /** The same, returning the result whatever the exit status (for `--force` loads that report errors). */
  queryRaw(sql: string, options?: { database?: string; args?: string[] }): ClientResult;
}

function checked(result: ClientResult, what: string): string {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** Polls `ready` until it holds; when the server exits or 30 s pass, stops it and throws with its log. */
async function waitFor(ready: () => boolean, child: ChildProcess, stop: () => Promise<void>, what: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!ready()) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${what} did not start: ${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stopper(child: ChildProcess, signal: NodeJS.Signals, dir: string): () => Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, signal);
      await exited;
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
}

function running(child: ChildProcess, port: number, dir: string, stop: () => Promise<void>): SqlServer {
  return { host: '127.0.0.1', port, dir, pid: child.pid!, stop };
}

function capture(child: ChildProcess): () => string {
  const chunks: string[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c.toString()));
  return () => chunks.join('').slice(-2000);
}

/** Starts PostgreSQL: `initdb` into a temp dir, then `postgres -h 127.0.0.1 -p <free port>`, ready when `pg_isready` says so. */
export async function startPostgres(): Promise<PostgresServer> {
  if (PG_BIN === null) throw new Error('PostgreSQL is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'rsc-pg-'));
  const user = systemUser('postgres');
  if (user !== null) chownSync(dir, user.uid, user.gid);
  const as = user === null ? {} : { uid: user.uid, gid: user.gid };
  const data = join(dir, 'data');
  const init = spawnSync(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { encoding: 'utf8', ...as });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr}`);
  }
  const port = await freePort();
  const child = spawn(join(PG_BIN, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  const log = capture(child);
  // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
  const stop = stopper(child, 'SIGINT', dir);
  const psqlRaw = (sql: string | { file: string }, database = 'postgres'): ClientResult =>
    spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, ...(typeof sql === 'string' ? [] : ['-f', sql.file])], {
      input: typeof sql === 'string' ? sql : '',
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  await waitFor(() => spawnSync(join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0, child, stop, 'postgres', log);
  return {
    ...running(child, port, dir, stop),
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    psqlRaw,
    psql: (sql, database) => checked(psqlRaw(sql, database), 'psql'),
  };
}

/**
 * Starts MariaDB on an empty data dir (InnoDB bootstraps itself; `--skip-grant-tables` needs no system tables), on
 * 127.0.0.1 with a free port; `sqlMode` sets the server's global `sql_mode` (such as `'NO_BACKSLASH_ESCAPES'`).
 */
export async function startMariadb(options: { sqlMode?: string } = {}): Promise<MariadbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rsc-mdb-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const user = systemUser('mysql');
  if (user !== null) {
    chownSync(dir, user.uid, user.gid);
    chownSync(data, user.uid, user.gid);
  }
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    '--skip-grant-tables',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=16M',
    '--innodb-flush-log-at-trx-commit=0',
    ...(user === null && userInfo().uid === 0 ? ['--user=root'] : []),
    ...(options.sqlMode === undefined ? [] : [`--sql-mode=${options.sqlMode}`]),
  ];
  const child = spawn('mariadbd', args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user === null ? {} : { uid: user.uid, gid: user.gid }) });
  const log = capture(child);
  const stop = stopper(child, 'SIGTERM', dir);
  const queryRaw = (sql: string, query: { database?: string; args?: string[] } = {}): ClientResult =>
    spawnSync(
      'mariadb',
      ['--no-defaults', '-h', '127.0.0.1', '-P', String(port), '-u', 'root', '--batch', '--raw', '--skip-column-names', ...(query.args ?? []), ...(query.database === undefined ? [] : [query.database])],
      { input: sql, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
  await waitFor(() => queryRaw('SELECT 1').status === 0, child, stop, 'mariadbd', log);
  return {
    ...running(child, port, dir, stop),
    url: `mysql://root@127.0.0.1:${port}`,
    queryRaw,
    query: (sql, query) => checked(queryRaw(sql, query), 'mariadb'),
  };
}
