import { utf8Encode } from '../marshal/text.js';
import { sha256Hex } from './sha256.js';
import { SessionError } from './errors.js';

/** A Redis key of a session, taken apart. */
export interface SessionKey {
  /** The key as given. */
  key: string;
  /** Everything before the id, such as `'session:'`, `'rack:session:'`, `'_session_id:'`, `'myapp:session::'`. */
  prefix: string;
  /** The id as it stands in the key. */
  id: string;
  /** `'private'` for Rack's `2::<sha256>` ids (redis-rack >= 2.1, Rails >= 5.2.4.1), else `'public'`. */
  idKind: 'public' | 'private';
  /** The private id: the id itself, or `privateSessionId(id)` for a public one. */
  privateId: string;
  /** The public id (the cookie value), when the key holds it; null for a private id. */
  publicId: string | null;
  /** True when the prefix ends in `_session_id:`, the key of ActionDispatch's CacheStore. */
  cacheStore: boolean;
}

/** Options for `parseSessionKey`. */
export interface ParseSessionKeyOptions {
  /**
   * The exact prefix before the id, for stores that concatenate without a separator (redis-session-store's
   * `key_prefix`). Without it, the id is a `<digits>::` private id at the end of the key, else what follows the last
   * `:`.
   * Defaults to undefined (detect).
   */
  prefix?: string;
}

/**
 * Where a private id (`<digits>::` and 64 lowercase hex digits) ends the key, or -1: what
 * `/(\d+::[0-9a-f]{64})$/` finds (its leftmost match: every digit before the `::`), without a regex run per row.
 */
function privateIdStart(key: string): number {
  const hexStart = key.length - 64;
  if (hexStart < 3 || key.charCodeAt(hexStart - 1) !== 0x3a || key.charCodeAt(hexStart - 2) !== 0x3a) return -1;
  for (let i = hexStart; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return -1;
  }
  let start = hexStart - 2;
  while (start > 0 && isDigit(key.charCodeAt(start - 1))) start--;
  return start < hexStart - 2 ? start : -1;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Takes a Redis session key apart: `session:2::<sha256>` (redis-actionpack), `rack:session:<id>` (redis-rack),
 * `_session_id:2::<sha256>` (Rails CacheStore, possibly behind a cache namespace), `myapp:session::2::…` (a
 * `key_prefix` ending in `:`, to which redis-store adds another), or `<key_prefix><id>` with `options.prefix`.
 */
export function parseSessionKey(key: string, options?: ParseSessionKeyOptions): SessionKey {
  let prefix: string;
  let id: string;
  let endsInPrivateId = false;
  if (options?.prefix !== undefined) {
    if (!key.startsWith(options.prefix)) {
      throw new SessionError('invalid_key', `key ${redactKey(key)} does not start with the prefix ${JSON.stringify(options.prefix)}`);
    }
    prefix = options.prefix;
    id = key.slice(prefix.length);
  } else {
    const start = privateIdStart(key);
    if (start >= 0) {
      id = key.slice(start);
      prefix = key.slice(0, start);
      endsInPrivateId = true;
    } else {
      const colon = key.lastIndexOf(':');
      prefix = key.slice(0, colon + 1);
      id = key.slice(colon + 1);
    }
  }
  if (id === '') throw new SessionError('invalid_key', `key ${redactKey(key)} has no session id after its prefix`);
  const isPrivate = endsInPrivateId || /^\d+::/.test(id);
  return {
    key,
    prefix,
    id,
    idKind: isPrivate ? 'private' : 'public',
    privateId: isPrivate ? id : privateSessionId(id),
    publicId: isPrivate ? null : id,
    cacheStore: prefix.endsWith('_session_id:'),
  };
}

/**
 * Rack's private session id for a public one (the cookie value): `"2::" + SHA256_hex(public_id)`, as
 * `Rack::Session::SessionId#private_id` computes it. It cannot be turned back into the public id.
 */
export function privateSessionId(publicId: string): string {
  return `2::${sha256Hex(utf8Encode(publicId))}`;
}

/**
 * A key as it may appear in messages and logs: a public session id is a credential, so only its first four
 * characters are shown. Private ids (`2::…`) cannot log anyone in and stay whole.
 */
export function redactKey(key: string): string {
  if (privateIdStart(key) >= 0) return JSON.stringify(key);
  const colon = key.lastIndexOf(':');
  const id = key.slice(colon + 1);
  if (id.length <= 4) return JSON.stringify(key);
  return JSON.stringify(`${key.slice(0, colon + 1)}${id.slice(0, 4)}…`);
}
