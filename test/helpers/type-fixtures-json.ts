import { readFileSync } from 'node:fs';
import { fromHex } from './seq.js';

export interface TypeFixture {
  name: string;
  ruby: string;
  hex: string;
  fresh_process_hex: string;
  inspect: string;
  json_stdlib: string | { error: string };
  json_multijson: string | { error: string };
  fields: Record<string, unknown>;
  tags: string[];
  bytes: Uint8Array;
}

/** fixtures/types/cases.json: Ruby's Marshal bytes, inspect and both JSON texts for the classes sessions hold. */
export function typeFixtures(): TypeFixture[] {
  const file = new URL('../../fixtures/types/cases.json', import.meta.url);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { cases: Array<Omit<TypeFixture, 'bytes'>> };
  return json.cases.map((c) => ({ ...c, bytes: fromHex(c.hex) }));
}
