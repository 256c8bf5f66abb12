/**
 * The limits every writer shares (`dump`, `inspect`, `rubyInspect`, `toPlain`, `fromPlain`, `toRailsJson`, the store
 * writers): one option name each, one error code (`budget_exceeded`, thrown as the writer's own error class, with
 * the path where it stopped).
 */
export interface BudgetOptions {
  /**
   * The most output one call may produce: bytes for `dump` and the store writers, characters (UTF-16 units) for text
   * results, String bytes made for `toPlain` / `fromPlain`. A shared String written once per use counts each time.
   * Generous for any real session (they are kilobytes); it stops a small payload that links one String thousands of
   * times, or a BigDecimal whose exponent asks for a billion zeros, before the memory is taken.
   * Defaults to 67,108,864 (64 MiB).
   */
  maxOutputBytes?: number;
  /**
   * The most values one call may visit. A value written once per use (text and JSON have no links) makes a small
   * DAG of shared Arrays (`a = [a, a]`, 60 times) 2^60 values long; this stops it.
   * Defaults to 100,000 (a real session has dozens).
   */
  maxNodes?: number;
}

/** `maxOutputBytes`' default: 64 MiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** `maxNodes`' default. */
export const DEFAULT_MAX_NODES = 100_000;

/**
 * The running count of one call's output and values. `fail` makes the writer's error (`budget_exceeded`, with
 * the path as the writer knows it); the budget throws it.
 */
export class Budget {
  /** Output so far. */
  bytes = 0;
  /** Values visited so far. */
  nodes = 0;
  readonly maxOutputBytes: number;
  readonly maxNodes: number;

  constructor(
    options: BudgetOptions | undefined,
    private readonly fail: (reason: string) => Error,
  ) {
    this.maxOutputBytes = limit(options?.maxOutputBytes, DEFAULT_MAX_OUTPUT_BYTES);
    this.maxNodes = limit(options?.maxNodes, DEFAULT_MAX_NODES);
  }

  /** Counts `n` more bytes (or characters) of output. */
  addBytes(n: number): void {
    this.bytes += n;
    if (this.bytes > this.maxOutputBytes) throw this.fail(this.bytesReason());
  }

  /** Checks that the output may grow to `total` (for a writer that knows its size, such as a byte buffer). */
  checkTotal(total: number): void {
    if (total > this.maxOutputBytes) {
      this.bytes = total;
      throw this.fail(this.bytesReason());
    }
  }

  /** Counts one more value. */
  addNode(): void {
    if (++this.nodes > this.maxNodes) throw this.fail(`more than maxNodes (${this.maxNodes}) values to write (a shared value is written once per use)`);
  }

  private bytesReason(): string {
    return `the output would pass maxOutputBytes (${this.maxOutputBytes}; a shared value is written once per use)`;
  }
}

/** A limit option: a positive number (Infinity allowed), else the default. */
function limit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}
