// A dump line's value is taken only when it is standard Base64 (A-Z a-z 0-9 + /, `=` padding, no line breaks):
// the reader's checks (the decoded length, then encoding back, then the regex) against the rule written as a regex.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDumpLine } from '../src/cli/dump-reader.js';

const RULE = /^[A-Za-z0-9+/]*={0,2}$/;

describe('parseDumpLine', () => {
  it('takes exactly the standard Base64 values, with their bytes, and says which rule a bad or large one breaks', () => {
    // Ł and ő are two-byte characters whose low bytes are A and Q: a decoder that reads low bytes takes them.
    const unit = fc.constantFrom(...'AQRgz09+/=-_ \n\r\t.!é\u2028\u0141\u0151\u00c1'.split(''), 'AAAA', 'QQ==', 'QR==', 'QUI=', 'QUJ=');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), fc.integer({ min: 1, max: 12 }), (value, maxSessionBytes) => {
        const parsed = parseDumpLine(JSON.stringify({ key: 'session:abc', value }), 7, maxSessionBytes);
        const standard = value.length % 4 === 0 && RULE.test(value);
        const size = (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
        if (!standard) expect(parsed).toMatchObject({ code: 'invalid_line', message: expect.stringContaining('not standard Base64') });
        else if (size > maxSessionBytes) expect(parsed).toMatchObject({ code: 'session_too_large' });
        else expect(parsed).toStrictEqual({ key: 'session:abc', value: new Uint8Array(Buffer.from(value, 'base64')) });
      }),
      { numRuns: 5000 },
    );
  });
});
