// Where the encoding tables live once registered. The state sits on globalThis under a registered symbol, so the
// ESM and CommonJS copies of this package, and the `rails-session-codec/encodings` entry, all see one registry.
import { TableDecoder, type TableSource } from './table.js';

interface Registry {
  sources: Map<string, TableSource>;
  aliases: Map<string, string>;
  decoders: Map<string, TableDecoder>;
}

const KEY = Symbol.for('rails-session-codec.encoding-tables');

function registry(): Registry {
  const holder = globalThis as { [KEY]?: Registry };
  return (holder[KEY] ??= { sources: new Map(), aliases: new Map(), decoders: new Map() });
}

/** Adds encoding tables (and Ruby's alias names for them); what `rails-session-codec/encodings` registers. */
export function registerEncodingTables(tables: readonly TableSource[], aliases: Readonly<Record<string, string>> = {}): void {
  const { sources, aliases: names, decoders } = registry();
  for (const table of tables) {
    sources.set(table.name, table);
    decoders.delete(table.name);
  }
  for (const [alias, name] of Object.entries(aliases)) names.set(alias.toLowerCase(), name);
}

/** The registered table decoder for a Ruby encoding name (or one of its aliases), if any. */
export function tableDecoder(encoding: string): TableDecoder | undefined {
  const { sources, aliases, decoders } = registry();
  const name = sources.has(encoding) ? encoding : aliases.get(encoding.toLowerCase());
  if (name === undefined) return undefined;
  let decoder = decoders.get(name);
  if (decoder === undefined) {
    const source = sources.get(name);
    if (source === undefined) return undefined;
    decoder = new TableDecoder(source, tableDecoder);
    decoders.set(name, decoder);
  }
  return decoder;
}

/** The names of the registered tables. */
export function registeredEncodings(): string[] {
  return [...registry().sources.keys()];
}
