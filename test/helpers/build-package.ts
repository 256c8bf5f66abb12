import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import configs from '../../tsup.config.js';
import { placeEncodingTables } from '../../scripts/place-encoding-tables.js';

/**
 * Builds the package as `npm run build` does (the same tsup config), without type declarations, into a temporary
 * directory under node_modules/.cache, where the built files find the dependencies as an installed package would.
 * Returns the directory and a cleanup.
 */
export async function buildPackage(): Promise<{ dir: string; cleanup: () => void }> {
  const cache = fileURLToPath(new URL('../../node_modules/.cache', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'rsc-build-'));
  for (const config of configs as Options[]) {
    await build({ ...config, dts: false, outDir: dir, clean: false, silent: true, config: false });
  }
  placeEncodingTables(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
