import type { Writable } from 'node:stream';

/** The least time between two draws of the progress line: at most four a second. */
export const REDRAW_MS = 250;
/** The width assumed when the terminal does not say (`process.stderr.columns` undefined). */
const DEFAULT_COLUMNS = 80;

/** Counts shown by the progress line and the summary; the first is the one the rate counts. */
export type Counts = Record<string, number>;

/** How far through its input a command is, when the input's size is known (a file: bytes read of its size). */
export interface InputPosition {
  /** Units of the input done so far (bytes read). */
  done(): number;
  /** Units in the whole input (the file's size); 0 while unknown. */
  total(): number;
}

/** Options of `Progress`. */
export interface ProgressOptions {
  /** Where the command is in its input, for the percentage and the ETA. Defaults to none: counts and rate only. */
  position?: InputPosition;
  /**
   * The terminal's width, read at each draw (so a resized terminal, SIGWINCH, is followed). Defaults to 80 columns
   * when it gives undefined or is not given.
   */
  columns?: () => number | undefined;
}

/**
 * A progress line on stderr, redrawn in place at most four times a second, only when stderr is a terminal (a log
 * file gets the summary alone). It is cut to the terminal's width, so it never wraps (a wrapped line cannot be
 * redrawn in place and leaves stale copies on screen). With the input's size known:
 * `42% ETA 0:13 (0:10 elapsed) | read 12,345 (1,234/s), converted 12,300, skipped 1, failed 0`; without it, the
 * counts and the rate alone.
 */
export class Progress {
  private lastDraw: number | undefined = undefined;
  private drawn = false;
  private readonly started: number;

  constructor(
    private readonly stderr: Writable,
    private readonly enabled: boolean,
    private readonly clock: () => number,
    private readonly options: ProgressOptions = {},
  ) {
    this.started = clock();
  }

  /** Redraws when enabled and the last draw is old enough. */
  update(counts: Counts): void {
    if (!this.enabled) return;
    const now = this.clock();
    if (this.lastDraw !== undefined && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const position = this.options.position;
    const line = formatProgressLine({
      counts,
      elapsedMs: now - this.started,
      fraction: position === undefined || position.total() <= 0 ? undefined : { done: position.done(), total: position.total() },
    });
    if (line === '') return;
    this.stderr.write(`\r\x1b[K${fitToWidth(line, this.options.columns?.())}`);
    this.drawn = true;
  }

  /** Clears the progress line (before another message), to be redrawn at the next update. */
  interrupt(): void {
    if (!this.drawn) return;
    this.stderr.write('\r\x1b[K');
    this.drawn = false;
    this.lastDraw = undefined;
  }

  /**
   * Clears the progress line, then writes the summary line (always, terminal or not): the counts, the time since
   * the start and the rate of the first count, then `suffix` (see `formatSummary`).
   */
  finish(counts: Counts, suffix = ''): void {
    if (this.drawn) this.stderr.write('\r\x1b[K');
    this.stderr.write(`${formatSummary(counts, this.clock() - this.started, suffix)}\n`);
  }
}

/** What one frame of the progress line shows. */
export interface ProgressFrame {
  counts: Counts;
  elapsedMs: number;
  /** How much of the input is done, when its size is known. */
  fraction?: { done: number; total: number } | undefined;
}

/**
 * One frame of the progress line, before it is cut to the terminal: the percentage, ETA and elapsed time first
 * (what a narrow terminal must still show), when the input's size is known; then the counts, the first with its
 * rate per second. Empty when there are no counts.
 */
export function formatProgressLine(frame: ProgressFrame): string {
  const [first, ...rest] = Object.entries(frame.counts);
  if (first === undefined) return '';
  const rate = ratePerSecond(first[1], frame.elapsedMs);
  const counts = [`${first[0]} ${group(first[1])}${rate === undefined ? '' : ` (${group(rate)}/s)`}`, ...rest.map(([name, n]) => `${name} ${group(n)}`)].join(', ');
  if (frame.fraction === undefined) return counts;
  const { done, total } = frame.fraction;
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  const eta = remainingMs(done, total, frame.elapsedMs);
  return `${percent}% ETA ${eta === undefined ? '-' : formatClock(eta)} (${formatClock(frame.elapsedMs)} elapsed) | ${counts}`;
}

/**
 * The summary: `read 1,000,000, converted 999,998, skipped 1, failed 1 in 1:02, 16,129/s`, then `suffix` (such as
 * ` (rejects: r.jsonl)`). The rate (of the first count) is left out when no time has passed.
 */
export function formatSummary(counts: Counts, elapsedMs: number, suffix = ''): string {
  const entries = Object.entries(counts);
  const rate = entries[0] === undefined ? undefined : ratePerSecond(entries[0][1], elapsedMs);
  const text = entries.map(([name, n]) => `${name} ${group(n)}`).join(', ');
  return `${text} in ${formatElapsed(elapsedMs)}${rate === undefined ? '' : `, ${group(rate)}/s`}${suffix}`;
}

/**
 * `line` cut to fit a terminal `columns` wide, one column short of it: writing into the last column leaves some
 * terminals waiting to wrap, and the next `\r` then lands on a new line. The line is ASCII, one column a character.
 */
export function fitToWidth(line: string, columns: number | undefined): string {
  const width = Math.max(1, (columns !== undefined && Number.isFinite(columns) && columns > 0 ? Math.floor(columns) : DEFAULT_COLUMNS) - 1);
  return line.length <= width ? line : line.slice(0, width);
}

/** The time left at the rate so far, or undefined before anything is done. */
export function remainingMs(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || elapsedMs <= 0) return undefined;
  return Math.max(0, ((total - done) * elapsedMs) / done);
}

/** A duration as a clock: `0:07`, `12:34`, `1:02:03` (whole seconds, rounded down). */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/** A run's length in the summary: milliseconds under a second (`34 ms`), tenths of a second under a minute (`12.3 s`), else a clock (`1:02`). */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  return ms < 60_000 ? `${(Math.floor(ms / 100) / 10).toFixed(1)} s` : formatClock(ms);
}

/** `1,000,000`: digits grouped by thousands, whatever the machine's locale. */
export function group(n: number): string {
  return n.toLocaleString('en-US');
}

function ratePerSecond(count: number, elapsedMs: number): number | undefined {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : undefined;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
