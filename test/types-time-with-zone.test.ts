import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RubyString, RubyUserMarshal, dump, load, type RubyValue } from '../src/marshal/index.js';
import { RubyTime, rubyTimeFromEpoch } from '../src/marshal/classes/time.js';
import { RubyTimeWithZone, rubyTimeWithZone, rubyTimeWithZoneToS } from '../src/marshal/classes/time-with-zone.js';
import { hasRuby, runRuby } from './helpers/ruby.js';
import { hex } from './helpers/seq.js';
import { typeCasesFor, type TimeWithZoneFields } from './helpers/type-fixtures.js';

const cases = typeCasesFor<TimeWithZoneFields | { elements: TimeWithZoneFields[] }>('twz/');

function expectFields(twz: RubyTimeWithZone, f: TimeWithZoneFields, label: string): void {
  expect(twz, label).toBeInstanceOf(RubyTimeWithZone);
  expect(twz.utc.toISOString(), label).toBe(f.utc_iso);
  expect(twz.timeZoneName, label).toBe(f.zone_name);
  expect(twz.toISOString(), label).toBe(f.local_iso);
  expect(twz.utcOffset, label).toBe(offsetOf(f.local_iso));
  expect(twz.toDate().getTime(), label).toBe(Date.parse(f.utc_iso));
}

/** The offset at the end of an iso8601 text, in seconds (`Z` is 0). */
function offsetOf(iso: string): number {
  const match = /([+-])(\d\d):(\d\d)$/.exec(iso);
  if (match === null) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

/** What the factory takes, from Ruby's facts: the instant, the zone's name and its offset. */
function buildFromFields(f: TimeWithZoneFields, loaded: RubyTimeWithZone): RubyTimeWithZone {
  const utc = rubyTimeFromEpoch(loaded.utc.epochSeconds, loaded.utc.nanoseconds);
  expect(utc.toISOString()).toBe(f.utc_iso);
  return rubyTimeWithZone(utc, f.zone_name, offsetOf(f.local_iso));
}

describe('TimeWithZone fixtures (fixtures/types/cases.json)', () => {
  it('has the TimeWithZone cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: typed, every field as Ruby computed it, dumps back byte for byte', (_name, c) => {
    const value = load(c.bytes);
    const elements = 'elements' in c.fields ? c.fields.elements : [c.fields];
    const values: RubyValue[] = Array.isArray(value) ? value : [value];
    elements.forEach((f, i) => expectFields(values[i] as RubyTimeWithZone, f, `${c.name}[${i}]`));
    expect(hex(dump(value))).toBe(c.hex);
    expect(hex(dump(load(c.freshBytes)))).toBe(c.fresh_process_hex);
  });

  const single = cases.filter((c) => !('elements' in c.fields));
  it.each(single.map((c) => [c.name, c] as const))('%s: of() built from the fields writes fresh_process_hex', (_name, c) => {
    const f = c.fields as TimeWithZoneFields;
    const built = buildFromFields(f, load(c.bytes) as RubyTimeWithZone);
    expect(hex(dump(built))).toBe(c.fresh_process_hex);
    expectFields(load(dump(built)) as RubyTimeWithZone, f, c.name);
  });

  it('array-two-zones: two TimeWithZones of one TimeZone share its name String, as Ruby links it', () => {
    const c = typeCasesFor<{ elements: TimeWithZoneFields[] }>('twz/array-two-zones')[0]!;
    const loaded = load(c.bytes) as RubyTimeWithZone[];
    const [first, second] = loaded.map((twz, i) => buildFromFields(c.fields.elements[i]!, twz));
    // of() makes a new name String each time; Ruby's TimeZone object holds one, so share it by hand.
    (second!.data as RubyValue[])[1] = (first!.data as RubyValue[])[1]!;
    expect(hex(dump([first, second]))).toBe(c.fresh_process_hex);
  });
});

describe('RubyTimeWithZone', () => {
  const eastern = () => rubyTimeWithZone(rubyTimeFromEpoch(1704164645), 'Eastern Time (US & Canada)', -18000);

  it('prints as ActiveSupport does: Z / UTC only for UTC zones', () => {
    expect(rubyTimeWithZoneToS(eastern())).toBe('2024-01-01 22:04:05 -0500');
    expect(eastern().toISOString(3)).toBe('2024-01-01T22:04:05.000-05:00');
    expect(eastern().toISOString(0)).toBe('2024-01-01T22:04:05-05:00');
    const utc = rubyTimeWithZone(rubyTimeFromEpoch(1704164645), 'UTC', 0);
    expect([utc.isUtc, rubyTimeWithZoneToS(utc), utc.toISOString()]).toEqual([true, '2024-01-02 03:04:05 UTC', '2024-01-02T03:04:05.000000000Z']);
    const london = rubyTimeWithZone(rubyTimeFromEpoch(1704164645), 'London', 0);
    expect([london.isUtc, rubyTimeWithZoneToS(london), london.toISOString(0)]).toEqual([false, '2024-01-02 03:04:05 +0000', '2024-01-02T03:04:05+00:00']);
  });

  it('rubyTimeWithZone takes a non-UTC Time as its instant (ActiveSupport stores utc.getutc)', () => {
    const local = rubyTimeFromEpoch(1704164645, 5, { utcOffset: 3600 });
    const twz = rubyTimeWithZone(local, 'Tokyo', 32400);
    expect(twz.utc.isUtc).toBe(true);
    expect(twz.toISOString()).toBe('2024-01-02T12:04:05.000000005+09:00');
  });

  it('the wall-clock Time links to the instant\'s zone String', () => {
    const twz = eastern();
    const zone = (t: RubyTime) => t.ivars!.find(([name]) => name.name === 'zone')![1];
    expect(zone(twz.time)).toBe(zone(twz.utc));
  });

  it('data that is not [Time, String, Time] stays a plain record', () => {
    const bytes = dump(new RubyUserMarshal(eastern().className, [rubyTimeFromEpoch(0), new RubyString('UTC')]));
    const value = load(bytes);
    expect(value).toBeInstanceOf(RubyUserMarshal);
    expect(value).not.toBeInstanceOf(RubyTimeWithZone);
    expect(hex(dump(value))).toBe(hex(bytes));
  });

  it('rejects an offset of a day or more', () => {
    expect(() => rubyTimeWithZone(rubyTimeFromEpoch(0), 'UTC', 86400)).toThrow(RangeError);
  });
});

/** Zones whose offset has not changed since 1990, so that the offset can be given without a tz database. */
const FIXED_ZONES: ReadonlyArray<[name: string, offset: number]> = [
  ['UTC', 0],
  ['Etc/UTC', 0],
  ['Etc/GMT', 0],
  ['Tokyo', 32400],
  ['Kolkata', 19800],
  ['Kathmandu', 20700],
  ['Etc/GMT+5', -18000],
  ['Etc/GMT-14', 50400],
];

const twzInput = fc.record({
  seconds: fc.integer({ min: 631152000, max: 4102444800 }),
  nanoseconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 }).map((us) => us * 1000), fc.integer({ min: 0, max: 999_999_999 })),
  zone: fc.constantFrom(...FIXED_ZONES),
});

describe('RubyTimeWithZone properties', () => {
  it('rubyTimeWithZone -> dump -> load gives the same fields', () => {
    fc.assert(
      fc.property(twzInput, ({ seconds, nanoseconds, zone: [name, offset] }) => {
        const built = rubyTimeWithZone(rubyTimeFromEpoch(seconds, nanoseconds), name, offset);
        const back = load(dump(built)) as RubyTimeWithZone;
        expect(back).toBeInstanceOf(RubyTimeWithZone);
        expect([back.utc.epochSeconds, back.utc.nanoseconds, back.timeZoneName, back.utcOffset]).toEqual([seconds, nanoseconds, name, offset]);
        expect(back.toISOString()).toBe(built.toISOString());
        expect(hex(dump(back))).toBe(hex(dump(built)));
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(!hasRuby)(hasRuby ? 'live Ruby: TimeWithZones we build' : 'live Ruby: TimeWithZones we build (skipped: no `ruby` on PATH)', () => {
  it('one Ruby process loads 300 of ours with the same iso8601(9), to_s and offset, and writes the same bytes for the same values', () => {
    const inputs = fc.sample(twzInput, { numRuns: 300, seed: 20240103 });
    const built = inputs.map(({ seconds, nanoseconds, zone: [name, offset] }) => rubyTimeWithZone(rubyTimeFromEpoch(seconds, nanoseconds), name, offset));
    const lines = inputs.map(({ seconds, nanoseconds, zone: [name] }, i) => [seconds, nanoseconds, name, hex(dump(built[i]))].join('\t'));
    // A first dump of a Time with every dump ivar fixes their order to a fresh process's (Ruby 3.1 orders them
    // by the first Time the process handled, loads included).
    const script = `
      require "active_support/all"
      Marshal.dump(Time.at(0, 123456789, :nsec, in: 3600))
      STDIN.each_line do |line|
        s, ns, zone, ours = line.chomp.split("\\t")
        mine = Time.at(s.to_i, ns.to_i, :nsec).utc.in_time_zone(zone)
        loaded = Marshal.load([ours].pack("H*"))
        puts [Marshal.dump(mine).unpack1("H*"), loaded.iso8601(9), loaded.to_s, loaded.utc_offset, loaded == mine].join("\\t")
      end`;
    const answers = runRuby(script, `${lines.join('\n')}\n`).trimEnd().split('\n');
    expect(answers).toHaveLength(inputs.length);
    answers.forEach((answer, i) => {
      const [rubyHex, iso, text, offset, same] = answer.split('\t');
      const label = lines[i];
      expect(hex(dump(built[i])), label).toBe(rubyHex);
      expect(built[i]!.toISOString(), label).toBe(iso);
      expect(rubyTimeWithZoneToS(built[i]!), label).toBe(text);
      expect(String(built[i]!.utcOffset), label).toBe(offset);
      expect(same, label).toBe('true');
    });
  });
});
