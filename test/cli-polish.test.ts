import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nearestOption } from '../src/cli/usage.js';
import { VERSION } from '../src/cli/version.js';
import { runCli } from './helpers/cli.js';

// Marshal.dump({"a" => 1})
const MARSHAL = Uint8Array.from(Buffer.from('BAh7BkkiBmEGOgZFVGkG', 'base64'));
const hex = Buffer.from(MARSHAL).toString('hex');

describe('CLI polish', () => {
  it('--version and -V print the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    for (const flag of ['--version', '-V']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `rails-session-codec ${pkg.version}\n`, stderr: '' });
  });

  it('inspect reads hex with spaces and line breaks (xxd -p), and PostgreSQL bytea text', async () => {
    const spaced = hex.match(/.{1,4}/g)!.join(' ').replace(/(.{10})/g, '$1\n');
    for (const [input, said] of [
      [`${spaced}\n`, 'hex of Marshal 4.8 (15 bytes)'],
      [hex.toUpperCase(), 'hex of Marshal 4.8 (15 bytes)'],
      [`\\x${hex}`, 'PostgreSQL bytea hex of Marshal 4.8 (15 bytes)'],
      [`\\x${hex}\n`, 'PostgreSQL bytea hex of Marshal 4.8 (15 bytes)'],
    ]) {
      const result = await runCli(['inspect'], { stdin: input });
      expect(result, input).toEqual({ code: 0, stdout: '{"a"=>1}\n', stderr: `inspect: ${said}\n` });
    }
    expect((await runCli(['inspect', `\\x${hex}`])).stdout).toBe('{"a"=>1}\n');
  });

  it('inspect ignores, and says so, the newline redis-cli --raw adds after raw Marshal; never a newline the value takes', async () => {
    const withNewline = Uint8Array.from([...MARSHAL, 0x0a]);
    expect(await runCli(['inspect'], { stdin: withNewline })).toEqual({
      code: 0,
      stdout: '{"a"=>1}\n',
      stderr: 'inspect: ignored the newline after the Marshal value (as redis-cli --raw adds)\ninspect: Marshal 4.8 (15 bytes)\n',
    });
    // Marshal.dump("\n".b): the last byte is the value's own.
    const newlineString = Uint8Array.from([0x04, 0x08, 0x22, 0x06, 0x0a]);
    expect(await runCli(['inspect'], { stdin: newlineString })).toEqual({ code: 0, stdout: '"\\n"\n', stderr: 'inspect: Marshal 4.8 (5 bytes)\n' });
    // Two trailing bytes are not a stray newline: Marshal ignores them, as Ruby does, and the size says all.
    expect((await runCli(['inspect'], { stdin: Uint8Array.from([...MARSHAL, 0x0a, 0x0a]) })).stderr).toBe('inspect: Marshal 4.8 (17 bytes)\n');
  });

  it('inspect of a path that names no file says "no such file"', async () => {
    for (const path of ['/missing/path', './session.bin', '../x/y', '~/dump.txt', 'session.bin']) {
      expect(await runCli(['inspect', path]), path).toEqual({ code: 1, stdout: '', stderr: `inspect: no such file: ${path}\n` });
    }
    // Payloads are never taken for paths.
    expect((await runCli(['inspect', 'BAh7BkkiBmEGOgZFVGkG'])).code).toBe(0);
    expect((await runCli(['inspect', '{"a": 1}'])).code).toBe(0);
  });

  it('numbers and unknown options get plain messages, with the nearest option', async () => {
    const usage = (command: string, message: string) => ({ code: 2, stdout: '', stderr: `rails-session-codec ${command}: ${message}\nSee 'rails-session-codec ${command} --help'.\n` });
    expect(await runCli(['export', '--url', 'redis://127.0.0.1:1/0', '--match', 's:*', '--count', '-5'])).toEqual(usage('export', '--count cannot be negative (got "-5")'));
    expect(await runCli(['export', '--url', 'redis://127.0.0.1:1/0', '--match', 's:*', '--count', '0'])).toEqual(usage('export', '--count takes a positive integer (got "0")'));
    expect(await runCli(['export', '--url', 'redis://127.0.0.1:1/0', '--match', 's:*', '--count', '1e3'])).toEqual(usage('export', '--count takes a positive integer (got "1e3")'));
    expect(await runCli(['export', '--url', 'redis://127.0.0.1:1/0', '--count'])).toEqual(usage('export', '--count needs a value'));
    expect(await runCli(['export', '--cuont', '5'])).toEqual(usage('export', 'unknown option --cuont (did you mean --count?)'));
    expect(await runCli(['convert', '--fromat', 'csv'])).toEqual(usage('convert', 'unknown option --fromat (did you mean --format?)'));
    expect(await runCli(['convert', '--zzzzzz'])).toEqual(usage('convert', 'unknown option --zzzzzz'));
    expect(await runCli(['inspect', '--jsn'])).toEqual(usage('inspect', 'unknown option --jsn (did you mean --json?)'));
  });

  it('the nearest option: a typo, a swap, a prefix; nothing when far', () => {
    const names = ['format', 'dialect', 'out', 'rejects', 'serializer', 'column-limit'];
    expect(nearestOption('fromat', names)).toBe('format');
    expect(nearestOption('dialet', names)).toBe('dialect');
    expect(nearestOption('column', names)).toBe('column-limit');
    expect(nearestOption('serialiser', names)).toBe('serializer');
    expect(nearestOption('x', names)).toBeUndefined();
    expect(nearestOption('verbose', names)).toBeUndefined();
  });
});
