import { expect } from 'vitest';
import type * as Root from '../../src/index.js';
import type * as Marshal from '../../src/marshal/index.js';
import { marshalFixtures } from './fixtures.js';
import { hex } from './seq.js';
import { typeCases } from './type-fixtures.js';

/** What one copy of the package offers: the root entry has everything, `./marshal` the codec part. */
export type Api = typeof Marshal & Partial<typeof Root>;

/** Every Ruby-made payload: the Marshal cases and the typed-class cases (every typed class is in them). */
export function crossCopyPayloads(): Array<{ name: string; bytes: Uint8Array }> {
  return [...marshalFixtures(), ...typeCases()].map(({ name, bytes }) => ({ name, bytes }));
}

/** A function's result or its error code, so that two copies can be compared on failures too. */
function outcome(run: () => unknown): unknown {
  try {
    const value = run();
    return value instanceof Uint8Array ? { bytes: hex(value) } : { value };
  } catch (error) {
    return { error: (error as { code?: unknown }).code ?? String(error) };
  }
}

/** The kinds of every typed class `load` gives, so the test can say each one crossed over. */
const TYPED_PREDICATES = [
  'isRubyTime',
  'isRubyTimeWithZone',
  'isRubyDate',
  'isRubyDateTime',
  'isRubyBigDecimal',
  'isRubyRational',
  'isRubyComplex',
  'isRubyRange',
  'isRubySet',
  'isRubyFlashHash',
] as const;

/**
 * Loads every payload with `from` and passes each value to every function of `to`; each must do exactly what it does
 * with a value `to` loaded itself. Returns the typed classes seen, so a caller can check each one was exercised.
 */
export function expectCopiesAgree(from: Api, to: Api): Set<string> {
  const seen = new Set<string>();
  for (const { name, bytes } of crossCopyPayloads()) {
    const foreign = outcome(() => from.load(bytes));
    const own = outcome(() => to.load(bytes));
    if (!('value' in (own as object))) continue;
    const theirs = (foreign as { value: unknown }).value as Root.RubyValue;
    const ours = (own as { value: unknown }).value as Root.RubyValue;
    for (const predicate of TYPED_PREDICATES) {
      const check = to[predicate];
      if (check !== undefined && check(ours)) {
        seen.add(predicate);
        expect(check(theirs), `${name}: ${predicate}`).toBe(true);
      }
    }
    expect(outcome(() => to.dump(theirs)), `${name}: dump`).toEqual(outcome(() => to.dump(ours)));
    expect(to.rubyInspect(theirs), `${name}: rubyInspect`).toBe(to.rubyInspect(ours));
    expect(outcome(() => to.toPlain(theirs)), `${name}: toPlain`).toEqual(outcome(() => to.toPlain(ours)));
    expect(outcome(() => to.toPlain(theirs, { onLoss: 'ignore' })), `${name}: toPlain ignore`).toEqual(outcome(() => to.toPlain(ours, { onLoss: 'ignore' })));
    expect(outcome(() => to.dump(to.fromPlain(theirs))), `${name}: fromPlain`).toEqual(outcome(() => to.dump(to.fromPlain(ours))));
    if (to.toRailsJson !== undefined) {
      for (const flavor of ['json', 'multi_json'] as const) {
        expect(outcome(() => to.toRailsJson!(theirs, { flavor })), `${name}: toRailsJson ${flavor}`).toEqual(outcome(() => to.toRailsJson!(ours, { flavor })));
      }
    }
    if (to.encodeActiveRecordData !== undefined && to.toActiveRecordSession !== undefined && to.toRedisSession !== undefined) {
      for (const serializer of ['marshal', 'json', 'null'] as const) {
        expect(outcome(() => to.encodeActiveRecordData!(theirs, { serializer })), `${name}: encodeActiveRecordData ${serializer}`).toEqual(outcome(() => to.encodeActiveRecordData!(ours, { serializer })));
      }
      const id = 'fb9c0ffee';
      expect(outcome(() => to.toActiveRecordSession!({ id, session: theirs })), `${name}: toActiveRecordSession`).toEqual(outcome(() => to.toActiveRecordSession!({ id, session: ours })));
      for (const format of ['marshal', 'json', 'cache-6.1', 'cache-7.1'] as const) {
        const entry = (session: Root.RubyValue) => outcome(() => to.toRedisSession!(session, { id, format }));
        expect(JSON.stringify(entry(theirs), (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v)), `${name}: toRedisSession ${format}`).toBe(JSON.stringify(entry(ours), (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v)));
      }
    }
  }
  return seen;
}
