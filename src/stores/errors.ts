import { isRailsJsonError } from '../json/rails-json-error.js';
import { nameInMessage } from '../marshal/error-path.js';
import { isMarshalError } from '../marshal/errors.js';

/**
 * What went wrong in the session-store layer.
 *
 * - `unknown_format`: a Redis value that no supported store writes (the message says what it starts with).
 * - `invalid_payload`: the bytes claim a format but do not hold a valid value of it (`cause` has the MarshalError).
 * - `invalid_json`: a JSON session (Redis value or ActiveRecord `data`) that Ruby's `JSON.parse` would reject.
 * - `decompression_failed`: a compressed cache value that does not inflate.
 * - `not_a_session`: the decoded value is not a Hash.
 * - `invalid_key`: a Redis key without a session id, or without the prefix that was given.
 * - `public_id_unavailable`: a public session id was asked for, but only the private one is known (SHA-256 cannot
 *   be reversed).
 * - `column_limit_exceeded`: the `data` text is longer than the column can hold.
 * - `unsupported_value`: a value the chosen serializer cannot write (Ruby would raise too).
 * - `invalid_options`: options that do not fit their schema (the message names the path and what was expected, never the value).
 */
export type SessionErrorCode =
  | 'unknown_format'
  | 'invalid_payload'
  | 'invalid_json'
  | 'decompression_failed'
  | 'not_a_session'
  | 'invalid_key'
  | 'public_id_unavailable'
  | 'column_limit_exceeded'
  | 'unsupported_value'
  | 'invalid_options';

/**
 * The one error of the session-store functions. Messages name codes, formats, sizes, Hash keys and paths, and
 * Redis keys with any public session id shortened (a public id logs a user in); never session values.
 */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly code: SessionErrorCode;
  /** The path inside the session where a value failed (`["flash"]["flashes"]`), when one is known. */
  readonly path: string;

  constructor(code: SessionErrorCode, reason: string, options?: { cause?: unknown; path?: string }) {
    const path = options?.path ?? '';
    super(`${code}: ${reason}${path === '' ? '' : ` (path ${path})`}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = path;
  }
}

/**
 * A codec error met inside a store format, as a SessionError: the store-level code, what was being read, the inner
 * code, reason and place, and the inner error as `cause`. Other errors pass unchanged.
 */
export function wrapCodecError(error: unknown, code: SessionErrorCode, what: string): unknown {
  if (isMarshalError(error)) {
    return new SessionError(code, `${what}: ${error.code} at byte ${error.offset}: ${error.reason}`, { cause: error, path: error.path });
  }
  if (isRailsJsonError(error)) {
    const at = error.offset === undefined ? '' : ` at character ${error.offset}`;
    return new SessionError(code, `${what}: ${error.code}${at}: ${error.reason}`, { cause: error, path: error.path });
  }
  return error;
}

/** The kind of a decoded value, for messages: never the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return `an Array of ${value.length}`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const className = (value as { className?: { name: string } }).className?.name;
  return className === undefined ? `a ${value.constructor.name}` : `an object of class ${nameInMessage(className)}`;
}

/** True for a `SessionError` from any copy of this package (ESM or CJS). */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof Error && error.name === 'SessionError' && typeof (error as SessionError).code === 'string';
}
