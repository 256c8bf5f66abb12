import { MarshalError, isMarshalError } from './errors.js';
import { inputBytes } from './input-bytes.js';
import { DEFAULT_MAX_DEPTH, type LoadOptions } from './options.js';
import { MarshalParser } from './parse.js';
import type { RubyValue } from './values/value.js';

/**
 * Reads one Ruby Marshal 4.8 value (what `Marshal.dump` wrote) into the lossless value model.
 *
 * Throws `MarshalError`, and nothing else, for any input that is not a whole Marshal value: the error names the
 * code, byte offset and path, never the session's contents.
 */
export function load(bytes: Uint8Array | ArrayBuffer, options?: LoadOptions): RubyValue {
  const input = inputBytes(bytes, 'load');
  const parser = new MarshalParser(input, options?.maxDepth ?? DEFAULT_MAX_DEPTH, options?.rubyClasses !== 'raw');
  let value: RubyValue;
  try {
    value = parser.parseDocument();
  } catch (error) {
    throw asMarshalError(error, parser.offset);
  }
  if (parser.remaining > 0 && options?.trailingBytes === 'error') {
    throw new MarshalError('trailing_bytes', `${parser.remaining} bytes after the value`, parser.offset);
  }
  return value;
}

/** Anything but a MarshalError escaping the parser is a bug or a runtime limit: report it in the one error type. */
export function asMarshalError(error: unknown, offset: number): MarshalError {
  if (isMarshalError(error)) return error;
  const stackOverflow = error instanceof RangeError && /call stack/i.test(error.message);
  const wrapped = stackOverflow
    ? new MarshalError('depth_exceeded', 'values nest deeper than the JavaScript stack allows (lower maxDepth)', offset)
    : new MarshalError('invalid_format', `internal error (${error instanceof Error ? error.name : typeof error})`, offset);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}
