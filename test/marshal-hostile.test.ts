import { describe, expect, it } from 'vitest';
import { MarshalError, dump, load, type MarshalErrorCode } from '../src/marshal/index.js';
import { seq } from './helpers/seq.js';

function failure(bytes: Uint8Array, options?: Parameters<typeof load>[1]): MarshalError {
  try {
    load(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(MarshalError);
    return error as MarshalError;
  }
  throw new Error('load did not throw');
}

function expectFailure(bytes: Uint8Array, code: MarshalErrorCode, offset: number, path = ''): MarshalError {
  const error = failure(bytes);
  expect({ code: error.code, offset: error.offset, path: error.path }).toEqual({ code, offset, path });
  return error;
}

describe('hostile input', () => {
  it('rejects an empty input and a wrong version', () => {
    expectFailure(seq(), 'unexpected_eof', 0);
    expectFailure(seq('\x04\x09', '0'), 'unsupported_version', 0);
    expectFailure(seq('\x03\x08', '0'), 'unsupported_version', 0);
    expectFailure(seq('BAh7'), 'unsupported_version', 0);
  });

  it('reads older 4.x minors as Ruby does (a warning in Ruby, not an error)', () => {
    expect(load(seq('\x04\x07', 'i', 0x06))).toBe(1);
  });

  it('names an unknown type byte and where it is', () => {
    const error = expectFailure(seq('\x04\x08', '[', 0x07, 'i', 0x06, 'Z'), 'unknown_type', 6, '[1]');
    expect(error.message).toBe('unknown_type: unknown type byte 0x5a (at byte 6, path [1])');
  });

  it('checks a length against the bytes left before allocating: a 9-byte payload claiming a 1 GB string', () => {
    const bytes = seq('\x04\x08', '"', 0x04, 0x00, 0xca, 0x9a, 0x3b, 'ab');
    const error = expectFailure(bytes, 'unexpected_eof', 3);
    expect(error.reason).toBe('string length 1000000000 needs at least 1000000000 bytes, only 2 left');
  });

  it('checks array, hash and ivar counts against the bytes left', () => {
    expectFailure(seq('\x04\x08', '[', 0x04, 0xff, 0xff, 0xff, 0x7f), 'unexpected_eof', 3);
    expectFailure(seq('\x04\x08', '{', 0x02, 0x10, 0x27, 'i', 0x06, 'i', 0x06), 'unexpected_eof', 3);
    expectFailure(seq('\x04\x08', 'o', ':', 0x06, 'A', 0x7f), 'unexpected_eof', 6);
  });

  it('rejects negative lengths', () => {
    expectFailure(seq('\x04\x08', '"', 0xfa), 'invalid_format', 3);
  });

  it('stops at maxDepth instead of overflowing the stack: 100 KB of nested arrays', () => {
    const bytes = new Uint8Array(2 + 2 * 50_000);
    bytes.set([4, 8]);
    for (let i = 2; i < bytes.length; i += 2) bytes.set([0x5b, 0x06], i);
    const error = failure(bytes);
    expect(error.code).toBe('depth_exceeded');
    expect(error.path.startsWith('[0][0][0]')).toBe(true);
  });

  it('stops at maxDepth on wrapper chains that hold no container (e e e ...)', () => {
    const parts: Array<string | number> = ['\x04\x08'];
    for (let i = 0; i < 20_000; i++) parts.push('C', ':', 0x06, 'A');
    parts.push('"', 0x00);
    expect(failure(seq(...parts)).code).toBe('depth_exceeded');
  });

  it('honours a smaller maxDepth', () => {
    const bytes = seq('\x04\x08', '[', 0x06, '[', 0x06, '[', 0x00);
    expect(load(bytes, { maxDepth: 3 })).toEqual([[[]]]);
    expect(failure(bytes, { maxDepth: 2 }).code).toBe('depth_exceeded');
  });

  it('rejects links to objects and symbols that do not exist (yet)', () => {
    expectFailure(seq('\x04\x08', '[', 0x07, '0', '@', 0x07), 'bad_link', 5, '[1]');
    expectFailure(seq('\x04\x08', '[', 0x06, ';', 0x00), 'bad_link', 4, '[0]');
    expectFailure(seq('\x04\x08', '@', 0x00), 'bad_link', 2);
    // A `_dump` object is registered only after its bytes and ivars, so its ivars cannot link to it.
    expectFailure(seq('\x04\x08', 'I', 'u', ':', 0x06, 'T', 0x00, 0x06, ':', 0x06, 'z', '@', 0x00), 'bad_link', 12, '.z');
  });

  it('rejects wrappers around values that cannot carry them', () => {
    expectFailure(seq('\x04\x08', 'C', ':', 0x06, 'A', 'i', 0x06), 'invalid_format', 2);
    expectFailure(seq('\x04\x08', 'e', ':', 0x06, 'M', 'i', 0x06), 'invalid_format', 2);
    expectFailure(seq('\x04\x08', 'I', 'i', 0x06, 0x00), 'invalid_format', 3);
    expectFailure(seq('\x04\x08', 'I', 'I', '"', 0x00, 0x00, 0x00), 'invalid_format', 3);
    expectFailure(seq('\x04\x08', 'o', 'i', 0x06, 0x00), 'invalid_format', 3);
  });

  it('reports truncation inside nested values with the path', () => {
    const bytes = dump({ flash: { flashes: ['a', 'b'] } });
    expectFailure(bytes.subarray(0, bytes.length - 3), 'unexpected_eof', bytes.length - 4, '["flash"]["flashes"][1]');
  });

  it('ignores trailing bytes by default, as Ruby does, and rejects them on request', () => {
    const bytes = seq('\x04\x08', 'i', 0x06, 'garbage');
    expect(load(bytes)).toBe(1);
    const error = failure(bytes, { trailingBytes: 'error' });
    expect({ code: error.code, offset: error.offset }).toEqual({ code: 'trailing_bytes', offset: 4 });
  });

  it('keeps working after every kind of error', () => {
    const bad = [seq(), seq('\x04\x08', 'Z'), seq('\x04\x08', '@', 0x00), seq('\x04\x08', '"', 0x7f)];
    for (const bytes of bad) expect(() => load(bytes)).toThrow(MarshalError);
    expect(load(seq('\x04\x08', '[', 0x07, 'i', 0x06, 'i', 0x07))).toEqual([1, 2]);
  });

  it('never puts session values in error messages', () => {
    const secret = 'hunter2-secret-token';
    const bytes = dump({ password: secret, nested: [secret, { k: secret }] });
    for (let cut = 3; cut < bytes.length; cut++) {
      const error = failure(bytes.subarray(0, cut));
      expect(error.message).not.toContain('hunter2');
    }
  });
});

describe('dump errors', () => {
  it('names the path and the kind of an unsupported value, never the value', () => {
    const error = (() => {
      try {
        dump({ user: { id: 1, callback: () => 1 } });
      } catch (e) {
        return e as MarshalError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(MarshalError);
    expect(error.code).toBe('unsupported_value');
    expect(error.path).toBe('["user"]["callback"]');
    expect(error.message).toContain('a function');
  });

  it('rejects undefined rather than dropping it', () => {
    expect(() => dump({ a: undefined })).toThrow(/unsupported_value: cannot dump undefined .*path \["a"\]/);
  });

  it('rejects class instances it does not know', () => {
    expect(() => dump([new Date(0)])).toThrow(/an instance of Date .*path \[0\]/);
  });

  it('stops at maxDepth on deep plain values', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => dump(deep)).toThrow(/depth_exceeded/);
  });

  it('writes cycles as links, not as infinite output', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(Buffer.from(dump(a)).toString('hex')).toBe('04085b06' + '4000');
  });
});
