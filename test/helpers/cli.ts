import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';

/** What a CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI in this process with in-memory streams (fast); `tty` makes stderr look like a terminal. */
export async function runCli(args: string[], options: { stdin?: string | Uint8Array; tty?: boolean; now?: () => number } = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await run(args, {
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout,
    stderr,
    stderrIsTTY: options.tty === true,
    now: options.now ?? (() => Date.now()),
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/**
 * Runs `node --import tsx src/cli/main.ts …` as its own process (real exit codes, real file modes), under
 * `umask 000` unless told otherwise, so a file created without an explicit mode would come out world-readable.
 */
export function spawnCli(args: string[], options: { stdin?: string; umask?: string; cwd?: string } = {}): CliResult {
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const result = spawnSync('sh', ['-c', `umask ${options.umask ?? '000'}; exec node --import tsx '${main}' ${quoted}`], {
    input: options.stdin ?? '',
    encoding: 'utf8',
    cwd: options.cwd ?? REPO_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A CLI's stderr without the time and rate of its summary line (` in 34 ms, 1,647/s`, ` in 12.3 s, 140/s`, ` in 1:02, 16,129/s`), which
 * depend on the machine: what is left is the counts and the notes, for exact comparison.
 */
export function withoutTiming(stderr: string): string {
  return stderr.replace(/ in (?:\d+ ms|\d+\.\d s|\d+(?::\d\d){1,2})(?:, [\d,]+\/s)?/g, '');
}
