/** Why bytes have no text: Ruby raises `InvalidByteSequenceError`, `UndefinedConversionError`, or has no table here. */
export type TextProblemKind = 'invalid_bytes' | 'undefined_conversion' | 'unsupported_encoding';

/** The first place where Ruby's `String#encode('UTF-8')` raises for these bytes. */
export interface TextProblem {
  kind: TextProblemKind;
  /** Byte offset of the first byte Ruby reports. */
  offset: number;
}

/**
 * Bytes as text: `text` is what `encode('UTF-8', invalid: :replace, undef: :replace)` gives (U+FFFD for each
 * error); `problem` is the first error, undefined when Ruby's plain `encode('UTF-8')` succeeds.
 */
export interface TextDecoding {
  text: string;
  problem: TextProblem | undefined;
}

/** What a problem means, for messages: never the bytes themselves, only where they are. */
export function describeTextProblem(encoding: string, problem: TextProblem): string {
  const at = `at byte ${problem.offset}`;
  switch (problem.kind) {
    case 'invalid_bytes':
      // UTF-8 to UTF-8 is no conversion in Ruby (encode returns the String as it is), so nothing raises there.
      return `a ${encoding} String whose bytes are not valid ${encoding} ${at}${encoding === 'UTF-8' ? '' : ' (Ruby raises Encoding::InvalidByteSequenceError)'}`;
    case 'undefined_conversion':
      return `a ${encoding} String with a character that has no Unicode mapping ${at} (Ruby raises Encoding::UndefinedConversionError)`;
    case 'unsupported_encoding':
      return `a ${encoding} String, and no ${encoding} table is registered (registerRubyEncodings() from rails-session-codec/encodings)`;
  }
}

/** Collects decoded code points in chunks (String.fromCharCode over a buffer) and the first error. */
export class TextBuilder {
  private readonly units: number[] = [];
  private done = '';
  problem: TextProblem | undefined = undefined;

  char(code: number): void {
    if (code > 0xffff) {
      code -= 0x10000;
      this.units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else this.units.push(code);
    if (this.units.length >= 4096) this.flush();
  }

  chars(text: string): void {
    this.flush();
    this.done += text;
  }

  error(kind: TextProblemKind, offset: number): void {
    this.problem ??= { kind, offset };
    this.char(0xfffd);
  }

  get text(): string {
    this.flush();
    return this.done;
  }

  result(): TextDecoding {
    return { text: this.text, problem: this.problem };
  }

  private flush(): void {
    if (this.units.length === 0) return;
    this.done += String.fromCharCode.apply(null, this.units);
    this.units.length = 0;
  }
}
