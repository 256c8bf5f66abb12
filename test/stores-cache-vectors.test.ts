import { describe, expect, it } from 'vitest';
import { RubyString, decodeEntry61, decodeEntry70, decodeEntry71, decodeRedisSession, dump, encodeEntry61, encodeEntry70, encodeEntry71, load, type RubyValue } from '../src/index.js';
import { hex } from './helpers/seq.js';
import { cacheVectors } from './helpers/store-fixtures.js';

const vectors = cacheVectors();
const decoders = { '6.1': decodeEntry61, '7.0': decodeEntry70, '7.1': decodeEntry71 } as const;
const encoders = { '6.1': encodeEntry61, '7.0': encodeEntry70, '7.1': encodeEntry71 } as const;
const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

describe('Rails 7.1 cache coder vectors (fixtures/vectors, read-only copy of ../shared/vectors)', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s: decodes value, expiry and version', (_name, v) => {
    const entry = decoders[v.format](bytesOf(v.bytes_b64));
    expect(hex(dump(entry.value))).toBe(hex(bytesOf(v.value_marshal_b64)));
    expect(entry.expiresAt).toBe(v.expires_at);
    expect(entry.version === null ? null : String(entry.version)).toBe(v.version);
  });

  it.each(vectors.map((v) => [v.name, v] as const))('%s: writes back what Rails reads as the same entry', (_name, v) => {
    const value = load(bytesOf(v.value_marshal_b64));
    const options = { compress: v.compressed_requested, expiresAt: v.expires_at, version: v.version };
    const written = encoders[v.format](value, options);
    const read = decoders[v.format](written);
    expect(hex(dump(read.value))).toBe(hex(bytesOf(v.value_marshal_b64)));
    expect([read.expiresAt, read.version === null ? null : String(read.version)]).toEqual([v.expires_at, v.version]);
    const original = decoders[v.format](bytesOf(v.bytes_b64));
    expect(read.compressed).toBe(original.compressed);
    // Uncompressed bytes are Rails' own, byte for byte (zlib output may differ between implementations).
    // The 6.1 vectors come from a Rails 7 Entry, whose @created_at is 0.0 and @expires_in absolute, as we write.
    if (!original.compressed) expect(hex(written)).toBe(hex(bytesOf(v.bytes_b64)));
  });

  it('detects each format and reads a session from it through decodeRedisSession', () => {
    for (const v of vectors.filter((v) => v.name.startsWith('small/') || v.name.startsWith('large/'))) {
      const decoded = decodeRedisSession('_session_id:2::' + '0'.repeat(64), bytesOf(v.bytes_b64));
      expect(decoded.format).toBe(`cache-${v.format}`);
    }
  });

  it('keeps 7.1 String values with their encoding', () => {
    for (const v of vectors.filter((v) => v.name.startsWith('string-'))) {
      const entry = decodeEntry71(bytesOf(v.bytes_b64));
      expect(entry.value).toBeInstanceOf(RubyString);
      expect(hex(dump(entry.value as RubyValue))).toBe(hex(bytesOf(v.value_marshal_b64)));
    }
  });
});
