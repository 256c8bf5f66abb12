/**
 * Writes fixtures/demo/sessions.jsonl, the dump `npm run demo` converts: each session of
 * fixtures/stores/sessions.json (written by the real Ruby stores into a real redis-server) as the line `export` would
 * write for it, `{"key": "...", "value": "<base64>"}`. Run once, then commit the output:
 *
 *     node --import tsx scripts/make-demo-dump.ts
 *
 * The sessions are fixtures with made-up ids, not anyone's credentials.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const source = new URL('../fixtures/stores/sessions.json', import.meta.url);
const target = new URL('../fixtures/demo/sessions.jsonl', import.meta.url);

const { sessions } = JSON.parse(readFileSync(source, 'utf8')) as { sessions: Array<{ key: string; value_hex: string }> };
const lines = sessions.map((s) => JSON.stringify({ key: s.key, value: Buffer.from(s.value_hex, 'hex').toString('base64') }));
writeFileSync(target, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} lines to fixtures/demo/sessions.jsonl`);
