import { defineConfig, type Options } from 'tsup';

// One module graph: every module is in the output once, so both entries (and the CLI) share one copy of each
// class. ESM: code splitting, the entries import shared chunks. CJS: the same (tsup's CJS splitting), and the two
// CJS entries require one shared file. Whitespace is minified and nothing else: every name is kept, so a stack
// trace still names the function it passed through. No source maps: they (even without embedded sources) would
// double the package (scripts/check-tarball.ts: <= 300 KB packed).
const shared: Options = {
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  external: [/^node:/],
  removeNodeProtocol: false,
  esbuildOptions(options) {
    options.chunkNames = 'shared/[name]-[hash]';
    options.minifyWhitespace = true;
  },
};

const declarations = { entry: { index: 'src/index.ts', marshal: 'src/marshal/index.ts', encodings: 'src/encodings.ts' } };

// Ruby's encoding tables (src/marshal/encoding/tables/data.cjs, ~230 KB) are copied once, to dist/encoding-tables.cjs,
// and imported from there by the ESM and CJS `./encodings` entries: one copy in the package, outside the chunks.
// `npm run build` then runs scripts/place-encoding-tables.ts, which copies the file and points the shared chunks
// (dist/shared/) at `../encoding-tables.cjs`.
const sharedTables: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'shared-encoding-tables',
  setup(build) {
    build.onResolve({ filter: /\/tables\/data\.cjs$/ }, () => ({ path: './encoding-tables.cjs', external: true }));
  },
};

export default defineConfig([
  {
    ...shared,
    // The command line is an entry of the ESM graph too: it shares the library's chunks instead of a copy of them.
    // `convert --jobs N` starts its worker threads on convert-worker.js, beside cli.js.
    entry: { index: 'src/index.ts', marshal: 'src/marshal/index.ts', encodings: 'src/encodings.ts', cli: 'src/cli/main.ts', 'convert-worker': 'src/cli/convert-worker.ts' },
    format: ['esm'],
    dts: declarations,
    clean: true,
    esbuildPlugins: [sharedTables],
  },
  {
    ...shared,
    entry: { index: 'src/index.ts', marshal: 'src/marshal/index.ts', encodings: 'src/encodings.ts' },
    format: ['cjs'],
    esbuildPlugins: [sharedTables],
    dts: declarations,
    clean: false,
  },
]);
