import { readFileSync } from 'node:fs';
import { fromHex } from './seq.js';

export interface MarshalFixture {
  name: string;
  ruby: string;
  hex: string;
  inspect: string;
  tags: string[];
  ruby_redump_identical: boolean;
  bytes: Uint8Array;
}

/** fixtures/marshal/cases.json: Ruby 3.1's Marshal.dump bytes for each case, written by fixtures/marshal/generate.rb. */
export function marshalFixtures(): MarshalFixture[] {
  const file = new URL('../../fixtures/marshal/cases.json', import.meta.url);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { cases: Array<Omit<MarshalFixture, 'bytes'>> };
  return json.cases.map((c) => ({ ...c, bytes: fromHex(c.hex) }));
}

export function fixture(name: string): MarshalFixture {
  const found = marshalFixtures().find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture ${name}`);
  return found;
}
