/**
 * A file, pipe or server the CLI could not read or write: one line for the user (what, where, the system's words
 * and code: `cannot write out.sql: no space left on device (ENOSPC)`), never a stack trace and never session data.
 */
export class CliIoError extends Error {
  override readonly name = 'CliIoError';

  constructor(
    message: string,
    /** The system's code (`ENOSPC`, `EACCES`, `ELOOP`) or a Redis reply's first word, when there is one. */
    readonly code: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a `CliIoError`, across copies of this module. */
export function isCliIoError(value: unknown): value is CliIoError {
  return value instanceof Error && value.name === 'CliIoError';
}

/** `error` (a Node system error, or anything) as a `CliIoError` whose message starts with `what`. */
export function ioFailure(error: unknown, what: string): CliIoError {
  if (isCliIoError(error)) return error;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : null;
  return new CliIoError(`${what}: ${describeSystemError(error)}`, code, { cause: error });
}

/** `no space left on device (ENOSPC)` from Node's `ENOSPC: no space left on device, write '/x'`. */
export function describeSystemError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const system = /^([A-Z][A-Z0-9_]+): ([^,]*)/.exec(message);
  if (system !== null) return `${system[2]} (${system[1]})`;
  return message.split('\n', 1)[0]!;
}
