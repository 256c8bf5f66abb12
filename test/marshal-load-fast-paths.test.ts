// load's fast paths, held to the general path:
// - a link (`@`), a Fixnum (`i`) and an encoded String (`I"`) read at the top of readValue, before the type switch
//   (readTyped), when no ivar wrapper is open and the depth limit is two levels away;
// - an input of VIEWED_FROM_BYTES bytes or more copied whole once, its byte strings views of that copy.
// The general parser below sends every value through readTyped and copies every byte string out of the input.
// Also the copy contract: what load returns never shares memory with the caller's bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RubyHash, RubyString, dump, load } from '../src/marshal/index.js';
import { MarshalParser } from '../src/marshal/parse.js';
import type { RubyValue } from '../src/marshal/index.js';
import { rubyValue } from './helpers/arbitraries.js';
import { byteEdit, mutate } from './helpers/byte-edits.js';
import { marshalFixtures } from './helpers/fixtures.js';

interface ParserInternals {
  pos: number;
  bytes: Uint8Array;
  readLength(what: string, bytesPerItem: number): number;
  readTyped(start: number, hasIvars: boolean, decorated: boolean): RubyValue;
}

/** The parser without its fast paths: every value through the type switch, every byte string a copy. */
class GeneralParser extends MarshalParser {}
Object.defineProperties(GeneralParser.prototype, {
  readValue: {
    value(this: ParserInternals, hasIvars: boolean, decorated: boolean) {
      return this.readTyped(this.pos, hasIvars, decorated);
    },
  },
  readByteString: {
    value(this: ParserInternals, what: string) {
      const n = this.readLength(what, 1);
      const copy = this.bytes.slice(this.pos, this.pos + n);
      this.pos += n;
      return copy;
    },
  },
});

/** What a parser makes of the bytes: the value, or the error's code, offset, path and message. */
function outcome(Parser: typeof MarshalParser, bytes: Uint8Array, maxDepth?: number): unknown {
  try {
    return { value: new Parser(bytes, maxDepth).parseDocument() };
  } catch (error) {
    const { code, offset, path, message } = error as { code?: unknown; offset?: unknown; path?: unknown; message?: unknown };
    return { error: { code, offset, path, message } };
  }
}

function expectSame(bytes: Uint8Array, maxDepth?: number): void {
  expect(outcome(MarshalParser, bytes, maxDepth)).toStrictEqual(outcome(GeneralParser, bytes, maxDepth));
}

/** A value long enough that its dump is read through views (past VIEWED_FROM_BYTES). */
const padded = (value: RubyValue): RubyValue => [value, new RubyString('p'.repeat(1100))];

describe('load: fast paths read what the general path reads', () => {
  it('any value, short (copied strings) and long (views)', () => {
    fc.assert(
      fc.property(rubyValue, (value) => {
        expectSame(dump(value));
        expectSame(dump(padded(value)));
      }),
      { numRuns: 1000 },
    );
  });

  it('every fixture at every depth limit, short and long', () => {
    for (const { name, bytes } of marshalFixtures()) {
      const long = dump(padded(load(bytes)));
      for (const maxDepth of [undefined, 1, 2, 3, 4, 5, 6, 8]) {
        try {
          expectSame(bytes, maxDepth);
          expectSame(long, maxDepth);
        } catch (error) {
          throw new Error(`${name}, maxDepth ${maxDepth}: ${String(error)}`);
        }
      }
    }
  });

  it('mutated payloads: loaded or refused alike, with the same error', () => {
    const payloads = fc.oneof(
      fc.constantFrom(...marshalFixtures().map((f) => f.bytes)),
      rubyValue.map((value) => dump([value, new RubyString('a'), 7, value])),
      rubyValue.map((value) => dump(padded([value, value]))),
    );
    fc.assert(
      fc.property(payloads, fc.array(byteEdit, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 10 }), (bytes, edits, maxDepth) => {
        const mutated = mutate(bytes, edits, 2);
        expectSame(mutated);
        expectSame(mutated, maxDepth);
      }),
      { numRuns: 3000 },
    );
  });

  it('links, Fixnums and Strings at each depth around the limit', () => {
    // `[s, {s => [s, 300, [I"y", s, -3]]}]`: a String linked from a Hash key, Array elements and a Hash value, at
    // depths 2 to 6 (with their encoding flags); each limit from 1 to 6 cuts somewhere among them.
    const s = new RubyString('x');
    const value = [s, new RubyHash([[s, [s, 300, [new RubyString('y', 'US-ASCII'), s, -3]]]])];
    for (const bytes of [dump(value), dump(padded(value))]) {
      for (const maxDepth of [undefined, 1, 2, 3, 4, 5, 6, 7]) expectSame(bytes, maxDepth);
    }
    expect(outcome(MarshalParser, dump(value), 3)).toMatchObject({ error: { code: 'depth_exceeded' } });
    expect(outcome(MarshalParser, dump(value), 7)).toMatchObject({ value: [s, expect.anything()] });
  });
});

describe('load: the copy contract', () => {
  for (const [what, size] of [
    ['a short input (each String copied)', 10],
    ['a long input (Strings are views of one private copy)', 2000],
  ] as const) {
    it(`${what}: the loaded bytes never share the caller's memory`, () => {
      const input = dump([new RubyString('a'.repeat(size)), new RubyString('bc'), new RubyString('de')]);
      const [a, b, c] = load(input) as RubyString[];
      expect(a!.bytes.buffer).not.toBe(input.buffer);
      input.fill(0x7a, 2);
      expect([a!.toString(), b!.toString(), c!.toString()]).toEqual(['a'.repeat(size), 'bc', 'de']);
      b!.bytes[0] = 0x58;
      c!.bytes[1] = 0x59;
      expect([a!.toString(), b!.toString(), c!.toString()]).toEqual(['a'.repeat(size), 'Xc', 'dY']);
    });
  }

  it('a Buffer input is copied too, short or long (a Buffer\'s slice is a view)', () => {
    for (const size of [40, 1500]) {
      const input = Buffer.from(dump([new RubyString('x'.repeat(size)), new RubyString('y')]));
      const [x, y] = load(input) as RubyString[];
      expect(x!.bytes).not.toBeInstanceOf(Buffer);
      input.fill(0x41);
      expect([x!.toString(), y!.toString()]).toEqual(['x'.repeat(size), 'y']);
    }
  });
});
