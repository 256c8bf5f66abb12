import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the program cannot run: exit code 2, a one-line message and a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** @param command the command whose `--help` the message points to, or null for the program's. */
  constructor(
    message: string,
    readonly command: string | null,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flags: strings for `type: 'string'`, booleans for `type: 'boolean'`, and `help`. */
export type OptionValues<T extends Options> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };

/**
 * `parseArgs` in strict mode with its errors (unknown flag, missing value, unexpected argument) turned into a
 * `UsageError` for `command`. `--help`/`-h` is added to every command.
 */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, maxPositionals = 0): { values: OptionValues<T>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: maxPositionals > 0 });
  } catch (error) {
    // Node's messages may run to three lines of advice; the first says what is wrong.
    throw new UsageError((error instanceof Error ? error.message : String(error)).split('\n')[0]!, command);
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`, command);
  return { values: parsed.values as OptionValues<T>, positionals: parsed.positionals };
}

/** The value of a flag that takes one of `choices`, or `fallback` when it is absent. */
export function oneOf<C extends string>(command: string, flag: string, value: string | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new UsageError(`--${flag} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`, command);
}

/** A flag's value as a positive integer. */
export function positiveInteger(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--${flag} takes a positive integer (got ${JSON.stringify(value)})`, command);
  return Number(value);
}

/** A flag's value as seconds since the epoch (a fraction is allowed). */
export function epochSeconds(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--${flag} takes seconds since the epoch, such as 1705320000 (got ${JSON.stringify(value)})`, command);
  return Number(value);
}
