import fc from 'fast-check';
import { RubySymbol } from '../../src/marshal/index.js';

/**
 * Tagged trees that describe a value both ways: helpers/ruby-peer.rb builds the Ruby value from a tree, and
 * `treeToJs` builds the plain JS value an application would hand to `dump`. Each call builds fresh objects, so
 * nothing is shared except where the tree says `twice`.
 */
export type Tree =
  | null
  | boolean
  | { i: string }
  | { f: string }
  | { s: string }
  | { b: string }
  | { y: string }
  | { a: Tree[] }
  | { h: Array<[Tree, Tree]>; object?: true }
  | { twice: Tree };

export function treeToJs(tree: Tree): unknown {
  if (tree === null || typeof tree === 'boolean') return tree;
  if ('i' in tree) {
    const n = BigInt(tree.i);
    return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if ('f' in tree) {
    if (tree.f === 'nan') return NaN;
    if (tree.f === 'inf') return Infinity;
    if (tree.f === '-inf') return -Infinity;
    return new DataView(Uint8Array.from(Buffer.from(tree.f, 'hex')).buffer).getFloat64(0);
  }
  if ('s' in tree) return tree.s;
  if ('b' in tree) return Uint8Array.from(Buffer.from(tree.b, 'hex'));
  if ('y' in tree) return new RubySymbol(tree.y);
  if ('a' in tree) return tree.a.map(treeToJs);
  if ('h' in tree) {
    if (tree.object) return Object.fromEntries(tree.h.map(([k, v]) => [(k as { s: string }).s, treeToJs(v)]));
    return new Map(tree.h.map(([k, v]) => [treeToJs(k), treeToJs(v)]));
  }
  const shared = treeToJs(tree.twice);
  return [shared, shared];
}

function floatTree(x: number): Tree {
  if (Number.isNaN(x)) return { f: 'nan' };
  if (x === Infinity) return { f: 'inf' };
  if (x === -Infinity) return { f: '-inf' };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return { f: Buffer.from(view.buffer).toString('hex') };
}

const integer: fc.Arbitrary<Tree> = fc
  .oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.constantFrom(2 ** 30 - 1, 2 ** 30, -(2 ** 30), -(2 ** 30) - 1, 2 ** 53 - 1, -(2 ** 53 - 1), 0, -1, 122, 123, -123, -124),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }),
    fc.constantFrom(2n ** 62n, -(2n ** 62n), 2n ** 64n, 2n ** 53n + 1n),
  )
  .map((n) => ({ i: String(n) }));

const float: fc.Arbitrary<Tree> = fc
  .oneof(fc.double(), fc.constantFrom(1.5, 0.1, 1 / 3, -0, NaN, Infinity, -Infinity, 1e-5, 2.5e-5, 5e-324))
  // A JS number that is an integer (1e300 included) is an Integer to `dump`; Floats are the others.
  .filter((x) => !Number.isInteger(x) || Object.is(x, -0))
  .map(floatTree);

const text = fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('user_id', 'flash', 'é', '日本', ''));

const leaf: fc.Arbitrary<Tree> = fc.oneof(
  fc.constantFrom<Tree>(null, true, false),
  integer,
  float,
  text.map((s) => ({ s })),
  fc.uint8Array({ maxLength: 10 }).map((bytes) => ({ b: Buffer.from(bytes).toString('hex') })),
  fc.oneof(fc.constantFrom('a', 'user_id', 'é', '日本'), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/)).map((y) => ({ y })),
);

/** Trees of plain JS values (as an application would hand them to `dump`) and their Ruby equivalents. */
export const plainTree: fc.Arbitrary<Tree> = fc.letrec<{ value: Tree }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }).map((a) => ({ a })),
    // A plain object: string keys, in the order a JS object keeps them (integer-like keys first).
    fc
      .uniqueArray(fc.tuple(text, tie('value')), { maxLength: 5, selector: ([key]) => key })
      .map((entries) => ({ h: orderLikeObject(entries).map(([key, value]): [Tree, Tree] => [{ s: key }, value]), object: true as const })),
    // A Map: keys of any kind.
    fc
      // A JS Map turns a -0 key into +0, so -0.0 cannot be a key here; and binary keys are left out because Ruby
      // treats an ASCII binary String and an equal UTF-8 String as one key.
      .uniqueArray(fc.tuple(leaf.filter((key) => JSON.stringify(key) !== '{"f":"8000000000000000"}' && !(key !== null && typeof key === 'object' && 'b' in key)), tie('value')), {
        maxLength: 4,
        selector: ([key]) => JSON.stringify(key),
      })
      .map((h) => ({ h })),
    // The same container twice. JS strings, numbers and bigints have no identity, so only containers are shared.
    fc
      .oneof(fc.array(tie('value'), { maxLength: 3 }).map((a) => ({ a })), fc.constant({ h: [] as Array<[Tree, Tree]> }))
      .map((twice) => ({ twice })),
  ),
})).value;

function orderLikeObject<T>(entries: Array<[string, T]>): Array<[string, T]> {
  const object = Object.fromEntries(entries.map(([key], index) => [key, index]));
  return Object.keys(object).map((key) => entries[object[key]!]!);
}
