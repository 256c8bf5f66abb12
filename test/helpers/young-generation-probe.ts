// Run as a child process by test/cli-young-generation.test.ts: `node --import tsx young-generation-probe.ts on|off`.
// With `on`, calls growYoungGenerationAtOnce() first. Then allocates like a long conversion (most objects die
// young, a few survive a while) and prints, in MiB, each size V8's new space takes on, in order.
import { getHeapSpaceStatistics } from 'node:v8';
import { growYoungGenerationAtOnce } from '../../src/cli/young-generation.js';

if (process.argv[2] === 'on') growYoungGenerationAtOnce();
const newSpaceSize = (): number => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size / 1048576;
const sizes = [newSpaceSize()];
let survivors: number[][] = [];
let garbage: object[] = [];
for (let i = 0; i < 20_000_000; i++) {
  garbage.push({ i });
  if (garbage.length > 10_000) garbage = [];
  if (i % 20 === 0) survivors.push([i]);
  if (survivors.length > 100_000) survivors = [];
  if (i % 1000 === 0 && newSpaceSize() !== sizes.at(-1)) sizes.push(newSpaceSize());
}
process.stdout.write(`${JSON.stringify(sizes)}\n`);
