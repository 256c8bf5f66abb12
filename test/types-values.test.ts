import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RubyBigDecimal,
  rubyBigDecimal,
  RubyComplex,
  rubyComplex,
  RubyHash,
  RubyRange,
  rubyRange,
  RubyRational,
  rubyRational,
  RubySet,
  rubySet,
  RubyString,
  RubyStruct,
  dump,
  load,
  rubyInspect,
} from '../src/index.js';
import { hasRuby, runRuby } from './helpers/ruby.js';
import { hex } from './helpers/seq.js';
import { typeCasesFor } from './helpers/type-fixtures.js';

const HWIA = 'ActiveSupport::HashWithIndifferentAccess';

describe('BigDecimal', () => {
  it.each(typeCasesFor<{ to_s: string; precision_prefix: string }>('bigdecimal/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubyBigDecimal;
    expect(value).toBeInstanceOf(RubyBigDecimal);
    expect(value.toDecimalString()).toBe(c.fields.to_s);
    expect(String(value.precisionPrefix)).toBe(c.fields.precision_prefix);
    expect(hex(dump(value))).toBe(c.hex);
  });

  it('rubyBigDecimal writes what BigDecimal(text) dumps, for the values parsed from text', () => {
    for (const c of typeCasesFor('bigdecimal/').filter((c) => /^BigDecimal\("[^"]*"\)$/.test(c.ruby))) {
      const text = /^BigDecimal\("([^"]*)"\)$/.exec(c.ruby)![1]!;
      expect(hex(dump(rubyBigDecimal(text))), c.name).toBe(c.fresh_process_hex);
    }
  });

  it('rubyBigDecimal follows Ruby past the exponent limit and counts only mantissa digits in the precision prefix', () => {
    // Each pair is `[text, Marshal.dump(BigDecimal(text)).unpack1("H*")]` from Ruby 3.1.2 (bigdecimal 3.1.1).
    const cases: [string, string][] = [
      ['1e1024819115206086200', '0408753a0f426967446563696d616c1f31383a302e316531303234383139313135323036303836323031'],
      ['1e1024819115206086201', '0408753a0f426967446563696d616c1031383a496e66696e697479'],
      ['-1e99999999999999999999', '0408753a0f426967446563696d616c1131383a2d496e66696e697479'],
      ['-1e-99999999999999999999', '0408753a0f426967446563696d616c0c31383a2d302e30'],
      ['1e-1024819115206086200', '0408753a0f426967446563696d616c2031383a302e31652d31303234383139313135323036303836313939'],
      ['1.5e-1024819115206086201', '0408753a0f426967446563696d616c0b31383a302e30'],
      ['0e1024819115206086201', '0408753a0f426967446563696d616c0b31383a302e30'],
      ['123456789.123456789e3', '0408753a0f426967446563696d616c1f32373a302e313233343536373839313233343536373839653132'],
      ['00012.50e-3', '0408753a0f426967446563696d616c1031383a302e313235652d31'],
      ['-.5', '0408753a0f426967446563696d616c0e31383a2d302e356530'],
      ['1e2147483647', '0408753a0f426967446563696d616c1631383a302e316532313437343833363438'],
    ];
    for (const [text, rubyHex] of cases) expect(hex(dump(rubyBigDecimal(text))), text).toBe(rubyHex);
  });

  it('rubyBigDecimal rejects text that is not decimal without echoing it', () => {
    expect(() => rubyBigDecimal('secret-token-value')).toThrow(RangeError);
    expect(() => rubyBigDecimal('secret-token-value')).not.toThrow(/secret/);
  });

  it.skipIf(!hasRuby)('rubyBigDecimal writes the bytes Ruby writes for BigDecimal(text), for random text with long mantissas and exponents (skipped without ruby)', () => {
    const texts = fc.sample(
      fc
        .tuple(
          fc.constantFrom('', '-', '+'),
          fc.stringMatching(/^[0-9]{0,45}$/),
          fc.option(fc.stringMatching(/^[0-9]{0,45}$/), { nil: undefined }),
          fc.option(fc.oneof(fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }), fc.bigInt({ min: -2000n, max: 2000n })), { nil: undefined }),
        )
        .filter(([, int, frac]) => int !== '' || (frac ?? '') !== '')
        .map(([sign, int, frac, exp]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : `e${exp}`}`),
      400,
    );
    const out = runRuby(
      'require "bigdecimal"; STDIN.each_line { |l| puts((Marshal.dump(BigDecimal(l.chomp)).unpack1("H*") rescue "invalid")) }',
      `${texts.join('\n')}\n`,
    );
    const rubyHex = out.trim().split('\n');
    expect(rubyHex.filter((h) => h !== 'invalid').length).toBeGreaterThan(300);
    texts.forEach((t, i) => {
      if (rubyHex[i] === 'invalid') expect(() => rubyBigDecimal(t), t).toThrow(RangeError);
      else expect(hex(dump(rubyBigDecimal(t))), t).toBe(rubyHex[i]);
    });
  });

  it.skipIf(!hasRuby)('Ruby loads our BigDecimals as BigDecimal(text), for random decimals (skipped without ruby)', () => {
    const texts = fc.sample(
      fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,40}$/), fc.stringMatching(/^[0-9]{0,40}$/), fc.integer({ min: -30, max: 30 })).map(
        ([negative, int, frac, exp]) => `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}e${exp}`,
      ),
      300,
    );
    const input = texts.map((t) => `${t} ${hex(dump(rubyBigDecimal(t)))}`).join('\n');
    const out = runRuby('require "bigdecimal"; STDIN.each_line { |l| t, h = l.split; v = Marshal.load([h].pack("H*")); puts(v == BigDecimal(t) && v.sign == BigDecimal(t).sign ? "ok" : "different #{t}") }', `${input}\n`);
    expect(out.trim().split('\n').filter((l) => l !== 'ok')).toEqual([]);
    for (const t of texts) {
      const value = rubyBigDecimal(t);
      expect(hex(dump(load(dump(value))))).toBe(hex(dump(value)));
    }
  });
});

describe('Rational and Complex', () => {
  it.each(typeCasesFor<{ num: string; den: string }>('rational/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubyRational;
    expect(value).toBeInstanceOf(RubyRational);
    expect([String(value.numerator), String(value.denominator)]).toEqual([c.fields.num, c.fields.den]);
    expect(hex(dump(rubyRational(BigInt(c.fields.num) <= 2n ** 53n ? Number(c.fields.num) : BigInt(c.fields.num), Number(c.fields.den))))).toBe(c.fresh_process_hex);
  });

  it.each(typeCasesFor<{ real: string; imag: string }>('complex/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubyComplex;
    expect(value).toBeInstanceOf(RubyComplex);
    expect([rubyInspect(value.real), rubyInspect(value.imaginary)]).toEqual([c.fields.real, c.fields.imag]);
    expect(hex(dump(rubyComplex(value.real, value.imaginary)))).toBe(c.fresh_process_hex);
  });

  it.skipIf(!hasRuby)('Ruby loads our Rationals equal to Rational(n, d) (skipped without ruby)', () => {
    const pairs = fc.sample(fc.tuple(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), fc.bigInt({ min: 1n, max: 2n ** 70n })), 200).map(([n, d]) => {
      let a = n < 0n ? -n : n;
      let b = d;
      while (b !== 0n) [a, b] = [b, a % b];
      const g = a === 0n ? d : a;
      return [n / g, d / g] as const;
    });
    const small = (x: bigint) => (x >= -(2n ** 53n) && x <= 2n ** 53n ? Number(x) : x);
    const input = pairs.map(([n, d]) => `${n} ${d} ${hex(dump(rubyRational(small(n), small(d))))}`).join('\n');
    const out = runRuby('STDIN.each_line { |l| n, d, h = l.split; puts(Marshal.load([h].pack("H*")) == Rational(n.to_i, d.to_i) ? "ok" : "different #{n}/#{d}") }', `${input}\n`);
    expect(out.trim().split('\n').filter((l) => l !== 'ok')).toEqual([]);
  });
});

describe('Range, Set, HashWithIndifferentAccess, Struct', () => {
  it.each(typeCasesFor<{ begin: string; end: string; exclude_end: boolean }>('range/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubyRange;
    expect(value).toBeInstanceOf(RubyRange);
    expect([rubyInspect(value.begin), rubyInspect(value.end), value.excludeEnd]).toEqual([c.fields.begin, c.fields.end, c.fields.exclude_end]);
    expect(hex(dump(value))).toBe(c.hex);
  });

  it('rubyRange writes what Ruby writes', () => {
    expect(hex(dump(rubyRange(1, 10)))).toBe(typeCasesFor('range/inclusive')[0]!.fresh_process_hex);
    expect(hex(dump(rubyRange(1, 10, true)))).toBe(typeCasesFor('range/exclusive')[0]!.fresh_process_hex);
    expect(hex(dump(rubyRange(1, null)))).toBe(typeCasesFor('range/endless')[0]!.fresh_process_hex);
  });

  it.each(typeCasesFor<{ size: number }>('set/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubySet;
    expect(value).toBeInstanceOf(RubySet);
    expect(value.size).toBe(c.fields.size);
    expect(hex(dump(rubySet(value.members)))).toBe(c.fresh_process_hex);
  });

  it.each(typeCasesFor<{ keys: string[] }>('hwia/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubyHash;
    expect(value.userClass?.name).toBe(HWIA);
    expect(value.entries.map(([k]) => (k as RubyString).toString())).toEqual(c.fields.keys);
    expect(hex(dump(value))).toBe(c.hex);
  });

  it.each(typeCasesFor<{ members: string[] }>('struct/').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const value = load(c.bytes) as RubyStruct;
    expect(value).toBeInstanceOf(RubyStruct);
    expect(value.members.map(([name]) => name.name)).toEqual(c.fields.members);
    expect(hex(dump(value))).toBe(c.hex);
  });

  it.skipIf(!hasRuby)('Ruby loads our Sets and Ranges equal to the ones it builds (skipped without ruby)', () => {
    const sets = fc.sample(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { maxLength: 8 }), 100);
    const ranges = fc.sample(fc.tuple(fc.integer(), fc.integer(), fc.boolean()), 100);
    const lines = [
      ...sets.map((s) => `set ${s.join(',') || '-'} ${hex(dump(rubySet(s)))}`),
      ...ranges.map(([a, b, x]) => `range ${a},${b},${x} ${hex(dump(rubyRange(a, b, x)))}`),
    ];
    const script = `require "set"
STDIN.each_line do |l|
  kind, spec, h = l.split
  v = Marshal.load([h].pack("H*"))
  expected = kind == "set" ? Set.new(spec == "-" ? [] : spec.split(",").map(&:to_i)) : (a, b, x = spec.split(","); Range.new(a.to_i, b.to_i, x == "true"))
  puts(v == expected && v.class == expected.class ? "ok" : "different #{l}")
end`;
    const out = runRuby(script, `${lines.join('\n')}\n`);
    expect(out.trim().split('\n').filter((l) => l !== 'ok')).toEqual([]);
  });
});
