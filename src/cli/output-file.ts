import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, openSync, type Stats } from 'node:fs';
import { lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { CliIoError, ioFailure } from './io-error.js';

/** Owner read and write only: outputs hold sessions, which log users in. */
export const PRIVATE_FILE_MODE = 0o600;

/** Text is gathered up to this many UTF-16 units (or bytes) before one write to the file: few system calls, bounded memory. */
const FLUSH_AT = 64 * 1024;

/** `OutputOptions.syncEvery`'s default. */
const DEFAULT_SYNC_EVERY = 64 * 1024 * 1024;

/** Options for `openOutput`. */
export interface OutputOptions {
  /**
   * A file of its own (not a device) is synced in the background each time this many more bytes are written, one
   * sync at a time: the system would otherwise keep a large output in memory until the sync at commit, which then
   * writes it all while the run waits (1.9 s for the 700 MB of a 200,000-session `convert`).
   * Defaults to 64 MiB.
   */
  syncEvery?: number;
}

/**
 * Where a command writes: stdout, a file it creates, or an existing device or FIFO (`/dev/null`).
 *
 * A file is written to `FILE.<random>.partial` beside `FILE` (created 0600, never through a symlink) and renamed to
 * `FILE` only by `commit()`, so a run that fails or is killed never leaves a complete-looking `FILE`; `abort()`
 * keeps the partial file (its path is `partialPath`) and leaves `FILE` as it was.
 */
export interface Output {
  /** The path the user gave, or `'stdout'`, for messages. */
  readonly label: string;
  /** The temporary file while the run is going and after `abort()`; null for stdout and devices. */
  readonly partialPath: string | null;
  /** Bytes handed to the system so far (buffered text not counted until flushed). */
  readonly bytesWritten: number;
  /**
   * Queues `text` (or UTF-8 bytes); returns a promise when it had to write (wait for it: that is the
   * back-pressure), else undefined. Fails with `CliIoError` (a full disk, a closed pipe), and every later call
   * fails with the same error.
   */
  write(text: string | Uint8Array): Promise<void> | undefined;
  /** Writes what is buffered (so a full disk shows before any output is committed). */
  flush(): Promise<void>;
  /** Writes what is buffered, closes, and renames the partial file into place. Stdout is flushed, not closed. */
  commit(): Promise<void>;
  /** Closes without renaming, keeping the partial file; never throws. */
  abort(): Promise<void>;
  /** Closes and removes the partial file (nothing worth keeping was written); never throws. */
  discard(): Promise<void>;
}

/** What a failed run left of `output`, for its summary: `sessions.sql not written (1,234 bytes in sessions.sql.1f2e3d4c.partial)`. */
export function describeLeftover(output: Output): string {
  if (output.label === 'stdout') return `stdout got ${output.bytesWritten} bytes`;
  if (output.partialPath === null) return `${output.label} got ${output.bytesWritten} bytes`;
  return `${output.label} not written (${output.bytesWritten} bytes in ${output.partialPath}; delete it)`;
}

/**
 * Creates a new file at `path` with mode 0600 whatever the umask, and opens it for writing (for a file another
 * program fills, such as a SQLite database). Fails when anything, a symbolic link included, is already there.
 */
export function createPrivateFile(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
  } catch (error) {
    throw ioFailure(error, `cannot create ${path}`);
  }
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw ioFailure(error, `cannot create ${path}`);
  }
  return fd;
}

/**
 * `-` or undefined: stdout (`stdout`, written as a stream); else the file at `path` (see `Output`). Refuses a
 * symlink, a directory or anything not a regular file, FIFO or character device, with a `CliIoError`; an existing
 * device or FIFO is written in place and its mode left alone.
 */
export async function openOutput(path: string | undefined, stdout: Writable, options: OutputOptions = {}): Promise<Output> {
  if (path === undefined || path === '-') return streamOutput(stdout, 'stdout');
  const existing = await lstatOrNull(path);
  if (existing !== null) {
    if (existing.isSymbolicLink()) throw new CliIoError(`refusing to write ${path}: it is a symbolic link (name the file itself, or - for stdout)`, 'ELOOP');
    if (existing.isDirectory()) throw new CliIoError(`cannot write ${path}: it is a directory`, 'EISDIR');
    if (existing.isFIFO() || existing.isCharacterDevice()) return FileOutput.device(path);
    if (!existing.isFile()) throw new CliIoError(`refusing to write ${path}: not a regular file, FIFO or character device`, 'EINVAL');
  }
  return FileOutput.create(path, options.syncEvery ?? DEFAULT_SYNC_EVERY);
}

/** A stream (stdout, or a test's `PassThrough`) as an `Output`: writes wait for `drain`; errors are kept. */
export function streamOutput(stream: Writable, label: string): Output {
  let failure: CliIoError | null = null;
  let bytesWritten = 0;
  const onError = (error: Error): void => {
    failure ??= ioFailure(error, `cannot write ${label}`);
  };
  stream.on('error', onError);
  return {
    label,
    partialPath: null,
    get bytesWritten() {
      return bytesWritten;
    },
    write(text) {
      if (failure !== null) return Promise.reject(failure);
      bytesWritten += Buffer.byteLength(text);
      if (stream.write(text)) return undefined;
      return new Promise((resolve, reject) => {
        const done = (): void => {
          stream.off('drain', done);
          stream.off('error', done);
          stream.off('close', done);
          if (failure !== null) reject(failure);
          else resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
        stream.on('close', done);
      });
    },
    flush() {
      return this.commit();
    },
    commit() {
      if (failure !== null) return Promise.reject(failure);
      // An empty write's callback runs once everything before it is handed over (or has failed).
      return new Promise((resolve, reject) => {
        stream.write('', (error) => {
          const fail = failure ?? (error === null || error === undefined ? null : ioFailure(error, `cannot write ${label}`));
          if (fail !== null) reject(fail);
          else resolve();
        });
      });
    },
    abort: () => Promise.resolve(),
    discard: () => Promise.resolve(),
  };
}

class FileOutput implements Output {
  private chunks: Array<string | Uint8Array> = [];
  private pending = 0;
  private failure: CliIoError | null = null;
  private closed = false;
  bytesWritten = 0;
  /** `bytesWritten` when the last background sync started. */
  private syncedUpTo = 0;
  /** The background sync in flight; it never rejects (a failure is kept in `failure`). */
  private syncing: Promise<void> | null = null;

  private constructor(
    readonly label: string,
    private readonly handle: FileHandle,
    readonly partialPath: string | null,
    /** See `OutputOptions.syncEvery`; Infinity for a device. */
    private readonly syncEvery: number,
  ) {}

  /** A new private file beside `path`, to be renamed into place. */
  static async create(path: string, syncEvery: number): Promise<FileOutput> {
    const partial = join(dirname(path), `${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
    let handle: FileHandle;
    try {
      // O_EXCL|O_NOFOLLOW: a file of our own, never one a link points to; 0600 from the start.
      handle = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
    } catch (error) {
      throw ioFailure(error, `cannot create ${path}`);
    }
    try {
      // The umask may have taken bits away; this file is ours, so the mode is set exactly.
      await handle.chmod(PRIVATE_FILE_MODE);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw ioFailure(error, `cannot create ${path}`);
    }
    return new FileOutput(path, handle, partial, syncEvery);
  }

  /** An existing FIFO or character device, written in place: not ours, so its mode is left alone. */
  static async device(path: string): Promise<FileOutput> {
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_NOFOLLOW);
    } catch (error) {
      throw ioFailure(error, `cannot open ${path}`);
    }
    return new FileOutput(path, handle, null, Infinity);
  }

  write(text: string | Uint8Array): Promise<void> | undefined {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending < FLUSH_AT) return undefined;
    // The text is written while the caller goes on converting: the caller waits only for the write before this one.
    const previous = this.writing;
    this.queueWrite();
    return previous?.then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing;
    if (this.failure !== null) throw this.failure;
    if (this.chunks.length === 0) return;
    await this.writeOut(this.takeChunks());
  }

  /** The last write queued, until it ends; it never rejects (a failure is kept in `failure` for the next call). */
  private writing: Promise<void> | null = null;

  /** Queues the gathered text after the writes already queued, so the file gets them in order. */
  private queueWrite(): void {
    const data = this.takeChunks();
    const writing: Promise<void> = (this.writing ?? Promise.resolve())
      .then(() => (this.failure === null ? this.writeOut(data) : undefined))
      .catch(() => undefined)
      .finally(() => {
        if (this.writing === writing) this.writing = null;
      });
    this.writing = writing;
  }

  private takeChunks(): Uint8Array {
    const chunks = this.chunks;
    const data =
      chunks.length === 1 && typeof chunks[0] !== 'string'
        ? chunks[0]!
        : chunks.every((chunk) => typeof chunk === 'string')
          ? Buffer.from(chunks.join(''), 'utf8')
          : Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)));
    this.chunks = [];
    this.pending = 0;
    return data;
  }

  private async writeOut(data: Uint8Array): Promise<void> {
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
        this.bytesWritten += bytesWritten;
      }
    } catch (error) {
      this.failure = ioFailure(error, `cannot write ${this.label}`);
      throw this.failure;
    }
    this.syncInBackground();
  }

  /** Starts a sync of what is written so far, once `syncEvery` more bytes are written and none is in flight. */
  private syncInBackground(): void {
    if (this.syncing !== null || this.bytesWritten - this.syncedUpTo < this.syncEvery) return;
    this.syncedUpTo = this.bytesWritten;
    this.syncing = this.handle.datasync().then(
      () => {
        this.syncing = null;
      },
      (error: unknown) => {
        this.failure ??= ioFailure(error, `cannot write ${this.label}`);
        this.syncing = null;
      },
    );
  }

  async commit(): Promise<void> {
    await this.flush();
    if (this.syncing !== null) await this.syncing;
    if (this.failure !== null) throw this.failure;
    try {
      if (this.partialPath !== null) await this.handle.sync();
    } catch (error) {
      this.failure = ioFailure(error, `cannot write ${this.label}`);
      throw this.failure;
    }
    await this.close();
    if (this.partialPath === null) return;
    const now = await lstatOrNull(this.label);
    if (now !== null && !now.isFile()) {
      throw new CliIoError(`refusing to replace ${this.label}: it is no longer a regular file (the output is in ${this.partialPath})`, 'EEXIST');
    }
    try {
      await rename(this.partialPath, this.label);
    } catch (error) {
      throw ioFailure(error, `cannot rename ${this.partialPath} to ${this.label}`);
    }
  }

  async abort(): Promise<void> {
    if (this.failure === null) await this.flush().catch(() => undefined);
    await this.close().catch(() => undefined);
  }

  async discard(): Promise<void> {
    this.failure ??= new CliIoError(`${this.label}: discarded`, null);
    await this.close().catch(() => undefined);
    if (this.partialPath !== null) await unlink(this.partialPath).catch(() => undefined);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing !== null) await this.writing;
    if (this.syncing !== null) await this.syncing;
    try {
      await this.handle.close();
    } catch (error) {
      throw ioFailure(error, `cannot write ${this.label}`);
    }
  }
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ioFailure(error, `cannot write ${path}`);
  }
}
