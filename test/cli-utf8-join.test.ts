import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinUtf8 } from '../src/cli/utf8-join.js';

const units = (texts: string[]) => texts.reduce((sum, text) => sum + text.length, 0);

describe('joinUtf8', () => {
  it('gives the bytes of each text in turn, whatever their characters', () => {
    // ASCII, Latin-1, BMP, astral characters and lone surrogates (U+FFFD, as TextEncoder writes them), in texts of
    // every size: the result starts at one byte per unit and must grow, once or many times, for all but ASCII.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('a', '\u00e9', '\u20ac', '\u{1f600}', '\ud800', '\udfff', '\n'), maxLength: 400 }),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), (texts) => {
        const bytes = Buffer.from(joinUtf8(texts, units(texts)));
        expect(bytes.equals(Buffer.concat(texts.map((one) => new TextEncoder().encode(one))))).toBe(true);
        // Rows end in a newline, so no surrogate pair is cut between two: the bytes of the rows joined.
        const rows = texts.map((one) => `${one}\n`);
        expect(Buffer.from(joinUtf8(rows, units(rows))).equals(Buffer.from(rows.join(''), 'utf8'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a text that needs three bytes per unit at the very end of the room', () => {
    const texts = ['a'.repeat(10), '\u20ac'.repeat(5)];
    expect(Buffer.from(joinUtf8(texts, 15)).toString('utf8')).toBe(texts.join(''));
    expect(joinUtf8(texts, 15).length).toBe(10 + 15);
  });

  it('gives no bytes for no texts, and ASCII texts in exactly their room', () => {
    expect(joinUtf8([], 0).length).toBe(0);
    const ascii = ['{"session_id":"abc"}\n', 'x'.repeat(70_000)];
    const bytes = joinUtf8(ascii, units(ascii));
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
  });

  it('gives bytes with an ArrayBuffer of their own, which can be transferred', () => {
    for (const texts of [['ascii only'], ['\u20ac grows', '\u{1f600}'.repeat(100)]]) {
      const bytes = joinUtf8(texts, units(texts));
      expect(bytes.buffer.byteLength).toBeLessThan(8192 * 4);
      const moved = structuredClone(bytes, { transfer: [bytes.buffer as ArrayBuffer] });
      expect(bytes.byteLength).toBe(0);
      expect(Buffer.from(moved).toString('utf8')).toBe(texts.join(''));
    }
  });
});
