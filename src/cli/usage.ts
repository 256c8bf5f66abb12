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
    throw new UsageError(describeParseError(error, args, Object.keys(options)), command);
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

/**
 * A plain message for a `parseArgs` error: an unknown option with the nearest known one, a value that starts with
 * a dash (`--count -5`) as the value it is, a missing value as missing. Node's own messages otherwise, first line.
 */
function describeParseError(error: unknown, args: string[], names: string[]): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (unknown !== null) {
    const nearest = nearestOption(unknown[2]!.split('=')[0]!, [...names, 'help']);
    return `unknown option ${unknown[1]}${unknown[2]}${nearest === undefined ? '' : ` (did you mean --${nearest}?)`}`;
  }
  const ambiguous = /^Option '--([^' ]+)(?: <value>)?' argument is ambiguous/.exec(message);
  if (ambiguous !== null) {
    const flag = ambiguous[1]!;
    const value = args[args.indexOf(`--${flag}`) + 1] ?? '';
    if (/^-\d+(\.\d+)?$/.test(value)) return `--${flag} cannot be negative (got ${JSON.stringify(value)})`;
    return `--${flag} was given ${JSON.stringify(value)}, which looks like an option; write --${flag}=${value} if that is the value`;
  }
  const missing = /^Option '--([^' ]+) <value>' argument missing/.exec(message);
  if (missing !== null) return `--${missing[1]} needs a value`;
  return message;
}

/** The known option closest to `name` (edit distance at most 2, or a prefix), if any. */
export function nearestOption(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of names) {
    const distance = candidate.startsWith(name) && name.length >= 3 ? 1 : editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) ? best : undefined;
}

/** Levenshtein distance, counting a swap of two neighbours as one edit (`fromat` -> `format`). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
