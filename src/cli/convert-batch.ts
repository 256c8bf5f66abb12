import { convertEntry, type MigrateSessionsOptions } from '../stores/migrate.js';
import type { ConvertedBatch, PlacedReject } from './conversion-loop.js';
import { splitDumpChunk, type DumpChunk } from './dump-chunks.js';
import { readDumpLine, type DumpLine } from './dump-reader.js';
import { createRowWriter, type RowWriter, type RowWriterOptions } from './row-writer.js';
import { SqlLiteralError } from './sql-literal.js';
import { joinUtf8 } from './utf8-join.js';

/** What converting a dump needs, the same in the main thread and in every worker (structured-clonable). */
export interface ConvertJob {
  /** Validated `migrateSessions` options. */
  migrateOptions: MigrateSessionsOptions;
  rows: RowWriterOptions;
  maxSessionBytes: number;
  /** The longest line kept whole (see `maxLineBytes`). */
  maxLineBytes: number;
}

/** A batch of dump lines as output: the rows' text, in input order, and what the summary counts of them. */
export interface RowText {
  /** UTF-8, written by the thread that converted the batch (and transferred, not copied, from a worker). */
  text: Uint8Array;
  converted: number;
  /** Rows from legacy public-id keys, marked to yield to their session's private-id row (see `precedence`). */
  legacy: number;
  /** Lossy JSON conversions the gem makes, over the batch's rows. */
  warnings: number;
}

/** A chunk's converter (it splits the chunk into lines, then converts them): the row writer is made once per thread. */
export function chunkConverter(job: ConvertJob): (chunk: DumpChunk) => ConvertedBatch<RowText> {
  const writer = createRowWriter(job.rows);
  return (chunk) => convertLines(splitDumpChunk(chunk, job.maxLineBytes), job, writer);
}

/** Each line of a batch to its row's text, or to a reject (with its line number), in input order. */
function convertLines(lines: DumpLine[], job: ConvertJob, writer: RowWriter): ConvertedBatch<RowText> {
  // The rows' texts, and their length in UTF-16 units, made into bytes at the end (see `joinUtf8`).
  const texts: string[] = [];
  let units = 0;
  const counts = { converted: 0, legacy: 0, warnings: 0 };
  const rejects: PlacedReject[] = [];
  // With precedence, a legacy public-id key's row is marked so that loading lets its session's private-id row win.
  const precedence = job.rows.precedence === true;
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!;
    const parsed = readDumpLine(line, job.maxSessionBytes);
    if ('code' in parsed) {
      rejects.push({ at, reject: { key: parsed.key, line: parsed.line, code: parsed.code, message: parsed.message } });
      continue;
    }
    const result = convertEntry(parsed, job.migrateOptions);
    const outcome = result.kind === 'keyed' ? result.outcome : result;
    if (outcome.kind === 'skipped') {
      rejects.push({ at, reject: { key: outcome.key, line: line.number, code: 'skipped', message: outcome.reason, skipped: true } });
      continue;
    }
    if (outcome.kind === 'failed') {
      rejects.push({ at, reject: { key: outcome.key, line: line.number, code: outcome.error.code, message: outcome.error.message } });
      continue;
    }
    const legacy = precedence && result.kind === 'keyed' && result.idKind === 'public';
    let row: string;
    try {
      row = writer.row(outcome.row, legacy);
    } catch (error) {
      if (!(error instanceof SqlLiteralError)) throw error;
      rejects.push({ at, reject: { key: outcome.key, line: line.number, code: error.code, message: `${error.code}: ${error.message}` } });
      continue;
    }
    texts.push(row);
    units += row.length;
    counts.converted++;
    if (legacy) counts.legacy++;
    if (outcome.warnings !== undefined) counts.warnings += outcome.warnings.length;
  }
  return { read: lines.length, rejects, rows: { text: joinUtf8(texts, units), ...counts } };
}
