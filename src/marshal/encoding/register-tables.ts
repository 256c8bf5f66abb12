// Registering tables brings the code that reads them: the table decoder enters a bundle only with
// `rails-session-codec/encodings`, never with `load` or the store functions alone.
import { encodingRegistry, type EncodingDecoder } from './registry.js';
import { TableDecoder, type TableSource } from './table.js';

/** Adds encoding tables (and Ruby's alias names for them) and their decoder; what `rails-session-codec/encodings` registers. */
export function registerEncodingTables(tables: readonly TableSource[], aliases: Readonly<Record<string, string>> = {}): void {
  const registry = encodingRegistry();
  // Every decoder in the registry is a TableDecoder (of this copy or another one), so a base is one too.
  registry.factory ??= (source, lookup) => new TableDecoder(source, lookup as (name: string) => TableDecoder | undefined);
  const { sources, aliases: names, decoders } = registry;
  for (const table of tables) {
    sources.set(table.name, table);
    decoders.delete(table.name);
  }
  for (const [alias, name] of Object.entries(aliases)) names.set(alias.toLowerCase(), name);
}

export type { EncodingDecoder };
