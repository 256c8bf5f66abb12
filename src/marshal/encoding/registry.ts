// Where the encoding tables live once registered. The state sits on globalThis under a registered symbol, so the
// ESM and CommonJS copies of this package, and the `rails-session-codec/encodings` entry, all see one registry.
// This file is all the core holds of the table layer: a lookup. The code that reads tables (table.ts) comes in
// with the tables, through `rails-session-codec/encodings` (register-tables.ts), so a bundle without the tables
// carries no table decoder either.
import type { TextDecoding } from './decoded-text.js';
import type { TableSource } from './table.js';

/** What the text layer needs of a registered table: the text of bytes in its encoding. */
export interface EncodingDecoder {
  decode(bytes: Uint8Array): TextDecoding;
}

/** Makes the decoder of a registered table; `lookup` finds the decoder of the table it is based on. */
export type DecoderFactory = (source: TableSource, lookup: (name: string) => EncodingDecoder | undefined) => EncodingDecoder;

/** The registry's shape (shared by every copy of the package that runs in this realm). */
export interface Registry {
  sources: Map<string, TableSource>;
  aliases: Map<string, string>;
  decoders: Map<string, EncodingDecoder>;
  /** Set by whoever registers tables: the code that reads them. */
  factory?: DecoderFactory;
}

const KEY = Symbol.for('rails-session-codec.encoding-tables');

/** The one registry of this realm (created empty on first use). */
export function encodingRegistry(): Registry {
  const holder = globalThis as { [KEY]?: Registry };
  return (holder[KEY] ??= { sources: new Map(), aliases: new Map(), decoders: new Map() });
}

/** The registered table decoder for a Ruby encoding name (or one of its aliases), if any. */
export function tableDecoder(encoding: string): EncodingDecoder | undefined {
  const { sources, aliases, decoders, factory } = encodingRegistry();
  const name = sources.has(encoding) ? encoding : aliases.get(encoding.toLowerCase());
  if (name === undefined) return undefined;
  let decoder = decoders.get(name);
  if (decoder === undefined) {
    const source = sources.get(name);
    if (source === undefined || factory === undefined) return undefined;
    decoder = factory(source, tableDecoder);
    decoders.set(name, decoder);
  }
  return decoder;
}

/** The names of the registered tables. */
export function registeredEncodings(): string[] {
  return [...encodingRegistry().sources.keys()];
}
