import { closeSync, createWriteStream, fchmodSync, openSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** Owner read and write only: outputs hold sessions, which log users in. */
export const PRIVATE_FILE_MODE = 0o600;

/** An output: a file this program created (mode 0600) or stdout. */
export interface Output {
  stream: Writable;
  /** The path, or `'stdout'`. */
  label: string;
  /** Flushes and closes a file; leaves stdout open. */
  close(): Promise<void>;
}

/**
 * Opens `path` for writing, truncating it, with mode 0600 whatever the umask: `open` applies the umask to new files
 * and keeps the mode of existing ones, so the mode is set again on the descriptor before anything is written.
 */
export function openPrivateFile(path: string): number {
  const fd = openSync(path, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** `-` or undefined: `stdout`; else a private file at `path` (see `openPrivateFile`). */
export function openOutput(path: string | undefined, stdout: Writable): Output {
  if (path === undefined || path === '-') {
    return { stream: stdout, label: 'stdout', close: () => Promise.resolve() };
  }
  const stream = createWriteStream(path, { fd: openPrivateFile(path) });
  return {
    stream,
    label: path,
    close: () =>
      new Promise((resolve, reject) => {
        stream.once('error', reject);
        stream.once('close', () => resolve());
        stream.end();
      }),
  };
}
