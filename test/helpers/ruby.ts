import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** True when a `ruby` executable is on PATH; tests that need live Ruby skip (and say so) otherwise. */
export const hasRuby: boolean = spawnSync('ruby', ['-e', 'print 1'], { encoding: 'utf8' }).stdout === '1';

/** A long-lived `ruby` running helpers/ruby-peer.rb: one JSON request per line, one JSON answer per line. */
export class RubyPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(line: string) => void> = [];

  /** `script`: a peer in test/helpers (default `ruby-peer.rb`). */
  constructor(script = 'ruby-peer.rb') {
    script = fileURLToPath(new URL(`./${script}`, import.meta.url));
    this.child = spawn('ruby', [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  request<T>(message: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const answer = JSON.parse(line) as T & { error?: string };
        if (answer.error !== undefined) reject(new Error(`ruby: ${answer.error}`));
        else resolve(answer);
      });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Runs a Ruby script once and returns its stdout. */
export function runRuby(script: string, input = ''): string {
  const result = spawnSync('ruby', ['-e', script], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ruby failed: ${result.stderr}`);
  return result.stdout;
}
