// `rails-session-codec/encodings`: Ruby's own transcoding tables, kept out of the core bundles. Registering them
// lets every String in a legacy encoding become text as Ruby's `encode('UTF-8')` reads it.
import { registerEncodingTables } from './marshal/encoding/register-tables.js';
import { registeredEncodings } from './marshal/encoding/registry.js';
import tables from './marshal/encoding/tables/data.cjs';

const { ALIASES, TABLES } = tables;

/** The encodings these tables cover, by Ruby's names (UTF-8, US-ASCII, binary and UTF-16/32 need no table). */
export const RUBY_ENCODING_TABLES: readonly string[] = /* @__PURE__ */ TABLES.map((table) => table.name);

/**
 * Registers Ruby's transcoding tables for every encoding in `RUBY_ENCODING_TABLES` (and Ruby's aliases for them),
 * once per process: `RubyString#toString`, `toPlain`, `rubyInspect`, `toRailsJson` and the store functions then
 * read such Strings as Ruby does, in the ESM and the CommonJS copy of the package alike. Calling it again does
 * nothing. A table is read into memory the first time a String in its encoding is.
 */
export function registerRubyEncodings(): void {
  if (registeredEncodings().length >= TABLES.length) return;
  registerEncodingTables(TABLES, ALIASES);
}
