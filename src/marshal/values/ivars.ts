import type { RubySymbol } from './symbol.js';
import type { RubyValue } from './value.js';

/** Instance variables (or the ivars of a `_dump` string) in the order Ruby wrote them. Names keep their `@`. */
export type RubyIvars = Array<[name: RubySymbol, value: RubyValue]>;

/** The value of the ivar named `name` (such as `'@value'` or `'zone'`), or undefined. */
export function getIvar(ivars: RubyIvars | undefined, name: string): RubyValue | undefined {
  if (ivars === undefined) return undefined;
  for (const [key, value] of ivars) if (key.name === name) return value;
  return undefined;
}
