import { describe, expect, it } from 'vitest';
import { RubyHash, RubyObject, RubyString, RubySymbol, dump, load, type RubyValue } from '../src/marshal/index.js';
import { RubyFlashHash } from '../src/marshal/classes/flash-hash.js';
import { rubySet } from '../src/marshal/classes/set.js';
import { hasRuby, runRuby } from './helpers/ruby.js';
import { hex } from './helpers/seq.js';
import { typeCase, typeCasesFor } from './helpers/type-fixtures.js';

/**
 * What ActionPack 6.1 writes for each fixture's flash after `FlashHash.from_session_value(flash).keep`:
 * `Marshal.dump(flash.to_session_value)` (checked again against live Ruby below).
 */
const MODERN_HEX: Record<string, string> = {
  'flash/rails3-empty-used':
    '04087b0749220c64697363617264063a0645545b0049220c666c6173686573063b00547b0749220b6e6f74696365063b005449220a5361766564063b005449220a616c657274063b005449220678063b0054',
  'flash/rails3-used-notice': '04087b0749220c64697363617264063a0645545b0049220c666c6173686573063b00547b0649220a616c657274063b005449220678063b0054',
  'flash/rails3-symbol-keys': '04087b0749220c64697363617264063a0645545b0049220c666c6173686573063b00547b0649220a616c657274063b004649220678063b0054',
  'flash/rails3-in-session':
    '04087b0749220c64697363617264063a0645545b0049220c666c6173686573063b00547b0649220b6e6f74696365063b004649221c5369676e656420696e207375636365737366756c6c792e063b0054',
};

const rails3Cases = typeCasesFor('flash/rails3-');

/** The FlashHash of a case: the value itself, or the session's "flash". */
function flashOf(value: RubyValue): RubyValue {
  return value instanceof RubyHash ? value.get('flash')! : value;
}

describe('FlashHash fixtures (fixtures/types/cases.json)', () => {
  it('has the Rails 3 flash cases', () => {
    expect(rails3Cases.map((c) => c.name).sort()).toEqual(Object.keys(MODERN_HEX).sort());
  });

  it.each(rails3Cases.map((c) => [c.name, c] as const))('%s: typed, dumps back byte for byte, converts as Rails 6.1 does', (_name, c) => {
    const value = load(c.bytes);
    const flash = flashOf(value) as RubyFlashHash;
    expect(flash).toBeInstanceOf(RubyFlashHash);
    expect(flash.flashes).toBeInstanceOf(RubyHash);
    expect(hex(dump(value))).toBe(c.hex);
    expect(hex(dump(load(c.freshBytes)))).toBe(c.fresh_process_hex);
    expect(hex(dump(flash.toModernFlash()))).toBe(MODERN_HEX[c.name]);
  });

  it('used-notice: @used holds "notice", which the modern flash drops', () => {
    const flash = load(typeCase('flash/rails3-used-notice').bytes) as RubyFlashHash;
    expect(flash.used.map(String)).toEqual(['notice']);
    const modern = flash.toModernFlash();
    expect((modern.get('flashes') as RubyHash).entries.map(([k]) => String(k))).toEqual(['alert']);
  });

  it('symbol-keys: Symbol keys become US-ASCII Strings; "discard" and "flashes" are UTF-8', () => {
    const modern = (load(typeCase('flash/rails3-symbol-keys').bytes) as RubyFlashHash).toModernFlash();
    expect(modern.entries.map(([key]) => [String(key), (key as RubyString).encoding])).toEqual([
      ['discard', 'UTF-8'],
      ['flashes', 'UTF-8'],
    ]);
    expect(modern.get('discard')).toEqual([]);
    const kept = modern.get('flashes');
    const keys = (kept as RubyHash).entries.map(([key]) => key as RubyString);
    expect(keys.map((key) => [key.toString(), key.encoding])).toEqual([['alert', 'US-ASCII']]);
  });

  it('flash/modern: a converted flash with the same message is the Hash Rails 4.1+ stores, byte for byte', () => {
    const flash = new RubyFlashHash(new RubySymbol('ActionDispatch::Flash::FlashHash'), [
      [new RubySymbol('@used'), rubySet([])],
      [new RubySymbol('@closed'), false],
      [new RubySymbol('@flashes'), new RubyHash([[new RubyString('notice'), new RubyString('Hi')]])],
      [new RubySymbol('@now'), null],
    ]);
    expect(hex(dump(flash.toModernFlash()))).toBe(typeCase('flash/modern').hex);
  });
});

describe('RubyFlashHash variants', () => {
  const make = (used: RubyValue, flashes: Array<[RubyValue, RubyValue]>) =>
    new RubyFlashHash(new RubySymbol('ActionDispatch::Flash::FlashHash'), [
      [new RubySymbol('@used'), used],
      [new RubySymbol('@flashes'), new RubyHash(flashes)],
    ]);
  const keysOf = (flash: RubyFlashHash) => ((flash.toModernFlash().get('flashes') as RubyHash).entries.map(([k]) => String(k)));

  it('@used as a Hash (keys set to true) or an Array', () => {
    const flashes: Array<[RubyValue, RubyValue]> = [
      [new RubySymbol('notice'), new RubyString('a')],
      [new RubySymbol('alert'), new RubyString('b')],
    ];
    expect(keysOf(make(new RubyHash([[new RubySymbol('notice'), true], [new RubySymbol('alert'), false]]), flashes))).toEqual(['alert']);
    expect(keysOf(make([new RubySymbol('alert')], flashes))).toEqual(['notice']);
    expect(keysOf(make(null, flashes))).toEqual(['notice', 'alert']);
  });

  it('a used String does not match a Symbol key (Ruby compares keys with eql?)', () => {
    expect(keysOf(make([new RubyString('notice')], [[new RubySymbol('notice'), new RubyString('a')]]))).toEqual(['notice']);
    // ASCII Strings in different encodings are the same key.
    expect(keysOf(make([new RubyString('notice', 'US-ASCII')], [[new RubyString('notice'), new RubyString('a')]]))).toEqual([]);
  });

  it('a Symbol and a String with the same name collapse into one key, the later value winning (stringify_keys)', () => {
    const flash = make([], [
      [new RubySymbol('notice'), new RubyString('first')],
      [new RubyString('notice'), new RubyString('second')],
    ]);
    const kept = flash.toModernFlash().get('flashes') as RubyHash;
    expect(kept.entries.map(([k, v]) => [String(k), String(v)])).toEqual([['notice', 'second']]);
  });

  it('a FlashHash whose @flashes is not a Hash stays a plain object', () => {
    const bytes = dump(new RubyObject(new RubySymbol('ActionDispatch::Flash::FlashHash'), [[new RubySymbol('@flashes'), []]]));
    const value = load(bytes);
    expect(value).toBeInstanceOf(RubyObject);
    expect(value).not.toBeInstanceOf(RubyFlashHash);
    expect(hex(dump(value))).toBe(hex(bytes));
  });
});

describe.skipIf(!hasRuby)(hasRuby ? 'live Ruby: ActionPack 6.1 converts the fixtures as we do' : 'live Ruby: ActionPack converts as we do (skipped: no `ruby` on PATH)', () => {
  it('from_session_value(flash).keep.to_session_value gives our bytes, in one Ruby process', () => {
    const script = `
      require "set"
      require "action_dispatch"
      require "action_dispatch/middleware/flash"
      STDIN.each_line do |line|
        value = Marshal.load([line.strip].pack("H*"))
        value = value["flash"] if value.is_a?(Hash)
        flash = ActionDispatch::Flash::FlashHash.from_session_value(value)
        flash.keep
        puts Marshal.dump(flash.to_session_value).unpack1("H*")
      end`;
    const answers = runRuby(script, rails3Cases.map((c) => `${c.hex}\n`).join('')).trimEnd().split('\n');
    expect(answers).toEqual(rails3Cases.map((c) => hex(dump((flashOf(load(c.bytes)) as RubyFlashHash).toModernFlash()))));
  });
});
