// The ceiling for `convert` in `npm run bench`: the least a Node converter can do for the same dump. Reads lines,
// JSON.parse, Base64-decodes the value and re-encodes it in 60-column lines, writes one JSONL row per line.
// Usage: node bench/minimal-convert.mjs DUMP OUT
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const [input, output] = process.argv.slice(2);
const out = createWriteStream(output);
let pending = '';
for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
  if (line === '') continue;
  const entry = JSON.parse(line);
  const flat = Buffer.from(entry.value, 'base64').toString('base64');
  let data = '';
  for (let i = 0; i < flat.length; i += 60) data += `${flat.slice(i, i + 60)}\n`;
  pending += `${JSON.stringify({ session_id: entry.key, data })}\n`;
  if (pending.length > 65536) {
    if (!out.write(pending)) await new Promise((resolve) => out.once('drain', resolve));
    pending = '';
  }
}
out.end(pending);
await new Promise((resolve) => out.once('finish', resolve));
