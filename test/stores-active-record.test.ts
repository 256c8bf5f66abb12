import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RubyHash,
  SessionError,
  decode64,
  decodeActiveRecordData,
  decodeRedisSession,
  dump,
  encode64,
  encodeActiveRecordData,
  fromActiveRecordSession,
  load,
  toActiveRecordSession,
  toRedisSession,
} from '../src/index.js';
import { runRuby, hasRuby } from './helpers/ruby.js';
import { hex } from './helpers/seq.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const fixtures = storeFixtures();

describe('toActiveRecordSession on every store fixture', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s: rows equal what the gem writes', (_name, f) => {
    const entry = { key: f.key, value: f.value };
    const marshal = toActiveRecordSession(entry);
    expect(marshal).toEqual({ session_id: f.private_id, data: f.ar_data.marshal });
    for (const [flavor, field] of [['json', 'json'], ['multi_json', 'json_multijson']] as const) {
      const expected = f.ar_data[field];
      if (typeof expected === 'string') {
        expect(toActiveRecordSession(entry, { serializer: 'json', jsonFlavor: flavor }).data).toBe(expected);
      } else {
        // Ruby raises here (a binary String that is not UTF-8): so do we, naming the path.
        expect(() => toActiveRecordSession(entry, { serializer: 'json', jsonFlavor: flavor })).toThrow(/unsupported_value: .*not valid UTF-8.*path/);
      }
    }
  });

  it('writes public ids for gem 1.x when the key has one, and fails clearly when it has only the private id', () => {
    const legacy = fixtures.find((f) => f.store === 'redis-rack-legacy-public')!;
    expect(toActiveRecordSession({ key: legacy.key, value: legacy.value }, { sessionId: 'public' }).session_id).toBe(legacy.public_id);
    const modern = fixtures.find((f) => f.store === 'redis-actionpack')!;
    expect(() => toActiveRecordSession({ key: modern.key, value: modern.value }, { sessionId: 'public' })).toThrow(/public_id_unavailable/);
  });

  it('fails before writing when data exceeds the column limit', () => {
    const large = fixtures.reduce((a, b) => ((a.ar_data.marshal as string).length > (b.ar_data.marshal as string).length ? a : b));
    const size = (large.ar_data.marshal as string).length;
    expect(() => toActiveRecordSession({ key: large.key, value: large.value }, { columnLimit: size - 1 })).toThrow(
      new RegExp(`column_limit_exceeded: data for .* is ${size} bytes, over the column limit of ${size - 1}`),
    );
    expect(toActiveRecordSession({ key: large.key, value: large.value }, { columnLimit: size }).data.length).toBe(size);
  });

  it('names the session in its errors by its key, a public id cut to four characters', () => {
    const legacy = fixtures.find((f) => f.store === 'redis-rack-legacy-public')!;
    const modern = fixtures.find((f) => f.store === 'redis-actionpack')!;
    const message = (key: string, value: Uint8Array, options: Parameters<typeof toActiveRecordSession>[1]) => {
      try {
        toActiveRecordSession({ key, value }, options);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    const publicId = legacy.public_id as string;
    const cut = message(legacy.key, legacy.value, { columnLimit: 1 });
    expect(cut).toContain(`data for "${legacy.key.slice(0, legacy.key.length - publicId.length)}${publicId.slice(0, 4)}…" is`);
    expect(cut).not.toContain(publicId);
    expect(message(modern.key, modern.value, { columnLimit: 1 })).toContain(`data for ${JSON.stringify(modern.key)} is`);
    expect(message(modern.key, modern.value, { sessionId: 'public' })).toContain(`${JSON.stringify(modern.key)} holds only the private id`);
  });

  it('validates options with zod and names the bad one', () => {
    const f = fixtures[0]!;
    expect(() => toActiveRecordSession({ key: f.key, value: f.value }, { serializer: 'yaml' as never })).toThrow(/invalid_options: .*serializer/);
    expect(() => toActiveRecordSession({ key: f.key, value: f.value }, { columnLimit: -1 })).toThrow(/invalid_options: .*columnLimit/);
    expect(() => toActiveRecordSession({ key: f.key, value: f.value }, { colunmLimit: 5 } as never)).toThrow(/invalid_options: .*colunmLimit/);
  });

  it('reads rows back for every serializer, and rolls back to the Redis bytes Ruby wrote', () => {
    for (const f of fixtures.filter((f) => f.store === 'redis-actionpack')) {
      const row = toActiveRecordSession({ key: f.key, value: f.value });
      const back = fromActiveRecordSession(row);
      expect(back).toMatchObject({ sessionId: f.private_id, idKind: 'private' });
      expect(hex(dump(back.session))).toBe(f.session_marshal_hex);
      const redis = toRedisSession(back.session, { id: row.session_id });
      expect(redis.key).toBe(f.key);
      expect(hex(redis.value)).toBe(f.value_hex);
    }
  });

  it('json rows come back with indifferent access, as the gem reads them', () => {
    const f = fixtures.find((f) => typeof f.ar_data.json === 'string')!;
    const session = decodeActiveRecordData(f.ar_data.json as string) as RubyHash;
    expect(session.userClass?.name).toBe('ActiveSupport::HashWithIndifferentAccess');
    expect(decodeActiveRecordData(f.ar_data.json as string, { serializer: 'hybrid' })).toEqual(session);
    expect(decodeActiveRecordData(f.ar_data.marshal as string, { serializer: 'hybrid' })).toEqual(decodeActiveRecordData(f.ar_data.marshal as string, { serializer: 'marshal' }));
  });

  it('one JSON rule: json refuses a bare NaN (JSON.parse rejects it); multi_json writes null as Ruby does, with a warning', () => {
    const session = load(dump(new Map([['score', NaN]])));
    expect(() => encodeActiveRecordData(session, { serializer: 'json' })).toThrow(/unsupported_value: .*unreadable_json.*NaN.*path \[:value\]\["score"\]/);
    const warnings: string[] = [];
    const text = encodeActiveRecordData(session, { serializer: 'json', jsonFlavor: 'multi_json', onWarning: (w) => warnings.push(`${w.code} ${w.path}`) });
    expect(text).toBe('{"value":{"score":null}}');
    expect(warnings).toEqual(['non_finite_as_null [:value]["score"]']);
    expect(encodeActiveRecordData(session, { serializer: 'null' })).toBe('{"score":null}');
  });

  it('fails where Ruby raises or writes a memory address, naming the path and which it is', () => {
    const bad = (bytes: string) => load(Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0)));
    // {"name" => "\xFF".b}: Ruby raises JSON::GeneratorError
    expect(() => encodeActiveRecordData(bad('BAh7BkkiCW5hbWUGOgZFVCIG/w=='), { serializer: 'json' })).toThrow(/generator_error.*path \[:value\]\["name"\]/);
    // {"user" => #<User>}: JSON.dump writes #<User:0x...>
    expect(() => encodeActiveRecordData(bad('BAh7BkkiCXVzZXIGOgZFVG86CVVzZXIGOghAaWRpBg=='), { serializer: 'json' })).toThrow(/unsupported_value.*memory address.*path \[:value\]\["user"\]/);
    // multi_json writes the object's ivars: a warning, not an error.
    const warnings: string[] = [];
    expect(encodeActiveRecordData(bad('BAh7BkkiCXVzZXIGOgZFVG86CVVzZXIGOghAaWRpBg=='), { serializer: 'json', jsonFlavor: 'multi_json', onWarning: (w) => warnings.push(w.code) })).toBe('{"value":{"user":{"id":1}}}');
    expect(warnings).toEqual(['object_as_hash']);
  });

  it('hands a json column the ActiveSupport JSON of the session with the null serializer', () => {
    const f = fixtures.find((f) => typeof f.ar_data.json_multijson === 'string')!;
    const text = encodeActiveRecordData(decodeRedisSession(f.key, f.value).session, { serializer: 'null' });
    // MultiJson.dump(value: h) is {"value":<the same text>}
    expect(`{"value":${text}}`).toBe(f.ar_data.json_multijson);
  });
});

describe('Base64 as Ruby writes and reads it', () => {
  it('encodes in 60-character lines, each ending in a newline, the last one too', () => {
    for (const f of fixtures) expect(encode64(new Uint8Array(Buffer.from(decode64(f.ar_data.marshal as string))))).toBe(f.ar_data.marshal);
    expect(encode64(new Uint8Array(0))).toBe('');
    expect(encode64(new Uint8Array(45).fill(97))).toBe(`${'YWFh'.repeat(15)}\n`);
    expect(encode64(new Uint8Array(46).fill(97))).toBe(`${'YWFh'.repeat(15)}\nYQ==\n`);
  });

  it('decodes what unpack("m") decodes: unwrapped, CRLF, spaces, junk, early padding', () => {
    const cases: Array<[string, string]> = [
      ['QUJD\nRA==', 'ABCD'],
      ['QUJDRA', 'ABCD'],
      ['QUJDR', 'ABC'],
      ['QU=JD', 'A'],
      ['QUJD RA==\r\n', 'ABCD'],
      ['Q', ''],
      ['QUJDRA==QUJD', 'ABCD'],
      ['=QUJD', 'ABC'],
    ];
    for (const [text, bytes] of cases) expect(Buffer.from(decode64(text)).toString('latin1'), text).toBe(bytes);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hex(decode64(encode64(bytes)))).toBe(hex(bytes));
      }),
    );
  });

  it.skipIf(!hasRuby)('agrees with Ruby on random bytes, both ways (skipped when ruby is not on PATH)', () => {
    const samples = fc.sample(fc.uint8Array({ maxLength: 200 }), 200);
    const input = samples.map((b) => hex(b)).join('\n');
    const ruby = runRuby('require "base64"; STDIN.each_line { |l| puts Base64.encode64([l.chomp].pack("H*")).unpack1("H*") }', `${input}\n`);
    const lines = ruby.split('\n').slice(0, -1);
    samples.forEach((bytes, i) => expect(Buffer.from(encode64(bytes)).toString('hex')).toBe(lines[i] ?? ''));
  });
});

describe('errors name what and where, never the session', () => {
  it('invalid data text', () => {
    expect(() => decodeActiveRecordData('BAhbBmkG', { serializer: 'marshal' })).not.toThrow();
    expect(() => decodeActiveRecordData('BAh7BkkiCHNlY3JldA==', { serializer: 'marshal' })).toThrow(SessionError);
    expect(() => decodeActiveRecordData('{"value": {"password": "hunter2"', { serializer: 'json' })).toThrow(/invalid_json: .*at character/);
    try {
      decodeActiveRecordData('{"value": {"password": "hunter2"', { serializer: 'json' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
