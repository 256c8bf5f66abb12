/**
 * What went wrong between Ruby values and Rails JSON.
 * - `invalid_json`: text that Ruby's `JSON.parse` rejects (the message says where, never what).
 * - `nesting_too_deep`: deeper than `maxNesting` when reading, which Ruby's JSON also enforces (100 by default), or
 *   than 1024 levels when writing.
 * - `generator_error`: a value Ruby's JSON generator raises on (a String that is not valid UTF-8).
 * - `unsupported_value`: a value whose Ruby JSON text cannot be reproduced (an object whose `to_s` shows its memory
 *   address), or that is not a Ruby value.
 * - `unreadable_json`: with `nonFiniteFloats: 'error'`, a NaN or Infinity Float, which `'json'` writes bare (Ruby's
 *   `JSON.parse` rejects the row) and `'multi_json'` as null.
 * - `unsupported_encoding`: a String in an encoding Ruby converts to UTF-8 but whose table is not registered
 *   (`registerRubyEncodings()` from `rails-session-codec/encodings`).
 * - `budget_exceeded`: writing would repeat shared objects beyond `maxNodes` (JSON has no references).
 * - `cycle`: a value that contains itself (Ruby overflows its stack).
 */
export type RailsJsonErrorCode = 'invalid_json' | 'nesting_too_deep' | 'generator_error' | 'unsupported_value' | 'unreadable_json' | 'unsupported_encoding' | 'budget_exceeded' | 'cycle';

/** The error of `toRailsJson` and `fromRailsJson`: code, path (`["flash"]`), offset in the text when reading. */
export class RailsJsonError extends Error {
  override readonly name = 'RailsJsonError';
  readonly code: RailsJsonErrorCode;
  /** The bare description, without where. */
  readonly reason: string;
  /** Where in the value (writing); `''` for the top level. */
  path: string;
  /** Where in the text (reading). */
  readonly offset: number | undefined;

  constructor(code: RailsJsonErrorCode, reason: string, where: { path?: string; offset?: number } = {}) {
    super(formatMessage(code, reason, where.path ?? '', where.offset));
    this.code = code;
    this.reason = reason;
    this.path = where.path ?? '';
    this.offset = where.offset;
  }

  /** Adds a path segment in front (called while unwinding out of containers). */
  prependPath(segment: string): void {
    this.path = segment + this.path;
    this.message = formatMessage(this.code, this.reason, this.path, this.offset);
  }
}

function formatMessage(code: string, reason: string, path: string, offset: number | undefined): string {
  const where = [offset === undefined ? '' : `at character ${offset}`, path === '' ? '' : `path ${path}`].filter(Boolean).join(', ');
  return `${code}: ${reason}${where === '' ? '' : ` (${where})`}`;
}

/** True for a `RailsJsonError` from any copy of this package (ESM or CJS). */
export function isRailsJsonError(error: unknown): error is RailsJsonError {
  return error instanceof Error && error.name === 'RailsJsonError' && typeof (error as RailsJsonError).code === 'string';
}
