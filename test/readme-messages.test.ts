import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, withoutTiming } from './helpers/cli.js';

// Every CLI message the README quotes is what the CLI writes. The README shows each as a fenced block whose first
// line is the command (`$ rails-session-codec …`, run from the repository root on the README's example inputs in
// fixtures/demo/) and whose other lines are what it prints (stdout, then stderr). This test runs each command and
// compares, the time and rate of the summary line aside (they depend on the machine).

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const MAIN = join(REPO_ROOT, 'src/cli/main.ts');

/** A hook that makes `ioredis` not installed, for the README's missing-package example (the real CLI otherwise). */
const WITHOUT_IOREDIS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(`
export async function resolve(specifier, context, next) {
  if (specifier === 'ioredis' || specifier.startsWith('ioredis/')) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`)}));
`)}`;

interface Example {
  command: string;
  args: string[];
  expected: string;
}

/** The README's fenced blocks that start with `$ rails-session-codec `. */
function examples(): Example[] {
  const found: Example[] = [];
  for (const match of README.matchAll(/^```[a-z]*\n(\$ rails-session-codec [^\n]*)\n([\s\S]*?)^```$/gm)) {
    const command = match[1]!.slice(2);
    // Words as the shell splits them; the examples quote only with single quotes ('session:*').
    const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
    found.push({ command, args, expected: match[2]! });
  }
  return found;
}

function runFromReadme(example: Example): string {
  const hideIoredis = example.expected.includes('needs the package ioredis');
  const result = spawnSync('node', ['--import', 'tsx', ...(hideIoredis ? ['--import', WITHOUT_IOREDIS] : []), MAIN, ...example.args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    input: '',
  });
  return `${result.stdout}${result.stderr}`;
}

describe('README: the CLI messages it quotes', () => {
  const all = examples();

  it('quotes the messages the tests below check', () => {
    const commands = all.map((e) => e.command);
    // The reject lines and their summary, failures listed without --rejects, an unwritable file, a missing
    // optional package, usage errors.
    expect(commands.some((c) => c.includes('--rejects -'))).toBe(true);
    expect(commands.some((c) => c.includes('convert') && !c.includes('--rejects'))).toBe(true);
    expect(commands.some((c) => c.includes('/dev/full'))).toBe(true);
    expect(all.some((e) => e.expected.includes('needs the package ioredis'))).toBe(true);
    expect(all.filter((e) => e.expected.includes('--help')).length).toBeGreaterThanOrEqual(2);
  });

  for (const example of all) {
    it(`$ ${example.command}`, () => {
      expect(withoutTiming(runFromReadme(example))).toBe(withoutTiming(example.expected));
    }, 60_000);
  }
});
