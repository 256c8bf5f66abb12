import { MarshalError } from './errors.js';
import { isRubyString, isRubySymbol } from './values/kind.js';

/** Prepends a path segment to a MarshalError on its way out of a container; other errors pass unchanged. */
export function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof MarshalError) error.prependPath(segment);
  return error;
}

/**
 * How an error path names a hash entry: by its key when the key is text, a symbol, a number or nil
 * (`["flash"]`, `[:user_id]`, `[7]`), else by position (`{value #3}`). Keys are named; values never are: a key's
 * text goes through `nameInMessage`, since a corrupt payload can make a value read as a key.
 */
export function keySegment(key: unknown, index: number): string {
  if (typeof key === 'string') return `[${quoted(key)}]`;
  if (isRubyString(key)) return `[${quoted(key.toString())}]`;
  if (isRubySymbol(key)) return `[:${nameInMessage(key.name)}]`;
  if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return `[${key}]`;
  if (key === null) return '[nil]';
  return `{value #${index}}`;
}

/** Keys and class names every Rails, Warden and Devise session may hold, shown whole whatever their length. */
const WELL_KNOWN = /^(?:_csrf_token|session_id|flash|flashes|discard|user_return_to|warden\.user\.[a-z_]+\.(?:key|session)|warden_user_[a-z_]+_key|omniauth\.[a-z_]+|ActiveSupport::HashWithIndifferentAccess|ActiveSupport::TimeWithZone|ActiveSupport::TimeZone|ActiveSupport::Cache::Entry|ActionDispatch::Flash::FlashHash|ActionController::Flash::FlashHash|BigDecimal|DateTime|Rational|Complex)$/;
/** The longest text shown as it is: the redaction rule is about pieces of 12 characters (a token, a salt). */
const SHOWN_CHARS = 11;

/**
 * Text read from a payload (a Hash key, an ivar or class name) as a message may show it: whole when it is short or a
 * well-known Rails key or class, else as its length and a short hash (`<44 chars #1f2e3d>`), so a CSRF token or a
 * salt that a corruption made look like a key never reaches a message, a log or a rejects file.
 */
export function nameInMessage(text: string): string {
  if (text.length <= SHOWN_CHARS || WELL_KNOWN.test(text)) return text;
  return `<${text.length} chars #${shortHash(text)}>`;
}

function quoted(text: string): string {
  const shown = nameInMessage(text);
  return shown === text ? JSON.stringify(text) : shown;
}

/** FNV-1a (32 bits) of the UTF-16 units, 6 hex digits: tells two hidden names apart, reveals nothing useful. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0').slice(0, 6);
}
