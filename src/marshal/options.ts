import type { BudgetOptions } from './budget.js';

/** Options for `load`. */
export interface LoadOptions {
  /**
   * How deeply values may nest (each array, hash, object, ivar wrapper or link target counts one level)
   * before `load` stops with `depth_exceeded`. Real sessions nest a handful of levels; the limit keeps a
   * hostile payload from overflowing the JavaScript stack.
   * Defaults to 1024.
   */
  maxDepth?: number;
  /**
   * What to do with bytes after the value. `'ignore'` does what Ruby's `Marshal.load` does (reads one value
   * and stops); `'error'` throws `trailing_bytes`.
   * Defaults to `'ignore'`.
   */
  trailingBytes?: 'ignore' | 'error';
  /**
   * `'typed'` reads the Ruby classes this package knows (Time, Date, DateTime, ActiveSupport::TimeWithZone, BigDecimal,
   * Rational, Complex, Range, Set, the Rails 3 FlashHash) as typed classes such as `RubyTime`, each a subclass of the
   * lossless record it would otherwise be, so it dumps back the same bytes. `'raw'` keeps every object a plain record.
   * Defaults to `'typed'`.
   */
  rubyClasses?: 'typed' | 'raw';
}

/** Options for `dump`. */
export interface DumpOptions extends Pick<BudgetOptions, 'maxOutputBytes'> {
  /**
   * How deeply values may nest before `dump` stops with `depth_exceeded` (a cycle is written as a link and does
   * not count).
   * Defaults to 1024.
   */
  maxDepth?: number;
}

/** The defaults, as documented on each option. */
export const DEFAULT_MAX_DEPTH = 1024;
