// `convert --jobs N`: the same output, rejects, summary and exit status whatever N, in the dump's order.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dump as marshalDump, RubyString } from '../src/marshal/index.js';
import { REPO_ROOT, runCli, spawnCli, withoutTiming } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rsc-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The corpus (every store, cache entries compressed or not, JSON, a legacy public-id key beside its private one),
 * three times over so that batches split it in several places, with bad lines between: not JSON, a vanished key,
 * a value that is not Base64, a broken Marshal payload, a blank line, a CRLF line, and one over the size limit.
 */
function mixedDump(): string {
  const corpus = readFileSync(join(REPO_ROOT, 'fixtures/corpus/sessions.jsonl'), 'utf8').trim().split('\n');
  const bad = [
    'not json',
    '{"key":"session:2::' + '0'.repeat(64) + '","value":null}',
    '{"key":"session:2::' + '1'.repeat(64) + '","value":"%%%"}',
    '{"key":"session:2::' + '2'.repeat(64) + '","value":"BAh7BkkiBmEGOgZFVA=="}',
    '',
    '{"key":"rack:session:' + '3'.repeat(64) + '","value":"BAh7AA=="}\r',
  ];
  const lines: string[] = [];
  for (let round = 0; round < 3; round++) {
    corpus.forEach((line, i) => {
      lines.push(line);
      if (i % 9 === 0) lines.push(bad[(i / 9 + round) % bad.length]!);
    });
  }
  const path = join(dir, 'mixed.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('convert --jobs', { timeout: 120_000 }, () => {
  const dump = mixedDump();

  it.each([
    ['sql', ['--dialect', 'mysql']],
    ['jsonl', []],
    ['csv', []],
  ])('gives --format %s output, rejects and summary identical to --jobs 1', (format, extra) => {
    const run = (jobs: number) => {
      const out = join(dir, `out.${format}.${jobs}`);
      const rejects = join(dir, `rejects.${format}.${jobs}`);
      const result = spawnCli(['convert', '--in', dump, '--format', format, ...extra, '--out', out, '--rejects', rejects, '--now', '1705320000', '--max-session-bytes', '40000', '--jobs', String(jobs)]);
      return { code: result.code, stderr: withoutTiming(result.stderr).replaceAll(rejects, 'REJECTS'), out: readFileSync(out, 'utf8'), rejects: readFileSync(rejects, 'utf8') };
    };
    const one = run(1);
    expect(one.code).toBe(1);
    expect(one.rejects).toContain('"code":"session_too_large"');
    expect(one.rejects).toContain('"code":"invalid_line"');
    // A legacy public-id key's row is marked (it yields to its session's private-id row when loaded), not skipped.
    expect(one.rejects).not.toContain('superseded');
    expect(one.stderr).toMatch(/^read \d+, converted \d+, skipped \d+, failed \d+ \(\d+ from legacy keys; rejects: REJECTS\)\n$/);
    for (const jobs of [2, 3]) expect(run(jobs)).toStrictEqual(one);
  });

  it('gives the same output for lines split across read chunks, CRLF, a BOM, over-long and bad lines', () => {
    // The file is read 256 KiB at a time: these sessions span two or more reads, and the longest line is past the
    // line limit of --max-session-bytes 400000 (its key is still found, from the line's head).
    const key = (c: string) => `session:2::${c.repeat(64)}`;
    const session = (size: number) => Buffer.from(marshalDump(new Map([[new RubyString('blob'), new RubyString('x'.repeat(size))]]))).toString('base64');
    const line = (k: string, value: string) => JSON.stringify({ key: k, value });
    const corpus = readFileSync(join(REPO_ROOT, 'fixtures/corpus/sessions.jsonl'), 'utf8').trim().split('\n');
    const lines = [
      `\ufeff${corpus[0]!}`,
      ...corpus.slice(1, 20).map((l, i) => (i % 3 === 0 ? `${l}\r` : l)),
      line(key('a'), session(300_000)),
      'not json',
      line(key('b'), session(500_000)),
      `${line(key('c'), session(1_400_000))}\r`,
      '',
      ...corpus.slice(20, 40),
      line(key('d'), session(390_000)),
      corpus[40]!,
    ];
    const path = join(dir, 'edges.jsonl');
    // The last line has no LF.
    writeFileSync(path, lines.join('\n'));
    const run = (jobs: number) => {
      const out = join(dir, `edges.out.${jobs}`);
      const rejects = join(dir, `edges.rejects.${jobs}`);
      const result = spawnCli(['convert', '--in', path, '--format', 'jsonl', '--out', out, '--rejects', rejects, '--now', '1705320000', '--max-session-bytes', '400000', '--jobs', String(jobs)]);
      return { code: result.code, stderr: withoutTiming(result.stderr).replaceAll(rejects, 'REJECTS'), out: readFileSync(out, 'utf8'), rejects: readFileSync(rejects, 'utf8') };
    };
    const one = run(1);
    const rejected = one.rejects
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string | null; line: number; code: string });
    expect(rejected.map((r) => [r.line, r.code, r.key])).toStrictEqual([
      [22, 'invalid_line', null],
      [23, 'session_too_large', key('b')],
      [24, 'session_too_large', key('c')],
    ]);
    const rows = one.out.trim().split('\n').map((l) => JSON.parse(l) as { session_id: string; data: string });
    // Every other line is a row, the BOM line, the CRLF ones, the sessions that span reads and the last one included.
    expect(rows).toHaveLength(lines.length - 4);
    expect(rows.filter((r) => r.data.length > 390_000)).toHaveLength(2);
    expect(one.stderr).toMatch(new RegExp(`^read ${lines.length - 1}, converted ${lines.length - 4}, skipped 0, failed 3 `));
    for (const jobs of [2, 3]) expect(run(jobs)).toStrictEqual(one);
  });

  it.runIf(existsSync('/dev/full'))('stops with one message and an incomplete summary when the output fails', () => {
    const result = spawnCli(['convert', '--in', dump, '--format', 'jsonl', '--out', '/dev/full', '--now', '1705320000', '--jobs', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/convert: cannot write \/dev\/full: .*\n.*incomplete/s);
    expect(result.stderr).not.toMatch(/\bat \S+ \(/);
  });

  it('refuses a --jobs that is not a positive count', async () => {
    for (const jobs of ['0', 'two', '-1', '65']) {
      const result = await runCli(['convert', '--in', dump, '--format', 'jsonl', '--jobs', jobs]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--jobs/);
    }
  });
});
