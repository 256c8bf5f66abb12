// The rejects of `convert` and `migrate`, through the one RejectLog both use: every reject to the --rejects file,
// once per batch; without one, the first ten failures on stderr, public ids shortened, skipped ones left out.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Output } from '../src/cli/output-file.js';
import { Progress } from '../src/cli/progress.js';
import { RejectLog } from '../src/cli/reject-log.js';

function stderr(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('RejectLog', () => {
  it('gathers every reject, skipped ones too, and writes them to the file in one write per flush', async () => {
    const writes: string[] = [];
    const file = { write: (text: string) => (writes.push(text), undefined) } as unknown as Output;
    const err = stderr();
    const log = new RejectLog(file, err.stream, new Progress(err.stream, false, () => 0));
    log.add({ key: 'session:2::ab', line: 3, code: 'invalid_payload', message: 'm1' });
    log.add({ key: 'session:0123456789abcdef', code: 'skipped', message: 'expired', skipped: true });
    expect(writes).toEqual([]);
    await log.flush();
    expect(writes).toEqual([
      '{"key":"session:2::ab","line":3,"code":"invalid_payload","message":"m1"}\n{"key":"session:0123456789abcdef","code":"skipped","message":"expired","skipped":true}\n',
    ]);
    expect(log.flush()).toBeUndefined();
    expect(err.text()).toBe('');
  });

  it('without a file lists the first ten failures on stderr, by line and shortened public id, and no skipped one', () => {
    const err = stderr();
    const log = new RejectLog(null, err.stream, new Progress(err.stream, false, () => 0));
    log.add({ key: 'session:0123456789abcdef', code: 'skipped', message: 'expired', skipped: true });
    log.add({ key: null, line: 6, code: 'invalid_line', message: 'not JSON' });
    log.add({ key: 'session:0123456789abcdef', line: null, code: 'invalid_payload', message: 'bad' });
    for (let i = 0; i < 12; i++) log.add({ key: '', code: 'read_failed', message: `failure ${i}` });
    expect(log.flush()).toBeUndefined();
    expect(err.text().split('\n').slice(0, -1)).toEqual(['line 6: not JSON', '"session:0123…": bad', ...Array.from({ length: 8 }, (_, i) => `failure ${i}`)]);
  });
});
