import { describe, expect, it } from 'vitest';
import { inspect, isMarshalError, load } from '../src/marshal/index.js';

const BYTES = [0x04, 0x08, 0x69, 0x06]; // Marshal.dump(1)

describe('what load and inspect take', () => {
  it('bytes in any typed-array or buffer form', () => {
    const u8 = Uint8Array.from(BYTES);
    for (const input of [u8, u8.buffer, new DataView(u8.buffer), new Int8Array(u8.buffer), Uint8Array.from([9, ...BYTES]).subarray(1)]) {
      expect(load(input as Uint8Array)).toBe(1);
      expect(inspect(input as Uint8Array)).toContain('Marshal 4.8');
    }
  });

  it('anything else is invalid_input saying what it wants, by type, never the contents', () => {
    const cases: Array<[unknown, string]> = [
      ['BAhpBg==', 'a string'],
      [null, 'null'],
      [undefined, 'undefined'],
      [42, 'a number'],
      [[4, 8, 105, 6], 'an array'],
      [{ secret: 'x' }, 'an object'],
      [new Map(), 'an instance of Map'],
      [Object.create(null), 'an object'],
    ];
    for (const [input, what] of cases) {
      for (const [name, fn] of [['load', load], ['inspect', inspect]] as const) {
        let error: unknown;
        try {
          fn(input as Uint8Array);
        } catch (e) {
          error = e;
        }
        expect(isMarshalError(error), `${name} ${what}`).toBe(true);
        const { code, offset, message } = error as { code: string; offset: number; message: string };
        expect(code).toBe('invalid_input');
        expect(offset).toBe(0);
        expect(message).toContain(`${name} wants the bytes of a Marshal stream (a Uint8Array or an ArrayBuffer), not ${what}`);
        expect(message).not.toContain('BAhp');
        expect(message).not.toContain('secret');
      }
    }
    expect(() => load('BAh7BkkiBmEGOgZFVGkG' as never)).toThrow(
      'invalid_input: load wants the bytes of a Marshal stream (a Uint8Array or an ArrayBuffer), not a string (a Base64 text such as "BAh7..." is decoded first: decode64 in rails-session-codec) (at byte 0)',
    );
  });
});
