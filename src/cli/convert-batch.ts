import { convertEntry, type EntryResult, type MigrateSessionsOptions } from '../stores/migrate.js';
import { readDumpLine, type BadDumpLine, type DumpLine } from './dump-reader.js';
import { createRowWriter, type RowWriter, type RowWriterOptions } from './row-writer.js';
import { SqlLiteralError } from './sql-literal.js';

/** What converting a dump needs, the same in the main thread and in every worker (structured-clonable). */
export interface ConvertJob {
  /** Validated `migrateSessions` options. */
  migrateOptions: MigrateSessionsOptions;
  rows: RowWriterOptions;
  maxSessionBytes: number;
}

/**
 * One dump line converted on its own: a bad line, or the entry's result before the batch's private-over-public
 * rule, with the row's text when it converted (or the SQL error its text met).
 */
export type LineResult =
  | { line: number; bad: BadDumpLine }
  | { line: number; result: EntryResult; text?: string; sqlError?: { code: string; message: string }; legacy?: true };

/**
 * A worker's results as posted to the main thread: a converted row's `data` is left out of `result` (its text is
 * in `text`, which is all the main thread writes), so each row crosses between threads once, not twice.
 */
export function withoutRowData(results: LineResult[]): LineResult[] {
  for (const item of results) {
    if (!('result' in item) || item.text === undefined) continue;
    const { result } = item;
    if (result.kind === 'keyed' && result.outcome.kind === 'converted') {
      result.outcome = { ...result.outcome, row: { session_id: result.outcome.row.session_id, data: '' } };
    }
  }
  return results;
}

/** A batch's converter: the row writer is made once per thread. */
export function lineConverter(job: ConvertJob): (lines: DumpLine[]) => LineResult[] {
  const writer = createRowWriter(job.rows);
  return (lines) => lines.map((line) => convertLine(line, job, writer));
}

function convertLine(line: DumpLine, job: ConvertJob, writer: RowWriter): LineResult {
  const parsed = readDumpLine(line, job.maxSessionBytes);
  if ('code' in parsed) return { line: line.number, bad: parsed };
  const result = convertEntry(parsed, job.migrateOptions);
  if (result.kind !== 'keyed' || result.outcome.kind !== 'converted') return { line: line.number, result };
  // With precedence, a legacy public-id key's row is marked so that loading lets its session's private-id row win.
  const legacy = job.rows.precedence === true && result.idKind === 'public';
  try {
    return { line: line.number, result, text: writer.row(result.outcome.row, legacy), ...(legacy ? { legacy: true as const } : {}) };
  } catch (error) {
    if (!(error instanceof SqlLiteralError)) throw error;
    return { line: line.number, result, sqlError: { code: error.code, message: `${error.code}: ${error.message}` } };
  }
}
