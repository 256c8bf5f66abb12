import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dump, load } from '../src/marshal/index.js';
import { rubyValue } from './helpers/arbitraries.js';
import { plainTree, treeToJs } from './helpers/plain-arbitraries.js';
import { RubyPeer, hasRuby } from './helpers/ruby.js';
import { fromHex, hex } from './helpers/seq.js';

describe.skipIf(!hasRuby)('differential against live Ruby (skipped when ruby is not on PATH)', () => {
  let ruby: RubyPeer;
  beforeAll(() => {
    ruby = new RubyPeer();
  });
  afterAll(() => ruby.close());

  it('dump of plain JS values gives the bytes Ruby Marshal.dump gives for the same Ruby values', async () => {
    await fc.assert(
      fc.asyncProperty(plainTree, async (tree) => {
        const expected = await ruby.request<{ hex: string }>({ op: 'dump', tree });
        expect(hex(dump(treeToJs(tree)))).toBe(expected.hex);
      }),
      { numRuns: 400 },
    );
  });

  it('Ruby loads what we dump as the value we meant, and re-dumps the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(plainTree, async (tree) => {
        const ours = hex(dump(treeToJs(tree)));
        expect((await ruby.request<{ equal: boolean }>({ op: 'load_eq', hex: ours, tree })).equal).toBe(true);
        expect((await ruby.request<{ hex: string }>({ op: 'redump', hex: ours })).hex).toBe(ours);
      }),
      { numRuns: 300 },
    );
  });

  it('what Ruby dumps, we load and dump back byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(plainTree, async (tree) => {
        const rubyBytes = (await ruby.request<{ hex: string }>({ op: 'dump', tree })).hex;
        expect(hex(dump(load(fromHex(rubyBytes))))).toBe(rubyBytes);
      }),
      { numRuns: 300 },
    );
  });

  it('Ruby re-dumps the lossless model we write byte for byte (objects, structs, _dump, encodings, regexps)', async () => {
    await fc.assert(
      fc.asyncProperty(rubyValue, async (value) => {
        const ours = hex(dump(value));
        const answer = await ruby
          .request<{ hex: string }>({ op: 'redump', hex: ours })
          .catch((error: Error) => ({ hex: undefined, error: error.message }));
        // Ruby refuses to load classes it does not have (User, Point); those are checked against fixtures instead.
        if (answer.hex !== undefined) expect(answer.hex).toBe(ours);
      }),
      { numRuns: 200 },
    );
  });
});
