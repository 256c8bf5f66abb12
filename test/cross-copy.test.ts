import { describe, expect, it, vi } from 'vitest';
import type * as Root from '../src/index.js';
import { expectCopiesAgree } from './helpers/cross-copy.js';

// Two instances of the source module graph are two copies of every class, as an app with the package installed
// twice (or loaded as ESM and as CJS) has them: every function of one copy must take the values of the other.
async function freshCopy(): Promise<typeof Root> {
  vi.resetModules();
  return await import('../src/index.js');
}

describe('values from another copy of the package', () => {
  it('every function of one copy takes every value the other loaded, as its own', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(a.RubyHash).not.toBe(b.RubyHash);
    const seen = expectCopiesAgree(a, b);
    expect([...seen].sort()).toEqual(['isRubyBigDecimal', 'isRubyComplex', 'isRubyDate', 'isRubyDateTime', 'isRubyFlashHash', 'isRubyRange', 'isRubyRational', 'isRubySet', 'isRubyTime', 'isRubyTimeWithZone']);
  });

  it('a foreign value is not mistaken for one of this copy by instanceof-free checks, and keeps its kind', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    const time = a.rubyTimeFromEpoch(0);
    expect(time instanceof b.RubyTime).toBe(false);
    expect(b.isRubyTime(time) && b.isRubyUserDefined(time)).toBe(true);
    expect(b.isRubyDate(a.rubyDateTime(2024, 1, 2)) && b.isRubyDateTime(a.rubyDateTime(2024, 1, 2)) && !b.isRubyDateTime(a.rubyDate(2024, 1, 2))).toBe(true);
    expect(b.isRubyHash(new a.RubyObject(new a.RubySymbol('Foo')))).toBe(false);
    expect(b.rubyKindOf(new a.RubyHash())).toBe('Hash');
    for (const notRuby of [null, undefined, 0, 'x', 1n, [], {}, new Map(), new Uint8Array(1), { [Symbol.for('rails-session-codec.kind')]: 7 }]) {
      expect(b.rubyKindOf(notRuby)).toBeUndefined();
      expect(b.isRubyRecord(notRuby)).toBe(false);
    }
  });
});
