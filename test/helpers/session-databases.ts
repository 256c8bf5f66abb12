// The gem's `sessions` table on PostgreSQL, MariaDB and SQLite, for the cutover scenario: created as Rails 6.1's
// migration creates it on each adapter, read back with timestamps as text, and written the way the gem writes it
// (what an app does after the switch), through the same drivers `migrate` uses.
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** A row as read back: timestamps as `YYYY-MM-DD HH:MM:SS.ffffff` text, UTC. */
export interface SessionRow {
  session_id: string;
  data: string;
  created_at: string;
  updated_at: string;
}

/** What the app did after the switch (see test/e2e/cutover-app.rb). */
export type AppOp = { op: 'update' | 'insert'; session_id: string; data: string; at: string } | { op: 'delete'; session_id: string };

/** One database holding session tables. */
export interface SessionDatabase {
  kind: 'postgresql' | 'mysql' | 'sqlite';
  /** What `migrate --to` takes. */
  url: string;
  createTable(table: string): Promise<void>;
  rows(table: string): Promise<SessionRow[]>;
  /** Rows someone else wrote (not this tool). */
  insert(table: string, rows: SessionRow[]): Promise<void>;
  /** The app's writes, one statement each, as the gem issues them. */
  apply(table: string, ops: AppOp[]): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL: `timestamp(6) without time zone`, as Rails 6.1's `t.timestamps` on the pg adapter. */
export async function postgresDatabase(serverUrl: string, name: string): Promise<SessionDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  return {
    kind: 'postgresql',
    url,
    async createTable(table) {
      await client.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, session_id character varying NOT NULL, data text,
        created_at timestamp(6) without time zone NOT NULL, updated_at timestamp(6) without time zone NOT NULL);
        CREATE UNIQUE INDEX index_${table}_on_session_id ON ${table} (session_id);
        CREATE INDEX index_${table}_on_updated_at ON ${table} (updated_at)`);
    },
    async rows(table) {
      const result = await client.query<SessionRow>(
        `SELECT session_id, data, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US') AS created_at, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US') AS updated_at FROM ${table} ORDER BY session_id`,
      );
      return result.rows;
    },
    async insert(table, rows) {
      for (const r of rows) await client.query(`INSERT INTO ${table} (session_id, data, created_at, updated_at) VALUES ($1, $2, $3, $4)`, [r.session_id, r.data, r.created_at, r.updated_at]);
    },
    async apply(table, ops) {
      for (const op of ops) {
        if (op.op === 'delete') await client.query(`DELETE FROM ${table} WHERE session_id = $1`, [op.session_id]);
        else if (op.op === 'update') await client.query(`UPDATE ${table} SET data = $1, updated_at = $2 WHERE session_id = $3`, [op.data, op.at, op.session_id]);
        else await client.query(`INSERT INTO ${table} (session_id, data, created_at, updated_at) VALUES ($1, $2, $3, $3)`, [op.session_id, op.data, op.at]);
      }
    },
    close: () => client.end(),
  };
}

/** MariaDB/MySQL: `datetime(6)`, utf8mb4, as Rails 6.1's mysql2 adapter creates them. */
export async function mysqlDatabase(serverUrl: string, name: string): Promise<SessionDatabase> {
  const server = new URL(serverUrl);
  const connect = (database?: string) =>
    mysql.createConnection({ host: server.hostname, port: Number(server.port), user: server.username || 'root', database, charset: 'utf8mb4', timezone: 'Z', dateStrings: true });
  const admin = await connect();
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.end();
  const connection = await connect(name);
  await connection.query("SET time_zone = '+00:00'");
  return {
    kind: 'mysql',
    url: `mysql://${server.username || 'root'}@${server.host}/${name}`,
    async createTable(table) {
      await connection.query(`CREATE TABLE \`${table}\` (\`id\` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, \`session_id\` varchar(255) NOT NULL, \`data\` text,
        \`created_at\` datetime(6) NOT NULL, \`updated_at\` datetime(6) NOT NULL,
        UNIQUE INDEX \`index_${table}_on_session_id\` (\`session_id\`), INDEX \`index_${table}_on_updated_at\` (\`updated_at\`)) DEFAULT CHARSET=utf8mb4`);
    },
    async rows(table) {
      const [rows] = await connection.query(
        `SELECT session_id, data, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') AS created_at, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS updated_at FROM \`${table}\` ORDER BY session_id`,
      );
      return rows as SessionRow[];
    },
    async insert(table, rows) {
      for (const r of rows) await connection.query(`INSERT INTO \`${table}\` (session_id, data, created_at, updated_at) VALUES (?, ?, ?, ?)`, [r.session_id, r.data, r.created_at, r.updated_at]);
    },
    async apply(table, ops) {
      for (const op of ops) {
        if (op.op === 'delete') await connection.query(`DELETE FROM \`${table}\` WHERE session_id = ?`, [op.session_id]);
        else if (op.op === 'update') await connection.query(`UPDATE \`${table}\` SET data = ?, updated_at = ? WHERE session_id = ?`, [op.data, op.at, op.session_id]);
        else await connection.query(`INSERT INTO \`${table}\` (session_id, data, created_at, updated_at) VALUES (?, ?, ?, ?)`, [op.session_id, op.data, op.at, op.at]);
      }
    },
    close: () => connection.end(),
  };
}

/** SQLite: `datetime(6)` columns holding ActiveRecord's text, as Rails 6.1's sqlite3 adapter creates them. */
export async function sqliteDatabase(path: string): Promise<SessionDatabase> {
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  // Text as ActiveRecord wrote it, with the fraction made explicit, so every database reads back alike.
  const text = (column: string) => `CASE WHEN length(${column}) = 19 THEN ${column} || '.000000' ELSE ${column} END AS ${column}`;
  return {
    kind: 'sqlite',
    url: `sqlite:${path}`,
    async createTable(table) {
      db.exec(`CREATE TABLE "${table}" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "session_id" varchar NOT NULL, "data" text,
        "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
        CREATE UNIQUE INDEX "index_${table}_on_session_id" ON "${table}" ("session_id");
        CREATE INDEX "index_${table}_on_updated_at" ON "${table}" ("updated_at")`);
    },
    async rows(table) {
      return db.prepare(`SELECT session_id, data, ${text('created_at')}, ${text('updated_at')} FROM "${table}" ORDER BY session_id`).all() as SessionRow[];
    },
    async insert(table, rows) {
      const statement = db.prepare(`INSERT INTO "${table}" (session_id, data, created_at, updated_at) VALUES (?, ?, ?, ?)`);
      for (const r of rows) statement.run(r.session_id, r.data, r.created_at, r.updated_at);
    },
    async apply(table, ops) {
      for (const op of ops) {
        if (op.op === 'delete') db.prepare(`DELETE FROM "${table}" WHERE session_id = ?`).run(op.session_id);
        else if (op.op === 'update') db.prepare(`UPDATE "${table}" SET data = ?, updated_at = ? WHERE session_id = ?`).run(op.data, op.at, op.session_id);
        else db.prepare(`INSERT INTO "${table}" (session_id, data, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(op.session_id, op.data, op.at, op.at);
      }
    },
    close: async () => {
      db.close();
    },
  };
}
