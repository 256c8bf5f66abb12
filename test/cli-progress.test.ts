import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DumpSource } from '../src/cli/migrate/dump-source.js';
import { describe, expect, it } from 'vitest';
import { Progress, REDRAW_MS, fitToWidth, formatClock, formatElapsed, formatProgressLine, formatSummary, group, remainingMs } from '../src/cli/progress.js';

/** A Progress on an in-memory stderr with a clock the test moves. */
function harness(options: { tty?: boolean; total?: number; columns?: number } = {}) {
  let now = 1_000_000;
  let done = 0;
  let columns = options.columns;
  const chunks: string[] = [];
  const stderr = new PassThrough();
  stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const progress = new Progress(stderr, options.tty ?? true, () => now, {
    ...(options.total === undefined ? {} : { position: { total: () => options.total!, done: () => done } }),
    columns: () => columns,
  });
  return {
    progress,
    advance(ms: number, bytes = 0) {
      now += ms;
      done += bytes;
    },
    resize(width: number) {
      columns = width;
    },
    output: () => chunks.join(''),
    /** Each drawn frame, as the terminal shows it (what follows each erase-line). */
    frames: () => chunks.join('').split('\r\x1b[K').slice(1).filter((f) => f !== ''),
  };
}

describe('progress formatting', () => {
  it('groups digits by thousands whatever the locale', () => {
    expect(group(0)).toBe('0');
    expect(group(999)).toBe('999');
    expect(group(1000)).toBe('1,000');
    expect(group(1_000_000)).toBe('1,000,000');
    expect(group(12_345_678)).toBe('12,345,678');
  });

  it('gives durations as a clock, and the summary milliseconds under a second, tenths under a minute', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(7_999)).toBe('0:07');
    expect(formatClock(754_000)).toBe('12:34');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(0)).toBe('0 ms');
    expect(formatElapsed(449)).toBe('449 ms');
    expect(formatElapsed(1_000)).toBe('1.0 s');
    expect(formatElapsed(12_345)).toBe('12.3 s');
    expect(formatElapsed(59_999)).toBe('59.9 s');
    expect(formatElapsed(62_000)).toBe('1:02');
  });

  it('estimates the time left at the rate so far', () => {
    expect(remainingMs(0, 100, 5_000)).toBeUndefined();
    expect(remainingMs(10, 100, 0)).toBeUndefined();
    expect(remainingMs(25, 100, 10_000)).toBe(30_000);
    expect(remainingMs(50, 100, 10_000)).toBe(10_000);
    expect(remainingMs(100, 100, 10_000)).toBe(0);
    expect(remainingMs(120, 100, 10_000)).toBe(0);
  });

  it('cuts a line one column short of the terminal, 80 columns when it does not say', () => {
    const line = 'x'.repeat(300);
    expect(fitToWidth(line, 40)).toHaveLength(39);
    expect(fitToWidth(line, 200)).toHaveLength(199);
    expect(fitToWidth(line, undefined)).toHaveLength(79);
    expect(fitToWidth(line, 0)).toHaveLength(79);
    expect(fitToWidth(line, 1)).toHaveLength(1);
    expect(fitToWidth('short', 40)).toBe('short');
  });

  it('shows percentage, ETA and elapsed time first when the size is known, counts and rate otherwise', () => {
    const counts = { read: 12_345, converted: 12_300, skipped: 1, failed: 44 };
    expect(formatProgressLine({ counts, elapsedMs: 10_000, fraction: { done: 250, total: 1000 } })).toBe(
      '25% ETA 0:30 (0:10 elapsed) | read 12,345 (1,235/s), converted 12,300, skipped 1, failed 44',
    );
    expect(formatProgressLine({ counts, elapsedMs: 10_000 })).toBe('read 12,345 (1,235/s), converted 12,300, skipped 1, failed 44');
    expect(formatProgressLine({ counts: { read: 0 }, elapsedMs: 0, fraction: { done: 0, total: 1000 } })).toBe('0% ETA - (0:00 elapsed) | read 0');
    expect(formatProgressLine({ counts: {}, elapsedMs: 5 })).toBe('');
  });

  it('writes the summary with grouped digits, the elapsed time and the rate', () => {
    expect(formatSummary({ read: 1_000_000, converted: 999_998, skipped: 1, failed: 1 }, 62_000, ' (rejects: r.jsonl)')).toBe(
      'read 1,000,000, converted 999,998, skipped 1, failed 1 in 1:02, 16,129/s (rejects: r.jsonl)',
    );
    expect(formatSummary({ scanned: 3, exported: 3 }, 0)).toBe('scanned 3, exported 3 in 0 ms');
  });
});

describe('Progress', () => {
  it('draws nothing but the summary when stderr is not a terminal', () => {
    const t = harness({ tty: false, total: 100 });
    for (let i = 0; i < 20; i++) {
      t.advance(300, 5);
      t.progress.update({ read: i });
    }
    t.progress.finish({ read: 20 });
    expect(t.output()).toBe('read 20 in 6.0 s, 3/s\n');
  });

  it('redraws at most four times a second', () => {
    const t = harness();
    for (let i = 0; i < 100; i++) {
      t.progress.update({ read: i });
      t.advance(10);
    }
    // 1 s of updates every 10 ms: a frame at 0, 250, 500 and 750 ms.
    expect(t.frames()).toHaveLength(4);
    expect(REDRAW_MS).toBe(250);
  });

  it('never writes a frame wider than the terminal, and follows a resize', () => {
    const t = harness({ total: 1000, columns: 40 });
    const counts = { read: 1_234_567, converted: 1_234_000, skipped: 12, failed: 555 };
    t.advance(1000, 100);
    t.progress.update(counts);
    t.resize(200);
    t.advance(1000, 100);
    t.progress.update(counts);
    t.resize(20);
    t.advance(1000, 100);
    t.progress.update(counts);
    const frames = t.frames();
    expect(frames).toHaveLength(3);
    expect(frames[0]).toBe('10% ETA 0:09 (0:01 elapsed) | read 1,23');
    expect(frames[1]).toBe('20% ETA 0:08 (0:02 elapsed) | read 1,234,567 (617,284/s), converted 1,234,000, skipped 12, failed 555');
    expect(frames[2]).toBe('30% ETA 0:07 (0:03 ');
  });

  it('clears its line before another message and before the summary, and draws again after', () => {
    const t = harness();
    t.advance(300);
    t.progress.update({ read: 1 });
    t.progress.interrupt();
    t.progress.update({ read: 2 });
    t.advance(700);
    t.progress.finish({ read: 3 });
    expect(t.output()).toBe('\r\x1b[Kread 1 (3/s)\r\x1b[K\r\x1b[Kread 2 (7/s)\r\x1b[Kread 3 in 1.0 s, 3/s\n');
  });
});

describe('where a migrate dump source is', () => {
  it('reports no size before the read, then the bytes read of the file size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsc-position-'));
    try {
      const path = join(dir, 'dump.jsonl');
      const text = `${[1, 2, 3].map((i) => JSON.stringify({ key: `session:${i}`, value: null })).join('\n')}\n`;
      writeFileSync(path, text);
      const source = new DumpSource(path, () => 0);
      expect(source.position.total()).toBe(0);
      for await (const batch of source.batches(null)) void batch;
      expect(source.position.total()).toBe(Buffer.byteLength(text));
      expect(source.position.done()).toBe(Buffer.byteLength(text));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
