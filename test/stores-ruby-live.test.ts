import { describe, expect, it } from 'vitest';
import { decodeActiveRecordData, decodeRedisSession, dump, toActiveRecordSession, toRedisSession, type RedisSessionFormat } from '../src/index.js';
import { hasRuby, runRuby } from './helpers/ruby.js';
import { hex } from './helpers/seq.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const fixtures = storeFixtures();

// What activerecord-session_store's serializers do on load (lib/active_record/session_store.rb), with Rails loaded.
const GEM_READER = `
require "active_support/all"
require "base64"
require "json"
STDIN.each_line do |line|
  request = JSON.parse(line)
  original = Marshal.load([request["session_hex"]].pack("H*"))
  loaded =
    case request["serializer"]
    when "marshal" then Marshal.load(Base64.decode64(request["data"]))
    when "json"
      hash = JSON.parse(request["data"])
      hash.is_a?(Hash) ? hash.with_indifferent_access[:value] : hash
    end
  expected = request["serializer"] == "json" ? JSON.parse(JSON.dump(original)).with_indifferent_access : original
  puts(loaded == expected ? "ok" : "different")
end
`;

// What the stores do when they read a key back: redis-store's Marshal.load; the cache's Entry#value (6.1 format).
const STORE_READER = `
require "active_support/all"
require "json"
STDIN.each_line do |line|
  request = JSON.parse(line)
  original = Marshal.load([request["session_hex"]].pack("H*"))
  raw = [request["value_hex"]].pack("H*")
  loaded =
    case request["format"]
    when "marshal" then Marshal.load(raw)
    when "cache-6.1" then Marshal.load(raw).value
    when "json" then JSON.parse(raw)
    end
  expected = request["format"] == "json" ? JSON.parse(JSON.dump(original)) : original
  puts(loaded == expected ? "ok" : "different")
end
`;

describe.skipIf(!hasRuby)('Ruby reads what we write (skipped when ruby is not on PATH)', () => {
  it('loads every row we convert the way activerecord-session_store does, equal to the session', () => {
    const requests: string[] = [];
    for (const f of fixtures) {
      requests.push(JSON.stringify({ serializer: 'marshal', data: toActiveRecordSession({ key: f.key, value: f.value }).data, session_hex: f.session_marshal_hex }));
      if (typeof f.ar_data.json === 'string') {
        const data = toActiveRecordSession({ key: f.key, value: f.value }, { serializer: 'json' }).data;
        requests.push(JSON.stringify({ serializer: 'json', data, session_hex: f.session_marshal_hex }));
      }
    }
    const answers = runRuby(GEM_READER, `${requests.join('\n')}\n`).trim().split('\n');
    expect(answers.length).toBe(requests.length);
    expect(answers.filter((a) => a !== 'ok')).toEqual([]);
  });

  it('reads back, through what the stores call, the Redis values we write for every session', () => {
    const formats: RedisSessionFormat[] = ['marshal', 'cache-6.1', 'json'];
    const requests: string[] = [];
    for (const f of fixtures) {
      const session = decodeRedisSession(f.key, f.value).session;
      for (const format of formats) {
        if (format === 'json' && typeof f.ar_data.json !== 'string') continue;
        const { value } = toRedisSession(session, { id: f.private_id, format, compressThreshold: 512 });
        requests.push(JSON.stringify({ format, value_hex: hex(value), session_hex: f.session_marshal_hex }));
      }
    }
    const answers = runRuby(STORE_READER, `${requests.join('\n')}\n`).trim().split('\n');
    expect(answers.length).toBe(requests.length);
    expect(answers.filter((a) => a !== 'ok')).toEqual([]);
  });

  it('reads json rows as the gem does, byte for byte: JSON.parse(data).with_indifferent_access[:value]', () => {
    const rows = fixtures.map((f) => f.ar_data.json).filter((data): data is string => typeof data === 'string');
    const script = 'require "active_support/all"; require "json"; STDIN.each_line { |l| h = JSON.parse(JSON.parse(l)); v = h.is_a?(Hash) ? h.with_indifferent_access[:value] : h; puts Marshal.dump(v).unpack1("H*") }';
    const ruby = runRuby(script, `${rows.map((data) => JSON.stringify(data)).join('\n')}\n`).split('\n');
    rows.forEach((data, i) => expect(hex(dump(decodeActiveRecordData(data)))).toBe(ruby[i]));
  });
});
