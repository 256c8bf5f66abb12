import { fromRailsJson } from '../json/from-rails-json.js';
import { load } from '../marshal/load.js';
import type { RubyValue } from '../marshal/values/value.js';
import { decodeActiveRecordData } from '../stores/active-record-data.js';
import { decode64 } from '../stores/base64.js';
import { SessionError } from '../stores/errors.js';
import { decodeEntry61, decodeEntry70, decodeEntry71, inflate, type CacheEntry } from '../stores/rails-cache.js';
import { detectRedisFormat } from '../stores/redis-session.js';

/** A payload `inspect` understood. */
export interface DecodedPayload {
  /** What the input was, without its contents: `Base64 of Marshal 4.8 (312 bytes)`. */
  description: string;
  /** The value it holds (for a cache entry, the cached value). */
  value: RubyValue;
  /** The Marshal bytes behind the value, for `--hex`; null when there are none (JSON, a 7.1 String entry). */
  marshal: { bytes: Uint8Array; note: string | null } | null;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/**
 * Tells what `bytes` hold and decodes it:
 * - raw Marshal (`04 08`) or a Rails cache value: 6.1 (a Marshal'd `ActiveSupport::Cache::Entry`), 7.0 (`00`/`01`
 *   mark), 7.1 (`00 11` header);
 * - text: Base64 of any of those (an ActiveRecord `data` value; `\n` written as the two characters `\` `n`, as
 *   copied out of JSON, is read as a line break), hex of them (spaces and line breaks allowed, as `xxd -p` writes;
 *   or PostgreSQL's bytea text `\x0408…`), a line of `export`'s dump
 *   (`{"key", "value"}`), a row of `convert --format jsonl` (`{"session_id", "data"}`), or a JSON session.
 *
 * Throws `SessionError` (`unknown_format` when nothing fits), `MarshalError` or `RailsJsonError`.
 */
export function decodePayload(bytes: Uint8Array): DecodedPayload {
  const binary = decodeBinary(bytes, '');
  if (binary !== null) return binary;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SessionError('unknown_format', `${bytes.length} bytes that are neither Marshal, a Rails cache value, nor UTF-8 text (first byte 0x${hexByte(bytes[0] ?? 0)})`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return decodeJson(trimmed);
  const unescaped = trimmed.replaceAll('\\n', '\n');
  // PostgreSQL's bytea text (\x0408...), and hex with spaces and line breaks (xxd -p, hexdump): hex all the same.
  const bytea = unescaped.startsWith('\\x');
  const compactHex = (bytea ? unescaped.slice(2) : unescaped).replace(/\s+/g, '');
  if (HEX.test(compactHex)) {
    const decoded = decodeBinary(new Uint8Array(Buffer.from(compactHex, 'hex')), bytea ? 'PostgreSQL bytea hex of ' : 'hex of ');
    if (decoded !== null) return decoded;
  }
  if (BASE64_TEXT.test(unescaped)) {
    const decoded = decodeBinary(decode64(unescaped), 'Base64 of ');
    if (decoded !== null) return decoded;
  }
  throw new SessionError('unknown_format', 'text that is neither Base64 nor hex of Marshal or a Rails cache value, nor JSON');
}

/**
 * The Marshal bytes in a payload that does not decode, so `--hex` can show where it breaks: raw bytes starting
 * `04 08`, or Base64 / hex / a dump line holding such bytes. Null when there are none.
 */
export function findMarshalBytes(bytes: Uint8Array): Uint8Array | null {
  const isMarshal = (b: Uint8Array): boolean => b[0] === 0x04 && b[1] === 0x08;
  if (isMarshal(bytes)) return bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim();
  } catch {
    return null;
  }
  if (text.startsWith('{')) {
    try {
      const { value, data } = JSON.parse(text) as Record<string, unknown>;
      text = typeof value === 'string' ? value : typeof data === 'string' ? data : '';
    } catch {
      return null;
    }
  }
  const unescaped = text.replaceAll('\\n', '\n');
  const compactHex = (unescaped.startsWith('\\x') ? unescaped.slice(2) : unescaped).replace(/\s+/g, '');
  const candidate = HEX.test(compactHex) ? new Uint8Array(Buffer.from(compactHex, 'hex')) : BASE64_TEXT.test(unescaped) ? decode64(unescaped) : null;
  return candidate !== null && isMarshal(candidate) ? candidate : null;
}

function decodeJson(text: string): DecodedPayload {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // fromRailsJson below reports where, as Ruby's parser would.
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const { key, value, session_id: sessionId, data } = parsed as Record<string, unknown>;
    if (typeof key === 'string' && typeof value === 'string') {
      const decoded = decodeBinary(new Uint8Array(Buffer.from(value, 'base64')), 'a dump line: Base64 of ');
      if (decoded !== null) return decoded;
    }
    if (typeof sessionId === 'string' && typeof data === 'string') {
      const isMarshal = data.startsWith('BAh') || data.startsWith('BAg');
      const bytes = isMarshal ? decode64(data) : null;
      return {
        description: `an activerecord-session_store row: ${isMarshal ? `Base64 of Marshal (${bytes!.length} bytes)` : 'JSON'} data`,
        value: decodeActiveRecordData(data),
        marshal: bytes === null ? null : { bytes, note: null },
      };
    }
  }
  return { description: `JSON (${text.length} characters)`, value: fromRailsJson(text, { indifferentAccess: false }), marshal: null };
}

/** Marshal or a Rails cache value, by its first bytes; null for anything else. */
function decodeBinary(bytes: Uint8Array, via: string): DecodedPayload | null {
  const [a, b, c] = bytes;
  const signed = (a === 0x04 && b === 0x08) || (a === 0x00 && b === 0x11) || (a === 0x00 && b === 0x04 && c === 0x08) || (a === 0x01 && b === 0x78);
  if (!signed) return null;
  const size = `${bytes.length} bytes`;
  switch (detectRedisFormat(bytes)) {
    case 'marshal':
      return { description: `${via}Marshal ${a}.${b} (${size})`, value: load(bytes), marshal: { bytes, note: null } };
    case 'cache-6.1':
      return cacheEntry(`${via}a Rails 6.1 cache entry (${size}`, decodeEntry61(bytes), { bytes, note: null });
    case 'cache-7.0': {
      const payload = bytes.subarray(1);
      const marshal = a === 0x01 ? { bytes: inflate(payload), note: 'the Marshal payload, inflated from byte 1 of the value' } : { bytes: payload, note: 'the Marshal payload from byte 1 of the value' };
      return cacheEntry(`${via}a Rails 7.0 cache value (${size}`, decodeEntry70(bytes), marshal);
    }
    default:
      return cacheEntry(`${via}a Rails 7.1 cache value (${size}`, decodeEntry71(bytes), marshal71(bytes));
  }
}

function cacheEntry(description: string, entry: CacheEntry, marshal: DecodedPayload['marshal']): DecodedPayload {
  const details = [entry.compressed ? 'compressed' : null, entry.expiresAt === null ? null : `expires ${new Date(entry.expiresAt * 1000).toISOString()}`].filter((d) => d !== null);
  return { description: `${description}${details.map((d) => `, ${d}`).join('')})`, value: entry.value, marshal };
}

/** The Marshal bytes of a 7.1 value (after its 15-byte header and version), or null for a String entry. */
function marshal71(bytes: Uint8Array): DecodedPayload['marshal'] {
  const type = bytes[2]!;
  if ((type & 0x7f) !== 0x01) return null;
  const versionLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(11, true);
  const start = 15 + Math.max(versionLength, 0);
  const payload = bytes.subarray(start);
  return (type & 0x80) !== 0
    ? { bytes: inflate(payload), note: `the Marshal payload, inflated from byte ${start} of the value` }
    : { bytes: payload, note: `the Marshal payload from byte ${start} of the value` };
}

function hexByte(n: number): string {
  return n.toString(16).padStart(2, '0');
}
