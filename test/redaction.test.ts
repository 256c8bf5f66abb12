// A session is a credential: no error message or outcome may show a piece of one of its String values. Real
// sessions (written by the Ruby stores) are mutated at random; every message from every exported reader and writer
// is checked for any 12-character piece of any String value of the original session.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRedisSession,
  dump,
  isRubyHash,
  isRubyString,
  load,
  migrateSessions,
  toActiveRecordSession,
  toPlain,
  toRailsJson,
  type RubyValue,
} from '../src/index.js';
import { nameInMessage } from '../src/marshal/error-path.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const PIECE = 12;

/** The String texts of a value, the Hash keys apart from the values, walked once per object. */
function texts(value: unknown, out: { keys: Set<string>; values: Set<string> }, seen = new Set<object>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (isRubyString(value)) out.values.add(value.toString());
  if (Array.isArray(value)) for (const v of value) texts(v, out, seen);
  else if (isRubyHash(value))
    for (const [k, v] of value.entries) {
      if (isRubyString(k)) out.keys.add(k.toString());
      else texts(k, out, seen);
      texts(v, out, seen);
    }
  else for (const v of Object.values(value)) texts(v, out, seen);
}

/** The 12-character pieces of the String values (the session's own Hash keys may be named in a path). */
function secretPieces(session: unknown): string[] {
  const found = { keys: new Set<string>(), values: new Set<string>() };
  texts(session, found);
  const pieces = new Set<string>();
  for (const text of found.values) {
    if (found.keys.has(text)) continue;
    for (let i = 0; i + PIECE <= text.length; i++) pieces.add(text.slice(i, i + PIECE));
  }
  return [...pieces];
}

const sessions = storeFixtures()
  .map((f) => {
    try {
      return { ...f, pieces: secretPieces(decodeRedisSession(f.key, f.value).session) };
    } catch {
      return null;
    }
  })
  .filter((f): f is NonNullable<typeof f> => f !== null && f.pieces.length > 0);

const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
);

function mutate(bytes: Uint8Array, edits: Array<{ op: string; at: number; byte: number }>): Uint8Array {
  let out = Array.from(bytes);
  for (const { op, at, byte } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (op === 'set') out[i] = byte;
    else if (op === 'insert') out.splice(i, 0, byte);
    else if (op === 'delete') out.splice(i, 1);
    else out = out.slice(0, i);
  }
  return Uint8Array.from(out);
}

/** Every message the library gives for these bytes: errors of each entry point, outcomes of a batch. */
async function messages(key: string, value: Uint8Array): Promise<string[]> {
  const found: string[] = [];
  const attempt = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (error) {
      found.push(error instanceof Error ? error.message : String(error));
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof Error) found.push(cause.message);
      return undefined;
    }
  };
  const loaded = attempt(() => load(value)) as RubyValue | undefined;
  attempt(() => decodeRedisSession(key, value));
  for (const serializer of ['marshal', 'json'] as const) attempt(() => toActiveRecordSession({ key, value }, { serializer }));
  for await (const outcome of migrateSessions([{ key, value }], { serializer: 'json' })) {
    if (outcome.kind === 'failed') found.push(outcome.error.message);
    if (outcome.kind === 'skipped') found.push(outcome.reason);
  }
  if (loaded !== undefined) {
    attempt(() => toPlain(loaded));
    attempt(() => toRailsJson(loaded));
    attempt(() => toRailsJson(loaded, { flavor: 'multi_json', onWarning: (w) => found.push(w.message, w.path) }));
    attempt(() => dump(loaded));
  }
  return found;
}

describe('no session value in any message', () => {
  it('has real sessions with secrets to look for', () => {
    expect(sessions.length).toBeGreaterThan(20);
  });

  it('mutated real sessions: no message holds a 12-character piece of a String value of the original', async () => {
    const seed = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sessions.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (which, edits) => {
        const { key, value, pieces } = sessions[which]!;
        for (const message of await messages(key, mutate(value, edits))) {
          const leaked = pieces.find((p) => message.includes(p));
          expect(leaked, `${key}: ${message}`).toBeUndefined();
        }
      }),
      { numRuns: 1500, seed },
    );
  }, 120_000);

  it('names long or unknown texts by length and a short hash, well-known ones whole', () => {
    expect(nameInMessage('user_id')).toBe('user_id');
    expect(nameInMessage('warden.user.user.key')).toBe('warden.user.user.key');
    expect(nameInMessage('ActiveSupport::HashWithIndifferentAccess')).toBe('ActiveSupport::HashWithIndifferentAccess');
    const token = '1iK+reoPdJlUmBcVxfNtE+qh1GcZ9DJnPFbEE3qLtZs=';
    expect(nameInMessage(token)).toMatch(/^<44 chars #[0-9a-f]{6}>$/);
    expect(nameInMessage(token)).not.toBe(nameInMessage(`${token.slice(0, -1)}x`));
  });
});
