// Symbol#inspect against live Ruby: random names from the characters its rules turn on (operators, sigils,
// `=?!`, digits, NUL, non-ASCII letters and symbols, a format character, characters Unicode 14+ added), each read
// by `load` from Ruby's own Marshal.dump of the symbol. fast-check picks a new seed each run and prints it on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { load, rubyInspect } from '../src/index.js';
import { hasRuby, runRuby } from './helpers/ruby.js';

const PIECES = ['a', 'Z', '_', '1', '0', '=', '?', '!', '@', '$', '-', '[', ']', '<', '>', '~', '*', '+', '`', '"', "'", ' ', '\0', 'é', '€', '\u00a0', '\u00ad', '\u2028', '\u3000', '\u9ffd', '\u061d', '\u{1f600}'];
const name = fc.array(fc.constantFrom(...PIECES), { minLength: 4, maxLength: 6 }).map((parts) => parts.join(''));
/** Every name of one to three pieces (33,824). */
const SHORT = PIECES.flatMap((a) => [a, ...PIECES.flatMap((b) => [a + b, ...PIECES.map((c) => a + b + c)])]);

describe.skipIf(!hasRuby)('Symbol#inspect, live against Ruby (skipped without ruby on PATH)', () => {
  it('writes what Ruby writes for every name of one to three pieces and random longer ones', () => {
    const seed = Date.now();
    const sample = [...new Set([...SHORT, ...fc.sample(name, { numRuns: 3000, seed })])];
    const out = runRuby(
      'require "json"; JSON.parse($stdin.read).each { |n| s = n.to_sym; puts [Marshal.dump(s)].pack("m0") + " " + [s.inspect].pack("m0") }',
      JSON.stringify(sample),
    );
    const wrong: string[] = [];
    for (const [i, line] of out.trim().split('\n').entries()) {
      const [dumped, inspected] = line.split(' ');
      const want = Buffer.from(inspected!, 'base64').toString('utf8');
      const got = rubyInspect(load(new Uint8Array(Buffer.from(dumped!, 'base64'))));
      if (got !== want) wrong.push(`${JSON.stringify(sample[i])}: Ruby ${want}, ours ${got}`);
    }
    expect(wrong.slice(0, 10), `seed ${seed}`).toEqual([]);
  });
});
