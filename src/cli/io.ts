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
    now: () => Date.now(),
  };
}

/** Writes text and waits for the stream to drain when its buffer is full, so output streams in constant memory. */
export function writeText(stream: Writable, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error): void => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
