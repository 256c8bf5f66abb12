import { asMarshalError } from './load.js';
import { DEFAULT_MAX_DEPTH, type DumpOptions } from './options.js';
import { MarshalGenerator } from './generate.js';

/**
 * Writes a value as Ruby's `Marshal.dump` writes the equivalent Ruby value.
 *
 * Takes the lossless model `load` returns (and gives back the bytes it was loaded from), or plain JS values:
 * `null`, booleans, numbers (integers as Integer, others as Float), bigints, strings (UTF-8 Strings), arrays,
 * `Map`s and plain objects (Hashes), and `Uint8Array` (binary Strings). Throws `MarshalError` with code
 * `unsupported_value` and the path for anything else (such as `undefined`, functions or class instances), and
 * `budget_exceeded` before the output passes `maxOutputBytes` (64 MiB by default).
 */
export function dump(value: unknown, options?: DumpOptions): Uint8Array {
  const generator = new MarshalGenerator(options?.maxDepth ?? DEFAULT_MAX_DEPTH, options);
  try {
    return generator.generateDocument(value);
  } catch (error) {
    throw asMarshalError(error, 0);
  } finally {
    generator.finish();
  }
}
