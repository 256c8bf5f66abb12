import { closeSync, fchmodSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../output-file.js';
import { StateTracker, replayState, type StateLine } from './state.js';

/**
 * The `--state FILE` journal on disk (see `state.ts` for its lines): read back whole at the start, then appended
 * line by line, each line synced before the call returns, so a line that a kill cut short is the only loss, and
 * it is the last. Mode 0600: it lists session ids.
 */
export class StateFile {
  private constructor(
    private readonly fd: number,
    /** The state so far, kept up to date by `append`. */
    readonly tracker: StateTracker,
  ) {}

  /** Opens (creating it when absent) and replays the journal. */
  static open(path: string): StateFile {
    const fd = openSync(path, 'a+', PRIVATE_FILE_MODE);
    try {
      fchmodSync(fd, PRIVATE_FILE_MODE);
      const text = readFileSync(fd, 'utf8');
      const tracker = replayState(text.split('\n'));
      // A last line torn by a kill: cut it off, so the next line starts on its own and the file stays readable.
      if (text !== '' && !text.endsWith('\n')) {
        ftruncateSync(fd, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
        fsyncSync(fd);
      }
      return new StateFile(fd, tracker);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Appends and syncs one line, then applies it to the state. */
  append(line: StateLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
    this.tracker.apply(line);
  }

  close(): void {
    closeSync(this.fd);
  }
}
