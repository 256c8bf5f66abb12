import { load } from './src/marshal/index.ts';
import { rubyInspect } from './src/marshal/ruby-inspect.ts';
import { marshalFixtures } from './test/helpers/fixtures.ts';
let ok = 0; const bad: string[] = [];
for (const c of marshalFixtures()) {
  const got = rubyInspect(load(c.bytes));
  if (got === c.inspect || (c.inspect.length >= 2000 && got.startsWith(c.inspect))) ok++; else bad.push(`${c.name}\n   ruby: ${c.inspect.slice(0, 150)}\n   ours: ${got.slice(0, 150)}`);
}
console.log(ok, bad.length); console.log(bad.join('\n'));
