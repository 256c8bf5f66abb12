// THE way a Ruby String's bytes become JS text: every caller (RubyString#toString, toPlain, rubyInspect,
// toRailsJson, the stores) goes through rubyText, so they all read a String as Ruby's `encode('UTF-8')` does.
import { decodeUtf8Strict, isAsciiBytes, latin1Decode, utf8Decode, utf8SequenceLength } from '../text.js';
import { TextBuilder, type TextDecoding } from './decoded-text.js';
import { tableDecoder } from './registry.js';
import { decodeUnicode } from './unicode.js';

/** Ruby's dummy encodings: not ASCII-compatible, so even ASCII bytes need a converter (which Ruby has not). */
const DUMMY = /* @__PURE__ */ new Set(['ISO-2022-JP', 'ISO-2022-JP-2', 'ISO-2022-JP-KDDI', 'UTF-7', 'CP50220', 'CP50221']);

/**
 * Encodings Ruby 3.1 knows but cannot convert to UTF-8 (`Encoding::Converter.search_convpath` fails; the table
 * generator lists them): where `String#encode` raises ConverterNotFoundError and the JSON generator falls back to the
 * bytes themselves.
 */
export const NO_RUBY_CONVERTER: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'Emacs-Mule', 'EUC-TW', 'IBM864', 'Windows-1258', 'GB1988', 'macCentEuro', 'macThai', 'IBM037', 'ISO-2022-JP',
  'ISO-2022-JP-2', 'CP50220', 'CP50221', 'MacJapanese', 'UTF-7', 'ISO-2022-JP-KDDI',
]);

/**
 * The text of a String's bytes in a Ruby encoding, as `str.encode('UTF-8', invalid: :replace, undef: :replace)`
 * gives it (U+FFFD for each invalid or undefined sequence, cut where Ruby cuts), and the first error, where
 * Ruby's plain `encode('UTF-8')` raises. Every code point is kept, a leading U+FEFF too.
 * - UTF-8, US-ASCII, ASCII-8BIT: the built-in fast path. ASCII-8BIT maps each byte to U+0000..U+00FF, the
 *   lossless view (Ruby has no text for binary bytes; callers that need Ruby's rule treat binary themselves).
 * - UTF-16/32 (LE, BE, and the BOM-led dummies): decoded by rule.
 * - Any other encoding: the table registered for it (`rails-session-codec/encodings`); ASCII-only bytes need none,
 *   as in Ruby. Without a table: `unsupported_encoding`, and every non-ASCII byte is U+FFFD.
 */
export function rubyText(bytes: Uint8Array, encoding: string): TextDecoding {
  if (encoding === 'UTF-8') return utf8Text(bytes);
  if (encoding === 'ASCII-8BIT') return { text: latin1Decode(bytes), problem: undefined };
  const unicode = decodeUnicode(bytes, encoding);
  if (unicode !== undefined) return unicode;
  if (isAsciiBytes(bytes) && !DUMMY.has(encoding)) return { text: latin1Decode(bytes), problem: undefined };
  if (encoding === 'US-ASCII') return perByte(bytes, 'invalid_bytes');
  const table = tableDecoder(encoding);
  if (table !== undefined) return table.decode(bytes);
  return perByte(bytes, 'unsupported_encoding');
}

function utf8Text(bytes: Uint8Array): TextDecoding {
  const text = decodeUtf8Strict(bytes);
  if (text !== undefined) return { text, problem: undefined };
  let offset = 0;
  while (offset < bytes.length) {
    const length = bytes[offset]! < 0x80 ? 1 : utf8SequenceLength(bytes, offset);
    if (length === 0) break;
    offset += length;
  }
  // TextDecoder's replacement cuts invalid UTF-8 as Ruby's scrub does (the maximal invalid subparts).
  return { text: utf8Decode(bytes), problem: { kind: 'invalid_bytes', offset } };
}

/** ASCII bytes as they are, each other byte an error (U+FFFD). */
function perByte(bytes: Uint8Array, kind: 'invalid_bytes' | 'unsupported_encoding'): TextDecoding {
  const out = new TextBuilder();
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) out.char(b);
    else out.error(kind, i);
  }
  return out.result();
}
