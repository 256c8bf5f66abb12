import type { Readable, Writable } from 'node:stream';

/**
 * What a command reads and writes besides files: the process streams, whether stderr is a terminal (progress
 * lines are drawn only there), and a clock. Tests pass in-memory streams and a fixed clock.
 */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal: progress lines are drawn, then cleared. */
  stderrIsTTY: boolean;
  /** The terminal's width in columns, read at each progress draw (it follows a resize). Defaults to 80 columns. */
  stderrColumns?: () => number | undefined;
  /** Milliseconds since the epoch (`Date.now`). */
  now: () => number;
}

/** The running process's streams. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    stderrColumns: () => process.stderr.columns,
    now: () => Date.now(),
  };
}
