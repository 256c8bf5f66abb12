// The CLI's files and I/O failures: no symlink followed, only files we create chmodded, output renamed into place
// only when a run completes, every failure one line + exit 1 + the summary, the dump reader's limits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exportEntries, ioredisSource } from '../src/cli/export-command.js';
import { openOutput, streamOutput } from '../src/cli/output-file.js';
import type { ScanSource } from '../src/cli/redis-scan.js';
import { REPO_ROOT, runCli, spawnCli, withoutTiming } from './helpers/cli.js';
import { hasRedisServer, startRedisServer } from './helpers/redis-server.js';
import { storeFixtures } from './helpers/store-fixtures.js';

const DEMO = join(REPO_ROOT, 'fixtures/demo/sessions.jsonl');
const FIXTURE_NOW = '1705320000';
const dir = mkdtempSync(join(tmpdir(), 'rsc-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasDevFull = existsSync('/dev/full');
const demoLines = readFileSync(DEMO, 'utf8').trimEnd().split('\n');
const partials = (): string[] => readdirSync(dir).filter((name) => name.endsWith('.partial'));

describe('--out and --rejects', () => {
  it('refuse an existing symlink and a dangling one, leaving the link and its target alone', async () => {
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'precious', { mode: 0o644 });
    const link = join(dir, 'link.sql');
    symlinkSync(target, link);
    const dangling = join(dir, 'dangling.sql');
    symlinkSync(join(dir, 'created-through-link.txt'), dangling);
    for (const flag of ['--out', '--rejects']) {
      for (const path of [link, dangling]) {
        const result = await runCli(['convert', '--in', DEMO, '--format', 'sql', flag, path, ...(flag === '--rejects' ? ['--out', join(dir, 'x.sql')] : [])]);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(`rails-session-codec: refusing to write ${path}: it is a symbolic link (name the file itself, or - for stdout)\n`);
      }
    }
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(existsSync(join(dir, 'created-through-link.txt'))).toBe(false);
    expect(existsSync(join(dir, 'x.sql'))).toBe(false);
    expect(partials()).toEqual([]);
  });

  it('write a FIFO in place without changing its mode', () => {
    const fifo = join(dir, 'rows.fifo');
    if (spawnSync('mkfifo', ['-m', '0644', fifo]).status !== 0) return;
    const reader = spawnSync('sh', ['-c', `cat '${fifo}' > '${fifo}.got' & exec node --import tsx '${fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))}' convert --in '${DEMO}' --format jsonl --now ${FIXTURE_NOW} --out '${fifo}'; wait`], { encoding: 'utf8' });
    expect(reader.status).toBe(0);
    expect(statSync(fifo).mode & 0o777).toBe(0o644);
    expect(readFileSync(`${fifo}.got`, 'utf8').trimEnd().split('\n')).toHaveLength(demoLines.length);
  });

  it.skipIf(!hasDevFull)('leave /dev/full as it was (mode and all) and report the full disk', async () => {
    const before = statSync('/dev/full').mode;
    const result = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW, '--out', '/dev/full']);
    expect(statSync('/dev/full').mode).toBe(before);
    expect(result.code).toBe(1);
    const lines = withoutTiming(result.stderr).trimEnd().split('\n');
    expect(lines[0]).toBe('convert: cannot write /dev/full: no space left on device (ENOSPC)');
    expect(lines[1]).toMatch(/^read \d+, converted \d+, skipped 0, failed 0; incomplete: \/dev\/full got 0 bytes$/);
    expect(lines).toHaveLength(2);
  });

  it.skipIf(!hasDevFull)('--rejects /dev/full: one message, the summary, exit 1, and --out is not renamed into place', async () => {
    const out = join(dir, 'full-rejects.jsonl');
    const input = join(dir, 'with-bad.jsonl');
    writeFileSync(input, `${['not json', ...demoLines].join('\n')}\n`);
    const result = await runCli(['convert', '--in', input, '--format', 'jsonl', '--now', FIXTURE_NOW, '--out', out, '--rejects', '/dev/full']);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('convert: cannot write /dev/full: no space left on device (ENOSPC)');
    expect(lines[1]).toMatch(new RegExp(`; incomplete: ${out.replaceAll('.', '\\.')} not written \\(\\d+ bytes in ${out.replaceAll('.', '\\.')}\\.[0-9a-f]{8}\\.partial; delete it\\); /dev/full got 0 bytes$`));
    expect(existsSync(out)).toBe(false);
    for (const p of partials()) rmSync(join(dir, p));
  });

  it('an unwritable directory is one message and exit 1, as a real process', () => {
    const result = spawnCli(['convert', '--in', DEMO, '--format', 'jsonl', '--out', '/nonexistent/dir/out.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('rails-session-codec: cannot create /nonexistent/dir/out.jsonl: no such file or directory (ENOENT)\n');
  });

  it.skipIf(!hasDevFull)('a full stdout as a real process: one message, the summary, exit 1, no stack trace', () => {
    const result = spawnSync('sh', ['-c', `exec node --import tsx '${fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))}' convert --in '${DEMO}' --format jsonl --now ${FIXTURE_NOW} > /dev/full`], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/no space left on device \(ENOSPC\)/);
    expect(result.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('a complete run renames the partial file into place, replacing an old file, and leaves nothing else', async () => {
    const out = join(dir, 'complete.jsonl');
    writeFileSync(out, 'old', { mode: 0o644 });
    const result = await runCli(['convert', '--in', DEMO, '--format', 'jsonl', '--now', FIXTURE_NOW, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(demoLines.length);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(partials()).toEqual([]);
  });

  it('a run killed halfway leaves the old output untouched and only a .partial file (mode 0600)', async () => {
    const out = join(dir, 'killed.sql');
    writeFileSync(out, 'previous run');
    const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    const child = spawn('node', ['--import', 'tsx', main, 'convert', '--format', 'sql', '--now', FIXTURE_NOW, '--out', out], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stdin.on('error', () => undefined);
    // Feed more than one flush of rows, then wait until the partial file has them, and kill -9.
    for (let i = 0; i < 40; i++) child.stdin.write(`${demoLines.join('\n')}\n`);
    const deadline = Date.now() + 20_000;
    while ((partials().length === 0 || statSync(join(dir, partials()[0]!)).size === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readFileSync(out, 'utf8')).toBe('previous run');
    const [partial] = partials();
    expect(partial).toMatch(/^killed\.sql\.[0-9a-f]{8}\.partial$/);
    expect(statSync(join(dir, partial!)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, partial!), 'utf8')).not.toContain('COMMIT;');
    rmSync(join(dir, partial!));
  });

  it('syncs a file in the background as it grows, one sync at a time, and commits it whole', async () => {
    const out = join(dir, 'synced.txt');
    const probe = await open(join(dir, 'probe.txt'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    rmSync(join(dir, 'probe.txt'));
    // The first background sync is held until the test lets it go, so that what happens while one is in flight
    // does not depend on how fast the disk is (a CI run's first real sync outlasted every write).
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const real = proto.datasync;
    const datasync = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: unknown) {
      most = Math.max(most, ++inFlight);
      try {
        if (datasync.mock.calls.length === 1) await held;
        return await real.call(this);
      } finally {
        inFlight--;
      }
    });
    try {
      const output = await openOutput(out, new PassThrough(), { syncEvery: 100_000 });
      const piece = `${'x'.repeat(70_000)}\n`;
      let written = 0;
      while (datasync.mock.calls.length === 0 && written < 5) {
        await output.write(piece);
        written++;
      }
      expect(datasync.mock.calls.length).toBe(1); // once some 100,000 bytes have reached the file
      // While it is held, more than 100,000 bytes more are written, and no second sync starts.
      for (let i = 0; i < 10; i++) await output.write(piece);
      written += 10;
      expect(datasync.mock.calls.length).toBe(1);
      release();
      await vi.waitFor(() => expect(inFlight).toBe(0));
      // Once it is done, the next writes that reach the file start the next sync.
      for (let i = 0; i < 4 && datasync.mock.calls.length === 1; i++) {
        await output.write(piece);
        written++;
      }
      expect(datasync.mock.calls.length).toBe(2);
      for (let i = 0; i < 10; i++) await output.write(piece);
      written += 10;
      await output.commit();
      expect(most).toBe(1);
      expect(readFileSync(out, 'utf8')).toBe(piece.repeat(written));
      expect(partials()).toEqual([]);
    } finally {
      datasync.mockRestore();
    }
  });

  it('openOutput refuses a directory', async () => {
    await expect(openOutput(dir, new PassThrough())).rejects.toThrow(`cannot write ${dir}: it is a directory`);
  });
});

describe('the dump reader', () => {
  it('accepts a leading UTF-8 BOM and CRLF line ends', async () => {
    const result = await runCli(['convert', '--format', 'jsonl', '--now', FIXTURE_NOW], { stdin: `\uFEFF${demoLines.join('\r\n')}\r\n` });
    expect(withoutTiming(result.stderr)).toBe(`read ${demoLines.length}, converted ${demoLines.length}, skipped 0, failed 0 (2 from legacy keys)\n`);
  });

  it('reads a 6 MB session line (8 M Base64 characters) without a regex, and rejects one over --max-session-bytes by key, going on', async () => {
    const fixture = storeFixtures().find((f) => f.key.startsWith('session:2::'))!;
    // A String of 6 MB in a Hash: `{"k" => "xxx…"}`, valid Marshal.
    const size = 6 * 1024 * 1024;
    const length = Buffer.alloc(4);
    length.writeUInt32LE(size);
    const header = Buffer.from([0x04, 0x08, 0x7b, 0x06, 0x49, 0x22, 0x06, 0x6b, 0x06, 0x3a, 0x06, 0x45, 0x54, 0x49, 0x22, 0x04]);
    const payload = Buffer.concat([header, length, Buffer.alloc(size, 0x78), Buffer.from([0x06, 0x3b, 0x00, 0x54])]);
    const line = JSON.stringify({ key: fixture.key, value: payload.toString('base64') });
    const input = join(dir, 'big.jsonl');
    writeFileSync(input, `${line}\n${demoLines[0]}\n${line}\n`);
    const ok = await runCli(['convert', '--in', input, '--format', 'jsonl', '--now', FIXTURE_NOW]);
    expect(withoutTiming(ok.stderr)).toBe('read 3, converted 3, skipped 0, failed 0\n');
    const rejects = join(dir, 'big-rejects.jsonl');
    const limited = await runCli(['convert', '--in', input, '--format', 'jsonl', '--now', FIXTURE_NOW, '--max-session-bytes', '1000000', '--rejects', rejects]);
    expect(limited.code).toBe(1);
    expect(withoutTiming(limited.stderr)).toBe(`read 3, converted 1, skipped 0, failed 2 (rejects: ${rejects})\n`);
    const listed = readFileSync(rejects, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string; code: string; line: number });
    expect(listed.map((r) => [r.key, r.code, r.line])).toEqual([
      [fixture.key, 'session_too_large', 1],
      [fixture.key, 'session_too_large', 3],
    ]);
  });

  it('a line far over the limit is not held whole: its key is found from the head of the line', async () => {
    const line = JSON.stringify({ key: 'session:2::abc', value: 'A'.repeat(3_000_000) });
    const result = await runCli(['convert', '--format', 'jsonl', '--max-session-bytes', '1000', '--rejects', join(dir, 'far.jsonl')], { stdin: `${line}\n${demoLines[0]}\n` });
    expect(withoutTiming(result.stderr)).toMatch(/^read 2, converted 1, skipped 0, failed 1/);
    expect(JSON.parse(readFileSync(join(dir, 'far.jsonl'), 'utf8')) as unknown).toMatchObject({ key: 'session:2::abc', code: 'session_too_large', line: 1 });
  });
});

function fakeSource(entries: Array<[string | Uint8Array, Uint8Array | null]>, options: { failAfter?: number } = {}): ScanSource {
  return {
    async *scan() {
      for (let i = 0; i < entries.length; i += 2) {
        if (options.failAfter !== undefined && i >= options.failAfter) throw new Error('Connection is closed.');
        yield entries.slice(i, i + 2).map(([k]) => k);
      }
    },
    getMany: async (keys) => keys.map((k) => entries.find(([key]) => key === k)![1]),
  };
}

async function exportTo(source: ScanSource, out: ReturnType<typeof streamOutput> | Awaited<ReturnType<typeof openOutput>>) {
  const stderr = new PassThrough();
  const errors: string[] = [];
  stderr.on('data', (c: Buffer) => errors.push(c.toString()));
  const code = await exportEntries(source, '*', 10, out, { stdin: new PassThrough(), stdout: new PassThrough(), stderr, stderrIsTTY: false, now: () => 0 });
  return { code, stderr: errors.join('') };
}

describe('export', () => {
  const fixtures = storeFixtures();

  it('writes a key that is not UTF-8 as key_b64, byte for byte; convert rejects it as not a session key, without its text', async () => {
    const binaryKey = Uint8Array.from([0x73, 0x65, 0x73, 0x73, 0x69, 0x6f, 0x6e, 0x3a, 0xff, 0xfe]);
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const { code, stderr } = await exportTo(fakeSource([[binaryKey, fixtures[0]!.value], [fixtures[0]!.key, fixtures[0]!.value]]), streamOutput(stdout, 'stdout'));
    expect(code).toBe(0);
    expect(withoutTiming(stderr)).toBe('scanned 2, exported 2, vanished 0, failed 0\n');
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ key_b64: Buffer.from(binaryKey).toString('base64'), value: Buffer.from(fixtures[0]!.value).toString('base64') });
    const converted = await runCli(['convert', '--format', 'jsonl', '--now', FIXTURE_NOW], { stdin: `${lines.join('\n')}\n` });
    expect(withoutTiming(converted.stderr)).toBe('line 1: the key (10 bytes) is not UTF-8, so it is not a session key\nread 2, converted 1, skipped 0, failed 1 (list them with --rejects FILE)\n');
  });

  it('Redis failing midway: one message, the summary marked incomplete, exit 1, and the file not renamed into place', async () => {
    const out = join(dir, 'export.jsonl');
    const entries = fixtures.slice(0, 6).map((f): [string, Uint8Array] => [f.key, f.value]);
    const { code, stderr } = await exportTo(fakeSource(entries, { failAfter: 4 }), await openOutput(out, new PassThrough()));
    expect(code).toBe(1);
    const [partial] = partials();
    expect(withoutTiming(stderr)).toBe(`export: Redis failed: Connection is closed.\nscanned 4, exported 4, vanished 0, failed 0; incomplete: ${out} not written (${statSync(join(dir, partial!)).size} bytes in ${join(dir, partial!)}; delete it)\n`);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(join(dir, partial!), 'utf8').trimEnd().split('\n')).toHaveLength(4);
    rmSync(join(dir, partial!));
  });

  it.skipIf(!hasDevFull)('--out /dev/full: one message, the summary marked incomplete, exit 1', async () => {
    const entries = fixtures.slice(0, 6).map((f): [string, Uint8Array] => [f.key, f.value]);
    const { code, stderr } = await exportTo(fakeSource(entries), await openOutput('/dev/full', new PassThrough()));
    expect(code).toBe(1);
    expect(withoutTiming(stderr)).toBe('export: cannot write /dev/full: no space left on device (ENOSPC)\nscanned 6, exported 6, vanished 0, failed 0; incomplete: /dev/full got 0 bytes\n');
  });

  it('a database index that is not a number is a usage error', async () => {
    const result = await runCli(['export', '--url', 'redis://127.0.0.1:1/abc', '--match', '*']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^rails-session-codec export: --url names a database by its number, such as redis:\/\/host:6379\/0 \(got \/abc\)\n/);
  });
});

describe.skipIf(!hasRedisServer)('export against a real redis-server', () => {
  it('a DB index Redis refuses is an error (exit 1), not an export of DB 0', async () => {
    const server = await startRedisServer();
    try {
      const result = await runCli(['export', '--url', `redis://127.0.0.1:${server.port}/99`, '--match', '*']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`export: cannot connect to redis://127.0.0.1:${server.port}/99: ERR DB index is out of range\n`);
      expect(result.stdout).toBe('');
    } finally {
      await server.stop();
    }
  });

  it('a binary key comes out as key_b64; the server stopping mid-run leaves an incomplete, unrenamed file', async () => {
    const server = await startRedisServer();
    const { Redis } = await import('ioredis');
    const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    await client.connect();
    const binaryKey = Buffer.from([0x73, 0x3a, 0xff, 0x00, 0x0a]);
    await client.set(binaryKey, 'v');
    const binary = await runCli(['export', '--url', `redis://127.0.0.1:${server.port}/0`, '--match', 's:*']);
    expect(withoutTiming(binary.stderr)).toBe('scanned 1, exported 1, vanished 0, failed 0\n');
    expect(JSON.parse(binary.stdout)).toEqual({ key_b64: binaryKey.toString('base64'), value: Buffer.from('v').toString('base64') });

    const pipeline = client.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.set(`session:${i}`, 'x');
    await pipeline.exec();
    client.disconnect();
    const source = ioredisSource(new Redis({ port: server.port, host: '127.0.0.1', retryStrategy: () => null, maxRetriesPerRequest: 0 }).on('error', () => undefined));
    let batches = 0;
    const stopping: ScanSource = {
      scan: (match, count) => source.scan(match, count),
      async getMany(keys) {
        if (++batches === 3) await server.stop();
        return source.getMany(keys);
      },
    };
    const out = join(dir, 'stopped.jsonl');
    const { code, stderr } = await exportTo(stopping, await openOutput(out, new PassThrough()));
    expect(code).toBe(1);
    expect(withoutTiming(stderr)).toMatch(/^export: Redis failed: the connection to Redis was lost\nscanned \d+, exported \d+, vanished 0, failed 0; incomplete: .* not written \(\d+ bytes in .*\.partial; delete it\)\n$/);
    expect(existsSync(out)).toBe(false);
    for (const p of partials()) rmSync(join(dir, p));
  });
});
