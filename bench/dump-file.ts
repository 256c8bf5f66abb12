// Writes a generated dump (one JSON line per session) to a file in 1 MiB writes, for the benchmarks.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';

/** Writes every line (each ending in `\n`) to `path`; returns the file's size in bytes. */
export function writeDumpFile(path: string, lines: Iterable<string>): number {
  const fd = openSync(path, 'w');
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  return statSync(path).size;
}
