import type { SessionSink } from './sink.js';

/** The databases `migrate --to` writes. */
export type DatabaseKind = 'postgresql' | 'mysql' | 'sqlite';

/** A parsed `--to`. */
export type DatabaseTarget = { kind: 'postgresql' | 'mysql'; url: URL; label: string } | { kind: 'sqlite'; path: string; label: string };

/**
 * `--to`: `postgres://…` or `postgresql://…` (pg), `mysql://…` or `mariadb://…` (mysql2), `sqlite:PATH` (also
 * `sqlite:///abs/path`, better-sqlite3). Returns a message for anything else. The label drops the password.
 */
export function parseDatabaseTarget(text: string): DatabaseTarget | string {
  if (text.startsWith('sqlite:')) {
    let path = text.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') return '--to sqlite: needs a path (sqlite:db/production.sqlite3)';
    return { kind: 'sqlite', path, label: `sqlite:${path}` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '--to takes postgres://…, mysql://… or sqlite:PATH';
  }
  const kind = url.protocol === 'postgres:' || url.protocol === 'postgresql:' ? 'postgresql' : url.protocol === 'mysql:' || url.protocol === 'mariadb:' ? 'mysql' : null;
  if (kind === null) return `--to takes postgres://…, mysql://… or sqlite:PATH (got ${url.protocol}//)`;
  if (kind === 'mysql' && url.pathname.length <= 1) return '--to mysql:// needs a database name (mysql://user@host/app)';
  const shown = new URL(url.href);
  if (shown.password !== '') shown.password = '***';
  shown.search = '';
  return { kind, url, label: shown.href };
}

/**
 * Opens the sink for a target, loading its driver (an optional peer dependency) only now. A database that cannot
 * be reached is one line naming the target (never its password); a driver that is not installed says what to
 * install.
 */
export async function openSink(target: DatabaseTarget, table: string): Promise<SessionSink> {
  try {
    return await openDriver(target, table);
  } catch (error) {
    if (error instanceof Error && error.name === 'MissingDependencyError') throw error;
    throw new Error(`cannot open ${target.label}: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}`, { cause: error });
  }
}

async function openDriver(target: DatabaseTarget, table: string): Promise<SessionSink> {
  switch (target.kind) {
    case 'postgresql': {
      const { PostgresSink } = await import('./postgres-sink.js');
      return PostgresSink.open(target.url, table, target.label);
    }
    case 'mysql': {
      const { MysqlSink } = await import('./mysql-sink.js');
      return MysqlSink.open(target.url, table, target.label);
    }
    case 'sqlite': {
      const { SqliteSink } = await import('./sqlite-sink.js');
      return SqliteSink.open(target.path, table);
    }
  }
}
