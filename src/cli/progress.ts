import type { Writable } from 'node:stream';

const REDRAW_MS = 200;

/** Counts shown by the progress line and the summary. */
export type Counts = Record<string, number>;

/**
 * A progress line on stderr, redrawn in place at most every 200 ms, only when stderr is a terminal (a log file
 * gets the summary alone): the counts and the rate per second of the first count, such as
 * `converted 12,345 (4,100/s), skipped 1, failed 0`.
 */
export class Progress {
  private lastDraw = 0;
  private drawn = false;
  private readonly started: number;

  constructor(
    private readonly stderr: Writable,
    private readonly enabled: boolean,
    private readonly clock: () => number,
  ) {
    this.started = clock();
  }

  /** Redraws when enabled and the last draw is old enough. */
  update(counts: Counts): void {
    if (!this.enabled) return;
    const now = this.clock();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const [first, ...rest] = Object.entries(counts);
    if (first === undefined) return;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(first[1] / seconds);
    const text = [`${first[0]} ${group(first[1])} (${group(rate)}/s)`, ...rest.map(([name, n]) => `${name} ${group(n)}`)].join(', ');
    this.stderr.write(`\r\x1b[K${text}`);
    this.drawn = true;
  }

  /** Clears the progress line (before another message), to be redrawn at the next update. */
  interrupt(): void {
    if (!this.drawn) return;
    this.stderr.write('\r\x1b[K');
    this.drawn = false;
    this.lastDraw = 0;
  }

  /** Clears the progress line, then writes the summary line (always, terminal or not). */
  finish(summary: string): void {
    if (this.drawn) this.stderr.write('\r\x1b[K');
    this.stderr.write(`${summary}\n`);
  }
}

/** `read 56, converted 54, skipped 1, failed 1`: the counts in order, then `suffix` (such as ` (rejects: r.jsonl)`). */
export function formatSummary(counts: Counts, suffix = ''): string {
  return `${Object.entries(counts)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ')}${suffix}`;
}

function group(n: number): string {
  return n.toLocaleString('en-US');
}
