// Which characters Ruby's inspect prints as they are, against the table Ruby itself wrote
// (fixtures/unicode/print-runs.txt, by fixtures/unicode/generate.rb through String#inspect), every code point.
// If this Node's Unicode gains characters, this test fails: rerun scripts/generate-printable.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRubyPrintable } from '../src/marshal/ruby-printable.js';
import { load, rubyInspect, RubyString, RubySymbol } from '../src/index.js';

const [header, body] = readFileSync(new URL('../fixtures/unicode/print-runs.txt', import.meta.url), 'utf8').split('\n');

describe("Ruby's printable characters", () => {
  it('match the table Ruby wrote, at every code point but the surrogates', () => {
    expect(header).toMatch(/Ruby 3\.1\.\d+, Unicode 13\.0\.0/);
    const wrong: string[] = [];
    let code = 0;
    let printable = false;
    for (const run of body!.split(',')) {
      const end = code + parseInt(run, 36);
      for (; code < end; code++) {
        if (code >= 0xd800 && code <= 0xdfff) continue;
        if (isRubyPrintable(String.fromCodePoint(code), code) !== printable && wrong.length < 10) wrong.push(code.toString(16));
      }
      printable = !printable;
    }
    expect(code).toBe(0x110000);
    expect(wrong).toEqual([]);
  });

  it('String#inspect escapes what Unicode 14 and later added, and prints what 13.0 had (checked against Ruby 3.1)', () => {
    const inspect = (text: string) => rubyInspect(new RubyString(text));
    // U+9FFC is Unicode 13.0, U+9FFD 14.0; U+20BF 10.0, U+20C0 14.0; U+061D 14.0; U+1FAF0 15.0; NEL is printed.
    expect(inspect('\u9ffc\u9ffd\u20bf\u20c0\u061d\u{1faf0}\u0085')).toBe('"\u9ffc\\u9FFD\u20bf\\u20C0\\u061D\\u{1FAF0}\u0085"');
  });
});

describe('Symbol#inspect (outputs checked against Ruby 3.1)', () => {
  const cases: Array<[string, string]> = [
    ['@=', ':@='],
    ['1=', ':1='],
    ['@1', ':"@1"'],
    ['$1', ':$1'],
    ['$-é', ':$-é'],
    ['$--', ':"$--"'],
    ['$"', ':$"'],
    ['$00', ':"$00"'],
    ['`', ':`'],
    ['~@', ':"~@"'],
    ['foo?=', ':"foo?="'],
    ['@foo?', ':"@foo?"'],
    ['@@', ':"@@"'],
    ['[', ':"["'],
    ['[]=', ':[]='],
    ['1é', ':"1é"'],
    ['@é', ':@é'],
    ['€', ':€'],
    ['€=', ':€='],
    ['\u00a0', ':\u00a0'],
    ['\u3000', ':\u3000'],
    ['\u9ffd', ':"\\u9FFD"'],
    ['a\u2028', ':"a\\u2028"'],
    ['!', ':!'],
    ['=', ':"="'],
    ['a=b', ':"a=b"'],
  ];
  for (const [name, want] of cases) {
    it(`${JSON.stringify(name)} -> ${want}`, () => {
      expect(rubyInspect(new RubySymbol(name))).toBe(want);
    });
  }
  it('a symbol as load reads it from Ruby: the same', () => {
    // Marshal.dump(:"$-é") and Marshal.dump(:"\u9FFD"), from Ruby 3.1.
    expect(rubyInspect(load(Uint8Array.from([4, 8, 73, 58, 9, 36, 45, 0xc3, 0xa9, 6, 58, 6, 69, 84])))).toBe(':$-é');
    expect(rubyInspect(load(Uint8Array.from([4, 8, 73, 58, 8, 0xe9, 0xbf, 0xbd, 6, 58, 6, 69, 84])))).toBe(':"\\u9FFD"');
  });
});
