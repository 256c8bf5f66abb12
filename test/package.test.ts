import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, unknown>;

/** Bundles an entry for a browser-like neutral platform and reports what it imports and how big it is minified. */
async function bundle(entry: string): Promise<{ imports: string[]; bytes: number }> {
  const result = await build({
    entryPoints: [new URL(entry, root).pathname],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
  return { imports, bytes: result.outputFiles[0]!.contents.length };
}

describe('the package', () => {
  it('exports ".", "./marshal", "./encodings" and "./package.json", ESM and CJS each with types, without side effects', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.engines).toEqual({ node: '>=20' });
    const exports = pkg.exports as Record<string, unknown>;
    expect(Object.keys(exports)).toEqual(['.', './marshal', './encodings', './package.json']);
    for (const key of ['.', './marshal', './encodings']) {
      const entry = exports[key] as Record<string, Record<string, string>>;
      expect(Object.keys(entry.import!)).toEqual(['types', 'default']);
      expect(Object.keys(entry.require!)).toEqual(['types', 'default']);
    }
  });

  it('"./marshal" is the codec alone: no dependency, nothing from node:', async () => {
    const { imports, bytes } = await bundle('src/marshal/index.ts');
    expect(imports).toEqual([]);
    // A budget, so that growth is a decision: the whole codec with typed classes, plain view and inspect.
    expect(bytes).toBeLessThan(80_000);
  });

  it('"./encodings" is Ruby\'s tables and their registration, and the core bundles hold no table', async () => {
    const { imports } = await bundle('src/encodings.ts');
    expect(imports).toEqual([]);
    for (const entry of ['src/index.ts', 'src/marshal/index.ts']) {
      const { bytes } = await bundle(entry);
      expect(bytes, entry).toBeLessThan((await bundle('src/encodings.ts')).bytes);
    }
  });

  it('the root entry imports only its declared dependencies, and nothing from node:', async () => {
    const { imports } = await bundle('src/index.ts');
    const declared = Object.keys(pkg.dependencies as Record<string, string>);
    for (const path of imports) {
      expect(path.startsWith('node:')).toBe(false);
      expect(declared.some((name) => path === name || path.startsWith(`${name}/`)), path).toBe(true);
    }
    expect(imports).not.toContain('ioredis');
  });

  it('the Redis client and the database drivers are optional peers, never dependencies', () => {
    const clients = ['better-sqlite3', 'ioredis', 'mysql2', 'pg'];
    const dependencies = Object.keys(pkg.dependencies as Record<string, string>);
    const peers = pkg.peerDependencies as Record<string, string>;
    const meta = pkg.peerDependenciesMeta as Record<string, { optional?: boolean }>;
    for (const name of clients) {
      expect(dependencies, name).not.toContain(name);
      expect(peers[name], name).toBeDefined();
      expect(meta[name]?.optional, name).toBe(true);
    }
    expect(Object.keys(peers).sort()).toEqual(Object.keys(meta).sort());
  });
});
