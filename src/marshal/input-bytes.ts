import { MarshalError } from './errors.js';

/**
 * The bytes `load` and `inspect` read: a `Uint8Array` (a Node `Buffer` too) as it is, an `ArrayBuffer` or any
 * other typed-array view as a view of the same memory. Anything else (most often the Base64 text of a payload)
 * is an `invalid_input` MarshalError that says what was given, by type only, never its contents.
 */
export function inputBytes(input: unknown, fn: 'load' | 'inspect'): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const tag = Object.prototype.toString.call(input);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(input as ArrayBuffer);
  const hint = typeof input === 'string' ? ' (a Base64 text such as "BAh7..." is decoded first: decode64 in rails-session-codec)' : '';
  throw new MarshalError('invalid_input', `${fn} wants the bytes of a Marshal stream (a Uint8Array or an ArrayBuffer), not ${describeInput(input)}${hint}`, 0);
}

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (input === undefined) return 'undefined';
  if (typeof input === 'string') return 'a string';
  if (Array.isArray(input)) return 'an array';
  if (typeof input !== 'object') return `a ${typeof input}`;
  const name = (input as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
