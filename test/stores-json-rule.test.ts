import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dump, migrateSessions, RubyFloat, RubyHash, RubyObject, RubyString, RubySymbol, type MigrationOutcome, type MigrationSummary } from '../src/index.js';
import { runCli, withoutTiming } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rsc-json-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A session with an object (multi_json writes its ivars) and a NaN (multi_json writes null; json refuses). */
function session(): Uint8Array {
  const user = new RubyObject(new RubySymbol('User'), [[new RubySymbol('@id'), 7]]);
  return dump(new RubyHash([
    [new RubyString('user'), user],
    [new RubyString('score'), new RubyFloat(NaN)],
  ]));
}
const KEY = 'session:2::0123456789012345678901234567890123456789012345678901234567890123';

async function collect(jsonFlavor: 'json' | 'multi_json') {
  const items: Array<MigrationOutcome | MigrationSummary> = [];
  for await (const item of migrateSessions([{ key: KEY, value: session() }], { serializer: 'json', jsonFlavor })) items.push(item);
  return items;
}

describe('the store layer follows one JSON rule', () => {
  it('multi_json: written as ActiveSupport writes it, each lossy conversion a warning on the outcome and in the summary', async () => {
    const [outcome, summary] = await collect('multi_json');
    expect(outcome).toMatchObject({ kind: 'converted', row: { data: '{"value":{"user":{"id":7},"score":null}}' } });
    const warnings = (outcome as { warnings: Array<{ code: string; path: string }> }).warnings;
    expect(warnings.map((w) => `${w.code} ${w.path}`)).toEqual(['object_as_hash [:value]["user"]', 'non_finite_as_null [:value]["score"]']);
    expect(summary).toMatchObject({ kind: 'summary', converted: 1, failed: 0, warnings: 2 });
  });

  it('json: the object and the bare NaN fail the session, naming the path', async () => {
    const [outcome, summary] = await collect('json');
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'unsupported_value' } });
    expect((outcome as { error: { message: string } }).error.message).toMatch(/memory address.*\["user"\]/);
    expect(summary).toMatchObject({ failed: 1, warnings: 0 });
  });

  it('convert shows the warnings in its summary line', async () => {
    const path = join(dir, 'dump.jsonl');
    writeFileSync(path, `${JSON.stringify({ key: KEY, value: Buffer.from(session()).toString('base64') })}\n`);
    const result = await runCli(['convert', '--in', path, '--out', join(dir, 'rows.jsonl'), '--format', 'jsonl', '--serializer', 'json', '--json-flavor', 'multi_json']);
    expect(result.code).toBe(0);
    expect(withoutTiming(result.stderr).trimEnd().split('\n').at(-1)).toBe('read 1, converted 1, skipped 0, failed 0, warnings 2');
  });
});
