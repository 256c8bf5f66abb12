import { describe, expect, it } from 'vitest';
import { RubyClassRef, dump, inspect, load } from '../src/marshal/index.js';
import { marshalFixtures } from './helpers/fixtures.js';
import { hex, seq } from './helpers/seq.js';

describe('inspect: the annotated listing', () => {
  it('lists offset, bytes and meaning, with object indexes and link targets (checked by hand)', () => {
    expect(inspect(dump([1, 'a', 'a', 1.5, 1.5]))).toBe(
      [
        '     0  04 08                               Marshal 4.8',
        '     2  5b 0a                               [ Array, 5 elements  #0',
        '     4  69 06                                 i Integer 1',
        '     6  49                                    I instance variables follow the value',
        '     7  22 06 61                                " String, 1 byte "a"  #1',
        '    10  06                                        1 ivar:',
        '    11  3a 06 45                                    name :E',
        '    14  54                                            T true',
        '    15  49                                    I instance variables follow the value',
        '    16  22 06 61                                " String, 1 byte "a"  #2',
        '    19  06                                        1 ivar:',
        '    20  3b 00                                       name :E',
        '    22  54                                            T true',
        '    23  66 08 31 2e 35                        f Float 1.5  #3',
        '    28  40 08                                 @ Object link -> #3',
        '',
      ].join('\n'),
    );
  });

  it('lists every fixture without an error, numbering objects as load does', () => {
    for (const c of marshalFixtures()) {
      const listing = inspect(c.bytes);
      expect(listing, c.name).not.toContain('!!');
      // Every '#n' an object takes appears once, counting up from 0.
      const slots = [...listing.matchAll(/(?: {2}|object is )#(\d+)\)?$/gm)].map((m) => Number(m[1]));
      slots.forEach((slot, i) => expect(slot, c.name).toBe(i));
    }
  });

  it('ends with the error where the stream breaks, and never throws', () => {
    const bytes = dump({ flash: ['a'] });
    const listing = inspect(bytes.subarray(0, bytes.length - 2));
    expect(listing.trimEnd().split('\n').at(-1)).toMatch(/^!! unexpected_eof: .*\(at byte \d+\)$/);
    expect(inspect(seq('BAh7'))).toContain('!! unsupported_version');
    expect(inspect(seq('\x04\x08', 'Z'))).toContain('!! unknown_type: unknown type byte 0x5a');
  });
});

describe('old-style module references (M), which Ruby 1.x wrote', () => {
  it('load and dump back byte for byte', () => {
    const bytes = seq('\x04\x08', '[', 0x07, 'M', 0x0b, 'Kernel', '@', 0x06);
    const [ref, again] = load(bytes) as RubyClassRef[];
    expect(ref).toBeInstanceOf(RubyClassRef);
    expect([ref!.kind, ref!.name]).toEqual(['old_module', 'Kernel']);
    expect(again).toBe(ref);
    expect(hex(dump(load(bytes)))).toBe(hex(bytes));
  });
});
