import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RubyHash, RubyString, RubySymbol, RubyUserDefined, dump, load, type RubyValue } from '../src/marshal/index.js';
import { RubyTime, rubyTimeFromExact, rubyTimeFromDate, rubyTimeFromEpoch, rubyTimeToS } from '../src/marshal/classes/time.js';
import { civilFromDays, daysFromCivil } from '../src/marshal/classes/calendar.js';
import { hasRuby, runRuby } from './helpers/ruby.js';
import { fromHex, hex } from './helpers/seq.js';
import { typeCasesFor, type TimeFields, type TypeFixture } from './helpers/type-fixtures.js';

const cases = typeCasesFor<TimeFields | { elements: TimeFields[] }>('time/');

/** Ruby's `subsec.to_s`: `0` for whole seconds, else `n/d`. */
function subsecText(t: RubyTime): string {
  const { numerator, denominator } = t.subsecond;
  return numerator === 0n ? '0' : `${numerator}/${denominator}`;
}

function expectFields(t: RubyTime, f: TimeFields, label: string): void {
  expect(t, label).toBeInstanceOf(RubyTime);
  expect(String(t.epochSeconds), label).toBe(f.sec);
  expect(t.nanoseconds, label).toBe(f.nsec);
  expect(subsecText(t), label).toBe(f.subsec);
  expect(t.utcOffset, label).toBe(f.utc_offset);
  expect(t.isUtc, label).toBe(f.utc);
  expect(t.zone, label).toBe(f.zone);
  expect(t.toISOString(), label).toBe(f.iso);
  expect(t.year, label).toBe(f.year);
  // The wall-clock getters agree with Ruby's iso8601 text.
  const [, month, day, hour, minute, second] = /^-?\d+-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(f.iso)!.map(Number);
  expect([t.month, t.day, t.hour, t.minute, t.second], label).toEqual([month, day, hour, minute, second]);
  expect(t.toDate().getTime(), label).toBe(Number(f.sec) * 1000 + Math.floor(f.nsec / 1e6));
}

/** The Times of a case: the value itself, or the elements of an Array. */
function timesOf(value: RubyValue): RubyValue[] {
  return Array.isArray(value) ? value : [value];
}

/** A Time the factories can build again from its fields: UTC mode, or a fixed offset without a zone name. */
function buildFromFields(f: TimeFields, loaded: RubyTime): RubyTime | undefined {
  if (!f.utc && f.zone !== null) return undefined;
  if (loaded.ivars?.some(([name]) => name.name.startsWith('@'))) return undefined;
  const options = f.utc ? undefined : { utcOffset: f.utc_offset };
  const exact = loaded.subsecond;
  if ((exact.numerator * 1_000_000_000n) % exact.denominator !== 0n) return rubyTimeFromExact(BigInt(f.sec), exact, options);
  return rubyTimeFromEpoch(BigInt(f.sec), f.nsec, options);
}

describe('Time fixtures (fixtures/types/cases.json)', () => {
  it('has the Time cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: typed, every field as Ruby computed it, dumps back byte for byte', (_name, c: TypeFixture<TimeFields | { elements: TimeFields[] }>) => {
    const value = load(c.bytes);
    const fields = 'elements' in c.fields ? c.fields.elements : 'sec' in c.fields ? [c.fields] : [];
    const times = timesOf(value);
    fields.forEach((f, i) => expectFields(times[i] as RubyTime, f, `${c.name}[${i}]`));
    // Ruby's inspect is to_s for whole seconds, except that it prints offsets with seconds as +005328.
    if (fields.length === 1 && (c.fields as TimeFields).subsec === '0' && (c.fields as TimeFields).utc_offset % 60 === 0) {
      expect(rubyTimeToS((value as RubyTime))).toBe(c.inspect);
    }
    expect(hex(dump(value))).toBe(c.hex);
    expect(hex(dump(load(c.freshBytes)))).toBe(c.fresh_process_hex);
  });

  it('in-session-hash: the Times inside a session Hash are typed', () => {
    const session = load(typeCasesFor('time/in-session-hash')[0]!.bytes) as RubyHash;
    expect((session.get('last_seen_at') as RubyTime).toISOString()).toBe('2023-11-14T22:13:20.000005000Z');
    expect(rubyTimeToS((session.get('signed_in_at') as RubyTime))).toBe('2023-11-14 00:00:00 UTC');
  });

  const buildable = cases.filter((c) => 'sec' in c.fields && buildFromFields(c.fields as TimeFields, load(c.bytes) as RubyTime) !== undefined);

  it('the factories can express most of the single-Time cases', () => {
    expect(buildable.length).toBeGreaterThanOrEqual(20);
  });

  it.each(buildable.map((c) => [c.name, c] as const))('%s: the factory built from the fields writes fresh_process_hex', (_name, c) => {
    const built = buildFromFields(c.fields as TimeFields, load(c.bytes) as RubyTime)!;
    expect(hex(dump(built))).toBe(c.fresh_process_hex);
    expectFields(load(dump(built)) as RubyTime, c.fields as TimeFields, c.name);
  });

  it('array-shared-zone-utc: two built UTC Times share one zone String, linked as Ruby links it', () => {
    const c = typeCasesFor<{ elements: TimeFields[] }>('time/array-shared-zone-utc')[0]!;
    const built = c.fields.elements.map((f) => rubyTimeFromEpoch(Number(f.sec)));
    expect(hex(dump(built))).toBe(c.fresh_process_hex);
  });

  it('same-object-twice: one built Time twice is one object and a link', () => {
    const c = typeCasesFor<{ elements: TimeFields[] }>('time/same-object-twice')[0]!;
    const t = rubyTimeFromEpoch(Number(c.fields.elements[0]!.sec));
    expect(hex(dump([t, t]))).toBe(c.fresh_process_hex);
  });

  it('user-ivar: the user ivar stays first, as written, and the Time still reads', () => {
    const c = typeCasesFor<TimeFields>('time/user-ivar')[0]!;
    const t = load(c.bytes) as RubyTime;
    expect(t.ivars!.map(([name]) => name.name)).toEqual(['zone', '@note']);
    expect((load(c.freshBytes) as RubyTime).ivars!.map(([name]) => name.name)).toEqual(['@note', 'zone']);
  });
});

// Bytes written by Ruby 3.1 (TZ=UTC) for values the generator does not cover; the facts beside them are Ruby's.
describe('Times from hand-checked Ruby output', () => {
  it('a Rational offset (Time.at(Rational(3, 4), in: Rational(3601, 2)))', () => {
    const t = load(fromHex('040849753a0954696d650d20801180b0710b00073a0b6f6666736574553a0d526174696f6e616c5b076902110e69073a097a6f6e6530')) as RubyTime;
    expect(t).toBeInstanceOf(RubyTime);
    expect([t.epochSeconds, t.nanoseconds, t.utcOffset, t.isUtc, t.zone]).toEqual([0, 750000000, 1800.5, false, null]);
    expect(t.toISOString()).toBe('1970-01-01T00:30:01.750000000+00:30');
    expect(rubyTimeToS(t)).toBe('1970-01-01 00:30:01 +0030');
  });

  it('a negative Rational offset', () => {
    const t = load(fromHex('040849753a0954696d650d2080118090d00300073a0b6f6666736574553a0d526174696f6e616c5b0769feeff169073a097a6f6e6530')) as RubyTime;
    expect(t.toISOString()).toBe('1969-12-31T23:29:59.250000000-00:30');
    expect(rubyTimeToS(t)).toBe('1969-12-31 23:29:59 -0030');
  });

  it('the pre-1.9 format (bit 31 clear: seconds and microseconds), read as local time in a UTC process', () => {
    const t = load(fromHex('0408753a0954696d650d00f1536540e20100')) as RubyTime;
    expect(t).toBeInstanceOf(RubyTime);
    expect([t.epochSeconds, t.nanoseconds, t.utcOffset, t.isUtc]).toEqual([1700000000, 123456000, 0, false]);
    expect(t.toISOString()).toBe('2023-11-14T22:13:20.123456000+00:00');
    // Microseconds past a second carry into the seconds, as Ruby adds them.
    const carried = load(fromHex('0408753a0954696d650d00f15365a0252600')) as RubyTime;
    expect(carried.toISOString()).toBe('2023-11-14T22:13:22.500000000+00:00');
  });

  it('year -1 and year 123456789 (year extension of two and three bytes)', () => {
    const early = rubyTimeFromEpoch(-62193380033);
    expect(hex(dump(early))).toBe('040849753a0954696d6510850800c000007018076d07063a097a6f6e65492208555443063a064546');
    expect(early.toISOString()).toBe('-0001-03-04T05:06:07.000000000Z');
    expect(rubyTimeToS(early)).toBe('-0001-03-04 05:06:07 UTC');
    const late = rubyTimeFromEpoch(3895857802742400);
    expect(hex(dump(late))).toBe('040849753a0954696d651280c8ffff0000000009aac55a07063a097a6f6e65492208555443063a064546');
    expect(late.toISOString()).toBe('123456789-03-04T00:00:00.000000000Z');
  });

  it('a Time whose bytes Time._load rejects stays a plain record and dumps back unchanged', () => {
    // Month field 13 (bits 10..13 = 12).
    const bytes = fromHex('040849753a0954696d650d43301fc000005010063a097a6f6e65492208555443063a064546');
    const value = load(bytes);
    expect(value).toBeInstanceOf(RubyUserDefined);
    expect(value).not.toBeInstanceOf(RubyTime);
    expect(hex(dump(value))).toBe(hex(bytes));
    // Too short, and nano_num without nano_den.
    expect(new RubyTime(new RubySymbol('Time'), new Uint8Array(7)).isWellFormed()).toBe(false);
    const t = rubyTimeFromEpoch(0, 1);
    t.ivars = t.ivars!.filter(([name]) => name.name !== 'nano_den');
    expect(t.isWellFormed()).toBe(false);
    expect(() => t.epochSeconds).toThrow(RangeError);
  });

  it('submicro alone (Ruby 1.9.1 wrote no nano_num) gives the nanoseconds; a non-BCD digit is ignored as Ruby ignores it', () => {
    const t = rubyTimeFromEpoch(1700000000, 123456789);
    t.ivars = t.ivars!.filter(([name]) => !name.name.startsWith('nano_'));
    expect(t.nanoseconds).toBe(123456789);
    t.ivars = t.ivars.map(([name, value]) => [name, name.name === 'submicro' ? new RubyString(Uint8Array.of(0x7a, 0x90)) : value]);
    expect(t.nanoseconds).toBe(123456000);
  });
});

describe('RubyTime factories', () => {
  it('rubyTimeFromEpoch: UTC mode with the shared "UTC" zone; a utcOffset gives a fixed offset with zone nil', () => {
    const utc = rubyTimeFromEpoch(0);
    expect([utc.isUtc, utc.zone, utc.utcOffset]).toEqual([true, 'UTC', 0]);
    const tokyo = rubyTimeFromEpoch(0, 0, { utcOffset: 32400 });
    expect([tokyo.isUtc, tokyo.zone, tokyo.utcOffset, tokyo.hour]).toEqual([false, null, 32400, 9]);
    expect(rubyTimeFromEpoch(0, 0, { utcOffset: 0 }).toISOString()).toBe('1970-01-01T00:00:00.000000000+00:00');
  });

  it('rubyTimeFromEpoch normalises nanoseconds past a second and accepts bigints', () => {
    expect(rubyTimeFromEpoch(10n, 1_500_000_000).toISOString()).toBe('1970-01-01T00:00:11.500000000Z');
    expect(rubyTimeFromEpoch(0, -1).toISOString()).toBe('1969-12-31T23:59:59.999999999Z');
  });

  it('rubyTimeFromDate keeps the milliseconds', () => {
    const t = rubyTimeFromDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
    expect(t.toISOString()).toBe('2024-01-02T03:04:05.678000000Z');
    expect(t.toDate().toISOString()).toBe('2024-01-02T03:04:05.678Z');
    expect(rubyTimeFromDate(new Date(-1)).toISOString()).toBe('1969-12-31T23:59:59.999000000Z');
  });

  it('getutc (rubyTimeFromExact of the instant, without an offset) keeps the instant and drops the offset', () => {
    const local = rubyTimeFromExact(5, { numerator: 1n, denominator: 3n }, { utcOffset: -12600 });
    const utc = rubyTimeFromExact(local.epochSeconds, local.subsecond);
    expect([local.isUtc, utc.isUtc, utc.epochSeconds, utc.subsecond]).toEqual([false, true, 5, { numerator: 1n, denominator: 3n }]);
  });

  it('rejects what Ruby rejects', () => {
    expect(() => rubyTimeFromEpoch(0, 0, { utcOffset: 86400 })).toThrow(RangeError);
    expect(() => rubyTimeFromEpoch(0.5)).toThrow(RangeError);
    expect(() => rubyTimeFromDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => rubyTimeFromExact(0, { numerator: 1n, denominator: 1n })).toThrow(RangeError);
  });
});

/** Instants from year -30000 to 40000, weighted toward today, with nanoseconds and offsets of every shape. */
const timeInput = fc.record({
  seconds: fc.oneof(fc.integer({ min: -1_000_000_000, max: 4_000_000_000 }), fc.integer({ min: -1_000_000_000_000, max: 1_200_000_000_000 })),
  nanoseconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 }).map((us) => us * 1000), fc.integer({ min: 0, max: 999_999_999 })),
  utcOffset: fc.option(fc.oneof(fc.integer({ min: -86399, max: 86399 }), fc.integer({ min: -48, max: 56 }).map((q) => q * 900)), { nil: undefined }),
});

describe('RubyTime properties', () => {
  it('rubyTimeFromEpoch -> dump -> load gives the same fields', () => {
    fc.assert(
      fc.property(timeInput, ({ seconds, nanoseconds, utcOffset }) => {
        const built = rubyTimeFromEpoch(seconds, nanoseconds, utcOffset === undefined ? undefined : { utcOffset });
        const back = load(dump(built)) as RubyTime;
        expect(back).toBeInstanceOf(RubyTime);
        expect([back.epochSeconds, back.nanoseconds, back.utcOffset, back.isUtc, back.zone]).toEqual([seconds, nanoseconds, utcOffset ?? 0, utcOffset === undefined, utcOffset === undefined ? 'UTC' : null]);
        expect(back.toISOString()).toBe(built.toISOString());
        expect(hex(dump(back))).toBe(hex(dump(built)));
      }),
      { numRuns: 500 },
    );
  });

  it('the wall clock matches JS Date arithmetic where JS Dates reach', () => {
    fc.assert(
      fc.property(timeInput, ({ seconds, nanoseconds, utcOffset }) => {
        const t = rubyTimeFromEpoch(seconds, nanoseconds, utcOffset === undefined ? undefined : { utcOffset });
        const wall = new Date((seconds + (utcOffset ?? 0)) * 1000);
        expect([t.year, t.month, t.day, t.hour, t.minute, t.second]).toEqual([
          wall.getUTCFullYear(),
          wall.getUTCMonth() + 1,
          wall.getUTCDate(),
          wall.getUTCHours(),
          wall.getUTCMinutes(),
          wall.getUTCSeconds(),
        ]);
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!hasRuby)(hasRuby ? 'live Ruby: Times we build' : 'live Ruby: Times we build (skipped: no `ruby` on PATH)', () => {
  it('one Ruby process loads 400 of our Times with the same iso8601(9) and to_s, and writes the same bytes for the same values', () => {
    const inputs = fc.sample(timeInput, { numRuns: 400, seed: 20240102 });
    const built = inputs.map(({ seconds, nanoseconds, utcOffset }) => rubyTimeFromEpoch(seconds, nanoseconds, utcOffset === undefined ? undefined : { utcOffset }));
    const lines = inputs.map(({ seconds, nanoseconds, utcOffset }, i) => `${seconds} ${nanoseconds} ${utcOffset ?? '-'} ${hex(dump(built[i]))}`);
    // Ruby 3.1 orders Time's dump ivars by the first Time this process dumped: dumping one with all five first
    // gives the order of a fresh process to every later dump (and must come before any load).
    const script = `
      require "time"
      Marshal.dump(Time.at(0, 123456789, :nsec, in: 3600))
      STDIN.each_line do |line|
        s, ns, off, ours = line.split
        mine = off == "-" ? Time.at(s.to_i, ns.to_i, :nsec).utc : Time.at(s.to_i, ns.to_i, :nsec, in: off.to_i)
        loaded = Marshal.load([ours].pack("H*"))
        puts [Marshal.dump(mine).unpack1("H*"), loaded.iso8601(9), loaded.to_s, loaded == mine].join("\\t")
      end`;
    const answers = runRuby(script, `${lines.join('\n')}\n`).trimEnd().split('\n');
    expect(answers).toHaveLength(inputs.length);
    answers.forEach((answer, i) => {
      const [rubyHex, iso, text, same] = answer.split('\t');
      const label = lines[i];
      expect(hex(dump(built[i])), label).toBe(rubyHex);
      expect(built[i]!.toISOString(), label).toBe(iso);
      expect(rubyTimeToS(built[i]!), label).toBe(text);
      expect(same, label).toBe('true');
    });
  });
});

describe("Time's calendar (date_core.c's arithmetic with no reform day, shared with Date)", () => {
  const DAY_MS = 86_400_000;
  const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  /** The day after a date, counted by hand. */
  const next = ({ year, month, day }: { year: number; month: number; day: number }) => {
    const inMonth = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
    if (day < inMonth) return { year, month, day: day + 1 };
    return month === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: month + 1, day: 1 };
  };

  it('gives the proleptic Gregorian date of every day JS Date holds (±100,000,000 days), and back', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), (days) => {
        const date = new Date(days * DAY_MS);
        const civil = civilFromDays(days);
        expect(civil).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days);
      }),
      { numRuns: 20_000 },
    );
  });

  it('counts day after day and round-trips out to the ±2^52 seconds a Time holds, where JS Date stops', () => {
    const limit = Math.floor(2 ** 52 / 86400);
    fc.assert(
      fc.property(fc.integer({ min: -limit, max: limit - 1 }), (days) => {
        const civil = civilFromDays(days);
        expect(civilFromDays(days + 1)).toEqual(next(civil));
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days);
      }),
      { numRuns: 20_000 },
    );
  });

  it('lets the day run past the month, as timegm does (February 31 is March 2 or 3)', () => {
    expect(daysFromCivil(2023, 2, 31)).toBe(daysFromCivil(2023, 3, 3));
    expect(daysFromCivil(2024, 2, 31)).toBe(daysFromCivil(2024, 3, 2));
    expect(daysFromCivil(-5000, 1, 0)).toBe(daysFromCivil(-5001, 12, 31));
  });
});
