import { readFileSync } from 'node:fs';
import { decodeRedisSession } from './src/stores/redis-session.ts';
import { encodeActiveRecordData } from './src/stores/active-record-data.ts';
const j = JSON.parse(readFileSync('fixtures/stores/sessions.json', 'utf8'));
const counts: Record<string, number> = {};
for (const s of j.sessions) {
  const d = decodeRedisSession(s.key, Buffer.from(s.value_hex, 'hex'));
  for (const [ser, flavor, field] of [['marshal', 'json', 'marshal'], ['json', 'json', 'json'], ['json', 'multi_json', 'json_multijson']] as const) {
    const expected = s.ar_data[field];
    let got: string;
    try { got = encodeActiveRecordData(d.session, { serializer: ser, jsonFlavor: flavor }); } catch (e) { got = 'ERR ' + (e as Error).message; }
    const exp = typeof expected === 'string' ? expected : 'ERR ' + JSON.stringify(expected);
    if (got === exp) counts[field] = (counts[field] ?? 0) + 1; else console.log(s.name, field, '\n  ours:', got.slice(0, 200), '\n  ruby:', exp.slice(0, 200));
  }
}
console.log(counts, j.sessions.length);
