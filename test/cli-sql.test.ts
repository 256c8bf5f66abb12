import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../src/cli/csv.js';
import { createRowWriter } from '../src/cli/row-writer.js';
import { SqlLiteralError, sqlIdentifier, sqlString, sqlTimestamp, upsertStatement } from '../src/cli/sql-literal.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const TRICKY = [
  '',
  "it's",
  "''",
  'back\\slash',
  '\\',
  "\\'",
  'line\nbreak\r\nand\rreturn',
  '"double" quotes',
  'tab\there; DROP TABLE sessions; --',
  '%_ like wildcards',
  'Zoë 🎉 こんにちは \u2028 \u2029',
  '\x1a ctrl-z',
  '{"value":{"a":"\\u0000 \\n \\"q\\""}}',
];

/** The `data` texts the gem's serializers write for every fixture session: Base64 with newlines, and JSON. */
const FIXTURE_DATA = storeFixtures().flatMap((f) => Object.values(f.ar_data).filter((d): d is string => typeof d === 'string'));

function sqliteTable(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)');
  return db;
}

describe('SQL string literals', () => {
  it('SQLite: every tricky text and every fixture data column round-trips through a real SQLite', () => {
    const db = sqliteTable();
    const texts = [...TRICKY, ...FIXTURE_DATA];
    texts.forEach((text, i) => {
      db.exec(upsertStatement({ session_id: `2::id-${i}`, data: text }, { dialect: 'sqlite', table: 'sessions', timestamp: sqlTimestamp(1705320000) }));
    });
    const rows = db.prepare('SELECT session_id, data FROM sessions ORDER BY id').all() as Array<{ session_id: string; data: string }>;
    expect(rows.map((r) => r.data)).toEqual(texts);
    for (const text of TRICKY) expect((db.prepare(`SELECT ${sqlString(text, 'sqlite')} AS t`).get() as { t: string }).t).toBe(text);
  });

  it('SQLite: doubles quotes; a text with a line end or control character goes as UTF-8 hex cast to TEXT', () => {
    expect(sqlString("it's \\n", 'sqlite')).toBe("'it''s \\n'");
    expect(sqlString('a\r\nb', 'sqlite')).toBe("CAST(X'610D0A62' AS TEXT)");
    expect(sqlString('é\n', 'sqlite')).toBe("CAST(X'C3A90A' AS TEXT)");
  });

  it('PostgreSQL: a plain literal with doubled quotes, or an E string with escapes for backslashes and control characters', () => {
    expect(sqlString("it's fine", 'postgresql')).toBe("'it''s fine'");
    expect(sqlString('BAh7\nBkki\n', 'postgresql')).toBe("E'BAh7\\nBkki\\n'");
    expect(sqlString('{"a":"\\"q\\" it\'s"}', 'postgresql')).toBe(`E'{"a":"\\\\"q\\\\" it''s"}'`);
    expect(sqlString('\\', 'postgresql')).toBe("E'\\\\'");
    expect(sqlString('\r\t\x01\x7f', 'postgresql')).toBe("E'\\r\\t\\x01\\x7f'");
  });

  it('MySQL: a plain literal with doubled quotes, or a hex literal, never a backslash escape', () => {
    expect(sqlString('it\'s "q"', 'mysql')).toBe("'it''s \"q\"'");
    expect(sqlString('a\\b', 'mysql')).toBe("_utf8mb4 X'615C62'");
    expect(sqlString('\n\0', 'mysql')).toBe("_utf8mb4 X'0A00'");
    expect(sqlString('Zoë 🎉', 'mysql')).toBe("'Zoë 🎉'");
  });

  it('refuses a lone surrogate in every dialect', () => {
    for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) expect(() => sqlString('a\ud800b', dialect)).toThrow(SqlLiteralError);
    expect(sqlString('\ud83c\udf89', 'mysql')).toBe("'🎉'");
  });

  it('refuses a NUL where the dialect cannot hold one', () => {
    expect(() => sqlString('a\0b', 'sqlite')).toThrow(SqlLiteralError);
    expect(() => sqlString('a\0b', 'postgresql')).toThrow(SqlLiteralError);
  });

  it('quotes identifiers per dialect, part by part', () => {
    expect(sqlIdentifier('sessions', 'postgresql')).toBe('"sessions"');
    expect(sqlIdentifier('app.sessions', 'postgresql')).toBe('"app"."sessions"');
    expect(sqlIdentifier('sessions', 'mysql')).toBe('`sessions`');
    expect(sqlIdentifier('sessions', 'sqlite')).toBe('"sessions"');
  });

  it('writes timestamps as Rails does, in UTC, with microseconds only when there are some', () => {
    expect(sqlTimestamp(1705320000)).toBe("'2024-01-15 12:00:00'");
    expect(sqlTimestamp(1705320000.25)).toBe("'2024-01-15 12:00:00.250000'");
    expect(sqlTimestamp(0)).toBe("'1970-01-01 00:00:00'");
  });

  it('a legacy public-id key\'s row leaves an existing row alone (its session\'s private-id row wins in either order)', () => {
    const options = { table: 'sessions', timestamp: sqlTimestamp(1705320000) };
    expect(upsertStatement({ session_id: '2::ab', data: 'L' }, { ...options, dialect: 'postgresql', legacy: true })).toMatch(/ ON CONFLICT \(session_id\) DO NOTHING;$/);
    expect(upsertStatement({ session_id: '2::ab', data: 'L' }, { ...options, dialect: 'mysql', legacy: true })).toMatch(/ ON DUPLICATE KEY UPDATE session_id = session_id;$/);
    for (const order of [['private', 'legacy'], ['legacy', 'private']]) {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, data TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)');
      for (const kind of order) db.exec(upsertStatement({ session_id: '2::ab', data: kind }, { ...options, dialect: 'sqlite', legacy: kind === 'legacy' }));
      expect(db.prepare('SELECT data FROM sessions').all(), order.join(' then ')).toEqual([{ data: 'private' }]);
    }
  });

  it('writes one upsert per row, keyed on session_id, in each dialect', () => {
    const row = { session_id: '2::ab', data: "x'y" };
    const options = { table: 'sessions', timestamp: sqlTimestamp(1705320000) };
    expect(upsertStatement(row, { ...options, dialect: 'postgresql' })).toBe(
      `INSERT INTO "sessions" (session_id, data, created_at, updated_at) VALUES ('2::ab', 'x''y', '2024-01-15 12:00:00', '2024-01-15 12:00:00') ON CONFLICT (session_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at;`,
    );
    expect(upsertStatement(row, { ...options, dialect: 'mysql' })).toBe(
      "INSERT INTO `sessions` (session_id, data, created_at, updated_at) VALUES ('2::ab', 'x''y', '2024-01-15 12:00:00', '2024-01-15 12:00:00') ON DUPLICATE KEY UPDATE data = VALUES(data), updated_at = VALUES(updated_at);",
    );
    expect(upsertStatement(row, { ...options, dialect: 'sqlite' })).toBe(
      `INSERT INTO "sessions" (session_id, data, created_at, updated_at) VALUES ('2::ab', 'x''y', '2024-01-15 12:00:00', '2024-01-15 12:00:00') ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at;`,
    );
  });

  it('an upsert replaces data and updated_at and keeps created_at (SQLite)', () => {
    const db = sqliteTable();
    const writer = (at: number) => createRowWriter({ format: 'sql', dialect: 'sqlite', timestamp: at });
    const first = writer(1705320000);
    const second = writer(1705323600);
    db.exec(first.header() + first.row({ session_id: '2::a', data: 'old' }) + first.footer());
    db.exec(second.header() + second.row({ session_id: '2::a', data: 'new' }) + second.footer());
    expect(db.prepare('SELECT data, created_at, updated_at FROM sessions').all()).toEqual([
      { data: 'new', created_at: '2024-01-15 12:00:00', updated_at: '2024-01-15 13:00:00' },
    ]);
  });
});

/** RFC 4180, strictly: what COPY … CSV reads. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') break;
        else field += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    }
    fields.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(fields);
      fields = [];
      i += 2;
    } else throw new Error(`bad CSV at ${i}`);
  }
  return records;
}

describe('CSV', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('2::abc')).toBe('2::abc');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('BAh7\nBkki\n')).toBe('"BAh7\nBkki\n"');
    expect(csvField('')).toBe('');
    expect(csvRecord(['a', 'b'])).toBe('a,b\r\n');
  });

  it('round-trips every tricky text and fixture data column through an RFC 4180 reader', () => {
    const texts = [...TRICKY, ...FIXTURE_DATA];
    const writer = createRowWriter({ format: 'csv', timestamp: 0 });
    const csv = writer.header() + texts.map((data, i) => writer.row({ session_id: `2::${i}`, data })).join('') + writer.footer();
    const records = parseCsv(csv);
    expect(records[0]).toEqual(['session_id', 'data']);
    expect(records.slice(1).map((r) => r[1])).toEqual(texts);
  });
});
