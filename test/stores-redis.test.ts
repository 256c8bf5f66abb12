import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SessionError, decodeRedisSession, detectRedisFormat, dump, parseSessionKey, privateSessionId, redactKey } from '../src/index.js';
import { hex } from './helpers/seq.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const fixtures = storeFixtures();

const EXPECTED_FORMAT: Record<string, string> = {
  'redis-actionpack': 'marshal',
  'redis-rack': 'marshal',
  'redis-rack-namespace': 'marshal',
  'redis-store-key-prefix': 'marshal',
  'redis-rack-legacy-public': 'marshal',
  'redis-store-json': 'json',
  'rails-cache-store-redis-cache-6.1': 'cache-6.1',
  'rails-cache-store-redis-cache-namespace': 'cache-6.1',
  'rails-cache-store-redis-activesupport': 'cache-6.1',
};

describe('Redis values written by the real Ruby stores (fixtures/stores)', () => {
  it('covers every store, with at least 40 sessions', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(new Set(fixtures.map((f) => f.store))).toEqual(new Set(Object.keys(EXPECTED_FORMAT)));
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s: decodes to the session Ruby reads back', (_name, f) => {
    const decoded = decodeRedisSession(f.key, f.value);
    expect(decoded.format).toBe(EXPECTED_FORMAT[f.store]);
    // Ruby's Marshal.dump of the Hash the store handed back to the app, byte for byte.
    expect(hex(dump(decoded.session))).toBe(f.session_marshal_hex);
    expect(decoded.key.privateId).toBe(f.private_id);
  });

  it('reads the key layouts: namespaces, key_prefix with its doubled colon, cache prefix, legacy public ids', () => {
    const byStore = (store: string) => fixtures.find((f) => f.store === store)!;
    expect(parseSessionKey(byStore('redis-actionpack').key)).toMatchObject({ prefix: 'session:', idKind: 'private', publicId: null, cacheStore: false });
    expect(parseSessionKey(byStore('redis-rack').key)).toMatchObject({ prefix: 'rack:session:', idKind: 'private' });
    expect(parseSessionKey(byStore('redis-store-key-prefix').key)).toMatchObject({ prefix: 'myapp:session::', idKind: 'private' });
    expect(parseSessionKey(byStore('rails-cache-store-redis-cache-namespace').key)).toMatchObject({ prefix: 'myapp-cache:_session_id:', cacheStore: true });
    const legacy = byStore('redis-rack-legacy-public');
    const key = parseSessionKey(legacy.key);
    expect(key).toMatchObject({ idKind: 'public', publicId: legacy.public_id, privateId: legacy.private_id });
  });

  it("computes Rack's private id with SHA-256", () => {
    expect(privateSessionId('9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e')).toBe('2::c242ac41efa77954f314990819b340e1603b8b8b74179363581f8eb3607f945a');
    for (const f of fixtures) if (f.public_id !== null) expect(privateSessionId(f.public_id)).toBe(f.private_id);
  });

  it('takes an explicit prefix for stores that concatenate without a colon', () => {
    expect(parseSessionKey('sess_abc123', { prefix: 'sess_' })).toMatchObject({ prefix: 'sess_', id: 'abc123', idKind: 'public' });
    expect(() => parseSessionKey('other_abc', { prefix: 'sess_' })).toThrow(SessionError);
  });

  it('finds a private id at the end of any key as the regex /(\\d+::[0-9a-f]{64})$/ does', () => {
    // The reference: what parseSessionKey and redactKey ran before they read the key by hand.
    const PRIVATE_ID = /(\d+::[0-9a-f]{64})$/;
    const reference = (key: string) => {
      const match = PRIVATE_ID.exec(key);
      const id = match !== null ? match[1]! : key.slice(key.lastIndexOf(':') + 1);
      return { prefix: key.slice(0, key.length - id.length), id, private: /^\d+::/.test(id) };
    };
    const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdefA:g'), minLength: 62, maxLength: 66 });
    const key = fc
      .tuple(fc.string({ unit: fc.constantFrom(...'ab:_12'), maxLength: 8 }), fc.string({ unit: fc.constantFrom(...'0123456789:x'), maxLength: 5 }), hex64)
      .map(([prefix, digits, tail]) => prefix + digits + tail);
    fc.assert(
      fc.property(key, (text) => {
        const expected = reference(text);
        if (expected.id === '') {
          expect(() => parseSessionKey(text)).toThrow(SessionError);
          return;
        }
        const parsed = parseSessionKey(text);
        expect({ prefix: parsed.prefix, id: parsed.id, private: parsed.idKind === 'private' }).toStrictEqual(expected);
        expect(redactKey(text).includes('…')).toBe(!PRIVATE_ID.test(text) && text.length - text.lastIndexOf(':') - 1 > 4);
      }),
      { numRuns: 3000 },
    );
    const id = 'aae7d30d282f2a4bd6b639015dff2b8d716a6d3c694b89e5f4b52d08961d6273';
    expect(parseSessionKey(`a1:12::${id}`)).toMatchObject({ prefix: 'a1:', id: `12::${id}`, idKind: 'private' });
    expect(parseSessionKey(`::${id}`)).toMatchObject({ prefix: '::', id, idKind: 'public' });
    expect(parseSessionKey(`7::${id}`)).toMatchObject({ prefix: '', idKind: 'private' });
    expect(parseSessionKey(`s:2::${id.toUpperCase()}`)).toMatchObject({ prefix: 's:2::', idKind: 'public' });
  });

  it('never shows a public id whole in messages', () => {
    expect(redactKey('session:0123456789abcdef0123456789abcdef')).toBe('"session:0123…"');
    expect(redactKey('session:2::aae7d30d282f2a4bd6b639015dff2b8d716a6d3c694b89e5f4b52d08961d6273')).toContain('2::aae7');
  });
});

describe('format detection', () => {
  it('says what unknown bytes look like', () => {
    const fail = (bytes: number[]) => {
      try {
        detectRedisFormat(Uint8Array.from(bytes));
      } catch (error) {
        return (error as SessionError).message;
      }
      throw new Error('no error');
    };
    expect(fail([0x78, 0x9c, 1])).toMatch(/^unknown_format: .*0x78 \('x'\): a zlib stream without a Rails cache header/);
    expect(fail([0x5b, 0x5d])).toMatch(/JSON array/);
    expect(fail([0x42, 0x41, 0x68])).toMatch(/Base64 text\? decode it first/);
    expect(fail([])).toMatch(/is empty/);
  });

  it('refuses a non-Hash session with not_a_session', () => {
    expect(() => decodeRedisSession('session:abc', dump([1, 2]))).toThrow(/not_a_session/);
  });

  it('wraps a broken Marshal payload in invalid_payload with the Marshal error as cause', () => {
    const bytes = dump({ a: 'x' }).subarray(0, 8);
    try {
      decodeRedisSession('session:abc', bytes);
      throw new Error('no error');
    } catch (error) {
      expect((error as SessionError).code).toBe('invalid_payload');
      expect((error as { cause?: { code?: string } }).cause?.code).toBe('unexpected_eof');
    }
  });
});
