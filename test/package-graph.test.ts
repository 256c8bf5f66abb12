import { spawnSync } from 'node:child_process';
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

describe('the built package runs', () => {
  // A Windows-1252 String ("caf\xE9", with :encoding "Windows-1252"): readable only once the tables are registered.
  const cp1252 = Uint8Array.from([0x04, 0x08, 0x49, 0x22, 0x09, 0x63, 0x61, 0x66, 0xe9, 0x06, 0x3a, 0x0d, 0x65, 0x6e, 0x63, 0x6f, 0x64, 0x69, 0x6e, 0x67, 0x22, 0x11, ...new TextEncoder().encode('Windows-1252')]);

  it('the encodings entry finds its tables, as ESM and as CJS', async () => {
    const esmEncodings = (await import(pathToFileURL(join(built.dir, 'encodings.js')).href)) as { registerRubyEncodings(): void };
    esmEncodings.registerRubyEncodings();
    const esm = copies['esm root'] as unknown as { load(b: Uint8Array): { toString(): string } };
    expect(esm.load(cp1252).toString()).toBe('café');
    const require = createRequire(join(built.dir, 'x.cjs'));
    const cjsEncodings = require('./encodings.cjs') as { registerRubyEncodings(): void };
    cjsEncodings.registerRubyEncodings();
    const cjs = copies['cjs root'] as unknown as { load(b: Uint8Array): { toString(): string } };
    expect(cjs.load(cp1252).toString()).toBe('café');
  });

  it('the command line starts (its chunks import the shared tables)', () => {
    const run = spawnSync(process.execPath, [join(built.dir, 'cli.js'), '--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^rails-session-codec \d+\.\d+\.\d+/);
  });
});
