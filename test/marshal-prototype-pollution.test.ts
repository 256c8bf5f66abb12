import { describe, expect, it } from 'vitest';
import { RubyHash, RubyString, dump, load } from '../src/marshal/index.js';

describe('prototype pollution', () => {
  it('keeps "__proto__", "constructor" and "prototype" keys as data', () => {
    // Ruby: Marshal.dump({"__proto__" => {"polluted" => true}, "constructor" => 1, "prototype" => 2})
    const bytes = dump(new Map<unknown, unknown>([
      ['__proto__', new Map([['polluted', true]])],
      ['constructor', 1],
      ['prototype', 2],
    ]));
    const hash = load(bytes) as RubyHash;
    expect(hash).toBeInstanceOf(RubyHash);
    expect(Object.getPrototypeOf(hash)).toBe(RubyHash.prototype);
    expect(hash.size).toBe(3);
    expect(hash.get('__proto__')).toBeInstanceOf(RubyHash);
    expect(hash.get('constructor')).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('dumps a plain object whose own "__proto__" key is data', () => {
    const object = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const hash = load(dump(object)) as RubyHash;
    expect(hash.entries.map(([key]) => (key as RubyString).toString())).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps keys in insertion order, "10" included', () => {
    const hash = load(dump(new Map<unknown, unknown>([['b', 1], ['a', 2], ['10', 3]]))) as RubyHash;
    expect(hash.entries.map(([key]) => String(key))).toEqual(['b', 'a', '10']);
  });
});
