#!/usr/bin/env node
/**
 * The `rails-session-codec` command: `export`, `convert` and `inspect` (see `run.ts`). The only code of the package
 * with I/O; each command is a thin layer over the library.
 * @module
 */
import { describeSystemError } from './io-error.js';
import { processIo } from './io.js';
import { run } from './run.js';
import { growYoungGenerationAtOnce } from './young-generation.js';

growYoungGenerationAtOnce();

// A closed pipe (`… | head`) ends the output, not the program with a stack trace. Any other failure (a full
// disk) is reported once, as one line, after the command (which may have reported it itself) and exits 1.
let stdoutFailure: Error | null = null;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  stdoutFailure ??= error;
});

const status = await run(process.argv.slice(2), processIo());
if (stdoutFailure !== null && status === 0) {
  process.stderr.write(`rails-session-codec: cannot write stdout: ${describeSystemError(stdoutFailure)}\n`);
  process.exitCode = 1;
} else {
  process.exitCode = status;
}
