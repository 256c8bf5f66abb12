import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from './helpers/cli.js';

describe('--help', () => {
  it('the program help lists the commands with a real example', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: rails-session-codec <command>/);
      expect(result.stdout).toContain('export --url redis://127.0.0.1:6379/0');
      expect(result.stdout).toContain('mode 0600');
    }
  });

  it.each([
    ['export', "export --url redis://127.0.0.1:6379/0 --match 'session:*' --out sessions.jsonl"],
    ['convert', 'convert --in sessions.jsonl --format sql --dialect postgresql'],
    ['inspect', 'inspect BAh7B0kiDHVzZXJfaWQGOgZFVGkvSSILbG9jYWxlBjsAVEkiB2RlBjsAVA=='],
    ['migrate', "migrate --from redis://10.0.0.5:6379/0 --match 'session:*'"],
  ])('%s --help has its options, the file mode and a real example', async (command, example) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: rails-session-codec ${command}`));
    expect(result.stdout).toContain(example);
    expect(result.stdout).toContain('Exit status');
    if (command !== 'inspect') expect(result.stdout).toContain('0600');
    expect((await runCli(['help', command])).stdout).toBe(result.stdout);
  });

  it("the inspect help's example is real", async () => {
    const result = await runCli(['inspect', 'BAh7B0kiDHVzZXJfaWQGOgZFVGkvSSILbG9jYWxlBjsAVEkiB2RlBjsAVA==']);
    expect(result.stdout).toBe('{"user_id"=>42, "locale"=>"de"}\n');
  });
});

describe('usage errors exit 2 with a short message pointing to --help', () => {
  it.each([
    [[], 'rails-session-codec: missing command (export, convert, migrate or inspect)', 'rails-session-codec --help'],
    [['migrat'], 'rails-session-codec: unknown command "migrat"', 'rails-session-codec --help'],
    [['migrate'], 'rails-session-codec migrate: missing --from redis://host:port/db or a dump file', 'rails-session-codec migrate --help'],
    [['convert', '--format', 'sql', '--bogus'], 'rails-session-codec convert: unknown option --bogus', 'rails-session-codec convert --help'],
    [['convert'], 'rails-session-codec convert: missing --format jsonl|csv|sql', 'rails-session-codec convert --help'],
    [['convert', '--format'], 'rails-session-codec convert: --format needs a value', 'rails-session-codec convert --help'],
    [['convert', '--format', 'xml'], 'rails-session-codec convert: --format must be one of jsonl, csv, sql (got "xml")', 'rails-session-codec convert --help'],
    [['convert', '--format', 'sql', '--dialect', 'oracle'], 'rails-session-codec convert: --dialect must be one of postgresql, mysql, sqlite (got "oracle")', 'rails-session-codec convert --help'],
    [['convert', '--format', 'csv', '--dialect', 'mysql'], 'rails-session-codec convert: --dialect and --table apply to --format sql only', 'rails-session-codec convert --help'],
    [['convert', '--format', 'sql', '--table', 'sessions; drop'], 'rails-session-codec convert: --table takes a table name such as sessions or app.sessions (got "sessions; drop")', 'rails-session-codec convert --help'],
    [['convert', '--format', 'jsonl', '--column-limit', '0'], 'rails-session-codec convert: --column-limit takes a positive integer (got "0")', 'rails-session-codec convert --help'],
    [['convert', '--format', 'jsonl', '--now', 'yesterday'], 'rails-session-codec convert: --now takes seconds since the epoch, such as 1705320000 (got "yesterday")', 'rails-session-codec convert --help'],
    [['convert', '--format', 'jsonl', '--rejects', '-'], 'rails-session-codec convert: --rejects and --out name the same file', 'rails-session-codec convert --help'],
    [['convert', '--format', 'jsonl', 'extra'], "rails-session-codec convert: Unexpected argument 'extra'. This command does not take positional arguments", 'rails-session-codec convert --help'],
    [['export', '--match', 'session:*'], 'rails-session-codec export: missing --url redis://host:port/db', 'rails-session-codec export --help'],
    [['export', '--url', 'redis://127.0.0.1:1/0'], "rails-session-codec export: missing --match PATTERN (such as 'session:*')", 'rails-session-codec export --help'],
    [['export', '--url', 'http://127.0.0.1/', '--match', '*'], 'rails-session-codec export: --url must be redis:// or rediss:// (got http://)', 'rails-session-codec export --help'],
    [['export', '--url', 'redis://127.0.0.1:1/0', '--match', '*', '--count', '-5'], 'rails-session-codec export: --count cannot be negative (got "-5")', 'rails-session-codec export --help'],
    [['export', '--url', 'redis://127.0.0.1:1/0', '--match', '*', '--count', '0'], 'rails-session-codec export: --count takes a positive integer (got "0")', 'rails-session-codec export --help'],
    [['inspect', '--json', '--hex', 'x'], 'rails-session-codec inspect: --json and --hex cannot be combined', 'rails-session-codec inspect --help'],
    [['inspect', 'a', 'b'], 'rails-session-codec inspect: unexpected argument "b"', 'rails-session-codec inspect --help'],
  ])('%j', async (args, message, help) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${message}\nSee '${help}'.\n`);
  });

  it('as a real process: exit status 2', () => {
    const result = spawnCli(['convert', '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("See 'rails-session-codec convert --help'.");
  });

  it('a missing input file is an I/O error (exit 1), and does not create the output', async () => {
    const result = await runCli(['convert', '--format', 'jsonl', '--in', '/nonexistent/dump.jsonl', '--out', '/nonexistent/out.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('rails-session-codec: cannot read /nonexistent/dump.jsonl: no such file or directory (ENOENT)\n');
  });
});
