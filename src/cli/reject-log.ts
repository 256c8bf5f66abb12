import type { Writable } from 'node:stream';
import { redactKey } from '../stores/session-key.js';
import type { Output } from './output-file.js';
import type { Progress } from './progress.js';

/** A session that did not become a row: failed, or skipped (`skipped: true`). `line` is the dump line, for `convert`. */
export interface Reject {
  key: string | null;
  line?: number | null;
  code: string;
  message: string;
  skipped?: true;
}

/** Failures listed on stderr when there is no rejects file. */
const MAX_LISTED = 10;

/**
 * Where `convert` and `migrate` put the sessions that did not become rows: the `--rejects` file (JSONL, every
 * reject, gathered per batch and written by `flush`), or else stderr: failures only, the first ten, public ids
 * redacted, never a value.
 */
export class RejectLog {
  private pending = '';
  private listed = 0;

  constructor(
    private readonly file: Output | null,
    private readonly stderr: Writable,
    private readonly progress: Progress,
  ) {}

  add(reject: Reject): void {
    if (this.file !== null) {
      this.pending += `${JSON.stringify(reject)}\n`;
      return;
    }
    if (reject.skipped !== undefined || this.listed++ >= MAX_LISTED) return;
    const where = reject.line === undefined || reject.line === null ? '' : `line ${reject.line}: `;
    this.progress.interrupt();
    this.stderr.write(`${where}${reject.key === null || reject.key === '' ? '' : `${redactKey(reject.key)}: `}${reject.message}\n`);
  }

  /** Writes what `add` gathered since the last call to the rejects file; undefined when there is nothing to write. */
  flush(): Promise<void> | undefined {
    if (this.file === null || this.pending === '') return undefined;
    const text = this.pending;
    this.pending = '';
    return this.file.write(text);
  }
}
