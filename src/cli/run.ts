import { registerRubyEncodings } from '../encodings.js';
import { convertCommand } from './convert-command.js';
import { exportCommand } from './export-command.js';
import { inspectCommand } from './inspect-command.js';
import { migrateCommand } from './migrate/migrate-command.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage.js';
import { VERSION } from './version.js';

/** The program's `--help`. */
export const PROGRAM_HELP = `Usage: rails-session-codec <command> [options]

Moves Rails sessions out of Redis and into activerecord-session_store, and shows what a session holds.

Commands:
  export    dump Redis sessions to JSONL (read-only: SCAN and GET)
  convert   turn that dump into rows of the gem's sessions table: JSONL, CSV or SQL upserts
  migrate   copy sessions from Redis (or a dump) straight into the sessions table of PostgreSQL, MySQL or
            SQLite, and after the switch a delta pass that loses no session and brings back none
  inspect   show a payload (Marshal, Base64, a Rails cache value, JSON) as Ruby's inspect, JSON or
            an annotated byte listing

Run \`rails-session-codec <command> --help\` for a command's options, \`rails-session-codec --version\` (-V) for
the version.

Every file written (--out, --rejects) is created with mode 0600 (owner read/write only), whatever the umask:
sessions log users in. Messages name keys with public session ids shortened, never session values.
Exit status: 0 on success, 1 when a session failed (or on an I/O error), 2 for a usage error.

Example (Redis -> PostgreSQL):
  rails-session-codec export --url redis://127.0.0.1:6379/0 --match 'session:*' --out sessions.jsonl
  rails-session-codec convert --in sessions.jsonl --format sql --dialect postgresql \\
    --out sessions.sql --rejects rejects.jsonl
  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sessions.sql
`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  export: exportCommand,
  convert: convertCommand,
  inspect: inspectCommand,
  migrate: migrateCommand,
};

/** Runs one command line (without `node` and the script) and returns the exit status. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  // The command reads every String as Ruby does, legacy encodings included.
  registerRubyEncodings();
  const [first, ...rest] = argv;
  try {
    if (first === undefined) throw new UsageError('missing command (export, convert, migrate or inspect)', null);
    if (first === '--help' || first === '-h') {
      io.stdout.write(PROGRAM_HELP);
      return 0;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`rails-session-codec ${VERSION}\n`);
      return 0;
    }
    if (first === 'help') return rest[0] === undefined ? (io.stdout.write(PROGRAM_HELP), 0) : await dispatch(rest[0], ['--help'], io);
    return await dispatch(first, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command === null ? 'rails-session-codec --help' : `rails-session-codec ${error.command} --help`;
      io.stderr.write(`rails-session-codec${error.command === null ? '' : ` ${error.command}`}: ${error.message}\nSee '${help}'.\n`);
      return 2;
    }
    // I/O errors (a missing --in file, a full disk): their messages name paths, never session values.
    io.stderr.write(`rails-session-codec: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function dispatch(command: string, args: string[], io: CliIo): Promise<number> {
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (handler === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}`, null);
  return handler(args, io);
}
