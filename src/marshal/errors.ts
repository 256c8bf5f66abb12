/**
 * What went wrong, as a stable machine-readable code.
 *
 * - `unexpected_eof`: the input ended in the middle of a value, or a length or count claims more bytes than are
 *   left (checked before anything is allocated).
 * - `unsupported_version`: the stream does not start with Marshal 4.x (x <= 8).
 * - `unknown_type`: a type byte that Marshal 4.8 does not define.
 * - `bad_link`: an object link (`@`) or symbol link (`;`) to an entry that does not exist yet.
 * - `depth_exceeded`: values nested deeper than `maxDepth`.
 * - `length_exceeded`: `dump` was given a string or collection longer than Marshal's 32-bit lengths can say.
 * - `invalid_format`: bytes that are well-formed Marshal pieces in a combination Ruby rejects
 *   (a user class around an Integer, a negative length, a symbol expected but something else found).
 * - `trailing_bytes`: bytes after the value, with `trailingBytes: 'error'`.
 * - `unsupported_value`: `dump` was given a value Ruby Marshal cannot represent.
 * - `budget_exceeded`: `dump` or `inspect` would write more than `maxOutputBytes` (or visit more than `maxNodes`),
 *   or a BigDecimal's decimal text would pass it.
 * - `invalid_input`: `load` or `inspect` was given something that is not bytes (a string, say).
 */
export type MarshalErrorCode =
  | 'unexpected_eof'
  | 'unsupported_version'
  | 'unknown_type'
  | 'bad_link'
  | 'depth_exceeded'
  | 'length_exceeded'
  | 'invalid_format'
  | 'trailing_bytes'
  | 'unsupported_value'
  | 'budget_exceeded'
  | 'invalid_input';

/**
 * The one error `load`, `dump` and `inspect` throw.
 *
 * The message names the code, the byte offset and the path of the value being read or written
 * (such as `["flash"]["flashes"][2]`), never the contents of the session.
 * Check with `error.name === 'MarshalError'` or `isMarshalError(error)` when the ESM and CJS copies
 * of this package may both be loaded.
 */
export class MarshalError extends Error {
  override readonly name = 'MarshalError';
  /** What went wrong. */
  readonly code: MarshalErrorCode;
  /** Byte offset in the input (load) or output (dump) where it went wrong. */
  readonly offset: number;
  /** Where in the value it went wrong; `''` for the top level. Built up as the error unwinds. */
  path: string;
  /** The bare description, without offset and path. */
  readonly reason: string;

  constructor(code: MarshalErrorCode, reason: string, offset: number, path = '') {
    super(formatMessage(code, reason, offset, path));
    this.code = code;
    this.reason = reason;
    this.offset = offset;
    this.path = path;
  }

  /** Adds a path segment in front (called while unwinding out of containers). */
  prependPath(segment: string): void {
    this.path = segment + this.path;
    this.message = formatMessage(this.code, this.reason, this.offset, this.path);
  }
}

function formatMessage(code: MarshalErrorCode, reason: string, offset: number, path: string): string {
  return `${code}: ${reason} (at byte ${offset}${path === '' ? '' : `, path ${path}`})`;
}

/** True for a `MarshalError` from any copy of this package (ESM or CJS). */
export function isMarshalError(error: unknown): error is MarshalError {
  return error instanceof Error && error.name === 'MarshalError' && typeof (error as MarshalError).code === 'string';
}
