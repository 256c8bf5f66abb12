import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

// The peak RSS of `convert` must not depend on the length of the run (README, Memory). What still made it depend
// on it was V8's young generation, which V8 doubles only as the bytes that survive young collections add up: with
// `convert`'s allocations dying young, a short run ended before it had grown and a long one did not. The CLI has
// V8 grow it to its largest size at its first growth (src/cli/young-generation.ts).

const PROBE = fileURLToPath(new URL('./helpers/young-generation-probe.ts', import.meta.url));

/** The sizes (MiB) V8's new space takes on, in order, under the probe's allocations. */
function newSpaceSizes(mode: 'on' | 'off'): number[] {
  const result = spawnSync(process.execPath, ['--import', 'tsx', PROBE, mode], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as number[];
}

describe('the young generation', () => {
  it('grows by doubling under Node defaults, so it is still growing long into a run', () => {
    const sizes = newSpaceSizes('off');
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBe(sizes[i - 1]! * 2);
  });

  it('grows to its largest size in one step once growYoungGenerationAtOnce() has run', () => {
    const doubled = newSpaceSizes('off');
    const sizes = newSpaceSizes('on');
    expect(sizes).toEqual([doubled[0], doubled.at(-1)]);
  });

  it('is set so by the program before any command runs', () => {
    const main = readFileSync(new URL('../src/cli/main.ts', import.meta.url), 'utf8');
    const call = main.indexOf('\ngrowYoungGenerationAtOnce();\n');
    expect(call).toBeGreaterThan(0);
    expect(call).toBeLessThan(main.indexOf('await run('));
  });
});
