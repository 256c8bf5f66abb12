import { bignumMagnitude } from './bignum.js';
import { ByteReader } from './byte-reader.js';
import { Budget, type BudgetOptions } from './budget.js';
import { MarshalError, isMarshalError } from './errors.js';
import { inputBytes } from './input-bytes.js';
import { DEFAULT_MAX_DEPTH } from './options.js';
import { rubyText } from './encoding/ruby-text.js';
import { isAsciiBytes } from './text.js';

const HEX_COLUMN = 36;
const MAX_HEX_BYTES = 11;
const PREVIEW_CHARS = 40;

/**
 * An annotated listing of a Marshal stream, one line per token: byte offset, the bytes, and what they mean,
 * indented by nesting, with the object-table index (`#3`) each object takes and the target of each link.
 * Meant for people debugging a payload, so it shows the payload's contents (shortened); keep its output as
 * private as the session itself.
 *
 * Never throws for bytes: where the stream is broken, the listing ends with a line `!! <error message>`; so it
 * does where the listing would pass `maxOutputBytes` characters (64 MiB by default; `!! budget_exceeded: …`).
 * Anything that is not bytes (such as the Base64 text of a payload) throws `MarshalError` `invalid_input`.
 */
export function inspect(bytes: Uint8Array | ArrayBuffer, options?: Pick<BudgetOptions, 'maxOutputBytes'>): string {
  const input = inputBytes(bytes, 'inspect');
  const inspector = new MarshalInspector(input, options);
  try {
    inspector.document();
  } catch (error) {
    inspector.lines.push(`!! ${isMarshalError(error) ? error.message : `internal error: ${String(error)}`}`);
  }
  return `${inspector.lines.join('\n')}\n`;
}

class MarshalInspector extends ByteReader {
  readonly lines: string[] = [];
  private objectCount = 0;
  private readonly symbols: string[] = [];
  private depth = 0;
  private readonly budget: Budget;

  constructor(bytes: Uint8Array, options: BudgetOptions | undefined) {
    super(bytes);
    this.budget = new Budget({ maxOutputBytes: options?.maxOutputBytes, maxNodes: Infinity }, (reason) => new MarshalError('budget_exceeded', reason, this.pos));
  }

  document(): void {
    const major = this.readByte();
    const minor = this.readByte();
    this.emit(0, 0, `Marshal ${major}.${minor}`);
    if (major !== 4 || minor > 8) this.fail('unsupported_version', `Marshal ${major}.${minor} is not 4.0..4.8`, 0);
    this.value(0, false);
    if (this.remaining > 0) this.emit(this.pos, 0, `(${this.remaining} trailing bytes, ignored as Ruby does)`, this.bytes.length);
  }

  private emit(start: number, indent: number, text: string, end = this.pos): void {
    const shown = Math.min(end - start, MAX_HEX_BYTES);
    let hex = '';
    for (let i = 0; i < shown; i++) hex += `${this.bytes[start + i]!.toString(16).padStart(2, '0')} `;
    if (end - start > shown) hex += '…';
    const line = `${String(start).padStart(6)}  ${hex.padEnd(HEX_COLUMN)}${'  '.repeat(indent)}${text}`;
    this.budget.addBytes(line.length + 1);
    this.lines.push(line);
  }

  private slot(): string {
    return `#${this.objectCount++}`;
  }

  private value(indent: number, hasIvars: boolean): void {
    if (++this.depth > DEFAULT_MAX_DEPTH) this.fail('depth_exceeded', `values nest deeper than ${DEFAULT_MAX_DEPTH}`);
    const start = this.pos;
    const type = this.readByte();
    const c = String.fromCharCode(type);
    switch (c) {
      case '0':
        this.emit(start, indent, '0 nil');
        break;
      case 'T':
        this.emit(start, indent, 'T true');
        break;
      case 'F':
        this.emit(start, indent, 'F false');
        break;
      case 'i':
        this.emit(start, indent, `i Integer ${this.readLong()}`);
        break;
      case 'l': {
        const sign = this.readByte() === 0x2d ? '-' : '';
        const length = this.readLength('bignum length', 2) * 2;
        // Decimal text of a huge bignum costs quadratic time: past 64 bytes the listing gives its size instead.
        const shown = length <= 64 ? `${sign}${bignumMagnitude(this.bytes, this.pos, length)}` : `of ${length} bytes`;
        this.pos += length;
        this.emit(start, indent, `l Integer ${shown}  ${this.slot()}`);
        break;
      }
      case 'f': {
        const text = this.text(this.readByteString('float length'), 'ASCII-8BIT');
        this.emit(start, indent, `f Float ${text}  ${this.slot()}`);
        break;
      }
      case '"': {
        const bytes = this.readByteString('string length');
        this.emit(start, indent, `" String, ${plural(bytes.length, 'byte')} ${this.preview(bytes)}  ${this.slot()}`);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        break;
      }
      case ':': {
        const name = this.symbolBody(indent, hasIvars, start);
        hasIvars = false;
        this.emit(start, indent, `: Symbol :${name}  (;${this.symbols.length - 1})`);
        break;
      }
      case ';': {
        const index = this.readLong();
        this.emit(start, indent, `; Symbol link ;${index} -> :${this.symbolAt(index, start)}`);
        break;
      }
      case '@': {
        const index = this.readLong();
        if (index < 0 || index >= this.objectCount) this.fail('bad_link', `object link @${index} but only ${this.objectCount} objects are defined`, start);
        this.emit(start, indent, `@ Object link -> #${index}`);
        break;
      }
      case 'I':
        if (hasIvars) this.fail('invalid_format', 'an ivar wrapper (I) directly inside another', start);
        this.emit(start, indent, 'I instance variables follow the value');
        this.value(indent + 1, true);
        break;
      case 'e':
        this.emit(start, indent, `e extended by ${this.symbol(indent)}`);
        this.value(indent, hasIvars);
        hasIvars = false;
        break;
      case 'C':
        this.emit(start, indent, `C instance of ${this.symbol(indent)}`);
        this.value(indent, hasIvars);
        hasIvars = false;
        break;
      case 'o': {
        const name = this.symbol(indent);
        const count = this.readLength('ivar count', 2);
        this.emit(start, indent, `o Object ${name}, ${plural(count, 'ivar')}  ${this.slot()}`);
        this.pairs(indent + 1, count);
        break;
      }
      case 'u': {
        const name = this.symbol(indent);
        const bytes = this.readByteString('_dump length');
        this.emit(start, indent, `u ${name}._load of ${plural(bytes.length, 'byte')} ${this.preview(bytes)}`);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        // After its ivars, as Ruby registers it.
        this.emit(this.pos, indent, `(the ${name} object is ${this.slot()})`, this.pos);
        break;
      }
      case 'U': {
        const name = this.symbol(indent);
        this.emit(start, indent, `U ${name}.marshal_load of:  ${this.slot()}`);
        this.value(indent + 1, false);
        break;
      }
      case '[': {
        const length = this.readLength('array length', 1);
        this.emit(start, indent, `[ Array, ${plural(length, 'element')}  ${this.slot()}`);
        for (let i = 0; i < length; i++) this.value(indent + 1, false);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        break;
      }
      case '{':
      case '}': {
        const size = this.readLength('hash size', 2);
        this.emit(start, indent, `${c} Hash, ${plural(size, 'entry', 'entries')}${c === '}' ? ' and a default' : ''}  ${this.slot()}`);
        for (let i = 0; i < size * 2; i++) this.value(indent + 1, false);
        if (c === '}') this.value(indent + 1, false);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        break;
      }
      case '/': {
        const source = this.readByteString('regexp length');
        const options = this.readByte();
        this.emit(start, indent, `/ Regexp ${this.preview(source)} options ${options}  ${this.slot()}`);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        break;
      }
      case 'S': {
        const name = this.symbol(indent);
        const count = this.readLength('struct size', 2);
        this.emit(start, indent, `S Struct ${name}, ${plural(count, 'member')}  ${this.slot()}`);
        this.pairs(indent + 1, count);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        break;
      }
      case 'c':
      case 'm':
      case 'M': {
        const name = this.text(this.readByteString('class name length'), 'UTF-8');
        this.emit(start, indent, `${c} ${c === 'c' ? 'Class' : 'Module'} ${name}  ${this.slot()}`);
        break;
      }
      case 'd': {
        const name = this.symbol(indent);
        this.emit(start, indent, `d ${name}._load_data of:  ${this.slot()}`);
        this.value(indent + 1, false);
        if (hasIvars) this.ivars(indent + 1);
        hasIvars = false;
        break;
      }
      default:
        this.fail('unknown_type', `unknown type byte 0x${type.toString(16).padStart(2, '0')}`, start);
    }
    if (hasIvars) this.fail('invalid_format', `instance variables (I) on a value of type '${c}' that cannot hold them`, start);
    this.depth--;
  }

  private ivars(indent: number): void {
    const start = this.pos;
    const count = this.readLength('ivar count', 2);
    this.emit(start, indent, `${plural(count, 'ivar')}:`);
    this.pairs(indent + 1, count);
  }

  private pairs(indent: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const start = this.pos;
      const name = this.symbol(indent);
      this.emit(start, indent, `name ${name}`);
      this.value(indent + 1, false);
    }
  }

  /** A symbol where only a symbol may stand; returns its text. */
  private symbol(indent: number): string {
    const start = this.pos;
    const type = this.readByte();
    if (type === 0x3a) return `:${this.symbolBody(indent + 1, false, start)}`;
    if (type === 0x3b) return `:${this.symbolAt(this.readLong(), start)}`;
    if (type === 0x49 && this.readByte() === 0x3a) return `:${this.symbolBody(indent + 1, true, start)}`;
    return this.fail('invalid_format', `expected a symbol, found type byte 0x${type.toString(16).padStart(2, '0')}`, start);
  }

  private symbolBody(indent: number, hasIvars: boolean, start: number): string {
    const bytes = this.readByteString('symbol length');
    const index = this.symbols.length;
    this.symbols.push(this.text(bytes, 'UTF-8'));
    if (hasIvars) {
      this.emit(start, indent, `(symbol ;${index} with its encoding:)`);
      this.ivars(indent + 1);
    }
    return this.symbols[index]!;
  }

  private symbolAt(index: number, start: number): string {
    const name = index >= 0 ? this.symbols[index] : undefined;
    if (name === undefined) this.fail('bad_link', `symbol link ;${index} but only ${this.symbols.length} symbols are defined`, start);
    return name;
  }

  private text(bytes: Uint8Array, encoding: string): string {
    return rubyText(bytes, isAsciiBytes(bytes) ? 'US-ASCII' : encoding).text;
  }

  /** Text as a JSON string when it reads as text, else the bytes in hex. */
  private preview(bytes: Uint8Array): string {
    const text = this.text(bytes, 'UTF-8');
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1f\x7f\ufffd]/.test(text)) {
      let hex = '';
      for (let i = 0; i < Math.min(bytes.length, PREVIEW_CHARS / 2); i++) hex += bytes[i]!.toString(16).padStart(2, '0');
      return `0x${hex}${bytes.length > PREVIEW_CHARS / 2 ? '…' : ''}`;
    }
    const cut = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
    return JSON.stringify(cut);
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
