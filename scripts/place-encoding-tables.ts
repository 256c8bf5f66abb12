// After tsup: puts Ruby's encoding tables once in the built package (dist/encoding-tables.cjs) and points every
// import of them at that file. The build marks the tables external as `./encoding-tables.cjs`, which is right for
// the entry files in dist/ but not for the shared chunks in dist/shared/, which must say `../encoding-tables.cjs`.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TABLES = fileURLToPath(new URL('../src/marshal/encoding/tables/data.cjs', import.meta.url));

/** Copies the tables into `dir` and fixes the specifier in `dir/shared/*`. Returns the chunks it changed. */
export function placeEncodingTables(dir: string): string[] {
  copyFileSync(TABLES, join(dir, 'encoding-tables.cjs'));
  const changed: string[] = [];
  for (const name of readdirSync(join(dir, 'shared'))) {
    if (!/\.(c?js)$/.test(name)) continue;
    const path = join(dir, 'shared', name);
    const text = readFileSync(path, 'utf8');
    const fixed = text.replace(/(["'])\.\/encoding-tables\.cjs\1/g, '$1../encoding-tables.cjs$1');
    if (fixed !== text) {
      writeFileSync(path, fixed);
      changed.push(name);
    }
  }
  return changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  placeEncodingTables(process.argv[2] ?? 'dist');
}
