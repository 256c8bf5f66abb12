import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage } from './helpers/build-package.js';
import { expectCopiesAgree, type Api } from './helpers/cross-copy.js';

// The built package, as an app loads it: both entries, as ESM and as CJS.
let built: Awaited<ReturnType<typeof buildPackage>>;
type Copy = 'esm root' | 'esm marshal' | 'cjs root' | 'cjs marshal';
const copies = {} as Record<Copy, Api>;

beforeAll(async () => {
  built = await buildPackage();
  const require = createRequire(join(built.dir, 'x.cjs'));
  copies['esm root'] = (await import(pathToFileURL(join(built.dir, 'index.js')).href)) as Api;
  copies['esm marshal'] = (await import(pathToFileURL(join(built.dir, 'marshal.js')).href)) as Api;
  copies['cjs root'] = require('./index.cjs') as Api;
  copies['cjs marshal'] = require('./marshal.cjs') as Api;
}, 60_000);

afterAll(() => built?.cleanup());

describe('the built package is one module graph', () => {
  it('both entries share one copy of each class, in each module system', () => {
    for (const system of ['esm', 'cjs'] as const) {
      const root = copies[`${system} root`];
      const marshal = copies[`${system} marshal`];
      for (const name of Object.keys(marshal) as Array<keyof Api>) expect(root[name], `${system} ${name}`).toBe(marshal[name]);
    }
    // ESM and CJS are two copies (Node's dual-package hazard); the brand makes them work together (below).
    expect(copies['esm root'].RubyHash).not.toBe(copies['cjs root'].RubyHash);
  });

  // Within one module system both entries are one copy (above); across systems the brand carries the values.
  // Every copy loads, and the other system's entries take what it loaded.
  const pairs: Array<[Copy, Copy]> = [
    ['esm root', 'cjs root'],
    ['esm marshal', 'cjs root'],
    ['esm root', 'cjs marshal'],
    ['cjs root', 'esm root'],
    ['cjs marshal', 'esm root'],
    ['cjs root', 'esm marshal'],
  ];
  for (const [from, to] of pairs) {
    it(`every value loaded through ${from} works with every function of ${to}`, () => {
      const seen = expectCopiesAgree(copies[from], copies[to]);
      expect(seen.size).toBe(10);
    }, 60_000);
  }
});
