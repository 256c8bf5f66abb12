import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUBY_ENCODING_TABLES, registerRubyEncodings } from '../src/encodings.js';
import { NO_RUBY_CONVERTER, rubyText } from '../src/marshal/encoding/ruby-text.js';
import { RailsJsonError, RubyString, toPlain, toRailsJson } from '../src/index.js';
import { fromHex } from './helpers/seq.js';

interface EncodingCase {
  encoding: string;
  hex: string;
  encode: { text: string } | { error: string };
  replace: string;
  json_dump: { text: string } | { error: string };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/encodings/cases.json', import.meta.url), 'utf8')) as {
  cannot_convert: string[];
  cases: EncodingCase[];
};

describe('without the tables (before registerRubyEncodings)', () => {
  it('a Windows-1252 String is unsupported_encoding: toString substitutes, toPlain reports a loss, toRailsJson throws', () => {
    const string = new RubyString(Uint8Array.of(0x63, 0x61, 0x66, 0xe9), 'Windows-1252');
    expect(rubyText(string.bytes, string.encoding).problem).toEqual({ kind: 'unsupported_encoding', offset: 3 });
    expect(string.toString()).toBe('caf\uFFFD');
    expect(() => toPlain(string)).toThrow(/loss.*no Windows-1252 table is registered/);
    expect(() => toRailsJson(string)).toThrow(expect.objectContaining({ code: 'unsupported_encoding' }));
    // ASCII-only text needs no table, in Ruby either.
    expect(toRailsJson(new RubyString(Uint8Array.of(0x61), 'Windows-1252'))).toBe('"a"');
  });

  it('an encoding Ruby cannot convert either: JSON writes its bytes as UTF-8 as Ruby does', () => {
    expect(toRailsJson(new RubyString(Uint8Array.of(0xc3, 0xa9), 'EUC-TW'))).toBe('"é"');
    expect(() => toRailsJson(new RubyString(Uint8Array.of(0xe9), 'EUC-TW'))).toThrow(expect.objectContaining({ code: 'generator_error' }));
  });
});

describe("Ruby's answers for every table (fixtures/encodings, from Ruby itself)", () => {
  it('covers every encoding the issue lists, and knows which ones Ruby cannot convert', () => {
    registerRubyEncodings();
    for (const name of ['ISO-8859-1', 'ISO-8859-16', 'Windows-1250', 'Windows-1257', 'IBM437', 'CP850', 'KOI8-R', 'KOI8-U', 'macRoman', 'Shift_JIS', 'Windows-31J', 'EUC-JP', 'CP51932', 'GBK', 'GB2312', 'GB18030', 'Big5', 'EUC-KR', 'CP949']) {
      expect(RUBY_ENCODING_TABLES).toContain(name);
    }
    for (const name of fixture.cannot_convert) expect(NO_RUBY_CONVERTER.has(name)).toBe(true);
  });

  it.each(fixture.cases.map((c, i) => [`${c.encoding} ${c.hex} #${i}`, c] as const))('%s', (_name, c) => {
    registerRubyEncodings();
    const bytes = fromHex(c.hex);
    const { text, problem } = rubyText(bytes, c.encoding);
    expect(text).toBe(c.replace);
    if ('text' in c.encode) {
      expect(problem).toBeUndefined();
      expect(text).toBe(c.encode.text);
    } else {
      expect(problem?.kind).toBe(c.encode.error === 'UndefinedConversionError' ? 'undefined_conversion' : 'invalid_bytes');
    }
    const string = new RubyString(bytes, c.encoding);
    expect(string.toString()).toBe(c.replace);
    if ('text' in c.json_dump) expect(toRailsJson(string)).toBe(c.json_dump.text);
    else expect(() => toRailsJson(string)).toThrow(RailsJsonError);
  });
});
