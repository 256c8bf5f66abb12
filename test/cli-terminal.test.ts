import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

// The CLI in a real terminal: tmux (installed by .ci/run) runs it in a detached pane of a known width, records what
// it writes (pipe-pane) and gives back the screen (capture-pane). The server has its own socket in a temporary
// directory, so it is only ours, and it is killed by that socket.

const HAS_TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
/**
 * Lines in the generated dump: enough for a run of a few seconds, so that several progress frames are drawn (at most
 * four a second). Once convert got faster, 40,000 lines drew only two frames in a CI run.
 */
const LINES = 150_000;
// eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence
const ERASE = /\r\x1b\[K/g;

let dir = '';
let socket = '';

/** A dump of `LINES` sessions: one real session (from the demo dump) under distinct private-id keys. */
function writeDump(path: string): void {
  const first = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures/demo/sessions.jsonl'), 'utf8').split('\n')[0]!) as { value: string };
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) lines.push(JSON.stringify({ key: `session:2::${i.toString(16).padStart(64, '0')}`, value: first.value }));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function tmux(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `convert` in a detached tmux window `width` columns wide. Returns what the CLI wrote to the terminal, the
 * screen's rows at the end, and the screen with wrapped rows joined (capture-pane -J), where a line that wrapped
 * is one line longer than the width.
 */
function runInPane(width: number): { raw: string; rows: string[]; screen: string[] } {
  const name = `w${width}`;
  const raw = join(dir, `${name}.raw`);
  const script = join(dir, `${name}.sh`);
  const main = join(REPO_ROOT, 'src/cli/main.ts');
  writeFileSync(
    script,
    [
      // Wait until the test records the pane, then run the CLI with stderr on the terminal and the rows in a file.
      `tmux -S '${socket}' wait-for ${name}-start`,
      `cd '${REPO_ROOT}'`,
      `node --import tsx '${main}' convert --in '${join(dir, 'dump.jsonl')}' --format jsonl --out '${join(dir, `${name}.jsonl`)}' --now 1705320000`,
      'echo "EXIT:$?"',
      `tmux -S '${socket}' wait-for -S ${name}-done`,
      'sleep 600',
    ].join('\n'),
  );
  expect(tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', '25', `sh '${script}'`).status).toBe(0);
  expect(tmux('pipe-pane', '-t', name, '-o', `cat > '${raw}'`).status).toBe(0);
  expect(tmux('wait-for', '-S', `${name}-start`).status).toBe(0);
  expect(tmux('wait-for', `${name}-done`).status).toBe(0);
  const lines = (joined: boolean) =>
    tmux('capture-pane', '-t', name, '-p', ...(joined ? ['-J'] : []))
      .stdout.split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '');
  const rows = lines(false);
  const screen = lines(true);
  tmux('kill-session', '-t', name);
  return { raw: readFileSync(raw, 'latin1'), rows, screen };
}

describe.runIf(HAS_TMUX)('the CLI in a real terminal (tmux)', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rsc-tmux-'));
    socket = join(dir, 'tmux.sock');
    writeDump(join(dir, 'dump.jsonl'));
  });

  afterAll(() => {
    // Only our server: the one on our socket.
    if (socket !== '') spawnSync('tmux', ['-S', socket, 'kill-server'], { encoding: 'utf8' });
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  for (const width of [40, 200]) {
    it(`${width} columns: progress frames cut to the width, none left on screen, the summary with grouped digits`, () => {
      const { raw, rows, screen } = runInPane(width);
      const frames = raw
        .split(ERASE)
        .slice(1)
        .map((frame) => frame.split(/\r?\n/)[0]!)
        .filter((frame) => /% ETA /.test(frame));
      expect(frames.length, `progress frames in ${raw.length} bytes written`).toBeGreaterThanOrEqual(3);
      // Each frame fits in one row, one column to spare: a frame that wrapped would leave its first rows behind.
      for (const frame of frames) expect(frame.length, frame).toBeLessThan(width);
      for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(width);
      // The screen at the end, wrapped rows joined: the summary (which may wrap, it is the last line) and the exit
      // status, and no progress line, whole or a piece of one.
      expect(screen.filter((line) => /ETA|elapsed|\(\d[\d,]*\/s\)/.test(line)), 'progress lines left on screen').toEqual([]);
      const summary = `read ${LINES.toLocaleString('en-US')}, converted ${LINES.toLocaleString('en-US')}, skipped 0, failed 0 in `;
      expect(screen.some((line) => line.startsWith(summary) && /, [\d,]+\/s$/.test(line)), screen.join('\n')).toBe(true);
      expect(screen).toContain('EXIT:0');
      if (width === 200) expect(frames.some((frame) => frame.includes('converted'))).toBe(true);
    }, 120_000);
  }
});

// Without tmux, one skipped test says why (and nothing is reported skipped where tmux is there).
if (!HAS_TMUX) it.skip('the CLI in a real terminal needs tmux (`apt-get install tmux`; .ci/run installs it)', () => {});
