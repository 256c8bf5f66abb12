import { readFileSync } from 'node:fs';
import { fromHex } from './seq.js';

/** Facts Ruby computed for a Time (`fields_for` in fixtures/types/generate.rb). */
export interface TimeFields {
  sec: string;
  nsec: number;
  subsec: string;
  utc_offset: number;
  utc: boolean;
  zone: string | null;
  iso: string;
  year: number;
}

/** Facts Ruby computed for an ActiveSupport::TimeWithZone. */
export interface TimeWithZoneFields {
  utc_iso: string;
  zone_name: string;
  local_iso: string;
}

/** Facts Ruby computed for a Date; a DateTime adds `offset` and `sec_fraction`. */
export interface DateFields {
  jd: number;
  iso: string;
  start: string;
  offset?: number;
  sec_fraction?: string;
}

/** One case of fixtures/types/cases.json, with both dumps as bytes. */
export interface TypeFixture<F = Record<string, unknown>> {
  name: string;
  ruby: string;
  hex: string;
  fresh_process_hex: string;
  inspect: string;
  /** `JSON.dump(value)` with ActiveSupport loaded, or the error Ruby raised. */
  json_stdlib: string | { error: string };
  /** `MultiJson.dump(value)` (JsonGem adapter) with ActiveSupport loaded, or the error Ruby raised. */
  json_multijson: string | { error: string };
  fields: F;
  tags: string[];
  /** Marshal.dump in the generator's long-running process. */
  bytes: Uint8Array;
  /** Marshal.dump in a fresh process: the ivar order a newly written value gets. */
  freshBytes: Uint8Array;
}

let cache: TypeFixture[] | undefined;

/** fixtures/types/cases.json, written by fixtures/types/generate.rb (Ruby 3.1, ActiveSupport 6.1). */
export function typeCases(): TypeFixture[] {
  if (cache === undefined) {
    const file = new URL('../../fixtures/types/cases.json', import.meta.url);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { cases: Array<Omit<TypeFixture, 'bytes' | 'freshBytes'>> };
    cache = json.cases.map((c) => ({ ...c, bytes: fromHex(c.hex), freshBytes: fromHex(c.fresh_process_hex) }));
  }
  return cache;
}

/** The cases whose name starts with `prefix` (such as `'time/'`). */
export function typeCasesFor<F>(prefix: string): Array<TypeFixture<F>> {
  return typeCases().filter((c) => c.name.startsWith(prefix)) as Array<TypeFixture<F>>;
}

/** One case by name. */
export function typeCase<F = Record<string, unknown>>(name: string): TypeFixture<F> {
  const found = typeCases().find((c) => c.name === name);
  if (found === undefined) throw new Error(`no type fixture ${name}`);
  return found as TypeFixture<F>;
}
