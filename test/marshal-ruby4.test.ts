// Ruby 4.0's Marshal, from its source (marshal.c, set.c): bytes built as w_object writes them, loaded and dumped back.
import { describe, expect, it } from 'vitest';
import { RubyClassRef, dump, load, rubyInspect, type RubyHash } from '../src/marshal/index.js';
import { isRubyClassRef } from '../src/marshal/values/kind.js';
import { fromHex, hex } from './helpers/seq.js';

/** "Ünï" and "Mödül" in UTF-8, with their Marshal length bytes. */
const UNI = '0ac39c6ec3af';
const MODUL = '0c4dc3b664c3bc6c';

describe('Ruby 4.0: a non-ASCII class or module name carries its encoding (w_encivar, w_encname; r_encname)', () => {
  it('a class: I c <name> 1 :E T loads, names itself, and dumps back byte for byte', () => {
    const bytes = fromHex(`040849 63${UNI} 06 3a0645 54`.replace(/ /g, ''));
    const value = load(bytes);
    expect(isRubyClassRef(value)).toBe(true);
    expect([(value as RubyClassRef).kind, (value as RubyClassRef).name, (value as RubyClassRef).encoding]).toEqual(['class', 'Ünï', 'UTF-8']);
    expect(rubyInspect(value)).toBe('Ünï');
    expect(hex(dump(value))).toBe(hex(bytes));
  });

  it('a module, and a link to it, with the E symbol linked by the next String', () => {
    // [Mödül, Mödül, "é"]: the module is object 1, linked as @1; :E is symbol 0, linked as ;0.
    const bytes = fromHex(`04085b08 49 6d${MODUL} 06 3a0645 54 4006 49 2207c3a9 06 3b00 54`.replace(/ /g, ''));
    const value = load(bytes) as unknown[];
    expect(value[0]).toBe(value[1]);
    expect((value[0] as RubyClassRef).name).toBe('Mödül');
    expect(rubyInspect(value)).toBe('[Mödül, Mödül, "é"]');
    expect(hex(dump(value))).toBe(hex(bytes));
  });

  it('a named encoding: I c <name> 1 :encoding "Shift_JIS"', () => {
    const bytes = fromHex('04084963' + '0788a0' + '06' + '3a0d656e636f64696e67' + '220e53686966745f4a4953');
    const value = load(bytes) as RubyClassRef;
    expect(value.encoding).toBe('Shift_JIS');
    expect(hex(dump(value))).toBe(hex(bytes));
  });

  it('refuses any other instance variable on a class, as prohibit_ivar does', () => {
    expect(() => load(fromHex(`040849 63${UNI} 07 3a0645 54 3a0640 69 06`.replace(/ /g, '')))).toThrow(/invalid_format/);
    expect(() => load(fromHex(`040849 63${UNI} 06 3a0640 69 06`.replace(/ /g, '')))).toThrow(/invalid_format/);
  });

  it('the bare names Ruby 1.9 to 3.4 write stay bare (bytes from Ruby 3.1)', () => {
    for (const bytes of [`0408 63${UNI}`, `0408 6d${MODUL}`]) {
      const value = load(fromHex(bytes.replace(/ /g, ''))) as RubyClassRef;
      expect(value.encoding).toBeUndefined();
      expect(hex(dump(value))).toBe(bytes.replace(/ /g, ''));
    }
    expect(hex(dump(new RubyClassRef('class', 'Ünï', 'UTF-8')))).toBe(`040849 63${UNI} 06 3a0645 54`.replace(/ /g, ''));
  });

  it('a Time subclass with a non-ASCII name (its class symbol carries the encoding; bytes from Ruby 3.1, as 4.0 writes them)', () => {
    const bytes = fromHex('04084975493a0a5a65c3af74063a0645540d208011c000000000063a097a6f6e65492208555443063b0646');
    expect(hex(dump(load(bytes)))).toBe(hex(bytes));
    expect(hex(dump(load(bytes, { rubyClasses: 'raw' })))).toBe(hex(bytes));
  });
});

describe("Ruby 4.0's core Set keeps the <= 3.4 layout (set.c: rb_marshal_define_compat, compat_dumper)", () => {
  it('o :Set with @hash = {member => true} and default false loads as a RubySet and dumps back exactly', () => {
    // compat_dumper: an Object with @hash = set_i_to_h(set) (default false), written under the class Set.
    const bytes = fromHex('04086f3a0853657406' + '3a0a4068617368' + '7d07' + '6906' + '54' + '49220661063a064554' + '54' + '46');
    const value = load(bytes);
    expect(rubyInspect(value)).toBe('#<Set: {1, "a"}>');
    expect(hex(dump(value))).toBe(hex(bytes));
  });

  it('a compare_by_identity Set: its @hash is a compare_by_identity Hash (C :Hash)', () => {
    const bytes = fromHex('04086f3a0853657406' + '3a0a4068617368' + '433a0948617368' + '7d06' + '6906' + '54' + '46');
    const value = load(bytes) as { ivars: Array<[unknown, RubyHash]> };
    expect(hex(dump(value))).toBe(hex(bytes));
  });
});
