// Types of the generated data.cjs beside this file.
import type { TableSource } from '../table.js';

declare const tables: {
  /** Ruby's alias names for the encodings below (`CP1252` -> `Windows-1252`). */
  readonly ALIASES: Readonly<Record<string, string>>;
  /** One compact table per encoding. */
  readonly TABLES: readonly TableSource[];
};
export = tables;
