import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEntry70, encodeEntry71, load } from '../src/index.js';
import { runCli } from './helpers/cli.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const fixtures = storeFixtures();
const dir = mkdtempSync(join(tmpdir(), 'rsc-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspect', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))("%s: prints Ruby's inspect of the session, from the raw value on stdin", async (_name, f) => {
    const result = await runCli(['inspect'], { stdin: f.value });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${f.session_inspect}\n`);
  });

  it('reads a file, Base64 text (the ActiveRecord data column, also with JSON-escaped line breaks), and hex', async () => {
    const f = fixtures.find((s) => s.name === 'actionpack/devise-signed-in')!;
    const file = join(dir, 'value.bin');
    writeFileSync(file, f.value);
    const marshalData = f.ar_data.marshal as string;
    for (const args of [[file], [marshalData], [marshalData.replaceAll('\n', '\\n')], [f.value_hex]]) {
      const result = await runCli(['inspect', ...args]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${f.session_inspect}\n`);
    }
    expect((await runCli(['inspect', marshalData])).stderr).toBe(`inspect: Base64 of Marshal 4.8 (${f.value.length} bytes)\n`);
  });

  it("reads a line of export's dump and a row of convert's JSONL output", async () => {
    const f = fixtures.find((s) => s.name === 'actionpack/shopping-cart')!;
    const line = JSON.stringify({ key: f.key, value: Buffer.from(f.value).toString('base64') });
    expect((await runCli(['inspect', line])).stdout).toBe(`${f.session_inspect}\n`);
    const row = JSON.stringify({ session_id: f.private_id, data: f.ar_data.marshal });
    expect((await runCli(['inspect'], { stdin: row })).stdout).toBe(`${f.session_inspect}\n`);
  });

  it('describes Rails cache values on stderr and shows the cached value', async () => {
    const f = fixtures.find((s) => s.store === 'rails-cache-store-redis-cache-6.1')!;
    const result = await runCli(['inspect'], { stdin: f.value });
    expect(result.stderr).toMatch(/^inspect: a Rails 6\.1 cache entry \(\d+ bytes, expires 2024-01-15T13:00:00\.000Z\)\n$/);
    const session = load(Buffer.from(f.session_marshal_hex, 'hex'));
    for (const [encode, label] of [
      [encodeEntry70, 'a Rails 7.0 cache value'],
      [encodeEntry71, 'a Rails 7.1 cache value'],
    ] as const) {
      const bytes = encode(session, { compress: true, compressThreshold: 1 });
      const shown = await runCli(['inspect'], { stdin: bytes });
      expect(shown.stdout).toBe(`${f.session_inspect}\n`);
      expect(shown.stderr).toContain(`${label} (${bytes.length} bytes, compressed)`);
      const listing = await runCli(['inspect', '--hex'], { stdin: bytes });
      expect(listing.code).toBe(0);
      expect(listing.stdout.split('\n')[0]).toMatch(/^ +0 {2}04 08 +Marshal 4\.8$/);
      expect(listing.stderr).toContain('offsets are within the Marshal payload, inflated from byte');
    }
  });

  it('--hex prints the annotated listing of the Marshal bytes', async () => {
    const result = await runCli(['inspect', '--hex', 'BAh7B0kiDHVzZXJfaWQGOgZFVGkvSSILbG9jYWxlBjsAVEkiB2RlBjsAVA==']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ +0 {2}04 08 +Marshal 4\.8$/);
    expect(result.stdout).toContain('Integer 42');
    expect(lines.at(-1)).not.toMatch(/^!!/);
  });

  it('--json prints the JSON Rails writes for the value', async () => {
    const f = fixtures.find((s) => s.name === 'actionpack/devise-signed-in')!;
    const result = await runCli(['inspect', '--json'], { stdin: f.value });
    expect(result.code).toBe(0);
    expect(`{"value":${result.stdout.trimEnd()}}`).toBe(f.ar_data.json_multijson);
  });

  it('reads a JSON session as Ruby JSON.parse does', async () => {
    const result = await runCli(['inspect', '{"user_id": 7, "tags": ["a", null], "ratio": 1.0}']);
    expect(result.stdout).toBe('{"user_id"=>7, "tags"=>["a", nil], "ratio"=>1.0}\n');
  });

  it('fails with exit 1 and a message without the payload on bad input', async () => {
    const broken = await runCli(['inspect'], { stdin: Buffer.from([0x04, 0x08, 0x7b, 0x06, 0x49, 0x22, 0x7f]) });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toBe('inspect: unexpected_eof: string length 122 needs at least 122 bytes, only 0 left (at byte 6, path {key #0})\n');
    const listing = await runCli(['inspect', '--hex'], { stdin: Buffer.from([0x04, 0x08, 0x7b, 0x06, 0x49, 0x22, 0x7f]) });
    expect(listing.stdout).toMatch(/\n!! /);
    const unknown = await runCli(['inspect', 'hello there']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown_format');
    expect((await runCli(['inspect', '--hex', '{"a": 1}'])).code).toBe(1);
    expect((await runCli(['inspect'], { stdin: '' })).code).toBe(1);
  });
});
