import { MarshalError } from './errors.js';
import { isRubyString, isRubySymbol } from './values/kind.js';

/** Prepends a path segment to a MarshalError on its way out of a container; other errors pass unchanged. */
export function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof MarshalError) error.prependPath(segment);
  return error;
}

/**
 * How an error path names a hash entry: by its key when the key is text, a symbol, a number or nil
 * (`["flash"]`, `[:user_id]`, `[7]`), else by position (`{value #3}`). Keys are named; values never are.
 */
export function keySegment(key: unknown, index: number): string {
  if (typeof key === 'string') return `[${JSON.stringify(shorten(key))}]`;
  if (isRubyString(key)) return `[${JSON.stringify(shorten(key.toString()))}]`;
  if (isRubySymbol(key)) return `[:${shorten(key.name)}]`;
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return `[${key}]`;
  if (key === null) return '[nil]';
  return `{value #${index}}`;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
