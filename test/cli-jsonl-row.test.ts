// The JSONL writer's fast path (Base64 data escaped by hand) against JSON.stringify, which it must equal exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonlRow } from '../src/cli/jsonl-row.js';
import { encode64 } from '../src/stores/base64.js';

const stringify = (sessionId: string, data: string) => `${JSON.stringify({ session_id: sessionId, data })}\n`;

describe('jsonlRow', () => {
  it('writes what JSON.stringify writes for Base64 data and any session id', () => {
    const id = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('2::' + 'ab'.repeat(32), 'a"b', 'a\\b', '\u2028', '\x7f'));
    fc.assert(
      fc.property(id, fc.uint8Array({ maxLength: 400 }), (sessionId, bytes) => {
        const data = encode64(bytes);
        expect(jsonlRow(sessionId, data)).toBe(stringify(sessionId, data));
        expect(jsonlRow(sessionId, data, true)).toBe(stringify(sessionId, data));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes what JSON.stringify writes for any other data (the JSON serializers, quotes, controls, lone surrogates)', () => {
    const near = fc.string({ unit: fc.constantFrom('A', 'z', '9', '+', '/', '=', '\n', '\r', '"', '\\', '\t', '\u2028', '\ud800', 'é', ' ', '{') });
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string(), fc.string({ unit: 'binary' }), near), (sessionId, data) => {
        expect(jsonlRow(sessionId, data)).toBe(stringify(sessionId, data));
      }),
      { numRuns: 3000 },
    );
  });
});
