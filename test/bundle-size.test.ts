import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/**
 * A browser app's bundle of `imports` (esbuild --bundle --minify --format=esm --platform=browser): its size
 * minified and gzipped, and the heaviest inputs, so that a failure says what grew.
 */
async function browserBundle(code: string): Promise<{ minified: number; gzipped: number; heaviest: string; files: string[]; text: string }> {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0]!.contents;
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  const heaviest = Object.entries(inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, 8)
    .map(([file, { bytesInOutput }]) => `${file.replace(/^.*node_modules\//, '')} ${bytesInOutput} B`)
    .join(', ');
  const files = Object.keys(inputs).filter((file) => inputs[file]!.bytesInOutput > 0);
  return { minified: output.length, gzipped: gzipSync(output, { level: 9 }).length, heaviest, files, text: result.outputFiles[0]!.text };
}

// Budgets in min+gzip bytes (sizes are deterministic: a failure is growth, never noise). The README's "Bundle
// size" line quotes the figures; raise a budget only as a decision. These are the targets of issue 10: load 11 KB,
// toActiveRecordSession 40 KB. They are met because the code that writes new typed values (rubyTimeFromEpoch,
// rubyDate, ...) and Ruby's to_s text of Time and TimeWithZone are functions a bundle leaves out when unused, not
// methods every loaded value carries, and because each option schema is built in a call marked pure, so that a
// bundle keeps only the schemas it uses. load is 11.0 KB (11,241 B), toActiveRecordSession 38.8 KB (39,729 B).
const BUDGETS: Array<[what: string, code: string, gzipped: number]> = [
  ['load alone', "export { load } from './src/marshal/index.ts';", 11 * 1024],
  ['toActiveRecordSession with everything it needs', "export { toActiveRecordSession } from './src/index.ts';", 40 * 1024],
];

describe('bundle budget', () => {
  for (const [what, code, budget] of BUDGETS) {
    it(`${what}: at most ${budget / 1024} KB min+gzip`, async () => {
      const { minified, gzipped, heaviest } = await browserBundle(code);
      expect(gzipped, `${what}: ${minified} B minified, ${gzipped} B gzipped; heaviest inputs: ${heaviest}`).toBeLessThanOrEqual(budget);
    });
  }

  it('load carries none of the code that makes new typed values or writes their to_s (functions, not methods)', async () => {
    // A message from each writer: rubyTimeFromEpoch, rubyDate, rubyDateTime, rubyBigDecimal, rubyTimeWithZone's range check.
    const writers = ['seconds must be a safe integer', 'invalid start', 'invalid time', 'not decimal text', 'utcOffset must be whole seconds'];
    const { text } = await browserBundle("export { load } from './src/marshal/index.ts';");
    expect(writers.filter((message) => text.includes(message))).toEqual([]);
    const { text: withWriters } = await browserBundle("export { load, rubyTimeFromEpoch, rubyDateTime, rubyBigDecimal, rubyTimeWithZone } from './src/marshal/index.ts';");
    expect(writers.filter((message) => withWriters.includes(message))).toEqual(writers);
  });

  it('a store function brings only the option schemas it uses', async () => {
    const { text } = await browserBundle("export { toActiveRecordSession } from './src/index.ts';");
    // RailsSessionSchema's own message stands for the schemas toActiveRecordSession does not use.
    expect(text.includes('a Base64 CSRF token')).toBe(false);
    const { text: withSchema } = await browserBundle("export { toActiveRecordSession, RailsSessionSchema } from './src/index.ts';");
    expect(withSchema.includes('a Base64 CSRF token')).toBe(true);
  });

  it('zod comes in as zod/mini, never the full zod with its locales', async () => {
    const { files } = await browserBundle("export { toActiveRecordSession } from './src/index.ts';");
    const zodFiles = files.filter((file) => file.includes('node_modules/zod/'));
    expect(zodFiles.some((file) => file.includes('/v4/mini/'))).toBe(true);
    expect(zodFiles.filter((file) => file.includes('/v4/classic/')), 'zod classic').toEqual([]);
    expect(zodFiles.filter((file) => file.includes('/locales/') && !file.endsWith('/en.js')), 'locales other than English').toEqual([]);
  });

  it('the table decoder comes in only with the tables (rails-session-codec/encodings)', async () => {
    const isTableCode = (file: string) => file.endsWith('src/marshal/encoding/table.ts') || file.endsWith('src/marshal/encoding/register-tables.ts');
    for (const code of ["export { load } from './src/marshal/index.ts';", "export { toActiveRecordSession } from './src/index.ts';"]) {
      const { files } = await browserBundle(code);
      expect(files.filter(isTableCode), code).toEqual([]);
    }
    const withTables = await browserBundle("export { registerRubyEncodings } from './src/encodings.ts';");
    expect(withTables.files.filter(isTableCode).length).toBe(2);
  });
});
