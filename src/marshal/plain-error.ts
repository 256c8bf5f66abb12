/**
 * What the plain view could not do.
 * - `loss`: a value holds information its plain form cannot (a Time's nanoseconds in a `Date`, a Hash default, an
 *   invalid UTF-8 String), with `onLoss: 'error'` (the default).
 * - `unsupported_value`: `fromPlain` met a JS value with no Ruby equivalent (`undefined`, a function, a class
 *   instance it does not know).
 * - `depth_exceeded`: values nested deeper than 1024 levels (the JS stack's safe depth).
 * - `budget_exceeded`: more String bytes than `maxOutputBytes`, or values than `maxNodes`, to make.
 */
export type PlainErrorCode = 'loss' | 'unsupported_value' | 'depth_exceeded' | 'budget_exceeded';

/** The error of `toPlain` and `fromPlain`, with the path of the value (`["seen_at"]`); never the value itself. */
export class PlainError extends Error {
  override readonly name = 'PlainError';
  readonly code: PlainErrorCode;
  readonly reason: string;
  path: string;

  constructor(code: PlainErrorCode, reason: string, path = '') {
    super(formatMessage(code, reason, path));
    this.code = code;
    this.reason = reason;
    this.path = path;
  }

  /** Adds a path segment in front (called while unwinding out of containers). */
  prependPath(segment: string): void {
    this.path = segment + this.path;
    this.message = formatMessage(this.code, this.reason, this.path);
  }
}

function formatMessage(code: string, reason: string, path: string): string {
  return `${code}: ${reason}${path === '' ? '' : ` (path ${path})`}`;
}

/** True for a `PlainError` from any copy of this package (ESM or CJS). */
export function isPlainError(error: unknown): error is PlainError {
  return error instanceof Error && error.name === 'PlainError' && typeof (error as PlainError).code === 'string';
}
