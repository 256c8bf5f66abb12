// Every writer stops with a typed budget_exceeded (with the path) well under a second on the bombs a few bytes of
// Marshal can hold; cache values stop inflating at maxInflatedBytes; BigDecimal exponents are checked before the
// zeros are written. No RangeError and no stack overflow reaches the caller.
import { zlibSync } from 'fflate';
import { inflate, inflatePortable } from '../src/stores/rails-cache.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RubyBigDecimal,
  RubyString,
  RubySymbol,
  decodeRedisSession,
  dump,
  fromPlain,
  inspect,
  isMarshalError,
  isPlainError,
  isRailsJsonError,
  isSessionError,
  load,
  rubyInspect,
  toActiveRecordSession,
  toPlain,
  toRailsJson,
} from '../src/index.js';

/** Runs `f`, returning what it threw and how long it took. */
function timed(f: () => unknown): { error: unknown; ms: number } {
  const start = performance.now();
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  return { error, ms: performance.now() - start };
}

function expectBudget(f: () => unknown, isError: (e: unknown) => boolean, path?: string): void {
  const { error, ms } = timed(f);
  expect(isError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe('budget_exceeded');
  if (path !== undefined) expect((error as { path: string }).path.startsWith(path), (error as { path: string }).path).toBe(true);
  // Well under a second alone (see the README's figures); the margin is for a loaded machine (seconds, not minutes).
  expect(ms).toBeLessThan(3000);
}

/** `a = []; n.times { a = [a, a] }`, as Ruby dumps it (each level links the one below): a few hundred bytes. */
function dagBytes(levels: number, leaf: unknown = []): Uint8Array {
  let a: unknown = leaf;
  for (let i = 0; i < levels; i++) a = [a, a];
  return dump(a);
}

/** One String of `length` characters linked `times` times from an Array. */
function sharedStringBytes(length: number, times: number): Uint8Array {
  const s = new RubyString('x'.repeat(length));
  return dump(Array.from({ length: times }, () => s));
}

describe('budgets on the bombs of issue 9', () => {
  const dag = load(dagBytes(60));
  const shared = load(sharedStringBytes(30_000, 30_000));

  it('a 2^60 DAG of Arrays (a few hundred bytes): rubyInspect and toRailsJson stop on maxNodes, with the path', () => {
    expect(dagBytes(60).length).toBeLessThan(400);
    expectBudget(() => rubyInspect(dag), isMarshalError, '[0][0][0]');
    expectBudget(() => toRailsJson(dag), isRailsJsonError, '[0][0][0]');
    expectBudget(() => toRailsJson(dag, { flavor: 'multi_json' }), isRailsJsonError);
    // The plain view and dump keep the sharing: they are linear.
    expect(timed(() => dump(toPlain(dag) as unknown[])).ms).toBeLessThan(3000);
  });

  it('one 30,000-character String linked 30,000 times (90 KB): toPlain makes it once; the text writers stop on bytes', () => {
    const start = performance.now();
    const plain = toPlain(shared) as string[];
    expect(performance.now() - start).toBeLessThan(3000);
    expect(plain).toHaveLength(30_000);
    expect(plain[29_999]).toBe(plain[0]);
    expectBudget(() => toRailsJson(shared), isRailsJsonError, '[');
    expectBudget(() => rubyInspect(shared), isMarshalError, '[');
    // A JS string has no identity: fromPlain makes one String per use, and stops before 900 MB of them.
    expectBudget(() => fromPlain(plain), isPlainError, '[');
    // dump writes what it is given up to the limit (64 MiB of copies takes most of a second): a smaller limit here.
    expectBudget(() => dump(plain, { maxOutputBytes: 4 * 1024 * 1024 }), isMarshalError, '[');
  });

  it('a 1 KB String shared 2^30 times through a DAG: toRailsJson stops on bytes in well under a second', () => {
    const value = load(dagBytes(30, new RubyString('y'.repeat(1024))));
    expectBudget(() => toRailsJson(value), isRailsJsonError);
  });

  it('the limits are options: maxOutputBytes and maxNodes, the same name on every writer', () => {
    const small = load(sharedStringBytes(100, 100));
    expectBudget(() => toRailsJson(small, { maxOutputBytes: 5000 }), isRailsJsonError);
    expectBudget(() => rubyInspect(small, { maxOutputBytes: 5000 }), isMarshalError);
    expectBudget(() => toPlain(load(dump(Array.from({ length: 100 }, (_, i) => `s${i}`))), { maxNodes: 50 }), isPlainError, '[49]');
    expectBudget(() => fromPlain(Array.from({ length: 100 }, () => 'x'.repeat(100)), { maxOutputBytes: 5000 }), isPlainError);
    expectBudget(() => dump(Array.from({ length: 100 }, () => 'x'.repeat(100)), { maxOutputBytes: 5000 }), isMarshalError);
    expect(toRailsJson(small, { maxOutputBytes: 20_000 })).toHaveLength(100 * 103 + 1);
    const listing = inspect(sharedStringBytes(10, 1000), { maxOutputBytes: 2000 });
    expect(listing.trimEnd().split('\n').at(-1)).toMatch(/^!! budget_exceeded: the output would pass maxOutputBytes \(2000;/);
    expect(listing.length).toBeLessThan(2200);
  });

  it('inspect (the listing) of a long link chain stops at maxOutputBytes and never throws', () => {
    const chain = dump(Array.from({ length: 200_000 }, () => dag));
    const { error, ms } = timed(() => inspect(chain, { maxOutputBytes: 1_000_000 }));
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(3000);
  });

  it('store writers stop too: toActiveRecordSession of a shared-String session fails typed (json serializer)', () => {
    const session = load(dump(new Map([['k', Array.from({ length: 30_000 }, () => shared)]])));
    const { error, ms } = timed(() => toActiveRecordSession({ id: 'abc', session: session as never }, { serializer: 'json' }));
    expect(isSessionError(error) || isRailsJsonError(error), String(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/budget_exceeded/);
    expect(ms).toBeLessThan(3000);
  });
});

describe('BigDecimal exponents are checked before the text is built', () => {
  function bigDecimal(digits: string): RubyBigDecimal {
    return new RubyBigDecimal(new RubySymbol('BigDecimal'), Uint8Array.from(digits, (c) => c.charCodeAt(0)));
  }

  for (const digits of ['18:0.1e1000000000', '18:0.1e400000000', '18:-0.1e-400000000', '18:0.1e99999999999999999999']) {
    it(`${digits}: toPlain, toRailsJson and toDecimalString say budget_exceeded, fast`, () => {
      const value = load(dump(new Map([['amount', bigDecimal(digits)]])));
      expectBudget(() => toPlain(value), isPlainError, '["amount"]');
      expectBudget(() => toRailsJson(value), isRailsJsonError);
      expectBudget(() => toRailsJson(value, { flavor: 'multi_json' }), isRailsJsonError);
      expectBudget(() => bigDecimal(digits).toDecimalString(), isMarshalError);
      expect(rubyInspect(value)).toContain(digits.slice(3));
    });
  }

  it('an exponent within the budget still gives the exact text', () => {
    expect(bigDecimal('18:0.15e7').toDecimalString()).toBe('1500000.0');
    expect(bigDecimal('18:0.15e-3').toDecimalString()).toBe('0.00015');
    expect(bigDecimal('18:0.1e1000').decimalLength).toBe(bigDecimal('18:0.1e1000').toDecimalString().length);
    expect(bigDecimal('18:-0.123e-5').decimalLength).toBe(bigDecimal('18:-0.123e-5').toDecimalString().length);
  });
});

describe('cache-entry inflation', () => {
  const key = '_session_id:2::3e4cc3dad9a651c4139750ac56e12c73d7809400354ddbdcb14b1f7fb145b6d9';
  /** A Rails 7.0 cache value whose zlib payload inflates to `size` zero bytes. */
  const bomb = (size: number) => Uint8Array.from([0x01, ...zlibSync(new Uint8Array(size), { level: 9 })]);

  it('stops at maxInflatedBytes (16 MiB by default) while inflating, not after', () => {
    const value = bomb(20 * 1024 * 1024);
    // Over 16 KB compressed: too big to inflate in one call safely, so it is inflated piece by piece.
    expect(value.length).toBeGreaterThan(16 * 1024);
    expect(value.length).toBeLessThan(100_000);
    const { error, ms } = timed(() => decodeRedisSession(key, value));
    expect(isSessionError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^decompression_failed: a compressed cache value inflates past maxInflatedBytes \(16777216;/);
    expect(ms).toBeLessThan(3000);
  });

  it('takes a smaller or larger limit as an option, and checks it', () => {
    const value = bomb(2 * 1024 * 1024);
    expect(() => decodeRedisSession(key, value, { maxInflatedBytes: 1024 * 1024 })).toThrow(/inflates past maxInflatedBytes \(1048576;/);
    // Under the limit, the inflated bytes are read (and are no Marshal): a different error.
    expect(() => decodeRedisSession(key, value, { maxInflatedBytes: 4 * 1024 * 1024 })).toThrow(/invalid_payload|unsupported_version/);
    expect(() => decodeRedisSession(key, value, { maxInflatedBytes: -1 })).toThrow(/invalid_options/);
  });

  it('a truncated stream fails as decompression_failed, streaming or not', () => {
    let state = 0x9e3779b9;
    const noise = Uint8Array.from({ length: 100_000 }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    });
    const whole = zlibSync(noise);
    expect(whole.length).toBeGreaterThan(16 * 1024);
    for (const cut of [whole.subarray(0, 20), whole.subarray(0, whole.length - 10)]) {
      expect(() => decodeRedisSession(key, Uint8Array.from([0x01, ...cut]))).toThrow(/decompression_failed/);
    }
  });
});

describe('inflate: Node zlib where there is one, fflate otherwise', () => {
  it('gives the same bytes as the portable inflater, a bad checksum and trailing bytes included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 9 }), fc.boolean(), (data, level, spoil) => {
        const stream = zlibSync(data.map((b, i) => (i % 7 === 0 ? b : 0x41)), { level: level as 0 });
        // A wrong Adler-32 (which fflate does not check): zlib refuses it, and the portable inflater then decides.
        if (spoil) stream[stream.length - 1]! ^= 0xff;
        const expected = inflatePortable(stream);
        expect(inflate(stream)).toEqual(expected);
        expect(inflate(Uint8Array.from([...stream, 1, 2, 3]))).toEqual(inflatePortable(Uint8Array.from([...stream, 1, 2, 3])));
      }),
      { numRuns: 300 },
    );
  });

  it('on a cut stream, fails or gives bytes exactly as the portable inflater does, and stops at the limit', () => {
    const outcome = (f: () => Uint8Array) => {
      try {
        return Buffer.from(f()).toString('hex');
      } catch (error) {
        return (error as Error).message;
      }
    };
    const whole = zlibSync(Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 251), { level: 6 });
    for (let length = 0; length < whole.length; length++) {
      const cut = whole.subarray(0, length);
      expect(outcome(() => inflate(cut))).toBe(outcome(() => inflatePortable(cut)));
    }
    expect(inflate(whole, 5000)).toEqual(Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 251));
    expect(() => inflate(whole, 4999)).toThrow(/decompression_failed/);
  });
});

describe('no RangeError or stack overflow from any writer, on random bomb shapes', () => {
  it('DAG depth, fan-out and shared String length: each writer returns or throws its typed error', () => {
    const typed = (e: unknown) => isMarshalError(e) || isPlainError(e) || isRailsJsonError(e) || isSessionError(e);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 5_000 }), (levels, fan, length) => {
        let a: unknown = new RubyString('z'.repeat(length));
        for (let i = 0; i < levels; i++) a = Array.from({ length: fan }, () => a);
        const value = load(dump(a));
        for (const f of [() => rubyInspect(value), () => toRailsJson(value), () => toPlain(value), () => dump(fromPlain(toPlain(value))), () => inspect(dump(value))]) {
          const { error, ms } = timed(f);
          if (error !== undefined) expect(typed(error), String(error)).toBe(true);
          expect(ms).toBeLessThan(3000);
        }
      }),
      { numRuns: 12 },
    );
  });
});
