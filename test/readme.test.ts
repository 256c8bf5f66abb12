import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first ```ts block after a heading (or of the README, for `''`). */
function codeBlockAfter(heading: string): string {
  const start = heading === '' ? 0 : readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  expect(match, `a ts block under "${heading}"`).not.toBeNull();
  return match![1]!;
}

const scratch = mkdtempSync(join(tmpdir(), 'readme-example-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runExample(code: string, name: string): Promise<void> {
  // Every `console.log(...); // expected` line states its own output.
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThanOrEqual(3);
  const file = join(scratch, `${name}.ts`);
  writeFileSync(
    file,
    code
      .replaceAll("'rails-session-codec/marshal'", JSON.stringify(join(root, 'src/marshal/index.ts')))
      .replaceAll("'rails-session-codec'", JSON.stringify(join(root, 'src/index.ts'))),
  );
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
  try {
    await import(file);
  } finally {
    spy.mockRestore();
  }
  expect(printed).toEqual(expected);
}

it('runs the example the README opens with (toActiveRecordSession) and prints what its comments say', async () => {
  await runExample(codeBlockAfter(''), 'opening');
});

it('runs the README quick example as it stands and prints what its comments say', async () => {
  await runExample(codeBlockAfter('## Quick example'), 'quick');
});
