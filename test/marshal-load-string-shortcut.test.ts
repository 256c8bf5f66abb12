// load's shortcut for the commonest value, a String with its encoding (`I"…` then `\x06;` and a one-byte index of
// `:E`, then T or F): its ivars read in one step. Held to the general path: the parser with its
// readString replaced by the general one (the bytes, then readEncodedIvars), on values, fixtures, mutated payloads
// and every depth limit.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RubyString, RubySymbol, dump } from '../src/marshal/index.js';
import { MarshalParser } from '../src/marshal/parse.js';
import { rubyValue } from './helpers/arbitraries.js';
import { byteEdit, mutate } from './helpers/byte-edits.js';
import { marshalFixtures } from './helpers/fixtures.js';

/** The parser without the shortcut: a String's ivars always go through readEncodedIvars. */
class GeneralParser extends MarshalParser {}
Object.defineProperty(GeneralParser.prototype, 'readString', {
  value(this: { readByteString(what: string): Uint8Array; objects: unknown[]; readEncodedIvars(target: RubyString): void }, hasIvars: boolean) {
    const string = new RubyString(this.readByteString('string length'));
    this.objects.push(string);
    if (hasIvars) this.readEncodedIvars(string);
    return string;
  },
});

/** What a parser makes of the bytes: the value, or the error's code, offset and message. */
function outcome(Parser: typeof MarshalParser, bytes: Uint8Array, maxDepth?: number): unknown {
  try {
    return { value: new Parser(bytes, maxDepth).parseDocument() };
  } catch (error) {
    const { code, offset, message } = error as { code?: unknown; offset?: unknown; message?: unknown };
    return { error: { code, offset, message } };
  }
}

function expectSame(bytes: Uint8Array, maxDepth?: number): void {
  expect(outcome(MarshalParser, bytes, maxDepth)).toStrictEqual(outcome(GeneralParser, bytes, maxDepth));
}

describe('load: a String with its encoding, read in one step', () => {
  it('reads what the general path reads, for any value', () => {
    fc.assert(
      fc.property(rubyValue, (value) => expectSame(dump(value))),
      { numRuns: 1000 },
    );
  });

  it('reads what the general path reads, for every fixture and every depth limit', () => {
    for (const { name, bytes } of marshalFixtures()) {
      for (const maxDepth of [undefined, 1, 2, 3, 4, 5, 6, 8]) {
        try {
          expectSame(bytes, maxDepth);
        } catch (error) {
          throw new Error(`${name}, maxDepth ${maxDepth}: ${String(error)}`);
        }
      }
    }
  });

  it('reads or refuses mutated payloads as the general path does', () => {
    const payloads = fc.oneof(
      fc.constantFrom(...marshalFixtures().map((f) => f.bytes)),
      rubyValue.map((value) => dump([value, new RubyString('a'), new RubyString('b', 'US-ASCII')])),
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

  it('finds :E at any symbol index, linked in one byte or more, and takes no other symbol for it', () => {
    for (const before of [0, 1, 2, 121, 122, 123, 124, 130]) {
      const symbols = Array.from({ length: before }, (_, i) => new RubySymbol(i === 3 ? 'encoding' : `s${i}`));
      const value = [...symbols, new RubyString('a'), new RubyString('b', 'US-ASCII'), new RubyString('c')];
      const bytes = dump(value);
      expectSame(bytes);
      const loaded = new MarshalParser(bytes).parseDocument() as RubyString[];
      expect(loaded.slice(before).map((s) => s.encoding)).toEqual(['UTF-8', 'US-ASCII', 'UTF-8']);
      // The same Strings with their `;` pointing one symbol off: no longer an encoding, so kept as an ivar (or refused).
      for (let i = 0; i + 3 < bytes.length; i++) {
        if (bytes[i] === 0x06 && bytes[i + 1] === 0x3b && (bytes[i + 3] === 0x54 || bytes[i + 3] === 0x46)) {
          const off = Uint8Array.from(bytes);
          off[i + 2] = bytes[i + 2] === 0 ? 6 : bytes[i + 2]! - 1;
          expectSame(off);
        }
        // `;\x01 i` (index 123 and up) written in one byte `i + 5`: a negative long, so a bad link, not `:E`.
        if (bytes[i] === 0x06 && bytes[i + 1] === 0x3b && bytes[i + 2] === 1 && i + 4 < bytes.length && bytes[i + 3]! + 5 < 256) {
          const short = Uint8Array.from([...bytes.subarray(0, i + 2), bytes[i + 3]! + 5, ...bytes.subarray(i + 4)]);
          expect(outcome(MarshalParser, short)).toMatchObject({ error: { code: 'bad_link' } });
          expectSame(short);
        }
      }
    }
  });
});
