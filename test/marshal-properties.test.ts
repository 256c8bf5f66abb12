import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dump, isMarshalError, load } from '../src/marshal/index.js';
import { rubyValue } from './helpers/arbitraries.js';
import { hex } from './helpers/seq.js';

describe('round trips', () => {
  it('any value -> dump -> load gives the value back', () => {
    fc.assert(
      fc.property(rubyValue, (value) => {
        expect(load(dump(value))).toStrictEqual(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('dump(load(bytes)) gives the same bytes for anything dump writes', () => {
    fc.assert(
      fc.property(rubyValue, (value) => {
        const bytes = dump(value);
        expect(hex(dump(load(bytes)))).toBe(hex(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('shared values and cycles survive as shared values and cycles', () => {
    fc.assert(
      fc.property(rubyValue, (value) => {
        const array: unknown[] = [value, value];
        array.push(array);
        const loaded = load(dump(array)) as unknown[];
        if (typeof value === 'object' && value !== null) {
          expect(loaded[1]).toBe(loaded[0]);
        }
        expect(loaded[2]).toBe(loaded);
      }),
      { numRuns: 300 },
    );
  });
});

describe('any bytes', () => {
  it('load returns a value or throws MarshalError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (tail, header) => {
        const bytes = header ? Uint8Array.from([4, 8, ...tail]) : tail;
        try {
          load(bytes);
        } catch (error) {
          expect(isMarshalError(error)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('a valid dump with bytes changed loads or throws MarshalError', () => {
    fc.assert(
      fc.property(rubyValue, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (value, edits) => {
        const bytes = dump(value);
        for (const [at, byte] of edits) bytes[2 + (at % Math.max(1, bytes.length - 2))] = byte;
        try {
          load(bytes);
        } catch (error) {
          expect(isMarshalError(error)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
