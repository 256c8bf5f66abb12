import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { toRailsJson } from '../json/to-rails-json.js';
import { isMarshalError } from '../marshal/errors.js';
import { inspect } from '../marshal/inspect.js';
import { load } from '../marshal/load.js';
import { rubyInspect } from '../marshal/ruby-inspect.js';
import type { CliIo } from './io.js';
import { decodePayload, findMarshalBytes } from './payload.js';
import { UsageError, parseCommandArgs } from './usage.js';

/** `inspect --help`. */
export const INSPECT_HELP = `Usage: rails-session-codec inspect [PAYLOAD|FILE|-] [--json | --hex]

Shows what a session payload holds. PAYLOAD is a file path, the payload itself, or - / nothing for stdin.
Understood: raw Marshal bytes (04 08), a Rails cache value (6.1, 7.0, 7.1), Base64 or hex of either (such
as an activerecord-session_store data column), a line of \`export\`'s JSONL, a row of \`convert --format
jsonl\`, or a JSON session. What was found goes to stderr, the value to stdout.

Output (stdout):
  (default)   Ruby's inspect of the value, as Ruby 3.1 prints it: {"user_id"=>42, "locale"=>"de"}
  --json      the JSON Rails writes for it (value.to_json, as MultiJson with ActiveSupport loaded: Times as
              ISO 8601, Symbols as Strings, objects as their instance variables); fails, as Ruby does, on a
              binary String
  --hex       an annotated listing of the Marshal bytes: offset, bytes, meaning, one token per line
  -h, --help  this help

The output shows the session's contents: treat it as you would the session (a CSRF token or a user id in it
can be enough to act as that user).
Exit status: 0 when the payload was decoded, 1 when it could not be, 2 for a usage error.

Examples:
  rails-session-codec inspect BAh7B0kiDHVzZXJfaWQGOgZFVGkvSSILbG9jYWxlBjsAVEkiB2RlBjsAVA==
  redis-cli --raw GET 'session:2::<sha256>' | rails-session-codec inspect --hex
  head -1 sessions.jsonl | rails-session-codec inspect --json
`;

/** `rails-session-codec inspect …`: returns the exit status. */
export async function inspectCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('inspect', args, { json: { type: 'boolean' }, hex: { type: 'boolean' } }, 1);
  if (values.help === true) {
    io.stdout.write(INSPECT_HELP);
    return 0;
  }
  if (values.json === true && values.hex === true) throw new UsageError('--json and --hex cannot be combined', 'inspect');
  const source = positionals[0];
  if (source !== undefined && looksLikePath(source) && !existsSync(source)) {
    io.stderr.write(`inspect: no such file: ${source}\n`);
    return 1;
  }
  let bytes = await readPayload(source, io.stdin);
  if (bytes.length === 0) {
    io.stderr.write('inspect: the payload is empty\n');
    return 1;
  }
  if (endsWithStrayNewline(bytes)) {
    // `redis-cli --raw GET` ends its output with a newline that is not part of the value.
    bytes = bytes.subarray(0, bytes.length - 1);
    io.stderr.write('inspect: ignored the newline after the Marshal value (as redis-cli --raw adds)\n');
  }
  try {
    const decoded = decodePayload(bytes);
    io.stderr.write(`inspect: ${decoded.description}\n`);
    if (values.hex === true) {
      if (decoded.marshal === null) {
        io.stderr.write('inspect: no Marshal bytes to list in this payload\n');
        return 1;
      }
      if (decoded.marshal.note !== null) io.stderr.write(`inspect: offsets are within ${decoded.marshal.note}\n`);
      io.stdout.write(inspect(decoded.marshal.bytes));
    } else if (values.json === true) {
      io.stdout.write(`${toRailsJson(decoded.value, { flavor: 'multi_json' })}\n`);
    } else {
      io.stdout.write(`${rubyInspect(decoded.value)}\n`);
    }
    return 0;
  } catch (error) {
    // Library errors name codes, offsets and paths, never values.
    io.stderr.write(`inspect: ${error instanceof Error ? error.message : String(error)}\n`);
    // The listing is most useful on a broken payload: it ends with a `!!` line where the stream breaks.
    const marshal = values.hex === true ? findMarshalBytes(bytes) : null;
    if (marshal !== null) io.stdout.write(inspect(marshal));
    return 1;
  }
}

/**
 * An argument that can only be a file name: it starts with `/`, `./`, `../` or `~/` and is not Base64 of Marshal, or
 * it has a dot (Base64 and hex have none) and is not JSON. Such an argument that names no file is "no such file".
 */
function looksLikePath(source: string): boolean {
  if (source.startsWith('{') || source.startsWith('BAh') || source.startsWith('\\x')) return false;
  return /^(\.{0,2}\/|~\/)/.test(source) || source.includes('.');
}

/** Raw Marshal followed by one `\n` that the value does not take: Marshal reads exactly to the byte before it. */
function endsWithStrayNewline(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x04 || bytes[1] !== 0x08 || bytes[bytes.length - 1] !== 0x0a) return false;
  try {
    load(bytes, { trailingBytes: 'error' });
    return false;
  } catch (error) {
    return isMarshalError(error) && error.code === 'trailing_bytes' && error.offset === bytes.length - 1;
  }
}

/** A file's bytes when `source` names a file, stdin for `-` or nothing, else the argument's own UTF-8 bytes. */
async function readPayload(source: string | undefined, stdin: Readable): Promise<Uint8Array> {
  if (source === undefined || source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return new Uint8Array(Buffer.concat(chunks));
  }
  if (existsSync(source) && statSync(source).isFile()) return new Uint8Array(readFileSync(source));
  return new Uint8Array(Buffer.from(source, 'utf8'));
}
