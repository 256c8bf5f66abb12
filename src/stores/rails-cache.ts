// ActiveSupport::Cache's value formats, as Rails' CacheStore writes sessions through Rails.cache:
// "6.1" (a Marshal'd ActiveSupport::Cache::Entry), "7.0" (a mark byte and a Marshal'd [value, expires_at, version]),
// "7.1" (ActiveSupport::Cache::Coder: a 15-byte header and the serialized value).
// Layouts: ../shared/reference/rails-session-formats.md §3.
import { Unzlib, unzlibSync, zlibSync } from 'fflate';
import { dump } from '../marshal/dump.js';
import { load } from '../marshal/load.js';
import { RubyFloat } from '../marshal/values/float.js';
import { getIvar } from '../marshal/values/ivars.js';
import { RubyObject } from '../marshal/values/object.js';
import { RubyString } from '../marshal/values/string.js';
import { RubySymbol } from '../marshal/values/symbol.js';
import type { RubyValue } from '../marshal/values/value.js';
import { SessionError, describeValue, isSessionError, wrapCodecError } from './errors.js';
import { utf8Encode } from '../marshal/text.js';
import { isRubyFloat, isRubyObject, isRubyString } from '../marshal/values/kind.js';
import { scanCanonicalParts } from '../marshal/canonical-scan.js';
import { floatBytesValue } from '../marshal/float-text.js';
import { T_FLOAT, T_HASH, T_HASH_DEF, T_NIL, T_STRING, T_TRUE, T_UCLASS } from '../marshal/type-bytes.js';
import { concatBytes } from './concat-bytes.js';

/** A cache entry taken apart. */
export interface CacheEntry {
  /** The cached value (for a session, its Hash). */
  value: RubyValue;
  /** Absolute expiry, seconds since the epoch, or null when the entry does not expire. */
  expiresAt: number | null;
  /** The entry's version (`Rails.cache.write(..., version:)`), or null. */
  version: RubyValue;
  /** True when the value was stored zlib-compressed. */
  compressed: boolean;
}

/** How a cache entry is written back. */
export interface CacheEntryWriteOptions {
  /**
   * Compress values whose serialized form reaches `compressThreshold` bytes, when that makes them smaller (zlib,
   * as Rails' default compressor).
   * Defaults to true, as Rails.
   */
  compress?: boolean;
  /**
   * Bytes from which values are compressed.
   * Defaults to 1024, Rails' `DEFAULT_COMPRESS_LIMIT`.
   */
  compressThreshold?: number;
  /** Absolute expiry, seconds since the epoch. Defaults to null (no expiry). */
  expiresAt?: number | null;
  /** The entry version. Defaults to null. */
  version?: string | null;
}

export const ENTRY_CLASS = 'ActiveSupport::Cache::Entry';
/** The class and the ivar names `cutEntry61` looks for. */
const ENTRY_NAMES = [ENTRY_CLASS, '@value', '@version', '@created_at', '@expires_in', '@compressed', '@v', '@c', '@x'];
const SIGNATURE_71 = [0x00, 0x11];
const HEADER_71 = 15;
const MESSAGE_PACK_SIGNATURE = [0xcc, 0x80];

/**
 * A cache entry with its value either loaded (`value`) or, where the format stores it as a Marshal payload of its
 * own (a compressed 6.1 entry, a 7.1 Marshal value), still as those bytes (`payload`), so that a caller that only
 * re-encodes them can skip building the value.
 */
export interface CacheEntrySource {
  /** The value, when it had to be read with the entry. */
  value: RubyValue | undefined;
  /** The value's own Marshal bytes, not yet loaded, when `value` is undefined. */
  payload: Uint8Array | undefined;
  expiresAt: number | null;
  version: RubyValue;
  compressed: boolean;
  /** True when `payload` is known to be what `dump` writes for its value (cut out of a canonical entry). */
  canonical?: boolean;
}

/** Format "6.1": the Entry object. Reads the ivars of every Rails version (3.x `@v/@c/@x` to 7.x). */
export function decodeEntry61(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): CacheEntry {
  return loadEntryValue(readEntry61(bytes, maxInflatedBytes), 'compressed 6.1 entry value');
}

/** `decodeEntry61` leaving a compressed value as its inflated Marshal bytes. */
export function readEntry61(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): CacheEntrySource {
  const entry = loadPayload(bytes, 'cache entry (6.1)');
  if (!isRubyObject(entry) || entry.className.name !== ENTRY_CLASS) {
    throw new SessionError('invalid_payload', `a 6.1 cache value holds an ${ENTRY_CLASS}, not ${describeValue(entry)}`);
  }
  const compressed = getIvar(entry.ivars, '@compressed') === true || getIvar(entry.ivars, '@c') === true;
  const stored = getIvar(entry.ivars, '@value') ?? getIvar(entry.ivars, '@v') ?? null;
  let value: RubyValue | undefined = stored;
  let payload: Uint8Array | undefined;
  if (compressed) {
    if (!isRubyString(stored)) throw new SessionError('invalid_payload', 'a compressed 6.1 entry whose @value is not a String');
    value = undefined;
    payload = inflate(stored.bytes, maxInflatedBytes);
  }
  const expiresAt = entryExpiry((name) => getIvar(entry.ivars, name));
  return { value, payload, expiresAt, version: getIvar(entry.ivars, '@version') ?? null, compressed };
}

/** An entry's absolute expiry from its ivars (`ivar` gives undefined for one it does not have). */
function entryExpiry(ivar: (name: string) => RubyValue | undefined): number | null {
  const legacyExpiry = ivar('@x');
  const createdAt = numeric(ivar('@created_at'));
  const expiresIn = numeric(ivar('@expires_in'));
  // Rails <= 6.1 write a real @created_at and a relative @expires_in; Rails 7 writes 0.0 and an absolute one:
  // their sum is the expiry either way, as Entry#expires_at computes it.
  return legacyExpiry !== undefined ? numeric(legacyExpiry) : expiresIn === null ? null : (createdAt ?? 0) + expiresIn;
}

/**
 * `readEntry61` without loading the entry, for `toActiveRecordSession`: when the entry's bytes are canonical
 * (`dump(load(bytes))` is `bytes`), its version nil and its times nil or Floats, and its value either an
 * uncompressed Hash or a compressed String written bare (`"`, as Zlib's binary output is). An uncompressed value is
 * left as its own payload, cut out of the entry with its links renumbered, which is exactly what `dump` writes for
 * it (`canonical` is true); a compressed one is inflated from the entry's bytes in place, as `readEntry61` would
 * (the same bytes, the same limit, the same errors). Undefined otherwise: read the entry.
 */
export function cutEntry61(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): CacheEntrySource | undefined {
  const parts = scanCanonicalParts(bytes, ENTRY_NAMES);
  if (parts === undefined || parts.className !== ENTRY_CLASS) return undefined;
  const { names } = parts;
  const times: Record<string, RubyValue> = {};
  let compressed = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const type = parts.typeOf(i);
    // `@compressed == true || @c == true`, as readEntry61 reads it.
    if ((name === '@compressed' || name === '@c') && type === T_TRUE) compressed = true;
    // A version, a time that is not nil or a Float written out (an Integer, a link to an equal flonum): the slow path.
    if (name === '@version' && type !== T_NIL) return undefined;
    if (name === '@x' || name === '@created_at' || name === '@expires_in') {
      if (type !== T_NIL && type !== T_FLOAT) return undefined;
      // The Float's value as a number: `entryExpiry` reads a RubyFloat and a number alike.
      if (type === T_NIL) {
        times[name] = null;
      } else {
        const body = parts.bodyOf(i);
        times[name] = floatBytesValue(body, 0, body.length);
      }
    }
  }
  // `@value ?? @v`, as readEntry61 reads it.
  let at = names.indexOf('@value');
  if (at < 0 || parts.typeOf(at) === T_NIL) at = names.indexOf('@v');
  const type = at < 0 ? undefined : parts.typeOf(at);
  if (compressed) {
    if (type !== T_STRING) return undefined;
    return { value: undefined, payload: inflate(parts.bodyOf(at), maxInflatedBytes), expiresAt: entryExpiry((name) => times[name]), version: null, compressed: true };
  }
  const payload = type === T_HASH || type === T_HASH_DEF || type === T_UCLASS ? parts.payloadOf(at) : undefined;
  if (payload === undefined) return undefined;
  return { value: undefined, payload, expiresAt: entryExpiry((name) => times[name]), version: null, compressed: false, canonical: true };
}

/** The entry with its payload loaded. */
export function loadEntryValue(source: CacheEntrySource, what: string): CacheEntry {
  const value = source.value ?? loadPayload(source.payload!, what);
  return { value, expiresAt: source.expiresAt, version: source.version, compressed: source.compressed };
}

/** Format "7.0": `\x00` + Marshal([value, expires_at, version]) or `\x01` + zlib of it. */
export function decodeEntry70(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): CacheEntry {
  const mark = bytes[0];
  if (mark !== 0x00 && mark !== 0x01) throw new SessionError('invalid_payload', 'a 7.0 cache value starts with 0x00 or 0x01');
  const compressed = mark === 0x01;
  const payload = compressed ? inflate(bytes.subarray(1), maxInflatedBytes) : bytes.subarray(1);
  const packed = loadPayload(payload, 'cache entry (7.0)');
  if (!Array.isArray(packed) || packed.length < 1 || packed.length > 3) {
    throw new SessionError('invalid_payload', `a 7.0 cache value holds [value, expires_at, version], not ${describeValue(packed)}`);
  }
  return { value: packed[0]!, expiresAt: numeric(packed[1] ?? null), version: packed[2] ?? null, compressed };
}

/** Format "7.1": ActiveSupport::Cache::Coder's `\x00\x11` header (type, expires_at, version) and the value. */
export function decodeEntry71(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): CacheEntry {
  return loadEntryValue(readEntry71(bytes, maxInflatedBytes), 'cache value (7.1)');
}

/** `decodeEntry71` leaving a Marshal value as its (inflated) bytes. */
export function readEntry71(bytes: Uint8Array, maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES): CacheEntrySource {
  if (bytes.length < HEADER_71 || bytes[0] !== SIGNATURE_71[0] || bytes[1] !== SIGNATURE_71[1]) {
    throw new SessionError('invalid_payload', `a 7.1 cache value has a ${HEADER_71}-byte header starting 0x00 0x11`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = bytes[2]!;
  const expiresAt = view.getFloat64(3, true);
  const versionLength = view.getInt32(11, true);
  if (versionLength > bytes.length - HEADER_71) throw new SessionError('invalid_payload', `a 7.1 version length ${versionLength} longer than the value`);
  const versionBytes = versionLength >= 0 ? bytes.subarray(HEADER_71, HEADER_71 + versionLength) : null;
  const compressed = (type & 0x80) !== 0;
  const rest = bytes.subarray(HEADER_71 + Math.max(versionLength, 0));
  const payload = compressed ? inflate(rest, maxInflatedBytes) : rest;
  let value: RubyValue | undefined;
  let marshal: Uint8Array | undefined;
  switch (type & 0x7f) {
    case 0x01:
      if (payload[0] === MESSAGE_PACK_SIGNATURE[0] && payload[1] === MESSAGE_PACK_SIGNATURE[1]) {
        throw new SessionError('unknown_format', 'a 7.1 cache value serialized with :message_pack, which is not supported');
      }
      marshal = payload;
      break;
    case 0x02:
      value = new RubyString(payload.slice(), 'UTF-8');
      break;
    case 0x03:
      value = new RubyString(payload.slice(), 'ASCII-8BIT');
      break;
    case 0x04:
      value = new RubyString(payload.slice(), 'US-ASCII');
      break;
    default:
      throw new SessionError('invalid_payload', `a 7.1 cache value of unknown type 0x${type.toString(16)}`);
  }
  let version: RubyValue = null;
  if (versionBytes !== null) {
    version = versionBytes[0] === 0x04 && versionBytes[1] === 0x08 ? loadPayload(versionBytes, '7.1 version') : new RubyString(versionBytes.slice(), 'UTF-8');
  }
  return { value, payload: marshal, expiresAt: expiresAt < 0 ? null : expiresAt, version, compressed };
}

/**
 * Format "6.1" as Rails 7's `Entry` writes it (`@created_at` 0.0, `@expires_in` the absolute expiry), which every
 * Rails from 5.2 reads with the same meaning.
 */
export function encodeEntry61(value: RubyValue, options: CacheEntryWriteOptions = {}): Uint8Array {
  const sym = (name: string) => new RubySymbol(name);
  let stored: RubyValue = value;
  let compressed = false;
  if (options.compress !== false && !isSmallScalar(value)) {
    const serialized = isRubyString(value) ? value.bytes : dump(value);
    if (serialized.length >= (options.compressThreshold ?? 1024)) {
      const deflated = zlibSync(isRubyString(value) ? dump(value) : serialized);
      if (deflated.length < serialized.length) {
        stored = new RubyString(deflated, 'ASCII-8BIT');
        compressed = true;
      }
    }
  }
  const version = options.version ?? null;
  const ivars: Array<[RubySymbol, RubyValue]> = [
    [sym('@value'), stored],
    [sym('@version'), version === null ? null : new RubyString(version)],
    [sym('@created_at'), new RubyFloat(0)],
    [sym('@expires_in'), options.expiresAt == null ? null : new RubyFloat(options.expiresAt)],
  ];
  if (compressed) ivars.push([sym('@compressed'), true]);
  return dump(new RubyObject(sym(ENTRY_CLASS), ivars));
}

/** Format "7.0": Rails' `Coders::Rails70Coder#dump_compressed`. */
export function encodeEntry70(value: RubyValue, options: CacheEntryWriteOptions = {}): Uint8Array {
  const packed: RubyValue[] = [value, options.expiresAt == null ? null : new RubyFloat(options.expiresAt), options.version == null ? null : new RubyString(options.version)];
  while (packed.length > 1 && packed[packed.length - 1] === null) packed.pop();
  const payload = dump(packed);
  if (options.compress !== false && payload.length >= (options.compressThreshold ?? 1024)) {
    const deflated = zlibSync(payload);
    if (deflated.length < payload.length) return concatBytes([[0x01], deflated]);
  }
  return concatBytes([[0x00], payload]);
}

/** Format "7.1": `ActiveSupport::Cache::Coder#dump_compressed` with the `:marshal_7_1` serializer. */
export function encodeEntry71(value: RubyValue, options: CacheEntryWriteOptions = {}): Uint8Array {
  let type = 0x01;
  let payload: Uint8Array;
  const stringType = isRubyString(value) && value.userClass === undefined && value.ivars === undefined ? STRING_TYPES[value.encoding] : undefined;
  if (stringType !== undefined) {
    type = stringType;
    payload = (value as RubyString).bytes;
  } else {
    payload = dump(value);
  }
  if (options.compress !== false && payload.length >= (options.compressThreshold ?? 1024)) {
    const deflated = zlibSync(payload);
    if (deflated.length < payload.length) {
      payload = deflated;
      type |= 0x80;
    }
  }
  const version = options.version == null ? null : utf8Encode(options.version);
  const header = new Uint8Array(HEADER_71);
  const view = new DataView(header.buffer);
  header.set(SIGNATURE_71);
  header[2] = type;
  view.setFloat64(3, options.expiresAt ?? -1, true);
  view.setInt32(11, version === null ? -1 : version.length, true);
  return concatBytes([header, version ?? new Uint8Array(0), payload]);
}

const STRING_TYPES: Record<string, number> = { 'UTF-8': 0x02, 'ASCII-8BIT': 0x03, 'US-ASCII': 0x04 };

function loadPayload(bytes: Uint8Array, what: string): RubyValue {
  try {
    return load(bytes);
  } catch (error) {
    throw wrapCodecError(error, 'invalid_payload', what);
  }
}

/** `maxInflatedBytes`' default: 16 MiB, hundreds of times a real session. */
export const DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;
/** Deflate's best ratio: one input byte never inflates to more than this many. */
const MAX_DEFLATE_RATIO = 1032;
const INFLATE_SLICE = 1024;

/** What `inflate` uses of Node's zlib. */
interface NativeZlib {
  inflateSync(bytes: Uint8Array, options: { maxOutputLength: number; chunkSize: number }): Uint8Array;
}

/**
 * Node's zlib when the runtime offers it (`process.getBuiltinModule`, Node >= 20.16), found at run time as `Buffer`
 * is: the library imports nothing from `node:`. About 3x faster than fflate on a session; fflate everywhere else.
 */
const NATIVE_ZLIB = /* @__PURE__ */ (() => {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const zlib = typeof runtime?.getBuiltinModule === 'function' ? (runtime.getBuiltinModule('zlib') as Partial<NativeZlib> | undefined) : undefined;
  return typeof zlib?.inflateSync === 'function' ? (zlib as NativeZlib) : undefined;
})();

/**
 * zlib -> bytes, checked while inflating: past `maxBytes` it stops with `decompression_failed` (a 1 MB zlib bomb
 * would otherwise take gigabytes). Input too small to pass the limit is inflated in one call.
 */
export function inflate(bytes: Uint8Array, maxBytes: number = DEFAULT_MAX_INFLATED_BYTES): Uint8Array {
  if (NATIVE_ZLIB !== undefined) {
    try {
      const out = NATIVE_ZLIB.inflateSync(bytes, { maxOutputLength: maxBytes, chunkSize: inflateChunkSize(bytes.length, maxBytes) });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch {
      // Past the limit, a bad stream, a bad checksum: the portable inflater decides, with its own errors.
    }
  }
  return inflatePortable(bytes, maxBytes);
}

/**
 * The output chunk Node's zlib inflates into: room for a session compressed about 8:1 in one chunk (its default of
 * 16 KiB took four passes and a copy for a 63 KB session: 1.55x slower), from 1 KiB to 1 MiB, and no more than
 * `maxBytes` (or zlib's smallest, 64 bytes). A longer output takes more chunks, as before.
 */
function inflateChunkSize(inputLength: number, maxBytes: number): number {
  return Math.max(ZLIB_MIN_CHUNK, Math.min(maxBytes, Math.max(MIN_INFLATE_CHUNK, Math.min(inputLength * 8, MAX_INFLATE_CHUNK))));
}
const ZLIB_MIN_CHUNK = 64;
const MIN_INFLATE_CHUNK = 1024;
const MAX_INFLATE_CHUNK = 1024 * 1024;

/** `inflate` with fflate alone (what runs where Node's zlib is not available). */
export function inflatePortable(bytes: Uint8Array, maxBytes: number = DEFAULT_MAX_INFLATED_BYTES): Uint8Array {
  const fail = (error: unknown) => new SessionError('decompression_failed', `a compressed cache value does not inflate (${bytes.length} bytes)`, { cause: error });
  if (bytes.length * MAX_DEFLATE_RATIO <= maxBytes) {
    try {
      return unzlibSync(bytes);
    } catch (error) {
      throw fail(error);
    }
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const stream = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw new SessionError('decompression_failed', `a compressed cache value inflates past maxInflatedBytes (${maxBytes}; ${bytes.length} bytes compressed)`);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < bytes.length; at += INFLATE_SLICE) stream.push(bytes.subarray(at, at + INFLATE_SLICE), at + INFLATE_SLICE >= bytes.length);
  } catch (error) {
    if (isSessionError(error)) throw error;
    throw fail(error);
  }
  if (!ended) throw fail(new Error('the zlib stream does not end'));
  return concatBytes(chunks);
}

function numeric(value: RubyValue | undefined): number | null {
  if (isRubyFloat(value)) return value.value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/** Rails' `Entry#compress!` measures nil, booleans and numbers as size 0: they are never compressed. */
function isSmallScalar(value: RubyValue): boolean {
  return value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint' || isRubyFloat(value);
}

