#!/usr/bin/env node
/**
 * The `rails-session-codec` command: `export`, `convert` and `inspect` (see `run.ts`). The only code of the package
 * with I/O; each command is a thin layer over the library.
 * @module
 */
import { processIo } from './io.js';
import { run } from './run.js';

// A closed pipe (`… | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2), processIo());
