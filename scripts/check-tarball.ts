/**
 * The package as npm would publish it (run after `npm run build`): at most 300 KB packed, source maps without
 * embedded sources, nothing but dist, the marshal/ stub and the docs. On failure it lists the biggest files, so
 * the cause is plain. Part of `npm run check:package`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const BUDGET = 300 * 1024;
const ALLOWED = /^(dist\/|(marshal|encodings)\/package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/;

interface PackedFile {
  path: string;
  size: number;
}
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}>;
const problems: string[] = [];
const biggest = [...pack!.files].sort((a, b) => b.size - a.size).slice(0, 10);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (pack!.size > BUDGET) problems.push(`the tarball is ${kb(pack!.size)} packed, over the ${kb(BUDGET)} budget`);
for (const file of pack!.files) {
  if (!ALLOWED.test(file.path)) problems.push(`${file.path} should not be in the package`);
  if (file.path.endsWith('.map')) {
    const map = JSON.parse(readFileSync(file.path, 'utf8')) as { sourcesContent?: unknown[] };
    if (map.sourcesContent !== undefined && map.sourcesContent.some((s) => s !== null)) problems.push(`${file.path} embeds its sources`);
  }
}
if (!pack!.files.some((f) => f.path === 'dist/index.js')) problems.push('dist/ is missing: run npm run build first');

console.log(`tarball: ${kb(pack!.size)} packed, ${kb(pack!.unpackedSize)} unpacked, ${pack!.files.length} files (budget ${kb(BUDGET)} packed)`);
console.log(`biggest (unpacked): ${biggest.map((f) => `${f.path} ${kb(f.size)}`).join(', ')}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`check-tarball: ${problem}`);
  process.exit(1);
}
